"""Batch mode: NordDRG grouping strings in, grouped Parquet out (`lprflow group-cases`)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from grouping.grouping_string import FIELDS, parse, to_string
from jobs.cli import app
from tests.drg_cases import SAMPLE, golden_cases


def _line(case_id: str, s: str) -> str:
    return f"{case_id};{s}"


def test_parse_fields(spark):
    s = to_string(2, 10248, "R", 4, [("E103", "H360"), (None, None), ("I10", None)], ["CKDP10", "", "ZXE00"])
    s = s.replace("I10", "I1*0")  # '*' is deleted before splitting
    fields = s.split(",")
    fields[0] = "9"
    fields[3] = " "  # an empty length of stay counts as 0
    cases, rejected = parse(spark.createDataFrame([("c1", ",".join(fields))], "case_id string, grouping_string string"))
    r = cases.collect()[0]
    assert (r.sex, r.age_days, r.discharge, r.los_days) == (9, 10248, "R", 0)
    assert [(d.code, d.addon) for d in r.diagnoses] == [("E103", "H360"), ("I10", None)]
    assert r.procedures == ["CKDP10", "ZXE00"]
    assert rejected.count() == 0


def test_parse_rejects_a_number_field_that_is_not_a_number(spark):
    """A malformed number is an error, not a zero: the case would be grouped as if valid."""
    base = to_string(1, 20000, "H", 2, [("DI219", None)], []).split(",")
    rows = []
    for case_id, i, value in [("sex", 0, "M"), ("age", 1, "20y"), ("los", 3, "2.5"), ("ok", 3, "")]:
        fields = list(base)
        fields[i] = value
        rows.append((case_id, ",".join(fields)))
    cases, rejected = parse(spark.createDataFrame(rows, "case_id string, grouping_string string"))
    assert {r.case_id: r.reason for r in rejected.collect()} == {
        "sex": "field 1 (sex) is not a whole number: 'M'",
        "age": "field 2 (age in days) is not a whole number: '20y'",
        "los": "field 4 (length of stay) is not a whole number: '2.5'",
    }
    assert [(r.case_id, r.los_days) for r in cases.collect()] == [("ok", 0)]


def test_parse_keeps_empty_pdx_slot_and_lone_star(spark):
    s = to_string(1, 0, "H", 0, [(None, None), ("*", None), ("P293", None)], [])
    r = parse(spark.createDataFrame([("c", s)], "case_id string, grouping_string string"))[0].collect()[0]
    assert [(d.code, d.addon) for d in r.diagnoses] == [(None, None), ("P293", None)]


def test_parse_rejects_wrong_field_count(spark):
    df = spark.createDataFrame([("short", "1,2,H"), ("none", None)], "case_id string, grouping_string string")
    cases, rejected = parse(df)
    assert cases.count() == 0
    got = {r.case_id: r.reason for r in rejected.collect()}
    assert got == {
        "short": f"grouping string has 3 fields, expected {FIELDS}",
        "none": f"grouping string has 1 fields, expected {FIELDS}",
    }


@pytest.fixture(scope="module")
def golden_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("gc") / "cases.txt"
    lines = ["case_id;grouping_string;note"]
    for c in golden_cases():
        s = to_string(c["sex"], c["age_days"], c["discharge"], c["los_days"], c["diagnoses"], c["procedures"])
        lines.append(f"{c['case_id']};{s};{c['expected']['why']}")
    lines += [
        "bad;1,2,3;too short",
        "g001;" + "," * (FIELDS - 1) + ";duplicate id",
        ";" + "," * (FIELDS - 1) + ";no id",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_group_cases_cli_reproduces_golden(spark, golden_file, tmp_path):
    out = tmp_path / "out"
    res = CliRunner().invoke(
        app, ["group-cases", "--tables", str(SAMPLE), "--cases", str(golden_file), "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    got = {r.case_id: (r.drg, r.ord, r.rtc) for r in spark.read.parquet(str(out / "results")).collect()}
    golden = {c["case_id"]: c["expected"] for c in golden_cases()}
    del golden["g001"]  # its id is duplicated in the file: rejected, not guessed
    assert got == {k: (e["drg"], e["ord"], e["rtc"]) for k, e in golden.items()}
    rejected = sorted((r.case_id or "", r.reason) for r in spark.read.parquet(str(out / "rejected")).collect())
    assert rejected == [
        ("", "case_id missing"),
        ("bad", f"grouping string has 3 fields, expected {FIELDS}"),
        ("g001", "duplicate case_id"),
        ("g001", "duplicate case_id"),
    ]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["cases_read"] == len(golden_cases()) + 3
    assert summary["cases_grouped"] + summary["cases_rejected"] == summary["cases_read"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["tables"]["rules"] == 102 and manifest["post_rule_rtc_1_to_9"] is True
    assert manifest["rows"]["cases"] == {
        "read": summary["cases_read"],
        "grouped": summary["cases_grouped"],
        "rejected": 4,
    }


def test_group_cases_names_missing_column(tmp_path):
    f = tmp_path / "c.txt"
    f.write_text("id;grouping_string\nx;1\n", encoding="utf-8")
    res = CliRunner().invoke(
        app, ["group-cases", "--tables", str(SAMPLE), "--cases", str(f), "--out", str(tmp_path / "o")]
    )
    assert res.exit_code == 1
    assert "missing column(s) case_id" in res.output and "c.txt" in res.output
