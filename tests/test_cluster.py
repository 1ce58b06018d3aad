"""A real cluster: a Spark standalone master and two workers started from the installed PySpark on
loopback; validate → group of the suite's generated register, run with spark-submit against it,
give the local run's outputs. (The generator's determinism is tested locally, test_generator.py;
a third submit here cost 130 s of the suite's budget.)

Marked `cluster` (and `slow`) and part of the default run and CI; `pytest -m cluster` runs it
alone. The local side is the suite's shared run (tests/conftest.py), so nothing is computed twice;
each spark-submit takes 60-100 s on the 2-core box (executors start in ~8 s, then the driver, two
executors, a master and two workers share two cores).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from pyspark.testing import assertDataFrameEqual

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LOOPBACK = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def _alive_workers(ui_port: int) -> int:
    try:
        with urllib.request.urlopen(f"http://{LOOPBACK}:{ui_port}/json/", timeout=2) as r:  # loopback only
            return int(json.loads(r.read())["aliveworkers"])
    except (OSError, ValueError, KeyError):
        return 0


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """spark://127.0.0.1:<port> with two one-core workers; stopped after the module."""
    work = tmp_path_factory.mktemp("cluster")
    env = {**os.environ, "SPARK_LOCAL_IP": LOOPBACK, "PYSPARK_PYTHON": sys.executable}
    port, ui = _free_port(), _free_port()
    procs = []

    def start(*args: str, log: str) -> None:
        out = (work / log).open("w")
        procs.append(subprocess.Popen([str(BIN / "spark-class"), *args], env=env, stdout=out, stderr=out))

    try:
        start(
            "org.apache.spark.deploy.master.Master",
            "--host",
            LOOPBACK,
            "--port",
            str(port),
            "--webui-port",
            str(ui),
            log="master.log",
        )
        for i in (1, 2):
            start(
                "org.apache.spark.deploy.worker.Worker",
                f"spark://{LOOPBACK}:{port}",
                "--host",
                LOOPBACK,
                "--cores",
                "1",
                "--memory",
                "1g",
                "--webui-port",
                str(_free_port()),
                "--work-dir",
                str(work / f"worker{i}"),
                log=f"worker{i}.log",
            )
        deadline = time.monotonic() + 120
        while _alive_workers(ui) < 2:
            assert time.monotonic() < deadline, (work / "master.log").read_text()[-2000:]
            assert all(p.poll() is None for p in procs), "a cluster process died"
            time.sleep(1)
        yield f"spark://{LOOPBACK}:{port}", env
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()


def _submit(master: str, env: dict[str, str], *args: str) -> None:
    cmd = [
        str(BIN / "spark-submit"),
        "--master", master,
        "--conf", "spark.executor.memory=1g",
        "--conf", "spark.executor.cores=1",
        "--conf", "spark.cores.max=2",
        "--conf", "spark.ui.enabled=false",
        "--conf", "spark.sql.shuffle.partitions=4",
        "--conf", "spark.executor.extraJavaOptions=-XX:-DontCompileHugeMethods",
        "--conf", "spark.driver.extraJavaOptions=-XX:-DontCompileHugeMethods",
        "--conf", "spark.sql.adaptive.enabled=false",
        "--conf", "spark.locality.wait=0s",
        "jobs/cli.py", *args, "--profile", "cluster",
    ]  # fmt: skip
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]


@pytest.mark.cluster
@pytest.mark.slow
def test_validate_and_group_on_a_standalone_cluster_equal_the_local_run(
    spark, cluster, register_dir, validation_dir, grouping_dir, tmp_path
):
    """The same commands as the suite's shared local run (tests/conftest.py) on its register, each
    a spark-submit on the cluster; every output equal to the local one."""
    from tests.conftest import AS_OF, YEAR

    master, env = cluster
    c, at = tmp_path, AS_OF.isoformat() + "+00:00"  # the fixtures' instant (a bare date is Danish time)
    _submit(master, env, "validate", "--register", str(register_dir), "--out", str(c / "val"), "--as-of", at,
            "--no-dataset-expectations")  # fmt: skip
    _submit(master, env, "group", "--register", str(register_dir), "--out", str(c / "grp"), "--as-of", at,
            "--tariff-year", str(YEAR))  # fmt: skip
    local = {"val": validation_dir, "grp": grouping_dir}
    for sub in ("val/errors", "grp/courses", "grp/contacts"):
        top, table = sub.split("/")
        assertDataFrameEqual(spark.read.parquet(str(c / sub)), spark.read.parquet(str(local[top] / table)))
    for top in ("val", "grp"):
        cluster_rows = json.loads((c / top / "manifest.json").read_text())["rows"]
        assert cluster_rows == json.loads((local[top] / "manifest.json").read_text())["rows"]
    summary = json.loads((c / "val" / "summary.json").read_text())
    assert summary["errors"] == json.loads((validation_dir / "summary.json").read_text())["errors"] > 0
