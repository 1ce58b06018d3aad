"""Benchmark: generate a region-year register at a scale; time, disk size, reports, peak memory.

python -m bench.bench_generate --scale 0.1 --out bench/out/reg-0.1
"""

from __future__ import annotations

import argparse
import json
import time

from bench.memory import PeakMemory
from jobs.generate import run_generate
from lprflow.session import get_spark


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=float, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--profile", default="bench")
    a = ap.parse_args()
    spark = get_spark(a.profile, app_name="bench-generate")
    with PeakMemory() as mem:
        t0 = time.perf_counter()
        m = run_generate(spark, a.out, scale=a.scale, quiet=True)
        secs = time.perf_counter() - t0
    reports = {name: spark.read.parquet(f"{a.out}/{name}").count() for name in m["inventory"] if name != "ground_truth"}
    result = {
        "scale": a.scale,
        "seconds": round(secs, 1),
        "reports": sum(reports.values()),
        "contacts_versions": reports["kontakt"],
        "bytes": sum(v["bytes"] for k, v in m["inventory"].items()),
        "peak_rss_mib": mem.peak_mib,
        "per_table": reports,
        "cores": spark.sparkContext.defaultParallelism,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
