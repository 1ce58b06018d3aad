"""The national side: the contacts/ of a `lprflow group` output (its manifest names the register
and the as-of time), or an external extract in the same documented schema."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from grouping.national import NATIONAL_COLUMNS
from matching.extract import ExtractError


@dataclass
class National:
    contacts: DataFrame  # NATIONAL_COLUMNS
    as_of: dt.datetime | None  # naive UTC; from the group manifest
    register: Path | None  # the register the data was grouped from
    tariff_year: int | None
    source: Path


def read_national(spark: SparkSession, folder: str | Path) -> National:
    """contacts/ of a group output (or `folder` itself: Parquet in NATIONAL_COLUMNS)."""
    folder = Path(folder)
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    data = folder / "contacts" if manifest.get("job") == "group" else folder
    if not data.exists():
        raise ExtractError(f"{data}: national contacts not found")
    df = spark.read.parquet(str(data))
    missing = [c for c in NATIONAL_COLUMNS if c not in df.columns]
    if missing:
        hint = " (an output of an older `lprflow group`? group again)" if manifest.get("job") == "group" else ""
        raise ExtractError(f"{data}: national contacts have no column(s) {missing}{hint}")
    as_of = manifest.get("as_of")
    register = manifest.get("inputs", {}).get("register")
    return National(
        contacts=df.select(*NATIONAL_COLUMNS).withColumn("course_value", F.col("course_value").cast("double")),
        as_of=dt.datetime.fromisoformat(as_of).astimezone(dt.UTC).replace(tzinfo=None) if as_of else None,
        register=Path(register) if register else None,
        tariff_year=manifest.get("tariff_year"),
        source=data,
    )
