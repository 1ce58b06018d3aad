"""`lprflow kmf` end to end: a hand-built append-only register whose statements are known by hand
(on time, late, deleted, after the year end, after the final date, abroad, a hospice stay with a
move), reconciliation and explanations; and the identities that must hold on generated data."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from pyspark.sql import functions as F
from pyspark.testing import assertDataFrameEqual

from jobs.kmf import run_kmf
from settlement.explain import explain_amount, explain_change
from tests.register_builder import register_frames

T = dt.datetime
MED, HOSPICE = "1082010100000", "1082950000000"
VALUE = 1980.0  # DR074, one hour: 05MP01 in the sample tables (tests/test_group_job.py)
SHARE = 0.45  # 70 years old (conf/kmf/2021.yaml)


def _visit(kid, day, patient="P1", unit=MED, hours=1):
    start = T.fromisoformat(day + "T08:00")
    return {
        "kontakt": {
            "kontakt_id": kid,
            "forloebselement_id": "F" + kid,
            "patient_id": patient,
            "start_time": start,
            "end_time": start + dt.timedelta(hours=hours),
            "responsible_unit": unit,
            "type": "ALCA00",
            "priority": "ATA3",
        },
        "forloebselement": {
            "forloebselement_id": "F" + kid,
            "patient_id": patient,
            "start_time": start,
            "responsible_unit": unit,
        },
        "diagnose": {"diagnose_id": "D" + kid, "kontakt_id": kid, "role": "A", "code": "DR074", "art": "ALGA01"},
    }


# contact, day, reported (Danish midnight of the date + 12 h), patient, unit, hours
VISITS = [
    ("KA", "2021-01-15", "2021-01-20", "P1", MED, 1),  # statement 0 (10 Feb)
    ("KB", "2021-03-10", "2021-05-01", "P1", MED, 1),  # March, reported after 10 April: late, statement 3
    ("KC", "2021-02-05", "2021-02-15", "P1", MED, 1),  # statement 1, deleted 1 June: statement 5
    ("KD", "2021-12-20", "2022-02-01", "P1", MED, 1),  # reported after the December statement: final
    ("KE", "2021-11-03", "2022-03-05", "P1", MED, 1),  # reported after the final date: never charged
    ("KF", "2021-03-02", "2021-03-03", "P2", MED, 1),  # lives abroad: exempt
    ("KH", "2021-04-01", "2021-04-12", "P3", HOSPICE, 241),  # hospice 1-11 April, moves on 6 April
]


@pytest.fixture(scope="module")
def kmf_out(spark, tmp_path_factory):
    frames = {}
    for kid, day, reported, patient, unit, hours in VISITS:
        at = T.fromisoformat(reported + "T12:00")
        for name, row in _visit(kid, day, patient, unit, hours).items():
            frames.setdefault(name, []).append({**row, "reported_at": at})
    frames["kontakt"].append({**frames["kontakt"][2], "reported_at": T(2021, 6, 1, 12), "deleted": True})
    frames["patient"] = [
        {"patient_id": "P1", "cpr": "0101511234", "birth_date": dt.date(1951, 1, 1), "sex": 1},
        {"patient_id": "P2", "cpr": "0101511236", "birth_date": dt.date(1951, 1, 1), "sex": 2},
        {"patient_id": "P3", "cpr": "0101411238", "birth_date": dt.date(1941, 1, 1), "sex": 2},
    ]
    frames["bopael"] = [
        {
            "bopael_id": "B1",
            "patient_id": "P1",
            "municipality_code": "0751",
            "country_code": "5100",
            "valid_from": dt.date(2000, 1, 1),
        },
        {"bopael_id": "B2", "patient_id": "P2", "country_code": "5120", "valid_from": dt.date(2000, 1, 1)},
        {
            "bopael_id": "B3",
            "patient_id": "P3",
            "municipality_code": "0751",
            "country_code": "5100",
            "valid_from": dt.date(2000, 1, 1),
            "valid_to": dt.date(2021, 4, 6),
        },
        {
            "bopael_id": "B4",
            "patient_id": "P3",
            "municipality_code": "0730",
            "country_code": "5100",
            "valid_from": dt.date(2021, 4, 6),
            "reported_at": T(2021, 4, 8),
        },
    ]
    root = tmp_path_factory.mktemp("kmf")
    for name, df in register_frames(spark, frames, reported_at=T(2021, 1, 2), region="1082").items():
        df.write.parquet(str(root / "register" / name))
    summary = run_kmf(spark, root / "register", 2021, root / "out", quiet=True)
    return root, summary


def _statements(root):
    return pd.read_parquet(root / "out" / "statements")


def test_each_statement_charges_what_was_known_at_its_date(kmf_out):
    root, _ = kmf_out
    st = _statements(root)
    som = st[st["category"] == "kmf_somatic"]
    got = {
        (r.statement_no, r.activity_month): (r.delta, r.new_activity, r.late_registration, r.deletion)
        for r in som.itertuples()
    }
    a = round(VALUE * SHARE, 2)  # 891.00
    assert got == {
        (0, "2021-01"): (a, a, 0.0, 0.0),
        (1, "2021-02"): (a, a, 0.0, 0.0),
        (3, "2021-03"): (a, 0.0, a, 0.0),  # KB: late; KF (abroad) is charged nothing
        (4, "2021-02"): (-a, 0.0, 0.0, -a),  # KC deleted on 1 June: seen as of 10 June
        (12, "2021-12"): (a, 0.0, a, 0.0),  # KD in the final statement
    }
    final = som.groupby("activity_month")["charged_total"].last()
    assert dict(final) == {"2021-01": a, "2021-02": 0.0, "2021-03": a, "2021-12": a}
    hospice = st[st["category"] == "hospice"]
    assert sorted(zip(hospice["statement_no"], hospice["municipality_code"], hospice["delta"], strict=True)) == [
        (3, "0730", 5 * 2155.0),
        (3, "0751", 5 * 2155.0),  # April is first charged as of 10 May
    ]
    assert list(st["as_of"].drop_duplicates().sort_values())[-1] == dt.date(2022, 3, 1)


def test_items_of_the_final_statement_and_the_accounting(spark, kmf_out):
    root, summary = kmf_out
    items = {r["source_id"]: r for r in spark.read.parquet(str(root / "out" / "items")).collect()}
    assert set(items) == {"KA", "KB", "KD", "KF", "KH"}  # KC deleted, KE after the final date
    assert items["KB"]["contacts"] == ["KB"] and items["KB"]["drg"] == "05MP01"
    assert (items["KF"]["amount"], items["KF"]["exempt_reason"]) == (0.0, "no_danish_residence")
    assert "patient_id" not in spark.read.parquet(str(root / "out" / "items")).columns
    assert summary["checks"]["final_statement_equals_items"]
    manifest = json.loads((root / "out" / "manifest.json").read_text())
    assert manifest["rows"]["kontakt"] == {"read": 8, "seen_by_a_statement": 7, "after_final_statement": 1}
    assert manifest["timetable"][0]["as_of"] == "2021-02-10" and manifest["timetable"][12]["kind"] == "final"
    assert not (root / "out" / "_scratch").exists()
    for path in (root / "out").rglob("*"):
        assert not path.is_file() or b"0101511234" not in path.read_bytes()


def test_explanations_down_to_the_contact(spark, kmf_out):
    root, _ = kmf_out
    total, n, top = explain_amount(spark, root / "out", "0751", "2021-03", "kmf_somatic")
    assert (total, n, list(top["contacts"][0])) == (891.0, 1, ["KB"])
    by_cause, changes = explain_change(spark, root / "out", 4, "0751")
    assert by_cause == {"deletion": -891.0} and list(changes["contacts"][0]) == ["KC"]


def test_reconcile_against_a_booked_ledger(spark, kmf_out, tmp_path):
    from typer.testing import CliRunner

    from jobs.cli import app

    root, _ = kmf_out
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(
        "party,category,activity_year,booking_year,amount\n"
        "1082,kmf_somatic,2021,2021,891\n1082,kmf_somatic,2021,2022,1782\n"
        "1082,hospice,2021,2021,20000\n0751,hospice,2021,2022,10775\n"
    )
    res = CliRunner().invoke(
        app, ["kmf", "reconcile", "--kmf", str(root / "out"), "--ledger", str(ledger), "--out", str(tmp_path / "rec")]
    )
    assert res.exit_code == 0, res.output
    t = pd.read_csv(tmp_path / "rec" / "reconciliation.csv", dtype={"party": str}).set_index(["party", "category"])
    assert tuple(t.loc[("1082", "kmf_somatic"), ["booked_in_year", "booked_next_year", "statement", "difference"]]) == (
        891.0,
        1782.0,
        2673.0,
        0.0,
    )
    assert t.loc[("1082", "hospice"), "difference"] == 20000.0 - 21550.0
    assert t.loc[("0751", "hospice"), "difference"] == 0.0
    bad = tmp_path / "bad.csv"
    bad.write_text("party,category,activity_year,booking_year,amount\n1082,kmf_typo,2021,2021,1\n")
    res = CliRunner().invoke(
        app, ["kmf", "reconcile", "--kmf", str(root / "out"), "--ledger", str(bad), "--out", str(tmp_path / "rec2")]
    )
    assert res.exit_code == 1 and "kmf_typo" in res.output and "category" in res.output


def test_generated_year_identities(spark, kmf_generated):
    """Final = the sum of its items; preliminaries + corrections = final; no item twice; every item
    traceable to contacts of the register."""
    out, register = kmf_generated
    items = spark.read.parquet(str(out / "items"))
    st = pd.read_parquet(out / "statements")
    item_sum = items.groupBy("category").agg(F.sum("amount").alias("a")).toPandas().set_index("category")["a"]
    per_cat = st.groupby("category")["delta"].sum()
    for cat, amount in item_sum.items():
        assert per_cat.get(cat, 0.0) == pytest.approx(amount, abs=0.01 * len(st))
    assert items.count() == items.select("item_id").distinct().count()
    changes = spark.read.parquet(str(out / "changes"))
    per_item = changes.groupBy("item_id").agg(F.sum("delta").alias("d"))
    joined = per_item.join(items.select("item_id", "amount"), "item_id", "full").fillna(0.0)
    assert joined.where(F.abs(F.col("d") - F.col("amount")) > 0.011).count() == 0
    contacts = items.select(F.explode("contacts").alias("kontakt_id")).distinct()
    known = spark.read.parquet(str(register / "kontakt")).select("kontakt_id").distinct()
    assert contacts.join(known, "kontakt_id", "left_anti").count() == 0
    causes = set(st.columns) & {"late_registration", "deletion", "correction"}
    assert st[sorted(causes)].abs().sum().sum() > 0  # the generated year has late and corrected reports


@pytest.mark.slow
def test_regions_give_the_statements_of_whole_replicas(spark, kmf_generated, tmp_path):
    """Replicas that hold only the part of a patient's history a change can reach charge exactly
    what replicas of the whole history charge: the same items, changes and statements."""
    out, register = kmf_generated
    whole = tmp_path / "whole"
    summary = run_kmf(spark, register, 2021, whole, quiet=True, regions=False)
    cut = json.loads((out / "summary.json").read_text())["replicas"]
    assert summary["replicas"]["replicas"] == cut["replicas"]  # the same replicas, with less in them
    assert summary["replicas"]["whole_history"] == summary["replicas"]["replicas"]
    assert cut["whole_history"] < cut["replicas"]  # some replicas were cut
    assert sum(cut["rows"].values()) < sum(summary["replicas"]["rows"].values())
    for sub, order in (("items", ["item_id"]), ("changes", ["statement_no", "item_id"])):
        a = spark.read.parquet(str(out / sub)).orderBy(*order)
        b = spark.read.parquet(str(whole / sub)).orderBy(*order)
        assertDataFrameEqual(a, b, checkRowOrder=True)
    pd.testing.assert_frame_equal(pd.read_parquet(out / "statements"), pd.read_parquet(whole / "statements"))


def test_bad_kmf_inputs_are_named(spark, tmp_path):
    from typer.testing import CliRunner

    from jobs.cli import app
    from jobs.kmf import RegionError, register_region
    from settlement.reconcile import LedgerError, read_ledger
    from tests.register_builder import table_frame

    res = CliRunner().invoke(
        app, ["kmf", "--register", str(tmp_path), "--year", "1999", "--out", str(tmp_path / "o"), "--profile", "test"]
    )
    assert res.exit_code == 1 and "no financing parameters for 1999" in res.output
    res = CliRunner().invoke(app, ["kmf", "--year", "2021"])
    assert res.exit_code == 1 and "needs --register, --year and --out" in res.output
    two = {
        "kontakt": table_frame(
            spark,
            "kontakt",
            [
                {"kontakt_id": "K1", "forloebselement_id": "F", "patient_id": "P", "region": "1081"},
                {"kontakt_id": "K2", "forloebselement_id": "F", "patient_id": "P", "region": "1082"},
            ],
        )
    }
    with pytest.raises(RegionError, match="regions \\['1081', '1082'\\]; pass --region"):
        register_region(two, None)
    assert register_region(two, "1082") == "1082"
    missing = tmp_path / "l.csv"
    missing.write_text("party,category,amount\n1082,hospice,1\n")
    with pytest.raises(LedgerError, match="l.csv: ledger has no column\\(s\\) activity_year, booking_year"):
        read_ledger(missing)
    text = tmp_path / "t.csv"
    text.write_text("party,category,activity_year,booking_year,amount\n1082,hospice,2021,2021,12 kr\n")
    with pytest.raises(LedgerError, match="t.csv: column 'amount', row 2: not a number"):
        read_ledger(text)
