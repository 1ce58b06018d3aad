"""The command line: help texts, a clear message and exit code 1 on failure, a real run."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from jobs.cli import app

runner = CliRunner()


def test_help_lists_subcommands():
    res = runner.invoke(app, ["--help"])
    assert res.exit_code == 0
    for cmd in ("generate", "validate", "group", "group-cases", "demo"):
        assert cmd in res.output


def test_validate_help_explains_options():
    res = runner.invoke(app, ["validate", "--help"])
    assert res.exit_code == 0 and "--as-of" in res.output and "--register" in res.output


def test_missing_register_fails_with_message(spark, tmp_path):
    res = runner.invoke(
        app,
        [
            "validate",
            "--register",
            str(tmp_path / "nope"),
            "--out",
            str(tmp_path / "o"),
            "--as-of",
            "2022-01-01",
            "--profile",
            "test",
        ],
    )
    assert res.exit_code == 1
    assert "not found" in res.output
    assert not (tmp_path / "o").exists()  # nothing half-written


def test_validate_command_writes_all_outputs_and_a_blocking_expectation_exits_1(spark, register_dir, tmp_path):
    """One run of the command on the shared register (2 % injected errors): every output is written,
    the errors per rule are printed, and the blocking aktionsdiagnose-share expectation fails the
    command with a summary (exit 1) after writing. `--no-dataset-expectations` runs are covered by
    tests/test_cluster.py and tests/test_install.py."""
    out = tmp_path / "v"
    res = runner.invoke(
        app,
        ["validate", "--register", str(register_dir), "--out", str(out), "--as-of", "2022-04-01", "--profile", "test"],
    )
    assert res.exit_code == 1
    assert "blocking dataset expectation" in res.output and "share" in res.output
    assert (out / "errors").is_dir() and (out / "fejlliste").is_dir() and (out / "data_docs").is_dir()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["errors"] > 0
    assert "errors per rule" in res.output


def test_job_runs_under_spark_submit(tmp_path):
    """jobs/cli.py is the spark-submit entry point (the same code a cluster runs)."""
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    submit = Path(sys.executable).parent / "spark-submit"
    if not submit.exists():
        submit = Path(shutil.which("spark-submit") or "")
    assert submit.exists(), "spark-submit not found beside the interpreter"
    out = tmp_path / "reg"
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable}
    proc = subprocess.run(
        [
            str(submit),
            "--master",
            "local[1]",
            "--conf",
            "spark.ui.enabled=false",
            "jobs/cli.py",
            "generate",
            "--out",
            str(out),
            "--scale",
            "0.0003",
            "--profile",
            "cluster",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[1],
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["parameters"]["scale"] == 0.0003
    assert (out / "kontakt").is_dir()
