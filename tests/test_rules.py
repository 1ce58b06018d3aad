"""Every implemented rule on hand-built cases (tests/rule_cases.py): each case breaks exactly the
rules it expects and nothing else; the clean baseline breaks nothing. Plus the engine's gates:
validity windows, reporter scopes, warnings and their deadlines."""

from __future__ import annotations

import datetime as dt

import pytest

from expectations.catalogue import load_catalogue
from expectations.engine import evaluate
from expectations.frames.builder import FrameBuilder
from expectations.rules import ALL_CHECKS
from tests.register_builder import register_frames
from tests.result_report_cases import DEADLINE_CASES, RESULT_CASES
from tests.rule_cases import CASES, REPORTED, case_rows

AS_OF = dt.datetime(2022, 1, 1)


def build_register(spark, cases):
    return register_frames(spark, case_rows(cases), reported_at=REPORTED, region="1082")


def run(spark, reference, cases, catalogue=None, as_of=AS_OF, checks=None):
    """The cases' register checked by `checks` (every implemented rule unless given)."""
    register = build_register(spark, cases)
    catalogue = catalogue or load_catalogue()
    frames = FrameBuilder(register, reference).build()
    result = evaluate(frames, checks or ALL_CHECKS, catalogue, as_of, "sds:lpr:3.0.5")
    found: dict[str, set] = {c.name: set() for c in cases}
    for r in result.issues.collect():
        case_name, key = r["object_id"].split("-", 1)
        found[case_name].add((r["object_type"], key, r["rule_id"]))
    return found, result


ALL_CASES = CASES + RESULT_CASES


@pytest.fixture(scope="module")
def found(spark, reference):
    return run(spark, reference, ALL_CASES)[0]


@pytest.mark.parametrize("case", ALL_CASES, ids=[c.name for c in ALL_CASES])
def test_case(found, case):
    assert found[case.name] == case.expect


def test_every_implemented_rule_fires_in_some_case_and_is_silent_on_the_baseline():
    checked = {c.rule_id for c in ALL_CHECKS}
    deadline_cases = [c for cases in DEADLINE_CASES.values() for c in cases]
    exercised = {rule for c in ALL_CASES + deadline_cases for (_, _, rule) in c.expect}
    assert checked <= exercised, sorted(checked - exercised)


def test_every_catalogue_rule_in_scope_is_implemented():
    """Every rule of the groups in scope has a check."""
    from expectations.config import validation_config

    groups = set(validation_config().groups)
    catalogue = load_catalogue()
    checked = {c.rule_id for c in ALL_CHECKS}
    in_scope = {r for r, m in catalogue.items() if m.group in groups}
    assert in_scope - checked == set()


def _one(name, *edits):
    from tests.rule_cases import Case

    return Case(name, list(edits))


@pytest.fixture(scope="module")
def gated(spark, reference):
    """One run with catalogue overrides that gate rules by window, scope and warning deadline."""
    from tests.rule_cases import FE, K, set_

    overrides = {
        "05.12": {"encounter_start_from": "2021-06-01"},  # contacts start in March: out of the window
        "05.13": {"encounter_start_to": "2021-06-01"},  # in the window
        "5104": {"received_from": "2021-03-07"},  # reported 2021-03-06: before the window
        "07.a": {"severity": "WARNING", "error_by": "2022-06-01T00:00:00"},  # deadline after the as-of time
        "07.51": {"severity": "WARNING", "error_by": "2021-06-01T00:00:00"},  # deadline passed: an error
    }
    born_late = set_("patient", "pat", birth_date=dt.date(2021, 3, 2))
    cases = [
        _one("window_from", set_(K, "k", treatment_start=dt.datetime(2021, 3, 1, 7))),
        _one("window_to", set_(K, "k", treatment_start=dt.datetime(2021, 3, 5, 12))),
        _one("received", set_(K, "k", priority="ATA3")),
        _one("warning", set_(K, "k", reason="ATA1")),
        _one("deadline", set_(K, "k", reason="DR539")),
        _one("lpr", born_late),
        _one("private", born_late, set_(FE, "fe", reporter_type="PRIVATE")),
    ]
    found, result = run(spark, reference, cases, load_catalogue(overrides=overrides))
    rows = {(r["object_id"].split("-", 1)[0], r["rule_id"]): r for r in result.issues.collect()}
    return found, rows


def test_validity_windows_gate_rules(gated):
    found, _ = gated
    assert found["window_from"] == set()
    assert found["window_to"] == {("kontakt", "k", "05.13")}
    assert found["received"] == {("resultatindberetning", "ri", "RAA05.3")}  # a planned contact: no injury report


def test_reporter_scope_gates_a_rule(gated):
    found, _ = gated
    assert found["lpr"] == {("forloebselement", "fe", "01.01"), ("henvisning", "h", "01.11")}
    assert found["private"] == set()  # 01.01 and 01.11 are not valid for private-sector reports


def test_warning_counts_as_error_after_its_deadline(gated):
    _, rows = gated
    assert rows[("warning", "07.a")]["severity"] == "WARNING"
    assert rows[("warning", "07.a")]["error_by"] == dt.datetime(2022, 6, 1)
    assert rows[("deadline", "07.51")]["severity"] == "ERROR"
    assert rows[("deadline", "07.a")]["severity"] == "WARNING"


def test_warnings_in_the_official_form(spark, reference):
    """A warning lands under `warnings` with its errorBy, and the document conforms to the schema
    (the warning's rule alone is checked: the form is under test, not the catalogue)."""
    import json

    import jsonschema

    from expectations.fejlliste import build_documents
    from lprflow.paths import reference_dir
    from tests.rule_cases import K, set_

    overrides = {"07.a": {"severity": "WARNING", "error_by": "2022-06-01T00:00:00"}}
    cases = [_one("w", set_(K, "k", reason="ATA1"))]
    register = build_register(spark, cases)
    frames = FrameBuilder(register, reference).build()
    checks = [c for c in ALL_CHECKS if c.rule_id == "07.a"]
    result = evaluate(frames, checks, load_catalogue(overrides=overrides), AS_OF, "sds:lpr:3.0.5")
    docs = build_documents(
        result.issues,
        register["forloebselement"].select("forloebselement_id", "patient_id"),
        "e602e07c-7f05-431d-b187-1199974f4c5b",
    )
    [doc] = [json.loads(r["document"]) for r in docs.collect()]
    schema = json.loads((reference_dir() / "lpr3" / "acl.schema.json").read_text(encoding="utf-8"))
    [warning] = doc["encounters"][0]["warnings"]
    # the hand-built ids are not UUIDs, so check the warning against the schema's own definition
    jsonschema.validate(warning, {"$ref": "#/definitions/warning", "definitions": schema["definitions"]})
    assert warning["ruleId"] == "07.a" and warning["errorBy"] == "2022-06-01T00:00:00+00:00"
    assert "errors" not in doc["encounters"][0]
