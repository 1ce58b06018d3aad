"""What is behind an amount: from a municipality × month × category down to its items, courses
and contacts (`items/`), and the change one statement made, item by item with its cause
(`changes/`). Reads the outputs of `lprflow kmf`; patients appear by their pseudonymised key."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

SHOWN = [
    "item_id",
    "patient_key",
    "contacts",
    "drg",
    "basis",
    "value",
    "age_band",
    "share",
    "rate",
    "units",
    "gross",
    "cap",
    "cap_unit_id",
    "capped",
    "amount",
    "exempt_reason",
]


def _where(df: DataFrame, municipality: str, month: str | None, category: str | None) -> DataFrame:
    cond = F.col("municipality_code") == municipality
    if month:
        cond &= F.col("activity_month") == month
    if category:
        cond &= F.col("category") == category
    return df.where(cond)


def explain_amount(
    spark: SparkSession,
    kmf_dir: str | Path,
    municipality: str,
    month: str | None,
    category: str | None,
    limit: int = 50,
) -> tuple[float, int, pd.DataFrame]:
    """(total of the final statement's items, how many, the largest `limit` of them with their parts)."""
    items = _where(spark.read.parquet(str(Path(kmf_dir) / "items")), municipality, month, category)
    agg = items.agg(F.sum("amount").alias("total"), F.count("*").alias("n")).first()
    top = items.orderBy(F.desc("amount"), "item_id").select(*SHOWN).limit(limit).toPandas()
    return round(float(agg["total"] or 0.0), 2), int(agg["n"]), top


def explain_change(
    spark: SparkSession,
    kmf_dir: str | Path,
    statement_no: int,
    municipality: str,
    month: str | None = None,
    category: str | None = None,
    limit: int = 50,
) -> tuple[dict[str, float], pd.DataFrame]:
    """(the statement's delta by cause, the largest `limit` item changes behind it)."""
    ch = _where(spark.read.parquet(str(Path(kmf_dir) / "changes")), municipality, month, category)
    ch = ch.where(F.col("statement_no") == statement_no)
    by_cause = {
        r["cause"]: round(float(r["d"]), 2) for r in ch.groupBy("cause").agg(F.sum("delta").alias("d")).collect()
    }
    top = (
        ch.orderBy(F.desc(F.abs("delta")), "item_id")
        .select("item_id", "patient_key", "contacts", "cause", "amount_before", "amount_after", "delta")
        .limit(limit)
        .toPandas()
    )
    return by_cause, top
