"""The rule scan's MDC dispatch (grouping/scan.py): first match by `ord` across the two scan lists."""

from __future__ import annotations

from grouping.engine import group_cases
from grouping.percase import PerCaseGrouper
from grouping.scan import first_match_sql
from grouping.tables import TableSet
from tests.drg_cases import case, frame, write_tables


def test_mdc_dispatch_keeps_first_match_across_the_two_scan_lists(spark, tmp_path):
    """Rules naming an MDC are scanned per MDC, the others for every case; the first by ord still wins
    whichever list it is in, a negative MDC condition is scanned for every case (a case without MDC
    included), and a value with a quote or backslash is compared as written."""
    rules = [
        {"ord": "1", "drg": "M05-early", "mdc": "05", "dur": ">10"},
        {"ord": "2", "drg": "ANY-middle", "dgprop1": "X'1"},
        {"ord": "3", "drg": "NOT05", "mdc": "-05", "dgprop1": "X\\2"},
        {"ord": "4", "drg": "M05-late", "mdc": "05"},
        {"ord": "5", "drg": "M06", "mdc": "06"},
        {"ord": "6", "drg": "ALL"},
    ]
    t = TableSet.load(
        write_tables(
            tmp_path,
            {
                "drglogic": rules,
                "dg": [
                    {"code": "A5", "vartype": "DGCAT", "varval": "05M01"},
                    {"code": "A6", "vartype": "DGCAT", "varval": "06M01"},
                    {"code": "Q1", "vartype": "DGPROP", "varval": "X'1"},
                    {"code": "Q2", "vartype": "DGPROP", "varval": "X\\2"},
                ],
                "drgnames": [{"drg": r["drg"]} for r in rules],
            },
        )
    )
    cases = [
        case("05-long", "A5 Q1", los_days=11),  # MDC rule 1 before general rule 2
        case("05-short-q1", "A5 Q1"),  # general rule 2 before MDC rule 4
        case("05-plain", "A5 Q2"),  # rule 3 excludes MDC 05: MDC rule 4
        case("06-q2", "A6 Q2"),  # rule 3 holds for MDC 06, before MDC rule 5
        case("06-plain", "A6"),
        case("no-mdc-q2", "ZZ Q2"),  # no MDC: '-05' holds
        case("no-mdc", "ZZ"),
    ]
    got = {r["case_id"]: r["drg"] for r in group_cases(spark, frame(spark, cases), t, post_rule=True).collect()}
    want = {
        "05-long": "M05-early",
        "05-short-q1": "ANY-middle",
        "05-plain": "M05-late",
        "06-q2": "NOT05",
        "06-plain": "M06",
        "no-mdc-q2": "NOT05",
        "no-mdc": "ALL",
    }
    assert got == want
    assert {c["case_id"]: PerCaseGrouper(t, post_rule=True).group(c)["drg"] for c in cases} == want


def test_the_scan_is_one_sql_text_with_a_list_per_mdc(tmp_path):
    rules = [
        {"ord": "1", "drg": "A", "mdc": "05"},
        {"ord": "2", "drg": "B", "mdc": "06"},
        {"ord": "3", "drg": "C", "dgprop1": "X1"},
    ]
    t = TableSet.load(write_tables(tmp_path, {"drglogic": rules, "drgnames": [{"drg": d} for d in "ABC"]}))
    sql = first_match_sql(t.rules)
    assert sql.startswith("least(CASE WHEN (array_contains(dgprop, 'X1')) THEN 2 END, CASE mdc_case ")
    assert "WHEN '05' THEN CASE WHEN true THEN 0 END" in sql and "WHEN '06' THEN CASE WHEN true THEN 1 END" in sql
