"""The ordered rule scan (docs/NORDDRG.md §5) as one generated Spark expression.

Each drglogic row becomes a boolean Column over the case features of `grouping.features`; the
rows, in `ord` order, become one CASE WHEN whose first true branch gives the matched row's index
(first match wins, exactly as the scan). The matched row is then joined from a broadcast table.
"""

from __future__ import annotations

from collections.abc import Callable

from pyspark.sql import Column
from pyspark.sql import functions as F

from grouping.logic import Rule


def _has(array: str, value: str) -> Column:
    return F.array_contains(F.col(array), F.lit(value))


def _or(op: str, value: str) -> Column:
    or1, or2 = F.col("or1"), F.col("or2")
    table = {
        ("+", "S"): or1,
        ("+", "P"): or1 | or2,
        ("+", "N"): ~or1,
        ("+", "Z"): ~or1 & ~or2,
        ("+", ""): or1 | or2,
        ("-", ""): ~(or1 | or2),
    }
    return table.get((op, value), F.lit(False))


def _secproc(op: str, value: str, first: tuple[str, str] | None) -> Column:
    anchor = first[1] if first and first[0] == "+" else None
    if op == "+":
        if anchor is None:
            return _has("procpr_values", value)
        return F.exists(
            "procpr",
            lambda x: (x["v"] == value) & F.exists("procpr", lambda y: (y["v"] == anchor) & (y["src"] != x["src"])),
        )
    if value:
        return ~_has("procpr_values", value)
    # '-' alone: every OR-1 source also carries the procpro1 property (no other OR procedure)
    if anchor is None:
        return ~F.col("or1")
    return F.forall(
        "orflags",
        lambda o: (o["v"] != "1") | F.exists("procpr", lambda p: (p["src"] == o["src"]) & (p["v"] == anchor)),
    )


def _compare(column: str, op: str, n: int) -> Column:
    c = F.col(column)
    return {"<": c < n, ">": c > n, "+": c >= n, "-": c != n}[op]


def _member(array: str) -> Callable[[str, str, Rule], Column]:
    return lambda op, value, rule: _has(array, value) if op == "+" else ~_has(array, value)


def _mdc(op: str, value: str, rule: Rule) -> Column:
    m = F.col("mdc_case")
    return (m == value) if op == "+" else (m.isNull() | (m != value))


def _dgcat(op: str, value: str, rule: Rule) -> Column:
    d = F.col("dgcat")
    return (d == value) if op == "+" else (d.isNotNull() & (d != value))


def _sex(op: str, value: str, rule: Rule) -> Column:
    s = F.col("sex")
    return {"M": s == 1, "F": s == 2, "-": F.coalesce(~s.isin(1, 2), F.lit(True))}[value]


def _disch(op: str, value: str, rule: Rule) -> Column:
    d = F.col("discharge")
    if op == "=" and value == "N":
        return F.coalesce(d != "E", F.lit(True))
    if op == "=":
        return d == value
    return F.coalesce(d != value, F.lit(True))


# condition column (dgprop1..4 as "dgprop") -> Column over the case features
_CONDITIONS: dict[str, Callable[[str, str, Rule], Column]] = {
    "icd": lambda op, value, rule: F.col("valid") if op == "+" else ~F.col("valid"),
    "mdc": _mdc,
    "dgcat1": _dgcat,
    "pdgprop": _member("pdgprop"),
    "dgprop": _member("dgprop"),
    "procpro1": _member("procpr_values"),
    "or": lambda op, value, rule: _or(op, value),
    "secproc1": lambda op, value, rule: _secproc(op, value, rule.conditions.get("procpro1")),
    "agelim": lambda op, value, rule: _compare("age_days", op, int(value)),
    "dur": lambda op, value, rule: _compare("los_days", op, int(value)),
    "compl": lambda op, value, rule: _compare("cc_level", op, int(value)),
    "sex": _sex,
    "disch": _disch,
}


def condition(rule: Rule) -> Column:
    """True when every non-empty condition of `rule` holds for the case (never null)."""
    parts = [
        F.coalesce(_CONDITIONS["dgprop" if column.startswith("dgprop") else column](op, value, rule), F.lit(False))
        for column, (op, value) in rule.conditions.items()
    ]
    if not parts:
        return F.lit(True)
    out = parts[0]
    for p in parts[1:]:
        out = out & p
    return out


def first_match(rules: list[Rule]) -> Column:
    """Index (0-based, in `ord` order) of the first rule that holds; null when none does."""
    expr = None
    for i, rule in enumerate(rules):
        expr = F.when(condition(rule), F.lit(i)) if expr is None else expr.when(condition(rule), F.lit(i))
    return expr if expr is not None else F.lit(None).cast("int")
