"""Timing a DataFrame's full computation without writing anything: Spark's noop sink."""

from __future__ import annotations

import time

from pyspark.sql import DataFrame


def noop_seconds(df: DataFrame) -> float:
    """Compute every row and column of `df` (noop write); the wall time in seconds."""
    t0 = time.perf_counter()
    df.write.format("noop").mode("overwrite").save()
    return time.perf_counter() - t0
