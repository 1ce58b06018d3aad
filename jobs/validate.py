"""Job: validate the register as of a time against the business-rule catalogue.

    lprflow validate --register DIR --as-of 2022-03-01 --out DIR
    spark-submit jobs/cli.py validate --register DIR --as-of 2022-03-01 --out DIR

Reads the register, calls `expectations.pipeline.validate_register`, and writes under --out:
errors/ (flat error list, Parquet), fejlliste/ (one JSON document per forløbselement, JSON
Lines), summary.json, manifest.json, data_docs/ (the GX suites); all or nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from expectations.catalogue import load_catalogue
from expectations.config import validation_config
from expectations.fejlliste import build_documents
from expectations.gx_suites import BlockingExpectationFailed, build_suites, run_suites
from expectations.integrity import is_integrity
from expectations.pipeline import run_checks, validate_register
from expectations.summary import build_summary
from jobs.common import step
from lprflow.manifest import file_sha256, register_files, rows_read, versions
from lprflow.output import atomic_output, check_target
from lprflow.paths import reference_dir
from lprflow.reference import Reference
from lprflow.register import duplicate_versions, nothing_in_scope, parse_time, read_register, require_in_scope
from lprflow.state import register_state


def run_validate(
    spark: SparkSession,
    register: str | Path,
    as_of: str | dt.datetime,
    out: str | Path,
    quiet: bool = False,
    catalogue_overrides: dict | None = None,
    dataset_expectations: bool = True,
    overwrite: bool = False,
) -> dict[str, Any]:
    """Validate and write all outputs; returns the summary."""
    t0 = time.perf_counter()
    at = parse_time(as_of)
    check_target(out, "validate", [register], overwrite)
    conf = validation_config()
    catalogue = load_catalogue(overrides=catalogue_overrides)
    reference = Reference.load(spark)
    with step("reading register", quiet):
        versions_ = read_register(spark, register)
        require_in_scope(versions_, at)
        state = register_state(versions_, at, persist=True)
    manifest: dict[str, Any] = {
        "inputs": {
            "register": str(Path(register).resolve()),
            "register_files": register_files(register, list(versions_)),
            "reference": str(reference.folder),
        },
        "as_of": at.replace(tzinfo=dt.UTC).isoformat(),
        "catalogue": {
            "file": conf.catalogue,
            "sha256": file_sha256(reference_dir() / conf.catalogue),
            "rule_version": conf.rule_version,
            "groups": sorted(set(conf.groups)),
            "rules_evaluated": len({c.rule_id for c in run_checks(catalogue, conf) if c.rule_id in catalogue}),
        },
        "versions": versions(),
    }
    with (
        state,
        validate_register(state, reference, at, catalogue, conf) as result,
        atomic_output(out, "validate", manifest, [register], overwrite) as o,
    ):
        with step("checking every rule (one pass per object type) and writing errors/", quiet):
            # sorted within its partitions (no extra pass): a re-run writes byte-identical files
            o.write(
                "errors",
                result.issues.sortWithinPartitions("forloebselement_id", "object_type", "object_id", "rule_id"),
            )
        errors = spark.read.parquet(str(o.path("errors")))
        fes = state.tables["forloebselement"].select("forloebselement_id", "patient_id")
        with step("writing fejlliste/ (JSON per forløbselement)", quiet):
            docs = build_documents(errors.where(~is_integrity(F.col("rule_id"))), fes, conf.identifier_root)
            docs.orderBy("forloebselement_id").select("document").write.text(str(o.path("fejlliste")))
            o.files["fejlliste"] = {"format": "json-lines"}
        with step("summary", quiet):
            summary = build_summary(result, errors, reference, catalogue, at)
        if summary["reports_checked"] == 0:  # the previous output stays as it was
            raise nothing_in_scope(versions_, at)
        if dataset_expectations:
            with step("dataset expectations (Great Expectations) and Data Docs", quiet):
                with build_suites(spark, state.tables, versions_, reference, at) as suites:
                    outcome = run_suites(suites.frames, o.path("data_docs"))
            summary["dataset_expectations"] = {
                "suites": outcome.suites,
                "blocking_failures": outcome.blocking_failures,
                "data_docs": "data_docs/gx/uncommitted/data_docs/local_site/index.html",
            }
            if any(s["suite"] == "keys" and not s["success"] for s in outcome.suites):
                summary["dataset_expectations"]["duplicate_versions"] = duplicate_versions(versions_)
        o.write_json("summary.json", summary)
        manifest["counts"] = {k: summary[k] for k in ("reports_checked", "errors", "warnings", "error_percent")}
        with step("accounting for every row read", quiet):
            manifest["rows"] = state.accounting(versions_, rows_read(manifest["inputs"]["register_files"]))
        manifest["counts"]["integrity_findings"] = sum(f["objects"] for f in summary["integrity"])
        manifest["counts"]["forloebselementer_with_issues"] = (
            errors.where(F.col("forloebselement_id").isNotNull()).select("forloebselement_id").distinct().count()
        )
        manifest["seconds"] = round(time.perf_counter() - t0, 1)
    failures = summary.get("dataset_expectations", {}).get("blocking_failures", [])
    if failures:
        lines = [f"{f['expectation']} {f['kwargs']} (unexpected: {f['unexpected']})" for f in failures]
        for d in summary["dataset_expectations"].get("duplicate_versions", []):
            ids = ", ".join(f"{e['id']} at {e['reported_at']}" for e in d["examples"])
            lines.append(
                f"table {d['table']}: {d['objects']} object(s) with two versions at one report time, e.g. {ids}"
            )
        raise BlockingExpectationFailed(
            f"{len(failures)} blocking dataset expectation(s) failed; outputs were written to {out}:\n  "
            + "\n  ".join(lines)
        )
    return summary
