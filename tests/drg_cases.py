"""Helpers for grouper tests: cases from compact text, table sets written from Python rows."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from grouping.features import CASE_SCHEMA
from grouping.tables import COLUMNS, TARIFF_COLUMNS

SAMPLE = Path(__file__).resolve().parents[1] / "reference" / "drg" / "dkdrg-sample-2021"
GOLDEN = Path(__file__).resolve().parent / "golden" / "dkdrg_sample_2021.csv"


def slots(text: str) -> list[tuple[str | None, str | None]]:
    """'A+B C' -> [(A, B), (C, None)]; '-' is an empty slot."""
    out = []
    for slot in text.split():
        main, _, addon = slot.partition("+")
        out.append((None if main in ("", "-") else main, addon or None))
    return out


def case(case_id: str, diagnoses: str = "", procedures: str = "", **attrs: Any) -> dict[str, Any]:
    base = {"sex": 1, "age_days": 14610, "discharge": "H", "los_days": 3}
    base.update(attrs)
    return {"case_id": case_id, **base, "diagnoses": slots(diagnoses), "procedures": procedures.split()}


def frame(spark, cases: list[dict[str, Any]]):
    rows = [
        (
            c["case_id"],
            c["sex"],
            c["age_days"],
            c["discharge"],
            c["los_days"],
            [{"code": a, "addon": b} for a, b in c["diagnoses"]],
            c["procedures"],
        )
        for c in cases
    ]
    return spark.createDataFrame(rows, CASE_SCHEMA)


def golden_cases() -> list[dict[str, Any]]:
    with GOLDEN.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    out = []
    for r in rows:
        c = case(
            r["case_id"],
            r["diagnoses"],
            r["procedures"],
            sex=int(r["sex"]),
            age_days=int(r["age_days"]),
            discharge=r["discharge"],
            los_days=int(r["los_days"]),
        )
        c["expected"] = {k: r[k] for k in ("drg", "ord", "rtc", "dgcat", "cc_level", "why")}
        out.append(c)
    return out


def write_tables(folder: Path, tables: dict[str, list[dict[str, str]]]) -> Path:
    """Write a table set; missing tables are written empty, missing columns blank."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, cols in {**COLUMNS, "tariffs": TARIFF_COLUMNS}.items():
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, cols)
            w.writeheader()
            for row in tables.get(name, []):
                w.writerow({c: row.get(c, "") for c in cols})
    return folder
