"""Job: write a synthetic DRG table set of real size (not official) with cases that reach every rule.

    lprflow drg-tables synth --out DIR [--rules 2203] [--scale 1.0] [--seed 1]

Writes under --out the table CSVs (drglogic, dg, proc, complcat, complexcl, drgnames, tariffs),
`witness_cases.csv` (`case_id;grouping_string;expected_ord;why`, usable with `lprflow
group-cases`), README.txt (the notice that the set is synthetic) and manifest.json, atomically.
The same options give the same files. No Spark session is needed.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from grouping.config import grouping_config
from grouping.synthetic import scaled, synthesize, write
from grouping.tables import TableSet
from lprflow.manifest import versions
from lprflow.output import atomic_output
from lprflow.paths import reference_dir

BASE = "drg/dkdrg-sample-2021"  # the sample set the synthetic rules widen (reference/)


def run_synth(
    out: str | Path, rules: int | None = None, scale: float = 1.0, seed: int = 1, overwrite: bool = False
) -> dict[str, Any]:
    """Write the synthetic set; returns its row counts and coverage (the manifest's `tables`)."""
    t0 = time.perf_counter()
    real = grouping_config().synthetic_tables
    n_rules = rules if rules is not None else round(real.drglogic * scale)
    sizes = scaled(real, scale, n_rules)
    base_dir = reference_dir() / BASE
    base = TableSet.load(base_dir, require_tariffs=True)
    built, n_synthetic = synthesize(base, sizes, seed)
    manifest: dict[str, Any] = {
        "parameters": {"rules": n_rules, "scale": scale, "seed": seed, "base": BASE},
        "synthetic": True,
        "versions": versions(),
    }
    with atomic_output(out, "drg-tables synth", manifest, [base_dir], overwrite) as o:
        counts = write(o.staging, base, built, seed)
        for name in counts:
            o.files[f"{name}.csv"] = {"format": "csv", "rows": counts[name]}
        o.files["witness_cases.csv"] = {"format": "csv", "rows": len(built.witnesses)}
        manifest["tables"] = counts
        manifest["synthetic_rules"] = n_synthetic
        manifest["witness_cases"] = len(built.witnesses)
        manifest["seconds"] = round(time.perf_counter() - t0, 1)
    return manifest
