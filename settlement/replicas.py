"""The register as of every statement date at once, re-computing only the patients that changed.

A statement date k (0-11 the preliminary statements, 12 the final one) sees every version
reported by its as-of instant. A patient's courses and days can only change at a date where one of
the patient's objects got a version since the previous date: the patient's *change dates*. The
replica (patient, k) holds the patient's versions reported by date k, for each change date k, with
every id suffixed `@k`; `lprflow.state.register_state` over all replicas at once is then, per
replica, exactly the register as of date k for that patient (newest version decides, deletions
cascade, ties and orphans set aside). Between two change dates a patient's items stay as they
were, so each statement only regroups what changed since the one before, in one pass.

A replica holds only the part of the patient's history a change can reach: its *region*, the
contacts from the replica's *cut* on (`region_cuts`). Courses and regional courses join contacts
that overlap or follow within a gap, so the contacts seen by a date fall into islands (each
contact's span over all its versions, padded by the widest gap) that no course crosses; the cut is
the start of the island of the earliest contact the change touched (its own version, a diagnosis,
procedure or payment of it, or a change of its forløbselement that reaches it). A change to the
patient or a residence reaches everything: the cut is then the beginning of time, as it is for a
patient's first change date.
Cuts are made non-decreasing over a patient's dates (each is the smallest of its own and the later
ones'), so each replica's region lies within the one before: an item of a replica whose course
starts before the next replica's cut is never regrouped again and is final.

A child object belongs to the patient of its owner (a diagnosis to its contact's patient, a
procedure or payment to its forløbselement's patient), as named by the owner's newest version.
"""

from __future__ import annotations

import datetime as dt
from functools import reduce

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from lprflow.localtime import local_to_utc
from lprflow.schemas import table

BEGINNING = dt.datetime(1900, 1, 1)  # the cut of a replica that holds everything
END = dt.datetime(9999, 12, 31)  # the cut of a replica whose change reaches no contact

# what the items need: courses (contacts, diagnoses, procedures), residence, payments
TABLES_USED = ("patient", "bopael", "forloebselement", "kontakt", "diagnose", "procedure", "betalingsoplysning")
SEP = "@"
_VIA = {"diagnose": ("kontakt", "kontakt_id"), "procedure": ("forloebselement", "forloebselement_id")}
_VIA["betalingsoplysning"] = _VIA["procedure"]


def statement_instants(dates: list[dt.date]) -> list[dt.datetime]:
    """Each as-of date at 00:00 Danish time, as a naive UTC instant (the register's times)."""
    return [local_to_utc(dt.datetime.combine(d, dt.time())) for d in dates]


def window_index(reported_at: Column, instants: list[dt.datetime]) -> Column:
    """The first statement date that sees a version reported at `reported_at` (null: none does)."""
    out = F.lit(None).cast("int")
    for k in reversed(range(len(instants))):
        out = F.when(reported_at <= F.lit(instants[k]), F.lit(k)).otherwise(out)
    return out


def _owner_patient(versions: dict[str, DataFrame], name: str) -> DataFrame:
    key = table(name).key
    return versions[name].groupBy(key).agg(F.max_by("patient_id", "reported_at").alias("_p"))


def tagged(versions: dict[str, DataFrame], instants: list[dt.datetime]) -> dict[str, DataFrame]:
    """Per table used: every version seen by some statement date, with its patient `_p` and the
    first date that sees it `_w`."""
    owners = {name: _owner_patient(versions, name) for name in ("kontakt", "forloebselement")}
    out = {}
    for name in TABLES_USED:
        df = versions[name].withColumn("_w", window_index(F.col("reported_at"), instants))
        df = df.where(F.col("_w").isNotNull())
        if name in _VIA:
            owner, column = _VIA[name]
            df = df.join(owners[owner].withColumnRenamed(table(owner).key, column), column, "left")
        else:
            df = df.withColumn("_p", F.col("patient_id"))
        out[name] = df
    return out


def change_dates(tags: dict[str, DataFrame]) -> DataFrame:
    """(`_p`, `k`): the statement dates at which a patient's data changed."""
    parts = [df.select("_p", F.col("_w").alias("k")) for df in tags.values()]
    return reduce(DataFrame.unionByName, parts).where(F.col("_p").isNotNull()).distinct()


def _touched_by_forloebselement(
    tags: dict[str, DataFrame], kv: DataFrame, spans: DataFrame, gap_hours: float
) -> DataFrame:
    """(`_p`, `k`, `kontakt_id`): the contacts a forløbselement's change at date k reaches. Its
    first version, a deletion or two versions at one date reach all its contacts (their status
    follows it); otherwise only its end can have changed, and a course reads that end (its
    discharge) only when it ends within the gap before it: the contacts ending that late."""
    fev = tags["forloebselement"].select(
        "_p",
        "forloebselement_id",
        F.col("_w").alias("_fw"),
        "end_time",
        F.coalesce("deleted", F.lit(False)).alias("_d"),
    )
    at = fev.select("_p", "forloebselement_id", F.col("_fw").alias("k")).distinct()
    per = (
        at.join(fev, ["_p", "forloebselement_id"])
        .where(F.col("_fw") <= F.col("k"))
        .groupBy("_p", "forloebselement_id", "k")
        .agg(
            (F.min("_fw") == F.col("k")).alias("_new"),
            F.max("_d").alias("_del"),
            (F.count_if(F.col("_fw") == F.col("k")) > 1).alias("_twice"),
            F.min("end_time").alias("_end"),  # the earliest end any of its versions gave
        )
    )
    contacts = kv.select("_p", "forloebselement_id", "kontakt_id", "_w").join(per, ["_p", "forloebselement_id"])
    contacts = contacts.where(F.col("_w") <= F.col("k")).join(spans, ["_p", "k", "kontakt_id"])
    gap = F.expr(f"make_dt_interval(0, 0, 0, {float(gap_hours) * 3600})")
    reached = F.col("_new") | F.col("_del") | F.col("_twice") | (F.col("span_end") + gap >= F.col("_end"))
    return contacts.where(reached).select("_p", "k", "kontakt_id")


def _touched(
    tags: dict[str, DataFrame], changes: DataFrame, spans: DataFrame, gap_hours: float
) -> tuple[DataFrame, DataFrame]:
    """((`_p`, `k`, `kontakt_id`) the contacts a change at date k touched; (`_p`, `k`) the replicas
    whose change reaches everything)."""
    kv = tags["kontakt"].select("_p", "kontakt_id", "forloebselement_id", "_w")
    own = kv.where(F.col("_w").isNotNull()).select("_p", F.col("_w").alias("k"), "kontakt_id")
    parts = [own, _touched_by_forloebselement(tags, kv, spans, gap_hours)]
    full = [tags[n].select("_p", F.col("_w").alias("k")) for n in ("patient", "bopael")]
    moved = []
    for name in ("diagnose", "procedure", "betalingsoplysning"):
        key = table(name).key
        child = tags[name].where(F.col("kontakt_id").isNotNull())
        changed = child.select("_p", key, F.col("_w").alias("k")).distinct()
        # every contact any version of a changed child pointed at by then (a move touches both)
        pointed = child.select("_p", key, "kontakt_id", F.col("_w").alias("_cw"))
        hit = changed.join(pointed, ["_p", key]).where(F.col("_cw") <= F.col("k"))
        parts.append(hit.select("_p", "k", "kontakt_id"))
        # a child whose versions point at different contacts: its place cannot be cut, take everything
        many = tags[name].groupBy("_p", key).agg(F.count_distinct("kontakt_id").alias("_n")).where(F.col("_n") > 1)
        moved.append(many.select("_p").join(changes, "_p").select("_p", "k"))
    touched = reduce(DataFrame.unionByName, parts).distinct()
    everything = reduce(DataFrame.unionByName, full + moved).where(F.col("_p").isNotNull()).distinct()
    return touched, everything


def contact_spans(tags: dict[str, DataFrame], changes: DataFrame) -> DataFrame:
    """(`_p`, `k`, `kontakt_id`, `span_start`, `span_end`): each contact seen by date k, from the
    earliest start to the latest end of its versions by then. A version without an end is an open
    contact, in no course (`grouping.courses`): it reaches no further than its start. No start:
    the beginning of time."""
    kv = tags["kontakt"].select(
        "_p",
        "kontakt_id",
        F.coalesce("start_time", F.lit(BEGINNING)).alias("_s"),
        F.coalesce("end_time", "start_time", F.lit(BEGINNING)).alias("_e"),
        "_w",
    )
    seen = kv.join(changes, "_p").where(F.col("k") >= F.col("_w"))
    return seen.groupBy("_p", "k", "kontakt_id").agg(F.min("_s").alias("span_start"), F.max("_e").alias("span_end"))


def region_cuts(tags: dict[str, DataFrame], changes: DataFrame, spans: DataFrame, gap_hours: float) -> DataFrame:
    """(`_p`, `k`, `cut`): the start of each replica's region (see the module docstring); `gap_hours`
    is the widest gap by which courses or regional courses join contacts."""
    touched, everything = _touched(tags, changes, spans, gap_hours)
    order = Window.partitionBy("_p", "k").orderBy("span_start", "kontakt_id")
    gap = F.expr(f"make_dt_interval(0, 0, 0, {float(gap_hours) * 3600})")
    reach = F.max(F.col("span_end") + gap).over(order.rowsBetween(Window.unboundedPreceding, -1))
    island = spans.withColumn("_new", reach.isNull() | (F.col("span_start") > reach))
    island = island.withColumn(
        "_island",
        F.max(F.when(F.col("_new"), F.col("span_start"))).over(order.rowsBetween(Window.unboundedPreceding, 0)),
    )
    hit = island.join(touched.withColumn("_t", F.lit(True)), ["_p", "k", "kontakt_id"], "left")
    raw = hit.groupBy("_p", "k").agg(F.min(F.when(F.col("_t"), F.col("_island"))).alias("_c"))
    first = Window.partitionBy("_p").orderBy("k")
    cuts = changes.join(raw, ["_p", "k"], "left").join(everything.withColumn("_all", F.lit(True)), ["_p", "k"], "left")
    cuts = cuts.withColumn("_first", F.row_number().over(first) == 1)
    own = F.when(F.col("_first") | F.coalesce("_all", F.lit(False)), F.lit(BEGINNING)).otherwise(
        F.coalesce("_c", F.lit(END))
    )
    later = Window.partitionBy("_p").orderBy(F.desc("k")).rowsBetween(Window.unboundedPreceding, 0)
    return cuts.withColumn("_own", own).select("_p", "k", F.min("_own").over(later).alias("cut"))


def _suffix(c: Column) -> Column:
    return F.concat(c, F.lit(SEP), F.col("k").cast("string"))


def replicate(
    tags: dict[str, DataFrame], changes: DataFrame, spans: DataFrame | None = None, cuts: DataFrame | None = None
) -> dict[str, DataFrame]:
    """The versions of every replica (patient, change date k), ids suffixed `@k`, in the register's
    schema (versions without a patient stay unreplicated: the state sets them aside as orphans).

    With `spans` and `cuts` a replica holds only its region: the contacts whose span starts at or
    after its cut, and the diagnoses, procedures and payments on them (those on no contact stay)."""
    region = None
    if spans is not None and cuts is not None:
        region = (
            spans.join(cuts, ["_p", "k"]).where(F.col("span_start") >= F.col("cut")).select("_p", "k", "kontakt_id")
        )
    out = {}
    for name, df in tags.items():
        spec = table(name)
        ids = {spec.key, *spec.owners} | ({"patient_id"} & set(spec.columns))
        rep = df.join(changes, "_p").where(F.col("k") >= F.col("_w"))
        if region is not None and "kontakt_id" in spec.columns:
            inside = region.withColumn("_in", F.lit(True))
            rep = rep.join(inside, ["_p", "k", "kontakt_id"], "left")
            rep = rep.where(F.col("_in") | F.col("kontakt_id").isNull()) if name != "kontakt" else rep.where("_in")
        out[name] = rep.select(*[_suffix(F.col(c)).alias(c) if c in ids else F.col(c) for c in spec.columns])
    return out


def split_id(c: Column) -> tuple[Column, Column]:
    """(the original id, the statement date k) of a suffixed id."""
    return F.regexp_extract(c, r"^(.*)@(\d+)$", 1), F.regexp_extract(c, r"^(.*)@(\d+)$", 2).cast("int")
