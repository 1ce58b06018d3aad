"""A NordDRG-family table set: one CSV per table (docs/NORDDRG.md §3), loaded and checked.

A table set is a folder with `drglogic.csv`, `dg.csv`, `proc.csv`, `complcat.csv`, `complexcl.csv`,
`drgnames.csv` and, for Danish use, `tariffs.csv`. Values are trimmed and an empty cell is no
value. Loading fails with a `TableError` naming the file, the row (1 = first data row) and the column.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grouping.logic import CONDITION_COLUMNS, Rule, parse_rule
from lprflow.manifest import file_sha256

# table name -> required columns (lower case, as in docs/NORDDRG.md)
COLUMNS: dict[str, list[str]] = {
    "drglogic": ["ord", "drg", "rtc", *CONDITION_COLUMNS, "loc_drg"],
    "dg": ["code", "d_code", "vartype", "varval"],
    "proc": ["code", "vartype", "varval"],
    "complcat": ["compl", "inclprop"],
    "complexcl": ["compl", "code", "d_code"],
    "drgnames": ["drg", "mdc", "loc_drg"],
}
TARIFF_COLUMNS = ["drg", "name", "tariff", "trim_days", "per_day"]
DG_VARTYPES = {"DGCAT", "MDC", "PDGPRO", "DGPROP", "COMPL", "OR", "PROCPR"}
PROC_VARTYPES = {"PROCPR", "OR", "CC", "DGPROP"}
# the official drglogic header spells the national-code column "loc_drg (link to ndms)"
ALIASES = {"loc_drg (link to ndms)": "loc_drg"}


class TableError(ValueError):
    """A table file is missing or malformed; the message names file, row and column."""


@dataclass(frozen=True)
class Tariff:
    drg: str
    name: str
    tariff: float
    trim_days: int | None
    per_day: float


@dataclass
class TableSet:
    """The loaded tables of one version; rows are plain tuples, small enough for the driver."""

    folder: Path
    rules: list[Rule]
    dg: list[tuple[str, str, str, str]]  # code, d_code ('' = single-code row), vartype, varval
    proc: list[tuple[str, str, str]]  # code, vartype, varval
    complcat: list[tuple[str, str]]  # compl, inclprop ('' = no activation)
    complexcl: list[tuple[str, str, str]]  # compl, code, d_code ('' = single-code row)
    drgnames: dict[str, tuple[str, str]]  # drg -> (mdc, loc_drg)
    tariffs: dict[str, Tariff] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: str | Path, require_tariffs: bool = False) -> TableSet:
        """Read and validate every table of `folder`."""
        folder = Path(folder)
        if not folder.is_dir():
            raise TableError(f"DRG table set not found: {folder}")
        raw = {name: _read(folder / f"{name}.csv", cols) for name, cols in COLUMNS.items()}
        rules = [parse_rule(row, f"{folder / 'drglogic.csv'}, row {i}") for i, row in enumerate(raw["drglogic"], 1)]
        _check_unique([r.ord for r in rules], folder / "drglogic.csv", "ord")
        dg = []
        for i, row in enumerate(raw["dg"], 1):
            _need(row, ["code", "vartype", "varval"], folder / "dg.csv", i)
            _known(row["vartype"], DG_VARTYPES, folder / "dg.csv", i, "vartype")
            dg.append((row["code"], row["d_code"], row["vartype"], row["varval"]))
        proc = []
        for i, row in enumerate(raw["proc"], 1):
            _need(row, ["code", "vartype", "varval"], folder / "proc.csv", i)
            _known(row["vartype"], PROC_VARTYPES, folder / "proc.csv", i, "vartype")
            proc.append((row["code"], row["vartype"], row["varval"]))
        complcat = []
        for i, row in enumerate(raw["complcat"], 1):
            _need(row, ["compl"], folder / "complcat.csv", i)
            if len(row["compl"]) < 3 or row["compl"][2] not in "CGIJ":
                raise TableError(
                    f"{folder / 'complcat.csv'}, row {i}, column compl: '{row['compl']}' needs C/G/I/J third"
                )
            complcat.append((row["compl"], row["inclprop"]))
        complexcl = []
        for i, row in enumerate(raw["complexcl"], 1):
            _need(row, ["compl", "code"], folder / "complexcl.csv", i)
            complexcl.append((row["compl"], row["code"], row["d_code"]))
        drgnames: dict[str, tuple[str, str]] = {}
        for i, row in enumerate(raw["drgnames"], 1):
            _need(row, ["drg"], folder / "drgnames.csv", i)
            drgnames[row["drg"]] = (row["mdc"], row["loc_drg"])
        for i, r in enumerate(rules, 1):
            if r.drg not in drgnames:
                raise TableError(f"{folder / 'drglogic.csv'}, row {i}, column drg: '{r.drg}' is not in drgnames.csv")
        tariffs = _tariffs(folder / "tariffs.csv", require_tariffs)
        return cls(folder, sorted(rules, key=lambda r: r.ord), dg, proc, complcat, complexcl, drgnames, tariffs)

    def manifest(self) -> dict[str, Any]:
        """What a job's manifest records about the table set: folder, file checksums, rule count."""
        return {
            "folder": str(self.folder.resolve()),
            "files": {p.name: file_sha256(p) for p in sorted(self.folder.glob("*.csv"))},
            "rules": len(self.rules),
        }


def _read(path: Path, required: list[str]) -> list[dict[str, str]]:
    if not path.exists():
        raise TableError(f"DRG table file missing: {path}")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        header = [ALIASES.get((h or "").strip().lower(), (h or "").strip().lower()) for h in reader.fieldnames or []]
        missing = [c for c in required if c not in header]
        if missing:
            raise TableError(f"{path}: missing column(s) {', '.join(missing)} (found: {', '.join(header)})")
        rows = []
        for raw in reader:
            values = list(raw.values())
            rows.append({h: (v or "").strip() for h, v in zip(header, values, strict=False)})
        return rows


def _need(row: dict[str, str], cols: list[str], path: Path, i: int) -> None:
    for c in cols:
        if not row.get(c):
            raise TableError(f"{path}, row {i}, column {c}: value required")


def _known(value: str, allowed: set[str], path: Path, i: int, col: str) -> None:
    if value not in allowed:
        raise TableError(
            f"{path}, row {i}, column {col}: unknown value '{value}' (allowed: {', '.join(sorted(allowed))})"
        )


def _check_unique(values: list[str], path: Path, col: str) -> None:
    seen: set[str] = set()
    for i, v in enumerate(values, 1):
        if v in seen:
            raise TableError(f"{path}, row {i}, column {col}: duplicate value '{v}'")
        seen.add(v)


def _tariffs(path: Path, required: bool) -> dict[str, Tariff]:
    if not path.exists():
        if required:
            raise TableError(f"tariff table missing: {path}")
        return {}
    out: dict[str, Tariff] = {}
    for i, row in enumerate(_read(path, TARIFF_COLUMNS), 1):
        _need(row, ["drg", "tariff"], path, i)
        try:
            out[row["drg"]] = Tariff(
                row["drg"],
                row["name"],
                float(row["tariff"]),
                int(row["trim_days"]) if row["trim_days"] else None,
                float(row["per_day"] or 0),
            )
        except ValueError as exc:
            raise TableError(f"{path}, row {i}: not a number ({exc})") from None
    return out
