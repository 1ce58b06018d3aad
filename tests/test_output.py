"""Atomic outputs: a job that fails part-way leaves the previous output as it was and no staging
folder behind; the manifest is written last."""

from __future__ import annotations

import json

import pytest

from lprflow.output import atomic_output


def _tree(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_failure_after_partial_write_keeps_previous_output(spark, tmp_path):
    target = tmp_path / "out"
    with atomic_output(target, "test", {"run": 1}) as o:
        o.write("a", spark.range(3))
        o.write_json("summary.json", {"n": 3})
    before = _tree(target)
    with pytest.raises(RuntimeError, match="boom"), atomic_output(target, "test", {"run": 2}) as o:
        o.write("a", spark.range(5))  # part of the new output is written ...
        o.write("b", spark.range(1))
        raise RuntimeError("boom")  # ... then the job fails
    assert _tree(target) == before
    assert json.loads((target / "manifest.json").read_text())["run"] == 1
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging folder left


def test_manifest_lists_outputs_and_is_written_last(spark, tmp_path):
    target = tmp_path / "out"
    with atomic_output(target, "test", {}) as o:
        o.write("a", spark.range(2))
        assert not (o.staging / "manifest.json").exists()
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["job"] == "test" and manifest["outputs"] == {"a": {"format": "parquet"}}


def test_group_job_failing_part_way_keeps_the_previous_output(spark, tmp_path, monkeypatch):
    """The real job: courses/ and contacts/ written, then the summary fails."""
    import jobs.group as job
    from tests.register_builder import write_register
    from tests.test_group_job import ROWS

    reg = write_register(spark, ROWS, tmp_path / "reg", region="1081")
    out = tmp_path / "out"
    job.run_group(spark, reg, 2021, "2022-04-01", out, quiet=True)
    before = _tree(out)

    def broken(*args, **kwargs):
        raise RuntimeError("summary failed")

    monkeypatch.setattr(job, "grouping_summary", broken)
    with pytest.raises(RuntimeError, match="summary failed"):
        job.run_group(spark, reg, 2021, "2022-04-01", out, quiet=True)
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "reg"]
