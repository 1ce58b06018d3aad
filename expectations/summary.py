"""The validation summary: totals from the engine's observed metrics, breakdowns from the
(small) written error list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from expectations.catalogue import RuleMeta
from expectations.engine import EngineResult
from expectations.integrity import integrity_metas, is_integrity
from lprflow.reference import Reference


def _rows(df: DataFrame, key: list[str]) -> list[dict[str, Any]]:
    out = df.groupBy(*key).agg(
        F.sum(F.when(F.col("severity") == "ERROR", 1).otherwise(0)).alias("errors"),
        F.sum(F.when(F.col("severity") == "WARNING", 1).otherwise(0)).alias("warnings"),
    )
    return [r.asDict() for r in out.orderBy(*key).collect()]  # grouped: at most units x months rows


def _integrity(findings: DataFrame) -> list[dict[str, Any]]:
    """Per integrity finding and object type: how many objects (small: findings x tables)."""
    metas = integrity_metas()
    rows = findings.groupBy("rule_id", "object_type").agg(F.count(F.lit(1)).alias("objects"))
    return [
        {**r.asDict(), "message": metas[r["rule_id"]].message} for r in rows.orderBy("rule_id", "object_type").collect()
    ]


def build_summary(
    result: EngineResult, issues: DataFrame, reference: Reference, catalogue: dict[str, RuleMeta], as_of: dt.datetime
) -> dict[str, Any]:
    """Totals and breakdowns of the business rules' errors and warnings, and the integrity findings
    (`integrity`, not counted in `errors`)."""
    errors = issues.where(~is_integrity(F.col("rule_id")))
    metrics = result.metrics()
    checked = {name: m.get("rows", 0) for name, m in metrics.items() if not name.endswith("_codes")}
    per_rule: dict[str, int] = {}
    for m in metrics.values():
        for key, value in m.items():
            if key != "rows" and key.split("#")[0] in catalogue:
                rule_id = key.split("#")[0]
                per_rule[rule_id] = per_rule.get(rule_id, 0) + int(value or 0)
    total_checked = sum(checked.values())
    by_severity = {r["severity"]: r["n"] for r in errors.groupBy("severity").agg(F.count("*").alias("n")).collect()}
    n_err, n_warn = by_severity.get("ERROR", 0), by_severity.get("WARNING", 0)
    units = reference.sor_units.select(
        F.col("sor_id").alias("responsible_unit"), F.col("name").alias("unit_name"), "hospital_id", "hospital_name"
    )
    with_units = errors.join(F.broadcast(units), "responsible_unit", "left")
    return {
        "as_of": as_of.replace(tzinfo=dt.UTC).isoformat(),
        "reports_checked": total_checked,
        "objects_checked": checked,
        "errors": n_err,
        "warnings": n_warn,
        "error_percent": round(100.0 * n_err / total_checked, 6) if total_checked else 0.0,
        "per_rule": [
            {
                "rule_id": r,
                "group": catalogue[r].group,
                "error_number": catalogue[r].error_number,
                "objects_flagged": n,
                "message": catalogue[r].message,
            }
            for r, n in sorted(per_rule.items())
            if n
        ],
        "per_hospital": _rows(with_units, ["hospital_id", "hospital_name"]),
        "per_department": _rows(with_units, ["hospital_name", "responsible_unit", "unit_name"]),
        "per_month": _rows(errors, ["contact_month"]),
        "integrity": _integrity(issues.where(is_integrity(F.col("rule_id")))),
    }
