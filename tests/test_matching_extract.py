"""Reading the region's extract (`matching.extract`) through a column mapping: a missing column
named, rows without a source id, the birth date and sex of a few rows, the LPR3 ids alone."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.test_matching import HEADER, HOSPITAL, MAPPING, MED, T, _line


def test_a_mapped_column_missing_from_the_extract_names_the_file_and_column(spark, tmp_path):
    from matching.config import matching_config
    from matching.extract import ExtractError, read_extract

    path = tmp_path / "extract.csv"
    path.write_text("source_id;kontakt_id;cpr;unit\ne1;K1;0101501234;" + MED + "\n", encoding="utf-8")
    with pytest.raises(ExtractError, match=r"extract.csv: region extract has no column 'responsible_unit'"):
        read_extract(spark, path, matching_config().extract, "salt", spark.createDataFrame([], "sor_id string"))


def test_the_ids_read_alone_are_the_extracts_ids_row_for_row(spark, tmp_path):
    """`read_kontakt_ids` (the count of the duplicated ids reads it) gives the LPR3 id of every row as
    `read_extract` reads it (trimmed, an empty one null, a duplicate twice), from that column
    alone; without an id column mapped, a null per row."""
    from collections import Counter

    from matching.config import matching_config
    from matching.extract import read_extract, read_kontakt_ids

    (tmp_path / "mapping.yaml").write_text(MAPPING, encoding="utf-8")
    mapping = matching_config(tmp_path / "mapping.yaml").extract
    path = tmp_path / "extract.csv"
    lines = [_line("e1", " K1 ", "P1", T(2021, 3, 1, 8), T(2021, 3, 3, 10)),
             _line("e2", "K1", "P1", T(2021, 3, 1, 8), T(2021, 3, 3, 10)),  # the same id again
             _line("e3", "  ", "P2", T(2021, 3, 1, 8), T(2021, 3, 1, 9)),  # blank: no id
             _line("e4", None, "P2", T(2021, 4, 1, 8), T(2021, 4, 1, 9)),
             _line("e5", "K5", "P2", T(2021, 5, 1, 8), T(2021, 5, 1, 9))]  # fmt: skip
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    units = spark.createDataFrame([(MED, HOSPITAL)], "sor_id string, hospital_id string")
    ids = read_kontakt_ids(spark, path, mapping)
    got = Counter(r["kontakt_id"] for r in ids.collect())
    assert got == Counter(r["kontakt_id"] for r in read_extract(spark, path, mapping, "salt", units).collect())
    assert got == Counter({"K1": 2, None: 2, "K5": 1})
    plan = ids._jdf.queryExecution().executedPlan().toString()
    assert plan[plan.index("ReadSchema: ") :].split("\n")[0] == "ReadSchema: struct<lpr_id:string>"
    (tmp_path / "none.yaml").write_text(MAPPING.replace("kontakt_id: lpr_id", "kontakt_id: null"), encoding="utf-8")
    none = read_kontakt_ids(spark, path, matching_config(tmp_path / "none.yaml").extract).collect()
    assert [r["kontakt_id"] for r in none] == [None] * len(lines)


def test_an_extract_without_source_ids_numbers_identical_rows_and_only_picks_rows_by_id(spark, tmp_path):
    """Without a source id a row's id is its content's hash and its place among identical rows;
    `only` (row ids) returns exactly those rows, with the birth date and sex of their CPR number."""
    from matching.config import matching_config
    from matching.extract import read_extract

    (tmp_path / "mapping.yaml").write_text(MAPPING.replace("source_id: epj_id", "source_id: null"), encoding="utf-8")
    mapping = matching_config(tmp_path / "mapping.yaml").extract
    path = tmp_path / "extract.csv"
    same = _line("x", None, "P1", T(2021, 4, 1, 8), T(2021, 4, 1, 9))
    lines = [same, same, _line("x", "K1", "P1", T(2021, 3, 1, 8), T(2021, 3, 3, 10)),
             _line("x", "K2", "P2", T(2021, 3, 1, 8), T(2021, 3, 1, 9))]  # fmt: skip
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    units = spark.createDataFrame([(MED, HOSPITAL)], "sor_id string, hospital_id string")
    rows = read_extract(spark, path, mapping, "salt", units).collect()
    ids = sorted(r["region_row_id"] for r in rows)
    assert len(set(ids)) == 4 and all(len(i) == 22 and i[-2] == "#" for i in ids)
    twins = [r for r in rows if r["kontakt_id"] is None]
    assert {r["region_row_id"][-1] for r in twins} == {"1", "2"}
    assert twins[0]["region_row_id"][:20] == twins[1]["region_row_id"][:20]

    def picked(*ids: str) -> list[tuple]:
        only = spark.createDataFrame([(i,) for i in ids], "region_row_id string")
        got = read_extract(spark, path, mapping, "salt", units, only).collect()
        return sorted((r["region_row_id"], r["kontakt_id"], r["birth_date"], r["sex"]) for r in got)

    k2 = next(r["region_row_id"] for r in rows if r["kontakt_id"] == "K2")
    assert picked(k2) == [(k2, "K2", dt.date(1980, 2, 2), 2)]  # 0202802222: born 2 Feb 1980, even: a woman
    assert [r[0] for r in picked(twins[1]["region_row_id"], "nope")] == [twins[1]["region_row_id"]]
    assert picked("nope") == []


def test_people_picked_by_source_id_and_by_content_where_a_row_has_no_source_id(spark, tmp_path):
    """`read_people` gives the birth date and sex of the rows asked for: a row with a source id is
    picked by it; a row without one (its id its content's hash) is picked from its whole row; an
    id of no row gives nothing. The result matches the whole extract's row for row."""
    from matching.config import matching_config
    from matching.extract import read_extract, read_people

    (tmp_path / "mapping.yaml").write_text(MAPPING, encoding="utf-8")
    mapping = matching_config(tmp_path / "mapping.yaml").extract
    path = tmp_path / "extract.csv"
    lines = [_line("e1", "K1", "P1", T(2021, 3, 1, 8), T(2021, 3, 3, 10)),
             _line("", "K2", "P2", T(2021, 3, 1, 8), T(2021, 3, 1, 9)),  # no source id
             _line("e3", "K3", "P2", T(2021, 4, 1, 8), T(2021, 4, 1, 9))]  # fmt: skip
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    units = spark.createDataFrame([(MED, HOSPITAL)], "sor_id string, hospital_id string")
    whole = {r["kontakt_id"]: r for r in read_extract(spark, path, mapping, "salt", units).collect()}
    hashed = whole["K2"]["region_row_id"]
    assert whole["K1"]["region_row_id"] == "e1" and len(hashed) == 20

    def people(*ids: str, counted: bool = True) -> set[tuple]:
        """Asked by a frame and by a list of ids (a few): the same rows."""
        frame = spark.createDataFrame([(i,) for i in ids], "region_row_id string")
        found = []
        for asked in (frame, sorted(ids)):
            got = read_people(spark, path, mapping, "salt", units, asked, len(ids) if counted else None)
            found.append({(r["region_row_id"], r["birth_date"], r["sex"]) for r in got.collect()})
            got.unpersist()
        assert found[0] == found[1]
        return found[0]

    def expected(*kontakt_ids: str) -> set[tuple]:
        return {(whole[k]["region_row_id"], whole[k]["birth_date"], whole[k]["sex"]) for k in kontakt_ids}

    assert whole["K2"]["birth_date"] == dt.date(1980, 2, 2) and whole["K2"]["sex"] == 2
    assert people("e1", "e3") == expected("K1", "K3")  # by source id alone
    assert people("e1", hashed, "nope") == expected("K1", "K2")  # the hashed row from its whole row
    assert people("e1", hashed, counted=False) == expected("K1", "K2")  # not counted: looked for the same
    assert people("nope") == set()
    asked = spark.createDataFrame([("e1",)], "region_row_id string")
    picked = read_extract(spark, path, mapping, "salt", units, only=asked, by_source=True)
    plan = picked.select("region_row_id", "birth_date", "sex")._jdf.queryExecution().executedPlan().toString()
    read = plan[plan.index("ReadSchema: ") :].split("\n")[0]
    assert "epj_id" in read and "cpr" in read and "adiag" not in read and "start" not in read  # not the whole row
