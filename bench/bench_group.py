"""Benchmark `lprflow group` and the grouper (not a test).

    python -m bench.bench_group --register bench/out/reg-1.0 --out bench/out/group-1.0

Measures, in one run: (1) the whole job (read, as-of, course formation, grouping, valuation,
writing) in courses/s with peak memory; (2) the Spark grouper alone on the staged cases; (3) the
one-case-at-a-time Python grouper (`grouping.percase`) on a sample of the same cases.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from bench.memory import PeakMemory
from grouping.config import grouping_config
from grouping.courses import build
from grouping.engine import group_cases
from grouping.features import CASE_SCHEMA
from grouping.percase import PerCaseGrouper
from grouping.pipeline import tables_for_year
from jobs.group import run_group
from lprflow.reference import Reference
from lprflow.register import read_register
from lprflow.session import get_spark
from lprflow.state import register_as_of


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--register", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--as-of", default="2022-04-01")
    ap.add_argument("--tariff-year", type=int, default=2021)
    ap.add_argument("--sample", type=int, default=20000)
    ap.add_argument("--profile", default="bench")
    a = ap.parse_args()
    spark = get_spark(a.profile, app_name="bench-group")
    out = Path(a.out)
    res: dict = {"register": a.register}

    with PeakMemory() as mem:
        t0 = time.perf_counter()
        s = run_group(spark, a.register, a.tariff_year, a.as_of, out / "job", quiet=True)
        job_s = time.perf_counter() - t0
    res["job"] = {
        "seconds": round(job_s, 1),
        "contacts": s["contacts"]["total"],
        "courses": s["courses"],
        "courses_per_s": round(s["courses"] / job_s),
        "peak_mib": mem.peak_mib,
    }
    print(json.dumps(res["job"]), flush=True)

    conf = grouping_config()
    tables = tables_for_year(a.tariff_year, conf)
    state = register_as_of(read_register(spark, a.register), a.as_of)
    cases = build(state, Reference.load(spark).sor_units, conf.courses).cases.where("course_kind = 'somatic'")
    staged = str(out / "cases")
    cases.select(*CASE_SCHEMA.fieldNames()).write.mode("overwrite").parquet(staged)
    staged_df = spark.read.parquet(staged)
    n = staged_df.count()
    with PeakMemory() as mem:
        t0 = time.perf_counter()
        group_cases(spark, staged_df, tables, post_rule=conf.post_rule_rtc_1_to_9).write.format("noop").mode(
            "overwrite"
        ).save()
        g_s = time.perf_counter() - t0
    res["grouper"] = {"cases": n, "seconds": round(g_s, 1), "cases_per_s": round(n / g_s), "peak_mib": mem.peak_mib}
    print(json.dumps(res["grouper"]), flush=True)

    sample = [r.asDict(recursive=True) for r in staged_df.limit(a.sample).collect()]
    for c in sample:
        c["diagnoses"] = [(d["code"], d["addon"]) if d else (None, None) for d in c["diagnoses"]]
    py = PerCaseGrouper(tables, post_rule=conf.post_rule_rtc_1_to_9)
    t0 = time.perf_counter()
    for c in sample:
        py.group(c)
    p_s = time.perf_counter() - t0
    res["per_case_python"] = {"cases": len(sample), "seconds": round(p_s, 2), "cases_per_s": round(len(sample) / p_s)}
    print(json.dumps(res["per_case_python"]), flush=True)
    (out / "results.json").write_text(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
