"""The values of a matched pair compared, each difference named (docs/MATCHING.md).

Times are equal within `time_equal_minutes`, values within `value_equal_kr`; a value on one side
and none on the other is a difference. Only the fields the extract has are compared (a field
mapped to null is not). The region's `value` is compared with the national course value.

Each difference carries its explanation (`matching.reasons.explanation`), built per field
without lambda functions, so it runs in generated code (`lprflow.arrays`). The first pass asks
only whether a pair differs (`any_difference`); the few pairs that do are compared in full in the
second pass.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import reduce

from pyspark.sql import Column
from pyspark.sql import functions as F

from lprflow.arrays import present
from matching.config import MatchRules

# field -> (region column, national column)
SIDES = {
    "patient": ("r_cpr_key", "n_cpr_key"),
    "start_time": ("r_start_time", "n_start_time"),
    "end_time": ("r_end_time", "n_end_time"),
    "responsible_unit": ("r_responsible_unit", "n_responsible_unit"),
    "type": ("r_type", "n_type"),
    "priority": ("r_priority", "n_priority"),
    "aktionsdiagnose": ("r_aktionsdiagnose", "n_aktionsdiagnose"),
    "drg": ("r_drg", "n_drg"),
    "value": ("r_value", "n_course_value"),
    "municipality_code": ("r_municipality_code", "n_municipality_code"),
}
DIFFERENCE = "struct<field:string,region:string,national:string,reason:string,detail:string>"
DIFFERENCES = f"array<{DIFFERENCE}>"
# (field, the region's value as shown) -> (reason, detail) of that field's difference
Explain = Callable[[str, Column], tuple[Column, Column]]


def _differs(field: str, r: Column, n: Column, rules: MatchRules) -> Column:
    one_side = r.isNull() != n.isNull()
    if field in ("start_time", "end_time"):
        apart = F.abs(F.unix_seconds(r) - F.unix_seconds(n)) > F.lit(rules.time_equal_minutes * 60.0)
        return one_side | (r.isNotNull() & n.isNotNull() & apart)
    if field == "value":
        return one_side | (r.isNotNull() & n.isNotNull() & (F.abs(r - n) > F.lit(rules.value_equal_kr)))
    return ~r.eqNullSafe(n)


def iso(c: Column) -> Column:
    """An instant as the outputs show it: ISO 8601 in UTC, to the second."""
    return F.date_format(c, "yyyy-MM-dd'T'HH:mm:ss'Z'")


def shown(field: str, c: Column) -> Column:
    """A value of `field` as a difference shows it (a time as an ISO instant, `iso`)."""
    if field in ("start_time", "end_time"):
        return iso(c)
    return c.cast("string")


def compared_fields(rules: MatchRules, mapped: set[str]) -> list[str]:
    """The configured fields the extract has, in the configured order."""
    return [f for f in rules.compare if f in mapped]


def _tests(rules: MatchRules, fields: list[str]) -> list[tuple[str, Column]]:
    return [(f, _differs(f, *(F.col(c) for c in SIDES[f]), rules)) for f in fields]


def any_difference(rules: MatchRules, fields: list[str]) -> Column:
    """Whether any of `fields` differs on a pair (a plain boolean; false without fields)."""
    tests = _tests(rules, fields)
    return reduce(lambda a, b: a | b, [d for _, d in tests]) if tests else F.lit(False)


def differences(rules: MatchRules, fields: list[str], explain: Explain) -> Column:
    """DIFFERENCES of the fields that differ, each with `explain`'s reason and detail; null when
    none does (the test is a plain boolean, so a row without differences builds no array)."""
    tests = _tests(rules, fields)
    if not tests:
        return F.lit(None).cast(DIFFERENCES)
    items = []
    for f, differs in tests:
        r, n = (shown(f, F.col(c)) for c in SIDES[f])
        reason, detail = explain(f, r)
        item = F.struct(
            F.lit(f).alias("field"), r.alias("region"), n.alias("national"), reason.alias("reason"),
            detail.alias("detail"),
        )  # fmt: skip
        items.append((differs, item))
    return F.when(any_difference(rules, fields), present(items, DIFFERENCE))
