"""Job: DRG-sygehusforløb from the register as of a time, grouped and valued with a tariff year.

    lprflow group --register DIR --tariff-year 2021 --as-of 2022-03-01 --out DIR
    spark-submit jobs/group.py --register DIR --tariff-year 2021 --as-of 2022-03-01 --out DIR

Writes under --out: courses/ (one row per course: group, rule, value and its parts, paying
municipality, month, trace), contacts/ (every as-of contact with its status and course id),
summary.json, manifest.json; all or nothing.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    import _bootstrap  # noqa: F401

from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from grouping.courses import build
from grouping.engine import group_cases
from grouping.tables import TableSet
from grouping.valuation import drg_value, outside_drg_value, tariff_table
from jobs.common import step, versions
from jobs.group_cases import table_manifest
from lprflow.config import ConfigError, load_yaml
from lprflow.output import atomic_output
from lprflow.paths import reference_dir
from lprflow.reference import Reference
from lprflow.register import parse_time, read_register, register_as_of


def tables_for_year(year: int, conf: dict[str, Any]) -> TableSet:
    years = {int(k): v for k, v in conf["tariff_years"].items()}
    if year not in years:
        raise ConfigError(f"conf/grouping.yaml: no DRG table set for tariff year {year} (known: {sorted(years)})")
    folder = Path(years[year])
    return TableSet.load(folder if folder.is_absolute() else reference_dir() / folder, require_tariffs=True)


def _municipality(state: dict[str, DataFrame], courses: DataFrame, danish: str) -> DataFrame:
    b = state["bopael"].select("patient_id", "municipality_code", "country_code", "valid_from", "valid_to")
    c = courses.select("course_id", "patient_id", F.to_date("start_time").alias("_d"))
    j = c.join(b, "patient_id").where(
        (F.col("valid_from") <= F.col("_d")) & (F.col("valid_to").isNull() | (F.col("_d") < F.col("valid_to")))
    )
    best = j.groupBy("course_id").agg(F.max_by(F.struct("municipality_code", "country_code"), "valid_from").alias("b"))
    return best.select(
        "course_id",
        F.when(F.coalesce(F.col("b.country_code"), F.lit(danish)) == danish, F.col("b.municipality_code")).alias(
            "municipality_code"
        ),
    )


def run_group(
    spark: SparkSession,
    register: str | Path,
    tariff_year: int,
    as_of: str | dt.datetime,
    out: str | Path,
    quiet: bool = False,
) -> dict[str, Any]:
    """Form, group and value the courses; write all outputs; returns the summary."""
    t0 = time.perf_counter()
    at = parse_time(as_of)
    conf = load_yaml("grouping.yaml")
    tables = tables_for_year(int(tariff_year), conf)
    reference = Reference.load(spark)
    with step("reading register", quiet):
        state = register_as_of(read_register(spark, register), at)
    c = build(state, reference.sor_units, conf["courses"], cache=True)
    cases = c.cases.where(F.col("kind") == "somatic")
    grouped = group_cases(
        spark, cases, tables, post_rule=bool(conf.get("post_rule_rtc_1_to_9", True)), carry=("los_days",)
    )
    tariffs = F.broadcast(tariff_table(spark, tables))
    ids = F.split("case_id", ":")
    value, parts = drg_value(F.col("los_days"))
    valued = (
        grouped.select(
            "*",
            F.when(ids[0] == "F", "course").otherwise("contact").alias("basis"),
            ids[1].alias("course_id"),
            F.try_element_at(ids, F.lit(3)).alias("kontakt_id"),
        )
        .join(tariffs, "drg", "left")
        .select("*", value.alias("value"), parts.alias("value_parts"))
        .persist()
    )
    pick = Window.partitionBy("course_id").orderBy(F.desc("value"), F.col("basis").desc(), "case_id")
    best = (
        valued.withColumn("_r", F.row_number().over(pick))
        .where("_r = 1")
        .select(
            "course_id",
            F.coalesce("kontakt_id", F.lit("course")).alias("group_basis"),
            "drg",
            "drg_name",
            "mdc",
            "ord",
            "rtc",
            "loc_drg",
            "cc_level",
            "value",
            "value_parts",
            "trace",
        )
    )
    own = valued.where(F.col("basis") == "contact").select(
        "kontakt_id", F.col("drg").alias("own_drg"), F.col("value").alias("own_value")
    )
    courses = c.courses.join(best, "course_id", "left")
    outside_value, outside_parts = outside_drg_value(
        F.col("kind"), F.col("los_days"), F.col("n_contacts"), conf["outside_drg"]
    )
    somatic = F.col("kind") == "somatic"
    salt = str(conf["courses"]["patient_key_salt"])
    courses = courses.join(
        _municipality(state, c.courses, conf["residence"]["danish_country_code"]), "course_id", "left"
    )
    courses = courses.select(
        "course_id",
        F.substring(F.sha2(F.concat(F.lit(salt), "patient_id"), 256), 1, 20).alias("patient_key"),
        "hospital_id",
        "kind",
        "contacts",
        "n_contacts",
        "start_time",
        "end_time",
        "los_days",
        "age_days",
        "sex",
        "discharge",
        "group_basis",
        "drg",
        "drg_name",
        "mdc",
        "ord",
        "rtc",
        "loc_drg",
        "cc_level",
        F.when(somatic, F.col("value")).otherwise(outside_value).alias("value"),
        F.when(somatic, F.col("value_parts")).otherwise(outside_parts).alias("value_parts"),
        "municipality_code",
        F.date_format("end_time", "yyyy-MM").alias("month"),
        "trace",
    )
    contacts = c.contacts.join(own, "kontakt_id", "left").select(
        "kontakt_id", "patient_id", "hospital", "course_kind", "status", "course_id", "own_drg", "own_value"
    )
    manifest = {
        "inputs": {"register": str(Path(register).resolve()), "reference": str(reference.folder)},
        "as_of": at.isoformat(),
        "tariff_year": int(tariff_year),
        "tables": table_manifest(tables),
        "parameters": conf,
        "versions": versions(),
    }
    try:
        with atomic_output(out, "group", manifest) as o:
            with step("forming, grouping and valuing DRG-sygehusforløb; writing courses/", quiet):
                o.write("courses", courses.orderBy("course_id"))
            with step("writing contacts/", quiet):
                o.write("contacts", contacts.drop("patient_id").orderBy("kontakt_id"))
            summary = _summary(spark, o.path("courses"), o.path("contacts"))
            summary["as_of"] = at.isoformat()
            summary["tariff_year"] = int(tariff_year)
            summary["tables"] = tables.folder.name
            summary["seconds"] = round(time.perf_counter() - t0, 1)
            o.write_json("summary.json", summary)
    finally:
        for df in [valued, *c.cached]:
            df.unpersist()
    return summary


def _summary(spark: SparkSession, courses_path: Path, contacts_path: Path) -> dict[str, Any]:
    courses = spark.read.parquet(str(courses_path))
    contacts = spark.read.parquet(str(contacts_path))
    status = {r["status"]: r["n"] for r in contacts.groupBy("status").agg(F.count("*").alias("n")).collect()}
    kinds = courses.groupBy("kind").agg(
        F.count("*").alias("courses"),
        F.sum("value").alias("value"),
        F.sum(F.when(F.col("n_contacts") == 1, 1).otherwise(0)).alias("single_contact"),
    )
    per_kind = {
        r["kind"]: {
            "courses": r["courses"],
            "value_kr": round(r["value"] or 0, 2),
            "single_contact": r["single_contact"],
        }
        for r in kinds.collect()
    }
    groups = (
        courses.where(F.col("drg").isNotNull())
        .groupBy("drg", "drg_name", "rtc")
        .agg(F.count("*").alias("courses"), F.sum("value").alias("value"))
        .orderBy(F.desc("value"), "drg")
        .collect()
    )
    n = sum(v["courses"] for v in per_kind.values())
    return {
        "contacts": {"total": sum(status.values()), **status},
        "courses": n,
        "single_contact_share": round(sum(v["single_contact"] for v in per_kind.values()) / n, 4) if n else None,
        "value_kr": round(sum(v["value_kr"] for v in per_kind.values()), 2),
        "per_kind": per_kind,
        "per_group": [
            {
                "drg": r["drg"],
                "name": r["drg_name"],
                "rtc": r["rtc"],
                "courses": r["courses"],
                "value_kr": round(r["value"] or 0, 2),
            }
            for r in groups
        ],
    }


def main(argv: list[str] | None = None) -> None:
    from jobs.cli import app

    app(["group", *(argv if argv is not None else sys.argv[1:])])


if __name__ == "__main__":
    main()
