"""Reference data: SKS codes and code lists, SOR units, municipalities.

The repository ships a curated subset (reference/*.csv, see reference/README.md). Users who have
the official files load them with `read_official_sks` / `read_official_sor`, whose column layout
is configured in conf/reference.yaml. Every loader returns small Spark DataFrames meant to be
broadcast; `code_info` is the one lookup the rules join against.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import (
    BooleanType,
    DateType,
    MapType,
    StringType,
    StructField,
    StructType,
)

from lprflow.config import reference_config
from lprflow.paths import reference_dir

SKS_SCHEMA = StructType(
    [
        StructField("code", StringType(), False),
        StructField("text", StringType()),
        StructField("valid_from", DateType()),
        StructField("valid_to", DateType()),
    ]
)
LIST_SCHEMA = StructType(
    [
        StructField("list_name", StringType(), False),
        StructField("code", StringType(), False),
        StructField("valid_from", DateType()),
        StructField("valid_to", DateType()),
    ]
)
SOR_SCHEMA = StructType(
    [
        StructField("sor_id", StringType(), False),
        StructField("name", StringType()),
        StructField("parent_id", StringType()),
        StructField("hospital_id", StringType()),
        StructField("hospital_name", StringType()),
        StructField("region_code", StringType()),
        StructField("psychiatric", BooleanType()),
        StructField("specialty", StringType()),
        StructField("unit_kind", StringType()),
        StructField("valid_from", DateType()),
        StructField("valid_to", DateType()),
    ]
)
# code list name → the span of the code's membership (earliest from, latest to; null = open)
LIST_MAP = MapType(
    StringType(),
    StructType([StructField("valid_from", DateType()), StructField("valid_to", DateType())]),
)


class ReferenceError(ValueError):
    """A reference file is missing or malformed; the message names the file, row and column."""


def _date(value: str, where: str) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%Y%m%d", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ReferenceError(f"{where}: not a date: '{value}'")


def _read_csv(path: Path, required: list[str]) -> list[dict[str, str]]:
    if not path.exists():
        raise ReferenceError(f"reference file not found: {path}")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise ReferenceError(f"{path}: missing column(s) {', '.join(missing)}")
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def _rows(path: Path, columns: list[str], dates: set[str], bools: set[str] = frozenset()) -> list[tuple]:
    out = []
    for n, row in enumerate(_read_csv(path, columns), start=2):
        rec = []
        for c in columns:
            where = f"{path} row {n} column '{c}'"
            if c in dates:
                rec.append(_date(row[c], where))
            elif c in bools:
                if row[c].lower() not in ("true", "false"):
                    raise ReferenceError(f"{where}: expected true/false, got '{row[c]}'")
                rec.append(row[c].lower() == "true")
            else:
                rec.append(row[c] or None)
        out.append(tuple(rec))
    return out


def read_official_sks(path: str | Path) -> list[tuple]:
    """Parse the official fixed-width SKS file (SKScomplete) with the layout in conf/reference.yaml.

    Returns (code, text, valid_from, valid_to) rows. Only record types listed in the config are
    kept; codes get the chapter prefix the config names (diagnoses carry a 'D').
    """
    layout = reference_config().sks_fixed_width
    path = Path(path)
    rows = []
    with path.open(encoding=layout.encoding) as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue

            def cut(field: str, line: str = line) -> str:
                start, end = layout.columns[field]
                return line[start - 1 : end].strip()

            code = cut("code")
            if not code:
                raise ReferenceError(f"{path} line {n}: empty SKS code")
            where = f"{path} line {n}"
            valid_to = _date(cut("valid_to"), where)
            if valid_to and valid_to.year >= layout.open_from_year:
                valid_to = None
            rows.append((code, cut("text"), _date(cut("valid_from"), where), valid_to))
    return rows


def read_official_sor(path: str | Path) -> list[tuple]:
    """Parse a SOR register CSV export with the column mapping in conf/reference.yaml.

    Returns rows in the layout of reference/sor_units.csv (SOR_SCHEMA). `psychiatric` is derived
    from the main specialty; `unit_kind` is psychiatric or somatic.
    """
    conf = reference_config().sor_csv
    path = Path(path)
    if not path.exists():
        raise ReferenceError(f"SOR file not found: {path}")
    cols = conf.columns
    psych = {s.lower() for s in conf.psychiatric_specialties}
    rows = []
    with path.open(encoding=conf.encoding, newline="") as fh:
        reader = csv.DictReader(fh, delimiter=conf.delimiter)
        missing = [h for h in cols.values() if h not in (reader.fieldnames or [])]
        if missing:
            raise ReferenceError(f"{path}: missing column(s) {', '.join(missing)}")
        for n, rec in enumerate(reader, start=2):
            get = lambda k, rec=rec: (rec.get(cols[k]) or "").strip() or None  # noqa: E731
            where = f"{path} row {n}"
            specialty = get("specialty")
            is_psych = (specialty or "").lower() in psych
            rows.append(
                (
                    get("sor_id"),
                    get("name"),
                    get("parent_id"),
                    get("hospital_id"),
                    get("hospital_name"),
                    get("region_code"),
                    is_psych,
                    specialty,
                    "psychiatric" if is_psych else "somatic",
                    _date(get("valid_from") or "", where),
                    _date(get("valid_to") or "", where),
                )
            )
    return rows


@dataclass
class Reference:
    """All reference tables for one run, as Spark DataFrames."""

    spark: SparkSession
    folder: Path

    @classmethod
    def load(cls, spark: SparkSession, folder: str | Path | None = None) -> Reference:
        return cls(spark, Path(folder) if folder else reference_dir())

    @cached_property
    def sks_codes(self) -> DataFrame:
        rows = _rows(
            self.folder / "sks_codes.csv", ["code", "text", "valid_from", "valid_to"], {"valid_from", "valid_to"}
        )
        return self.spark.createDataFrame(rows, SKS_SCHEMA)

    @cached_property
    def code_lists(self) -> DataFrame:
        rows = _rows(
            self.folder / "sks_code_lists.csv",
            ["list_name", "code", "valid_from", "valid_to"],
            {"valid_from", "valid_to"},
        )
        return self.spark.createDataFrame(rows, LIST_SCHEMA)

    @cached_property
    def sor_units(self) -> DataFrame:
        cols = [f.name for f in SOR_SCHEMA.fields]
        rows = _rows(self.folder / "sor_units.csv", cols, {"valid_from", "valid_to"}, {"psychiatric"})
        return self.spark.createDataFrame(rows, SOR_SCHEMA)

    @cached_property
    def municipalities(self) -> DataFrame:
        cols = ["municipality_code", "municipality_name", "region_code", "region_name"]
        return self.spark.createDataFrame(_rows(self.folder / "municipalities.csv", cols, set()), cols)

    @cached_property
    def code_info(self) -> DataFrame:
        """code → validity and a map of the code lists it belongs to, each with its membership span.

        A map (not an array) so rules look a list up without a lambda: code-generated and cheap.
        """
        spans = self.code_lists.groupBy("code", "list_name").agg(
            F.min("valid_from").alias("valid_from"),
            F.when(F.max(F.col("valid_to").isNull().cast("int")) == 1, F.lit(None))
            .otherwise(F.max("valid_to"))
            .alias("valid_to"),
        )
        lists = spans.groupBy("code").agg(
            F.map_from_entries(F.collect_list(F.struct("list_name", F.struct("valid_from", "valid_to")))).alias("lists")
        )
        info = (
            self.sks_codes.select("code", "valid_from", "valid_to")
            .join(lists, "code", "left")
            .withColumn("lists", F.coalesce("lists", F.create_map().cast(LIST_MAP)))
        )
        # a few hundred rows, joined (broadcast) to every coded column of every frame: built once
        # here as a local table, so no query re-runs its aggregations (each was two shuffles)
        return self.spark.createDataFrame(info.collect(), info.schema)

    def municipality_rows(self) -> list[dict[str, str]]:
        """The municipalities as plain rows (98 of them), for driver-side parameterisation."""
        return _read_csv(self.folder / "municipalities.csv", ["municipality_code", "region_code"])

    def sor_rows(self) -> list[dict[str, str]]:
        return _read_csv(self.folder / "sor_units.csv", ["sor_id", "unit_kind", "region_code"])
