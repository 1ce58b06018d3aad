"""`lprflow match` on the generated register: every discrepancy of the region extract's ground
truth (injected at a high rate, and those the data makes itself) is found with its reason, and
nothing else is."""

from __future__ import annotations

import json

import pytest
from pyspark.sql import functions as F

from jobs.group import run_group
from matching.truth import TRUTH_COLUMNS as KEY
from matching.truth import discrepancies
from tests.conftest import YEAR
from tests.test_matching import match_in_own_jvm


@pytest.fixture(scope="module")
def generated_match(spark, register_dir, tmp_path_factory):
    closing = json.loads((register_dir / "manifest.json").read_text())["parameters"]["closing"]
    folder = tmp_path_factory.mktemp("gmatch")
    run_group(spark, register_dir, YEAR, closing, folder / "national", quiet=True)
    match_in_own_jvm(
        "--region-contacts", register_dir / "region_extract", "--national", folder / "national", "--out", folder / "out"
    )
    summary = json.loads((folder / "out" / "summary.json").read_text())
    return (
        summary,
        spark.read.parquet(str(folder / "out" / "contacts")),
        spark.read.parquet(str(register_dir / "match_truth")),
    )


def test_the_job_finds_exactly_the_ground_truth(generated_match):
    _, contacts, truth = generated_match
    found = {tuple(r) for r in discrepancies(contacts).select(KEY).collect()}
    expected = {tuple(r) for r in truth.select(KEY).collect()}
    assert found - expected == set() and expected - found == set()


def test_every_kind_of_discrepancy_is_in_the_truth(generated_match):
    """Every injected kind. A difference that is `late` (an open report before the closing day, the
    end after it) and `other_year` are left to the hand-built tests: the generator reports
    everything of the year by the closing day unless told to report it late."""
    _, _, truth = generated_match
    kinds = {(r["status"], r["reason"]) for r in truth.select("status", "reason").distinct().collect()}
    assert kinds >= {
        ("only_region", "not_reported"),
        ("only_region", "deleted"),
        ("only_region", "late"),
        ("only_region", "duplicate"),
        ("only_national", "unknown"),
        ("matched_with_differences", "unknown"),
        ("matched_with_differences", "different_patient"),
        ("matched", None),
    }


def test_summary_counts_agree_with_the_rows(generated_match):
    summary, contacts, _ = generated_match
    region = contacts.where(F.col("region_row_id").isNotNull())
    assert summary["rows_in_extract"] == region.count()
    lone = region.where((F.col("status") == "only_region") & (F.col("reason") != "duplicate")).count()
    assert summary["not_found"] == lone and summary["found"] + lone == summary["contacts_in_own_data"]


def _same(column, value):  # pandas: None matches a missing value
    return column.isna() if value is None else column == value


def test_summary_per_hospital_and_department_and_its_differences_count_the_rows(generated_match):
    """Every breakdown of summary.json against the contacts/ rows, counted here in pandas."""
    summary, contacts, _ = generated_match
    df = contacts.select(
        "hospital", "responsible_unit", "status", "reason", "region_row_id", "value_at_stake", "differences"
    ).toPandas()
    region = df[df["region_row_id"].notna()]
    dup = (region["status"] == "only_region") & (region["reason"] == "duplicate")
    lone = (region["status"] == "only_region") & ~dup
    assert len(summary["by_department"]) == len(region.groupby(["hospital", "responsible_unit"], dropna=False))
    for d in summary["by_department"]:
        at = region[_same(region["hospital"], d["hospital"]) & _same(region["responsible_unit"], d["responsible_unit"])]
        found = at["status"].isin(["matched", "matched_with_differences"]).sum()
        assert (d["rows"], d["duplicates"], d["found"], d["not_found"]) == (
            len(at),
            dup[at.index].sum(),
            found,
            lone[at.index].sum(),
        )
        assert d["value_at_stake"] == round(at.loc[lone[at.index], "value_at_stake"].fillna(0).sum(), 2)
    assert sum(h["rows"] for h in summary["by_hospital"]) == len(region)
    hospitals = set(region["hospital"].where(region["hospital"].notna(), None))
    assert [h["hospital"] for h in summary["by_hospital"]] == sorted(hospitals, key=lambda h: (h is not None, h))
    counted: dict[tuple[str, str], int] = {}
    for diffs in df["differences"]:
        for d in diffs:
            counted[(d["field"], d["reason"])] = counted.get((d["field"], d["reason"]), 0) + 1
    assert {(d["field"], d["reason"]): d["count"] for d in summary["differences"]} == counted
    assert summary["only_national"] == int((df["status"] == "only_national").sum())
