"""bench/eventlog.py: stage costs and per-operator time from a hand-written event log."""

from __future__ import annotations

import json

import pytest

from bench.eventlog import summarise


def _stage(stage_id: int, run_ms: int, written: int) -> dict:
    return {
        "Event": "SparkListenerStageCompleted",
        "Stage Info": {
            "Stage ID": stage_id,
            "Number of Tasks": 4,
            "Submission Time": 1_000,
            "Completion Time": 3_500,
            "Accumulables": [
                {"Name": "internal.metrics.executorRunTime", "Value": run_ms},
                {"Name": "internal.metrics.shuffle.write.recordsWritten", "Value": written},
            ],
        },
    }


def _task(updates: dict[int, int]) -> dict:
    return {
        "Event": "SparkListenerTaskEnd",
        "Task Info": {"Accumulables": [{"ID": k, "Update": v} for k, v in updates.items()]},
    }


PLAN = {
    "nodeName": "Sort",
    "metrics": [{"name": "sort time", "accumulatorId": 1}, {"name": "duration", "accumulatorId": 9}],
    "children": [
        {
            "nodeName": "Exchange",
            "metrics": [{"name": "shuffle write time", "accumulatorId": 2}],
            "children": [],
        }
    ],
}


def test_summary_ranks_stages_and_converts_operator_units(tmp_path):
    log = tmp_path / "app"
    log.mkdir()
    lines = [
        _stage(0, 2_000, 10),
        _stage(1, 9_000, 0),
        _task({1: 1_500, 2: 3_000_000_000, 9: 99_000}),
        _task({1: 500, 2: 1_000_000_000}),
        {
            "Event": "org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart",
            "executionId": 0,
            "sparkPlanInfo": PLAN,
        },
    ]
    (log / "events_1_app").write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    out = summarise(log, top=1)
    assert out["stages"] == 2
    assert out["executor_run_s"] == 11.0
    assert [s["stage"] for s in out["costliest_stages"]] == [1]
    assert out["costliest_stages"][0]["wall_s"] == 2.5
    # sort time is in ms, shuffle write time in ns; the codegen "duration" is left out
    assert out["largest_plan_time_by_operator_s"] == {"Exchange: shuffle write time": 4.0, "Sort: sort time": 2.0}


def test_compressed_log_is_refused_with_the_file_named(tmp_path):
    log = tmp_path / "app"
    log.mkdir()
    (log / "events_1_app.zstd").write_bytes(b"\x28\xb5\x2f\xfd")
    with pytest.raises(ValueError, match="compressed event log"):
        summarise(log)
