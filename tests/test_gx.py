"""Dataset-level expectations: GX suites on aggregated frames, Data Docs, blocking failures."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from expectations.gx_suites import BlockingExpectationFailed
from jobs.validate import run_validate
from tests.register_builder import write_register
from tests.rule_cases import CASES, REPORTED, K, add, case_rows

AS_OF = dt.datetime(2021, 4, 1)


def _write(spark, cases, path):
    return write_register(spark, case_rows(cases), path, reported_at=REPORTED, region="1082")


def _suites(out):
    summary = json.loads((out / "summary.json").read_text())
    return {s["suite"]: s for s in summary["dataset_expectations"]["suites"]}


def test_clean_register_passes_blocking_suites_and_writes_data_docs(spark, tmp_path):
    reg = _write(spark, [c for c in CASES if c.name == "clean"], tmp_path / "reg")
    out = tmp_path / "out"
    run_validate(spark, reg, AS_OF, out, quiet=True)
    suites = _suites(out)
    assert suites["keys"]["success"] and suites["aktionsdiagnose_share"]["success"]
    assert all(s["success"] for n, s in suites.items() if n.startswith("schema_contract."))
    assert len([n for n in suites if n.startswith("schema_contract.")]) == 12
    index = out / "data_docs" / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    assert index.exists() and "keys" in index.read_text()


def test_duplicate_version_fails_the_command_but_writes_outputs(spark, tmp_path):
    from tests.rule_cases import Case

    clean = next(c for c in CASES if c.name == "clean")
    dup = Case("dup", [add(K, key="k", priority="ATA3")])  # the same contact twice in one report
    reg = _write(spark, [clean, dup], tmp_path / "reg")
    out = tmp_path / "out"
    with pytest.raises(BlockingExpectationFailed, match="expect_column_pair_values_to_be_equal") as err:
        run_validate(spark, reg, AS_OF, out, quiet=True)
    # the table and the object are named, not only a count
    assert "table kontakt: 1 object(s) with two versions at one report time, e.g. dup-k at 2021-03-06T00:00:00" in str(
        err.value
    )
    assert not _suites(out)["keys"]["success"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["dataset_expectations"]["duplicate_versions"] == [
        {"table": "kontakt", "objects": 1, "examples": [{"id": "dup-k", "reported_at": "2021-03-06T00:00:00"}]}
    ]
    assert (out / "errors").is_dir() and (out / "fejlliste").is_dir()


def test_missing_aktionsdiagnoser_is_blocking(spark, tmp_path):
    from tests.rule_cases import Case, drop

    cases = [Case(f"noa{i}", [drop("diagnose", "da")]) for i in range(3)]
    reg = _write(spark, cases, tmp_path / "reg")
    out = tmp_path / "out"
    with pytest.raises(BlockingExpectationFailed, match="expect_column_values_to_be_between"):
        run_validate(spark, reg, AS_OF, out, quiet=True)
    assert (out / "errors").is_dir()  # the outputs are still there to look at
    suite = _suites(out)["aktionsdiagnose_share"]
    assert not suite["success"] and suite["blocking"]


def test_open_contact_too_old_is_reported(spark, tmp_path):
    from tests.rule_cases import OPH, PAY, Case, set_

    case = Case(
        "open",
        [
            set_(K, "k", end_time=None),
            set_(OPH, "o2", end_time=None),
            set_(PAY, "pay", end_time=None),
            set_("forloebselement", "fe", end_time=None, end_mode=None),
        ],
    )
    reg = _write(spark, [case], tmp_path / "reg")
    out = tmp_path / "out"
    run_validate(spark, reg, dt.datetime(2021, 12, 1), out, quiet=True)
    suite = _suites(out)["open_contacts"]
    assert not suite["success"] and suite["expectations"][0]["unexpected"] == 1
