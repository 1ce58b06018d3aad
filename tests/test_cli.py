"""The command line: help texts, a clear message and exit code 1 on failure, a real run."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from jobs.cli import app

runner = CliRunner()


def test_help_lists_subcommands():
    res = runner.invoke(app, ["--help"])
    assert res.exit_code == 0
    for cmd in ("generate", "validate", "demo"):
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


def test_validate_command_writes_all_outputs(spark, register_dir, tmp_path):
    out = tmp_path / "v"
    res = runner.invoke(
        app,
        ["validate", "--register", str(register_dir), "--out", str(out), "--as-of", "2022-04-01", "--profile", "test"],
    )
    assert res.exit_code == 0, res.output
    assert (out / "errors").is_dir() and (out / "fejlliste").is_dir()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["errors"] > 0
    assert "errors per rule" in res.output
