"""The grouping summary, computed from the written courses/ and contacts/ (small aggregates)."""

from __future__ import annotations

from typing import Any

from pyspark.sql import DataFrame
from pyspark.sql import functions as F


def grouping_summary(courses: DataFrame, contacts: DataFrame) -> dict[str, Any]:
    """Contacts per status, courses and value per course kind, and courses and value per group."""
    status = {r["status"]: r["n"] for r in contacts.groupBy("status").agg(F.count("*").alias("n")).collect()}
    kinds = courses.groupBy("course_kind").agg(
        F.count("*").alias("courses"),
        F.sum("value").alias("value"),
        F.sum(F.when(F.col("n_contacts") == 1, 1).otherwise(0)).alias("single_contact"),
    )
    per_kind = {
        r["course_kind"]: {
            "courses": r["courses"],
            "value_kr": round(r["value"] or 0, 2),
            "single_contact": r["single_contact"],
        }
        for r in kinds.collect()
    }
    groups = (
        courses.where(F.col("drg").isNotNull())
        .groupBy("drg", "drg_name", "rtc")
        .agg(F.count("*").alias("courses"), F.sum("value").alias("value"))
        .orderBy(F.desc("value"), "drg")
        .collect()  # one row per group: at most the table's groups
    )
    n = sum(v["courses"] for v in per_kind.values())
    return {
        "contacts": {"total": sum(status.values()), **status},
        "courses": n,
        "single_contact_share": round(sum(v["single_contact"] for v in per_kind.values()) / n, 4) if n else None,
        "value_kr": round(sum(v["value_kr"] for v in per_kind.values()), 2),
        "per_kind": per_kind,
        "per_group": [
            {
                "drg": r["drg"],
                "name": r["drg_name"],
                "rtc": r["rtc"],
                "courses": r["courses"],
                "value_kr": round(r["value"] or 0, 2),
            }
            for r in groups
        ],
    }
