"""The result-report rule table (reference/lpr3/result_rules.csv): it covers the catalogue's group
RESULTATINDBERETNING exactly, says what the Drools text says wherever the shape reader recognises
the rule, rejects a malformed row with a message naming file, rule and column; and the deadline
rules switch from warning to error at the contact's end + N days, with that deadline as errorBy."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from expectations.catalogue import load_catalogue
from expectations.frames.builder import FrameBuilder
from expectations.result_rules import COLUMNS, ResultRuleError, load_result_rules
from expectations.rules.result_reports import CHECKS as RESULT_REPORT_CHECKS
from lprflow.paths import reference_dir
from tests.drools_shapes import shape
from tests.result_report_cases import DEADLINE_CASES
from tests.rule_cases import case
from tests.test_rules import build_register, run


def _table_rows() -> dict[str, dict[str, str]]:
    with (reference_dir() / "lpr3" / "result_rules.csv").open(encoding="utf-8") as fh:
        return {r["rule_id"]: r for r in csv.DictReader(fh)}


def test_the_table_has_one_row_per_rule_of_the_group():
    catalogue = load_catalogue()
    group = {r for r, m in catalogue.items() if m.group == "RESULTATINDBERETNING"}
    rules = [r.rule_id for r in load_result_rules()]
    assert len(rules) == len(set(rules)) == 231
    assert set(rules) == group


def test_the_table_says_what_the_drools_says():
    """Every row whose rule the shape reader recognises (186 of 231) agrees with it field by field."""
    catalogue, rows = load_catalogue(), _table_rows()
    compared = 0
    for rule_id, row in rows.items():
        parsed = shape(catalogue[rule_id].source)
        if parsed is None:
            continue
        compared += 1
        for key, value in parsed.items():
            assert row[key] == value, (rule_id, key, row[key], value)
    assert compared == 186


def test_the_anomalies_are_decided_with_a_note():
    rows = _table_rows()
    assert "diagn.abor.samraad.subb" in rows["RAA04.RDA51"]["when_trigger"]  # kept literally
    for rule_id in ("RAA04.RDA51", "RAA05.RDA64", "RAA02.2"):
        assert rows[rule_id]["note"].startswith("anomaly:")


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("shape", "result_maybe", "column 'shape': 'result_maybe' is not one of"),
        ("bounds", "1..10", "column 'bounds': '1..10' is neither an interval"),
        ("when_result", "RDA01 like x", "column 'when_result': 'RDA01 like x'"),
        ("anchor", "tomorrow", "column 'anchor': 'tomorrow' is not one of"),
    ],
)
def test_a_malformed_row_is_named(tmp_path: Path, column: str, value: str, message: str):
    rows = list(_table_rows().values())
    rows[3][column] = value
    path = tmp_path / "rules.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, COLUMNS)
        w.writeheader()
        w.writerows(rows)
    with pytest.raises(ResultRuleError, match=f"rule {rows[3]['rule_id']}, {message}"):
        load_result_rules(path)


@pytest.mark.parametrize("as_of", sorted(DEADLINE_CASES), ids=lambda t: t.isoformat())
def test_deadlines_switch_from_warning_to_error(spark, reference, as_of: dt.datetime):
    """The result-report rules alone (a run of the whole catalogue per as-of time cost the suite
    ~65 s each; what the other rules do with these registers is not what is tested here)."""
    cases = DEADLINE_CASES[as_of]
    found, result = run(spark, reference, cases, as_of=as_of, checks=RESULT_REPORT_CHECKS)
    for c in cases:
        assert found[c.name] == c.expect, c.name
    end = dt.datetime(2021, 3, 5, 12)
    for r in result.issues.collect():
        days = 3 if r["rule_id"].startswith(("RAA05", "RAA09")) else 7
        assert r["error_by"] == end + dt.timedelta(days=days), r["rule_id"]
        assert r["severity"] == ("WARNING" if r["rule_id"].endswith("-w") else "ERROR"), r["rule_id"]


def test_the_result_report_frames_plans_stay_small(spark, reference):
    """Every lookup of the result-report frames takes its ids from the materialized result reports
    or candidate triggers, never from a frame already joined with a lookup. Chained that way each
    step held the whole plan before it twice: the trigger frame's analysed plan had 14,818 lines on the
    suite's register and 1,533 on these cases, and each operation on it took ~0.35 s to analyse."""
    register = build_register(spark, DEADLINE_CASES[min(DEADLINE_CASES)])
    with FrameBuilder(register, reference) as builder:
        frames = builder.build({"report", "report_result", "trigger"})
        sizes = {
            name: frames[name].df._jdf.queryExecution().analyzed().treeString().count("\n")
            for name in ("report", "report_result", "trigger")
        }
    # chained: 471, 476 and 1,533 lines; now 144, 149 and 101
    assert all(lines < 400 for lines in sizes.values()), sizes


def test_without_result_reports_or_triggers_the_frames_plan_nothing(spark, reference):
    """The materialized result reports and candidate triggers, when empty, are empty local relations:
    the optimizer drops every join and aggregation above them (and, in a run, every rule condition),
    so a register without result reports pays nothing to compile the 231 rules."""
    register = {name: df.limit(0) for name, df in build_register(spark, [case("clean")]).items()}
    with FrameBuilder(register, reference) as builder:
        frames = builder.build({"report", "report_result", "trigger"})
        plans = {
            name: frames[name].df._jdf.queryExecution().optimizedPlan().toString()
            for name in ("report", "report_result", "trigger")
        }
    assert all(plan.startswith("LocalRelation <empty>") for plan in plans.values()), plans
