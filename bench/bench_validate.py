"""Benchmark: the whole rule catalogue on a register, beside (a) a plain scan of the same tables
(the floor) and (b) Great Expectations evaluating the rules it can express on the kontakt table
with per-row results; and (c) what any plan of the catalogue must do before its first rule
(bench/floors.py).

    python -m bench.bench_validate --register bench/out/reg-1.0 --out bench/out/val-1.0 [--without GROUP]

With --without GROUP the run validates twice in the same process, after the floors: the groups of
conf/validation.yaml, then those groups but GROUP (a temporary copy of the conf folder), e.g.
`--without RESULTATINDBERETNING` for the 399-rule catalogue beside the 168 rules before it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from unittest import mock

import yaml

from bench.floors import floor_seconds
from bench.memory import PeakMemory
from bench.sink import noop_seconds
from jobs.validate import run_validate
from lprflow.paths import conf_dir
from lprflow.reference import Reference
from lprflow.register import as_of, read_register
from lprflow.schemas import TABLE_NAMES
from lprflow.session import get_spark


def scan_floor(spark, register: str) -> float:
    return sum(noop_seconds(spark.read.parquet(f"{register}/{name}")) for name in TABLE_NAMES)


def conf_without(folder: Path, group: str) -> Path:
    """A copy of the conf folder in `folder` whose validation checks its groups but `group`."""
    shutil.copytree(conf_dir(), folder, dirs_exist_ok=True)
    path = folder / "validation.yaml"
    conf = yaml.safe_load(path.read_text(encoding="utf-8"))
    if group not in conf["groups"]:
        raise SystemExit(f"--without {group}: not a group of {conf_dir() / 'validation.yaml'}: {conf['groups']}")
    conf["groups"] = [g for g in conf["groups"] if g != group]
    path.write_text(yaml.safe_dump(conf, allow_unicode=True), encoding="utf-8")
    return folder


def timed_validate(spark, register: str, at: dt.datetime, out: str) -> dict:
    """One `run_validate` (GX suites off) of the current conf: seconds, peak memory, the rules its
    manifest says it evaluated, errors."""
    with PeakMemory() as mem:
        t0 = time.perf_counter()
        summary = run_validate(spark, register, at, out, quiet=True, dataset_expectations=False)
        secs = time.perf_counter() - t0
    rules = json.loads((Path(out) / "manifest.json").read_text(encoding="utf-8"))["catalogue"]["rules_evaluated"]
    return {"s": secs, "peak_rss_mib": mem.peak_mib, "rules": rules, "errors": summary["errors"]}


def gx_kontakt(spark, register: str, at: dt.datetime, reference: Reference, cached: bool) -> tuple[float, int, int]:
    """GX on the as-of kontakt table: the catalogue rules a single-table expectation can express.

    cached=False: each expectation reads the register and takes the as-of state itself, as the
    engine does (the fair comparison); cached=True: GX gets the as-of table ready in memory.
    """
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    lists: dict[str, list[str]] = {}
    for r in reference.code_lists.collect():
        lists.setdefault(r["list_name"], []).append(r["code"])
    k = as_of(read_register(spark, register)["kontakt"], "kontakt", at)
    if cached:
        k = k.cache()
    rows = k.count()
    E = gx.expectations
    expectations = [
        # 05.11 end after start; 05.12 treatment start not before start; 05.13 treatment start before end
        E.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="end_time", column_B="start_time", ignore_row_if="either_value_is_missing"
        ),
        E.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="treatment_start", column_B="start_time", or_equal=True, ignore_row_if="either_value_is_missing"
        ),
        E.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="end_time", column_B="treatment_start", ignore_row_if="either_value_is_missing"
        ),
        # 05.a / 05.b / 07.a code lists (ignoring code validity dates, which GX cannot express)
        E.ExpectColumnValuesToBeInSet(column="type", value_set=lists["admin.konttype"]),
        E.ExpectColumnValuesToBeInSet(column="priority", value_set=lists["admin.prioritet"]),
        E.ExpectColumnValuesToBeInSet(column="reason", value_set=lists["admin.kontaarsag"]),
    ]
    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch = (
        ctx.data_sources.add_spark(name="b")
        .add_dataframe_asset(name="kontakt")
        .add_batch_definition_whole_dataframe("all")
        .get_batch(batch_parameters={"dataframe": k})
    )
    t0 = time.perf_counter()
    for e in expectations:
        batch.validate(e, result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["kontakt_id"]})
    secs = time.perf_counter() - t0
    if cached:
        k.unpersist()
    return secs, len(expectations), rows


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--register", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--as-of", default="2022-04-01")
    ap.add_argument("--profile", default="bench")
    ap.add_argument("--skip-gx", action="store_true")
    ap.add_argument("--gx-only", action="store_true")
    ap.add_argument("--floors-only", action="store_true", help="only the scan, as-of and structural floors")
    ap.add_argument("--skip-floors", action="store_true", help="only the scan floor (no as-of/structural)")
    ap.add_argument("--without", metavar="GROUP", help="then validate again without this group of conf's")
    ap.add_argument("--event-log", help="write an uncompressed Spark event log here (see bench/eventlog.py)")
    a = ap.parse_args()
    event_log: dict[str, str] = {}
    if a.event_log:
        Path(a.event_log).mkdir(parents=True, exist_ok=True)
        event_log = {
            "spark.eventLog.enabled": "true",
            "spark.eventLog.compress": "false",
            "spark.eventLog.dir": Path(a.event_log).resolve().as_uri(),
        }
    spark = get_spark(a.profile, app_name="bench-validate", overrides=event_log)
    at = dt.datetime.fromisoformat(a.as_of)
    if a.gx_only:
        reference = Reference.load(spark)
        out = {}
        for cached in (False, True):
            gx_s, gx_rules, rows = gx_kontakt(spark, a.register, at, reference, cached)
            out["cached" if cached else "uncached"] = {
                "rows": rows,
                "rules": gx_rules,
                "s": round(gx_s, 1),
                "s_per_rule": round(gx_s / gx_rules, 2),
            }
        print(json.dumps(out, indent=2))
        return
    reports = sum(spark.read.parquet(f"{a.register}/{n}").count() for n in TABLE_NAMES)
    floor = scan_floor(spark, a.register)
    floors: dict[str, float] = {"scan_floor_s": round(floor, 1)}
    measured = {} if a.skip_floors else floor_seconds(read_register(spark, a.register), at)
    for name, secs in measured.items():
        floors.update({f"{name}_floor_s": round(secs, 1), f"{name}_over_scan": round(secs / floor, 2)})
    if a.floors_only:
        print(json.dumps({"register": a.register, "reports": reports, **floors}, indent=2))
        return
    run = timed_validate(spark, a.register, at, a.out)
    secs, rules = run["s"], run["rules"]
    out = {
        "register": a.register,
        "reports": reports,
        "rules": rules,
        **floors,
        "catalogue_s": round(secs, 1),
        "catalogue_over_floor": round(secs / floor, 2),
        "reports_per_s": round(reports / secs),
        "peak_rss_mib": run["peak_rss_mib"],
        "errors": run["errors"],
        "s_per_rule": round(secs / rules, 3),
    }
    if a.without:
        with tempfile.TemporaryDirectory() as tmp:
            conf = conf_without(Path(tmp) / "conf", a.without)
            with mock.patch.dict(os.environ, {"LPRFLOW_CONF": str(conf)}):
                fewer = timed_validate(spark, a.register, at, f"{a.out}-without")
        out.update(
            {
                "without": a.without,
                "without_rules": fewer["rules"],
                "without_s": round(fewer["s"], 1),
                "without_over_floor": round(fewer["s"] / floor, 2),
                "catalogue_over_without": round(secs / fewer["s"], 2),
                "without_peak_rss_mib": fewer["peak_rss_mib"],
                "without_errors": fewer["errors"],
            }
        )
    if not a.skip_gx:
        gx_s, gx_rules, rows = gx_kontakt(spark, a.register, at, Reference.load(spark), cached=False)
        out.update(
            {
                "gx_kontakt_rows": rows,
                "gx_rules": gx_rules,
                "gx_s": round(gx_s, 1),
                "gx_s_per_rule": round(gx_s / gx_rules, 2),
                "engine_speedup_per_rule": round((gx_s / gx_rules) / (secs / rules), 1),
            }
        )
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
