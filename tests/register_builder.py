"""The one hand-built register builder of the tests: rows written as dicts, one DataFrame (or
Parquet folder) per table of the data model (`lprflow.schemas`).

A row names only the columns it cares about; the rest are null. Every row gets `reported_at`,
`deleted` and `region` from the call unless it sets them itself. Tables without rows are empty.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pyspark.sql import DataFrame, SparkSession

from lprflow.schemas import TABLES

Rows = dict[str, list[dict[str, Any]]]


def table_frame(
    spark: SparkSession,
    name: str,
    rows: list[dict[str, Any]],
    reported_at: dt.datetime = dt.datetime(2021, 7, 1),
    region: str = "1082",
) -> DataFrame:
    """One table's DataFrame in the model's schema."""
    spec = TABLES[name]
    unknown = {k for r in rows for k in r} - set(spec.columns)
    if unknown:
        raise KeyError(f"table {name} has no column(s) {sorted(unknown)}")
    records = []
    for row in rows:
        rec: dict[str, Any] = dict.fromkeys(spec.columns)
        rec.update(reported_at=reported_at, deleted=False, region=region)
        rec.update(row)
        records.append(tuple(rec[c] for c in spec.columns))
    return spark.createDataFrame(records, spec.schema)


def register_frames(spark: SparkSession, rows: Rows, **defaults: Any) -> dict[str, DataFrame]:
    """Every table of the data model (empty where `rows` has none)."""
    return {name: table_frame(spark, name, rows.get(name, []), **defaults) for name in TABLES}


def write_register(spark: SparkSession, rows: Rows, folder: Path, **defaults: Any) -> Path:
    """The register written as Parquet, one folder per table; returns `folder`."""
    for name, df in register_frames(spark, rows, **defaults).items():
        df.write.parquet(str(folder / name))
    return folder
