"""The result-report rules (group RESULTATINDBERETNING), from the rule table: one small condition
builder per shape (see expectations/result_rules.py and docs/RULES.md), evaluated on the frames of
expectations/frames/result_reports.py. Nothing here names a report, a type or a code list: those
are the table's."""

from __future__ import annotations

from collections.abc import Callable

from pyspark.sql import Column
from pyspark.sql import functions as F

from expectations.columns import col, day, listed_during, listed_on, not_valid_within, outside_valid
from expectations.frames.result_reports import ANCHOR_DAYS
from expectations.registry import Check
from expectations.result_rules import Bounds, ResultCondition, ResultRule, load_result_rules

# trigger kind of a requirement rule → the object the issue is reported on
_TRIGGER_OBJECT = {
    "aktionsdiagnose": "diagnose",
    "bidiagnose": "diagnose",
    "kontakt": "kontakt",
    "procedure": "procedure",
}


def _all(*conds: Column) -> Column:
    out = F.lit(True)
    for c in conds:
        out = out & c
    return out


def _any(conds: list[Column]) -> Column:
    out = F.lit(False)
    for c in conds:
        out = out | c
    return out


def _in(prefix: str, anchor: str, names: tuple[str, ...]) -> Column:
    """The `prefix` code is in one of the lists `names` at the anchor: a lookup in its code-list map
    at the Danish days the frame computed for the anchor (ANCHOR_DAYS), evaluated only where the
    rule's other conditions hold (no lambda, no list computed for every row)."""
    first, last = ANCHOR_DAYS[anchor]
    lists = col(f"{prefix}__lists")
    if last is None:
        return _any([listed_on(lists, n, col(first)) for n in names])
    return _any([listed_during(lists, n, col(first), col(last)) for n in names])


def _times(anchor: str) -> tuple[Column, Column]:
    """The (start, end) a list test or a validity test uses on the report frames."""
    return {
        "period": (col("cause_start_time"), col("cause_end_time")),
        "start": (col("cause_start_time"), col("cause_start_time")),
        "end": (col("cause_end_time"), col("cause_end_time")),
        "trigger_start": (col("t_start"), col("t_start")),
        "trigger_time": (col("t_time"), col("t_time")),
        "contact_period": (col("k_start"), col("k_end")),
        "contact_end": (col("k_end"), col("k_end")),
    }[anchor]


def _is_report(rule: ResultRule) -> Column:
    return col("name") == rule.report if rule.report else F.lit(True)


def _status_ok(rule: ResultRule) -> Column:
    if not rule.when_status:
        return F.lit(True)
    return _in("status", rule.status_anchor or "period", (rule.when_status,))


def _when_trigger(rule: ResultRule, anchor: str) -> Column:
    """The rule's conditions on the trigger (diagnose:L, kontaktaarsag:L, art:L, type:L, priority:L,
    kontakt, ended, born_within_days:N); list tests at `anchor`."""
    conds = []
    for item in rule.when_trigger:
        key, _, value = item.partition(":")
        names = tuple(value.split("|"))
        if key in ("diagnose", "kontaktaarsag"):
            kind = "diagnose" if key == "diagnose" else "kontakt"
            conds.append((col("t_kind") == kind) & _in("tcode", anchor, names))
        elif key == "art":
            conds.append(_in("tart", anchor, names))
        elif key == "type":
            conds.append(_in("tktype", anchor, names))
        elif key == "priority":
            conds.append(_in("tprio", anchor, names))
        elif key == "kontakt":
            conds.append(col("t_kind") == "kontakt")
        elif key == "ended":
            conds.append(col("k_end").isNotNull())
        elif key == "born_within_days":
            conds.append(F.date_sub(day(col("t_start")), int(value)) <= col("birth_date"))
        else:
            raise ValueError(f"rule {rule.rule_id}: unknown when_trigger item '{item}'")
    return _all(*conds)


def _result_says(c: ResultCondition) -> Column:
    """Some result of the report satisfies `c`: `TYPE in list` over the cause period (a lookup in
    `res_tags`, "TYPE|list"), or `TYPE > n` of its integer value."""
    if c.op == "in":
        return F.array_contains(col("res_tags"), f"{c.type}|{c.operand}")
    return F.exists("res", lambda x: (x["type"] == c.type) & (x["int"] > int(c.operand)))


def _when_result(rule: ResultRule) -> Column:
    """Another result of the report says so (`TYPE in list` over the cause period, `TYPE > n`)."""
    return _all(*[_result_says(c) for c in rule.when_result])


def _outside(value: Column, b: Bounds) -> Column:
    """The value is missing or outside the domain (Drools: `vaerdiSomHeltal() == null || ...`)."""
    if b.values:
        return value.isNull() | ~value.isin(*b.values)
    low = (value < b.low) if b.low_closed else (value <= b.low)
    high = (value > b.high) if b.high_closed else (value >= b.high)
    conds = [value.isNull()]
    if b.low != float("-inf"):
        conds.append(low)
    if b.high != float("inf"):
        conds.append(high)
    return _any(conds)


def _times_in(array: str, value: str) -> Column:
    """How many times `value` is in the array column (array operations, no lambda)."""
    return F.size(col(array)) - F.size(F.array_remove(col(array), value))


def _count(types: tuple[str, ...]) -> Column:
    """How many results of the report have one of the types."""
    n = F.lit(0)
    for t in dict.fromkeys(types):
        n = n + _times_in("res_types", t)
    return n


def _trigger_matches(rule: ResultRule) -> Column:
    """On the report: its trigger is what the report needs (kind, code list at the anchor, the rest)."""
    kind = "diagnose" if rule.trigger in ("diagnose", "aktionsdiagnose", "bidiagnose") else rule.trigger
    return (
        (col("trigger_type") == kind)
        & col("t_kind").isNotNull()
        & _in("tcode", rule.anchor, rule.lists)
        & _when_trigger(rule, rule.anchor)
    )


def _trigger_role(rule: ResultRule) -> Column:
    return {"aktionsdiagnose": col("t_role") == "A", "bidiagnose": col("t_role") == "B"}.get(rule.trigger, F.lit(True))


def _report_condition(rule: ResultRule) -> Callable[[], Column]:
    shape = rule.shape

    def cond() -> Column:
        if shape == "result_count":
            low, high = rule.bounds.low, rule.bounds.high  # type: ignore[union-attr]
            n = _count(rule.types)
            return _is_report(rule) & ((n < low) | (n > high))
        if shape == "result_required":
            has = F.array_contains(col("res_types"), rule.types[0])
            when = _status_ok(rule) & _when_trigger(rule, "period") & _when_result(rule)
            return _is_report(rule) & when & ~has
        if shape == "report_trigger":
            return _is_report(rule) & ~_trigger_matches(rule)
        if shape in ("name_valid_at_trigger", "status_valid_at_trigger"):
            attr = "name" if shape.startswith("name") else "status"
            kind = "diagnose" if rule.trigger in ("diagnose", "aktionsdiagnose", "bidiagnose") else rule.trigger
            s, e = _times(rule.anchor)
            bad = not_valid_within(attr, s, e) if rule.anchor == "contact_period" else outside_valid(attr, s)
            return (col("trigger_type") == kind) & col("t_kind").isNotNull() & _trigger_role(rule) & s.isNotNull() & bad
        if shape in ("name_in_list", "status_in_list"):
            attr = "name" if shape.startswith("name") else "status"
            return col(attr).isNotNull() & ~_in(attr, rule.anchor, rule.lists)
        if shape == "unit_valid":
            return col("ru__known") & not_valid_within("ru", "cause_start_time", "cause_end_time")
        raise ValueError(f"rule {rule.rule_id}: shape {shape} is not a report shape")

    return cond


def _result_condition(rule: ResultRule) -> Callable[[], Column]:
    shape = rule.shape

    def cond() -> Column:
        typed = _is_report(rule) & (col("r_type") == rule.types[0]) if rule.types else _is_report(rule)
        if shape == "result_types_allowed":
            return _is_report(rule) & col("r_type").isNotNull() & ~col("r_type").isin(*rule.types)
        if shape == "result_value_list":
            when = _status_ok(rule) & _when_trigger(rule, "period") & _when_result(rule)
            return typed & when & ~_in("r", rule.anchor, rule.lists)
        if shape == "result_integer":
            return typed & _outside(col("r_int"), rule.bounds)  # type: ignore[arg-type]
        if shape == "result_decimal":
            return typed & _outside(col("r_dec"), rule.bounds)  # type: ignore[arg-type]
        if shape == "result_datetime":
            return typed & ~col("r_dt_ok")
        if shape == "type_valid_at_trigger":
            on_fe = (col("trigger_type") == "forloebselement") & col("t_start").isNotNull()
            return on_fe & outside_valid("rtype", "cause_start_time")
        raise ValueError(f"rule {rule.rule_id}: shape {shape} is not a result shape")

    return cond


def _deadline(rule: ResultRule) -> Column:
    return col("k_end") + F.expr(f"INTERVAL {int(rule.deadline_days or 0)} DAYS")


def _trigger_condition(rule: ResultRule) -> Callable[[], Column]:
    def cond() -> Column:
        kind = "diagnose" if rule.trigger in ("aktionsdiagnose", "bidiagnose") else rule.trigger
        found = F.array_contains(col("report_names"), rule.report)
        # a report named so whose status is in the list at the anchor (the frame's `report_status`)
        complete = f"{rule.report}|{rule.status_anchor or 'period'}|{rule.when_status}"
        if rule.shape == "report_required":
            missing = ~found
        elif rule.shape == "complete_report_required":
            missing = ~F.array_contains(col("report_status"), complete)
        else:  # report_missing_or_incomplete: none, or one that is not complete
            missing = ~found | (_times_in("report_names", rule.report) > _times_in("report_status", complete))
        cond = (
            (col("t_kind") == kind)
            & _trigger_role(rule)
            & _in("tcode", rule.anchor, rule.lists)
            & _when_trigger(rule, rule.anchor)
            & missing
        )
        if rule.deadline_days is not None:
            due = _deadline(rule) <= col("_now")
            cond = cond & (due if rule.deadline_phase == "after" else ~due)
        return cond

    return cond


def checks(rules: list[ResultRule]) -> list[Check]:
    """One check per table row."""
    out = []
    for rule in rules:
        if rule.frame == "report":
            out.append(Check(rule.rule_id, "report", _report_condition(rule)))
        elif rule.frame == "report_result":
            out.append(Check(rule.rule_id, "report_result", _result_condition(rule)))
        else:
            error_by = (lambda rule=rule: _deadline(rule)) if rule.deadline_days is not None else None
            obj = _TRIGGER_OBJECT[rule.trigger]
            out.append(Check(rule.rule_id, "trigger", _trigger_condition(rule), object_type=obj, error_by=error_by))
    return out


RULES = load_result_rules()
CHECKS: list[Check] = checks(RULES)
