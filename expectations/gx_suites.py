"""Dataset-level expectations (Great Expectations) on small aggregated frames.

The row-level business rules run in the engine; these suites are what a region checks before it
closes a period: the schema contract of every table, keys unique and not null, enumerations
(codes in their code lists), every hospital reporting in every month, no open contacts older
than N days, and the share of closed contacts with an aktionsdiagnose. Each suite runs on a
frame of at most a few thousand rows computed in one aggregation; GX renders the Data Docs.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from expectations.config import expectations_config
from lprflow.localtime import local_month
from lprflow.reference import Reference
from lprflow.schemas import TABLES

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")


class BlockingExpectationFailed(RuntimeError):
    """A blocking dataset expectation failed; the message summarises which."""


@dataclass
class SuiteFrame:
    name: str
    df: DataFrame
    expectations: list[Any]
    description: str


@dataclass
class Suites:
    """The suite frames and the aggregate they share, cached until `release()` (or the end of `with`)."""

    frames: list[SuiteFrame]
    cached: list[DataFrame] = field(default_factory=list)

    def release(self) -> None:
        for df in self.cached:
            df.unpersist()
        self.cached.clear()

    def __enter__(self) -> Suites:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


@dataclass
class GxOutcome:
    suites: list[dict[str, Any]] = field(default_factory=list)
    docs_index: str | None = None

    @property
    def blocking_failures(self) -> list[dict[str, Any]]:
        return [e for s in self.suites if s["blocking"] for e in s["expectations"] if not e["success"]]


def _months(year_from: dt.date, year_to: dt.date) -> list[str]:
    out, d = [], dt.date(year_from.year, year_from.month, 1)
    while d <= year_to:
        out.append(d.strftime("%Y-%m"))
        d = dt.date(d.year + (d.month // 12), d.month % 12 + 1, 1)
    return out


def build_suites(
    spark: SparkSession,
    state: dict[str, DataFrame],
    versions: dict[str, DataFrame],
    reference: Reference,
    as_of: dt.datetime,
) -> Suites:
    """The dataset suites; the per-hospital-month aggregate is cached, so use the result with `with`."""
    import great_expectations as gx

    E = gx.expectations
    conf = expectations_config()
    suites: list[SuiteFrame] = []
    # 1. schema contract: the columns and types of every table, checked on an empty frame
    for name, df in versions.items():
        spec = TABLES[name]
        suites.append(
            SuiteFrame(
                f"schema_contract.{name}",
                df.limit(0),
                [E.ExpectTableColumnsToMatchOrderedList(column_list=spec.columns)]
                + [
                    E.ExpectColumnValuesToBeOfType(column=f.name, type_=type(f.dataType).__name__)
                    for f in spec.schema.fields
                ],
                f"columns and types of {name}",
            )
        )
    # 2. keys: per table (rows, distinct (id, report time), null ids): a version is identified by its
    # object id and report time; two versions of one object at the same time are an ambiguous delivery
    key_rows = None
    for name, df in versions.items():
        key = TABLES[name].key
        agg = df.agg(
            F.lit(name).alias("table"),
            F.count(F.lit(1)).alias("rows"),
            F.countDistinct(key, "reported_at").alias("distinct_keys"),
            F.sum(F.col(key).isNull().cast("int")).alias("null_keys"),
        )
        key_rows = agg if key_rows is None else key_rows.unionByName(agg)
    suites.append(
        SuiteFrame(
            "keys",
            key_rows,
            [
                E.ExpectColumnPairValuesToBeEqual(column_A="rows", column_B="distinct_keys"),
                E.ExpectColumnValuesToBeBetween(column="null_keys", min_value=0, max_value=0),
            ],
            "object ids not null; one version per object and report time",
        )
    )
    # 3. enumerations: distinct values of coded columns against their code lists
    lists = {r["list_name"]: set() for r in reference.code_lists.select("list_name").distinct().collect()}
    for r in reference.code_lists.collect():  # reference rows, not data
        lists[r["list_name"]].add(r["code"])
    k = state["kontakt"]
    enum = k.groupBy("type", "priority").count()
    suites.append(
        SuiteFrame(
            "enumerations",
            enum,
            [
                E.ExpectColumnValuesToBeInSet(column="type", value_set=sorted(lists.get("admin.konttype", []))),
                E.ExpectColumnValuesToBeInSet(column="priority", value_set=sorted(lists.get("admin.prioritet", []))),
            ],
            "contact types and priorities are in their code lists",
        )
    )
    # 4-6: one aggregation of contacts per hospital and month
    units = F.broadcast(reference.sor_units.select(F.col("sor_id").alias("responsible_unit"), "hospital_id"))
    has_a = state["diagnose"].where(F.col("role") == "A").select("kontakt_id").distinct().withColumn("has_a", F.lit(1))
    kk = k.join(units, "responsible_unit", "left").join(has_a, "kontakt_id", "left")
    limit = as_of - dt.timedelta(days=conf.open_contact_max_days)
    per = (
        kk.groupBy("hospital_id", local_month(F.col("start_time")).alias("month"))
        .agg(
            F.count(F.lit(1)).alias("contacts"),
            F.sum((F.col("end_time").isNull() & (F.col("start_time") < F.lit(limit))).cast("int")).alias("old_open"),
            F.sum(F.col("end_time").isNotNull().cast("int")).alias("closed"),
            F.sum((F.col("end_time").isNotNull() & F.col("has_a").isNotNull()).cast("int")).alias("closed_with_a"),
        )
        .cache()
    )
    cached = [per]
    try:
        suites += _period_suites(spark, per, conf, E)
    except BaseException:
        per.unpersist()
        raise
    return Suites(suites, cached)


def _period_suites(spark: SparkSession, per: DataFrame, conf: Any, E: Any) -> list[SuiteFrame]:
    """Suites 4-6 on the per-hospital-month aggregate: months covered, open contacts, aktionsdiagnose share."""
    suites: list[SuiteFrame] = []
    bounds = per.agg(F.min("month").alias("lo"), F.max("month").alias("hi")).first()
    hospitals = per.select("hospital_id").distinct()
    if bounds["lo"]:
        months = spark.createDataFrame(
            [
                (m,)
                for m in _months(
                    dt.date.fromisoformat(bounds["lo"] + "-01"), dt.date.fromisoformat(bounds["hi"] + "-01")
                )
            ],
            "month string",
        )
        grid = (
            hospitals.crossJoin(months)
            .join(per.select("hospital_id", "month", "contacts"), ["hospital_id", "month"], "left")
            .fillna(0, ["contacts"])
        )
    else:
        grid = per.select("hospital_id", "month", "contacts")
    suites.append(
        SuiteFrame(
            "hospital_months",
            grid,
            [
                E.ExpectColumnValuesToBeBetween(column="contacts", min_value=1),
            ],
            "every hospital has contacts in every month of the period",
        )
    )
    open_per = per.groupBy("hospital_id").agg(F.sum("old_open").alias("old_open"))
    suites.append(
        SuiteFrame(
            "open_contacts",
            open_per,
            [
                E.ExpectColumnValuesToBeBetween(column="old_open", min_value=0, max_value=0),
            ],
            f"no open contacts started more than {conf.open_contact_max_days} days before the as-of time",
        )
    )
    share = (
        per.groupBy("hospital_id")
        .agg(F.when(F.sum("closed") > 0, F.sum("closed_with_a") / F.sum("closed")).alias("share"))
        .where(F.col("share").isNotNull())
    )  # a hospital with no closed contacts has nothing to check
    suites.append(
        SuiteFrame(
            "aktionsdiagnose_share",
            share,
            [
                E.ExpectColumnValuesToBeBetween(column="share", min_value=conf.aktionsdiagnose_min_share),
            ],
            f"at least {conf.aktionsdiagnose_min_share:.0%} of closed contacts per hospital have an aktionsdiagnose",
        )
    )
    return suites


def run_suites(suites: list[SuiteFrame], docs_root: Path) -> GxOutcome:
    """Validate every suite with GX, build the Data Docs under docs_root, return the outcome."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    suites_conf = expectations_config().suites
    ctx = gx.get_context(mode="file", project_root_dir=str(docs_root))
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    source = ctx.data_sources.add_spark(name="lprflow")
    outcome = GxOutcome()
    for s in suites:
        family = s.name.split(".")[0]
        blocking = family in suites_conf and suites_conf[family].blocking
        batch = source.add_dataframe_asset(name=s.name).add_batch_definition_whole_dataframe("all")
        suite = ctx.suites.add(gx.ExpectationSuite(name=s.name, meta={"blocking": blocking, "notes": s.description}))
        for e in s.expectations:
            suite.add_expectation(e)
        vd = ctx.validation_definitions.add(gx.ValidationDefinition(name=s.name, data=batch, suite=suite))
        cp = ctx.checkpoints.add(
            gx.Checkpoint(
                name=s.name, validation_definitions=[vd], actions=[gx.checkpoint.UpdateDataDocsAction(name="docs")]
            )
        )
        try:
            res = cp.run(batch_parameters={"dataframe": s.df})
        finally:
            s.df.unpersist()  # GX persists every batch it loads and never releases it
        results = []
        for vr in res.run_results.values():
            for r in vr.results:
                cfg = r.expectation_config
                results.append(
                    {
                        "expectation": cfg.type,
                        "kwargs": {k: v for k, v in cfg.kwargs.items() if k not in ("batch_id", "value_set")},
                        "success": bool(r.success),
                        "unexpected": r.result.get("unexpected_count") if r.result else None,
                    }
                )
        outcome.suites.append(
            {
                "suite": s.name,
                "description": s.description,
                "blocking": blocking,
                "success": all(x["success"] for x in results),
                "expectations": results,
            }
        )
    sites = ctx.get_docs_sites_urls()
    outcome.docs_index = sites[0]["site_url"] if sites else None
    return outcome
