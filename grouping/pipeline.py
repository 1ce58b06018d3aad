"""DRG-sygehusforløb of an as-of register, grouped and valued: the library call behind `lprflow group`.

    with group_register(spark, state, reference, tables, grouping_config()) as result:
        result.courses ...   # one row per course
        result.contacts ...  # every as-of contact with its status and course

Steps: contacts become courses and grouper cases (`grouping.courses`); the somatic cases are
grouped with the year's tables (`grouping.engine`), each case's payload (course, contact,
basis) passing through; cases are valued (`grouping.valuation`) and per course the most
expensive grouping counts; psychiatric and hospice courses are valued outside DRG; every course
gets its paying municipality on its start date (`lprflow.residence`) and a pseudonymised
patient key (`lprflow.pseudonym`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from grouping.config import GroupingConfig
from grouping.courses import build
from grouping.engine import group_cases
from grouping.tables import TableSet
from grouping.valuation import most_expensive, outside_drg_value, value_grouped
from lprflow.config import ConfigError
from lprflow.localtime import local_date, local_month
from lprflow.paths import reference_dir
from lprflow.pseudonym import patient_key
from lprflow.reference import Reference
from lprflow.residence import paying_municipality

# the chosen grouping of a course, as written to courses/
GROUP_COLUMNS = ["drg", "drg_name", "mdc", "ord", "rtc", "loc_drg", "cc_level", "value", "value_parts", "trace"]


@dataclass
class GroupedRegister:
    courses: DataFrame  # one row per DRG-sygehusforløb: group, rule, value and parts, municipality, month
    contacts: DataFrame  # every as-of contact: status, course kind, course id, its own group and value
    persisted: list[DataFrame]  # computed once for both outputs; released when the block ends


def tables_for_year(year: int, conf: GroupingConfig) -> TableSet:
    """The DRG table set configured for a tariff year (with its tariffs)."""
    if year not in conf.tariff_years:
        raise ConfigError(
            f"conf/grouping.yaml: key 'tariff_years': no DRG table set for tariff year {year} "
            f"(known: {sorted(conf.tariff_years)})"
        )
    folder = Path(conf.tariff_years[year])
    return TableSet.load(folder if folder.is_absolute() else reference_dir() / folder, require_tariffs=True)


@contextmanager
def group_register(
    spark: SparkSession, state: dict[str, DataFrame], reference: Reference, tables: TableSet, conf: GroupingConfig
) -> Iterator[GroupedRegister]:
    """Form, group and value the courses of an as-of register (lazy frames; persisted parts are
    released when the block ends)."""
    formed = build(state, reference.sor_units, conf.courses, cache=True)
    cases = formed.cases.where(F.col("course_kind") == "somatic")
    grouped = group_cases(spark, cases, tables, post_rule=conf.post_rule_rtc_1_to_9, carry=("los_days",))
    valued = value_grouped(spark, grouped, tables).persist()
    try:
        best = most_expensive(valued).select(
            "course_id", F.coalesce("kontakt_id", F.lit("course")).alias("group_basis"), *GROUP_COLUMNS
        )
        own = valued.where(F.col("basis") == "contact").select(
            "kontakt_id", F.col("drg").alias("own_drg"), F.col("value").alias("own_value")
        )
        yield GroupedRegister(
            courses=_courses(state, formed.courses, best, conf),
            contacts=formed.contacts.join(own, "kontakt_id", "left").select(
                "kontakt_id", "patient_id", "hospital", "course_kind", "status", "course_id", "own_drg", "own_value"
            ),
            persisted=[valued, *formed.cached],
        )
    finally:
        for df in [valued, *formed.cached]:
            df.unpersist()


def _courses(state: dict[str, DataFrame], courses: DataFrame, best: DataFrame, conf: GroupingConfig) -> DataFrame:
    somatic = F.col("course_kind") == "somatic"
    outside_value, outside_parts = outside_drg_value(
        F.col("course_kind"), F.col("los_days"), F.col("n_contacts"), conf.outside_drg
    )
    municipality = paying_municipality(state["bopael"], courses, "course_id", local_date(F.col("start_time")))
    return (
        courses.join(best, "course_id", "left")
        .join(municipality, "course_id", "left")
        .select(
            "course_id",
            patient_key(F.col("patient_id"), conf.courses.patient_key_salt).alias("patient_key"),
            "hospital_id",
            "course_kind",
            "contacts",
            "n_contacts",
            "start_time",
            "end_time",
            "los_days",
            "age_days",
            "sex",
            "discharge",
            "group_basis",
            "drg",
            "drg_name",
            "mdc",
            "ord",
            "rtc",
            "loc_drg",
            "cc_level",
            F.when(somatic, F.col("value")).otherwise(outside_value).alias("value"),
            F.when(somatic, F.col("value_parts")).otherwise(outside_parts).alias("value_parts"),
            "municipality_code",
            local_month(F.col("end_time")).alias("month"),
            "trace",
            "patient_id",  # for the jobs that need it (KMF); `lprflow group` writes patient_key only
            "birth_date",
        )
    )
