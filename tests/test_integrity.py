"""Integrity findings (expectations/integrity.py, conf/integrity.yaml): CPR numbers, unknown
municipalities and SOR units, and set-aside objects, in the flat error list and the summary — never
validated as if their parent existed, never in the authority's JSON form."""

from __future__ import annotations

import datetime as dt
import json

from pyspark.sql import functions as F

from lprflow.cpr import cpr_birth_date, cpr_form_bad
from tests.register_builder import write_register
from tests.rule_cases import case, case_rows, set_

AT = dt.datetime(2022, 4, 1)


def test_cpr_form_date_and_century(spark):
    from expectations.integrity import cpr_date_bad, cpr_disagrees

    cases = [
        # number, form bad, encoded birth date, date bad
        ("0101601231", False, dt.date(1960, 1, 1), False),  # 7th digit 1: 1900s
        ("0101104231", False, dt.date(2010, 1, 1), False),  # 4 with year <= 36: 2000s
        ("0101504231", False, dt.date(1950, 1, 1), False),  # 4 with year >= 37: 1900s
        ("0101905231", False, dt.date(1890, 1, 1), False),  # 5 with year >= 58: 1800s
        ("0101205231", False, dt.date(2020, 1, 1), False),  # 5 with year <= 57: 2000s
        ("2902004231", False, dt.date(2000, 2, 29), False),  # leap day
        ("2902014231", False, None, True),  # 29 February 2001 does not exist
        ("0203291WQ3", False, dt.date(1929, 3, 2), False),  # replacement number (X-eCPR, NSP's example)
        ("3101057JC9", False, dt.date(2005, 1, 31), False),
        ("0101305231", False, None, True),  # 2030: after the run's time
        ("3213991234", False, None, True),  # day 32, month 13
        ("12345", True, None, False),
        ("ABCDEFGHIJ", True, None, False),
        ("0101601231 ", True, None, False),  # space-padded
        (None, True, None, False),
    ]
    df = spark.createDataFrame([(c[0],) for c in cases], "cpr string")
    now = F.lit(AT).cast("timestamp")
    got = df.select(
        cpr_form_bad(F.col("cpr")).alias("form"),
        cpr_birth_date(F.col("cpr")).alias("birth"),
        cpr_date_bad(F.col("cpr"), now).alias("date"),
    ).collect()
    for (number, form, birth, date), row in zip(cases, got, strict=True):
        assert (row["form"], row["birth"] if birth else None, row["date"]) == (form, birth, date), number
    sex = spark.createDataFrame(
        [
            ("0101601231", dt.date(1960, 1, 1), 1),
            ("0101601231", dt.date(1960, 1, 1), 2),
            ("0101601231", dt.date(1961, 1, 1), 1),
        ],
        "cpr string, birth_date date, sex int",
    )
    flags = [r[0] for r in sex.select(cpr_disagrees(F.col("cpr"), F.col("birth_date"), F.col("sex"))).collect()]
    assert flags == [False, True, True]


def test_integrity_findings_in_the_outputs_and_orphans_not_validated(spark, tmp_path):
    from jobs.validate import run_validate

    cases = [
        case("clean"),
        case("badcpr", set_("patient", "pat", cpr="3213991234")),
        case("form", set_("patient", "pat", cpr="12345")),
        case("muni", set_("bopael", "bo", municipality_code="0999")),
        case("special", set_("bopael", "bo", municipality_code="0009")),
        case("unit", set_("kontakt", "k", responsible_unit="1082999999999")),
        # the forløbselement is never reported: its contact, diagnoses, procedures ... are orphans
        case("orphan", set_("forloebselement", "fe", forloebselement_id="gone")),
    ]
    rows = case_rows(cases)
    # the orphan's diagnosis also breaks rules (an unknown code): it must not be validated
    for d in rows["diagnose"]:
        if d["diagnose_id"] == "orphan-da":
            d["code"] = "DXXX99"
    write_register(spark, rows, tmp_path / "reg")
    summary = run_validate(spark, tmp_path / "reg", AT, tmp_path / "out", quiet=True, dataset_expectations=False)
    errors = spark.read.parquet(str(tmp_path / "out" / "errors"))
    found = {(r["object_type"], r["object_id"], r["rule_id"]) for r in errors.collect()}
    integrity = {f for f in found if f[2].startswith("I.")}
    assert ("patient", "badcpr-pat", "I.05") in integrity and ("patient", "form-pat", "I.04") in integrity
    assert ("bopael", "muni-bo", "I.07") in integrity
    assert ("kontakt", "unit-k", "I.08") in integrity
    assert not {f for f in integrity if f[1].startswith(("clean-", "special-"))}
    # the contact points at "orphan-fe", which was never reported (the case renamed it)
    assert ("kontakt", "orphan-k", "I.02") in integrity and ("procedure", "orphan-pf", "I.02") in integrity
    assert ("diagnose", "orphan-da", "I.03") in integrity  # its contact is set aside
    orphan_objects = {f[1] for f in found if f[1].startswith("orphan-")}
    assert {f for f in found if f[1] in orphan_objects and not f[2].startswith("I.")} == set()
    assert not {f for f in found if f[1].startswith("clean-")}
    parent = errors.where(F.col("object_id") == "orphan-k").select("parent_id", "forloebselement_id").first()
    assert parent["parent_id"] == "orphan-fe" and parent["forloebselement_id"] is None
    # the JSON form: no document for a forløbselement that does not exist, no integrity finding
    docs = [json.loads(line) for p in (tmp_path / "out" / "fejlliste").glob("part-*") for line in p.open()]
    assert docs and "orphan-fe" not in json.dumps(docs) and "I.0" not in json.dumps(docs)
    by_rule = {(i["rule_id"], i["object_type"]): i["objects"] for i in summary["integrity"]}
    assert by_rule[("I.08", "kontakt")] == 1 and by_rule[("I.02", "kontakt")] == 1
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["rows"]["kontakt"]["quarantined"] == 1 and manifest["rows"]["kontakt"]["current"] == 6
    assert manifest["counts"]["integrity_findings"] == sum(by_rule.values())
