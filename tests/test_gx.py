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


@pytest.fixture(scope="module")
def failing(spark, tmp_path_factory):
    """One delivery with three dataset-level faults, validated once: the same contact twice in one
    report (keys, blocking), three contacts without an aktionsdiagnose (share, blocking) and a
    contact still open long after it started (open contacts, reported)."""
    from tests.rule_cases import OPH, PAY, Case, drop, set_

    clean = next(c for c in CASES if c.name == "clean")
    dup = Case("dup", [add(K, key="k", priority="ATA3")])
    no_a = [Case(f"noa{i}", [drop("diagnose", "da")]) for i in range(3)]
    still_open = Case(
        "open",
        [
            set_(K, "k", end_time=None),
            set_(OPH, "o2", end_time=None),
            set_(PAY, "pay", end_time=None),
            set_("forloebselement", "fe", end_time=None, end_mode=None),
        ],
    )
    folder = tmp_path_factory.mktemp("gx")
    reg = _write(spark, [clean, dup, *no_a, still_open], folder / "reg")
    out = folder / "out"
    with pytest.raises(BlockingExpectationFailed) as err:
        run_validate(spark, reg, dt.datetime(2021, 12, 1), out, quiet=True)
    return str(err.value), out


def test_a_blocking_failure_fails_the_command_but_writes_every_output(failing):
    message, out = failing
    assert "expect_column_pair_values_to_be_equal" in message  # keys
    assert "expect_column_values_to_be_between" in message  # aktionsdiagnose share
    assert (out / "errors").is_dir() and (out / "fejlliste").is_dir()  # the outputs are there to look at
    assert (out / "data_docs" / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html").exists()


def test_a_duplicate_version_is_named_by_table_and_object(failing):
    message, out = failing
    # the table and the object are named, not only a count
    named = "table kontakt: 1 object(s) with two versions at one report time, e.g. dup-k at 2021-03-06T00:00:00"
    assert named in message
    assert not _suites(out)["keys"]["success"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["dataset_expectations"]["duplicate_versions"] == [
        {"table": "kontakt", "objects": 1, "examples": [{"id": "dup-k", "reported_at": "2021-03-06T00:00:00"}]}
    ]


def test_missing_aktionsdiagnoser_are_blocking(failing):
    _, out = failing
    suite = _suites(out)["aktionsdiagnose_share"]
    assert not suite["success"] and suite["blocking"]


def test_open_contact_too_old_is_reported_not_blocking(failing):
    _, out = failing
    suite = _suites(out)["open_contacts"]
    assert not suite["success"] and not suite["blocking"]
    assert suite["expectations"][0]["unexpected"] == 1
