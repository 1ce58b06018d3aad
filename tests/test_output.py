"""Atomic outputs: a job that fails part-way leaves the previous output as it was and no staging
folder behind; the manifest is written last."""

from __future__ import annotations

import json

import pytest

from lprflow.output import OutputError, _locked, atomic_output


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
    assert [p.name for p in tmp_path.iterdir() if p.is_dir()] == ["out"]  # no staging folder left


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
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == ["out", "reg"]


def test_a_folder_that_is_not_this_jobs_output_is_refused_and_kept(spark, tmp_path):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "thesis.txt").write_text("years of work")
    with pytest.raises(OutputError, match="not an earlier output of `lprflow validate`.*--overwrite"):
        with atomic_output(target, "validate", {}) as o:
            o.write("a", spark.range(1))
    assert (target / "thesis.txt").read_text() == "years of work"
    other = tmp_path / "other"
    with atomic_output(other, "group", {}) as o:
        o.write("a", spark.range(1))
    with pytest.raises(OutputError, match="not an earlier output of `lprflow validate`"):
        with atomic_output(other, "validate", {}):
            pass  # another job's output is not this job's to replace
    with atomic_output(target, "validate", {}, overwrite=True) as o:  # said explicitly
        o.write("a", spark.range(1))
    assert not (target / "thesis.txt").exists()


def test_an_empty_folder_is_taken(spark, tmp_path):
    (tmp_path / "empty").mkdir()
    with atomic_output(tmp_path / "empty", "validate", {}) as o:
        o.write("a", spark.range(1))
    assert (tmp_path / "empty" / "manifest.json").exists()


@pytest.mark.parametrize("where", ["same", "inside", "around"])
def test_an_output_overlapping_an_input_is_refused_even_with_overwrite(tmp_path, where):
    register = tmp_path / "reg"
    (register / "kontakt").mkdir(parents=True)
    (register / "kontakt" / "part-0.parquet").write_bytes(b"data")
    before = _tree(register)
    target = {"same": register, "inside": register / "val", "around": tmp_path}[where]
    for overwrite in (False, True):
        with pytest.raises(OutputError, match="overlaps the input"):
            with atomic_output(target, "validate", {}, inputs=[register], overwrite=overwrite):
                pass
    assert _tree(register) == before


def test_a_second_writer_is_refused_while_the_first_holds_the_target(tmp_path):
    target = (tmp_path / "out").resolve()
    with _locked(target):  # the first run
        with pytest.raises(OutputError, match="another lprflow run is writing"):
            with atomic_output(target, "validate", {}):
                pass
    with atomic_output(target, "validate", {}):  # free again
        pass


def test_leftover_staging_of_a_killed_run_is_removed_by_the_next_run(spark, tmp_path):
    stale = tmp_path / ".out.staging-deadbeef"
    stale.mkdir()
    (stale / "manifest.json").write_text("{}")
    (tmp_path / ".out.old-cafebabe").mkdir()
    unrelated = tmp_path / ".other.staging-12345678"
    unrelated.mkdir()
    with atomic_output(tmp_path / "out", "validate", {}) as o:
        o.write("a", spark.range(1))
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == [".other.staging-12345678", "out"]


def test_cli_refuses_out_equal_to_the_register(spark, register_dir):
    from typer.testing import CliRunner

    from jobs.cli import app

    before = _tree(register_dir)
    args = ["validate", "--register", str(register_dir), "--out", str(register_dir), "--as-of", "2022-04-01"]
    res = CliRunner().invoke(app, [*args, "--profile", "test", "--overwrite"])
    assert res.exit_code == 1 and "overlaps the input" in res.output
    assert _tree(register_dir) == before
