"""Job: KMF and full financing of an activity year, every statement of its timetable.

    lprflow kmf --register DIR --year 2021 --out DIR [--tariff-year Y] [--tables DIR] [--region R]
    spark-submit jobs/cli.py kmf --register DIR --year 2021 --out DIR

Reads the append-only register, calls `settlement.pipeline.settle_register`, and writes under
--out: items/ (the final statement's items with their parts), changes/ (each item's change per
statement, with its cause), statements/ (municipality × category × month × statement, deltas by
cause, charged before and in total), a_conto/ (in the a-conto years), summary.json and
manifest.json; all or nothing.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

import pandas as pd
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from grouping.config import grouping_config
from grouping.pipeline import tables_for_year
from grouping.tables import TableSet
from jobs.common import step
from lprflow.manifest import register_files, rows_read, versions
from lprflow.output import atomic_output, check_target
from lprflow.reference import Reference
from lprflow.register import read_register
from settlement.config import kmf_year
from settlement.pipeline import settle_register
from settlement.reconcile import read_ledger, reconcile
from settlement.replicas import TABLES_USED, statement_instants, window_index
from settlement.statements import a_conto, build_statements, statement_date_rows
from settlement.summary import kmf_summary


class RegionError(ValueError):
    """The register's region cannot be told, or is not what was asked for."""


def register_region(versions: dict[str, DataFrame], region: str | None) -> str:
    """The one region that reported the register's contacts (or `region`, if given and present)."""
    found = sorted(r["region"] for r in versions["kontakt"].select("region").distinct().limit(10).collect())
    if region is not None:
        if region not in found:
            raise RegionError(f"table 'kontakt', column 'region': region {region} not in the register (found {found})")
        return region
    if len(found) != 1:
        raise RegionError(f"table 'kontakt', column 'region': the register holds regions {found}; pass --region")
    return found[0]


def _accounting(versions: dict[str, DataFrame], instants: list, read: dict[str, int]) -> dict[str, dict[str, int]]:
    """Per table read: rows seen by a statement date, rows reported after the final date, rows of
    tables the financing does not read."""
    out = {}
    for name, df in versions.items():
        if name not in TABLES_USED:
            out[name] = {"read": read[name], "not_used": read[name]}
            continue
        w = window_index(F.col("reported_at"), instants)
        row = df.agg(F.count_if(w.isNotNull()).alias("seen"), F.count_if(w.isNull()).alias("after")).first()
        seen, after = int(row["seen"]), int(row["after"])
        if seen + after != read[name]:
            raise RuntimeError(f"table '{name}': {read[name]} rows read, {seen + after} accounted for")
        out[name] = {"read": read[name], "seen_by_a_statement": seen, "after_final_statement": after}
    return out


def run_kmf(
    spark: SparkSession,
    register: str | Path,
    year: int,
    out: str | Path,
    tariff_year: int | None = None,
    tables_dir: str | Path | None = None,
    region: str | None = None,
    quiet: bool = False,
    overwrite: bool = False,
    regions: bool = True,
) -> dict[str, Any]:
    """All statements of the year; writes the outputs; returns the summary (`regions`: see
    `settlement.pipeline.settle_register`)."""
    t0 = time.perf_counter()
    conf = kmf_year(int(year))
    gconf = grouping_config()
    tables = (
        TableSet.load(tables_dir, require_tariffs=True)
        if tables_dir
        else tables_for_year(int(tariff_year or year), gconf)
    )
    inputs = [register, tables.folder]
    check_target(out, "kmf", inputs, overwrite)
    reference = Reference.load(spark)
    versions_ = read_register(spark, register)
    region = register_region(versions_, region)
    region_munis = sorted(m["municipality_code"] for m in reference.municipality_rows() if m["region_code"] == region)
    files = register_files(register, list(versions_))
    manifest: dict[str, Any] = {
        "inputs": {
            "register": str(Path(register).resolve()),
            "register_files": files,
            "reference": str(reference.folder),
        },
        "year": int(year),
        "region": region,
        "timetable": statement_date_rows(conf),
        "tables": tables.manifest(),
        "parameters": conf.model_dump(mode="json"),
        "versions": versions(),
    }
    with (
        atomic_output(out, "kmf", manifest, inputs, overwrite) as o,
        settle_register(spark, versions_, reference, tables, gconf, conf, o.path("_scratch"), regions) as s,
    ):
        with step("the register as of every statement date; grouping what changed; writing changes/", quiet):
            o.write("changes", s.changes.orderBy("statement_no", "item_id"))
        with step("writing items/ (the final statement's items)", quiet):
            o.write("items", s.items.orderBy("item_id"))
        with step("statements, caps, a-conto", quiet):
            deltas = s.deltas.toPandas()  # statements × municipalities × categories × months: small
            statements, cap_series = build_statements(deltas, conf, region, region_munis, reference.folder)
            o.write_small("statements", statements)
            settled = a_conto(statements, conf, region, region_munis, reference.folder)
            if settled is not None:
                o.write_small("a_conto", settled)
        with step("accounting for every row read", quiet):
            manifest["rows"] = _accounting(versions_, statement_instants(conf.statement_dates()), rows_read(files))
        items = spark.read.parquet(str(o.path("items")))
        summary = kmf_summary(items, statements, cap_series, settled, s.replicas, s.replica_rows, conf, region)
        summary["seconds"] = round(time.perf_counter() - t0, 1)
        o.write_json("summary.json", summary)
        shutil.rmtree(o.path("_scratch"))
    return summary


def run_reconcile(kmf_dir: str | Path, ledger: str | Path, out: str | Path, overwrite: bool = False) -> pd.DataFrame:
    """The final statement of a `lprflow kmf` output against a booked ledger; writes
    reconciliation/ (Parquet) and reconciliation.csv under `out`, with a manifest."""
    kmf_dir = Path(kmf_dir)
    made = json.loads((kmf_dir / "manifest.json").read_text(encoding="utf-8"))
    if made.get("job") != "kmf":
        raise ValueError(f"{kmf_dir}: not an output of `lprflow kmf` (manifest job: {made.get('job')!r})")
    statements = pd.read_parquet(kmf_dir / "statements")
    table = reconcile(statements, read_ledger(ledger), made["year"], made["region"], str(ledger))
    manifest = {
        "inputs": {"kmf": str(kmf_dir.resolve()), "ledger": str(Path(ledger).resolve())},
        "year": made["year"],
        "region": made["region"],
        "versions": versions(),
    }
    with atomic_output(out, "kmf reconcile", manifest, [kmf_dir, ledger], overwrite) as o:
        o.write_small("reconciliation", table)
        table.to_csv(o.path("reconciliation.csv"), index=False)
        o.files["reconciliation.csv"] = {"format": "csv"}
    return table
