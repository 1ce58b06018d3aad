"""The package installs whole: a wheel built from the checkout, installed into a fresh virtual
environment outside it, runs `lprflow validate` on the suite's generated register from another
folder with its parameters and reference data found inside the installed package (the generator's
own parameters and reference data are found there too: checked without a Spark run, which would
cost the suite's budget ~90 s)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIP = shutil.ignore_patterns(".venv", ".git", "out", "data", "build", "dist", "*.egg-info", "__pycache__", "bench")


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 900) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(cmd)}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.mark.slow
def test_wheel_installs_and_runs_outside_the_checkout(register_dir, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("LPRFLOW_CONF", "LPRFLOW_REFERENCE", "PYTHONPATH")}
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=SKIP)
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path / "dist"),
            str(src),
        ],
        tmp_path,
        env,
    )
    wheel = next((tmp_path / "dist").glob("lprflow-*.whl"))
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], tmp_path, env)
    py = venv / "bin" / "python"
    # the dependencies (PySpark, GX, ...) come from the test environment; lprflow only from the wheel
    site = Path(
        _run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path, env).stdout.strip()
    )
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], tmp_path, env)
    where = _run(
        [
            str(py),
            "-c",
            "import lprflow, lprflow.synth, conf, reference, jobs;"
            "from lprflow.paths import conf_dir, reference_dir;"
            "from lprflow.synth.config import generator_config;"
            "generator_config();"
            "print(lprflow.__file__, conf_dir(), reference_dir())",
        ],
        tmp_path,
        env,
    ).stdout.split()
    assert all(str(site) in w for w in where), where  # code and data from the installed package
    work = tmp_path / "elsewhere"
    work.mkdir()
    env["PYSPARK_PYTHON"] = str(py)
    lprflow = str(venv / "bin" / "lprflow")
    _run(
        [
            lprflow,
            "validate",
            "--register",
            str(register_dir),
            "--out",
            "val",
            "--as-of",
            "2022-04-01",
            "--no-dataset-expectations",
            "--profile",
            "test",
        ],
        work,
        env,
    )
    manifest = json.loads((work / "val" / "manifest.json").read_text())
    assert manifest["counts"]["reports_checked"] > 0 and manifest["counts"]["errors"] > 0
    assert manifest["inputs"]["reference"].startswith(str(site))
    assert (work / "val" / "fejlliste").is_dir()
