"""Job: write a synthetic region-year register (Parquet, one folder per table) with its ground truth.

lprflow generate --out DIR [--region R --year Y --scale S --seed N --error-rate E --discrepancy-rate D]
(defaults: conf/generator.yaml)

Besides the register's tables: ground_truth/ (the error list's), region_extract/ (the region's own
contacts, for `lprflow match`) and match_truth/ (what matching must find).
spark-submit jobs/cli.py generate --out DIR ...
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from pyspark.sql import SparkSession

from jobs.common import step
from lprflow.manifest import folder_inventory, versions
from lprflow.output import atomic_output, check_target
from lprflow.synth.generator import generate


def run_generate(
    spark: SparkSession,
    out: str | Path,
    region: str | None = None,
    year: int | None = None,
    scale: float | None = None,
    seed: int | None = None,
    error_rate: float | None = None,
    discrepancy_rate: float | None = None,
    quiet: bool = False,
    overwrite: bool = False,
) -> dict[str, Any]:
    """Generate and write the register; returns the manifest. Unset parameters come from
    conf/generator.yaml."""
    t0 = time.perf_counter()
    check_target(out, "generate", overwrite=overwrite)
    syn = generate(
        spark,
        region=region,
        year=year,
        scale=scale,
        seed=seed,
        error_rate=error_rate,
        discrepancy_rate=discrepancy_rate,
    )
    manifest: dict[str, Any] = {"parameters": syn.params, "versions": versions()}
    with atomic_output(out, "generate", manifest, overwrite=overwrite) as o:
        for name, df in syn.tables.items():
            with step(f"writing {name}", quiet):
                o.write(name, df)
        with step("writing ground_truth", quiet):
            o.write("ground_truth", syn.ground_truth)
        with step("writing region_extract and match_truth (the region's own contacts)", quiet):
            o.write("region_extract", syn.region_extract)
            o.write("match_truth", syn.match_truth)
        manifest["seconds"] = round(time.perf_counter() - t0, 1)
        manifest["inventory"] = folder_inventory(o.staging)
    return manifest
