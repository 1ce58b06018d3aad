"""Bad input is answered, never silently accepted (issue 13): each kind with the engine's answer."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from jobs.cli import app
from lprflow.register import RegisterError


def test_as_of_before_any_report_fails_naming_the_first_report(spark, register_dir, tmp_path):
    from jobs.group import run_group
    from jobs.validate import run_validate

    with pytest.raises(
        RegisterError,
        match=r"nothing in the register was reported at or before 2019-01-01T00:00:00 "
        r"\(its first report is from 2021-",
    ):
        run_validate(spark, register_dir, "2019-01-01", tmp_path / "v", quiet=True, dataset_expectations=False)
    assert not (tmp_path / "v").exists()
    with pytest.raises(RegisterError, match="nothing in the register was reported at or before"):
        run_group(spark, register_dir, 2021, "2019-01-01", tmp_path / "g", quiet=True)
    assert not (tmp_path / "g").exists()


def test_cli_as_of_before_any_report_exits_1(spark, register_dir, tmp_path):
    args = ["validate", "--register", str(register_dir), "--out", str(tmp_path / "v"), "--as-of", "2019-01-01"]
    res = CliRunner().invoke(app, [*args, "--profile", "test", "--no-dataset-expectations"])
    assert res.exit_code == 1 and "nothing in the register was reported" in res.output
