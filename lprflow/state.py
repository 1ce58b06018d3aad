"""The register as of a time: which objects are current, which are gone, which are set aside.

`register_state(versions, at)` is the one definition of "the register as of T" that every job
uses. Per object, from its versions reported at or before T (the newest decides):

  deleted       its newest version is a deletion, or an object it belongs to (its parent, or the
                contact a procedure or payment hangs on) is deleted: in LPR3 removing an object
                removes everything that points to it, so the removal cascades down the tree
  quarantined   set aside, not validated, not grouped, each with an integrity finding:
                  tie              two or more versions share the newest report time: which one
                                   holds cannot be known
                  orphan           an object it belongs to was never reported by T (or the
                                   parent column is empty)
                  owner_set_aside  an object it belongs to is itself quarantined
  current       everything else: the rows every job reads (`RegisterState.tables`)

Earlier versions of every object are `superseded`; versions reported after T are `after_as_of`.
`RegisterState.accounting` proves, per table, read = after_as_of + superseded + deleted +
quarantined + current, with `read` taken from the Parquet footers, not from Spark.

The statuses are computed on narrow frames (id, report time, deletion flag, region and the owner
columns): one window per table and one join per owner column, top down. The full rows of the
current objects are the single-table newest rows (`lprflow.register.as_of`, whose window needs
every column, so all consumers of a table share its shuffle) kept by a semi join on the id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import reduce

from pyspark import StorageLevel
from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from lprflow.register import as_of, parse_time
from lprflow.schemas import TABLES, table

REASONS = ("tie", "orphan", "owner_set_aside")  # why an object is quarantined
COUNTS = ("after_as_of", "superseded", "deleted", "quarantined", "current")
_OWNER_TABLE = {t.key: t.name for t in TABLES.values()}


class AccountingError(RuntimeError):
    """Rows read and rows accounted for differ: the register changed while it was read."""


def semi_in(df: DataFrame, column: str, values: DataFrame) -> DataFrame:
    """The rows of `df` whose `column` is among the values of `values`' first column (a small frame,
    broadcast: a scan of `df`, no shuffle)."""
    wanted = F.broadcast(values.select(F.col(values.columns[0]).alias("_in")).distinct())
    return df.join(wanted, df[column] == wanted["_in"], "left_semi")


def any_in(df: DataFrame, wanted: Mapping[str, DataFrame]) -> DataFrame:
    """The rows of `df` where some column of `wanted` is among the values of its frame's first
    column (`semi_in` for one column; for several, one scan of `df` with a broadcast left join per
    column, each set distinct so no row is repeated)."""
    if len(wanted) == 1:
        ((column, values),) = wanted.items()
        return semi_in(df, column, values)
    found = []
    for i, (column, values) in enumerate(wanted.items()):
        flag = f"_in{i}"
        known = F.broadcast(
            values.select(F.col(values.columns[0]).alias(flag)).where(F.col(flag).isNotNull()).distinct()
        )
        df = df.join(known, df[column] == known[flag], "left")
        found.append(F.col(flag).isNotNull())
    return df.where(reduce(Column.__or__, found)).drop(*[f"_in{i}" for i in range(len(wanted))])


def _newest(versions: DataFrame, name: str, at: dt.datetime | None) -> DataFrame:
    """Per object reported by `at`: its newest version's narrow columns, the number of its versions
    and the number of versions at the newest report time."""
    spec = table(name)
    cols = [spec.key, "reported_at", "deleted", "region", *spec.owners]
    rows = versions.select(*cols)
    if at is not None:
        rows = rows.where(F.col("reported_at") <= F.lit(at))
    order = [F.desc("reported_at"), F.desc("deleted"), *[F.desc_nulls_last(c) for c in (*spec.owners, "region")]]
    newest_first = Window.partitionBy(spec.key).orderBy(*order)
    every = newest_first.rowsBetween(Window.unboundedPreceding, Window.unboundedFollowing)
    # ordered by time only, the default frame of the first row holds exactly the rows of its time
    same_time = Window.partitionBy(spec.key).orderBy(F.desc("reported_at"))
    labeled = rows.select(
        *cols,
        F.row_number().over(newest_first).alias("_rn"),
        F.count(F.lit(1)).over(every).alias("versions"),
        F.count(F.lit(1)).over(same_time).alias("at_newest"),
    )
    return labeled.where(F.col("_rn") == 1).drop("_rn")


def _first(pairs: list[tuple[Column, Column]]) -> Column:
    """The value of the first pair whose condition holds (null if none)."""
    return F.coalesce(*[F.when(cond, value) for cond, value in pairs]) if pairs else F.lit(None)


def _resolve(newest: DataFrame, name: str, resolved: dict[str, DataFrame]) -> DataFrame:
    """`newest` with status, reason and the owner that decided it, from the owners' statuses."""
    spec = table(name)
    df = newest
    owner_status: dict[str, Column] = {}
    for i, column in enumerate(spec.owners):
        owner = resolved[_OWNER_TABLE[column]].select(F.col("_id").alias(f"_o{i}"), F.col("status").alias(f"_s{i}"))
        owner = owner.hint("shuffle_hash")  # never a broadcast: a region-year has millions of ids
        df = df.join(owner, df[column] == owner[f"_o{i}"], "left").drop(f"_o{i}")
        owner_status[column] = F.col(f"_s{i}")
    # an empty parent column is an orphan; an empty secondary owner (a procedure on the
    # forløbselement, not on a contact) is simply not set
    missing = {
        c: F.col(c).isNull() | s.isNull() if c == spec.parent else F.col(c).isNotNull() & s.isNull()
        for c, s in owner_status.items()
    }
    deleted = [(s == "deleted", F.lit(c)) for c, s in owner_status.items()]
    orphan = [(missing[c], F.lit(c)) for c in owner_status]
    set_aside = [(s == "quarantined", F.lit(c)) for c, s in owner_status.items()]
    own = F.when(F.col("at_newest") > 1, "tie").when(F.col("deleted"), "deleted")
    reason = F.coalesce(
        own,
        F.when(_first(deleted).isNotNull(), "deleted_with_owner"),
        F.when(_first(orphan).isNotNull(), "orphan"),
        F.when(_first(set_aside).isNotNull(), "owner_set_aside"),
    )
    owner_column = F.when(own.isNull(), F.coalesce(_first(deleted), _first(orphan), _first(set_aside)))
    status = (
        F.when(reason.isNull(), "current")
        .when(reason.isin("deleted", "deleted_with_owner"), "deleted")
        .otherwise("quarantined")
    )
    owner_id = _first([(owner_column == F.lit(c), F.col(c)) for c in spec.owners])
    return df.select(
        F.lit(name).alias("table"),
        F.col(spec.key).alias("_id"),
        "reported_at",
        "region",
        "versions",
        "at_newest",
        status.alias("status"),
        reason.alias("reason"),
        owner_column.cast("string").alias("owner_column"),
        owner_id.cast("string").alias("owner_id"),
    )


@dataclass
class RegisterState:
    """The register as of `at`: current rows per table, and every object's status."""

    at: dt.datetime | None
    tables: dict[str, DataFrame]
    objects: dict[str, DataFrame] = field(repr=False)
    versions: dict[str, DataFrame] = field(repr=False)

    def __enter__(self) -> RegisterState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def release(self) -> None:
        """Drop the persisted object statuses (call when the job's outputs are written)."""
        for df in self.objects.values():
            df.unpersist()

    def rows_in(self, name: str, wanted: Mapping[str, DataFrame]) -> DataFrame:
        """The current rows of table `name` where some column of `wanted` is among the values of its
        frame's first column (small frames, broadcast): `tables[name]` filtered by `any_in`,
        computed from the versions of the objects it can hold only, so it costs in proportion to
        them, not to the table (`tables[name]` takes every object's newest version before any
        filter above it). Several columns are one lookup: one scan of the versions for all of them.

        On the object id alone the versions are filtered before the as-of window, which partitions
        by that id. On another column an object's column may differ between its versions: every
        version of each object that has a value in some version is kept (a second scan, by id),
        the newest decides, and the filter is applied again to the newest rows."""
        spec = table(name)
        versions = self.versions[name]
        rows = any_in(versions, wanted)
        if self.at is not None:
            rows = rows.where(F.col("reported_at") <= F.lit(self.at))
        ids = rows.select(spec.key)
        by_id = set(wanted) == {spec.key}
        if not by_id:
            rows = semi_in(versions, spec.key, ids)
        live = semi_in(self.objects[name], "_id", ids).where(F.col("status") == "current")
        newest = semi_in(as_of(rows, name, self.at), spec.key, live.select("_id"))
        if not by_id:
            newest = any_in(newest, wanted)
        return newest.select(*spec.columns)

    def set_aside(self) -> DataFrame:
        """One row per quarantined object: table, id, reason, the owner that decided it."""
        rows = [df.where(F.col("status") == "quarantined") for df in self.objects.values()]
        return reduce(DataFrame.unionByName, rows).withColumnRenamed("_id", "object_id")

    def accounting(self, versions: dict[str, DataFrame], read: dict[str, int]) -> dict[str, dict[str, int]]:
        """Per table: rows read (from the footers) and where each went; one small Spark job.

        Raises AccountingError when the parts do not add up to the rows read."""
        parts = []
        for name, objects in self.objects.items():
            tie = F.col("reason") == "tie"
            newest_rows = F.when(tie, F.col("at_newest")).otherwise(F.lit(1))
            parts.append(
                objects.groupBy().agg(
                    F.lit(name).alias("table"),
                    F.lit(0).cast("long").alias("after_as_of"),
                    F.sum(F.col("versions") - newest_rows).alias("superseded"),
                    F.count_if(F.col("status") == "deleted").alias("deleted"),
                    F.sum(F.when(F.col("status") == "quarantined", newest_rows).otherwise(0)).alias("quarantined"),
                    F.count_if(F.col("status") == "current").alias("current"),
                    F.count_if(F.col("reason") == "deleted_with_owner").alias("deleted_with_owner"),
                    F.count_if(tie).alias("objects_tied"),
                )
            )
            if self.at is not None:
                later = versions[name].where(F.col("reported_at") > F.lit(self.at))
                parts.append(later.groupBy().agg(F.lit(name).alias("table"), F.count(F.lit(1)).alias("after_as_of")))
        merged = reduce(lambda a, b: a.unionByName(b, allowMissingColumns=True), parts)
        sums = merged.groupBy("table").agg(*[F.sum(F.coalesce(c, F.lit(0))).alias(c) for c in merged.columns[1:]])
        out: dict[str, dict[str, int]] = {}
        for row in sums.collect():  # one row per table
            counts = {k: int(row[k] or 0) for k in sums.columns[1:]}
            out[row["table"]] = {"read": read[row["table"]], **counts}
        for name, c in out.items():
            if c["read"] != sum(c[k] for k in COUNTS):
                raise AccountingError(
                    f"table '{name}': {c['read']} rows read but {sum(c[k] for k in COUNTS)} accounted for ({c})"
                )
        return {name: out[name] for name in self.objects}


def register_state(
    versions: dict[str, DataFrame], at: dt.datetime | str | None, persist: bool = False
) -> RegisterState:
    """The register as of `at` (None = everything reported); see the module docstring.

    With `persist` the object statuses are computed once and kept until `release()` (the jobs use
    it as a context manager); without, nothing is left in the session's memory."""
    at = parse_time(at)
    resolved: dict[str, DataFrame] = {}
    tables: dict[str, DataFrame] = {}
    for name in TABLES:  # parents before children
        if name not in versions:
            continue
        spec = table(name)
        missing = [c for c in spec.owners if _OWNER_TABLE[c] not in resolved]
        if missing:
            raise KeyError(f"table '{name}' needs the table(s) its {', '.join(missing)} point at")
        # persisted, the children's joins, the state's semi join, the set-aside objects and the
        # accounting of every later action read it instead of recomputing the chain above it
        resolved[name] = _resolve(_newest(versions[name], name, at), name, resolved)
        if persist:
            resolved[name] = resolved[name].persist(StorageLevel.MEMORY_AND_DISK)
        current = resolved[name].where(F.col("status") == "current").select(F.col("_id").alias(spec.key))
        # the newest full row per object (its window needs every column, so every consumer's plan
        # shares its shuffle), kept where the object is current; the join shuffles only the ids
        newest = as_of(versions[name], name, at)
        tables[name] = newest.join(current.hint("shuffle_hash"), spec.key, "left_semi").select(*spec.columns)
    return RegisterState(at, tables, resolved, dict(versions))


def register_as_of(versions: dict[str, DataFrame], at: dt.datetime | str | None) -> dict[str, DataFrame]:
    """The current rows of every table as of `at` (`register_state(...).tables`)."""
    return register_state(versions, at).tables
