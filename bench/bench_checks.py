"""Benchmark the checks of some rule groups alone (not a test), on a warm register state, against a
share of the register's result reports: what their cost is in proportion to (issue 18).

    python -m bench.bench_checks --register bench/out/reg-1.0 --shares 1,0.1,0

For each share, the same register with only that share of its result reports (`result_report_share`:
a report is kept by a hash of its id, with every version and every result of it; the other tables
are untouched), its state as of `--as-of` computed and persisted (timed apart), then the checks of
`--groups` built, evaluated and run to a noop sink `--reps` times in one process (rep 0 is the
first evaluation in the JVM). One JSON line per share and repetition, all in the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from bench.sink import noop_seconds
from expectations.catalogue import load_catalogue
from expectations.config import validation_config
from expectations.engine import evaluate
from expectations.frames.builder import FrameBuilder
from expectations.registry import checks_in_scope
from expectations.rules import ALL_CHECKS
from lprflow.reference import Reference
from lprflow.register import read_register
from lprflow.session import get_spark
from lprflow.state import register_state

REPORT_ID = "resultatindberetning_id"  # the result report's id, on its own rows and its results'
BUCKETS = 1000  # a share is a whole number of these hash buckets


def result_report_share(versions: dict[str, DataFrame], share: float) -> dict[str, DataFrame]:
    """`versions` with only `share` (0-1, in steps of 1/BUCKETS) of the result reports: those whose
    id hashes into the first buckets, with all their versions and results; other tables as they are."""
    if not 0 <= share <= 1:
        raise ValueError(f"a share of the result reports is between 0 and 1, not {share}")
    kept = F.pmod(F.xxhash64(REPORT_ID), F.lit(BUCKETS)) < F.lit(round(share * BUCKETS))
    return {
        name: df.where(kept) if name in ("resultatindberetning", "resultat") else df for name, df in versions.items()
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--register", required=True)
    ap.add_argument("--groups", default="RESULTATINDBERETNING", help="rule groups, comma-separated")
    ap.add_argument("--shares", default="1,0.1,0", help="shares of the result reports, comma-separated")
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--as-of", default="2022-04-01")
    ap.add_argument("--profile", default="bench")
    a = ap.parse_args()
    spark = get_spark(a.profile, app_name="bench-checks")
    at = dt.datetime.fromisoformat(a.as_of)
    catalogue, conf, ref = load_catalogue(), validation_config(), Reference.load(spark)
    checks = checks_in_scope(ALL_CHECKS, catalogue, a.groups.split(","))
    versions = read_register(spark, a.register)
    for share in (float(s) for s in a.shares.split(",")):
        kept = result_report_share(versions, share)
        with register_state(kept, at, persist=True) as state:
            t0 = time.perf_counter()
            for df in state.objects.values():
                noop_seconds(df)
            line = {"share": share, "checks": len(checks), "state_s": round(time.perf_counter() - t0, 1)}
            line["result_reports"] = state.tables["resultatindberetning"].count()
            line["results"] = state.tables["resultat"].count()
            print(json.dumps(line), flush=True)
            for rep in range(a.reps):
                with FrameBuilder(state, ref) as builder:
                    t0 = time.perf_counter()
                    frames = builder.build({c.frame for c in checks})
                    t1 = time.perf_counter()
                    res = evaluate(frames, checks, catalogue, at, conf.rule_version)  # catalogue rules only
                    t2 = time.perf_counter()
                    noop_seconds(res.issues)
                    t3 = time.perf_counter()
                times = {"build_s": t1 - t0, "evaluate_s": t2 - t1, "run_s": t3 - t2, "total_s": t3 - t0}
                print(
                    json.dumps({"share": share, "rep": rep, **{k: round(v, 1) for k, v in times.items()}}), flush=True
                )


if __name__ == "__main__":
    main()
