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
from pyspark.sql.types import (
    ArrayType,
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
# the days between two validity (or membership) spans of one code or unit, both ends inclusive
GAPS = ArrayType(StructType([StructField("from_day", DateType()), StructField("to_day", DateType())]))
# code list name → the code's membership: first day, last day (null = open) and the gaps between
LIST_MAP = MapType(
    StringType(),
    StructType([StructField("valid_from", DateType()), StructField("valid_to", DateType()), StructField("gaps", GAPS)]),
)
CODE_INFO_SCHEMA = StructType(
    [
        StructField("code", StringType(), False),
        StructField("valid_from", DateType()),
        StructField("valid_to", DateType()),
        StructField("gaps", GAPS),
        StructField("lists", LIST_MAP),
    ]
)
UNIT_SCHEMA = StructType([*SOR_SCHEMA.fields, StructField("gaps", GAPS)])

Span = tuple[dt.date | None, dt.date | None]
ONE_DAY = dt.timedelta(days=1)


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


def merge_spans(spans: list[Span]) -> list[Span]:
    """Spans in order, joined where they overlap or touch (a null start is 'always', a null end 'open')."""
    merged: list[Span] = []
    for start, end in sorted(spans, key=lambda s: s[0] or dt.date.min):
        if merged:
            first, last = merged[-1]
            if last is None or start is None or start <= last + ONE_DAY:
                merged[-1] = (first, None if last is None or end is None else max(last, end))
                continue
        merged.append((start, end))
    return merged


def validity(spans: list[Span]) -> tuple[dt.date | None, dt.date | None, list[Span]]:
    """(first day, last day or None when open, the gaps between the spans as inclusive day ranges).

    The official SKS and SOR files give a code or unit that lapses and returns one row per span;
    it is valid on a day only if some span holds it, so the days between spans stay invalid.
    """
    merged = merge_spans(spans)
    gaps = [(a[1] + ONE_DAY, b[0] - ONE_DAY) for a, b in zip(merged, merged[1:], strict=False)]
    return merged[0][0], merged[-1][1], gaps


def _latest(rows: list[tuple], from_index: int) -> tuple:
    return max(rows, key=lambda r: r[from_index] or dt.date.min)


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

    def _read_sks(self) -> list[tuple]:
        return _rows(
            self.folder / "sks_codes.csv", ["code", "text", "valid_from", "valid_to"], {"valid_from", "valid_to"}
        )

    def _read_lists(self) -> list[tuple]:
        return _rows(
            self.folder / "sks_code_lists.csv",
            ["list_name", "code", "valid_from", "valid_to"],
            {"valid_from", "valid_to"},
        )

    @cached_property
    def sks_codes(self) -> DataFrame:
        """One row per code as read (a code with several spans has several rows)."""
        return self.spark.createDataFrame(self._read_sks(), SKS_SCHEMA)

    @cached_property
    def code_lists(self) -> DataFrame:
        """One row per (list, code, span) as read."""
        return self.spark.createDataFrame(self._read_lists(), LIST_SCHEMA)

    @cached_property
    def sor_units(self) -> DataFrame:
        """One row per SOR unit: the attributes of its latest span, its first and last valid day and
        the gaps between its spans (UNIT_SCHEMA), so a join on sor_id never multiplies rows."""
        cols = [f.name for f in SOR_SCHEMA.fields]
        by_unit: dict[str, list[tuple]] = {}
        for row in _rows(self.folder / "sor_units.csv", cols, {"valid_from", "valid_to"}, {"psychiatric"}):
            by_unit.setdefault(row[0], []).append(row)
        start, end = cols.index("valid_from"), cols.index("valid_to")
        units = []
        for rows in by_unit.values():
            first, last, gaps = validity([(r[start], r[end]) for r in rows])
            latest = list(_latest(rows, start))
            latest[start], latest[end] = first, last
            units.append((*latest, gaps))
        return self.spark.createDataFrame(units, UNIT_SCHEMA)

    @cached_property
    def municipalities(self) -> DataFrame:
        cols = ["municipality_code", "municipality_name", "region_code", "region_name"]
        return self.spark.createDataFrame(_rows(self.folder / "municipalities.csv", cols, set()), cols)

    @cached_property
    def code_info(self) -> DataFrame:
        """One row per SKS code: its validity (first day, last day, gaps) and a map of the code lists it
        belongs to, each with its membership (first day, last day, gaps).

        A map (not an array) so rules look a list up without a lambda. Built on the driver from the
        reference rows (a local table broadcast to every coded column of every frame), so no query
        re-runs an aggregation of it.
        """
        spans: dict[str, list[Span]] = {}
        for code, _text, start, end in self._read_sks():
            spans.setdefault(code, []).append((start, end))
        membership: dict[str, dict[str, list[Span]]] = {}
        for list_name, code, start, end in self._read_lists():
            membership.setdefault(code, {}).setdefault(list_name, []).append((start, end))
        rows = [
            (
                code,
                *validity(code_spans),
                {name: validity(s) for name, s in membership.get(code, {}).items()},
            )
            for code, code_spans in spans.items()
        ]
        return self.spark.createDataFrame(rows, CODE_INFO_SCHEMA)

    def municipality_rows(self) -> list[dict[str, str]]:
        """The municipalities as plain rows (98 of them), for driver-side parameterisation."""
        return _read_csv(self.folder / "municipalities.csv", ["municipality_code", "region_code"])

    def sor_rows(self) -> list[dict[str, str]]:
        return _read_csv(self.folder / "sor_units.csv", ["sor_id", "unit_kind", "region_code"])
