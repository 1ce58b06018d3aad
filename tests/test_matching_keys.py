"""Looking a few rows up in a whole input (`matching.keys`): a few keys are values of the scan's
own filter, many a frame joined to the input; both give the same rows."""

from __future__ import annotations

import datetime as dt

import pytest
from pyspark.sql import functions as F


@pytest.fixture(scope="module")
def versions(spark, tmp_path_factory):
    """Kontakt versions in Parquet: K1 reported twice (deleted the second time), K2 once, K3 after
    the as-of time only."""
    t = dt.datetime
    rows = [
        ("K1", t(2021, 3, 1), False),
        ("K1", t(2021, 4, 1), True),
        ("K2", t(2021, 3, 5), False),
        ("K3", t(2022, 5, 1), False),
        *[(f"X{i}", t(2021, 2, 1), False) for i in range(50)],
    ]
    path = tmp_path_factory.mktemp("keys") / "kontakt"
    spark.createDataFrame(rows, "kontakt_id string, reported_at timestamp, deleted boolean").write.parquet(str(path))
    return {"kontakt": spark.read.parquet(str(path))}


def test_a_few_keys_filter_the_scan_and_many_are_joined_with_the_same_rows(spark, versions):
    from matching.keys import among

    kontakt = versions["kontakt"]
    asked = ["K1", "K3", "nope"]
    frame = spark.createDataFrame([(k,) for k in asked], "id string")
    by_list = among(kontakt, "kontakt_id", asked)
    by_frame = among(kontakt, "kontakt_id", F.broadcast(frame))
    rows = sorted(tuple(r) for r in by_list.collect())
    assert rows == sorted(tuple(r) for r in by_frame.collect())
    assert [r[0] for r in rows] == ["K1", "K1", "K3"]
    list_plan = by_list._jdf.queryExecution().executedPlan().toString()
    frame_plan = by_frame._jdf.queryExecution().executedPlan().toString()
    pushed = list_plan[list_plan.index("PushedFilters: ") :].split("]")[0]
    assert "In(kontakt_id, [K1,K3,nope" in pushed  # a filter of the scan's own, which Parquet applies
    assert "Join" not in list_plan and "Join" in frame_plan
    assert among(kontakt, "kontakt_id", []).count() == 0  # no key: no row


def test_the_rows_apart_from_the_keys_are_the_others_with_the_null_keys(spark):
    from matching.keys import among, apart

    df = spark.createDataFrame([("a", 1), ("b", 2), (None, 3), ("c", 4), ("a", 5)], "k string, n int")
    frame = spark.createDataFrame([("a",), ("x",), (None,)], "k string")
    for keys in (["a", "x"], frame):
        kept = sorted(r.n for r in among(df, "k", keys).collect())
        others = sorted(r.n for r in apart(df, "k", keys).collect())
        assert (kept, others) == ([1, 5], [2, 3, 4])  # a null key is among none: it is apart
    assert sorted(r.n for r in apart(df, "k", []).collect()) == [1, 2, 3, 4, 5]


def test_keys_are_gathered_on_the_driver_only_when_few(spark, monkeypatch):
    import matching.keys as keys
    from matching.pairs import settled_keys

    df = spark.createDataFrame([("b",), ("a",), (None,), ("b",)], "k string")
    assert keys.keys_of(df, "k", 4) == ["a", "b"]  # distinct, sorted, without null
    monkeypatch.setattr(keys, "FEW_KEYS", 3)
    many = keys.keys_of(df, "k", 4)
    assert not isinstance(many, list) and sorted(r[0] or "" for r in many.collect()) == ["", "a", "b", "b"]
    settled, n, got = settled_keys(df, "k")
    assert (n, got) == (4, ["a", "b"]) and settled.count() == 4
    settled.unpersist()


def test_first_reports_are_the_same_asked_by_a_list_or_a_frame(spark, versions):
    from matching.reasons import first_reports

    as_of = dt.datetime(2022, 3, 10)
    frame = spark.createDataFrame([("K1",), ("K2",), ("K3",), ("K9",)], "kontakt_id string")

    def got(ids: object) -> set[tuple]:
        return {tuple(r) for r in first_reports(versions, ids, as_of, few=True).collect()}

    by_list = got(["K1", "K2", "K3", "K9"])
    assert by_list == got(frame)
    assert by_list == {
        ("K1", dt.datetime(2021, 3, 1), dt.datetime(2021, 4, 1)),  # deleted by the as-of time
        ("K2", dt.datetime(2021, 3, 5), None),
        ("K3", dt.datetime(2022, 5, 1), None),  # first reported after it (late)
    }  # K9: not in the register


def test_a_lone_rows_national_course_is_found_by_a_list_or_a_frame_of_patients(spark):
    from matching.value import _in_national_course

    t = dt.datetime
    national = spark.createDataFrame(
        [
            ("p1", "H1", "C1", t(2021, 3, 1, 8), t(2021, 3, 2, 8), 1000.0, "04MP01"),
            ("p1", "H1", "C1", t(2021, 3, 2, 9), t(2021, 3, 3, 8), None, None),
            ("p1", "H2", "C2", t(2021, 3, 1, 8), t(2021, 3, 1, 9), 500.0, "04MP02"),  # another hospital
            ("p2", "H1", "C3", t(2021, 3, 1, 8), t(2021, 3, 1, 9), 700.0, "04MP03"),
            ("p3", "H1", None, t(2021, 3, 1, 8), None, None, None),  # open: in no course
        ],
        "cpr_key string, hospital string, course_id string, start_time timestamp, end_time timestamp, "
        "course_value double, drg string",
    )
    rows = spark.createDataFrame(
        [
            ("r1", "p1", "H1", t(2021, 3, 2, 12)),  # inside C1
            ("r2", "p1", "H1", t(2021, 5, 1, 8)),  # months after: in no course
            ("r3", "p3", "H1", t(2021, 3, 1, 8)),
            ("r4", None, "H1", t(2021, 3, 1, 8)),
        ],
        "region_row_id string, r_cpr_key string, r_hospital string, r_start_time timestamp",
    )

    def found(keys: object) -> set[tuple]:
        got = _in_national_course(rows, national, 4.0, keys)
        return {(r["region_row_id"], r["value_course_id"], r["_value"], r["value_drg"]) for r in got.collect()}

    assert found(["p1", "p3"]) == found(rows.select("r_cpr_key")) == {("r1", "C1", 1000.0, "04MP01")}


def test_the_register_lookups_are_the_same_with_one_scan_of_few_ids_or_with_frames(spark, tmp_path, monkeypatch):
    """`register_lookups`: the lone rows' first reports and the differing pairs' later versions.
    With few ids of each, the kontakt versions of both are read in one scan and kept; with many
    (FEW_KEYS 0: the ids stay frames) each lookup scans on its own. The same rows either way."""
    import matching.keys as keys
    from matching.lookups import register_lookups
    from matching.pairs import Paired

    t = dt.datetime
    as_of = t(2022, 3, 10)
    kontakt_cols = (
        "kontakt_id string, reported_at timestamp, deleted boolean, start_time timestamp, "
        "end_time timestamp, responsible_unit string, type string, priority string"
    )
    s, e = t(2021, 6, 1, 8), t(2021, 6, 1, 9)
    kontakt = [
        ("K1", t(2021, 6, 2), False, s, e, "U1", "ALCA00", "ATA3"),
        ("K1", t(2021, 7, 1), True, s, e, "U1", "ALCA00", "ATA3"),  # lone, deleted
        ("K2", t(2022, 4, 1), False, s, e, "U1", "ALCA00", "ATA3"),  # lone, reported late
        ("K5", t(2021, 6, 2), False, s, e, "U1", "ALCA00", "ATA3"),  # a pair that differs
        ("K5", t(2022, 4, 2), False, s, e, "U2", "ALCA00", "ATA1"),  # ... its unit and priority later
        ("K6", t(2021, 6, 2), False, s, e, "U1", "ALCA00", "ATA3"),  # another contact
    ]
    diagnose = [
        ("K5", "A", t(2022, 4, 3), False, "DJ441"),
        ("K5", "B", t(2022, 4, 3), False, "DZ000"),  # not the aktionsdiagnose
        ("K6", "A", t(2022, 4, 3), False, "DJ449"),
    ]
    paths = {"kontakt": tmp_path / "kontakt", "diagnose": tmp_path / "diagnose"}
    spark.createDataFrame(kontakt, kontakt_cols).write.parquet(str(paths["kontakt"]))
    spark.createDataFrame(
        diagnose, "kontakt_id string, role string, reported_at timestamp, deleted boolean, code string"
    ).write.parquet(str(paths["diagnose"]))
    versions = {name: spark.read.parquet(str(p)) for name, p in paths.items()}
    lone = spark.createDataFrame(
        [("r1", "K1"), ("r2", "K2"), ("r3", "K9")], "region_row_id string, r_kontakt_id string"
    )
    differing = spark.createDataFrame([("K5",), ("K5",)], "n_kontakt_id string")

    def looked_up(few: bool) -> tuple[set, dict]:
        values = {"r_kontakt_id": ["K1", "K2", "K9"]} if few else None
        paired = Paired(rows=lone, lone=lone, pairs=lone, cached=[], n_lone=3, n_lone_no_id=0, lone_values=values)
        cached: list = []
        found, later = register_lookups(paired, versions, as_of, 60.0, "salt", differing, cached)
        got = ({tuple(r) for r in found.collect()}, {r["n_kontakt_id"]: r["later"] for r in later.collect()})
        for df in cached:
            df.unpersist()
        return got

    expected = (
        {("r1", t(2021, 6, 2), t(2021, 7, 1), True), ("r2", t(2022, 4, 1), None, True)},  # K9: not in it
        {"K5": {"responsible_unit=U2": "2022-04-02T00:00:00Z", "priority=ATA1": "2022-04-02T00:00:00Z",
                "start_time=2021-06-01T08:00:00Z": "2022-04-02T00:00:00Z",
                "end_time=2021-06-01T09:00:00Z": "2022-04-02T00:00:00Z", "type=ALCA00": "2022-04-02T00:00:00Z",
                "aktionsdiagnose=DJ441": "2022-04-03T00:00:00Z"}},
    )  # fmt: skip
    assert looked_up(few=True) == expected
    monkeypatch.setattr(keys, "FEW_KEYS", 0)  # the pairs' ids stay a frame, and the lone rows' too
    assert looked_up(few=False) == expected
