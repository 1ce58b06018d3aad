"""The values of a matched pair compared, each difference named (docs/MATCHING.md).

Times are equal within `time_equal_minutes`, values within `value_equal_kr`; a value on one side
and none on the other is a difference. Only the fields the extract has are compared (a field
mapped to null is not). The region's `value` is compared with the national course value.
"""

from __future__ import annotations

from functools import reduce

from pyspark.sql import Column
from pyspark.sql import functions as F

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
DIFFERENCE = "struct<field:string,region:string,national:string>"


def _differs(field: str, r: Column, n: Column, rules: MatchRules) -> Column:
    one_side = r.isNull() != n.isNull()
    if field in ("start_time", "end_time"):
        apart = F.abs(F.unix_seconds(r) - F.unix_seconds(n)) > F.lit(rules.time_equal_minutes * 60.0)
        return one_side | (r.isNotNull() & n.isNotNull() & apart)
    if field == "value":
        return one_side | (r.isNotNull() & n.isNotNull() & (F.abs(r - n) > F.lit(rules.value_equal_kr)))
    return ~r.eqNullSafe(n)


def _shown(field: str, c: Column) -> Column:
    if field in ("start_time", "end_time"):
        return F.date_format(c, "yyyy-MM-dd'T'HH:mm:ss'Z'")
    return c.cast("string")


def compared_fields(rules: MatchRules, mapped: set[str]) -> list[str]:
    """The configured fields the extract has, in the configured order."""
    return [f for f in rules.compare if f in mapped]


def differences(rules: MatchRules, fields: list[str]) -> Column:
    """array<struct<field, region, national>> of the fields that differ; null when none does (the
    test is a plain boolean, so a row without differences builds no array)."""
    tests = [(f, _differs(f, *(F.col(c) for c in SIDES[f]), rules)) for f in fields]
    if not tests:
        return F.lit(None).cast(f"array<{DIFFERENCE}>")
    items = []
    for f, differs in tests:
        r, n = (F.col(c) for c in SIDES[f])
        item = F.struct(F.lit(f).alias("field"), _shown(f, r).alias("region"), _shown(f, n).alias("national"))
        items.append(F.when(differs, item))
    any_differs = reduce(lambda a, b: a | b, [d for _, d in tests])
    return F.when(any_differs, F.array_compact(F.array(*items))).cast(f"array<{DIFFERENCE}>")
