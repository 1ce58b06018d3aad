"""`lprflow drg-tables synth`: a synthetic table set of real structure (small instance here; the full
size in bench/bench_table_size.py), whose witness cases reach every rule in both groupers."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from grouping.engine import group_cases
from grouping.percase import PerCaseGrouper
from grouping.synthetic import WITNESS_FILE, read_witnesses
from grouping.tables import TableSet
from jobs.cli import app
from jobs.drg_tables import run_synth
from tests.drg_cases import SAMPLE, frame, golden_cases

RULES, SCALE = 480, 0.02


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("syn") / "tables"
    manifest = run_synth(folder, rules=RULES, scale=SCALE, seed=7)
    return folder, manifest, TableSet.load(folder, require_tariffs=True), read_witnesses(folder / WITNESS_FILE)


def _rows(path):
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_sizes_notice_and_manifest(small):
    folder, manifest, tables, _ = small
    assert len(tables.rules) == RULES
    assert "NOT the official" in (folder / "README.txt").read_text(encoding="utf-8")
    m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert m["synthetic"] is True and m["parameters"] == {
        "rules": RULES,
        "scale": SCALE,
        "seed": 7,
        "base": "drg/dkdrg-sample-2021",
    }
    dg = _rows(folder / "dg.csv")
    # conf/grouping.yaml real counts x 0.02 (e.g. DGCAT 19,964 -> 399, DGPROP 29,273 -> 585)
    assert sum(r["vartype"] == "DGCAT" for r in dg) == 399
    assert sum(r["vartype"] == "DGPROP" for r in dg) == 585
    assert sum(r["vartype"] == "OR" for r in _rows(folder / "proc.csv")) == 130
    assert sum(1 for r in _rows(folder / "complcat.csv") if r["inclprop"]) == 11  # activation rows: the real count
    assert {r["drg"] for r in _rows(folder / "drglogic.csv")} == {r["drg"] for r in _rows(folder / "drgnames.csv")}
    assert {r["drg"] for r in _rows(folder / "drgnames.csv")} == {r["drg"] for r in _rows(folder / "tariffs.csv")}


def test_the_same_seed_writes_the_same_files_and_another_seed_does_not(small, tmp_path):
    folder, *_ = small
    run_synth(tmp_path / "again", rules=RULES, scale=SCALE, seed=7)
    run_synth(tmp_path / "other", rules=RULES, scale=SCALE, seed=8)
    for name in ("drglogic.csv", "dg.csv", "proc.csv", "complexcl.csv", "tariffs.csv", WITNESS_FILE):
        assert (tmp_path / "again" / name).read_bytes() == (folder / name).read_bytes(), name
    assert (tmp_path / "other" / "dg.csv").read_bytes() != (folder / "dg.csv").read_bytes()


def test_structure_of_a_real_set(small):
    _, _, tables, _ = small
    synthetic = [r for r in tables.rules if r.ord[3] == "C"]
    pre_mdc = [r for r in synthetic if "mdc" not in r.conditions]
    assert len(synthetic) == RULES - 102 and len(pre_mdc) >= 20  # ~6 % of the rules scan every case
    kinds = {
        "age": any("agelim" in r.conditions for r in pre_mdc),
        "sex": any(r.conditions.get("sex") == ("", "M") for r in pre_mdc),
        "neonatal": any(r.conditions.get("mdc") == ("+", "15") for r in synthetic),
        "pre-MDC surgery": any(r.ord.startswith("400C") for r in synthetic),
        "second procedure": any(r.conditions.get("secproc1", ("", ""))[1] for r in synthetic),
        "no other OR procedure": any(r.conditions.get("secproc1") == ("-", "") for r in synthetic),
        "minor OR": any(r.conditions.get("or") == ("+", "P") for r in synthetic),
        "complication": any(r.conditions.get("compl") == ("+", "1") for r in synthetic),
        "level 2": any(r.conditions.get("compl") == (">", "1") for r in synthetic),
        "negated property": any(r.cell("dgprop2").startswith("-") for r in synthetic),
        "death": any(r.conditions.get("disch") == ("=", "E") for r in synthetic),
        "long stay": any(r.conditions.get("dur", ("", ""))[0] == ">" for r in synthetic),
        "unrelated OR": any(r.rtc == "7" for r in synthetic),
        "warning": any(r.rtc == "A" for r in synthetic),
    }
    assert all(kinds.values()), kinds
    assert any(d for _, _, d in tables.complexcl) and any(d for _, d, _, _ in tables.dg)  # pair rows
    assert tables.rules[-1].ord == "999D002000" and not tables.rules[-1].conditions  # the catch-all ends it


def test_every_rule_is_reached_by_a_witness_or_a_golden_case(small):
    _, _, tables, witnesses = small
    reached = {w["expected_ord"] for w in witnesses} | {c["expected"]["ord"] for c in golden_cases()}
    assert {r.ord for r in tables.rules} == reached


def test_the_per_case_grouper_puts_every_witness_on_its_rule(small):
    _, _, tables, witnesses = small
    py = PerCaseGrouper(tables, post_rule=True)
    got = [(w["why"], w["expected_ord"], py.group(w)["ord"]) for w in witnesses]
    assert [g for g in got if g[1] != g[2]] == []


def test_spark_and_the_per_case_grouper_agree_on_every_witness(spark, small):
    _, _, tables, witnesses = small
    py = PerCaseGrouper(tables, post_rule=True)
    got = {
        r["case_id"]: (r["drg"], r["ord"], r["rtc"], r["cc_level"])
        for r in group_cases(spark, frame(spark, witnesses), tables, post_rule=True).collect()
    }
    want = {}
    for w in witnesses:
        p = py.group(w)
        want[w["case_id"]] = (p["drg"], p["ord"], p["rtc"], p["cc_level"])
        assert p["ord"] == w["expected_ord"], w["why"]
    assert got == want


def test_real_codes_group_as_with_the_sample_set(spark, small):
    """The synthetic rules only test synthetic codes: every golden case keeps its hand-written answer."""
    _, _, tables, _ = small
    cases = golden_cases()
    got = {
        r["case_id"]: (r["drg"], r["ord"], r["rtc"])
        for r in group_cases(spark, frame(spark, cases), tables, post_rule=True).collect()
    }
    assert got == {c["case_id"]: (c["expected"]["drg"], c["expected"]["ord"], c["expected"]["rtc"]) for c in cases}
    assert {r.ord for r in TableSet.load(SAMPLE).rules} <= {r.ord for r in tables.rules}


def test_cli_writes_a_set_that_group_cases_reads_with_its_witnesses(tmp_path):
    tables, results = tmp_path / "tables", tmp_path / "results"
    runner = CliRunner()
    res = runner.invoke(app, ["drg-tables", "synth", "--out", str(tables), "--rules", "300", "--scale", "0.01"])
    assert res.exit_code == 0, res.output
    assert "not official" in res.output and "drglogic 300" in res.output
    res = runner.invoke(
        app, ["group-cases", "--tables", str(tables), "--cases", str(tables / WITNESS_FILE), "--out", str(results)]
    )
    assert res.exit_code == 0, res.output
    from pyspark.sql import SparkSession

    spark = SparkSession.getActiveSession()
    got = {r["case_id"]: r["ord"] for r in spark.read.parquet(str(results / "results")).collect()}
    assert got == {w["case_id"]: w["expected_ord"] for w in read_witnesses(tables / WITNESS_FILE)}


def test_rules_below_the_base_set_are_refused(tmp_path):
    with pytest.raises(ValueError, match="below the 102 rules"):
        run_synth(tmp_path / "t", rules=50, scale=0.01)


def test_no_synthetic_code_or_rule_uses_a_value_of_the_sample_set(small):
    """A synthetic property equal to a real one (the sample's 00X63, say) would let a synthetic rule
    catch real codes: every synthetic value is new."""
    from grouping.synthetic import base_values

    _, _, tables, _ = small
    real = base_values(TableSet.load(SAMPLE))
    given = {v for code, _, t, v in tables.dg if code.startswith("DZZ") and t != "MDC"}
    given |= {v for code, t, v in tables.proc if code.startswith("KZZ") and t not in ("OR", "CC")}
    properties = ("dgcat1", "pdgprop", "procpro1", "secproc1", "dgprop1", "dgprop2", "dgprop3", "dgprop4")
    tested = {v for r in tables.rules if r.ord[3] == "C" for c, (_, v) in r.conditions.items() if c in properties}
    tested.discard("")  # secproc1 '-' alone
    assert given and tested and not (given | tested) & real


def test_synth_never_replaces_a_folder_that_is_not_its_own(tmp_path):
    from lprflow.output import OutputError

    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(OutputError, match="not an earlier output of `lprflow drg-tables synth`"):
        run_synth(foreign, rules=300, scale=0.01)
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep"
    run_synth(tmp_path / "own", rules=300, scale=0.01)
    run_synth(tmp_path / "own", rules=300, scale=0.01)  # its own earlier output is replaced
