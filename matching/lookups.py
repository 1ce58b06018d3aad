"""The register looked up for what the second pass leaves (docs/MATCHING.md): for each region row
left alone, whether the register has it and when it was first reported or deleted; for each
national contact it pairs, the versions reported after the as-of time (what explains a
difference as late).

Both read the register's kontakt versions of a handful of ids: one scan picks the versions of
all of them (the ids broadcast to it) and both lookups run on those; the diagnose versions are
read only for the paired contacts, and only when there are any.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from matching.pairs import BROADCAST_ROWS, Paired, joinable, settled
from matching.reasons import first_reports, later_versions, resolve_by_patient


@dataclass
class RegisterLookups:
    found: (
        DataFrame  # per region row left alone that the register has: region_row_id, first_reported, deleted_at, found
    )
    later: DataFrame | None  # n_kontakt_id, later (reasons.later_versions); None when nothing is paired


def _lone_ids(
    spark: SparkSession,
    lone: DataFrame,
    versions: dict[str, DataFrame],
    tolerance_minutes: float,
    salt: str,
    cached: list[DataFrame],
) -> tuple[DataFrame, int]:
    """Per region row left alone: its register id (_lk), its own LPR3 id or, without one, the
    register's contact of that patient at that unit and start (`resolve_by_patient`)."""
    no_id = lone.where(F.col("r_kontakt_id").isNull())
    n_no_id = no_id.count()
    by_patient = (
        spark.createDataFrame([], "region_row_id string, register_kontakt_id string")
        if n_no_id == 0  # then the register's patients need not be read
        else resolve_by_patient(versions, no_id, tolerance_minutes, salt, few=n_no_id <= BROADCAST_ROWS)
    ).localCheckpoint()
    cached.append(by_patient)
    lone_ids = lone.select("region_row_id", "r_kontakt_id").join(by_patient, "region_row_id", "left")
    lone_ids, n_lone = settled(
        lone_ids.select("region_row_id", F.coalesce("r_kontakt_id", "register_kontakt_id").alias("_lk"))
    )
    cached.append(lone_ids)
    return lone_ids, n_lone


def register_lookups(
    spark: SparkSession,
    paired: Paired,
    versions: dict[str, DataFrame],
    as_of: dt.datetime,
    tolerance_minutes: float,
    salt: str,
    cached: list[DataFrame],
) -> RegisterLookups:
    """The register's answers for `paired` (matching.pairs.second_pass), settled and joinable;
    their checkpoints are added to `cached`."""
    lone_ids, n_lone = _lone_ids(spark, paired.lone, versions, tolerance_minutes, salt, cached)
    ids = lone_ids.select(F.col("_lk").alias("kontakt_id")).where(F.col("kontakt_id").isNotNull())
    both = F.col("region_row_id").isNotNull() & F.col("n_kontakt_id").isNotNull()
    pair_ids, n_pairs = settled(paired.rows.where(both).select(F.col("n_kontakt_id").alias("kontakt_id")).distinct())
    asked, n_asked = settled(ids.unionByName(pair_ids).distinct())
    kontakt, _ = settled(versions["kontakt"].join(joinable(asked, n_asked), "kontakt_id", "left_semi"))
    cached += [pair_ids, asked, kontakt]
    mine = {"kontakt": kontakt}
    first = first_reports(mine, ids, as_of, few=n_lone <= BROADCAST_ROWS).withColumnRenamed("kontakt_id", "_lk")
    found, n_found = settled(
        lone_ids.join(first, "_lk").select("region_row_id", "first_reported", "deleted_at", F.lit(True).alias("found"))
    )
    cached.append(found)
    later = None
    if n_pairs:
        mine["diagnose"] = versions["diagnose"].join(joinable(pair_ids, n_pairs), "kontakt_id", "left_semi")
        later, n_later = settled(later_versions(mine, as_of).withColumnRenamed("kontakt_id", "n_kontakt_id"))
        cached.append(later)
        later = joinable(later, n_later)
    return RegisterLookups(found=joinable(found, n_found), later=later)
