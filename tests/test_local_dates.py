"""Danish local dates: every calendar day and month the engine derives from an instant is the one on
a Copenhagen wall clock, across both DST switches (issue 14). Expected values are written out by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from pyspark.sql import functions as F

from lprflow.localtime import local_date, local_date_of, local_month
from lprflow.register import parse_time
from tests.rule_cases import HEN, case, set_
from tests.test_rules import run

T, D = dt.datetime, dt.date

# instant (UTC) → Danish date, Danish month
INSTANTS = [
    (T(2021, 2, 28, 22, 59), D(2021, 2, 28), "2021-02"),  # 23:59 CET
    (T(2021, 2, 28, 23, 0), D(2021, 3, 1), "2021-03"),  # 00:00 CET
    (T(2021, 3, 27, 23, 30), D(2021, 3, 28), "2021-03"),  # 00:30 CET on the spring-forward day
    (T(2021, 3, 28, 0, 59), D(2021, 3, 28), "2021-03"),  # 01:59 CET, the last minute before the switch
    (T(2021, 3, 28, 1, 0), D(2021, 3, 28), "2021-03"),  # 03:00 CEST, the first after it
    (T(2021, 3, 28, 21, 59), D(2021, 3, 28), "2021-03"),  # 23:59 CEST: the 23-hour day ends
    (T(2021, 3, 31, 22, 30), D(2021, 4, 1), "2021-04"),  # 00:30 CEST on 1 April
    (T(2021, 10, 30, 22, 0), D(2021, 10, 31), "2021-10"),  # 00:00 CEST on the fall-back day
    (T(2021, 10, 31, 0, 30), D(2021, 10, 31), "2021-10"),  # 02:30 CEST, the first of two
    (T(2021, 10, 31, 1, 30), D(2021, 10, 31), "2021-10"),  # 02:30 CET, the second
    (T(2021, 10, 31, 22, 59), D(2021, 10, 31), "2021-10"),  # 23:59 CET: the 25-hour day ends
    (T(2021, 10, 31, 23, 0), D(2021, 11, 1), "2021-11"),  # 00:00 CET on 1 November
    (T(2021, 12, 31, 23, 30), D(2022, 1, 1), "2022-01"),  # 00:30 on New Year's Day
]


def test_local_date_and_month_across_both_dst_switches(spark):
    df = spark.createDataFrame([(i, t) for i, (t, _, _) in enumerate(INSTANTS)], "i int, t timestamp")
    got = df.select("i", local_date(F.col("t")).alias("d"), local_month(F.col("t")).alias("m")).orderBy("i")
    assert [(r["d"], r["m"]) for r in got.collect()] == [(d, m) for _, d, m in INSTANTS]
    assert [local_date_of(t) for t, _, _ in INSTANTS] == [d for _, d, _ in INSTANTS]


def test_instants_are_read_back_unchanged(spark):
    """Naive datetimes are UTC instants on the Python side too, whatever the machine's zone."""
    df = spark.createDataFrame([(t,) for t, _, _ in INSTANTS], "t timestamp")
    assert [r["t"] for r in df.collect()] == [t for t, _, _ in INSTANTS]


@pytest.mark.parametrize(
    "text, instant",
    [
        ("2021-03-28", T(2021, 3, 27, 23)),  # the 23-hour day starts at midnight CET
        ("2021-03-29", T(2021, 3, 28, 22)),  # the next day starts at midnight CEST
        ("2021-03-28T02:30", T(2021, 3, 28, 1, 30)),  # a time that does not exist moves forward (03:30 CEST)
        ("2021-10-31T02:30", T(2021, 10, 31, 0, 30)),  # the first of the two 02:30s
        ("2021-10-31T02:30+01:00", T(2021, 10, 31, 1, 30)),  # the second, named by its offset
        ("2021-11-01", T(2021, 10, 31, 23)),
    ],
)
def test_as_of_on_the_command_line_is_danish_time(text, instant):
    assert parse_time(text) == instant


def test_the_error_list_month_is_the_danish_month(spark, reference):
    """A henvisning at 00:15 Danish time on 1 March (23:15 UTC on 28 February) with an unknown
    method: its error belongs to March."""
    c = case("month", set_(HEN, "h", time=T(2021, 2, 28, 23, 15), method="XXXX"))
    found, result = run(spark, reference, [c])
    assert found["month"] == {(HEN, "h", "06.b")}
    assert [r["contact_month"] for r in result.issues.collect()] == ["2021-03"]
