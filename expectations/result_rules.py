"""The result-report rules as data: reference/lpr3/result_rules.csv, one row per catalogue rule of
the group RESULTATINDBERETNING, read into typed `ResultRule`s that expectations/rules/result_reports.py
turns into checks. docs/RULES.md describes the columns and shapes; tests/test_result_rules.py
cross-checks every row it can against the rule's Drools text in the catalogue.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from pathlib import Path

from lprflow.paths import reference_dir

TABLE = "lpr3/result_rules.csv"
COLUMNS = (
    "rule_id",
    "shape",
    "report",
    "trigger",
    "types",
    "list",
    "anchor",
    "bounds",
    "when_status",
    "status_anchor",
    "when_trigger",
    "when_result",
    "deadline_days",
    "deadline_phase",
    "note",
)
# shape → the frame it is evaluated on
SHAPES = {
    "result_types_allowed": "report_result",
    "result_count": "report",
    "result_required": "report",
    "report_trigger": "report",
    "name_valid_at_trigger": "report",
    "status_valid_at_trigger": "report",
    "name_in_list": "report",
    "status_in_list": "report",
    "unit_valid": "report",
    "result_value_list": "report_result",
    "result_integer": "report_result",
    "result_decimal": "report_result",
    "result_datetime": "report_result",
    "type_valid_at_trigger": "report_result",
    "report_required": "trigger",
    "complete_report_required": "trigger",
    "report_missing_or_incomplete": "trigger",
}
TRIGGERS = ("forloebselement", "forloebsmarkoer", "kontakt", "diagnose", "aktionsdiagnose", "bidiagnose", "procedure")
ANCHORS = ("period", "start", "end", "trigger_start", "trigger_time", "contact_period", "contact_end")
_INTERVAL = re.compile(r"([\[(])(-?[\d.]+|-inf),(-?[\d.]+|inf)([\])])")
_RESULT_COND = re.compile(r"(\w+) (in|>) ([\w.]+)")


class ResultRuleError(ValueError):
    """The rule table is malformed; the message names the file, the rule and the column."""


@dataclass(frozen=True)
class Bounds:
    """A value domain: an interval (each end open or closed, infinite allowed) or a set of values."""

    low: float = -math.inf
    high: float = math.inf
    low_closed: bool = True
    high_closed: bool = True
    values: tuple[float, ...] = ()


@dataclass(frozen=True)
class ResultCondition:
    """`type in list` (another result's value is in a code list) or `type > n` (its integer value)."""

    type: str
    op: str
    operand: str


@dataclass(frozen=True)
class ResultRule:
    rule_id: str
    shape: str
    report: str
    trigger: str
    types: tuple[str, ...]
    lists: tuple[str, ...]
    anchor: str
    bounds: Bounds | None
    when_status: str
    status_anchor: str
    when_trigger: tuple[str, ...]
    when_result: tuple[ResultCondition, ...]
    deadline_days: int | None
    deadline_phase: str
    note: str

    @property
    def frame(self) -> str:
        return SHAPES[self.shape]

    def trigger_condition(self, key: str) -> str | None:
        """The value of a `key:value` item of when_trigger (None when absent)."""
        for item in self.when_trigger:
            if item.startswith(key + ":"):
                return item.split(":", 1)[1]
        return None


def _bounds(text: str, where: str) -> Bounds | None:
    if not text:
        return None
    if text.startswith("{") and text.endswith("}"):
        return Bounds(values=tuple(float(v) for v in text[1:-1].split(",")))
    m = _INTERVAL.fullmatch(text)
    if not m:
        raise ResultRuleError(
            f"{where}, column 'bounds': '{text}' is neither an interval like [1,10) nor a set {{1,2}}"
        )
    lo, hi = m.group(2), m.group(3)
    return Bounds(
        low=-math.inf if lo == "-inf" else float(lo),
        high=math.inf if hi == "inf" else float(hi),
        low_closed=m.group(1) == "[",
        high_closed=m.group(4) == "]",
    )


def _conditions(text: str, where: str) -> tuple[ResultCondition, ...]:
    out = []
    for part in filter(None, (p.strip() for p in text.split("&"))):
        m = _RESULT_COND.fullmatch(part)
        if not m:
            raise ResultRuleError(f"{where}, column 'when_result': '{part}' is not 'TYPE in list' or 'TYPE > n'")
        out.append(ResultCondition(*m.groups()))
    return tuple(out)


def _check(value: str, allowed: tuple[str, ...], where: str, column: str) -> str:
    if value and value not in allowed:
        raise ResultRuleError(f"{where}, column '{column}': '{value}' is not one of {', '.join(allowed)}")
    return value


def load_result_rules(path: str | Path | None = None) -> list[ResultRule]:
    """Every row of the rule table, typed and checked."""
    path = Path(path) if path else reference_dir() / TABLE
    with path.open(encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ResultRuleError(f"{path}: missing column(s) {', '.join(missing)}")
        rules = []
        for row in reader:
            where = f"{path}, rule {row['rule_id']}"
            shape = _check(row["shape"], tuple(SHAPES), where, "shape")
            if not shape:
                raise ResultRuleError(f"{where}, column 'shape': empty")
            days = row["deadline_days"].strip()
            rules.append(
                ResultRule(
                    rule_id=row["rule_id"].strip(),
                    shape=shape,
                    report=row["report"].strip(),
                    trigger=_check(row["trigger"].strip(), TRIGGERS, where, "trigger"),
                    types=tuple(t for t in row["types"].split("|") if t),
                    lists=tuple(t for t in row["list"].split("|") if t),
                    anchor=_check(row["anchor"].strip(), ANCHORS, where, "anchor"),
                    bounds=_bounds(row["bounds"].strip(), where),
                    when_status=row["when_status"].strip(),
                    status_anchor=_check(row["status_anchor"].strip(), ANCHORS, where, "status_anchor"),
                    when_trigger=tuple(t.strip() for t in row["when_trigger"].split(";") if t.strip()),
                    when_result=_conditions(row["when_result"], where),
                    deadline_days=int(days) if days else None,
                    deadline_phase=_check(row["deadline_phase"].strip(), ("before", "after"), where, "deadline_phase"),
                    note=row["note"].strip(),
                )
            )
    return rules


def trigger_lists(rules: list[ResultRule]) -> dict[str, list[str]]:
    """Per trigger kind of the requirement rules: the code lists that make an object a candidate."""
    out: dict[str, list[str]] = {}
    for rule in rules:
        if rule.frame == "trigger":
            kind = "diagnose" if rule.trigger in ("aktionsdiagnose", "bidiagnose") else rule.trigger
            out.setdefault(kind, [])
            out[kind] += [n for n in rule.lists if n not in out[kind]]
    return out


def result_tags(rules: list[ResultRule]) -> list[tuple[str, str]]:
    """The (result type, code list) pairs of the rules' `TYPE in list` conditions on another result
    (the report frame's `res_tags`)."""
    out: list[tuple[str, str]] = []
    for rule in rules:
        for c in rule.when_result:
            if c.op == "in" and (c.type, c.operand) not in out:
                out.append((c.type, c.operand))
    return out
