"""The one Spark session factory, driven by the profiles in conf/spark.yaml."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from pyspark.sql import DataFrame, SparkSession

from lprflow.config import ConfigError, spark_config
from lprflow.localtime import pin_process_to_utc, require_utc_session


class JavaMissingError(RuntimeError):
    """Spark needs a Java 17 runtime."""


def _check_java() -> None:
    if os.environ.get("JAVA_HOME") or shutil.which("java"):
        return
    raise JavaMissingError(
        "Java 17 is required by Spark but no `java` was found on PATH and JAVA_HOME is unset. "
        "Install it, e.g. `sudo apt-get install openjdk-17-jre-headless` (Debian/Ubuntu) or "
        "`brew install openjdk@17` (macOS), then retry."
    )


def profile_conf(profile: str) -> tuple[str | None, dict[str, str]]:
    """(master, conf) of a named profile in conf/spark.yaml."""
    profiles = spark_config().profiles
    if profile not in profiles:
        raise ConfigError(f"conf/spark.yaml: unknown Spark profile '{profile}' (have {sorted(profiles)})")
    entry = profiles[profile]
    return entry.master, dict(entry.conf)


def get_spark(
    profile: str | None = None, app_name: str = "lprflow", overrides: dict[str, str] | None = None
) -> SparkSession:
    """Build (or reuse) the session for a profile.

    The profile defaults to $LPRFLOW_SPARK_PROFILE, else `local`. Under spark-submit (a master
    already set by the launcher) the profile's master is ignored and keys the launcher set win,
    so nothing here fights a cluster's own settings.
    """
    _check_java()
    pin_process_to_utc()
    # Python workers (if any) run the driver's interpreter, with the same packages
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    profile = profile or os.environ.get("LPRFLOW_SPARK_PROFILE", "local")
    master, conf = profile_conf(profile)
    conf.update(overrides or {})
    # spark-submit starts the Python driver through a gateway it already configured
    launched_by_submit = os.environ.get("PYSPARK_GATEWAY_PORT") is not None
    builder = SparkSession.builder.appName(app_name)
    if not launched_by_submit:
        if master:
            builder = builder.master(master)
        for key, value in conf.items():
            builder = builder.config(key, value)
    spark = builder.getOrCreate()
    if launched_by_submit:
        # the launcher's explicit settings win; fill only the SQL keys it left unset that a running
        # session can take (a static one, e.g. spark.sql.codegen.cache.maxEntries, is the launcher's:
        # pass it with --conf, docs/CLUSTER.md)
        submitted = spark.sparkContext.getConf()
        for key, value in conf.items():
            if key.startswith("spark.sql.") and not submitted.contains(key) and spark.conf.isModifiable(key):
                spark.conf.set(key, value)
    spark.sparkContext.setLogLevel(os.environ.get("LPRFLOW_SPARK_LOGLEVEL", "WARN"))
    require_utc_session(spark)
    return spark


@contextmanager
def sql_settings(spark: SparkSession, settings: dict[str, str]) -> Iterator[None]:
    """The session's SQL `settings` for the queries run in the block; the earlier values after."""
    before = {key: spark.conf.get(key, None) for key in settings}
    for key, value in settings.items():
        spark.conf.set(key, value)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                spark.conf.unset(key)
            else:
                spark.conf.set(key, value)


def isolated_session(spark: SparkSession, settings: dict[str, str]) -> SparkSession:
    """A session beside `spark` (the same executors and cached data) with `spark`'s SQL settings and
    `settings` over them: the queries of its frames are planned and run with those, while the
    queries of `spark`'s frames (other threads' too: a session's settings are shared by all that
    use it) keep their own."""
    session = spark.newSession()
    for key, value in {**spark.conf.getAll, **settings}.items():
        if key.startswith("spark.sql.") and session.conf.isModifiable(key):
            session.conf.set(key, value)
    return session


def adopted(session: SparkSession, df: DataFrame) -> DataFrame:
    """The rows of `df` (a frame of another session) as a frame of `session`, whose settings then
    plan and run every query built on it (an empty frame of `session` united with `df`; the
    optimizer drops the empty side); `df` itself when it is one already."""
    if df.sparkSession is session:
        return df
    return session.createDataFrame([], df.schema).unionByName(df)
