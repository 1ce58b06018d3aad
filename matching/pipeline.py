"""The region's contacts against the national DRG data: the library call behind `lprflow match`.

    write_contacts(spark, region, national, ..., out=OutputDir, people=...)  # writes out/contacts/

Steps: pair the two sides (`matching.pairs`), compare each pair (`matching.compare`), look up
what explains a non-match or a difference in the register and the error list and name it
(`matching.reasons`), and value what only the region has (`matching.value`).

contacts/ is written in two parts. The first pass (one full outer join of the two sides on the
LPR3 id with nothing different as the join's condition) writes every row it settles (a pair) in
its final form, and the rows it leaves in the same columns beside them (a folder of their own),
each one side's row with its values (a pair on the id that differs is two rows left). The rows
left are read back, paired, compared, explained and valued, and added to contacts/: the rows
that carry no value while the value at stake is computed, then the lone region rows with it.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pyspark.sql import Column, DataFrame, Observation, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import StructType

from grouping.config import GroupingConfig
from grouping.tables import TableSet
from lprflow.output import OutputDir
from lprflow.reference import Reference
from lprflow.session import sql_settings
from matching.compare import DIFFERENCES, any_difference, differences
from matching.config import MatchingConfig
from matching.keys import Keys, among, apart
from matching.lookups import register_lookups
from matching.pairs import (
    BROADCAST_ROWS,
    LEFT,
    N_COLUMNS,
    R_COLUMNS,
    duplicated_ids,
    first_pass,
    joinable,
    national_side,
    region_side,
    second_pass,
    settled,
)
from matching.reasons import (
    LATER,
    error_rules,
    explanation,
    only_national_reason,
    only_region_reason,
)
from matching.summary import Tally, tally
from matching.value import VALUE_COLUMNS, value_at_stake

STATUSES = ("matched", "matched_with_differences", "only_region", "only_national")
# the fields of a contact either side has: the region's value where it has the row, else the national
SHARED = ("cpr_key", "hospital", "responsible_unit", "start_time", "end_time", "type", "priority", "aktionsdiagnose")
CONTACT_COLUMNS = [
    "status",
    "matched_on",
    "region_row_id",
    "region_kontakt_id",
    "kontakt_id",
    *SHARED,
    "national_status",
    "course_kind",
    "course_id",
    "drg",
    "course_value",
    "municipality_code",
    "region_drg",
    "region_value",
    "region_municipality_code",
    "differences",
    "reason",
    "detail",
    "error_rules",
    "value_at_stake",
    "value_source",
    "value_course_id",
    "value_drg",
    "unreadable",
    "extra",
]
# the contacts/ columns after SHARED that are one side's column as it is
AS_IS = {
    "national_status": "n_status",
    "course_kind": "n_course_kind",
    "course_id": "n_course_id",
    "drg": "n_drg",
    "course_value": "n_course_value",
    "municipality_code": "n_municipality_code",
    "region_drg": "r_drg",
    "region_value": "r_value",
    "region_municipality_code": "r_municipality_code",
}
# a side's column of pairing (matching.pairs) -> the contacts/ column that holds it on a row of
# that side alone (how the rows the first pass leaves are read back)
REGION_FROM = {
    "r_kontakt_id": "region_kontakt_id",
    "r_drg": "region_drg",
    "r_value": "region_value",
    "r_municipality_code": "region_municipality_code",
}
NATIONAL_FROM = {"n_kontakt_id": "kontakt_id", "n_status": "national_status"}
# the lookups of a region row left alone, null where the first pass settles a row
FOUND = {"found": "boolean", "first_reported": "timestamp", "deleted_at": "timestamp"}
# the first pass writes its settled rows and the rows it leaves in one pass, without the sort by
# the mark Spark otherwise plans before a partitioned write: a writer per mark in each task
# (measured at scale 1.0, the same process: the first pass 53.8 s sorted, 38.5 s not; the floor 37.2 s)
UNSORTED_PARTITIONED_WRITE = {
    "spark.sql.optimizer.plannedWrite.enabled": "false",
    "spark.sql.maxConcurrentOutputFileWriters": "2",
}
VALUE_TYPES = {"value_at_stake": "double", "value_source": "string", "value_course_id": "string", "value_drg": "string"}


@dataclass
class Lookups:
    """What explains a difference, keyed by contact (settled frames, made joinable; or None)."""

    later: DataFrame | None  # n_kontakt_id, later (reasons.later_versions)
    rules: DataFrame | None  # _ek, error_rules (reasons.error_rules)


def _nulls(types: dict[str, str]) -> list[Column]:
    """A typed null column per name (lookups a row does not have)."""
    return [F.lit(None).cast(t).alias(c) for c, t in types.items()]


def _status() -> Column:
    both = F.col("region_row_id").isNotNull() & F.col("n_kontakt_id").isNotNull()
    return (
        F.when(both & F.col("_diffs").isNull(), "matched")
        .when(both, "matched_with_differences")
        .when(F.col("region_row_id").isNotNull(), "only_region")
        .otherwise("only_national")
    )


def _side(field: str) -> Column:
    return F.coalesce(F.col(f"r_{field}"), F.col(f"n_{field}"))


def _with_rules(rows: DataFrame, rules: DataFrame | None) -> DataFrame:
    """`rows` with the rules of their contact on the error list (`error_rules`)."""
    if rules is None:
        return rows.select("*", F.lit(None).cast("array<string>").alias("error_rules"))
    on = F.coalesce("n_kontakt_id", "r_kontakt_id") == F.col("_ek")
    return rows.join(rules, on, "left").drop("_ek")


def _explained_by(rows: DataFrame, lk: Lookups) -> DataFrame:
    """`rows` with the later versions of their national contact and the rules of their contact
    on the error list."""
    if lk.later is None:
        rows = rows.select("*", F.lit(None).cast(LATER).alias("later"))
    else:
        rows = rows.join(lk.later, "n_kontakt_id", "left")
    return _with_rules(rows, lk.rules)


def _contacts(year: int, as_of: dt.datetime | None, has_register: bool) -> list[Column]:
    """The CONTACT_COLUMNS of paired rows with their lookups (FOUND, the later versions, the error
    rules, VALUE_COLUMNS)."""
    r_reason, r_detail = only_region_reason(as_of, has_register)
    n_reason, n_detail = only_national_reason(year)
    region_side_ = F.col("status") == "only_region"
    national_side_ = F.col("status") == "only_national"
    return [
        F.col("status"),
        F.col("matched_on"),
        F.col("region_row_id"),
        F.col("r_kontakt_id").alias("region_kontakt_id"),
        F.col("n_kontakt_id").alias("kontakt_id"),
        *[_side(f).alias(f) for f in SHARED],
        *[F.col(c).alias(name) for name, c in AS_IS.items()],
        F.coalesce("_diffs", F.array().cast(DIFFERENCES)).alias("differences"),
        F.when(region_side_, r_reason).when(national_side_, n_reason).alias("reason"),
        F.when(region_side_, r_detail).when(national_side_, n_detail).alias("detail"),
        F.coalesce("error_rules", F.array().cast("array<string>")).alias("error_rules"),
        *[F.col(c).cast(VALUE_TYPES[c]).alias(c) for c in VALUE_COLUMNS[1:]],
        F.col("r_unreadable").alias("unreadable"),
        F.col("r_extra").alias("extra"),
    ]


def _first_pass_contacts() -> list[Column]:
    """CONTACT_COLUMNS of the first pass's rows (after `_with_rules`): a row it settles is a pair
    on the id with nothing different (matched); a row it leaves is one side's row with its values,
    for `_read_back`."""
    return [
        F.when(~F.col(LEFT), F.lit("matched")).alias("status"),
        F.col("matched_on"),
        F.col("region_row_id"),
        F.col("r_kontakt_id").alias("region_kontakt_id"),
        F.col("n_kontakt_id").alias("kontakt_id"),
        *[_side(f).alias(f) for f in SHARED],
        *[F.col(c).alias(name) for name, c in AS_IS.items()],
        F.array().cast(DIFFERENCES).alias("differences"),
        F.lit(None).cast("string").alias("reason"),
        F.lit(None).cast("string").alias("detail"),
        F.coalesce("error_rules", F.array().cast("array<string>")).alias("error_rules"),
        *_nulls(VALUE_TYPES),
        F.col("r_unreadable").alias("unreadable"),
        F.col("r_extra").alias("extra"),
        F.col(LEFT),
    ]


def _compared(rows: DataFrame, conf: MatchingConfig, fields: list[str]) -> DataFrame:
    """`rows` (with their lookups, `_explained_by`) with the differences of a pair, explained
    (`_diffs`, null where nothing differs and on a row of one side only), and the status."""
    both = F.col("region_row_id").isNotNull() & F.col("n_kontakt_id").isNotNull()
    rows = rows.select("*", F.when(both, differences(conf.match, fields, explanation)).alias("_diffs"))
    return rows.select("*", _status().alias("status"))


def _read_back(left: DataFrame) -> tuple[DataFrame, DataFrame]:
    """The rows the first pass left (contacts/ columns, each one side's row) as pairing's two
    sides."""
    has_r = F.col("region_row_id").isNotNull()
    r = left.where(has_r).select(*[F.col(REGION_FROM.get(c, c.removeprefix("r_"))).alias(c) for c in R_COLUMNS])
    n = left.where(~has_r).select(*[F.col(NATIONAL_FROM.get(c, c.removeprefix("n_"))).alias(c) for c in N_COLUMNS])
    return r, n


def _tally_of(spark: SparkSession, schema: StructType, folder: Path) -> Tally:
    """The part of contacts/ in `folder` (in `schema`) counted for the summary (`tally`)."""
    return tally(spark.read.schema(schema).parquet(str(folder)))


def _written(rows: DataFrame, schema: StructType, folder: Path) -> Tally:
    """`rows` (CONTACT_COLUMNS) written to `folder` in `schema`'s types, and counted."""
    rows.select(*[F.col(f.name).cast(f.dataType) for f in schema.fields]).write.parquet(str(folder))
    return _tally_of(rows.sparkSession, schema, folder)


def write_contacts(
    spark: SparkSession,
    region: DataFrame,
    national: DataFrame,
    conf: MatchingConfig,
    fields: list[str],
    year: int,
    as_of: dt.datetime | None,
    versions: dict[str, DataFrame] | None,
    errors: DataFrame | None,
    reference: Reference,
    tables: TableSet,
    gconf: GroupingConfig,
    out: OutputDir,
    people: Callable[[Keys, int], DataFrame],
    kontakt_ids: DataFrame,
    name: str = "contacts",
) -> tuple[Tally, dict[str, int]]:
    """Pair, compare, explain and value; write `name`/ (CONTACT_COLUMNS) in `out` and return its
    rows counted for the summary, and the rows read of each side (`region_contacts`, `national`:
    counted as the first pass reads them, for the row accounting). `region`:
    matching.extract.REGION_COLUMNS, `national`: grouping.national.NATIONAL_COLUMNS; `people(ids, n)`
    the birth date and sex of the region rows in `ids` (matching.value.value_at_stake);
    `kontakt_ids` the extract's LPR3 ids read on their own (matching.extract.read_kontakt_ids),
    counted for the ids the first pass holds back."""
    has_register = versions is not None and as_of is not None
    cached: list[DataFrame] = []
    stage = out.path(f"_{name}_first_pass")
    try:
        lk = Lookups(later=None, rules=None)  # the later versions after the second pass, for its pairs
        if errors is not None:
            rules, n_rules = settled(error_rules(errors).withColumnRenamed("kontakt_id", "_ek"))
            cached.append(rules)
            lk.rules = joinable(rules, n_rules)
        # the first pass: the pairs on the id with nothing different are final; the rest is
        # written beside them. The ids on more than one region row are held back to the second
        # pass (the join then needs no window to find their lead; they are counted in the same
        # query, while the region side is read), and a pair that differs is not a pair of the
        # join (its differences are explained there): the join's generated code stays small
        read = {side: Observation() for side in ("region_contacts", "national")}
        one = F.count(F.lit(1)).alias("rows")
        r_side = region_side(region).observe(read["region_contacts"], one)
        n_side = national_side(national).observe(read["national"], one)
        same = ~any_difference(conf.match, fields)
        # the count of the duplicated ids reads the region's ids unobserved: an observation counts
        # its rows where it stands once in a plan
        held = duplicated_ids(kontakt_ids.select(F.col("kontakt_id").alias("r_kontakt_id")))
        joined = first_pass(r_side, n_side, held, same)
        first = _with_rules(joined, lk.rules)  # the first pass explains no difference: no later versions
        first = first.select(*_first_pass_contacts())
        with sql_settings(spark, UNSORTED_PARTITIONED_WRITE):
            first.write.mode("overwrite").partitionBy(LEFT).parquet(str(stage))
        schema = first.drop(LEFT).schema
        target = out.path(name)
        if (stage / f"{LEFT}=false").exists():
            (stage / f"{LEFT}=false").rename(target)
        left_dir = stage / f"{LEFT}=true"
        left = (
            spark.read.schema(schema).parquet(str(left_dir)) if left_dir.exists() else spark.createDataFrame([], schema)
        )
        # the second pass, on what the first left
        left_r, left_n = _read_back(left)
        left_r, left_n = left_r.localCheckpoint(), left_n.localCheckpoint()
        cached += [left_r, left_n]
        paired = second_pass(left_r, left_n, conf.match)
        cached += paired.cached
        # the value at stake and the register lookups are both chains of small jobs: run side by side
        with ThreadPoolExecutor(1) as pool:
            valued = pool.submit(
                lambda: settled(
                    value_at_stake(
                        spark, paired.lone, national, reference, tables, gconf, people, paired.lone_keys("r_cpr_key")
                    )
                )
            )
            if has_register:
                both = F.col("region_row_id").isNotNull() & F.col("n_kontakt_id").isNotNull()
                differing = paired.rows.where(both & any_difference(conf.match, fields))
                found, lk.later = register_lookups(
                    paired, versions, as_of, conf.match.start_tolerance_minutes,
                    gconf.courses.patient_key_salt, differing, cached,
                )  # fmt: skip
            # the first part counted for the summary while the value's last jobs run (its grouping
            # is mostly planning on the driver, which leaves a core free)
            counted = _tally_of(spark, schema, target) if target.exists() else Tally()
            rows = _compared(_explained_by(paired.rows, lk), conf, fields)
            if has_register:
                rows = rows.join(found, "region_row_id", "left")
            else:
                rows = rows.select("*", *_nulls(FOUND))
            rows = rows.withColumn("found", F.coalesce("found", F.lit(False)))
            # the second part's rows that are not valued (all but the lone rows) are written and
            # counted while the value's last jobs run too; the lone rows once their value is there
            lone, few = paired.lone_keys("region_row_id"), paired.n_lone <= BROADCAST_ROWS
            unvalued = apart(rows, "region_row_id", lone, broadcast=few).select("*", *_nulls(VALUE_TYPES))
            written = [stage / "second", stage / "valued"]
            counted = counted.add(_written(unvalued.select(*_contacts(year, as_of, has_register)), schema, written[0]))
            values, n_values = valued.result()
        cached.append(values)
        rows = among(rows, "region_row_id", lone, broadcast=few).join(
            joinable(values, n_values), "region_row_id", "left"
        )
        counted = counted.add(_written(rows.select(*_contacts(year, as_of, has_register)), schema, written[1]))
        target.mkdir(exist_ok=True)
        for f in (f for d in written for f in d.iterdir()):  # part files are named by job: none is another's
            if not f.name.startswith(("_", "._")):
                f.rename(target / f.name)
        out.files[name] = {"format": "parquet"}
        return counted, {side: o.get["rows"] for side, o in read.items()}
    finally:
        for df in cached:
            df.unpersist()
        shutil.rmtree(stage, ignore_errors=True)
