"""Reading the register and taking its state as of a time.

A register directory holds one Parquet dataset per table (`<dir>/<table>/`), each an
append-only sequence of report versions. `as_of` is the one definition of "the register as of T"
that every job uses: per object id the latest version reported at or before T, dropping
objects whose latest version is a deletion.
"""

from __future__ import annotations

import datetime as dt
from functools import reduce
from pathlib import Path

from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql.types import DataType

from lprflow.footers import FooterError, check_footers
from lprflow.localtime import danish_time, local_to_utc
from lprflow.schemas import TABLE_NAMES, Table, table


class RegisterError(ValueError):
    """The register on disk does not match the data model; the message names file, table, column."""


def parse_time(value: str | dt.datetime | dt.date | None) -> dt.datetime | None:
    """An as-of time as a naive UTC instant.

    What a person types is Danish local time: an ISO date is the start of that day in Copenhagen
    (`2022-03-01` → 2022-02-28T23:00 UTC) and a timestamp without an offset is a Copenhagen wall
    clock time; a timestamp with an offset is that instant. A `date` object is a Danish day too; a
    `datetime` object is already an instant (naive means UTC) and is returned as it is.
    """
    if value is None or isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return local_to_utc(dt.datetime(value.year, value.month, value.day))
    text = value.strip()
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"not an ISO date or timestamp: '{text}'") from exc
    if parsed.tzinfo is not None:
        return parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return local_to_utc(parsed)


def _compatible(found: DataType, wanted: DataType) -> bool:
    if found == wanted:
        return True
    numeric = {"integer", "long", "short", "byte"}
    return found.typeName() in numeric and wanted.typeName() in numeric


def conform(df: DataFrame, spec: Table, source: str) -> DataFrame:
    """Select the table's columns in schema order, or fail naming the file, table and column."""
    have = {f.name: f.dataType for f in df.schema.fields}
    for field in spec.schema.fields:
        if field.name not in have:
            raise RegisterError(f"{source}: table '{spec.name}' has no column '{field.name}'")
        if not _compatible(have[field.name], field.dataType):
            raise RegisterError(
                f"{source}: table '{spec.name}' column '{field.name}' is "
                f"{have[field.name].simpleString()}, expected {field.dataType.simpleString()}"
            )
    return df.select([F.col(f.name).cast(f.dataType).alias(f.name) for f in spec.schema.fields])


def read_table(spark: SparkSession, register_dir: str | Path, name: str) -> DataFrame:
    """All report versions of one table, checked against its schema."""
    spec = table(name)
    path = Path(register_dir) / name
    if not path.exists():
        raise RegisterError(f"{path}: register table '{name}' not found in {register_dir}")
    try:
        check_footers(path, spec)  # every part file, before Spark reads one file's schema for all
    except FooterError as exc:
        raise RegisterError(str(exc)) from None
    return conform(spark.read.parquet(str(path)), spec, str(path))


def read_register(spark: SparkSession, register_dir: str | Path) -> dict[str, DataFrame]:
    """Every table of a register directory (all versions)."""
    return {name: read_table(spark, register_dir, name) for name in TABLE_NAMES}


def as_of(versions: DataFrame, name: str, at: dt.datetime | str | None) -> DataFrame:
    """The current state of one table at time `at` (None = everything reported).

    Ties on `reported_at` resolve deterministically: a deletion wins, then the larger row.
    """
    return latest_versions(versions, name, at, [table(name).key])


def latest_versions(versions: DataFrame, name: str, at: dt.datetime | str | None, by: list[str]) -> DataFrame:
    """Per group of the `by` columns, the newest version reported at or before `at`; groups whose
    newest version is a deletion are dropped. `as_of` groups by the object id."""
    spec = table(name)
    at = parse_time(at)
    rows = versions if at is None else versions.where(F.col("reported_at") <= F.lit(at))
    payload = [c for c in spec.columns if c not in (spec.key, "reported_at", "deleted")]
    # row_number over the group is a shuffle and one sort (cheaper than a sort-based max(struct)
    # aggregate); the payload columns only break ties on the report time
    newest = Window.partitionBy(*by).orderBy(
        F.desc("reported_at"), F.desc("deleted"), *[F.desc_nulls_last(c) for c in payload]
    )
    latest = rows.withColumn("_version", F.row_number().over(newest))
    return latest.where((F.col("_version") == 1) & ~F.col("deleted")).select(*spec.columns)


def duplicate_versions(versions: dict[str, DataFrame], limit: int = 5) -> list[dict[str, object]]:
    """Per table with ties, objects reported twice at the same report time: how many, and the first
    `limit` (id, report time) pairs. Only computed when the keys check has failed."""
    out: list[dict[str, object]] = []
    for name, df in versions.items():
        key = table(name).key
        ties = df.groupBy(key, "reported_at").count().where("count > 1")
        found = ties.orderBy(key, "reported_at").limit(limit).collect()  # at most `limit` rows
        if found:
            out.append(
                {
                    "table": name,
                    "objects": ties.count(),
                    "examples": [{"id": r[key], "reported_at": r["reported_at"].isoformat()} for r in found],
                }
            )
    return out


def first_report(versions: dict[str, DataFrame]) -> dt.datetime | None:
    """The earliest report time of the register (one small job over the report-time columns)."""
    firsts = reduce(DataFrame.unionByName, [df.select("reported_at") for df in versions.values()])
    return firsts.agg(F.min("reported_at")).first()[0]


def require_in_scope(versions: dict[str, DataFrame], at: dt.datetime) -> None:
    """Fail before any work when nothing was reported at or before `at`."""
    first = first_report(versions)
    if first is None or first > at:
        raise nothing_in_scope(versions, at, first)


def nothing_in_scope(
    versions: dict[str, DataFrame], at: dt.datetime, first: dt.datetime | None = None
) -> RegisterError:
    """The error for a run with nothing in scope at `at`: names the first report time."""
    first = first or first_report(versions)
    seen = f"its first report is from {danish_time(first)}" if first else "the register has no reports at all"
    return RegisterError(f"nothing in the register was reported at or before {danish_time(at)} ({seen}); check --as-of")
