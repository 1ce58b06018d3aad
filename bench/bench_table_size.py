"""The grouper with a real-size rule table against the sample table, side by side (issue 15; not a test).

    python -m bench.bench_table_size --register bench/out/reg-1.0 --out bench/out/table-size

In one run, on local[2] with the `bench` profile:
1. writes the synthetic full-size set (`lprflow drg-tables synth`, 2,203 rules) and times it;
2. the fixed cost of each set: load and check the CSVs, build the scan and plan the query;
3. the Spark grouper alone (noop sink) on two kinds of cases, each set twice (the first pass pays
   code generation and JIT warm-up): the full set's witness cases replicated to `--replicas`
   cases (every rule reached, expected rule known) and the somatic cases of the register;
4. answers: every witness replica on its expected rule; the register's cases grouped the same by
   both sets (the synthetic rules only test synthetic codes); the per-case Python grouper
   (`grouping.percase`) on a sample of witness replicas, its speed and agreement with Spark;
5. the whole `lprflow group` job on the register with the full-size set, then with the sample set
   (this order favours the sample set: it runs on a warm JVM), and the courses compared.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from pyspark.sql import DataFrame
from pyspark.sql import functions as F
from pyspark.sql import types as T

from bench.memory import PeakMemory
from grouping.config import grouping_config
from grouping.courses import build
from grouping.engine import group_cases
from grouping.features import CASE_SCHEMA
from grouping.percase import PerCaseGrouper
from grouping.pipeline import tables_for_year
from grouping.synthetic import WITNESS_FILE, read_witnesses
from grouping.tables import TableSet
from jobs.drg_tables import run_synth
from jobs.group import run_group
from lprflow.reference import Reference
from lprflow.register import read_register
from lprflow.session import get_spark
from lprflow.state import register_as_of


def fixed_cost(spark, folder: Path, cases: DataFrame, post_rule: bool) -> tuple[TableSet, float]:
    t0 = time.perf_counter()
    tables = TableSet.load(folder, require_tariffs=True)
    grouped = group_cases(spark, cases, tables, post_rule=post_rule)
    grouped._jdf.queryExecution().executedPlan()  # build the scan and plan the query
    return tables, round(time.perf_counter() - t0, 1)


def grouper_pass(spark, cases: DataFrame, tables: TableSet, post_rule: bool, n: int) -> dict:
    with PeakMemory() as mem:
        t0 = time.perf_counter()
        group_cases(spark, cases, tables, post_rule=post_rule).write.format("noop").mode("overwrite").save()
        secs = time.perf_counter() - t0
    return {"seconds": round(secs, 1), "cases_per_s": round(n / secs), "peak_mib": mem.peak_mib}


def witness_replicas(spark, folder: Path, replicas: int, staged: str) -> DataFrame:
    ws = read_witnesses(folder / WITNESS_FILE)
    schema = T.StructType([*CASE_SCHEMA.fields, T.StructField("expected_ord", T.StringType())])
    rows = [
        (
            w["case_id"],
            w["sex"],
            w["age_days"],
            w["discharge"],
            w["los_days"],
            [{"code": a, "addon": b} for a, b in w["diagnoses"]],
            w["procedures"],
            w["expected_ord"],
        )
        for w in ws
    ]
    base = spark.createDataFrame(rows, schema)
    copies = max(1, -(-replicas // len(rows)))
    out = base.crossJoin(spark.range(copies).withColumnRenamed("id", "_copy")).select(
        F.concat("case_id", F.lit("-"), F.col("_copy").cast("string")).alias("case_id"),
        *[c for c in schema.fieldNames() if c != "case_id"],
    )
    out.repartition(4).write.mode("overwrite").parquet(staged)
    return spark.read.parquet(staged)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--register", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--as-of", default="2022-04-01")
    ap.add_argument("--tariff-year", type=int, default=2021)
    ap.add_argument("--replicas", type=int, default=300_000)
    ap.add_argument("--python-sample", type=int, default=5000)
    ap.add_argument("--profile", default="bench")
    ap.add_argument("--skip-job", action="store_true")
    a = ap.parse_args()
    out = Path(a.out)
    spark = get_spark(a.profile, app_name="bench-table-size")
    conf = grouping_config()
    post = conf.post_rule_rtc_1_to_9
    res: dict = {}

    def show(key: str, value) -> None:
        res[key] = value
        print(json.dumps({key: value}), flush=True)

    t0 = time.perf_counter()
    m = run_synth(out / "tables", overwrite=True)
    show("synth", {"seconds": round(time.perf_counter() - t0, 1), "tables": m["tables"]})
    full_dir = out / "tables"
    sample_dir = tables_for_year(a.tariff_year, conf).folder

    witnesses = witness_replicas(spark, full_dir, a.replicas, str(out / "witness_cases"))
    n_w = witnesses.count()
    state = register_as_of(read_register(spark, a.register), a.as_of)
    somatic = build(state, Reference.load(spark).sor_units, conf.courses).cases.where("course_kind = 'somatic'")
    somatic.select(*CASE_SCHEMA.fieldNames()).write.mode("overwrite").parquet(str(out / "register_cases"))
    register = spark.read.parquet(str(out / "register_cases"))
    n_r = register.count()
    show("cases", {"witness_replicas": n_w, "register": n_r})

    sample, fixed_sample = fixed_cost(spark, sample_dir, register, post)
    full, fixed_full = fixed_cost(spark, full_dir, register, post)
    show("fixed_s", {"sample": fixed_sample, "full": fixed_full, "rules": [len(sample.rules), len(full.rules)]})

    for kind, cases, n in (("witness_replicas", witnesses, n_w), ("register", register, n_r)):
        for p in (1, 2):
            for name, tables in (("sample", sample), ("full", full)):
                show(f"grouper {kind} {name} pass {p}", grouper_pass(spark, cases, tables, post, n))

    wrong = group_cases(spark, witnesses, full, post_rule=post).where(F.col("ord") != F.col("expected_ord")).count()
    a_ = group_cases(spark, register, sample, post_rule=post).select("case_id", "drg", "ord", "rtc")
    b_ = group_cases(spark, register, full, post_rule=post).select(
        "case_id", F.col("drg").alias("d2"), F.col("ord").alias("o2"), F.col("rtc").alias("r2")
    )
    differ = a_.join(b_, "case_id", "full").where("NOT (drg <=> d2 AND ord <=> o2 AND rtc <=> r2)").count()
    show("answers", {"witness_replicas_off_their_rule": wrong, "register_cases_grouped_differently": differ})

    rows = witnesses.limit(a.python_sample).collect()
    cases = []
    for r in rows:
        c = r.asDict(recursive=True)
        c["diagnoses"] = [(d["code"], d["addon"]) for d in c["diagnoses"]]
        cases.append(c)
    py = PerCaseGrouper(full, post_rule=post)
    t0 = time.perf_counter()
    got = [py.group(c) for c in cases]
    py_s = time.perf_counter() - t0
    spark_ord = {
        r["case_id"]: r["ord"]
        for r in group_cases(spark, witnesses.where(F.col("case_id").isin([c["case_id"] for c in cases])), full, post)
        .select("case_id", "ord")
        .collect()
    }
    show(
        "python_grouper_full",
        {
            "cases": len(cases),
            "seconds": round(py_s, 2),
            "cases_per_s": round(len(cases) / py_s),
            "disagree_with_spark": sum(
                1 for c, g in zip(cases, got, strict=True) if g["ord"] != spark_ord[c["case_id"]]
            ),
            "off_expected": sum(1 for c, g in zip(cases, got, strict=True) if g["ord"] != c["expected_ord"]),
        },
    )

    if not a.skip_job:
        for name, folder in (("full", full_dir), ("sample", sample_dir)):
            with PeakMemory() as mem:
                t0 = time.perf_counter()
                s = run_group(
                    spark,
                    a.register,
                    a.tariff_year,
                    a.as_of,
                    out / f"job-{name}",
                    quiet=True,
                    overwrite=True,
                    tables_dir=folder,
                )
                secs = time.perf_counter() - t0
            show(f"job {name}", {"seconds": round(secs, 1), "courses": s["courses"], "peak_mib": mem.peak_mib})
        c1 = spark.read.parquet(str(out / "job-full" / "courses")).select("course_id", "drg", "ord", "rtc", "value")
        c2 = spark.read.parquet(str(out / "job-sample" / "courses")).select("course_id", "drg", "ord", "rtc", "value")
        show(
            "job",
            {
                "ratio_full_to_sample": round(res["job full"]["seconds"] / res["job sample"]["seconds"], 2),
                "courses_differing": c1.exceptAll(c2).count() + c2.exceptAll(c1).count(),
            },
        )
    (out / "results.json").write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
