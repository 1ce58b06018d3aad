"""Writing a synthetic set (table CSVs, tariffs, README notice) and its witness cases."""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

from grouping.grouping_string import FIRST_PROCEDURE, FIRST_SLOT, SLOTS, to_string
from grouping.synthetic.model import Draft, Witness
from grouping.tables import COLUMNS, TARIFF_COLUMNS, TableSet

NOTICE = (
    "SYNTHETIC DRG table set written by `lprflow drg-tables synth`: NOT the official Danish DRG logic; "
    "codes DZZ*/KZZ* and groups Z* are invented, tariffs are illustrative.\n"
)


def write(folder: Path, base: TableSet, s: Draft, seed: int) -> dict[str, int]:
    """Write the widened set (CSV, docs/NORDDRG.md §3 layout), its tariffs and the witness cases."""
    folder.mkdir(parents=True, exist_ok=True)
    rules = [_rule_row(r) for r in base.rules] + s.rules
    rules.sort(key=lambda r: r["ord"])
    rng = random.Random(seed + 1)
    drgnames = {**base.drgnames, **s.drgnames}
    tables = {
        "drglogic": rules,
        "dg": [dict(zip(COLUMNS["dg"], r, strict=True)) for r in [*base.dg, *s.dg]],
        "proc": [dict(zip(COLUMNS["proc"], r, strict=True)) for r in [*base.proc, *s.proc]],
        "complcat": [dict(zip(COLUMNS["complcat"], r, strict=True)) for r in [*base.complcat, *s.complcat]],
        "complexcl": [dict(zip(COLUMNS["complexcl"], r, strict=True)) for r in [*base.complexcl, *s.complexcl]],
        "drgnames": [{"drg": d, "mdc": m, "loc_drg": loc} for d, (m, loc) in drgnames.items()],
        "tariffs": [
            {
                "drg": t.drg,
                "name": t.name,
                "tariff": _num(t.tariff),
                "trim_days": t.trim_days or "",
                "per_day": _num(t.per_day),
            }
            for t in base.tariffs.values()
        ]
        + [
            {
                "drg": d,
                "name": f"Synthetic group {d}",
                "tariff": rng.randrange(2000, 200000, 50),
                "trim_days": "",
                "per_day": 0,
            }
            for d in s.drgnames
            if d not in base.tariffs
        ],
    }
    counts = {}
    for name, cols in {**COLUMNS, "tariffs": TARIFF_COLUMNS}.items():
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, cols, lineterminator="\n")
            w.writeheader()
            for row in tables[name]:
                w.writerow({c: row.get(c, "") for c in cols})
        counts[name] = len(tables[name])
    write_witnesses(folder / WITNESS_FILE, s.witnesses)
    (folder / "README.txt").write_text(NOTICE, encoding="utf-8")
    return counts


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _rule_row(r) -> dict[str, str]:
    return {"ord": r.ord, "drg": r.drg, "rtc": r.rtc, "loc_drg": r.loc_drg, **r.cells}


WITNESS_FILE = "witness_cases.csv"


def write_witnesses(path: Path, witnesses: list[Witness]) -> None:
    """`case_id;grouping_string;expected_ord;why`: readable by `lprflow group-cases` as it is."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";", lineterminator="\n")
        w.writerow(["case_id", "grouping_string", "expected_ord", "why"])
        for i, x in enumerate(witnesses, 1):
            c = x.case
            text = to_string(c["sex"], c["age_days"], c["discharge"], c["los_days"], c["diagnoses"], c["procedures"])
            w.writerow([f"w{i:05d}", text, x.ord, x.why])


def read_witnesses(path: Path) -> list[dict[str, Any]]:
    """The witness cases of a synthetic set as grouper case dicts with `expected_ord` and `why`."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter=";"):
            f = r["grouping_string"].split(",")
            slots = [(f[FIRST_SLOT + 2 * k] or None, f[FIRST_SLOT + 2 * k + 1] or None) for k in range(SLOTS)]
            diagnoses = slots[:1] + [d for d in slots[1:] if d[0] or d[1]]
            out.append(
                {
                    "case_id": r["case_id"],
                    "sex": int(f[0]) if f[0] else None,
                    "age_days": int(f[1]),
                    "discharge": f[2],
                    "los_days": int(f[3]),
                    "diagnoses": diagnoses,
                    "procedures": [p for p in f[FIRST_PROCEDURE:] if p],
                    "expected_ord": r["expected_ord"],
                    "why": r["why"],
                }
            )
    return out
