"""`lprflow group`: DRG-sygehusforløb from a hand-built register (known answers) and from generated data."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from jobs.group import run_group
from tests.conftest import AS_OF
from tests.register_builder import write_register

MED, SURG, PSYCH = "1081010100000", "1081010200000", "1081900100000"
HOSPITAL = "1081010000000"
T = dt.datetime


def _ts(s: str) -> dt.datetime:
    return dt.datetime.fromisoformat(s)


def _contact(kid, start, end, unit=MED, type_="ALCA00", patient="P1", fe="FE1"):
    return {
        "kontakt_id": kid,
        "forloebselement_id": fe,
        "patient_id": patient,
        "start_time": _ts(start),
        "end_time": _ts(end) if end else None,
        "responsible_unit": unit,
        "type": type_,
        "priority": "ATA3",
    }


def _dx(did, kid, code, role="A"):
    return {"diagnose_id": did, "kontakt_id": kid, "role": role, "code": code, "art": "ALGA01"}


def _px(pid, kid, code):
    return {"procedure_id": pid, "forloebselement_id": "FE1", "kontakt_id": kid, "code": code}


ROWS = {
    "patient": [
        {"patient_id": "P1", "cpr": "0101501234", "birth_date": dt.date(1950, 1, 1), "sex": 1},
        {"patient_id": "P2", "cpr": "0202802222", "birth_date": dt.date(1980, 2, 2), "sex": 2},
        {"patient_id": "P3", "cpr": "0103214003", "birth_date": dt.date(2021, 3, 1), "sex": 1},
    ],
    "bopael": [
        {
            "bopael_id": "B1",
            "patient_id": "P1",
            "municipality_code": "0751",
            "country_code": "5100",
            "valid_from": dt.date(2000, 1, 1),
        },
        {
            "bopael_id": "B2",
            "patient_id": "P2",
            "municipality_code": None,
            "country_code": "5120",
            "valid_from": dt.date(2010, 1, 1),
        },
        {
            "bopael_id": "B3",
            "patient_id": "P3",
            "municipality_code": "0101",
            "country_code": "5100",
            "valid_from": dt.date(2021, 3, 1),
        },
    ],
    "forloebselement": [
        {
            "forloebselement_id": "FE1",
            "patient_id": "P1",
            "start_time": _ts("2021-03-01T08:00"),
            "responsible_unit": MED,
        },
        {
            "forloebselement_id": "FE2",
            "patient_id": "P2",
            "start_time": _ts("2021-05-01T08:00"),
            "end_time": _ts("2021-05-01T09:00"),
            "end_mode": "ALAC70",
            "responsible_unit": MED,
        },
        {
            "forloebselement_id": "FE3",
            "patient_id": "P3",
            "start_time": _ts("2021-02-28T23:30"),
            "responsible_unit": MED,
        },
    ],
    "kontakt": [
        # K1 + K2: 2 hours apart at the same hospital -> one course; K1 is longer and leads
        _contact("K1", "2021-03-01T08:00", "2021-03-03T10:00"),
        _contact("K2", "2021-03-03T12:00", "2021-03-05T09:00", unit=SURG),
        _contact("K3", "2021-03-10T08:00", "2021-03-10T09:00"),  # days later: its own course
        _contact("K4", "2021-03-20T08:00", "2021-03-23T08:00", unit=PSYCH),  # psychiatry: outside DRG
        _contact("K5", "2021-03-25T08:00", None),  # open
        _contact("K6", "2021-03-26T08:00", "2021-03-26T08:00", type_="ALCA10"),  # diagnosis report
        _contact("K7", "2021-04-01T08:00", "2021-04-01T08:20", type_="ALCA03"),  # virtual
        # K8 (long, leads) + K9 (short): the union groups lower than K9 alone, so K9's group wins
        _contact("K8", "2021-06-01T08:00", "2021-06-06T08:00"),
        _contact("K9", "2021-06-06T09:00", "2021-06-07T08:00"),
        _contact("K10", "2021-05-01T08:00", "2021-05-01T09:00", patient="P2", fe="FE2"),  # died: discharge E
        # born 1 March; 00:30 Danish time on 1 March to 00:30 on 1 April (UTC: 28 February to 31 March)
        _contact("K11", "2021-02-28T23:30", "2021-03-31T22:30", patient="P3", fe="FE3"),
    ],
    "diagnose": [
        _dx("D1", "K1", "DI219"),
        _dx("D2", "K2", "DI509"),
        _dx("D3", "K2", "DE119", "B"),
        _dx("D4", "K3", "DR074"),
        _dx("D5", "K4", "DF209"),
        _dx("D7", "K7", "DJ449"),
        _dx("D8", "K8", "DS720"),
        _dx("D9", "K9", "DI219"),
        _dx("D10", "K10", "DI219"),
        _dx("D11", "K11", "DI219"),
    ],
    "procedure": [_px("X1", "K1", "KFNG05"), _px("X9", "K9", "KFNG05")],
}


@pytest.fixture(scope="module")
def hand_register(spark, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hreg") / "register"
    return write_register(spark, ROWS, folder, reported_at=T(2021, 7, 1), region="1081")


@pytest.fixture(scope="module")
def grouped(spark, hand_register, tmp_path_factory):
    out = tmp_path_factory.mktemp("grp") / "out"
    summary = run_group(spark, hand_register, 2021, AS_OF, out, quiet=True)
    courses = {r["course_id"]: r for r in spark.read.parquet(str(out / "courses")).collect()}
    contacts = {r["kontakt_id"]: r for r in spark.read.parquet(str(out / "contacts")).collect()}
    return summary, courses, contacts, out


def test_contacts_join_into_courses(grouped):
    _, courses, contacts, _ = grouped
    assert {k: c["course_id"] for k, c in contacts.items()} == {
        "K1": "K1",
        "K2": "K1",
        "K3": "K3",
        "K4": "K4",
        "K5": None,
        "K6": None,
        "K7": "K7",
        "K8": "K8",
        "K9": "K8",
        "K10": "K10",
        "K11": "K11",
    }
    assert {k: c["status"] for k, c in contacts.items() if c["status"] != "grouped"} == {
        "K5": "open",
        "K6": "not_activity",
    }
    assert courses["K1"]["contacts"] == ["K1", "K2"] and courses["K1"]["hospital_id"] == HOSPITAL


def test_course_grouped_on_union_with_leading_pdx(grouped):
    _, courses, _, _ = grouped
    c = courses["K1"]
    # pdx DI219 of the longer contact K1; KFNG05 -> PCI with AMI; los 1 Mar -> 5 Mar = 4 days
    assert (c["drg"], c["ord"], c["rtc"], c["los_days"], c["age_days"]) == (
        "05PR02",
        "405D000020",
        "0",
        4,
        71 * 365 + 18 + 59,
    )
    assert c["group_basis"] == "course"
    assert c["trace"]["pdx"] == "DI219" and c["cc_level"] == 1  # DE119 (10C01); DI509's 05C04 excluded by DI219
    assert c["value"] == 58300 and c["value_parts"]["days_beyond_trim"] == 0
    assert (c["municipality_code"], c["month"]) == ("0751", "2021-03")


def test_most_expensive_group_wins(grouped):
    _, courses, contacts, _ = grouped
    c = courses["K8"]
    # union: pdx DS720 (K8 leads) -> 08MA01 29,800 kr; K9 alone (DI219 + KFNG05, 1 day) -> 05SP01 34,600 kr
    assert (c["drg"], c["group_basis"], c["value"]) == ("05SP01", "K9", 34600)
    assert (contacts["K8"]["own_drg"], contacts["K8"]["own_value"]) == ("08MA01", 29800)
    assert contacts["K1"]["own_drg"] == "05PR02" and contacts["K3"]["own_drg"] is None


def test_outpatient_virtual_psychiatry_and_death(grouped):
    _, courses, _, _ = grouped
    assert (courses["K3"]["drg"], courses["K3"]["value"]) == ("05MP01", 1980)
    assert (courses["K7"]["drg"], courses["K7"]["value"]) == ("99VI01", 480)
    psych = courses["K4"]
    assert psych["drg"] is None and psych["course_kind"] == "psychiatric"
    assert (psych["value"], psych["value_parts"]["basis"], psych["value_parts"]["units"]) == (
        3 * 5900,
        "psychiatric bed days",
        3,
    )
    died = courses["K10"]
    assert (died["discharge"], died["drg"]) == ("E", "05MA01")
    assert died["municipality_code"] is None  # lives abroad


def test_days_and_months_are_danish(grouped):
    """A newborn's stay from 00:30 Danish time on 1 March, her birthday, to 00:30 on 1 April: age 0
    days, 31 days long, in April's activity, paid by the municipality she lives in from 1 March."""
    _, courses, _, _ = grouped
    c = courses["K11"]
    assert (c["age_days"], c["los_days"], c["month"], c["municipality_code"]) == (0, 31, "2021-04", "0101")


def test_summary_and_manifest(grouped):
    summary, courses, _, out = grouped
    assert summary["contacts"] == {"total": 11, "grouped": 9, "open": 1, "not_activity": 1}
    assert summary["courses"] == len(courses) == 7
    assert summary["value_kr"] == pytest.approx(sum(c["value"] for c in courses.values()))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["tariff_year"] == 2021 and manifest["tables"]["rules"] == 102
    assert "0101501234" not in (out / "summary.json").read_text()
    assert all("P1" not in str(c["patient_key"]) for c in courses.values())


def test_unknown_tariff_year_is_a_clear_error(spark, hand_register, tmp_path):
    from lprflow.config import ConfigError

    with pytest.raises(ConfigError, match="no DRG table set for tariff year 1999"):
        run_group(spark, hand_register, 1999, AS_OF, tmp_path / "o", quiet=True)


def test_generated_register_every_contact_accounted_for(spark, grouping_dir):
    from pyspark.sql import functions as F
    from pyspark.testing import assertDataFrameEqual

    out = grouping_dir
    courses = spark.read.parquet(str(out / "courses"))
    contacts = spark.read.parquet(str(out / "contacts"))
    assert contacts.select("kontakt_id").distinct().count() == contacts.count() > 0
    in_courses = courses.select(F.explode("contacts").alias("kontakt_id"))
    grouped = contacts.where("status = 'grouped'").select("kontakt_id")
    assertDataFrameEqual(in_courses, grouped)  # every grouped contact in exactly one course
    somatic = courses.where("course_kind = 'somatic'")
    assert somatic.where("drg is null").count() == 0
    assert courses.where("value is null or value < 0").count() == 0


def test_group_cli_prints_groups_and_exits_zero(hand_register, tmp_path):
    from typer.testing import CliRunner

    from jobs.cli import app

    args = ["group", "--register", str(hand_register), "--tariff-year", "2021", "--as-of", "2022-04-01"]
    res = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "o"), "--profile", "test"])
    assert res.exit_code == 0, res.output
    assert "7 DRG-sygehusforløb" in res.output and "05PR02" in res.output


def test_a_rerun_writes_byte_identical_data(spark, hand_register, grouped, tmp_path):
    from tests.test_ground_truth import part_contents

    *_, first = grouped
    run_group(spark, hand_register, 2021, AS_OF, tmp_path / "again", quiet=True)
    for sub in ("courses", "contacts"):
        assert part_contents(tmp_path / "again" / sub) == part_contents(first / sub), sub


def test_tables_option_groups_with_that_set(spark, hand_register, grouped, tmp_path):
    """`--tables`: a synthetic set widened from the sample (300 rules) groups real codes exactly as the
    sample does, and the manifest names the set used."""
    from jobs.drg_tables import run_synth

    tables = tmp_path / "tables"
    run_synth(tables, rules=300, scale=0.01)
    run_group(spark, hand_register, 2021, AS_OF, tmp_path / "out", quiet=True, tables_dir=tables)
    _, courses, _, _ = grouped
    got = {
        r["course_id"]: (r["drg"], r["ord"], r["rtc"], r["value"])
        for r in spark.read.parquet(str(tmp_path / "out" / "courses")).collect()
    }
    assert got == {k: (c["drg"], c["ord"], c["rtc"], c["value"]) for k, c in courses.items()}
    m = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert m["tables"]["rules"] == 300 and m["tables"]["folder"] == str(tables.resolve())
