"""Job: DRG-sygehusforløb from the register as of a time, grouped and valued with a tariff year.

    lprflow group --register DIR --tariff-year 2021 --as-of 2022-03-01 --out DIR [--tables DIR]
    spark-submit jobs/cli.py group --register DIR --tariff-year 2021 --as-of 2022-03-01 --out DIR

Reads the register, calls `grouping.pipeline.group_register`, and writes under --out: courses/
(one row per course: group, rule, value and its parts, paying municipality, month, trace),
contacts/ (every as-of contact with its attributes, status, course and the course's group and
value: the national DRG data `lprflow match` reads), summary.json, manifest.json;
all or nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from pyspark.sql import SparkSession

from grouping.config import grouping_config
from grouping.national import national_contacts
from grouping.pipeline import group_register, tables_for_year
from grouping.summary import grouping_summary
from grouping.tables import TableSet
from jobs.common import step
from lprflow.manifest import register_files, rows_read, versions
from lprflow.output import atomic_output, check_target
from lprflow.reference import Reference
from lprflow.register import nothing_in_scope, parse_time, read_register, require_in_scope
from lprflow.state import register_state


def run_group(
    spark: SparkSession,
    register: str | Path,
    tariff_year: int,
    as_of: str | dt.datetime,
    out: str | Path,
    quiet: bool = False,
    overwrite: bool = False,
    tables_dir: str | Path | None = None,
) -> dict[str, Any]:
    """Form, group and value the courses; write all outputs; returns the summary.

    `tables_dir` groups with that table set (with its tariffs) instead of the tariff year's
    configured one (conf/grouping.yaml `tariff_years`)."""
    t0 = time.perf_counter()
    at = parse_time(as_of)
    conf = grouping_config()
    if tables_dir is not None:
        tables = TableSet.load(tables_dir, require_tariffs=True)
    else:
        tables = tables_for_year(int(tariff_year), conf)
    inputs = [register, tables.folder]
    check_target(out, "group", inputs, overwrite)
    reference = Reference.load(spark)
    with step("reading register", quiet):
        versions_ = read_register(spark, register)
        require_in_scope(versions_, at)
        state = register_state(versions_, at, persist=True)
    manifest = {
        "inputs": {
            "register": str(Path(register).resolve()),
            "register_files": register_files(register, list(versions_)),
            "reference": str(reference.folder),
        },
        "as_of": at.replace(tzinfo=dt.UTC).isoformat(),
        "tariff_year": int(tariff_year),
        "tables": tables.manifest(),
        "parameters": conf.model_dump(mode="json"),
        "versions": versions(),
    }
    with (
        state,
        group_register(spark, state.tables, reference, tables, conf) as result,
        atomic_output(out, "group", manifest, inputs, overwrite) as o,
    ):
        with step("forming, grouping and valuing DRG-sygehusforløb; writing courses/", quiet):
            o.write("courses", result.courses.drop("patient_id", "birth_date").orderBy("course_id"))
        with step("writing contacts/", quiet):
            written = spark.read.parquet(str(o.path("courses")))  # not grouped a second time
            national = national_contacts(state.tables, result.contacts, written, conf.courses.patient_key_salt)
            o.write("contacts", national.orderBy("kontakt_id"))
        if not spark.read.parquet(str(o.path("contacts"))).limit(1).count():
            raise nothing_in_scope(versions_, at)  # the previous output stays as it was
        summary = grouping_summary(
            spark.read.parquet(str(o.path("courses"))), spark.read.parquet(str(o.path("contacts")))
        )
        summary["as_of"] = at.replace(tzinfo=dt.UTC).isoformat()
        summary["tariff_year"] = int(tariff_year)
        summary["tables"] = tables.folder.name
        with step("accounting for every row read", quiet):
            manifest["rows"] = state.accounting(versions_, rows_read(manifest["inputs"]["register_files"]))
        summary["objects_set_aside"] = {
            name: c["quarantined"] for name, c in manifest["rows"].items() if c["quarantined"]
        }
        summary["seconds"] = round(time.perf_counter() - t0, 1)
        o.write_json("summary.json", summary)
    return summary
