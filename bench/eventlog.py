"""Where a run's executor time went, from its Spark event log (a guide, not a figure of record).

    python -m bench.bench_validate ... --event-log /tmp/ev     # writes an uncompressed event log
    python -m bench.eventlog /tmp/ev/<app-id> [--stages 20]

Prints the total executor run time, the costliest stages (tasks, wall, run time, shuffle records
and bytes) and, for the largest SQL execution, the time metrics summed per operator kind (scan,
sort, hash-map build, aggregation, shuffle write). Operators shared by several branches of a plan
are counted once per occurrence in the plan tree, so the per-kind figures can exceed the total.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_SQL_PLAN_EVENTS = ("SparkListenerSQLExecutionStart", "SparkListenerSQLAdaptiveExecutionUpdate")


def events(path: str | Path) -> Iterator[dict[str, Any]]:
    """The JSON events of an uncompressed event log (a file, or a rolling-log directory)."""
    p = Path(path)
    files = sorted(f for f in p.iterdir() if f.name.startswith("events")) if p.is_dir() else [p]
    if any(f.suffix in (".zstd", ".lz4", ".snappy", ".lzf") for f in files):
        raise ValueError(f"{p}: compressed event log; run with spark.eventLog.compress=false")
    for f in files:
        with f.open(encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)


def _stage_metric(acc: dict[str, Any]):
    def metric(name: str) -> int:
        return int(acc.get(f"internal.metrics.{name}") or 0)

    return metric


def summarise(path: str | Path, top: int = 20) -> dict[str, Any]:
    """Stage costs and per-operator-kind time of the run logged at `path`."""
    accumulated: Counter[int] = Counter()
    stages: list[dict[str, Any]] = []
    plans: dict[int, dict] = {}
    for e in events(path):
        kind = e["Event"]
        if kind == "SparkListenerTaskEnd":
            for a in e["Task Info"].get("Accumulables", []):
                if isinstance(a.get("Update"), int | str) and str(a["Update"]).lstrip("-").isdigit():
                    accumulated[a["ID"]] += int(a["Update"])
        elif kind == "SparkListenerStageCompleted":
            si = e["Stage Info"]
            acc = {a["Name"]: a.get("Value") for a in si.get("Accumulables", [])}
            metric = _stage_metric(acc)
            stages.append(
                {
                    "stage": si["Stage ID"],
                    "tasks": si["Number of Tasks"],
                    "wall_s": round((si.get("Completion Time", 0) - si.get("Submission Time", 0)) / 1000, 1),
                    "run_s": round(metric("executorRunTime") / 1000, 1),
                    "input_records": metric("input.recordsRead"),
                    "shuffle_read_records": metric("shuffle.read.recordsRead"),
                    "shuffle_write_records": metric("shuffle.write.recordsWritten"),
                    "shuffle_write_mb": round(metric("shuffle.write.bytesWritten") / 1e6, 1),
                }
            )
        elif kind.endswith(_SQL_PLAN_EVENTS):
            plans[e["executionId"]] = e["sparkPlanInfo"]
    per_kind: Counter[str] = Counter()

    def walk(node: dict) -> None:
        for m in node.get("metrics", []):
            name = m["name"]
            if "time" in name and name != "duration":
                value = accumulated.get(m["accumulatorId"], 0)
                # Spark reports shuffle write time in nanoseconds, the other timings in ms
                seconds = value / 1e9 if name == "shuffle write time" else value / 1e3
                per_kind[f"{node['nodeName'].strip()}: {name}"] += seconds
        for child in node.get("children", []):
            walk(child)

    if plans:
        walk(max(plans.values(), key=lambda p: len(json.dumps(p))))
    return {
        "stages": len(stages),
        "executor_run_s": round(sum(s["run_s"] for s in stages), 1),
        "costliest_stages": sorted(stages, key=lambda s: -s["run_s"])[:top],
        "largest_plan_time_by_operator_s": {k: round(v, 1) for k, v in per_kind.most_common() if v >= 0.1},
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("log", help="event log file or rolling-log directory")
    ap.add_argument("--stages", type=int, default=20, help="how many of the costliest stages to list")
    a = ap.parse_args()
    print(json.dumps(summarise(a.log, a.stages), indent=1))


if __name__ == "__main__":
    main()
