"""How the Spark grouper's cost grows with the size of the rule table (issue 15's baseline; not a test).

    python -m bench.bench_table_size --cases bench/out/group-0.1/cases --rules 2200

The sample table set (reference/drg/dkdrg-sample-2021, 102 rules) is widened to `--rules` rows by
copies of its rules placed before them in scan order, each with one extra condition no case meets
(age below 0 days): every case is scanned through every copy, as a case of a late MDC is in a real
table of that size, and the answers cannot change (checked). Measured side by side in one run on
the same staged cases: the fixed cost (building the scan expression and planning the query) and
the time to group every case (a noop write), for the sample and the widened table.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time

from pyspark.sql import functions as F

from grouping.config import grouping_config
from grouping.engine import group_cases
from grouping.pipeline import tables_for_year
from lprflow.session import get_spark


def widened(tables, n_rules: int):
    """The table set with copies of its rules (never matching) before them, `n_rules` rows in all."""
    base = tables.rules
    copies = []
    for i in range(n_rules - len(base)):
        r = base[i % (len(base) - 1)]  # not the catch-all
        copies.append(
            dataclasses.replace(
                r,
                ord=f"000A{i:06d}",
                conditions={**r.conditions, "agelim": ("<", "0")},
                cells={**r.cells, "agelim": "<0"},
            )
        )
    return dataclasses.replace(tables, rules=copies + list(base))


def run(spark, cases, tables, post_rule: bool) -> dict:
    t0 = time.perf_counter()
    grouped = group_cases(spark, cases, tables, post_rule=post_rule)
    grouped._jdf.queryExecution().executedPlan()  # build the expression and plan the query
    fixed = time.perf_counter() - t0
    t0 = time.perf_counter()
    grouped.write.format("noop").mode("overwrite").save()
    scan = time.perf_counter() - t0
    n = cases.count()
    return {
        "rules": len(tables.rules),
        "cases": n,
        "fixed_s": round(fixed, 1),
        "group_s": round(scan, 1),
        "cases_per_s": round(n / scan),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", required=True, help="staged cases (bench_group writes them to <out>/cases)")
    ap.add_argument("--rules", type=int, default=2200)
    ap.add_argument("--tariff-year", type=int, default=2021)
    ap.add_argument("--profile", default="bench")
    a = ap.parse_args()
    spark = get_spark(a.profile, app_name="bench-table-size")
    conf = grouping_config()
    sample = tables_for_year(a.tariff_year, conf)
    wide = widened(sample, a.rules)
    cases = spark.read.parquet(a.cases).cache()
    cases.count()
    res = {"sample": run(spark, cases, sample, conf.post_rule_rtc_1_to_9)}
    print(json.dumps(res["sample"]), flush=True)
    res["widened"] = run(spark, cases, wide, conf.post_rule_rtc_1_to_9)
    print(json.dumps(res["widened"]), flush=True)
    a_ = group_cases(spark, cases, sample, post_rule=True).select("case_id", "drg", "ord")
    b_ = group_cases(spark, cases, wide, post_rule=True).select(
        "case_id", F.col("drg").alias("d2"), F.col("ord").alias("o2")
    )
    res["differences"] = a_.join(b_, "case_id").where("drg <=> d2 = false or ord <=> o2 = false").count()
    res["ratio_per_case"] = round(res["widened"]["group_s"] / res["sample"]["group_s"], 1)
    print(json.dumps(res))


if __name__ == "__main__":
    main()
