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

How (docs/MATCHING.md, "How it is computed"): steps 1 and 2 are decided on the ids alone, in
one narrow count of both sides' hashed LPR3 ids; what it leaves (duplicates, the rows pass 1 did
not pair and the rows without an id: few in a region that reports well) is fetched whole by a
broadcast filter of each side (duplicates without an id are found there, by contact key) and
paired in steps 3 and 4 as small frames. The result is then one full outer join of the two
sides on a pair key (the national id; a duplicate or a row left alone gets its own key), the
small frames broadcast into it.

Columns of the result: `r_<field>` for the region side, `n_<column>` for the national side,
`matched_on`, `dup_of`, `near_patient`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from grouping.national import NATIONAL_COLUMNS
from matching.config import MatchRules
from matching.extract import REGION_COLUMNS, contact_key, key_hash, with_keys

ID_PASS, ATTRIBUTE_PASS = "kontakt_id", "patient_unit_start"
# the national fields pass 2 and the near misses read
PASS2_FIELDS = ("kontakt_id", "cpr_key", "responsible_unit", "start_time", "end_time", "type")
# a checkpointed frame of at most this many rows is broadcast to the joins that read it rather
# than shuffled with the data (an engineering limit: ~100 bytes a row)
BROADCAST_ROWS = 2_000_000


@dataclass
class Paired:
    rows: DataFrame  # one row per region row and per national contact not paired, one per pair
    lone: DataFrame  # region rows only in the region, not duplicates: region_row_id, r_*, near_patient
    cached: list[DataFrame]  # checkpointed parts; unpersist when done


def settled(df: DataFrame) -> tuple[DataFrame, int]:
    """`df` computed once (checkpointed) and its row count."""
    df = df.localCheckpoint()
    return df, df.count()


def joinable(df: DataFrame, rows: int) -> DataFrame:
    """A settled frame, marked for broadcast while it is small."""
    return F.broadcast(df) if rows <= BROADCAST_ROWS else df


def _prefixed(df: DataFrame, prefix: str) -> DataFrame:
    return df.select(*[F.col(c).alias(prefix + c) for c in df.columns])


def with_contact_key(region: DataFrame) -> DataFrame:
    """`region` with its contact_key (matching.extract.contact_key) where it has none yet."""
    if "contact_key" in region.columns:
        return region
    cols = [F.col(c) for c in ("kontakt_id", "cpr_key", "responsible_unit", "start_time", "type", "region_row_id")]
    return region.select("*", contact_key(*cols).alias("contact_key"))


def _marks(region: DataFrame, national: DataFrame) -> DataFrame:
    """Per LPR3 id not simply one region row and one national contact: the id's hashes
    (matching.extract.key_hash), the number of region rows (`_nr`) and of national contacts
    (`_nn`) with it. Counted over numbers: a hash aggregation of fixed-width rows, reading only
    the id columns."""
    # a row with an LPR3 id has it as its contact key; the rows without one are left by pass 1 anyway
    keys = region.where(F.col("kontakt_id").isNotNull()).select(
        *key_hash(F.col("kontakt_id")), F.lit(1).alias("_r"), F.lit(0).alias("_n")
    )
    ids = national.select(*key_hash(F.col("kontakt_id")), F.lit(0).alias("_r"), F.lit(1).alias("_n"))
    g = keys.unionByName(ids).groupBy("_h1", "_h2").agg(F.sum("_r").alias("_nr"), F.sum("_n").alias("_nn"))
    return g.where((F.col("_nr") > 1) | (F.col("_nn") == 0) | (F.col("_nr") == 0))


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


def pair(
    region: DataFrame,
    national: DataFrame,
    rules: MatchRules,
    pick: Callable[[DataFrame], DataFrame] | None = None,
) -> Paired:
    """The region rows (matching.extract.REGION_COLUMNS) and national contacts
    (grouping.national.NATIONAL_COLUMNS) paired; see the module text. `pick(keys)` gives the
    region rows whose contact_key is in `keys` and those without an LPR3 id
    (matching.extract.read_extract's `only`: their fields computed for them alone); by default a
    filter of `region`."""
    r_cols = ["region_row_id", *[f"r_{c}" for c in REGION_COLUMNS if c != "region_row_id"]]
    r = region.select("region_row_id", *[F.col(c).alias(f"r_{c}") for c in REGION_COLUMNS[1:]])
    n = _prefixed(national.select(*NATIONAL_COLUMNS), "n_")
    region = with_contact_key(region)
    marks, n_marks = settled(_marks(region, national))
    on_r = joinable(marks.where(F.col("_nr") >= 1).select("_h1", "_h2", "_nn"), n_marks)
    on_n = joinable(marks.where(F.col("_nr") == 0).select("_h1", "_h2"), n_marks)
    # the region rows of those keys (duplicates and rows pass 1 leaves), each with its key's lead
    lead = F.min("region_row_id").over(Window.partitionBy("contact_key"))
    marked = (
        (pick or partial(with_keys, region, "contact_key", keep=F.col("kontakt_id").isNull()))(on_r)
        .select("*", *key_hash(F.col("contact_key")))
        .join(on_r, ["_h1", "_h2"], "left")
        .select(*[F.col(c).alias(f"r_{c}") if c in REGION_COLUMNS[1:] else F.col(c) for c in REGION_COLUMNS],
                F.coalesce("_nn", F.lit(0)).alias("_nn"), lead.alias("_lead"))
    )  # fmt: skip
    # the national contacts pass 1 leaves, with what pass 2 compares
    left = with_keys(n.select(*[f"n_{c}" for c in PASS2_FIELDS]), "n_kontakt_id", on_n)
    marked_r, _ = settled(marked)
    left_n, _ = settled(left)
    cached = [marks, marked_r, left_n]
    is_lead = F.col("region_row_id") == F.col("_lead")
    left_r = marked_r.where(is_lead & (F.col("_nn") == 0)).select(*r_cols)
    dups = marked_r.where(~is_lead).select("region_row_id", F.col("_lead").alias("dup_of"))
    cand = _candidates(left_r, left_n, rules, same_patient=True)
    taken, _ = settled(_mutual_best(cand, rules.rounds))
    cached.append(taken)
    rest_r = left_r.join(taken.select("region_row_id"), "region_row_id", "left_anti")
    rest_n = left_n.join(taken.select("n_kontakt_id"), "n_kontakt_id", "left_anti")
    near = _candidates(rest_r, rest_n, rules, same_patient=False)
    near_r = near.groupBy("region_row_id").agg(F.min("n_kontakt_id").alias("near_patient"))
    near_n = near.groupBy("n_kontakt_id").agg(F.min("region_row_id").alias("near_patient"))
    lone, _ = settled(rest_r.join(near_r, "region_row_id", "left"))
    # per region row that does not simply pair on its id: its duplicate's lead, its pass-2 pair, its near miss
    r_marks, n_r = settled(
        dups.unionByName(taken.withColumnRenamed("n_kontakt_id", "_pair"), allowMissingColumns=True).unionByName(
            near_r, allowMissingColumns=True
        )
    )
    n_near, n_n = settled(near_n)
    cached += [lone, r_marks, n_near]
    keyed_r = r.join(joinable(r_marks, n_r), "region_row_id", "left")
    alone = F.concat(F.lit("~"), F.col("region_row_id"))  # unique, spread over the partitions
    key = F.when(F.col("dup_of").isNull(), F.coalesce("_pair", "r_kontakt_id")).otherwise(alone)
    keyed_r = keyed_r.select("*", F.coalesce(key, alone).alias("_key"))
    keyed_n = n.join(joinable(n_near.withColumnRenamed("near_patient", "_near_n"), n_n), "n_kontakt_id", "left")
    both = F.col("region_row_id").isNotNull() & F.col("n_kontakt_id").isNotNull()
    rows = keyed_r.join(keyed_n, F.col("_key") == F.col("n_kontakt_id"), "full_outer").select(
        *r_cols[:1],
        "dup_of",
        *r_cols[1:],
        *n.columns,
        F.when(both, F.when(F.col("_pair").isNotNull(), ATTRIBUTE_PASS).otherwise(ID_PASS)).alias("matched_on"),
        F.coalesce("near_patient", "_near_n").alias("near_patient"),
    )
    return Paired(rows=rows, lone=lone, cached=cached)
