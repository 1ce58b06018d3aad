"""`lprflow match` on a hand-built register: each kind of non-match and difference with its reason,
the keys that matched, the value at stake, the summary and the accounting."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest

from jobs.group import run_group
from tests.register_builder import write_register

MED, SURG = "1081010100000", "1081010200000"
HOSPITAL = "1081010000000"
AS_OF = dt.datetime(2022, 3, 9, 23, 0)  # 10 March 2022, Danish midnight
T = dt.datetime
CPR = {"P1": "0101501234", "P2": "0202802222", "P3": "0303703333", "P4": "0404604444", "P5": "0505505555"}


def _contact(kid, start, end, patient="P1", unit=MED, type_="ALCA00", priority="ATA3", **extra):
    return {
        "kontakt_id": kid,
        "forloebselement_id": f"FE{patient}",
        "patient_id": patient,
        "start_time": start,
        "end_time": end,
        "responsible_unit": unit,
        "type": type_,
        "priority": priority,
        **extra,
    }


def _dx(kid, code="DI219", **extra):
    return {"diagnose_id": f"D{kid}", "kontakt_id": kid, "role": "A", "code": code, "art": "ALGA01", **extra}


LATER = T(2022, 3, 20, 12, 0)  # after the as-of time
ROWS = {
    "patient": [
        {"patient_id": p, "cpr": c, "birth_date": dt.date(1900 + int(c[4:6]), int(c[2:4]), int(c[:2])), "sex": 1}
        for p, c in CPR.items()
    ],
    "forloebselement": [
        {"forloebselement_id": f"FE{p}", "patient_id": p, "start_time": T(2021, 1, 1), "responsible_unit": MED}
        for p in CPR
    ],
    "kontakt": [
        _contact("K1", T(2021, 3, 1, 8), T(2021, 3, 3, 10)),  # matched on its id
        _contact("K2", T(2021, 4, 1, 8), T(2021, 4, 1, 9)),  # the extract has no id: patient, unit, start
        _contact("K3", T(2021, 5, 1, 8), T(2021, 5, 1, 9)),  # the extract says acute
        _contact("K4", T(2021, 5, 2, 8), T(2021, 5, 2, 9), patient="P2"),  # the extract names P3
        _contact("K5", T(2021, 5, 3, 8), T(2021, 5, 3, 9)),  # moved to SURG, ends later, after the as-of time
        _contact("K5", T(2021, 5, 3, 8), T(2021, 5, 3, 10), unit=SURG, reported_at=LATER),
        _contact("K7", T(2021, 6, 1, 8), T(2021, 6, 1, 9)),  # first reported after the as-of time
        _contact("K8", T(2021, 6, 2, 8), T(2021, 6, 2, 9)),  # deleted
        _contact("K8", T(2021, 6, 2, 8), T(2021, 6, 2, 9), reported_at=T(2021, 10, 1), deleted=True),
        _contact("K10", T(2021, 7, 1, 8), T(2021, 7, 1, 9)),  # not in the extract
        _contact("K11", T(2020, 7, 1, 8), T(2020, 7, 1, 9)),  # 2020
        _contact("K12", T(2021, 7, 2, 8), None),  # open nationally
        _contact("K14", T(2021, 8, 1, 8), T(2021, 8, 1, 9), patient="P4"),  # the extract row names P5, no id
    ],
    "diagnose": [_dx(k) for k in ("K1", "K2", "K3", "K4", "K5", "K8", "K10", "K11", "K12", "K14")],
}
ROWS["kontakt"] = [{**r, "reported_at": r.get("reported_at", T(2021, 9, 1))} for r in ROWS["kontakt"]]
ROWS["kontakt"] = [
    {**r, "reported_at": LATER} if r["kontakt_id"] == "K7" else r for r in ROWS["kontakt"]
]  # K7 only after the as-of time
ROWS["diagnose"].append({**_dx("K7"), "reported_at": LATER})
ROWS["diagnose"].append({**_dx("K5", code="DI500"), "reported_at": LATER})  # K5's aktionsdiagnose, changed late

HEADER = "epj_id;lpr_id;cpr;unit;start;end;ctype;prio;adiag;note"


def _line(sid, kid, patient, start, end, unit=MED, type_="ALCA00", prio="ATA3", adiag="DI219"):
    def local(t):  # the extract gives Danish wall-clock times (UTC+1 in winter, +2 in summer)
        if t is None or isinstance(t, str):
            return t or ""
        return (t + dt.timedelta(hours=2 if 4 <= t.month <= 9 else 1)).strftime("%Y-%m-%d %H:%M:%S")

    return ";".join([sid, kid or "", CPR[patient], unit, local(start), local(end), type_, prio, adiag, f"n-{sid}"])


EXTRACT = [
    _line("e1", "K1", "P1", T(2021, 3, 1, 8), T(2021, 3, 3, 10)),
    _line("e2", None, "P1", T(2021, 4, 1, 8), T(2021, 4, 1, 9)),
    _line("e3", "K3", "P1", T(2021, 5, 1, 8), T(2021, 5, 1, 9), prio="ATA1"),
    _line("e4", "K4", "P3", T(2021, 5, 2, 8), T(2021, 5, 2, 9)),
    _line("e5", "K5", "P1", T(2021, 5, 3, 8), T(2021, 5, 3, 10), unit=SURG, adiag="DI500"),
    _line("e6", "K6", "P1", T(2021, 9, 1, 8), T(2021, 9, 1, 9)),  # never reported
    _line("e7", "K7", "P1", T(2021, 6, 1, 8), T(2021, 6, 1, 9)),
    _line("e8", "K8", "P1", T(2021, 6, 2, 8), T(2021, 6, 2, 9)),
    _line("e9", "K1", "P1", T(2021, 3, 1, 8), T(2021, 3, 3, 10)),  # K1 again
    _line("e12", "K12", "P1", T(2021, 7, 2, 8), T(2021, 7, 2, 12)),
    _line("e14", None, "P5", T(2021, 8, 1, 8), T(2021, 8, 1, 9)),
    _line("e15", None, "P1", T(2021, 3, 2, 8), T(2021, 3, 2, 9)),  # inside K1's course, not in the register
    _line("e16", "K16", "P1", T(2021, 3, 4, 8), "bad time"),  # an unreadable end
]
MAPPING = """
extract:
  columns: {source_id: epj_id, kontakt_id: lpr_id, patient: cpr, responsible_unit: unit, start_time: start,
            end_time: end, type: ctype, priority: prio, aktionsdiagnose: adiag, drg: null, value: null,
            municipality_code: null}
  patient_is: cpr
  time_format: "yyyy-MM-dd HH:mm:ss"
  csv: {header: true, delimiter: ";"}
"""


@pytest.fixture(scope="module")
def matched(spark, tmp_path_factory):
    folder = tmp_path_factory.mktemp("match")
    register = write_register(spark, ROWS, folder / "register", reported_at=T(2021, 9, 1), region="1081")
    national = folder / "national"
    run_group(spark, register, 2021, AS_OF, national, quiet=True)
    extract = folder / "extract.csv"
    extract.write_text("\n".join([HEADER, *EXTRACT]) + "\n", encoding="utf-8")
    (folder / "mapping.yaml").write_text(MAPPING, encoding="utf-8")
    errors = folder / "validation"
    spark.createDataFrame(
        [("diagnose", "DK3", "K3", "0102"), ("kontakt", "K3", "FEP1", "0210")],
        "object_type string, object_id string, parent_id string, rule_id string",
    ).write.parquet(str(errors / "errors"))
    out = folder / "out"
    match_in_own_jvm(
        "--region-contacts", extract, "--national", national, "--errors", errors, "--mapping", folder / "mapping.yaml",
        "--out", out,
    )  # fmt: skip
    summary = json.loads((out / "summary.json").read_text())
    rows = spark.read.parquet(str(out / "contacts")).collect()
    by_region = {r["region_row_id"]: r for r in rows if r["region_row_id"]}
    only_national = {r["kontakt_id"]: r for r in rows if r["region_row_id"] is None}
    return summary, by_region, only_national, out


def match_in_own_jvm(*args: object) -> None:
    """`lprflow match` as a command in its own JVM (test profile): the suite's shared 1 GB driver
    has held the other modules' plans by now, and the job's plan with a grouping inside it is large."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "PYSPARK_PYTHON": sys.executable}
    cmd = [sys.executable, "-m", "jobs.cli", "match", *[str(a) for a in args], "--profile", "test"]
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-3000:]


def _diffs(row):
    return {d["field"]: (d["region"], d["national"], d["reason"], d["detail"]) for d in row["differences"]}


def test_pass_one_matches_on_the_id_and_pass_two_on_patient_unit_and_start(matched):
    _, r, _, _ = matched
    assert (r["e1"]["status"], r["e1"]["matched_on"], r["e1"]["kontakt_id"]) == ("matched", "kontakt_id", "K1")
    assert (r["e2"]["status"], r["e2"]["matched_on"], r["e2"]["kontakt_id"]) == (
        "matched",
        "patient_unit_start",
        "K2",
    )
    assert r["e1"]["differences"] == [] and r["e1"]["reason"] is None


def test_each_difference_is_named_with_its_reason(matched):
    _, r, _, _ = matched
    assert r["e3"]["status"] == "matched_with_differences"
    assert _diffs(r["e3"]) == {"priority": ("ATA1", "ATA3", "has_errors", "on the error list: 0102, 0210")}
    assert r["e3"]["error_rules"] == ["0102", "0210"]
    assert list(_diffs(r["e4"])) == ["patient"] and _diffs(r["e4"])["patient"][2] == "different_patient"
    assert _diffs(r["e5"])["responsible_unit"] == (
        SURG,
        MED,
        "late",
        "the region's value reported 2022-03-20T12:00:00Z",
    )
    late = "the region's value reported 2022-03-20T12:00:00Z"
    assert _diffs(r["e5"])["end_time"] == ("2021-05-03T10:00:00Z", "2021-05-03T09:00:00Z", "late", late)
    assert _diffs(r["e5"])["aktionsdiagnose"] == ("DI500", "DI219", "late", late)
    end = _diffs(r["e12"])["end_time"]
    assert (end[1], end[2]) == (None, "open") and r["e12"]["national_status"] == "open"


def test_every_non_match_has_a_reason_from_the_data(matched):
    _, r, n, _ = matched
    assert (r["e6"]["status"], r["e6"]["reason"]) == ("only_region", "not_reported")
    assert (r["e7"]["reason"], r["e7"]["detail"]) == ("late", "first reported 2022-03-20T12:00:00Z")
    assert (r["e8"]["reason"], r["e8"]["detail"]) == ("deleted", "deleted, reported 2021-10-01T00:00:00Z")
    assert (r["e9"]["status"], r["e9"]["reason"], r["e9"]["detail"]) == (
        "only_region",
        "duplicate",
        "the same contact as row e1",
    )
    assert (r["e14"]["reason"], n["K14"]["reason"]) == ("different_patient", "different_patient")
    assert (r["e15"]["reason"], r["e16"]["reason"]) == ("not_reported", "not_reported")
    assert (n["K10"]["status"], n["K10"]["reason"]) == ("only_national", "unknown")
    assert (n["K11"]["reason"], n["K11"]["detail"]) == ("other_year", "starts in 2020")
    assert set(n) == {"K10", "K11", "K14"}


def test_a_row_of_one_side_has_no_differences_and_the_summary_counts_those_of_pairs(matched):
    summary, r, n, _ = matched
    alone = [x for x in [*r.values(), *n.values()] if x["status"] in ("only_region", "only_national")]
    assert len(alone) == 10 and all(x["differences"] == [] for x in alone)
    counted = Counter((d["field"], d["reason"]) for x in r.values() for d in x["differences"])
    assert {(d["field"], d["reason"]): d["count"] for d in summary["differences"]} == counted
    assert sum(counted.values()) == 6  # e3 priority, e4 patient, e5 unit, end and aktionsdiagnose, e12 end


def test_unreadable_values_are_named_and_the_row_kept(matched):
    summary, r, _, _ = matched
    assert r["e16"]["unreadable"] == ["end_time"] and r["e16"]["end_time"] is None
    assert summary["unreadable_values"] == {"end_time": 1}


def test_an_unmapped_column_is_carried_in_extra_on_every_region_row(matched):
    """Settled by the first pass (e1), paired by the second (e2), a duplicate (e9), alone (e6)."""
    _, r, n, _ = matched
    assert {rid: x["extra"] for rid, x in r.items()} == {rid: {"note": f"n-{rid}"} for rid in r}
    assert all(x["extra"] is None for x in n.values())


def test_value_at_stake_from_the_national_course_or_the_regions_own_grouping(matched):
    _, r, _, _ = matched
    e15 = r["e15"]
    assert (e15["value_source"], e15["value_course_id"]) == ("course", "K1")
    assert e15["value_at_stake"] == r["e1"]["course_value"] > 0
    assert r["e6"]["value_source"] == "own_grouping" and r["e6"]["value_at_stake"] > 0
    assert r["e9"]["value_at_stake"] is None  # a duplicate is not at stake


def test_summary_in_the_regions_terms_and_every_row_accounted_for(matched):
    summary, r, n, out = matched
    assert summary["rows_in_extract"] == len(EXTRACT) and summary["duplicates_in_extract"] == 1
    assert summary["contacts_in_own_data"] == len(EXTRACT) - 1
    not_found = {"e6", "e7", "e8", "e14", "e15", "e16"}
    assert summary["not_found"] == len(not_found) and summary["found"] == len(EXTRACT) - 1 - len(not_found)
    assert summary["not_found_pct"] == round(100 * len(not_found) / (len(EXTRACT) - 1), 4)
    assert summary["matched_on"] == {"kontakt_id": 5, "patient_unit_start": 1}
    assert summary["by_reason"]["only_region"] == {
        "deleted": 1,
        "different_patient": 1,
        "duplicate": 1,
        "late": 1,
        "not_reported": 3,
    }
    stake = sum(x["value_at_stake"] or 0 for x in r.values() if x["status"] == "only_region")
    assert summary["value_at_stake"] == round(stake, 2) > 0
    assert [h["hospital"] for h in summary["by_hospital"]] == [HOSPITAL]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["rows"]["region_contacts"] == {"read": len(EXTRACT), "in_contacts": len(EXTRACT)}
    assert manifest["rows"]["national"]["read"] == manifest["rows"]["national"]["in_contacts"]
    assert manifest["as_of"] == "2022-03-09T23:00:00Z"
    assert "0101501234" not in (out / "summary.json").read_text()  # no CPR number in the outputs
    # both passes' rows in contacts/ (the first pass's folder of rows left is gone), in its columns
    assert sorted(p.name for p in out.iterdir()) == ["contacts", "manifest.json", "summary.json"]
    assert not [p for p in (out / "contacts").iterdir() if p.is_dir()]
    from matching.pipeline import CONTACT_COLUMNS

    assert list(next(iter(r.values())).asDict()) == CONTACT_COLUMNS


def test_the_summary_of_two_parts_of_contacts_is_the_summary_of_the_whole(spark, matched):
    """The job counts contacts/ in two parts (the first pass's, then the second's) and adds the
    tallies: any split of the rows gives the summary of the whole."""
    from pyspark.sql import functions as F

    from matching.summary import match_summary, tally

    summary, _, _, out = matched
    contacts = spark.read.parquet(str(out / "contacts"))
    whole = tally(contacts)
    part = F.col("status").isin("matched", "only_national")
    split = tally(contacts.where(part)).add(tally(contacts.where(~part)))
    assert 0 < contacts.where(part).count() < contacts.count()
    assert split == whole
    assert match_summary(split) == match_summary(whole)
    got, rows = match_summary(split)
    assert {k: got[k] for k in got} == {k: summary[k] for k in got}
    assert rows["region_contacts"] == len(EXTRACT)


def test_a_mapping_without_a_required_field_is_refused_naming_the_file(tmp_path):
    from lprflow.config import ConfigError
    from matching.config import matching_config

    bad = tmp_path / "mine.yaml"
    bad.write_text(MAPPING.replace("patient: cpr,", "patient: null,"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"mine.yaml: extract: .*required fields not mapped: \['patient'\]"):
        matching_config(bad)
