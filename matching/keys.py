"""Looking a few rows up in a whole input by their keys.

A lookup of a handful of ids (the region rows the national data lacks, the pairs that differ) in
a whole input (the national contacts, the extract, the register's versions) is a filter with the
ids as values when they are few (`among` with a list): the scan applies it itself (pushed to
Parquet, which skips the row groups and pages whose statistics exclude every value), and no job
broadcasts the ids first. Many ids are a frame, joined to the input (a semi join)."""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

# at most this many keys are looked up by their values rather than by a frame joined to the data:
# an engineering limit (each value is a literal of the plan)
FEW_KEYS = 1_000

# the values of a few keys on the driver, or a frame of many (its first column)
Keys = list[str] | DataFrame


def keys_of(df: DataFrame, column: str, rows: int) -> Keys:
    """The values of `column` in `df` (a settled frame of `rows` rows): on the driver (distinct,
    sorted, without null; a small job) when there are at most FEW_KEYS, else the frame's column."""
    if rows > FEW_KEYS:
        return df.select(column)
    return sorted({r[0] for r in df.select(column).collect() if r[0] is not None})


def _joined(df: DataFrame, column: str, keys: DataFrame, broadcast: bool, how: str) -> DataFrame:
    values = keys.select(F.col(keys.columns[0]).alias(column))
    return df.join(F.broadcast(values) if broadcast else values, column, how)


def among(df: DataFrame, column: str, keys: Keys, broadcast: bool = False) -> DataFrame:
    """The rows of `df` whose `column` is one of `keys`: a list is a filter of `df` (its scan's
    own, where `column` is read as is); a frame is a semi join on its first column (a null matches
    nothing), its values broadcast with `broadcast` or where the caller marked the frame."""
    if isinstance(keys, list):
        return df.where(F.col(column).isin(keys))
    return _joined(df, column, keys, broadcast, "left_semi")


def apart(df: DataFrame, column: str, keys: Keys, broadcast: bool = False) -> DataFrame:
    """The rows of `df` whose `column` is none of `keys` (a null is none of them): `among`'s
    other rows, by a filter (a list) or an anti join (a frame)."""
    if isinstance(keys, list):
        return df.where(F.col(column).isNull() | ~F.col(column).isin(keys))
    return _joined(df, column, keys, broadcast, "left_anti")
