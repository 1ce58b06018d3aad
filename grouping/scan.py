"""The ordered rule scan (docs/NORDDRG.md §5) as one SQL expression, dispatched on the case's MDC.

A case can only match rules whose MDC condition is empty, negative, or names its own MDC. The rules
are split in two scan lists, each kept in `ord` order: the rules without a positive MDC condition
(scanned for every case) and, per MDC, the rules that name it. Each list is a CASE WHEN whose first
true branch gives the matched rule's index; the MDC lists sit in a CASE on the case's MDC, so a case
only scans its own. The first match overall is the smaller of the two indexes, exactly the first
true row of the whole table in `ord` order.

The expression is written as SQL text from the rules and parsed once (no Column per rule through the
Python-JVM bridge). Conditions use only plain comparisons and array/map lookups on the features of
`grouping.features` (no lambdas), so the scan stays in generated code.
"""

from __future__ import annotations

from collections.abc import Callable

from pyspark.sql import Column
from pyspark.sql import functions as F

from grouping.logic import Rule
from lprflow.sql import sql_string


def _has(array: str, value: str) -> str:
    return f"array_contains({array}, {sql_string(value)})"


def _srcs(value: str) -> str:
    return f"coalesce(procpr_srcs[{sql_string(value)}], array())"


def _member(array: str) -> Callable[[str, str, Rule], str]:
    return lambda op, value, rule: _has(array, value) if op == "+" else f"NOT {_has(array, value)}"


def _mdc(op: str, value: str, rule: Rule) -> str:
    v = sql_string(value)
    return f"mdc_case = {v}" if op == "+" else f"(mdc_case IS NULL OR mdc_case <> {v})"


def _dgcat(op: str, value: str, rule: Rule) -> str:
    return f"dgcat {'=' if op == '+' else '<>'} {sql_string(value)}"  # '-': null fails, as it should


_OR = {
    ("+", "S"): "or1",
    ("+", "P"): "(or1 OR or2)",
    ("+", "N"): "NOT or1",
    ("+", "Z"): "NOT (or1 OR or2)",
    ("+", ""): "(or1 OR or2)",
    ("-", ""): "NOT (or1 OR or2)",
}


def _secproc(op: str, value: str, rule: Rule) -> str:
    first = rule.conditions.get("procpro1")
    anchor = first[1] if first and first[0] == "+" else None
    if op == "+":
        if anchor is None:
            return _has("procpr_values", value)
        # some source has `value` and another source has the anchor: both present, two sources in all
        return (
            f"({_has('procpr_values', value)} AND {_has('procpr_values', anchor)} "
            f"AND size(array_union({_srcs(value)}, {_srcs(anchor)})) >= 2)"
        )
    if value:
        return f"NOT {_has('procpr_values', value)}"
    # '-' alone: every OR-1 source also carries the procpro1 property (no other OR procedure)
    if anchor is None:
        return "NOT or1"
    return f"size(array_except(or1_srcs, {_srcs(anchor)})) = 0"


def _compare(column: str) -> Callable[[str, str, Rule], str]:
    return lambda op, value, rule: {
        "<": f"{column} < {int(value)}",
        ">": f"{column} > {int(value)}",
        "+": f"{column} >= {int(value)}",
        "-": f"{column} <> {int(value)}",
    }[op]


def _sex(op: str, value: str, rule: Rule) -> str:
    return {"M": "sex = 1", "F": "sex = 2", "-": "(sex IS NULL OR sex NOT IN (1, 2))"}[value]


def _disch(op: str, value: str, rule: Rule) -> str:
    if op == "=" and value == "N":
        return "(discharge IS NULL OR discharge <> 'E')"
    if op == "=":
        return f"discharge = {sql_string(value)}"
    return f"(discharge IS NULL OR discharge <> {sql_string(value)})"


# condition column (dgprop1..4 as "dgprop") -> SQL over the case features; in the order a rule's
# conditions are written: cheap and selective tests first (AND stops at the first false one)
_CONDITIONS: dict[str, Callable[[str, str, Rule], str]] = {
    "dgcat1": _dgcat,
    "pdgprop": _member("pdgprop"),
    "procpro1": _member("procpr_values"),
    "dgprop": _member("dgprop"),
    "mdc": _mdc,
    "or": lambda op, value, rule: _OR.get((op, value), "false"),
    "icd": lambda op, value, rule: "valid" if op == "+" else "NOT valid",
    "sex": _sex,
    "agelim": _compare("age_days"),
    "dur": _compare("los_days"),
    "disch": _disch,
    "compl": _compare("cc_level"),
    "secproc1": _secproc,
}
_ORDER = list(_CONDITIONS)


def _family(column: str) -> str:
    return "dgprop" if column.startswith("dgprop") else column


def condition_sql(rule: Rule, skip_mdc: bool = False) -> str:
    """SQL that is true when every non-empty condition of `rule` holds for the case; a null (an
    unknown feature) never makes a CASE branch fire, exactly as a failed condition."""
    parts = sorted(
        (
            (_ORDER.index(_family(column)), _CONDITIONS[_family(column)](op, value, rule))
            for column, (op, value) in rule.conditions.items()
            if not (skip_mdc and column == "mdc" and op == "+")
        ),
        key=lambda p: p[0],
    )
    return " AND ".join(f"({sql})" for _, sql in parts) if parts else "true"


def _positive_mdc(rule: Rule) -> str | None:
    c = rule.conditions.get("mdc")
    return c[1] if c and c[0] == "+" else None


def _case_when(branches: list[tuple[int, Rule]], skip_mdc: bool) -> str:
    if not branches:
        return "CAST(NULL AS INT)"
    body = " ".join(f"WHEN {condition_sql(r, skip_mdc)} THEN {i}" for i, r in branches)
    return f"CASE {body} END"


def first_match_sql(rules: list[Rule]) -> str:
    """SQL giving the index (0-based, in `ord` order) of the first rule that holds; null if none."""
    general: list[tuple[int, Rule]] = []
    by_mdc: dict[str, list[tuple[int, Rule]]] = {}
    for i, rule in enumerate(rules):
        mdc = _positive_mdc(rule)
        (by_mdc.setdefault(mdc, []) if mdc is not None else general).append((i, rule))
    if not by_mdc:
        return _case_when(general, skip_mdc=False)
    dispatch = " ".join(f"WHEN {sql_string(m)} THEN {_case_when(b, skip_mdc=True)}" for m, b in sorted(by_mdc.items()))
    return f"least({_case_when(general, skip_mdc=False)}, CASE mdc_case {dispatch} END)"


# An expression Spark evaluates without generated code (higher-order functions are `CodegenFallback`
# in Spark 4.1) and that is always null: in the scan's `least` it keeps the scan's projection out of
# whole-stage code generation, whose single method cannot hold a real table's scan (Janino: "Code
# grows beyond 64 KB", logged as an ERROR, then retried without). The projection is then generated
# on its own and split into methods. It reads a (small) column so that it cannot be folded away.
_OUTSIDE_WHOLE_STAGE = "aggregate(or1_srcs, CAST(NULL AS INT), (acc, x) -> acc)"


def first_match(rules: list[Rule]) -> Column:
    """Index (0-based, in `ord` order) of the first rule that holds; null when none does."""
    return F.expr(f"least({first_match_sql(rules)}, {_OUTSIDE_WHOLE_STAGE})")
