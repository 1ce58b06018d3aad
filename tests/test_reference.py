"""Reference data: the shipped subset loads and is consistent; official layouts parse."""

from __future__ import annotations

import pytest
from pyspark.sql import functions as F

from lprflow.reference import ReferenceError, read_official_sks, read_official_sor


def test_subset_has_the_codes_and_lists_the_rules_use(reference):
    codes = {r["code"] for r in reference.sks_codes.collect()}
    assert {"ALCA00", "ALCA03", "ATA1", "ATA3", "DJ441", "DE119", "KNFB20"} <= codes
    lists = {r["list_name"] for r in reference.code_lists.select("list_name").distinct().collect()}
    assert {"admin.konttype", "admin.prioritet.akut", "diag", "proc.opr", "diag.primkraeft"} <= lists
    # every listed code is a known SKS code
    orphans = reference.code_lists.join(reference.sks_codes, "code", "left_anti").count()
    assert orphans == 0


def test_code_info_spans(reference):
    info = {r["code"]: r for r in reference.code_info.collect()}
    assert "admin.konttype.fysfr" in info["ALCA00"]["lists"]
    assert info["DR539"]["valid_to"] is not None
    assert info["DR539"]["lists"]["diag"]["valid_to"] == info["DR539"]["valid_to"]


def test_sor_units_cover_every_region_with_psychiatry_and_hospice(reference):
    units = reference.sor_units
    per_region = units.groupBy("region_code").agg(
        F.max(F.col("psychiatric").cast("int")).alias("psych"),
        F.max((F.col("unit_kind") == "hospice").cast("int")).alias("hospice"),
    )
    rows = per_region.collect()
    assert {r["region_code"] for r in rows} == {"1081", "1082", "1083", "1084", "1085"}
    assert all(r["psych"] == 1 and r["hospice"] == 1 for r in rows)


def test_official_sks_fixed_width(tmp_path):
    def line(rec, code, frm, to, text):
        return f"{rec:<3}{code:<20}{frm:<8}{to:<8}{'':<8}{text:<120}\n"

    f = tmp_path / "SKScomplete.txt"
    f.write_text(
        line("dia", "DJ441", "19940101", "25000101", "KOL med akut eksacerbation")
        + line("adm", "ALCA00", "20190101", "20201231", "Fysisk fremmøde"),
        encoding="latin-1",
    )
    rows = read_official_sks(f)
    assert rows[0][0] == "DJ441" and rows[0][3] is None  # far-future end means open
    assert str(rows[1][3]) == "2020-12-31" and rows[1][1] == "Fysisk fremmøde"


def test_official_sor_csv(tmp_path):
    f = tmp_path / "sor.csv"
    f.write_text(
        "SOR-ID;Enhedsnavn;Overordnet SOR-ID;Sundhedsinstitution SOR-ID;Sundhedsinstitution;Regionskode;"
        "Hovedspeciale;Gyldig fra;Gyldig til\n"
        "123;Afsnit P1;12;1;Psykiatrisk Hospital;1082;psykiatri;2010-01-01;\n",
        encoding="utf-8",
    )
    [row] = read_official_sor(f)
    assert row[0] == "123" and row[6] is True and row[8] == "psychiatric" and row[10] is None
    bad = tmp_path / "bad.csv"
    bad.write_text("SOR-ID;Navn\n1;x\n", encoding="utf-8")
    with pytest.raises(ReferenceError, match="missing column"):
        read_official_sor(bad)
