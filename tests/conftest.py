"""Shared fixtures: one Spark session for the whole suite, one small generated register."""

from __future__ import annotations

import datetime as dt
import gc
import os
from pathlib import Path

import pytest

os.environ.setdefault("LPRFLOW_SPARK_PROFILE", "test")
os.environ.setdefault("PYARROW_IGNORE_TIMEZONE", "1")  # pyspark.testing imports pandas-on-Spark

SCALE = 0.001
YEAR = 2021
AS_OF = dt.datetime(YEAR + 1, 4, 1)


@pytest.fixture(scope="session")
def spark():
    from lprflow.session import get_spark

    s = get_spark("test", app_name="lprflow-tests")
    yield s
    s.stop()


@pytest.fixture(scope="session")
def reference(spark):
    from lprflow.reference import Reference

    return Reference.load(spark)


@pytest.fixture(scope="session")
def register_dir(spark, tmp_path_factory) -> Path:
    """A generated register at scale 0.001 with a high error rate and a high rate of discrepancies
    in the region's extract, written once."""
    from jobs.generate import run_generate

    out = tmp_path_factory.mktemp("reg") / "register"
    run_generate(
        spark, out, region="1082", year=YEAR, scale=SCALE, seed=11, error_rate=0.02, discrepancy_rate=0.01, quiet=True
    )
    return out


@pytest.fixture(scope="session")
def validation_dir(spark, register_dir, tmp_path_factory) -> Path:
    from jobs.validate import run_validate

    out = tmp_path_factory.mktemp("val") / "validation"
    # the register has a high injected error rate; GX suites are tested on their own (test_gx.py)
    run_validate(spark, register_dir, AS_OF, out, quiet=True, dataset_expectations=False)
    return out


@pytest.fixture(scope="session")
def grouping_dir(spark, register_dir, tmp_path_factory) -> Path:
    from jobs.group import run_group

    out = tmp_path_factory.mktemp("grp") / "grouping"
    run_group(spark, register_dir, YEAR, AS_OF, out, quiet=True)
    return out


LEFT_PERSISTED: list[tuple[str, int]] = []


@pytest.fixture(autouse=True, scope="module")
def _no_cache_outlives_its_module(request):
    """Tests share one 1g driver: what a module left persisted (a frame builder's contact context, a
    test's own cache) is released after it, and reported at the end of the run. Python's cycle
    collector runs first: a DataFrame in a reference cycle keeps its JVM plan (a whole catalogue's
    is ~200 MB of driver heap) alive until then."""
    yield
    gc.collect()
    from pyspark.sql import SparkSession

    spark = SparkSession.getActiveSession()
    if spark is None:
        return
    rdds = spark.sparkContext._jsc.getPersistentRDDs()
    if rdds.size():
        LEFT_PERSISTED.append((request.module.__name__, rdds.size()))
        for rdd in list(rdds.values()):
            rdd.unpersist(True)
    spark.catalog.clearCache()


def pytest_terminal_summary(terminalreporter):
    if LEFT_PERSISTED:
        terminalreporter.write_line(
            "persisted RDDs released after their module: " + ", ".join(f"{m} {n}" for m, n in LEFT_PERSISTED)
        )


@pytest.fixture(scope="session")
def kmf_generated(spark, register_dir, tmp_path_factory) -> tuple[Path, Path]:
    """`lprflow kmf` on the generated register, run once: (its output, the register)."""
    from jobs.kmf import run_kmf

    out = tmp_path_factory.mktemp("kmf") / "out"
    run_kmf(spark, register_dir, YEAR, out, quiet=True)
    return out, register_dir
