"""Loading a DRG table set: bad tables fail naming the file, row and column (no Spark needed)."""

from __future__ import annotations

import pytest

from grouping.logic import RuleError
from grouping.tables import TableError, TableSet
from tests.drg_cases import SAMPLE, write_tables

OK_RULES = [{"ord": "1", "drg": "A", "icd": "+"}, {"ord": "2", "drg": "Z"}]
NAMES = [{"drg": "A", "mdc": "05"}, {"drg": "Z", "mdc": "99"}]


def _load(tmp_path, **tables):
    base = {"drglogic": OK_RULES, "drgnames": NAMES}
    base.update(tables)
    return TableSet.load(write_tables(tmp_path / "t", base))


def test_sample_set_loads(tmp_path):
    t = TableSet.load(SAMPLE, require_tariffs=True)
    assert len(t.rules) == 102 and t.rules[-1].conditions == {} and len(t.tariffs) == len(t.drgnames)


def test_missing_file(tmp_path):
    folder = write_tables(tmp_path / "t", {"drglogic": OK_RULES, "drgnames": NAMES})
    (folder / "complexcl.csv").unlink()
    with pytest.raises(TableError, match="complexcl.csv"):
        TableSet.load(folder)


def test_missing_column(tmp_path):
    folder = write_tables(tmp_path / "t", {"drglogic": OK_RULES, "drgnames": NAMES})
    (folder / "dg.csv").write_text("code,vartype,varval\n", encoding="utf-8")
    with pytest.raises(TableError, match=r"dg.csv: missing column\(s\) d_code"):
        TableSet.load(folder)


def test_duplicate_ord(tmp_path):
    with pytest.raises(TableError, match=r"drglogic.csv, row 2, column ord: duplicate value '1'"):
        _load(tmp_path, drglogic=[{"ord": "1", "drg": "A"}, {"ord": "1", "drg": "Z"}])


@pytest.mark.parametrize(
    "column,cell",
    [("agelim", "65"), ("dur", "=2"), ("mdc", "<05"), ("compl", "x"), ("sex", "X"), ("or", "Q"), ("disch", "<E")],
)
def test_unknown_operator_or_value(tmp_path, column, cell):
    with pytest.raises(RuleError, match=rf"drglogic.csv, row 1, column {column}: "):
        _load(tmp_path, drglogic=[{"ord": "1", "drg": "A", column: cell}, {"ord": "2", "drg": "Z"}])


def test_bad_rtc(tmp_path):
    with pytest.raises(RuleError, match="row 1, column rtc"):
        _load(tmp_path, drglogic=[{"ord": "1", "drg": "A", "rtc": "B"}, {"ord": "2", "drg": "Z"}])


def test_unknown_vartype(tmp_path):
    with pytest.raises(TableError, match=r"proc.csv, row 1, column vartype: unknown value 'PDGPRO'"):
        _load(tmp_path, proc=[{"code": "K1", "vartype": "PDGPRO", "varval": "05P01"}])


def test_drg_not_in_drgnames(tmp_path):
    with pytest.raises(TableError, match=r"drglogic.csv, row 1, column drg: 'Q' is not in drgnames.csv"):
        _load(tmp_path, drglogic=[{"ord": "1", "drg": "Q"}])


def test_bad_complication_category(tmp_path):
    with pytest.raises(TableError, match=r"complcat.csv, row 1, column compl"):
        _load(tmp_path, complcat=[{"compl": "05X01"}])


def test_tariff_not_a_number(tmp_path):
    with pytest.raises(TableError, match=r"tariffs.csv, row 1"):
        _load(tmp_path, tariffs=[{"drg": "A", "tariff": "lots"}])


def test_official_header_alias_and_bom(tmp_path):
    folder = write_tables(tmp_path / "t", {"drglogic": OK_RULES, "drgnames": NAMES})
    text = (folder / "drgnames.csv").read_text(encoding="utf-8").replace("loc_drg", "loc_drg (link to ndms)")
    (folder / "drgnames.csv").write_text("\ufeff" + text.replace("A,05,", "A,05,  001A  "), encoding="utf-8")
    assert TableSet.load(folder).drgnames["A"] == ("05", "001A")
