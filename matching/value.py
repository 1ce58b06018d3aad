"""The value at stake: the DRG value of the region's contacts the national data does not have.

A row only in the region (not a duplicate) that falls within a national course of its patient at
its hospital (its start within the course's span widened by the course-joining gap) takes that
course's value (`course`); the others are formed into courses and grouped from the region's own
attributes (unit, start, end, type, aktionsdiagnose, the patient's age and sex from the CPR
number) with the same tables (`own_grouping`). A course's value counts once: on the row with the
smallest row id of the course, the course's other rows show it with 0 at stake.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from grouping.config import GroupingConfig
from grouping.pipeline import group_register
from grouping.tables import TableSet
from lprflow.config import spark_config
from lprflow.reference import Reference
from lprflow.schemas import TABLES
from lprflow.session import adopted, isolated_session
from matching.keys import Keys, among
from matching.pairs import settled, settled_keys

# at most this many rows to group are grouped with the settings of a few rows (conf/spark.yaml
# `few_rows`: one shuffle partition, the grouping's ~40 stages then run one task each; no adaptive
# re-planning; expressions interpreted): an engineering limit
FEW_ROWS = 100_000
VALUE_COLUMNS = ["region_row_id", "value_at_stake", "value_source", "value_course_id", "value_drg"]


def _once(df: DataFrame) -> DataFrame:
    """The course value on the course's first row, 0 on its others."""
    w = Window.partitionBy("value_source", "value_course_id").orderBy("region_row_id")
    first = F.row_number().over(w) == 1
    return df.select(
        "region_row_id",
        F.when(first, F.col("_value"))
        .otherwise(F.when(F.col("_value").isNotNull(), F.lit(0.0)))
        .alias("value_at_stake"),
        "value_source",
        "value_course_id",
        "value_drg",
    )


def _in_national_course(rows: DataFrame, national: DataFrame, gap_hours: float, cpr_keys: Keys) -> DataFrame:
    courses = (
        among(national, "cpr_key", cpr_keys, broadcast=True)  # few: the lone rows' patients
        .where(F.col("course_id").isNotNull())
        .groupBy("course_id", "cpr_key", "hospital")
        .agg(
            F.min("start_time").alias("c_start"),
            F.max("end_time").alias("c_end"),
            F.first("course_value", ignorenulls=True).alias("c_value"),
            F.first("drg", ignorenulls=True).alias("c_drg"),
        )
    )
    gap = F.expr(f"make_dt_interval(0, 0, 0, {float(gap_hours) * 3600})")
    inside = rows.join(
        courses,
        (F.col("r_cpr_key") == F.col("cpr_key"))
        & (F.col("r_hospital") == F.col("hospital"))
        & (F.col("r_start_time") >= F.col("c_start") - gap)
        & (F.col("r_start_time") <= F.col("c_end") + gap),
    )
    return (
        inside.groupBy("region_row_id")
        .agg(F.min_by(F.struct("course_id", "c_value", "c_drg"), F.col("course_id")).alias("c"))
        .select(
            "region_row_id",
            F.lit("course").alias("value_source"),
            F.col("c.course_id").alias("value_course_id"),
            F.col("c.c_value").cast("double").alias("_value"),
            F.col("c.c_drg").alias("value_drg"),
        )
    )


def _empty(spark: SparkSession, name: str) -> DataFrame:
    return spark.createDataFrame([], TABLES[name].schema)


def _mini_state(spark: SparkSession, rows: DataFrame) -> dict[str, DataFrame]:
    """The rows as a register of their own: one contact (id = row id) per row, its aktionsdiagnose,
    its patient (id = the CPR key) with birth date and sex."""

    def shaped(name: str, values: dict[str, object]) -> DataFrame:
        spec = TABLES[name]
        cols = [
            (values[f.name] if f.name in values else F.lit(None)).cast(f.dataType).alias(f.name)
            for f in spec.schema.fields
        ]
        return rows.select(*cols)

    kontakt = shaped(
        "kontakt",
        {
            "kontakt_id": F.col("region_row_id"),
            "forloebselement_id": F.col("region_row_id"),
            "patient_id": F.col("r_cpr_key"),
            "start_time": F.col("r_start_time"),
            "end_time": F.col("r_end_time"),
            "responsible_unit": F.col("r_responsible_unit"),
            "type": F.col("r_type"),
            "priority": F.col("r_priority"),
            "deleted": F.lit(False),
        },
    )
    diagnose = shaped(
        "diagnose",
        {
            "diagnose_id": F.concat(F.col("region_row_id"), F.lit(":A")),
            "kontakt_id": F.col("region_row_id"),
            "role": F.lit("A"),
            "code": F.col("r_aktionsdiagnose"),
            "deleted": F.lit(False),
        },
    ).where(F.col("code").isNotNull())
    patient = shaped(
        "patient",
        {
            "patient_id": F.col("r_cpr_key"),
            "birth_date": F.col("r_birth_date"),
            "sex": F.col("r_sex"),
            "deleted": F.lit(False),
        },
    ).dropDuplicates(["patient_id"])
    state = {name: _empty(spark, name) for name in TABLES}
    state.update(kontakt=kontakt, diagnose=diagnose, patient=patient)
    return state


def value_at_stake(
    spark: SparkSession,
    rows: DataFrame,
    national: DataFrame,
    reference: Reference,
    tables: TableSet,
    gconf: GroupingConfig,
    people: Callable[[Keys, int], DataFrame],
    cpr_keys: Keys,
) -> DataFrame:
    """VALUE_COLUMNS for `rows` (the region rows only in the region, not duplicates: their
    region_row_id and r_* columns; `cpr_keys` their patients, matching.pairs.Paired.lone_keys).
    `people(ids, n_ids)`: the birth date and sex of the region rows in `ids` (n_ids of them;
    region_row_id, birth_date, sex; settled, unpersisted here), asked only for the rows that are
    grouped. With the patients as a list (few rows), the rows' ids are one too."""
    gap = gconf.courses.join_gap_hours
    in_course = _in_national_course(rows, national, gap, cpr_keys).localCheckpoint()
    rest = (
        rows.where(F.col("r_cpr_key").isNotNull())
        .join(in_course.select("region_row_id"), "region_row_id", "left_anti")
        .select("region_row_id", *[c for c in rows.columns if c.startswith("r_")])
    )
    # few rows; the grouping's plan reads them many times, without this lineage
    ids: Keys
    if isinstance(cpr_keys, list):  # so few that their ids are gathered as they are computed
        rest, n_rest, ids = settled_keys(rest, "region_row_id")
    else:
        rest, n_rest = settled(rest)
        ids = rest.select("region_row_id")
    if n_rest == 0:  # nothing to group
        return _once(in_course)
    few = n_rest <= FEW_ROWS
    if few and not isinstance(ids, list):
        ids = F.broadcast(ids)
    people_ = people(ids, n_rest)
    born = people_.select("region_row_id", F.col("birth_date").alias("r_birth_date"), F.col("sex").alias("r_sex"))
    picked = rest
    rest = rest.join(F.broadcast(born) if few else born, "region_row_id").localCheckpoint()  # each has its own
    picked.unpersist()
    people_.unpersist()
    # a few rows are grouped in a session whose settings suit them (conf/spark.yaml `few_rows`),
    # while the queries running beside keep the profile's
    gs = isolated_session(spark, spark_config().few_rows) if few else spark
    with group_register(gs, _mini_state(gs, adopted(gs, rest)), replace(reference, spark=gs), tables, gconf) as g:
        own = (
            g.contacts.where(F.col("course_id").isNotNull())
            .select(F.col("kontakt_id").alias("region_row_id"), "course_id")
            .join(g.courses.select("course_id", "value", "drg"), "course_id")
            .select(
                "region_row_id",
                F.lit("own_grouping").alias("value_source"),
                F.col("course_id").alias("value_course_id"),
                F.col("value").cast("double").alias("_value"),
                F.col("drg").alias("value_drg"),
            )
            .localCheckpoint()  # computed while the grouping's persisted parts are there
        )
    return _once(in_course.unionByName(own))
