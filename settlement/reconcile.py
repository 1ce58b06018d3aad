"""Statements against a booked ledger, in the region's table form.

The ledger (CSV or Parquet) has one row per booking: `party` (a municipality code, or a region
code for the region's total), `category`, `activity_year`, `booking_year`, `amount`. Per category
of the activity year: booked in the activity year, booked in the next year, total booked, the
final statement, and the difference (booked - statement); a region row compares with the sum over
all municipalities, a municipality row with that municipality. Categories are the statement's
(kmf_somatic, hospice, ...); a category the statement does not know is an error naming the file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

LEDGER_COLUMNS = ["party", "category", "activity_year", "booking_year", "amount"]


class LedgerError(ValueError):
    """The ledger cannot be read as one; the message names the file and column."""


def read_ledger(path: str | Path) -> pd.DataFrame:
    path = Path(path)
    if not path.exists():
        raise LedgerError(f"{path}: ledger not found")
    try:
        df = (
            pd.read_parquet(path)
            if path.suffix == ".parquet" or path.is_dir()
            else pd.read_csv(path, dtype={"party": str, "category": str})
        )
    except Exception as exc:  # noqa: BLE001 - any reader error is a bad file
        raise LedgerError(f"{path}: not a readable CSV or Parquet ledger ({exc})") from None
    missing = [c for c in LEDGER_COLUMNS if c not in df.columns]
    if missing:
        raise LedgerError(f"{path}: ledger has no column(s) {', '.join(missing)} (needs {', '.join(LEDGER_COLUMNS)})")
    for c in ("activity_year", "booking_year", "amount"):
        bad = pd.to_numeric(df[c], errors="coerce").isna()
        if bad.any():
            raise LedgerError(
                f"{path}: column '{c}', row {int(bad.idxmax()) + 2}: not a number ({df[c][bad].iloc[0]!r})"
            )
        df[c] = pd.to_numeric(df[c])
    df["party"] = df["party"].astype(str).str.zfill(4)
    return df[LEDGER_COLUMNS]


def reconcile(statements: pd.DataFrame, ledger: pd.DataFrame, year: int, region: str, source: str) -> pd.DataFrame:
    """One row per party × category (and a total per party): booked_in_year, booked_next_year,
    booked_total, statement, difference."""
    known = set(statements["category"])
    unknown = sorted(set(ledger["category"]) - known)
    if unknown:
        raise LedgerError(f"{source}: column 'category': {', '.join(unknown)} not in the statements ({sorted(known)})")
    led = ledger[ledger["activity_year"] == year]
    rows = []
    for (party, category), g in led.groupby(["party", "category"]):
        st = statements[statements["category"] == category]
        if party != region:
            st = st[st["municipality_code"] == party]
        rows.append(
            {
                "party": party,
                "category": category,
                "booked_in_year": round(float(g.loc[g["booking_year"] == year, "amount"].sum()), 2),
                "booked_next_year": round(float(g.loc[g["booking_year"] == year + 1, "amount"].sum()), 2),
                "booked_total": round(float(g["amount"].sum()), 2),
                "statement": round(float(st["delta"].sum()), 2),
            }
        )
    out = pd.DataFrame(
        rows, columns=["party", "category", "booked_in_year", "booked_next_year", "booked_total", "statement"]
    )
    if out.empty:
        return out.assign(difference=[])
    totals = out.groupby("party", as_index=False)[["booked_in_year", "booked_next_year", "booked_total", "statement"]]
    total = totals.sum().assign(category="total")
    out = pd.concat([out, total], ignore_index=True)
    out["difference"] = (out["booked_total"] - out["statement"]).round(2)
    return out.round(2)
