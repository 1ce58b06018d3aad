"""Job: write a synthetic region-year register (Parquet, one folder per table) with its ground truth.

lprflow generate --out DIR [--region 1082 --year 2021 --scale 0.01 --seed 7 --error-rate 0.002]
spark-submit jobs/generate.py --out DIR ...
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    import _bootstrap  # noqa: F401

from pyspark.sql import SparkSession

from jobs.common import folder_inventory, step, versions
from lprflow.output import atomic_output
from lprflow.synth.generator import generate


def run_generate(
    spark: SparkSession,
    out: str | Path,
    region: str = "1082",
    year: int = 2021,
    scale: float = 0.01,
    seed: int = 7,
    error_rate: float | None = None,
    quiet: bool = False,
) -> dict[str, Any]:
    """Generate and write the register; returns the manifest."""
    t0 = time.perf_counter()
    syn = generate(spark, region=region, year=year, scale=scale, seed=seed, error_rate=error_rate)
    manifest: dict[str, Any] = {"parameters": syn.params, "versions": versions()}
    with atomic_output(out, "generate", manifest) as o:
        for name, df in syn.tables.items():
            with step(f"writing {name}", quiet):
                o.write(name, df)
        with step("writing ground_truth", quiet):
            o.write("ground_truth", syn.ground_truth)
        manifest["seconds"] = round(time.perf_counter() - t0, 1)
        manifest["inventory"] = folder_inventory(o.staging)
    return manifest


def main(argv: list[str] | None = None) -> None:
    from jobs.cli import app

    app(["generate", *(argv if argv is not None else sys.argv[1:])])


if __name__ == "__main__":
    main()
