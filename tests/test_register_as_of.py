"""'The register as of T': latest version at or before T, deletions removed."""

from __future__ import annotations

import datetime as dt

from lprflow.register import as_of, parse_time
from tests.register_builder import table_frame

T = dt.datetime


def _kontakt(spark, rows):
    versions = [
        dict(
            kontakt_id=kid,
            forloebselement_id="f",
            patient_id="p",
            priority=prio,
            reported_at=reported,
            deleted=deleted,
            start_time=T(2021, 1, 1),
        )
        for kid, prio, reported, deleted in rows
    ]
    return table_frame(spark, "kontakt", versions)


def _state(df, at):
    return {r["kontakt_id"]: r["priority"] for r in as_of(df, "kontakt", at).collect()}


def test_correction_replaces_earlier_version(spark):
    df = _kontakt(spark, [("k1", "ATA3", T(2021, 1, 2), False), ("k1", "ATA1", T(2021, 1, 5), False)])
    assert _state(df, T(2021, 1, 3)) == {"k1": "ATA3"}
    assert _state(df, T(2021, 1, 5)) == {"k1": "ATA1"}  # at or before T: inclusive
    assert _state(df, None) == {"k1": "ATA1"}


def test_deletion_removes_object_from_then_on(spark):
    df = _kontakt(
        spark,
        [
            ("k1", "ATA3", T(2021, 1, 2), False),
            ("k1", "ATA3", T(2021, 2, 1), True),
            ("k2", "ATA1", T(2021, 1, 2), False),
        ],
    )
    assert _state(df, T(2021, 1, 31)) == {"k1": "ATA3", "k2": "ATA1"}
    assert _state(df, T(2021, 2, 1)) == {"k2": "ATA1"}


def test_late_report_is_invisible_before_its_time(spark):
    df = _kontakt(spark, [("k1", "ATA3", T(2022, 2, 20), False)])
    assert _state(df, T(2022, 1, 10)) == {}
    assert _state(df, T(2022, 3, 1)) == {"k1": "ATA3"}


def test_re_report_after_deletion_brings_object_back(spark):
    df = _kontakt(
        spark,
        [
            ("k1", "ATA3", T(2021, 1, 2), False),
            ("k1", "ATA3", T(2021, 1, 3), True),
            ("k1", "ATA1", T(2021, 1, 4), False),
        ],
    )
    assert _state(df, T(2021, 1, 3, 12)) == {}
    assert _state(df, T(2021, 1, 4)) == {"k1": "ATA1"}


def test_tie_on_report_time_is_deterministic_and_deletion_wins(spark):
    df = _kontakt(spark, [("k1", "ATA3", T(2021, 1, 2), False), ("k1", "ATA3", T(2021, 1, 2), True)])
    assert _state(df, None) == {}
    df2 = _kontakt(spark, [("k1", "ATA3", T(2021, 1, 2), False), ("k1", "ATA1", T(2021, 1, 2), False)])
    first = _state(df2, None)
    assert first == _state(df2.orderBy("priority", ascending=False), None) == {"k1": "ATA3"}


def test_parse_time_reads_what_a_person_types_as_danish_time():
    assert parse_time("2022-03-10") == T(2022, 3, 9, 23)  # midnight in Copenhagen, winter time
    assert parse_time("2022-07-10") == T(2022, 7, 9, 22)  # summer time
    assert parse_time(dt.date(2022, 3, 10)) == T(2022, 3, 9, 23)
    assert parse_time("2022-03-10T01:00:00") == T(2022, 3, 10)  # a wall-clock time
    assert parse_time("2022-03-10T01:00:00+01:00") == T(2022, 3, 10)  # an instant
    assert parse_time("2022-03-10T00:00:00Z") == T(2022, 3, 10)
    assert parse_time(T(2022, 3, 10)) == T(2022, 3, 10)  # a datetime is already a UTC instant
    # the autumn hour that occurs twice: its first (summer-time) occurrence
    assert parse_time("2021-10-31T02:30:00") == T(2021, 10, 31, 0, 30)
