"""summary.json of `lprflow match`, in the region's terms: contacts in its own data, found, not
found and the share, by hospital, by department (responsible unit) and by reason, the value at
stake, and what only the national data has. Computed from small aggregates of contacts/."""

from __future__ import annotations

from typing import Any

from pyspark.sql import DataFrame
from pyspark.sql import functions as F


def _rows(df: DataFrame) -> list[dict[str, Any]]:
    return [r.asDict() for r in df.collect()]  # aggregates: a row per hospital/unit/reason


def _share(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 4) if whole else 0.0


def match_summary(contacts: DataFrame) -> dict[str, Any]:
    region = F.col("region_row_id").isNotNull()
    dup = (F.col("status") == "only_region") & (F.col("reason") == "duplicate")
    own = region & ~dup
    found = F.col("status").isin("matched", "matched_with_differences")
    lone = own & (F.col("status") == "only_region")
    per = [
        F.count_if(region).alias("rows"),
        F.count_if(dup).alias("duplicates"),
        F.count_if(own).alias("contacts"),
        F.count_if(found).alias("found"),
        F.count_if(lone).alias("not_found"),
        F.count_if(F.col("status") == "matched_with_differences").alias("with_differences"),
        F.sum(F.when(lone, F.col("value_at_stake"))).alias("value_at_stake"),
    ]
    total = (
        contacts.agg(
            *per,
            F.count_if(F.col("status") == "only_national").alias("only_national"),
            F.count_if(F.col("matched_on") == "kontakt_id").alias("on_id"),
            F.count_if(F.col("matched_on") == "patient_unit_start").alias("on_patient_unit_start"),
        )
        .first()
        .asDict()
    )

    def described(row: dict[str, Any]) -> dict[str, Any]:
        row["value_at_stake"] = round(float(row["value_at_stake"] or 0.0), 2)
        row["not_found_pct"] = _share(row["not_found"], row["contacts"])
        return row

    by_hospital = _rows(contacts.where(region).groupBy("hospital").agg(*per).orderBy("hospital"))
    by_unit = _rows(
        contacts.where(region).groupBy("hospital", "responsible_unit").agg(*per).orderBy("hospital", "responsible_unit")
    )
    reasons = _rows(
        contacts.where(F.col("reason").isNotNull()).groupBy("status", "reason").count().orderBy("status", "reason")
    )
    diffs = _rows(
        contacts.select(F.explode("differences").alias("d"))
        .groupBy(F.col("d.field").alias("field"), F.col("d.reason").alias("reason"))
        .count()
        .orderBy("field", "reason")
    )
    unreadable = _rows(
        contacts.select(F.explode("unreadable").alias("field")).groupBy("field").count().orderBy("field")
    )
    t = described(dict(total))
    return {
        "contacts_in_own_data": t["contacts"],
        "rows_in_extract": t["rows"],
        "duplicates_in_extract": t["duplicates"],
        "found": t["found"],
        "not_found": t["not_found"],
        "not_found_pct": t["not_found_pct"],
        "found_with_differences": t["with_differences"],
        "matched_on": {"kontakt_id": t["on_id"], "patient_unit_start": t["on_patient_unit_start"]},
        "only_national": t["only_national"],
        "value_at_stake": t["value_at_stake"],
        "by_hospital": [described(r) for r in by_hospital],
        "by_department": [described(r) for r in by_unit],
        "by_reason": {
            status: {r["reason"]: r["count"] for r in reasons if r["status"] == status}
            for status in ("only_region", "only_national")
        },
        "differences": [{"field": r["field"], "reason": r["reason"], "count": r["count"]} for r in diffs],
        "unreadable_values": {r["field"]: r["count"] for r in unreadable},
    }
