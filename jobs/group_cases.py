"""Job: group NordDRG grouping strings with a DRG table set (batch mode).

    lprflow group-cases --tables DIR --cases FILE --out DIR
    spark-submit jobs/cli.py group-cases --tables DIR --cases FILE --out DIR

FILE is `;`-separated text with a header naming at least `case_id` and `grouping_string`.
Writes under --out: results/ (Parquet: case_id, drg, ord, rtc, mdc, loc_drg, cc_level, trace),
rejected/ (rows that could not be read, with the reason), summary.json, manifest.json.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from grouping.config import grouping_config
from grouping.engine import group_cases
from grouping.grouping_string import read_cases
from grouping.tables import TableSet
from jobs.common import step
from lprflow.manifest import file_sha256, versions
from lprflow.output import atomic_output, check_target
from lprflow.state import AccountingError


class InputError(ValueError):
    """The cases file cannot be read; the message names the file and column."""


def read_cases_file(spark: SparkSession, path: str | Path) -> DataFrame:
    path = Path(path)
    if not path.exists():
        raise InputError(f"cases file not found: {path}")
    df = spark.read.csv(str(path), sep=";", header=True, inferSchema=False)
    cols = {c.strip().lower(): c for c in df.columns}
    missing = [c for c in ("case_id", "grouping_string") if c not in cols]
    if missing:
        raise InputError(
            f"{path}: missing column(s) {', '.join(missing)} in the header (found: {', '.join(df.columns)})"
        )
    return df.select(F.col(cols["case_id"]).alias("case_id"), F.col(cols["grouping_string"]).alias("grouping_string"))


def run_group_cases(
    spark: SparkSession,
    tables_dir: str | Path,
    cases_file: str | Path,
    out: str | Path,
    post_rule: bool | None = None,
    quiet: bool = False,
    overwrite: bool = False,
) -> dict[str, Any]:
    """Group every readable row of the cases file; returns the summary."""
    t0 = time.perf_counter()
    check_target(out, "group-cases", [tables_dir, cases_file], overwrite)
    tables = TableSet.load(tables_dir)
    if post_rule is None:
        post_rule = grouping_config().post_rule_rtc_1_to_9
    raw = read_cases_file(spark, cases_file)
    cases, rejected_rows = read_cases(raw)
    results = group_cases(spark, cases, tables, post_rule=post_rule)
    manifest = {
        "inputs": {"cases": str(Path(cases_file).resolve()), "sha256": file_sha256(Path(cases_file))},
        "tables": tables.manifest(),
        "post_rule_rtc_1_to_9": post_rule,
        "versions": versions(),
    }
    with atomic_output(out, "group-cases", manifest, [tables_dir, cases_file], overwrite) as o:
        with step("grouping cases and writing results/", quiet):
            results_path = o.write("results", results.orderBy("case_id"))
        o.write("rejected", rejected_rows.orderBy("case_id"))
        written = spark.read.parquet(results_path)
        per_drg = written.groupBy("drg", "rtc").count().orderBy(F.desc("count"), "drg").collect()
        rejected = spark.read.parquet(str(o.path("rejected"))).count()
        grouped = sum(r["count"] for r in per_drg)
        read = raw.count()  # the file's data lines, counted on their own
        if read != grouped + rejected:
            raise AccountingError(f"{cases_file}: {read} cases read but {grouped} grouped and {rejected} rejected")
        manifest["rows"] = {"cases": {"read": read, "grouped": grouped, "rejected": rejected}}
        summary = {
            "cases_read": read,
            "cases_grouped": grouped,
            "cases_rejected": rejected,
            "per_group": [{"drg": r["drg"], "rtc": r["rtc"], "cases": r["count"]} for r in per_drg],
            "seconds": round(time.perf_counter() - t0, 1),
        }
        o.write_json("summary.json", summary)
    return summary
