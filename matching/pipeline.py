"""The region's contacts against the national DRG data: the library call behind `lprflow match`.

    with match_contacts(spark, region, national, ...) as m:
        m.contacts ...   # one row per contact of either side (CONTACT_COLUMNS)

Steps: pair the two sides (`matching.pairs`), compare each pair (`matching.compare`), look up
what explains a non-match or a difference in the register and the error list and name it
(`matching.reasons`), and value what only the region has (`matching.value`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from grouping.config import GroupingConfig
from grouping.tables import TableSet
from lprflow.reference import Reference
from matching.compare import differences
from matching.config import MatchingConfig
from matching.pairs import BROADCAST_ROWS, joinable, pair, settled
from matching.reasons import (
    EXPLAINED,
    LATER,
    LATER_A,
    asked_versions,
    error_rules,
    explained,
    first_reports,
    later_versions,
    only_national_reason,
    only_region_reason,
    resolve_by_patient,
)
from matching.value import VALUE_COLUMNS, value_at_stake

STATUSES = ("matched", "matched_with_differences", "only_region", "only_national")
CONTACT_COLUMNS = [
    "status",
    "matched_on",
    "region_row_id",
    "region_kontakt_id",
    "kontakt_id",
    "cpr_key",
    "hospital",
    "responsible_unit",
    "start_time",
    "end_time",
    "type",
    "priority",
    "aktionsdiagnose",
    "national_status",
    "course_kind",
    "course_id",
    "drg",
    "course_value",
    "municipality_code",
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


@dataclass
class Matched:
    contacts: DataFrame  # CONTACT_COLUMNS


def _status() -> F.Column:
    both = F.col("region_row_id").isNotNull() & F.col("n_kontakt_id").isNotNull()
    return (
        F.when(both & F.col("_diffs").isNull(), "matched")
        .when(both, "matched_with_differences")
        .when(F.col("region_row_id").isNotNull(), "only_region")
        .otherwise("only_national")
    )


def _side(field: str) -> F.Column:
    return F.coalesce(F.col(f"r_{field}"), F.col(f"n_{field}"))


@contextmanager
def match_contacts(
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
    pick: Callable[[DataFrame], DataFrame] | None = None,
) -> Iterator[Matched]:
    """Pair, compare, explain and value (lazy result; persisted parts released when the block ends).
    `pick`: see matching.pairs.pair."""
    has_register = versions is not None and as_of is not None
    paired = pair(region, national, conf.match, pick)
    cached = list(paired.cached)
    lone = paired.lone
    try:
        rows = paired.rows.select("*", differences(conf.match, fields).alias("_diffs"))
        rows = rows.select("*", _status().alias("status"))
        if versions is not None and as_of is not None:
            no_id = lone.where(F.col("r_kontakt_id").isNull())
            n_no_id = no_id.count()
            by_patient, _ = settled(
                spark.createDataFrame([], "region_row_id string, register_kontakt_id string")
                if n_no_id == 0  # then the register's patients need not be read
                else resolve_by_patient(
                    versions,
                    no_id,
                    conf.match.start_tolerance_minutes,
                    gconf.courses.patient_key_salt,
                    few=n_no_id <= BROADCAST_ROWS,
                )
            )
            lone_ids = lone.select("region_row_id", "r_kontakt_id").join(by_patient, "region_row_id", "left")
            lone_ids, n_lone = settled(
                lone_ids.select("region_row_id", F.coalesce("r_kontakt_id", "register_kontakt_id").alias("_lk"))
            )
            ids = lone_ids.select(F.col("_lk").alias("kontakt_id")).where(F.col("kontakt_id").isNotNull())
            asked, _ = settled(asked_versions(versions, ids, as_of, few=n_lone <= BROADCAST_ROWS))
            first = first_reports(asked, as_of).withColumnRenamed("kontakt_id", "_lk")
            found, n_found = settled(
                lone_ids.join(first, "_lk").select(
                    "region_row_id", "first_reported", "deleted_at", F.lit(True).alias("found")
                )
            )
            later, n_later = settled(
                later_versions(asked, versions["diagnose"], as_of).withColumnRenamed("kontakt_id", "n_kontakt_id")
            )
            cached += [by_patient, lone_ids, asked, found, later]
            rows = rows.join(joinable(found, n_found), "region_row_id", "left")
            rows = rows.join(joinable(later, n_later), "n_kontakt_id", "left")
        else:
            rows = rows.select(
                "*",
                F.lit(None).cast("timestamp").alias("first_reported"),
                F.lit(None).cast("timestamp").alias("deleted_at"),
                F.lit(None).cast("boolean").alias("found"),
                F.lit(None).cast(LATER).alias("later"),
                F.lit(None).cast(LATER_A).alias("later_a"),
            )
        if errors is not None:
            rules, n_rules = settled(error_rules(errors).withColumnRenamed("kontakt_id", "_ek"))
            cached.append(rules)
            rows = rows.join(
                joinable(rules, n_rules), F.coalesce("n_kontakt_id", "r_kontakt_id") == F.col("_ek"), "left"
            ).drop("_ek")
        else:
            rows = rows.withColumn("error_rules", F.lit(None).cast("array<string>"))
        rows = rows.withColumn("found", F.coalesce("found", F.lit(False)))
        r_reason, r_detail = only_region_reason(as_of, has_register)
        n_reason, n_detail = only_national_reason(year)
        region_side = F.col("status") == "only_region"
        national_side = F.col("status") == "only_national"
        values, n_values = settled(value_at_stake(spark, lone, national, reference, tables, gconf))
        cached.append(values)
        out = rows.join(joinable(values, n_values), "region_row_id", "left").select(
            "status",
            "matched_on",
            "region_row_id",
            F.col("r_kontakt_id").alias("region_kontakt_id"),
            F.col("n_kontakt_id").alias("kontakt_id"),
            _side("cpr_key").alias("cpr_key"),
            _side("hospital").alias("hospital"),
            _side("responsible_unit").alias("responsible_unit"),
            _side("start_time").alias("start_time"),
            _side("end_time").alias("end_time"),
            _side("type").alias("type"),
            _side("priority").alias("priority"),
            _side("aktionsdiagnose").alias("aktionsdiagnose"),
            F.col("n_status").alias("national_status"),
            F.col("n_course_kind").alias("course_kind"),
            F.col("n_course_id").alias("course_id"),
            F.col("n_drg").alias("drg"),
            F.col("n_course_value").alias("course_value"),
            F.col("n_municipality_code").alias("municipality_code"),
            # the explanation (a lambda: evaluated without generated code) only where there is a difference
            F.when(F.col("_diffs").isNotNull(), F.transform("_diffs", explained))
            .otherwise(F.array().cast(EXPLAINED))
            .alias("differences"),
            F.when(region_side, r_reason).when(national_side, n_reason).alias("reason"),
            F.when(region_side, r_detail).when(national_side, n_detail).alias("detail"),
            F.coalesce("error_rules", F.array().cast("array<string>")).alias("error_rules"),
            *[F.col(c) for c in VALUE_COLUMNS[1:]],
            F.col("r_unreadable").alias("unreadable"),
            F.col("r_extra").alias("extra"),
        )
        yield Matched(contacts=out.select(*CONTACT_COLUMNS))
    finally:
        for df in cached:
            df.unpersist()
