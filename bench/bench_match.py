"""Benchmark `lprflow match` (not a test): a region-year's extract against the national contacts,
beside the floor of a bare full outer join of the two sides on the contact id, in the same run.

    python -m bench.bench_match --register bench/out/reg-1.0 --out bench/out/match-1.0

The register must be a `lprflow generate` output (it holds region_extract/). The national data is
grouped first as of the generator's closing day (timed on its own, not part of the ratio).
Target (issue 17): the match within 2x the floor.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from bench.memory import PeakMemory
from jobs.group import run_group
from jobs.match import run_match
from lprflow.session import get_spark


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--register", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--year", type=int, default=2021)
    ap.add_argument("--profile", default="bench")
    ap.add_argument("--national", help="an existing group output as of the closing day (skips grouping)")
    a = ap.parse_args()
    spark = get_spark(a.profile, app_name="bench-match")
    out, reg = Path(a.out), Path(a.register)
    res: dict = {"register": a.register}
    closing = json.loads((reg / "manifest.json").read_text())["parameters"]["closing"]
    national = Path(a.national) if a.national else out / "national"
    if not a.national:
        t0 = time.perf_counter()
        run_group(spark, reg, a.year, closing, national, quiet=True, overwrite=True)
        res["group_seconds"] = round(time.perf_counter() - t0, 1)
    extract = reg / "region_extract"
    with PeakMemory() as mem:
        t0 = time.perf_counter()
        left = spark.read.parquet(str(extract))
        right = spark.read.parquet(str(national / "contacts"))
        joined = left.join(right, left["kontakt_id"] == right["kontakt_id"], "full_outer").select(
            left["source_id"], right["kontakt_id"], *[right[c].alias(f"n_{c}") for c in right.columns[1:]],
            *[left[c].alias(f"r_{c}") for c in left.columns if c != "source_id"],
        )  # fmt: skip
        joined.write.mode("overwrite").parquet(str(out / "floor"))
        floor_s = time.perf_counter() - t0
    res["floor"] = {
        "seconds": round(floor_s, 1),
        "rows": spark.read.parquet(str(out / "floor")).count(),
        "peak_mib": mem.peak_mib,
    }
    print(json.dumps(res["floor"]), flush=True)
    with PeakMemory() as mem:
        t0 = time.perf_counter()
        s = run_match(spark, extract, national, out / "match", register=reg, quiet=False, overwrite=True)
        match_s = time.perf_counter() - t0
    res["match"] = {
        "seconds": round(match_s, 1),
        "region_rows": s["rows_in_extract"],
        "found": s["found"],
        "not_found": s["not_found"],
        "only_national": s["only_national"],
        "national_rows": spark.read.parquet(str(national / "contacts")).count(),
        "peak_mib": mem.peak_mib,
    }
    res["ratio"] = round(match_s / floor_s, 2)
    print(json.dumps(res, indent=1), flush=True)
    (out / "bench_match.json").write_text(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
