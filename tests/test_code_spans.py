"""Code and unit validity with gaps: a code, a code-list membership or a SOR unit that lapses and
returns is invalid between its spans (issue 14). Spans are merged only where they overlap or touch."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest

from lprflow.paths import reference_dir
from lprflow.reference import Reference, merge_spans, validity
from tests.rule_cases import MED, case
from tests.test_rules import run

D = dt.date


def test_spans_merge_where_they_overlap_or_touch_and_keep_their_gaps():
    assert merge_spans([(D(2020, 1, 1), D(2020, 6, 30)), (D(2020, 7, 1), None)]) == [(D(2020, 1, 1), None)]
    assert merge_spans([(D(2020, 3, 1), D(2020, 12, 31)), (D(2020, 1, 1), D(2020, 5, 1))]) == [
        (D(2020, 1, 1), D(2020, 12, 31))
    ]
    assert merge_spans([(None, D(2019, 1, 1)), (D(2018, 1, 1), D(2018, 2, 1))]) == [(None, D(2019, 1, 1))]
    first, last, gaps = validity([(D(2021, 3, 3), None), (D(2000, 1, 1), D(2021, 2, 28))])
    assert (first, last, gaps) == (D(2000, 1, 1), None, [(D(2021, 3, 1), D(2021, 3, 2))])
    three = validity([(D(2010, 1, 1), D(2010, 12, 31)), (D(2012, 1, 1), D(2012, 12, 31)), (D(2014, 1, 1), None)])
    assert three[2] == [(D(2011, 1, 1), D(2011, 12, 31)), (D(2013, 1, 1), D(2013, 12, 31))]


def _rewrite(path: Path, keep, extra: list[list[str]]) -> None:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], [r for r in rows[1:] if keep(r)]
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, *body, *[e + [""] * (len(header) - len(e)) for e in extra]])


@pytest.fixture(scope="module")
def gapped(spark, tmp_path_factory) -> Reference:
    """The shipped reference with three lapses around the clean case's dates (contact 1-5 March 2021,
    procedure p on 2 March): procedure code KNFB20 lapses 1-2 March; contact type ALCA00 leaves the
    list admin.konttype 28 February - 1 March; the medical unit lapses 1 March only."""
    folder = tmp_path_factory.mktemp("ref") / "reference"
    shutil.copytree(reference_dir(), folder)
    _rewrite(
        folder / "sks_codes.csv",
        lambda r: r[0] != "KNFB20",
        [["KNFB20", "hoftealloplastik", "1995-01-01", "2021-02-28"], ["KNFB20", "hoftealloplastik", "2021-03-03", ""]],
    )
    _rewrite(
        folder / "sks_code_lists.csv",
        lambda r: r[:2] != ["admin.konttype", "ALCA00"],
        [["admin.konttype", "ALCA00", "2019-01-01", "2021-02-27"], ["admin.konttype", "ALCA00", "2021-03-02", ""]],
    )
    with (folder / "sor_units.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    med = next(r for r in rows if r["sor_id"] == MED)
    rows = [r for r in rows if r["sor_id"] != MED]
    rows += [dict(med, valid_to="2021-02-28"), dict(med, valid_from="2021-03-02", valid_to="")]
    with (folder / "sor_units.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(med))
        w.writeheader()
        w.writerows(rows)
    return Reference.load(spark, folder)


def test_the_reference_keeps_every_span(gapped):
    info = {r["code"]: r for r in gapped.code_info.where("code in ('KNFB20', 'ALCA00')").collect()}
    assert [tuple(g) for g in info["KNFB20"]["gaps"]] == [(D(2021, 3, 1), D(2021, 3, 2))]
    assert info["KNFB20"]["valid_from"] == D(1995, 1, 1) and info["KNFB20"]["valid_to"] is None
    member = info["ALCA00"]["lists"]["admin.konttype"]
    assert [tuple(g) for g in member["gaps"]] == [(D(2021, 2, 28), D(2021, 3, 1))]
    assert info["ALCA00"]["lists"]["admin.konttype.fysfr"]["gaps"] == []
    units = gapped.sor_units.where(f"sor_id = '{MED}'").collect()
    assert len(units) == 1  # one row per unit: a join on the unit never multiplies rows
    assert [tuple(g) for g in units[0]["gaps"]] == [(D(2021, 3, 1), D(2021, 3, 1))]


def test_a_lapse_is_an_error_where_the_collapsed_span_saw_none(spark, gapped):
    """The clean case breaks no rule with the shipped reference (tests/test_rules.py); with the lapses:"""
    found = run(spark, gapped, [case("clean")])[0]["clean"]
    assert found == {
        # KNFB20 is not valid on 2 March, the procedure's start and end day
        ("procedure", "p", "11.52"),
        ("procedure", "p", "11.53"),
        # ALCA00 is not in admin.konttype on 1 March, the contact's start day
        ("kontakt", "k", "05.a"),
        # the medical unit is not valid on 1 March: the start day of the contact, its forløbselement
        # and its first opholdsadresse
        ("kontakt", "k", "05.42"),
        ("forloebselement", "fe", "02.42"),
        ("opholdsadresse", "o1", "09.42"),
    }
