"""The shared core pieces KMF and matching build on: paying municipality at a date, the patient
pseudonym; and the grouper passing a case's payload through untouched."""

from __future__ import annotations

import datetime as dt

from pyspark.sql import functions as F
from pyspark.testing import assertDataFrameEqual

from lprflow.pseudonym import patient_key
from lprflow.residence import paying_municipality
from tests.register_builder import table_frame

D = dt.date


def test_paying_municipality_on_a_date(spark):
    bopael = table_frame(
        spark,
        "bopael",
        [
            # P1 moves from 0751 to 0101 on 1 June (the first residence ends the day before, exclusive)
            dict(
                bopael_id="b1",
                patient_id="P1",
                municipality_code="0751",
                country_code="5100",
                valid_from=D(2000, 1, 1),
                valid_to=D(2021, 6, 1),
            ),
            dict(
                bopael_id="b2", patient_id="P1", municipality_code="0101", country_code="5100", valid_from=D(2021, 6, 1)
            ),
            dict(
                bopael_id="b3", patient_id="P2", municipality_code=None, country_code="5120", valid_from=D(2000, 1, 1)
            ),  # abroad
        ],
    )
    rows = spark.createDataFrame(
        [
            ("c1", "P1", D(2021, 5, 31)),
            ("c2", "P1", D(2021, 6, 1)),
            ("c3", "P2", D(2021, 6, 1)),
            ("c4", "P3", D(2021, 6, 1)),
            ("c5", "P1", D(1999, 1, 1)),
        ],
        "course_id string, patient_id string, day date",
    )
    got = paying_municipality(bopael, rows, "course_id", F.col("day"))
    want = spark.createDataFrame(
        [("c1", "0751"), ("c2", "0101"), ("c3", None)], "course_id string, municipality_code string"
    )
    assertDataFrameEqual(got, want)  # c4 (no residence) and c5 (before any) are absent


def test_patient_key_is_a_salted_stable_pseudonym(spark):
    df = spark.createDataFrame([("P1",), ("P2",)], "patient_id string")
    a = [r[0] for r in df.select(patient_key(F.col("patient_id"), "s1")).collect()]
    b = [r[0] for r in df.select(patient_key(F.col("patient_id"), "s1")).collect()]
    c = [r[0] for r in df.select(patient_key(F.col("patient_id"), "s2")).collect()]
    assert a == b and a != c and len(set(a)) == 2
    assert all(len(k) == 20 and "P" not in k for k in a)


def test_grouper_passes_payload_through(spark):
    from grouping.engine import group_cases
    from grouping.tables import TableSet
    from lprflow.paths import reference_dir
    from tests.drg_cases import case, frame

    tables = TableSet.load(reference_dir() / "drg" / "dkdrg-sample-2021")
    cases = frame(spark, [case("a", "DI219", "KFNG05", age_days=20000, los_days=3), case("b", "DJ189")])
    payload = cases.select(
        "*", F.concat(F.lit("course-"), "case_id").alias("course_id"), F.array(F.lit(1), F.lit(2)).alias("extra")
    )
    plain = {r["case_id"]: r["drg"] for r in group_cases(spark, cases, tables, post_rule=True).collect()}
    out = group_cases(spark, payload, tables, post_rule=True)
    assert out.columns[-2:] == ["course_id", "extra"]
    rows = {r["case_id"]: r for r in out.collect()}
    assert {k: r["drg"] for k, r in rows.items()} == plain
    assert rows["a"]["course_id"] == "course-a" and rows["b"]["extra"] == [1, 2]


def test_sql_settings_hold_in_the_block_and_the_earlier_values_return(spark):
    from lprflow.session import sql_settings

    before = spark.conf.get("spark.sql.shuffle.partitions")
    assert spark.conf.get("spark.sql.maxConcurrentOutputFileWriters", None) in (None, "0")
    with sql_settings(spark, {"spark.sql.shuffle.partitions": "3", "spark.sql.maxConcurrentOutputFileWriters": "2"}):
        assert spark.conf.get("spark.sql.shuffle.partitions") == "3"
        assert spark.conf.get("spark.sql.maxConcurrentOutputFileWriters") == "2"
    assert spark.conf.get("spark.sql.shuffle.partitions") == before
    assert spark.conf.get("spark.sql.maxConcurrentOutputFileWriters", None) in (None, "0")
    try:
        with sql_settings(spark, {"spark.sql.shuffle.partitions": "5"}):
            raise RuntimeError("inside")
    except RuntimeError:
        pass
    assert spark.conf.get("spark.sql.shuffle.partitions") == before


def test_a_plan_run_again_is_not_compiled_again(spark):
    """conf/spark.yaml keeps 1000 compiled classes (Spark's default is 100): a plan of 150 distinct
    generated stages, run twice, compiles nothing the second time. With the default cache the
    second run compiled every class again."""
    from functools import reduce

    compiled = spark._jvm.org.apache.spark.metrics.source.CodegenMetrics.METRIC_COMPILATION_TIME()
    # each branch's literal makes its generated source (and class) its own
    branches = [spark.range(1).select((F.col("id") * 7919 + i).alias("v")) for i in range(150)]
    plan = reduce(lambda a, b: a.unionAll(b), branches)
    runs = []
    for _ in range(2):
        before = compiled.getCount()
        assert sorted(r["v"] for r in plan.collect()) == list(range(150))
        runs.append(compiled.getCount() - before)
    assert runs[0] >= 150 and runs[1] == 0, runs


def test_an_isolated_session_runs_its_frames_with_its_own_settings(spark):
    """A query over a frame adopted by an isolated session with expressions interpreted gives the
    same rows and compiles (almost) nothing; the session it came from keeps its settings, and the
    same query of its own frame compiles its stages."""
    from lprflow.session import adopted, isolated_session

    compiled = spark._jvm.org.apache.spark.metrics.source.CodegenMetrics.METRIC_COMPILATION_TIME()
    partitions = spark.conf.get("spark.sql.shuffle.partitions")
    few = isolated_session(
        spark,
        {"spark.sql.codegen.wholeStage": "false", "spark.sql.codegen.factoryMode": "NO_CODEGEN",
         "spark.sql.shuffle.partitions": "3"},
    )  # fmt: skip
    assert few.conf.get("spark.sql.session.timeZone") == spark.conf.get("spark.sql.session.timeZone")
    assert few.conf.get("spark.sql.shuffle.partitions") == "3"
    rows = (
        spark.range(40).select((F.col("id") % 4).alias("k"), (F.col("id") * 104729 + 17).alias("v")).localCheckpoint()
    )

    def summed(df, salt):  # an expression of its own, so no earlier query compiled its classes
        counted = compiled.getCount()
        out = df.groupBy("k").agg(F.sum(F.col("v") * 7 - salt).alias("s")).collect()
        return sorted(tuple(r) for r in out), compiled.getCount() - counted

    there, compiled_there = summed(adopted(few, rows), 3)
    assert adopted(few, rows).sparkSession is few and adopted(spark, rows) is rows
    assert spark.conf.get("spark.sql.codegen.factoryMode") != "NO_CODEGEN"
    assert spark.conf.get("spark.sql.shuffle.partitions") == partitions
    here, compiled_here = summed(rows, 5)
    assert there == [(k, sum(i * 104729 * 7 + 17 * 7 - 3 for i in range(k, 40, 4))) for k in range(4)]
    assert here == [(k, s - 20) for k, s in there]
    assert compiled_there <= 1 and compiled_here >= 2, (compiled_there, compiled_here)
