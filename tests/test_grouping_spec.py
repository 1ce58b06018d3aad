"""Targeted tests for every column, operator and step of docs/NORDDRG.md, each flipping a result.

A spec table set is built here: every condition under test is one rule guarded by its own marker
property (given by marker procedure M<n>), so a case hits exactly the rule it is written for or
falls to the catch-all. Both engines (Spark and per-case Python) must agree with each expectation.
"""

from __future__ import annotations

import pytest

from grouping.engine import group_cases
from grouping.percase import PerCaseGrouper
from grouping.tables import TableSet
from tests.drg_cases import case, frame, write_tables

DG = [
    ("A1", "", "DGCAT", "05M01"),
    ("A1", "", "PDGPRO", "05P01"),
    ("A1", "", "DGPROP", "05X01"),
    ("A1", "", "COMPL", "05C01"),
    ("A2", "", "DGCAT", "05M02"),
    ("A2", "", "COMPL", "05G02"),
    ("B1", "", "DGCAT", "98M03"),
    ("S1", "", "DGCAT", "02M01"),
    ("S1", "A1", "DGCAT", "01M01"),
    ("S1", "A1", "PDGPRO", "01P01"),
    ("C1", "", "COMPL", "06C01"),
    ("C1", "", "DGPROP", "06X01"),
    ("C2", "", "COMPL", "06G02"),
    ("C3", "", "COMPL", "06I03"),
    ("C4", "", "COMPL", "06J04"),
    ("C5", "", "COMPL", "06I05"),
    ("D1", "", "DGCAT", "07M01"),
    ("D1", "", "DGPROP", "07X01"),
    ("E1", "", "DGCAT", "03M01"),
    ("E1", "", "COMPL", "03C01"),
    ("E2", "", "COMPL", "03G01"),
    ("Z1", "", "OR", "1"),
    ("Z1", "", "PROCPR", "09S09"),
    ("Y1", "", "DGCAT", "99M00"),
]
PROC = [
    ("P1", "PROCPR", "10S01"),
    ("P1", "OR", "1"),
    ("P2", "PROCPR", "10S02"),
    ("P2", "OR", "2"),
    ("P3", "PROCPR", "10S01"),
    ("P3", "PROCPR", "10S02"),
    ("P4", "CC", "1"),
    ("P5", "DGPROP", "07X01"),
    ("P6", "PROCPR", "10S03"),
    ("P6", "OR", "1"),
]
COMPLCAT = [("05C01", ""), ("05G02", ""), ("06C01", ""), ("06G02", ""), ("06I03", "07X01"), ("06J04", "07X01")]
COMPLCAT += [("06I05", "07X01"), ("03C01", ""), ("03G01", "")]
COMPLEXCL = [("06C01", "A1", ""), ("06G02", "S1", "A1"), ("06I05", "A1", "")]

# (test id, rule cells, marker column, [(case id suffix, diagnoses, procedures, attrs, hit?)])
CONDITIONS = [
    ("icd+", {"icd": "+"}, "dgprop4", [("valid", "A1", "", {}, True), ("unknown", "QQ", "", {}, False)]),
    ("icd-", {"icd": "-"}, "dgprop4", [("empty", "", "", {}, True), ("valid", "A1", "", {}, False)]),
    ("icd-other", {"icd": "x"}, "dgprop4", [("empty", "", "", {}, True), ("valid", "A1", "", {}, True)]),
    (
        "mdc",
        {"mdc": "05"},
        "dgprop4",
        [("05", "A1", "", {}, True), ("02", "S1", "", {}, False), ("none", "", "", {}, False)],
    ),
    ("mdc+", {"mdc": "+05"}, "dgprop4", [("05", "A2", "", {}, True), ("02", "S1", "", {}, False)]),
    (
        "mdc-",
        {"mdc": "-05"},
        "dgprop4",
        [("02", "S1", "", {}, True), ("05", "A1", "", {}, False), ("none", "", "", {}, True)],
    ),
    ("dgcat1", {"dgcat1": "05M01"}, "dgprop4", [("same", "A1", "", {}, True), ("other", "A2", "", {}, False)]),
    (
        "dgcat1-",
        {"dgcat1": "-05M01"},
        "dgprop4",
        [("other", "A2", "", {}, True), ("same", "A1", "", {}, False), ("none", "", "", {}, False)],
    ),
    (
        "dgcat1-male",
        {"dgcat1": "12M03"},
        "dgprop4",
        [("m", "B1", "", {"sex": 1}, True), ("f", "B1", "", {"sex": 2}, False)],
    ),
    (
        "dgcat1-female",
        {"dgcat1": "13M03"},
        "dgprop4",
        [("f", "B1", "", {"sex": 2}, True), ("m", "B1", "", {"sex": 1}, False)],
    ),
    (
        "dgcat1-unknown-sex",
        {"dgcat1": "98M03"},
        "dgprop4",
        [("u", "B1", "", {"sex": 9}, True), ("m", "B1", "", {"sex": 1}, False)],
    ),
    ("pdgprop", {"pdgprop": "05P01"}, "dgprop4", [("pdx", "A1", "", {}, True), ("sdx-only", "A2 A1", "", {}, False)]),
    ("pdgprop-", {"pdgprop": "-05P01"}, "dgprop4", [("absent", "A2", "", {}, True), ("present", "A1", "", {}, False)]),
    (
        "pdgprop-pair",
        {"pdgprop": "01P01"},
        "dgprop4",
        [("pair", "A1+S1", "", {}, True), ("no-pair", "A2+S1", "", {}, False)],
    ),
    ("dgprop1", {"dgprop1": "05X01"}, "dgprop4", [("sdx", "A2 A1", "", {}, True), ("absent", "A2", "", {}, False)]),
    ("dgprop2-", {"dgprop2": "-05X01"}, "dgprop4", [("absent", "A2", "", {}, True), ("present", "A1", "", {}, False)]),
    ("dgprop3-proc", {"dgprop3": "07X01"}, "dgprop4", [("proc", "A2", "P5", {}, True), ("none", "A2", "", {}, False)]),
    ("dgprop4", {"dgprop4": "06X01"}, "dgprop1", [("sdx", "A2 C1", "", {}, True), ("none", "A2", "", {}, False)]),
    ("dgprop-same-source", {"dgprop2": "05X01", "dgprop3": "05X01"}, "dgprop4", [("one", "A1", "", {}, True)]),
    (
        "orS",
        {"or": "S"},
        "dgprop4",
        [("or1", "A1", "P1", {}, True), ("or2", "A1", "P2", {}, False), ("dg", "A1 Z1", "", {}, True)],
    ),
    (
        "orP",
        {"or": "P"},
        "dgprop4",
        [("or2", "A1", "P2", {}, True), ("or1", "A1", "P1", {}, True), ("none", "A1", "", {}, False)],
    ),
    ("orN", {"or": "N"}, "dgprop4", [("or2", "A1", "P2", {}, True), ("or1", "A1", "P1", {}, False)]),
    ("orZ", {"or": "Z"}, "dgprop4", [("none", "A1", "", {}, True), ("or2", "A1", "P2", {}, False)]),
    ("or+", {"or": "+"}, "dgprop4", [("or2", "A1", "P2", {}, True), ("none", "A1", "", {}, False)]),
    ("or-", {"or": "-"}, "dgprop4", [("none", "A1", "", {}, True), ("or2", "A1", "P2", {}, False)]),
    ("or-value", {"or": "-S"}, "dgprop4", [("none", "A1", "", {}, False), ("or1", "A1", "P1", {}, False)]),
    (
        "procpro1",
        {"procpro1": "10S01"},
        "dgprop4",
        [("p1", "A1", "P1", {}, True), ("p2", "A1", "P2", {}, False), ("dg", "A1 Z1", "", {}, False)],
    ),
    ("procpro1-dg", {"procpro1": "09S09"}, "dgprop4", [("dg", "A1 Z1", "", {}, True), ("none", "A1", "", {}, False)]),
    ("procpro1-", {"procpro1": "-10S01"}, "dgprop4", [("p2", "A1", "P2", {}, True), ("p1", "A1", "P1", {}, False)]),
    (
        "secproc1-distinct",
        {"procpro1": "10S01", "secproc1": "10S02"},
        "dgprop4",
        [
            ("two", "A1", "P1 P2", {}, True),
            ("one-both", "A1", "P3", {}, False),
            ("twice", "A1", "P3 P3", {}, True),
            ("mixed", "A1", "P1 P3", {}, True),
        ],
    ),
    (
        "secproc1-alone",
        {"secproc1": "10S02"},
        "dgprop4",
        [("one", "A1", "P3", {}, True), ("none", "A1", "P1", {}, False)],
    ),
    (
        "secproc1-neg",
        {"secproc1": "-10S02"},
        "dgprop4",
        [("absent", "A1", "P1", {}, True), ("present", "A1", "P1 P2", {}, False)],
    ),
    (
        "secproc1-dash",
        {"procpro1": "10S01", "secproc1": "-"},
        "dgprop4",
        [("only", "A1", "P1", {}, True), ("other-or1", "A1", "P1 P6", {}, False), ("or2-ok", "A1", "P1 P2", {}, True)],
    ),
    (
        "agelim<",
        {"agelim": "<29"},
        "dgprop4",
        [("28", "A1", "", {"age_days": 28}, True), ("29", "A1", "", {"age_days": 29}, False)],
    ),
    (
        "agelim>",
        {"agelim": ">6574"},
        "dgprop4",
        [("6575", "A1", "", {"age_days": 6575}, True), ("6574", "A1", "", {"age_days": 6574}, False)],
    ),
    (
        "dur<",
        {"dur": "<2"},
        "dgprop4",
        [("1", "A1", "", {"los_days": 1}, True), ("2", "A1", "", {"los_days": 2}, False)],
    ),
    (
        "dur>",
        {"dur": ">1"},
        "dgprop4",
        [("2", "A1", "", {"los_days": 2}, True), ("1", "A1", "", {"los_days": 1}, False)],
    ),
    ("compl", {"compl": "1"}, "dgprop4", [("cc1", "A2 C1", "", {}, True), ("cc0", "A2", "", {}, False)]),
    ("compl+", {"compl": "+1"}, "dgprop4", [("cc2", "A2 C2", "", {}, True), ("cc0", "A2", "", {}, False)]),
    ("compl>", {"compl": ">1"}, "dgprop4", [("cc2", "A2 C2", "", {}, True), ("cc1", "A2 C1", "", {}, False)]),
    ("compl<", {"compl": "<1"}, "dgprop4", [("cc0", "A2", "", {}, True), ("cc1", "A2 C1", "", {}, False)]),
    (
        "compl-",
        {"compl": "-1"},
        "dgprop4",
        [("cc0", "A2", "", {}, True), ("cc2", "A2 C2", "", {}, True), ("cc1", "A2 C1", "", {}, False)],
    ),
    ("sexM", {"sex": "M"}, "dgprop4", [("1", "A1", "", {"sex": 1}, True), ("2", "A1", "", {"sex": 2}, False)]),
    ("sexF", {"sex": "F"}, "dgprop4", [("2", "A1", "", {"sex": 2}, True), ("1", "A1", "", {"sex": 1}, False)]),
    (
        "sex-",
        {"sex": "-"},
        "dgprop4",
        [
            ("9", "A1", "", {"sex": 9}, True),
            ("null", "A1", "", {"sex": None}, True),
            ("1", "A1", "", {"sex": 1}, False),
        ],
    ),
    (
        "dischN",
        {"disch": "N"},
        "dgprop4",
        [
            ("H", "A1", "", {"discharge": "H"}, True),
            ("R", "A1", "", {"discharge": "R"}, True),
            ("E", "A1", "", {"discharge": "E"}, False),
        ],
    ),
    (
        "disch=N",
        {"disch": "=N"},
        "dgprop4",
        [("R", "A1", "", {"discharge": "R"}, True), ("E", "A1", "", {"discharge": "E"}, False)],
    ),
    (
        "dischE",
        {"disch": "E"},
        "dgprop4",
        [("E", "A1", "", {"discharge": "E"}, True), ("H", "A1", "", {"discharge": "H"}, False)],
    ),
    (
        "disch=R",
        {"disch": "=R"},
        "dgprop4",
        [("R", "A1", "", {"discharge": "R"}, True), ("H", "A1", "", {"discharge": "H"}, False)],
    ),
    (
        "disch-R",
        {"disch": "-R"},
        "dgprop4",
        [("H", "A1", "", {"discharge": "H"}, True), ("R", "A1", "", {"discharge": "R"}, False)],
    ),
]

# (case id, diagnoses, procedures, attrs, expected cc_level): docs/NORDDRG.md §4.7-4.8
CC_CASES = [
    ("cc-level1", "A2 C1", "", {}, 1),
    ("cc-level2", "A2 C2", "", {}, 2),
    ("cc-pdx-own-not-collected", "C2", "", {}, 0),
    ("cc-same-family-removed", "E1 E2", "", {}, 0),
    ("cc-other-family-kept", "A1 E2", "", {}, 2),
    ("cc-excluded-by-main", "A1 C1", "", {}, 0),
    ("cc-not-excluded", "A2 C1", "", {}, 1),
    ("cc-excluded-by-addon", "A2+A1 C1", "", {}, 0),
    ("cc-pair-excluded", "A1+S1 C2", "", {}, 0),
    ("cc-pair-needs-exact-pair", "A2+S1 C2", "", {}, 2),
    ("cc-pair-not-single", "A1 C2", "", {}, 2),
    ("cc-activated-by-procedure", "A2 C3", "P5", {}, 1),
    ("cc-inactive", "A2 C3", "", {}, 0),
    ("cc-activated-by-sdx", "A2 C3 D1", "", {}, 1),
    ("cc-pdx-does-not-activate", "D1 C3", "", {}, 0),
    ("cc-J-activated-level2", "A2 C4", "P5", {}, 2),
    ("cc-J-inactive", "A2 C4", "", {}, 0),
    ("cc-excluded-stays-inactive", "A1 C5", "P5", {}, 0),
    ("cc-procedure", "A2", "P4", {}, 1),
    ("cc-max-of-procedure-and-diagnoses", "A2 C2", "P4", {}, 2),
]

# (case id, diagnoses, sex, expected dgcat): §4.2
DGCAT_CASES = [
    ("cat-pair", "A1+S1", 1, "01M01"),
    ("cat-addon-before-main", "A2+S1", 1, "02M01"),
    ("cat-main", "A2", 1, "05M02"),
    ("cat-98-male", "B1", 1, "12M03"),
    ("cat-98-female", "B1", 2, "13M03"),
    ("cat-98-unknown", "B1", 0, "98M03"),
    ("cat-unknown-code", "QQ", 1, None),
    ("cat-secondary-only", "- A1", 1, None),
]


def _spec_tables(tmp_path):
    rules, proc = [], list(PROC)
    for i, (_, cells, marker, _) in enumerate(CONDITIONS, 1):
        rules.append({"ord": f"5{i:04d}", "drg": "HIT", "rtc": "0", marker: f"T{i:04d}", **cells})
        proc.append((f"M{i:04d}", "DGPROP", f"T{i:04d}"))
    rules.append({"ord": "6", "drg": "ERR", "rtc": "1", "icd": "-"})
    rules.append({"ord": "7", "drg": "ERR", "rtc": "1", "dgcat1": "99M00"})
    rules.append({"ord": "9", "drg": "MISS", "rtc": "8"})
    tables = {
        "drglogic": rules,
        "dg": [dict(zip(["code", "d_code", "vartype", "varval"], r, strict=True)) for r in DG],
        "proc": [dict(zip(["code", "vartype", "varval"], r, strict=True)) for r in proc],
        "complcat": [{"compl": c, "inclprop": i} for c, i in COMPLCAT],
        "complexcl": [{"compl": c, "code": k, "d_code": d} for c, k, d in COMPLEXCL],
        "drgnames": [{"drg": d, "mdc": "99"} for d in ("HIT", "ERR", "MISS")],
    }
    return TableSet.load(write_tables(tmp_path / "spec", tables))


def _cases():
    out = []
    for i, (name, _, _, variants) in enumerate(CONDITIONS, 1):
        for suffix, diags, procs, attrs, hit in variants:
            c = case(f"{name}/{suffix}", diags, f"{procs} M{i:04d}".strip(), **attrs)
            c["hit"] = hit
            out.append(c)
    for cid, diags, procs, attrs, _ in CC_CASES:
        out.append(case(cid, diags, procs, **attrs))
    for cid, diags, sex, _ in DGCAT_CASES:
        out.append(case(cid, diags, "", sex=sex))
    return out


CASES = _cases()
HIT_CASES = [c for c in CASES if "hit" in c]


@pytest.fixture(scope="module")
def spec(tmp_path_factory):
    return _spec_tables(tmp_path_factory.mktemp("spec"))


@pytest.fixture(scope="module")
def results(spark, spec):
    return {r["case_id"]: r for r in group_cases(spark, frame(spark, CASES), spec, post_rule=True).collect()}


@pytest.mark.parametrize("c", HIT_CASES, ids=[c["case_id"] for c in HIT_CASES])
def test_condition(c, results, spec):
    assert (results[c["case_id"]]["drg"] == "HIT") is c["hit"]
    assert (PerCaseGrouper(spec, post_rule=True).group(c)["drg"] == "HIT") is c["hit"]


@pytest.mark.parametrize("cid,diags,procs,attrs,level", CC_CASES, ids=[c[0] for c in CC_CASES])
def test_cc_level(cid, diags, procs, attrs, level, results, spec):
    assert results[cid]["cc_level"] == level
    assert PerCaseGrouper(spec, post_rule=True).group(case(cid, diags, procs, **attrs))["cc_level"] == level


@pytest.mark.parametrize("cid,diags,sex,dgcat", DGCAT_CASES, ids=[c[0] for c in DGCAT_CASES])
def test_principal_category(cid, diags, sex, dgcat, results, spec):
    assert results[cid]["trace"]["dgcat"] == dgcat
    f = PerCaseGrouper(spec, post_rule=True).features(case(cid, diags, "", sex=sex))
    assert f.dgcat == dgcat


def test_first_match_wins_by_ord_not_file_order(spark, tmp_path):
    # rows written out of order: the scan sorts by ord
    rules = [{"ord": "2", "drg": "B"}, {"ord": "1", "drg": "A", "icd": "+"}, {"ord": "3", "drg": "C"}]
    t = TableSet.load(
        write_tables(
            tmp_path,
            {
                "drglogic": rules,
                "dg": [{"code": "A1", "vartype": "DGCAT", "varval": "05M01"}],
                "drgnames": [{"drg": d} for d in "ABC"],
            },
        )
    )
    got = {
        r["case_id"]: r["drg"]
        for r in group_cases(spark, frame(spark, [case("v", "A1"), case("e")]), t, post_rule=True).collect()
    }
    assert got == {"v": "A", "e": "B"}


def test_post_rule_is_switchable(spark, spec):
    cases = [case("unknown-pdx", "QQ", los_days=5), case("empty-pdx", "", los_days=5), case("y1", "Y1", los_days=5)]
    on = {r["case_id"]: r["rtc"] for r in group_cases(spark, frame(spark, cases), spec, post_rule=True).collect()}
    off = {r["case_id"]: r["rtc"] for r in group_cases(spark, frame(spark, cases), spec, post_rule=False).collect()}
    assert on == {"unknown-pdx": "9", "empty-pdx": "1", "y1": "9"}
    assert off == {"unknown-pdx": "1", "empty-pdx": "1", "y1": "1"}
    assert PerCaseGrouper(spec, post_rule=False).group(cases[0])["rtc"] == "1"
    assert PerCaseGrouper(spec, post_rule=True).group(cases[0])["rtc"] == "9"
