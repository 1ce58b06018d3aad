"""The region's contacts against the national DRG data: the library call behind `lprflow match`.

    with match_contacts(spark, region, national, ...) as m:
        m.contacts ...   # one row per contact of either side (CONTACT_COLUMNS)

Steps: pair the two sides (`matching.pairs`), compare each pair (`matching.compare`), look up
what explains a non-match or a difference in the register and the error list and name it
(`matching.reasons`), and value what only the region has (`matching.value`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from grouping.config import GroupingConfig
from grouping.tables import TableSet
from lprflow.reference import Reference
from matching.compare import differences
from matching.config import MatchingConfig
from matching.pairs import pair
from matching.reasons import (
    LATER,
    LATER_A,
    error_rules,
    explained,
    only_national_reason,
    only_region_reason,
    register_lookup,
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
        F.when(both & (F.size("_diffs") == 0), "matched")
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
) -> Iterator[Matched]:
    """Pair, compare, explain and value (lazy result; persisted parts released when the block ends)."""
    paired = pair(region, national, conf.match)
    rows = paired.rows.select("*", differences(conf.match, fields).alias("_diffs"))
    rows = rows.select("*", _status().alias("status")).persist()
    cached = [*paired.cached, rows]
    try:
        lone = rows.where((F.col("status") == "only_region") & F.col("dup_of").isNull())
        need = rows.where(F.col("status") == "matched_with_differences").select(
            F.col("n_kontakt_id").alias("kontakt_id")
        )
        if versions is not None and as_of is not None:
            by_patient = resolve_by_patient(
                versions,
                lone.where(F.col("r_kontakt_id").isNull()),
                conf.match.start_tolerance_minutes,
                gconf.courses.patient_key_salt,
            ).persist()
            cached.append(by_patient)
            ids = (
                lone.select(F.col("r_kontakt_id").alias("kontakt_id"))
                .where(F.col("kontakt_id").isNotNull())
                .unionByName(by_patient.select(F.col("register_kontakt_id").alias("kontakt_id")))
                .unionByName(need)
                .distinct()
            )
            lookup = register_lookup(versions, ids, as_of).persist()
            cached.append(lookup)
            rows = rows.join(by_patient, "region_row_id", "left")
        else:
            lookup = spark.createDataFrame(
                [],
                f"kontakt_id string, first_reported timestamp, deleted_at timestamp, later {LATER}, later_a {LATER_A}",
            )
            rows = rows.withColumn("register_kontakt_id", F.lit(None).cast("string"))
        lookup_id = F.when(F.col("status") == "only_region", F.coalesce("r_kontakt_id", "register_kontakt_id")).when(
            F.col("status") == "matched_with_differences", F.col("n_kontakt_id")
        )
        found = lookup.withColumnRenamed("kontakt_id", "_lk").withColumn("found", F.lit(True))
        rows = rows.join(found, lookup_id == F.col("_lk"), "left").drop("_lk")
        if errors is not None:
            rules = error_rules(errors).withColumnRenamed("kontakt_id", "_ek")
            rows = rows.join(rules, F.coalesce("n_kontakt_id", "r_kontakt_id") == F.col("_ek"), "left").drop("_ek")
        else:
            rows = rows.withColumn("error_rules", F.lit(None).cast("array<string>"))
        rows = rows.withColumn("found", F.coalesce("found", F.lit(False)))
        r_reason, r_detail = only_region_reason(as_of, versions is not None and as_of is not None)
        n_reason, n_detail = only_national_reason(year)
        region_side = F.col("status") == "only_region"
        national_side = F.col("status") == "only_national"
        values = value_at_stake(spark, lone, national, reference, tables, gconf)
        out = rows.join(values, "region_row_id", "left").select(
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
            F.transform("_diffs", explained).alias("differences"),
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
