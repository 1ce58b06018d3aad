"""KMF items and bed days on hand-built courses: every model, band, cap, exemption and day rule,
with amounts computed by hand from conf/kmf/<year>.yaml."""

from __future__ import annotations

import datetime as dt

import pytest

from settlement.config import kmf_year
from settlement.days import day_items
from settlement.items import course_items

T = dt.datetime
PARTS = "struct<basis:string,rate:double,units:int>"
COURSE = (
    "course_id string, patient_id string, hospital_id string, course_kind string, contacts array<string>, "
    "start_time timestamp, end_time timestamp, value double, value_parts " + PARTS + ", drg string, "
    "municipality_code string, month string, birth_date date"
)


def _course(
    cid,
    value,
    start,
    end,
    born,
    kind="somatic",
    drg="05MP01",
    muni="0751",
    patient=None,
    hospital="H1",
    parts=("drg", None, None),
):
    return (
        cid,
        patient or f"P{cid}",
        hospital,
        kind,
        [cid],
        start,
        end,
        float(value),
        parts,
        drg,
        muni,
        start.strftime("%Y-%m"),
        born,
    )


def _items(spark, rows, conf, payers=()):
    courses = spark.createDataFrame(rows, COURSE)
    pay = spark.createDataFrame(list(payers), "course_id string, payer_outside boolean, special_place boolean")
    return {r["source_id"]: r for r in course_items(courses, pay, conf).collect()}


MAR = T(2021, 3, 1, 8)


def test_age_2018_bands_and_the_regional_course_cap(spark):
    conf = kmf_year(2021)  # bands 0: 50 %, 3: 20 %, 18: 25 %, 65: 45 %, 80: 56 %; cap 31,029 per regional course
    rows = [
        _course("A", 58300, MAR, T(2021, 3, 5, 8), dt.date(1951, 1, 1)),  # 70 years: 45 %
        _course("C", 1980, MAR, T(2021, 3, 1, 9), dt.date(2020, 1, 1)),  # 1 year: 50 %
        _course("D", 10000, MAR, T(2021, 3, 1, 9), dt.date(2011, 1, 1)),  # 10 years: 20 %
        _course("E", 10000, MAR, T(2021, 3, 1, 9), dt.date(2001, 1, 1)),  # 20 years: 25 %
        _course("F", 10000, MAR, T(2021, 3, 1, 9), dt.date(2018, 3, 1)),  # 3 years that day: 20 %
        # one patient aged 85 (56 %): two courses at two hospitals, the second 2 hours after the first
        _course("X1", 40000, MAR, T(2021, 3, 4, 8), dt.date(1936, 1, 1), patient="PX", hospital="H1"),
        _course("X2", 30000, T(2021, 3, 4, 10), T(2021, 3, 6, 8), dt.date(1936, 1, 1), patient="PX", hospital="H2"),
        # the same patient again 3 weeks later: a new regional course, its own cap
        _course("X3", 30000, T(2021, 3, 27, 8), T(2021, 3, 28, 8), dt.date(1936, 1, 1), patient="PX"),
    ]
    items = _items(spark, rows, conf)
    assert (items["A"]["share"], items["A"]["age_band"], items["A"]["amount"], items["A"]["capped"]) == (
        0.45,
        65,
        26235.0,
        False,
    )
    assert items["C"]["amount"] == 990.0 and items["C"]["age_band"] == 0
    assert (items["D"]["amount"], items["E"]["amount"], items["F"]["amount"]) == (2000.0, 2500.0, 2000.0)
    x1, x2, x3 = items["X1"], items["X2"], items["X3"]
    assert (x1["gross"], x1["amount"], x1["capped"]) == (22400.0, 22400.0, False)
    assert (x2["gross"], x2["amount"], x2["capped"]) == (16800.0, 8629.0, True)  # 31,029 - 22,400
    assert x1["cap_unit_id"] == x2["cap_unit_id"] == "X1" and x2["cap_unit"] == "regional_course"
    assert (x3["cap_unit_id"], x3["amount"], x3["capped"]) == ("X3", 16800.0, False)
    assert {r["category"] for r in items.values()} == {"kmf_somatic"}


def test_2012_and_2007_models_cap_admissions_and_visits(spark):
    rows = [
        _course("ADM", 58300, MAR, T(2021, 3, 5, 8), dt.date(1951, 1, 1)),  # 96 hours: an admission
        _course("V1", 7400, MAR, T(2021, 3, 1, 15), dt.date(1951, 1, 1)),  # 7 hours: a visit
        _course("V2", 1980, MAR, T(2021, 3, 1, 9), dt.date(1951, 1, 1)),
    ]
    m12 = _items(spark, rows, kmf_year(2012))  # 34 %, caps 13,750 / 1,357 kr in 2011 prices, index 0.98
    assert (m12["ADM"]["gross"], m12["ADM"]["cap"], m12["ADM"]["amount"]) == (19822.0, 14030.61, 14030.61)
    assert m12["ADM"]["cap_unit"] == "admission" and m12["ADM"]["capped"]
    assert (m12["V1"]["gross"], m12["V1"]["amount"], m12["V1"]["cap_unit"]) == (2516.0, 1384.69, "visit")
    assert (m12["V2"]["amount"], m12["V2"]["capped"]) == (673.2, False)
    m07 = _items(spark, rows, kmf_year(2010))  # 30 %, caps 4,973 / 332 kr
    assert (m07["ADM"]["amount"], m07["V1"]["amount"], m07["V2"]["amount"]) == (4973.0, 332.0, 332.0)


def test_psychiatry_rehabilitation_and_exemptions(spark):
    conf = kmf_year(2021)
    born = dt.date(1980, 1, 1)
    rows = [
        # 10 bed days at 5,900: 60 % = 35,400, capped at 8,862 per admission
        _course(
            "PI",
            59000,
            MAR,
            T(2021, 3, 11, 8),
            born,
            kind="psychiatric",
            drg=None,
            parts=("psychiatric bed days", 5900.0, 10),
        ),
        # 3 visits at 2,350: 30 % = 705 per visit, capped at 555 each
        _course(
            "PV",
            7050,
            MAR,
            T(2021, 3, 1, 9),
            born,
            kind="psychiatric",
            drg=None,
            parts=("psychiatric visits", 2350.0, 3),
        ),
        _course("R", 1115, MAR, T(2021, 3, 1, 9), born, drg="GEN2A"),  # rehabilitation: 100 % of the tariff
        _course("ABROAD", 58300, MAR, T(2021, 3, 5, 8), born, muni=None),
        _course("PAID", 58300, MAR, T(2021, 3, 5, 8), born),
        _course(
            "SPECIAL",
            59000,
            MAR,
            T(2021, 3, 11, 8),
            born,
            kind="psychiatric",
            drg=None,
            parts=("psychiatric bed days", 5900.0, 10),
        ),
    ]
    payers = [("PAID", True, False), ("SPECIAL", False, True)]
    items = _items(spark, rows, conf, payers)
    assert (items["PI"]["category"], items["PI"]["gross"], items["PI"]["amount"]) == ("kmf_psychiatry", 35400.0, 8862.0)
    assert (items["PV"]["amount"], items["PV"]["cap_unit"], items["PV"]["units"]) == (1665.0, "visit", 3)
    assert (items["R"]["category"], items["R"]["amount"], items["R"]["share"]) == ("rehabilitation", 1115.0, 1.0)
    assert (items["ABROAD"]["amount"], items["ABROAD"]["exempt_reason"]) == (0.0, "no_danish_residence")
    assert (items["PAID"]["amount"], items["PAID"]["exempt_reason"]) == (0.0, "paid_by_others")
    assert (items["SPECIAL"]["amount"], items["SPECIAL"]["exempt_reason"]) == (0.0, "special_psychiatric_place")
    assert items["PAID"]["gross"] == 14575.0  # 41 years: 25 %; the parts are kept: what it would have cost


def test_bed_days_move_of_residence_month_end_and_state_surcharge(spark):
    conf = kmf_year(2021)  # 2,155 kr per day; state 1,976 kr (2016) = 2,155 kr (2021), x1 days 1-2, x2 from day 3
    born = dt.date(1940, 1, 1)
    courses = spark.createDataFrame(
        [
            _course("HOS", 0, T(2021, 3, 1, 10), T(2021, 3, 11, 9), born, kind="hospice", drg=None, patient="PH"),
            _course("HME", 0, T(2021, 3, 30, 10), T(2021, 4, 2, 9), born, kind="hospice", drg=None, patient="PM"),
            _course("HDAY", 0, T(2021, 3, 5, 8), T(2021, 3, 5, 20), born, kind="hospice", drg=None, patient="PM"),
        ],
        COURSE,
    )
    contacts = spark.createDataFrame(
        [
            ("KS", "CS", "somatic", "PS", "H1", T(2021, 4, 28, 8)),
            ("KP", "CP", "psychiatric", "PS", "H2", T(2021, 5, 30, 8)),
        ],
        "kontakt_id string, course_id string, course_kind string, patient_id string, hospital string, "
        "start_time timestamp",
    )
    procs = spark.createDataFrame(
        [
            ("FB1", "KS", "ZZ0185", T(2021, 5, 1, 12), T(2021, 5, 5, 8)),  # 4 days: 1 May - 4 May
            ("FB2", "KP", "ZZ0185", T(2021, 6, 1, 12), T(2021, 6, 3, 8)),  # 2 psychiatric days
            ("OPEN", "KS", "ZZ0185", T(2021, 6, 1, 12), None),  # not ended: not charged yet
            ("OTHER", "KS", "KJFB20", T(2021, 6, 1, 12), T(2021, 6, 3, 8)),
        ],
        "procedure_id string, kontakt_id string, code string, start_time timestamp, end_time timestamp",
    )
    bopael = spark.createDataFrame(
        [
            ("PH", "0751", "5100", dt.date(2000, 1, 1), dt.date(2021, 3, 6)),
            ("PH", "0730", "5100", dt.date(2021, 3, 6), None),  # moves on 6 March
            ("PM", "0751", "5100", dt.date(2000, 1, 1), None),
            ("PS", "0751", "5100", dt.date(2000, 1, 1), None),
        ],
        "patient_id string, municipality_code string, country_code string, valid_from date, valid_to date",
    )
    payers = spark.createDataFrame([], "course_id string, payer_outside boolean, special_place boolean")
    rows = day_items(courses, contacts, procs, bopael, payers, conf).collect()
    got = {
        (r["category"], r["source_id"], r["municipality_code"], r["activity_month"]): (r["units"], r["amount"])
        for r in rows
    }
    # the course an item starts with (a contact in no course given here: its own start)
    starts = {r["source_id"]: r["course_start"] for r in rows}
    assert starts == {
        "HOS": T(2021, 3, 1, 10),
        "HME": T(2021, 3, 30, 10),
        "HDAY": T(2021, 3, 5, 8),
        "FB1": T(2021, 4, 28, 8),
        "FB2": T(2021, 5, 30, 8),
    }
    assert got == {
        ("hospice", "HOS", "0751", "2021-03"): (5, 10775.0),  # 1-5 March
        ("hospice", "HOS", "0730", "2021-03"): (5, 10775.0),  # 6-10 March; the discharge day does not count
        ("hospice", "HME", "0751", "2021-03"): (2, 4310.0),  # 30, 31 March
        ("hospice", "HME", "0751", "2021-04"): (1, 2155.0),  # 1 April
        ("hospice", "HDAY", "0751", "2021-03"): (1, 2155.0),  # at least one day
        ("faerdigbehandlet_somatic", "FB1", "0751", "2021-05"): (4, 8620.0),
        ("faerdigbehandlet_state", "FB1", "0751", "2021-05"): (4, 12930.0),  # (1 + 1 + 2 + 2) x 2,155
        ("faerdigbehandlet_psychiatric", "FB2", "0751", "2021-06"): (2, 4310.0),
    }


def test_2012_has_no_state_surcharge(spark):
    assert kmf_year(2012).full_financing.state_surcharge is None
    assert kmf_year(2021).kr(kmf_year(2021).full_financing.state_surcharge.rate) == pytest.approx(2155.0)


def test_unknown_year_names_the_files(spark):
    from lprflow.config import ConfigError

    with pytest.raises(ConfigError, match="no financing parameters for 1999.*2021"):
        kmf_year(1999)


def test_every_year_file_loads_with_its_model():
    from lprflow.paths import conf_dir

    years = sorted(int(p.stem) for p in (conf_dir() / "kmf").glob("*.yaml"))
    models = {y: kmf_year(y).somatic.model for y in years}
    assert models == {
        2010: "kmf_2007",
        2012: "kmf_2012",
        2018: "age_2018",
        2019: "age_2018",
        2020: "age_2018",
        2021: "age_2018",
    }
    # the assumed levels of DOMAIN §5 (t.kr.), paid a twelfth a month
    assert kmf_year(2019).a_conto.assumed_level["1082"] == 4_646_631_000
    assert kmf_year(2020).a_conto.monthly["1084"] == pytest.approx(7_185_803_000 / 12, abs=0.01)
    assert kmf_year(2021).region_cap["1082"] == 4_354_000_000 and kmf_year(2021).a_conto.monthly["1082"] == 401_700_000
    assert [d.isoformat() for d in kmf_year(2021).statement_dates()][::6] == ["2021-02-10", "2021-08-10", "2022-03-01"]
