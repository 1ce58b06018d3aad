"""The register as of every statement date at once, re-computing only the patients that changed.

A statement date k (0-11 the preliminary statements, 12 the final one) sees every version
reported by its as-of instant. A patient's courses and days can only change at a date where one of
the patient's objects got a version since the previous date: the patient's *change dates*. The
replica (patient, k) holds the patient's versions reported by date k, for each change date k, with
every id suffixed `@k`; `lprflow.state.register_state` over all replicas at once is then, per
replica, exactly the register as of date k for that patient (newest version decides, deletions
cascade, ties and orphans set aside). Between two change dates a patient's items stay as they
were, so each statement only regroups what changed since the one before, in one pass.

A child object belongs to the patient of its owner (a diagnosis to its contact's patient, a
procedure or payment to its forløbselement's patient), as named by the owner's newest version.
"""

from __future__ import annotations

import datetime as dt
from functools import reduce

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from lprflow.localtime import local_to_utc
from lprflow.schemas import table

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


def _suffix(c: Column) -> Column:
    return F.concat(c, F.lit(SEP), F.col("k").cast("string"))


def replicate(tags: dict[str, DataFrame], changes: DataFrame) -> dict[str, DataFrame]:
    """The versions of every replica (patient, change date k), ids suffixed `@k`, in the register's
    schema (versions without a patient stay unreplicated: the state sets them aside as orphans)."""
    out = {}
    for name, df in tags.items():
        spec = table(name)
        ids = {spec.key, *spec.owners} | ({"patient_id"} & set(spec.columns))
        rep = df.join(changes, "_p").where(F.col("k") >= F.col("_w"))
        out[name] = rep.select(*[_suffix(F.col(c)).alias(c) if c in ids else F.col(c) for c in spec.columns])
    return out


def split_id(c: Column) -> tuple[Column, Column]:
    """(the original id, the statement date k) of a suffixed id."""
    return F.regexp_extract(c, r"^(.*)@(\d+)$", 1), F.regexp_extract(c, r"^(.*)@(\d+)$", 2).cast("int")
