"""Benchmark `lprflow kmf` (not a test): the whole year's series of statements beside one
`lprflow group` run on the same register, measured in the same process.

    python -m bench.bench_kmf --register bench/out/reg-1.0 --out bench/out/kmf-1.0

Target (issue 16): the twelve preliminary statements and the final one within 3x one grouping run.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from bench.memory import PeakMemory
from jobs.group import run_group
from jobs.kmf import run_kmf
from lprflow.session import get_spark


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--register", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--year", type=int, default=2021)
    ap.add_argument("--profile", default="bench")
    a = ap.parse_args()
    spark = get_spark(a.profile, app_name="bench-kmf")
    out = Path(a.out)
    res: dict = {"register": a.register}
    with PeakMemory() as mem:
        t0 = time.perf_counter()
        g = run_group(spark, a.register, a.year, f"{a.year + 1}-03-01", out / "group", quiet=True, overwrite=True)
        res["group"] = {"seconds": round(time.perf_counter() - t0, 1), "courses": g["courses"]}
    res["group"]["peak_mib"] = mem.peak_mib
    print(json.dumps(res["group"]), flush=True)
    with PeakMemory() as mem:
        t0 = time.perf_counter()
        k = run_kmf(spark, a.register, a.year, out / "kmf", quiet=False, overwrite=True)
        res["kmf"] = {
            "seconds": round(time.perf_counter() - t0, 1),
            "replicas": k["replicas"],
            "items": sum(v["items"] for v in k["items"].values()),
            "checks": k["checks"],
        }
    res["kmf"]["peak_mib"] = mem.peak_mib
    res["ratio"] = round(res["kmf"]["seconds"] / res["group"]["seconds"], 2)
    print(json.dumps(res, indent=1), flush=True)
    (out / "bench_kmf.json").write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
