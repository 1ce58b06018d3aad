"""Pairing the region's rows with the national contacts, one-to-one and deterministic.

1. Duplicates: rows of the extract with the same LPR3 id, or (without an id) the same patient,
   unit, start and type, are one contact; the row with the smallest row id stands for it, the
   others are its duplicates (`dup_of`).
2. Pass 1: the LPR3 object id (`matched_on` = kontakt_id).
3. Pass 2, for what is left on both sides: the same patient and responsible unit (and type, when
   configured), starts at most the tolerance apart. The candidate pairs are found in time buckets
   of the tolerance's width, so a patient with very many contacts costs pairs only within the
   tolerance. Rounds of mutual best: a pair is taken when each side is the other's best by (start
   distance, end distance with unknown last, national id, region row id); the taken rows leave,
   the next round looks again (`matched_on` = patient_unit_start).
4. Near misses, for the reason only: a left region row and a left national contact at the same
   unit, with the same type, starting within the tolerance but of another patient
   (`near_patient` on both sides names the other side's row).

Columns of the result: `r_<field>` for the region side, `n_<column>` for the national side,
`matched_on`, `dup_of`, `near_patient`.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from grouping.national import NATIONAL_COLUMNS
from matching.config import MatchRules
from matching.extract import REGION_COLUMNS

ID_PASS, ATTRIBUTE_PASS = "kontakt_id", "patient_unit_start"


@dataclass
class Paired:
    rows: DataFrame  # one row per region row and per national contact not paired, one per pair
    cached: list[DataFrame]  # persisted parts; unpersist when done


def _prefixed(df: DataFrame, prefix: str) -> DataFrame:
    return df.select(*[F.col(c).alias(prefix + c) for c in df.columns])


def with_duplicates(region: DataFrame) -> DataFrame:
    """`dup_of`: the row id of the row that stands for this one's contact (null for that row)."""
    by_attrs = F.when(
        F.col("cpr_key").isNotNull() & F.col("start_time").isNotNull(),
        F.concat(F.lit("~"), F.to_json(F.struct("cpr_key", "responsible_unit", "start_time", "type"))),
    )
    key = F.coalesce(F.col("kontakt_id"), by_attrs, F.col("region_row_id"))
    w = Window.partitionBy(key).orderBy("region_row_id")
    return region.select(
        *REGION_COLUMNS,
        F.when(F.row_number().over(w) > 1, F.first("region_row_id").over(w)).alias("dup_of"),
    )


def _bucket(c: Column, width: float) -> Column:
    return F.floor(F.unix_seconds(c) / F.lit(width)).cast("long")


def _candidates(left_r: DataFrame, left_n: DataFrame, rules: MatchRules, same_patient: bool) -> DataFrame:
    """Pairs of a left region row and a left national contact at the same unit within the start
    tolerance (same type where configured); of the same patient, or (`same_patient` False) of
    another patient. Returns region_row_id, n_kontakt_id, d_start, d_end."""
    width = rules.start_tolerance_minutes * 60.0
    r = left_r.where(F.col("r_start_time").isNotNull() & F.col("r_responsible_unit").isNotNull()).select(
        "region_row_id", "r_cpr_key", "r_responsible_unit", "r_start_time", "r_end_time", "r_type",
        _bucket(F.col("r_start_time"), width).alias("_rb"),
    )  # fmt: skip
    b = _bucket(F.col("n_start_time"), width)
    n = left_n.where(F.col("n_start_time").isNotNull()).select(
        "n_kontakt_id", "n_cpr_key", "n_responsible_unit", "n_start_time", "n_end_time", "n_type",
        F.explode(F.array(b - 1, b, b + 1)).alias("_nb"),
    )  # fmt: skip
    on = (F.col("r_responsible_unit") == F.col("n_responsible_unit")) & (F.col("_rb") == F.col("_nb"))
    if same_patient:
        on = on & (F.col("r_cpr_key") == F.col("n_cpr_key"))
    d_start = F.abs(F.unix_seconds(F.col("r_start_time")) - F.unix_seconds(F.col("n_start_time")))
    pairs = r.join(n, on).where(d_start <= width)
    if rules.same_type:
        pairs = pairs.where(F.col("r_type").eqNullSafe(F.col("n_type")))
    if not same_patient:
        pairs = pairs.where(~F.col("r_cpr_key").eqNullSafe(F.col("n_cpr_key")))
    return pairs.select(
        "region_row_id",
        "n_kontakt_id",
        d_start.alias("d_start"),
        F.abs(F.unix_seconds(F.col("r_end_time")) - F.unix_seconds(F.col("n_end_time"))).alias("d_end"),
    )


def _mutual_best(cand: DataFrame, rounds: int) -> DataFrame:
    """One-to-one pairs: in each round the pairs that are each other's best. Each round's result is
    checkpointed (a few small actions), so the plan does not grow with the rounds; the rounds stop
    early when no candidate is left."""
    by_r = Window.partitionBy("region_row_id").orderBy("d_start", F.asc_nulls_last("d_end"), "n_kontakt_id")
    by_n = Window.partitionBy("n_kontakt_id").orderBy("d_start", F.asc_nulls_last("d_end"), "region_row_id")
    taken: list[DataFrame] = []
    rest = cand
    for _ in range(rounds):
        ranked = rest.select("*", F.row_number().over(by_r).alias("_rr"), F.row_number().over(by_n).alias("_rn"))
        top = ranked.where((F.col("_rr") == 1) & (F.col("_rn") == 1)).select("region_row_id", "n_kontakt_id")
        top = top.localCheckpoint()
        taken.append(top)
        rest = (
            rest.join(top.select("region_row_id"), "region_row_id", "left_anti")
            .join(top.select("n_kontakt_id"), "n_kontakt_id", "left_anti")
            .localCheckpoint()
        )
        if rest.isEmpty():
            break
    out = taken[0]
    for t in taken[1:]:
        out = out.unionByName(t)
    return out


def pair(region: DataFrame, national: DataFrame, rules: MatchRules) -> Paired:
    """The region rows (matching.extract.REGION_COLUMNS) and national contacts
    (grouping.national.NATIONAL_COLUMNS) paired; see the module text."""
    r = with_duplicates(region)
    r_cols = ["region_row_id", "dup_of", *[f"r_{c}" for c in REGION_COLUMNS if c != "region_row_id"]]
    r = r.select("region_row_id", "dup_of", *[F.col(c).alias(f"r_{c}") for c in REGION_COLUMNS[1:]])
    n = _prefixed(national.select(*NATIONAL_COLUMNS), "n_")
    single = F.col("dup_of").isNull()
    by_id = (
        r.where(single & F.col("r_kontakt_id").isNotNull())
        .join(n, F.col("r_kontakt_id") == F.col("n_kontakt_id"), "full_outer")
        .persist()
    )
    left_r = (
        by_id.where(F.col("n_kontakt_id").isNull())
        .select(*r_cols)
        .unionByName(r.where(single & F.col("r_kontakt_id").isNull()).select(*r_cols))
        .persist()
    )
    left_n = by_id.where(F.col("region_row_id").isNull()).select(n.columns).persist()
    cached = [by_id, left_r, left_n]
    cand = _candidates(left_r, left_n, rules, same_patient=True).persist()
    cached.append(cand)
    taken = _mutual_best(cand, rules.rounds).persist()
    cached.append(taken)
    second = (
        taken.join(left_r, "region_row_id")
        .join(left_n, "n_kontakt_id")
        .select(*r_cols, *n.columns, F.lit(ATTRIBUTE_PASS).alias("matched_on"))
    )
    rest_r = left_r.join(taken.select("region_row_id"), "region_row_id", "left_anti")
    rest_n = left_n.join(taken.select("n_kontakt_id"), "n_kontakt_id", "left_anti")
    near = _candidates(rest_r, rest_n, rules, same_patient=False)
    near_r = near.groupBy("region_row_id").agg(F.min("n_kontakt_id").alias("near_patient"))
    near_n = near.groupBy("n_kontakt_id").agg(F.min("region_row_id").alias("near_patient"))
    first = by_id.where(F.col("region_row_id").isNotNull() & F.col("n_kontakt_id").isNotNull()).select(
        *r_cols, *n.columns, F.lit(ID_PASS).alias("matched_on")
    )
    rows = (
        first.unionByName(second)
        .unionByName(rest_r.join(near_r, "region_row_id", "left"), allowMissingColumns=True)
        .unionByName(rest_n.join(near_n, "n_kontakt_id", "left"), allowMissingColumns=True)
        .unionByName(r.where(~single).select(*r_cols), allowMissingColumns=True)
    )
    return Paired(rows=rows, cached=cached)
