"""summary.json of `lprflow kmf`: what each municipality is charged, per statement and in total."""

from __future__ import annotations

from typing import Any

import pandas as pd
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from settlement.changes import CAUSES, FINAL
from settlement.config import KmfYear
from settlement.replicas import BEGINNING

# paid in full by the municipality at the region's rates
FULL_FINANCING = ("rehabilitation", "hospice", "faerdigbehandlet_somatic", "faerdigbehandlet_psychiatric")
ITEM_CATEGORIES = ("kmf_somatic", "kmf_psychiatry", *FULL_FINANCING, "faerdigbehandlet_state")


def _r(x: float) -> float:
    return round(float(x), 2)


def kmf_summary(
    items: DataFrame,
    statements: pd.DataFrame,
    cap_series: list[dict],
    settled: pd.DataFrame | None,
    replicas: DataFrame,
    replica_rows: dict[str, int],
    conf: KmfYear,
    region: str,
) -> dict[str, Any]:
    per_cat = {
        r["category"]: {"items": r["n"], "exempt": r["exempt"], "amount_kr": _r(r["amount"] or 0)}
        for r in items.groupBy("category")
        .agg(
            F.count("*").alias("n"),
            F.count_if(F.col("exempt_reason").isNotNull()).alias("exempt"),
            F.sum("amount").alias("amount"),
        )
        .collect()  # one row per category
    }
    exempt = {
        r["exempt_reason"]: r["n"]
        for r in items.where(F.col("exempt_reason").isNotNull())
        .groupBy("exempt_reason")
        .agg(F.count("*").alias("n"))
        .collect()
    }
    rep = replicas.agg(
        F.countDistinct("_p").alias("patients"),
        F.count("*").alias("replicas"),
        F.count_if(F.col("cut") == F.lit(BEGINNING)).alias("whole"),
    ).first()
    total = statements.groupby("category")["delta"].sum()
    per_muni = statements.pivot_table(
        index="municipality_code", columns="category", values="delta", aggfunc="sum", fill_value=0.0
    ).round(2)
    per_muni["total"] = per_muni.sum(axis=1).round(2)
    per_statement = statements.groupby(["statement_no", "statement_kind", "as_of"])[["delta", *CAUSES]].sum().round(2)
    item_total = sum(v["amount_kr"] for v in per_cat.values())
    statement_items = float(total[total.index.isin(ITEM_CATEGORIES)].sum()) if len(total) else 0.0
    return {
        "year": conf.year,
        "region": region,
        "model": conf.somatic.model,
        "items": per_cat,
        "exempt_items": exempt,
        "total_kr": {c: _r(v) for c, v in total.items()},
        "per_municipality": {m: {c: _r(v) for c, v in row.items() if v} for m, row in per_muni.iterrows()},
        "per_statement": [
            {"statement_no": int(j), "kind": kind, "as_of": str(d), **{k: _r(v) for k, v in row.items()}}
            for (j, kind, d), row in per_statement.iterrows()
        ],
        "regional_cap": cap_series,
        "a_conto": None if settled is None else settled.to_dict(orient="records"),
        "assumed_level_kr": conf.a_conto.assumed_level.get(region) if conf.a_conto else None,
        "checks": {
            "final_items_kr": _r(item_total),
            "statements_items_kr": _r(statement_items),
            "final_statement_equals_items": abs(item_total - statement_items) < 0.01 * max(1, len(per_cat)),
        },
        "replicas": {
            "patients": rep["patients"],
            "replicas": rep["replicas"],
            "per_patient": round(rep["replicas"] / rep["patients"], 2) if rep["patients"] else None,
            "whole_history": rep["whole"],  # replicas whose change reaches the patient's whole history
            "rows": replica_rows,  # per table: the versions the replicas hold (what was regrouped)
        },
        "statements": FINAL + 1,
    }
