"""summary.json of `lprflow match`, in the region's terms: contacts in its own data, found, not
found and the share, by hospital, by department (responsible unit) and by reason, the value at
stake, and what only the national data has.

One small job over each part of contacts/ (`tally`): a grouped count at the finest grain the
summary reports (hospital, unit, status, reason, key) that every total is added up from on the
driver, beside a count of the differences and unreadable values. The parts' tallies add up
(`Tally.add`), so the first pass's part is counted while the value at stake's last jobs run
(`matching.pipeline`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

GRAIN = ["hospital", "responsible_unit", "status", "reason", "matched_on"]


def _share(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 4) if whole else 0.0


def _measures(cells: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The region's counts over cells of the grain (each: GRAIN, region, n, value)."""
    m = {"rows": 0, "duplicates": 0, "contacts": 0, "found": 0, "not_found": 0, "with_differences": 0}
    value = 0.0
    for c in cells:
        if not c["region"]:
            continue
        n = c["n"]
        dup = c["status"] == "only_region" and c["reason"] == "duplicate"
        m["rows"] += n
        m["duplicates"] += n if dup else 0
        m["contacts"] += 0 if dup else n
        m["found"] += n if c["status"] in ("matched", "matched_with_differences") else 0
        m["with_differences"] += n if c["status"] == "matched_with_differences" else 0
        if c["status"] == "only_region" and not dup:
            m["not_found"] += n
            value += c["value"] or 0.0
    m["value_at_stake"] = round(value, 2)
    m["not_found_pct"] = _share(m["not_found"], m["contacts"])
    return m


def _ordered(keys: Iterable[Any]) -> list[Any]:
    """Sorted as Spark sorts ascending: nulls first (also within a tuple)."""

    def key(k: Any) -> Any:
        parts = k if isinstance(k, tuple) else (k,)
        return tuple((p is not None, p) for p in parts)

    return sorted(keys, key=key)


CELL = [*GRAIN, "region", "national"]


@dataclass
class Tally:
    """Rows of contacts/ counted at the summary's grain (CELL -> [rows, value at stake or None])
    and per difference and unreadable value ((kind, field, reason) -> rows)."""

    cells: dict[tuple, list] = field(default_factory=dict)
    items: dict[tuple, int] = field(default_factory=dict)

    def add(self, other: Tally) -> Tally:
        """Both tallies' rows (of two parts of contacts/)."""
        cells = {k: list(v) for k, v in self.cells.items()}
        for k, (n, value) in other.cells.items():
            mine = cells.setdefault(k, [0, None])
            mine[0] += n
            if value is not None:
                mine[1] = value if mine[1] is None else mine[1] + value
        items = dict(self.items)
        for k, n in other.items.items():
            items[k] = items.get(k, 0) + n
        return Tally(cells, items)


def tally(contacts: DataFrame) -> Tally:
    """The rows of `contacts` (CONTACT_COLUMNS) counted for the summary (both counts in one job)."""
    status = F.col("status")  # which sides a row has follows from it: the ids need not be read
    cells = contacts.groupBy(
        *GRAIN, (status != "only_national").alias("region"), (status != "only_region").alias("national")
    ).agg(F.count("*").alias("n"), F.sum("value_at_stake").alias("value"))  # a row per cell of the grain
    # a national contact has no region row, so no `unreadable` (null): concat would be null
    differences = F.coalesce("differences", F.array().cast(contacts.schema["differences"].dataType))
    unreadable = F.coalesce("unreadable", F.array().cast("array<string>"))
    items = F.concat(
        F.transform(differences, lambda d: F.struct(F.lit("d").alias("k"), d["field"].alias("a"),
                                                    d["reason"].alias("b"))),
        F.transform(unreadable, lambda u: F.struct(F.lit("u").alias("k"), u.alias("a"),
                                                   F.lit(None).cast("string").alias("b"))),
    )  # fmt: skip
    counted = (
        contacts.where((F.size(differences) > 0) | (F.size(unreadable) > 0))
        .select(F.explode(items).alias("i"))
        .groupBy(F.col("i.k").alias("k"), F.col("i.a").alias("a"), F.col("i.b").alias("b"))
        .agg(F.count("*").alias("n"))  # a row per field and reason (k "d" or "u")
    )
    rows = cells.unionByName(counted, allowMissingColumns=True).collect()
    return Tally(
        {tuple(r[c] for c in CELL): [r["n"], r["value"]] for r in rows if r["k"] is None},
        {(r["k"], r["a"], r["b"]): r["n"] for r in rows if r["k"] is not None},
    )


def match_summary(t: Tally) -> tuple[dict[str, Any], dict[str, int]]:
    """The summary of contacts/ counted in `t`, and its rows per side (`region_contacts`,
    `national`)."""
    cells = [{**dict(zip(CELL, k, strict=True)), "n": n, "value": value} for k, (n, value) in t.cells.items()]
    counted = [{"k": k, "a": a, "b": b, "count": n} for (k, a, b), n in t.items.items()]
    hospitals: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    units: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    reasons: dict[str, dict[str, int]] = {"only_region": defaultdict(int), "only_national": defaultdict(int)}
    for c in cells:
        if c["region"]:
            hospitals[c["hospital"]].append(c)
            units[(c["hospital"], c["responsible_unit"])].append(c)
        if c["reason"] is not None and c["status"] in reasons:
            reasons[c["status"]][c["reason"]] += c["n"]
    t = _measures(cells)

    def on(key: str) -> int:
        return sum(c["n"] for c in cells if c["matched_on"] == key)

    summary = {
        "contacts_in_own_data": t["contacts"],
        "rows_in_extract": t["rows"],
        "duplicates_in_extract": t["duplicates"],
        "found": t["found"],
        "not_found": t["not_found"],
        "not_found_pct": t["not_found_pct"],
        "found_with_differences": t["with_differences"],
        "matched_on": {"kontakt_id": on("kontakt_id"), "patient_unit_start": on("patient_unit_start")},
        "only_national": sum(c["n"] for c in cells if c["status"] == "only_national"),
        "value_at_stake": t["value_at_stake"],
        "by_hospital": [{"hospital": h, **_measures(hospitals[h])} for h in _ordered(hospitals)],
        "by_department": [
            {"hospital": h, "responsible_unit": u, **_measures(units[(h, u)])} for h, u in _ordered(units)
        ],
        "by_reason": {status: dict(sorted(counts.items())) for status, counts in reasons.items()},
        "differences": [
            {"field": r["a"], "reason": r["b"], "count": r["count"]}
            for r in sorted((r for r in counted if r["k"] == "d"), key=lambda r: (r["a"], r["b"] is not None, r["b"]))
        ],
        "unreadable_values": {r["a"]: r["count"] for r in sorted((r for r in counted if r["k"] == "u"),
                                                                  key=lambda r: r["a"])},
    }  # fmt: skip
    rows = {
        "region_contacts": sum(c["n"] for c in cells if c["region"]),
        "national": sum(c["n"] for c in cells if c["national"]),
    }
    return summary, rows
