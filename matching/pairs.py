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

How (docs/MATCHING.md, "How it is computed"): step 2 is one full outer join of the two sides on
the id (`first_pass`) for the ids on one region row; the ids on more than one row
(`duplicated_ids`, a narrow count of the extract's ids while its rows are read) are held back on
the national side, so the join needs no window (and no sort) to find an id's lead. Each row of
the join is a pair on the id with nothing different (the join's condition) or left, one side's
row (a held-back id's rows, a region row without an id or without a national contact, a
national contact without a region row, both rows of a pair on the id that differs), marked by
`LEFT`. What is left is few in a region that reports well: step 1, the pairs on the id of what is
left, and steps 3 and 4 run on it as small frames (`second_pass`).

Columns of both results: `region_row_id`, `dup_of`, `r_<field>` for the region side (without the
birth date and sex), `n_<column>` for the national side, `matched_on`, `near_patient`.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyspark.sql import Column, DataFrame, Observation, Window
from pyspark.sql import functions as F

from grouping.national import NATIONAL_COLUMNS
from matching.config import MatchRules
from matching.extract import REGION_COLUMNS, contact_key
from matching.keys import FEW_KEYS, Keys

ID_PASS, ATTRIBUTE_PASS = "kontakt_id", "patient_unit_start"
# the region fields pairing carries (the birth date and sex are read only to group a lone row)
R_FIELDS = [c for c in REGION_COLUMNS[1:] if c not in ("birth_date", "sex")]
R_COLUMNS = ["region_row_id", *[f"r_{c}" for c in R_FIELDS]]
# the national fields the output shows (the contact's own group and value are not compared)
N_FIELDS = [c for c in NATIONAL_COLUMNS if c not in ("own_drg", "own_value")]
N_COLUMNS = [f"n_{c}" for c in N_FIELDS]
# first_pass's column: the row is left to the second pass
LEFT = "first_pass_left"
# a checkpointed frame of at most this many rows is broadcast to the joins that read it rather
# than shuffled with the data (an engineering limit: ~100 bytes a row)
BROADCAST_ROWS = 2_000_000
LONE_KEYS = ("region_row_id", "r_cpr_key", "r_kontakt_id")  # what is looked up of a lone row


@dataclass
class Paired:
    rows: DataFrame  # one row per region row and per national contact not paired, one per pair
    lone: DataFrame  # region rows only in the region, not duplicates: region_row_id, r_*, near_patient
    pairs: DataFrame  # the pairs it takes: region_row_id, n_kontakt_id, _on (settled)
    cached: list[DataFrame]  # checkpointed parts; unpersist when done
    n_lone: int  # rows of `lone`
    n_lone_no_id: int  # rows of `lone` without an LPR3 id
    lone_values: dict[str, list[str]] | None  # LONE_KEYS of `lone` on the driver, when few (keys_of)

    def lone_keys(self, column: str) -> Keys:
        """The values of `column` (one of LONE_KEYS) in `lone`: a list when they are few."""
        return self.lone_values[column] if self.lone_values is not None else self.lone.select(column)


def settled(df: DataFrame) -> tuple[DataFrame, int]:
    """`df` computed once (checkpointed) and its row count, counted as it is computed (no job of
    its own)."""
    rows = Observation()
    df = df.observe(rows, F.count(F.lit(1)).alias("rows")).localCheckpoint()
    return df, rows.get["rows"]


def settled_keys(df: DataFrame, column: str) -> tuple[DataFrame, int, list[str]]:
    """`settled`, and the values of `column` (distinct, sorted, without null) gathered as it is
    computed: for a frame known to be few rows (at most FEW_KEYS)."""
    got = Observation()
    df = df.observe(got, F.count(F.lit(1)).alias("rows"), F.collect_set(column).alias("keys")).localCheckpoint()
    return df, got.get["rows"], sorted(got.get["keys"])


def joinable(df: DataFrame, rows: int) -> DataFrame:
    """A settled frame, marked for broadcast while it is small."""
    return F.broadcast(df) if rows <= BROADCAST_ROWS else df


def region_side(region: DataFrame) -> DataFrame:
    """The extract's rows (matching.extract.REGION_COLUMNS) as pairing's region side (R_COLUMNS)."""
    return region.select("region_row_id", *[F.col(c).alias(f"r_{c}") for c in R_FIELDS])


def national_side(national: DataFrame) -> DataFrame:
    """The national contacts (grouping.national.NATIONAL_COLUMNS) as pairing's national side."""
    return national.select(*[F.col(c).alias(f"n_{c}") for c in N_FIELDS])


def id_hash(kontakt_id: Column) -> Column:
    """A 64-bit hash of an LPR3 id (null without one): the first pass holds ids back by it, so
    counting them shuffles a long per row, not the id (a collision only holds back one id more,
    which the second pass pairs on the id the same)."""
    return F.when(kontakt_id.isNotNull(), F.xxhash64(kontakt_id))


def duplicated_ids(ids: DataFrame) -> DataFrame:
    """The LPR3 ids on more than one row of `ids` (a region side, R_COLUMNS, or only its column
    r_kontakt_id) by their `id_hash` (column id_hash): what `first_pass` must hold back."""
    return (
        ids.where(F.col("r_kontakt_id").isNotNull())
        .groupBy(id_hash(F.col("r_kontakt_id")).alias("id_hash"))
        .count()
        .where(F.col("count") > 1)
        .select("id_hash")
    )


def first_pass(region: DataFrame, national: DataFrame, held: DataFrame, same: Column | None = None) -> DataFrame:
    """Step 2 for the LPR3 ids, in one full outer join of `region` (R_COLUMNS) and `national`
    (N_COLUMNS): a pair per id of both sides, the rest marked `LEFT` (a region row without an id
    is its own key, so it is left). `held` (column id_hash): the `id_hash` of ids not paired here,
    at least of every id on more than one region row, since the join takes each region row on its
    own (`duplicated_ids` of the same region). A held-back id's national contact has no key, so
    it meets none of its region rows: both sides' rows of it are left to the second pass, which
    finds the duplicates and pairs the lead on the id. The ids are held back on the national side
    so that the region side, the larger scan, need not wait for their count: it is read while they
    are counted, and the national side then. `same` (of a pair's r_ and n_ columns, never null):
    the join's condition besides the id, so a pair on the id that fails it leaves both its rows,
    each on its own, to the second pass as well (which pairs them on the id the same)."""
    alone = F.concat(F.lit("~"), F.col("region_row_id"))  # unique, spread over the partitions
    r = region.select(*R_COLUMNS, F.coalesce(F.col("r_kontakt_id"), alone).alias("_key"))
    mark = F.broadcast(held.select(F.col("id_hash").alias("_held")))
    national = national.join(mark, id_hash(F.col("n_kontakt_id")) == F.col("_held"), "left")
    n = national.select(*N_COLUMNS, F.when(F.col("_held").isNull(), F.col("n_kontakt_id")).alias("_n_key"))
    on = F.col("_key") == F.col("_n_key")  # a held-back id's national contact: no key, no pair
    joined = r.join(n, on if same is None else on & same, "full_outer")
    pair = F.col("region_row_id").isNotNull() & F.col("n_kontakt_id").isNotNull()
    return joined.select(
        "region_row_id",
        F.lit(None).cast("string").alias("dup_of"),
        *R_COLUMNS[1:],
        *N_COLUMNS,
        F.when(pair, F.lit(ID_PASS)).alias("matched_on"),
        F.lit(None).cast("string").alias("near_patient"),
        (~pair).alias(LEFT),
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


def _mutual_best(cand: DataFrame, rounds: int) -> tuple[DataFrame, list[DataFrame]]:
    """One-to-one pairs: in each round the pairs that are each other's best. The candidates are
    computed once and each round's pairs are checkpointed (one small action a round), so neither a
    round's plan nor the candidates' grows with the rounds; the rounds stop early when no candidate
    is left (counted in the round's own action: a candidate whose region row and national contact
    are both untaken). Returns the pairs and the checkpointed frames (unpersist when done)."""
    by_r = Window.partitionBy("region_row_id").orderBy("d_start", F.asc_nulls_last("d_end"), "n_kontakt_id")
    by_n = Window.partitionBy("n_kontakt_id").orderBy("d_start", F.asc_nulls_last("d_end"), "region_row_id")
    rest = cand.localCheckpoint()
    cached = [rest]
    taken: list[DataFrame] = []
    is_top = (F.col("_rr") == 1) & (F.col("_rn") == 1)
    taken_by = [F.max(is_top).over(Window.partitionBy(c)) for c in ("region_row_id", "n_kontakt_id")]
    for i in range(rounds):
        ranked = rest.select("*", F.row_number().over(by_r).alias("_rr"), F.row_number().over(by_n).alias("_rn"))
        left = Observation()
        free = ~taken_by[0] & ~taken_by[1]  # neither side taken this round: a candidate of the next
        counted = ranked.select("*", free.alias("_free")).observe(left, F.count_if("_free").alias("free"))
        top = counted.where(is_top).select("region_row_id", "n_kontakt_id").localCheckpoint()
        cached.append(top)
        taken.append(top)
        if i == rounds - 1 or left.get["free"] == 0:
            break
        rest = rest.join(top.select("region_row_id"), "region_row_id", "left_anti").join(
            top.select("n_kontakt_id"), "n_kontakt_id", "left_anti"
        )  # a few anti joins on checkpointed frames: computed again where read, not kept
    out = taken[0]
    for t in taken[1:]:
        out = out.unionByName(t)
    return out, cached


def second_pass(left_r: DataFrame, left_n: DataFrame, rules: MatchRules) -> Paired:
    """Steps 1, 2 (the ids first_pass held back or left as a pair that differs), 3 and 4 on what
    first_pass left: `left_r` (R_COLUMNS) and `left_n` (N_COLUMNS), each read many times (pass
    them settled)."""
    key = contact_key(*[F.col(c) for c in ("r_kontakt_id", "r_cpr_key", "r_responsible_unit", "r_start_time",
                                           "r_type", "region_row_id")])  # fmt: skip
    lead = F.min("region_row_id").over(Window.partitionBy("_ck"))
    marked = left_r.select("*", key.alias("_ck")).select("*", lead.alias("_lead")).localCheckpoint()
    cached = [marked]
    is_lead = F.col("region_row_id") == F.col("_lead")
    leads = marked.where(is_lead).select(*R_COLUMNS)
    dups = marked.where(~is_lead).select("region_row_id", F.col("_lead").alias("dup_of"))
    by_id = leads.select("region_row_id", F.col("r_kontakt_id").alias("n_kontakt_id")).join(
        left_n.select("n_kontakt_id"), "n_kontakt_id"
    )  # the ids the first pass held back or left
    attr_r = leads.join(by_id.select("region_row_id"), "region_row_id", "left_anti")
    attr_n = left_n.join(by_id.select("n_kontakt_id"), "n_kontakt_id", "left_anti")
    by_attrs, best_cached = _mutual_best(_candidates(attr_r, attr_n, rules, same_patient=True), rules.rounds)
    taken = (
        by_id.select("region_row_id", "n_kontakt_id", F.lit(ID_PASS).alias("_on"))
        .unionByName(by_attrs.select("*", F.lit(ATTRIBUTE_PASS).alias("_on")))
        .localCheckpoint()
    )
    cached += [taken, *best_cached]
    rest_r = leads.join(taken.select("region_row_id"), "region_row_id", "left_anti")
    rest_n = left_n.join(taken.select("n_kontakt_id"), "n_kontakt_id", "left_anti")
    near = _candidates(rest_r, rest_n, rules, same_patient=False).localCheckpoint()  # read three times below
    cached.append(near)
    near_r = near.groupBy("region_row_id").agg(F.min("n_kontakt_id").alias("near_patient"))
    near_n = near.groupBy("n_kontakt_id").agg(F.min("region_row_id").alias("_near_n"))
    counted = Observation()  # counted as it is computed (lookups and value need the numbers)
    lone = (
        rest_r.join(near_r, "region_row_id", "left")
        .observe(counted, F.count(F.lit(1)).alias("rows"), F.count_if(F.col("r_kontakt_id").isNull()).alias("no_id"))
        .localCheckpoint()
    )
    # per region row: its duplicate's lead, its pass-2 pair, its near miss
    r_marks, n_r = settled(
        dups.unionByName(taken.withColumnRenamed("n_kontakt_id", "_pair"), allowMissingColumns=True).unionByName(
            near_r, allowMissingColumns=True
        )
    )
    n_near, n_n = settled(near_n)
    cached += [lone, r_marks, n_near]
    keyed_r = marked.select(*R_COLUMNS).join(joinable(r_marks, n_r), "region_row_id", "left")
    alone = F.concat(F.lit("~"), F.col("region_row_id"))  # a duplicate or a row without a pair
    keyed_r = keyed_r.select("*", F.coalesce(F.when(F.col("dup_of").isNull(), F.col("_pair")), alone).alias("_key"))
    keyed_n = left_n.join(joinable(n_near, n_n), "n_kontakt_id", "left")
    both = F.col("region_row_id").isNotNull() & F.col("n_kontakt_id").isNotNull()
    rows = keyed_r.join(keyed_n, F.col("_key") == F.col("n_kontakt_id"), "full_outer").select(
        "region_row_id",
        "dup_of",
        *R_COLUMNS[1:],
        *N_COLUMNS,
        F.when(both, F.col("_on")).alias("matched_on"),
        F.coalesce("near_patient", "_near_n").alias("near_patient"),
    )
    n = counted.get
    values = None
    if n["rows"] <= FEW_KEYS:  # what the lookups and the value ask of them, on the driver: one small job
        got = lone.select(*LONE_KEYS).collect()
        values = {c: sorted({r[c] for r in got if r[c] is not None}) for c in LONE_KEYS}
    return Paired(
        rows=rows, lone=lone, pairs=taken, cached=cached, n_lone=n["rows"], n_lone_no_id=n["no_id"],
        lone_values=values,
    )  # fmt: skip
