"""The ordered rule scan (NORDDRG.md §5) as one generated Spark expression.

Each drglogic row becomes a boolean Column over the case features of `grouping.features`; the
rows, in `ord` order, become one CASE WHEN whose first true branch gives the matched row's index
(first match wins, exactly as the scan). The matched row is then joined from a broadcast table.
"""

from __future__ import annotations

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


def condition(rule: Rule) -> Column:
    """True when every non-empty condition of `rule` holds for the case (never null)."""
    parts: list[Column] = []
    for column, (op, value) in rule.conditions.items():
        if column == "icd":
            c = F.col("valid") if op == "+" else ~F.col("valid")
        elif column == "mdc":
            m = F.col("mdc_case")
            c = (m == value) if op == "+" else (m.isNull() | (m != value))
        elif column == "dgcat1":
            d = F.col("dgcat")
            c = (d == value) if op == "+" else (d.isNotNull() & (d != value))
        elif column == "pdgprop":
            c = _has("pdgprop", value) if op == "+" else ~_has("pdgprop", value)
        elif column.startswith("dgprop"):
            c = _has("dgprop", value) if op == "+" else ~_has("dgprop", value)
        elif column == "procpro1":
            c = _has("procpr_values", value) if op == "+" else ~_has("procpr_values", value)
        elif column == "or":
            c = _or(op, value)
        elif column == "secproc1":
            c = _secproc(op, value, rule.conditions.get("procpro1"))
        elif column == "agelim":
            c = _compare("age_days", op, int(value))
        elif column == "dur":
            c = _compare("los_days", op, int(value))
        elif column == "compl":
            c = _compare("cc_level", op, int(value))
        elif column == "sex":
            s = F.col("sex")
            c = {"M": s == 1, "F": s == 2, "-": F.coalesce(~s.isin(1, 2), F.lit(True))}[value]
        elif column == "disch":
            d = F.col("discharge")
            if op == "=" and value == "N":
                c = F.coalesce(d != "E", F.lit(True))
            elif op == "=":
                c = d == value
            else:
                c = F.coalesce(d != value, F.lit(True))
        else:  # pragma: no cover - logic.parse_rule only yields the columns above
            raise ValueError(column)
        parts.append(F.coalesce(c, F.lit(False)))
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
