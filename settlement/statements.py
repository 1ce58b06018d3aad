"""The statements: municipality × category × activity month × statement, with deltas and the
amounts charged before and in total; plus what is settled for the region as a whole.

Works on the per-statement deltas (`settlement.changes.statement_deltas`, at most municipalities ×
categories × months × 13 rows) in pandas. Besides the item categories:

  state_refund        the state hands its surcharge on somatic færdigbehandlede days back to the
                      municipalities of the region by population, in the statement that charged it
  basic_contribution  the 2007 model's contribution per inhabitant, a twelfth per month, charged
                      with the month's preliminary statement
  regional_cap        when the year's KMF income (kmf_somatic + kmf_psychiatry, every
                      municipality) crosses the region's cap, the excess is paid back, spread over
                      the municipalities by their share of the KMF charged so far; each statement
                      carries the change of that repayment (no activity month)

Population: reference/population.csv (municipality, year, population); a region whose
municipalities are missing there cannot be spread by population and is an error naming the file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from settlement.changes import CAUSES, FINAL
from settlement.config import KmfYear

KMF = ("kmf_somatic", "kmf_psychiatry")
KEY = ["municipality_code", "category", "activity_month"]


class PopulationError(ValueError):
    """The population of a municipality the statement needs is missing."""


def population(reference: Path, year: int, municipalities: list[str]) -> pd.Series:
    """Population per municipality for the year (the latest year not after it)."""
    path = reference / "population.csv"
    df = pd.read_csv(path, dtype={"municipality_code": str})
    df = df[df["year"] <= year].sort_values("year").groupby("municipality_code").last()
    missing = sorted(set(municipalities) - set(df.index))
    if missing:
        raise PopulationError(f"{path}: no population for municipality {', '.join(missing)} in or before {year}")
    return df.loc[municipalities, "population"].astype(float)


def _spread(total: float, weights: pd.Series) -> pd.Series:
    """`total` spread in proportion to `weights`, rounded to øre with the rounding rest on the largest."""
    if weights.sum() == 0:
        return weights * 0.0
    parts = (total * weights / weights.sum()).round(2)
    parts[weights.idxmax()] += round(total - parts.sum(), 2)
    return parts.round(2)


def _year_rows(deltas: pd.DataFrame, conf: KmfYear, pop: pd.Series | None) -> pd.DataFrame:
    """state_refund, basic_contribution and regional_cap rows (columns of `deltas`)."""
    rows: list[dict] = []
    zero = dict.fromkeys(CAUSES, 0.0)
    for j in range(FINAL + 1):
        at_j = deltas[deltas["statement_no"] == j]
        # the state's surcharge handed back by population, per activity month
        surcharge = at_j[at_j["category"] == "faerdigbehandlet_state"].groupby("activity_month")["delta"].sum()
        for month, total in surcharge.items():
            if pop is None:
                raise PopulationError("the state surcharge is handed back by population: none known for the region")
            for muni, part in _spread(-total, pop).items():
                cause = "new_activity" if j == int(month[5:]) - 1 else "correction"
                rows.append(
                    {
                        "statement_no": j,
                        "municipality_code": muni,
                        "category": "state_refund",
                        "activity_month": month,
                        "delta": part,
                        **zero,
                        cause: part,
                        "items_changed": 0,
                    }
                )
        basic = conf.kr(conf.somatic.basic_contribution)
        if basic and j < 12:
            assert pop is not None
            for muni, inhabitants in pop.items():
                amount = round(basic * inhabitants / 12, 2)
                rows.append(
                    {
                        "statement_no": j,
                        "municipality_code": muni,
                        "category": "basic_contribution",
                        "activity_month": f"{conf.year}-{j + 1:02d}",
                        "delta": amount,
                        **zero,
                        "new_activity": amount,
                        "items_changed": 0,
                    }
                )
    return pd.DataFrame(rows, columns=deltas.columns)


def _cap_rows(deltas: pd.DataFrame, cap: float | None) -> tuple[pd.DataFrame, list[dict]]:
    """regional_cap rows and the region's gross, capped and repaid KMF after each statement."""
    rows, series = [], []
    kmf = deltas[deltas["category"].isin(KMF)]
    repaid_before = pd.Series(dtype=float)
    for j in range(FINAL + 1):
        upto = kmf[kmf["statement_no"] <= j].groupby("municipality_code")["delta"].sum()
        gross = round(float(upto.sum()), 2)
        excess = max(0.0, gross - cap) if cap is not None else 0.0
        repaid = _spread(round(excess, 2), upto) if excess else upto * 0.0
        change = repaid.sub(repaid_before, fill_value=0.0).round(2)
        for muni, part in change.items():
            if part:
                rows.append(
                    {
                        "statement_no": j,
                        "municipality_code": muni,
                        "category": "regional_cap",
                        "activity_month": None,
                        "delta": -part,
                        **dict.fromkeys(CAUSES, 0.0),
                        "cap": -part,
                        "items_changed": 0,
                    }
                )
        repaid_before = repaid
        series.append(
            {
                "statement_no": j,
                "gross_kmf": gross,
                "cap": cap,
                "repaid": round(excess, 2),
                "capped_kmf": round(gross - excess, 2),
                "repaid_in_statement": round(float(change.sum()), 2),
            }
        )
    return pd.DataFrame(rows, columns=deltas.columns), series


def build_statements(
    deltas: pd.DataFrame, conf: KmfYear, region: str, region_munis: list[str], reference: Path
) -> tuple[pd.DataFrame, list[dict]]:
    """The statements table and the region's cap series (one entry per statement)."""
    deltas = deltas.astype({"statement_no": int})
    needs_pop = conf.full_financing.state_surcharge is not None or conf.somatic.basic_contribution is not None
    pop = population(reference, conf.year, region_munis) if needs_pop or conf.a_conto else None
    extra = _year_rows(deltas, conf, pop)
    cap_rows, cap_series = _cap_rows(deltas, conf.region_cap.get(region))
    parts = [p for p in (deltas, extra, cap_rows) if len(p)]
    st = pd.concat(parts, ignore_index=True) if parts else deltas
    st = st.groupby(["statement_no", *KEY], dropna=False, as_index=False).sum(numeric_only=True)
    st = st.sort_values(["statement_no", *KEY], na_position="first").reset_index(drop=True)
    st["charged_total"] = st.groupby(KEY, dropna=False)["delta"].cumsum().round(2)
    st["charged_before"] = (st["charged_total"] - st["delta"]).round(2)
    dates = conf.statement_dates()
    st["statement_kind"] = ["final" if j == FINAL else "preliminary" for j in st["statement_no"]]
    st["as_of"] = [dates[j] for j in st["statement_no"]]
    st["period"] = [f"{conf.year}" if j == FINAL else f"{conf.year}-{j + 1:02d}" for j in st["statement_no"]]
    cols = [
        "statement_no",
        "statement_kind",
        "as_of",
        "period",
        *KEY,
        "delta",
        *CAUSES,
        "charged_before",
        "charged_total",
        "items_changed",
    ]
    return st[cols], cap_series


def a_conto(
    statements: pd.DataFrame, conf: KmfYear, region: str, region_munis: list[str], reference: Path
) -> pd.DataFrame | None:
    """The a-conto settlement per municipality of the region: paid a-conto (the region's monthly
    amount spread by population, twelve months), the activity-based KMF of the final statement
    after the regional cap, and the difference to settle (positive: the municipality pays more)."""
    if conf.a_conto is None or region not in conf.a_conto.monthly:
        return None
    pop = population(reference, conf.year, region_munis)
    monthly = _spread(conf.a_conto.monthly[region], pop)
    kmf = statements[statements["category"].isin([*KMF, "regional_cap"])]
    activity = kmf.groupby("municipality_code")["delta"].sum().reindex(region_munis, fill_value=0.0)
    out = pd.DataFrame(
        {
            "municipality_code": region_munis,
            "a_conto_monthly": monthly.values,
            "a_conto_year": (monthly * 12).round(2).values,
            "activity_based": activity.round(2).values,
        }
    )
    out["to_settle"] = (out["activity_based"] - out["a_conto_year"]).round(2)
    return out


def statement_date_rows(conf: KmfYear) -> list[dict[str, object]]:
    """The timetable of the year, for the summary."""
    return [
        {
            "statement_no": j,
            "kind": "final" if j == FINAL else "preliminary",
            "as_of": d.isoformat(),
            "months": f"{conf.year}-01..{conf.year}-{min(j + 1, 12):02d}",
        }
        for j, d in enumerate(conf.statement_dates())
    ]
