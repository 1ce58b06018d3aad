"""Job: validate the register as of a time against the business-rule catalogue.

    lprflow validate --register DIR --as-of 2022-03-01 --out DIR
    spark-submit jobs/validate.py --register DIR --as-of 2022-03-01 --out DIR

Writes under --out: errors/ (flat error list, Parquet), fejlliste/ (one JSON document per
forløbselement, JSON Lines), summary.json, manifest.json; all or nothing.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    import _bootstrap  # noqa: F401

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from expectations.catalogue import load_catalogue
from expectations.engine import evaluate
from expectations.fejlliste import build_documents
from expectations.frames import FrameBuilder
from expectations.gx_suites import BlockingExpectationFailed, build_suites, run_suites
from expectations.registry import checks_in_scope
from jobs.common import file_sha256, step, versions
from jobs.summary import build_summary
from lprflow.config import load_yaml
from lprflow.output import atomic_output
from lprflow.paths import reference_dir
from lprflow.reference import Reference
from lprflow.register import parse_time, read_register, register_as_of


def run_validate(
    spark: SparkSession,
    register: str | Path,
    as_of: str | dt.datetime,
    out: str | Path,
    quiet: bool = False,
    catalogue_overrides: dict | None = None,
    dataset_expectations: bool = True,
) -> dict[str, Any]:
    """Validate and write all outputs; returns the summary."""
    t0 = time.perf_counter()
    at = parse_time(as_of)
    conf = load_yaml("validation.yaml")
    catalogue = load_catalogue(overrides=catalogue_overrides)
    groups = set(conf["groups"])
    checks = checks_in_scope(catalogue, groups)
    reference = Reference.load(spark)
    with step("reading register", quiet):
        versions_ = read_register(spark, register)
        state = register_as_of(versions_, at)
    with FrameBuilder(state, reference) as builder:
        frames = builder.build()
        result = evaluate(frames, checks, catalogue, at, conf["rule_version"])
        manifest: dict[str, Any] = {
            "inputs": {"register": str(Path(register).resolve()), "reference": str(reference.folder)},
            "as_of": at.isoformat(),
            "catalogue": {
                "file": conf["catalogue"],
                "sha256": file_sha256(reference_dir() / conf["catalogue"]),
                "rule_version": conf["rule_version"],
                "groups": sorted(groups),
                "rules_evaluated": len({c.rule_id for c in checks}),
            },
            "versions": versions(),
        }
        with atomic_output(out, "validate", manifest) as o:
            with step("checking every rule (one pass per object type) and writing errors/", quiet):
                o.write("errors", result.issues)
            errors = spark.read.parquet(str(o.path("errors")))
            courses = state["forloebselement"].select("forloebselement_id", "patient_id")
            with step("writing fejlliste/ (JSON per forløbselement)", quiet):
                docs = build_documents(errors, courses, conf["identifier_root"])
                docs.orderBy("forloebselement_id").select("document").write.text(str(o.path("fejlliste")))
                o.files["fejlliste"] = {"format": "json-lines"}
            with step("summary", quiet):
                summary = build_summary(result, errors, reference, catalogue, at)
            if dataset_expectations:
                with step("dataset expectations (Great Expectations) and Data Docs", quiet):
                    outcome = run_suites(build_suites(spark, state, versions_, reference, at), o.path("data_docs"))
                summary["dataset_expectations"] = {
                    "suites": outcome.suites,
                    "blocking_failures": outcome.blocking_failures,
                    "data_docs": "data_docs/gx/uncommitted/data_docs/local_site/index.html",
                }
            o.write_json("summary.json", summary)
            manifest["counts"] = {k: summary[k] for k in ("reports_checked", "errors", "warnings", "error_percent")}
            manifest["counts"]["forloebselementer_with_issues"] = (
                errors.where(F.col("forloebselement_id").isNotNull()).select("forloebselement_id").distinct().count()
            )
            manifest["seconds"] = round(time.perf_counter() - t0, 1)
    failures = summary.get("dataset_expectations", {}).get("blocking_failures", [])
    if failures:
        lines = [f"{f['expectation']} {f['kwargs']} (unexpected: {f['unexpected']})" for f in failures]
        raise BlockingExpectationFailed(
            f"{len(failures)} blocking dataset expectation(s) failed; outputs were written to {out}:\n  "
            + "\n  ".join(lines)
        )
    return summary


def main(argv: list[str] | None = None) -> None:
    from jobs.cli import app

    app(["validate", *(argv if argv is not None else sys.argv[1:])])


if __name__ == "__main__":
    main()
