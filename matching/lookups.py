"""The register looked up for what the second pass leaves (docs/MATCHING.md), in one call
(`register_lookups`): for each region row left alone, whether the register has it and when it was
first reported or deleted; for each national contact it pairs that differs, the versions reported
after the as-of time, what explains a difference as late.

Each reads the register's versions of a handful of ids (`matching.keys`: the ids as values of
the scan's filter when few, else broadcast to it). Both ask the kontakt versions: when both sets
of ids are few, the versions of all of them are read in one scan of the whole table and kept
(a few rows), and each lookup filters those. With many ids each reads only the columns it needs:
one scan for both was measured slower then (bench/RESULTS.md, tenth round: the later versions of
~66,000 pairs), as the later versions need every field of a version and the first reports three.
"""

from __future__ import annotations

import datetime as dt

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from matching.keys import Keys, among, keys_of
from matching.pairs import BROADCAST_ROWS, Paired, joinable, settled, settled_keys
from matching.reasons import KONTAKT_FIELDS, first_reports, later_versions, resolve_by_patient


def _lone_ids(
    paired: Paired, versions: dict[str, DataFrame], tolerance_minutes: float, salt: str, cached: list[DataFrame]
) -> tuple[DataFrame, Keys]:
    """Per region row left alone: its register id (_lk), its own LPR3 id or, without one, the
    register's contact of that patient at that unit and start (`resolve_by_patient`); and those
    ids (a list when few)."""
    lone = paired.lone
    if paired.n_lone_no_id == 0:  # each has its own id: the register's patients need not be read
        ids = paired.lone_keys("r_kontakt_id")
        return lone.select("region_row_id", F.col("r_kontakt_id").alias("_lk")), ids
    no_id = lone.where(F.col("r_kontakt_id").isNull())
    by_patient = resolve_by_patient(versions, no_id, tolerance_minutes, salt, few=paired.n_lone_no_id <= BROADCAST_ROWS)
    by_patient = by_patient.localCheckpoint()
    cached.append(by_patient)
    lone_ids = lone.select("region_row_id", "r_kontakt_id").join(by_patient, "region_row_id", "left")
    lone_ids = lone_ids.select("region_row_id", F.coalesce("r_kontakt_id", "register_kontakt_id").alias("_lk"))
    # one row per row of `lone` (a left join on its row id)
    ids: Keys
    if paired.lone_values is not None:  # few: their ids gathered as they are computed
        lone_ids, _, ids = settled_keys(lone_ids, "_lk")
    else:
        lone_ids = lone_ids.localCheckpoint()
        ids = lone_ids.select("_lk")
    cached.append(lone_ids)
    return lone_ids, ids


def _found(
    paired: Paired,
    lone_ids: DataFrame,
    ids: Keys,
    versions: dict[str, DataFrame],
    as_of: dt.datetime,
    cached: list[DataFrame],
) -> DataFrame:
    """Per region row left alone that the register has: region_row_id, first_reported, deleted_at,
    found (settled, joinable)."""
    first = first_reports(versions, ids, as_of, few=paired.n_lone <= BROADCAST_ROWS).withColumnRenamed(
        "kontakt_id", "_lk"
    )
    found, n_found = settled(
        lone_ids.join(first, "_lk").select("region_row_id", "first_reported", "deleted_at", F.lit(True).alias("found"))
    )
    cached.append(found)
    return joinable(found, n_found)


def _later(
    versions: dict[str, DataFrame], as_of: dt.datetime, asked: Keys, n_ids: int, cached: list[DataFrame]
) -> DataFrame:
    """`reasons.later_versions` of the national contacts in `asked` (n_ids of them): n_kontakt_id,
    later (settled, joinable)."""
    few = n_ids <= BROADCAST_ROWS
    theirs = {name: among(versions[name], "kontakt_id", asked, broadcast=few) for name in ("kontakt", "diagnose")}
    later, n_later = settled(later_versions(theirs, as_of).withColumnRenamed("kontakt_id", "n_kontakt_id"))
    cached.append(later)
    return joinable(later, n_later)


def register_lookups(
    paired: Paired,
    versions: dict[str, DataFrame],
    as_of: dt.datetime,
    tolerance_minutes: float,
    salt: str,
    differing: DataFrame,
    cached: list[DataFrame],
) -> tuple[DataFrame, DataFrame | None]:
    """What the register says of what the second pass leaves, its checkpoints added to `cached`:
    - per region row left alone (`paired.lone`) that the register has (by its id, or without one
      by patient, unit and start): region_row_id, first_reported, deleted_at, found;
    - the versions after `as_of` (`reasons.later_versions`: n_kontakt_id, later) of the national
      contacts in `differing` (n_kontakt_id: the second pass's pairs that differ, the only ones
      with differences to explain); None when there is none (the versions are then not read for
      them).
    Both settled and joinable. When both sets of ids are few (lists), the kontakt versions of all
    of them are read in one scan (the columns of both lookups) and kept for both."""
    lone_ids, ids = _lone_ids(paired, versions, tolerance_minutes, salt, cached)
    pair_ids, n_pairs = settled(differing.select(F.col("n_kontakt_id").alias("kontakt_id")).distinct())
    cached.append(pair_ids)
    asked = keys_of(pair_ids, "kontakt_id", n_pairs) if n_pairs else []
    read = versions
    if n_pairs and isinstance(ids, list) and isinstance(asked, list):  # few of each: one scan of the kontakt versions
        wanted = versions["kontakt"].select("kontakt_id", "reported_at", "deleted", *KONTAKT_FIELDS)  # both's columns
        kontakt = among(wanted, "kontakt_id", sorted(set(ids) | set(asked))).localCheckpoint()  # a few rows
        cached.append(kontakt)
        read = {**versions, "kontakt": kontakt}
    found = _found(paired, lone_ids, ids, read, as_of, cached)
    return found, (_later(read, as_of, asked, n_pairs, cached) if n_pairs else None)
