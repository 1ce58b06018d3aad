"""Group a DataFrame of cases with a table set: features, first-match scan, post-rule, trace.

    result = group_cases(spark, cases, TableSet.load(folder), post_rule=True)

Input columns (`grouping.features.CASE_SCHEMA`): case_id, sex, age_days, discharge, los_days,
diagnoses array<struct<code, addon>> (element 0 = pdx slot), procedures array<string>.
Any other input column is payload: it travels through untouched and is appended to the output.
Output: case_id, drg, ord, rtc, mdc, loc_drg, cc_level, `trace` (what decided the group), the
requested `carry` attributes, then the payload columns.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F

from grouping.features import PAYLOAD, derive, payload_columns
from grouping.scan import first_match
from grouping.tables import TableSet

RESULT_COLUMNS = ["case_id", "drg", "ord", "rtc", "mdc", "loc_drg", "cc_level", "trace"]


def rule_table(spark: SparkSession, tables: TableSet) -> DataFrame:
    """The rules in scan order with their result and readable conditions, for the broadcast join."""
    rows = []
    for i, r in enumerate(tables.rules):
        mdc, loc = tables.drgnames.get(r.drg, ("", ""))
        conds = [f"{col} {r.cell(col)}".strip() for col in r.conditions]
        rows.append((i, r.ord, r.drg, r.rtc, r.loc_drg or loc or None, mdc or None, conds))
    schema = "_rule int, ord string, drg string, rule_rtc string, loc_drg string, mdc string, conditions array<string>"
    return spark.createDataFrame(rows, schema)


def post_rule_rtc(rtc: Column, pdx_main: Column) -> Column:
    """docs/NORDDRG.md §6.3: rtc 1 with a non-empty pdx slot is reported as 9 (pdx present but unusable)."""
    return F.when((rtc == "1") & pdx_main.isNotNull(), F.lit("9")).otherwise(rtc)


def group_cases(
    spark: SparkSession, cases: DataFrame, tables: TableSet, post_rule: bool, carry: tuple[str, ...] = ()
) -> DataFrame:
    """One row per case (by case_id) with its group, matched rule and trace.

    `post_rule` applies docs/NORDDRG.md §6.3 (conf/grouping.yaml `post_rule_rtc_1_to_9`). `carry` adds
    case attributes (sex, age_days, discharge, los_days) to the result; every non-case column of
    `cases` is passed through.
    """
    extra = payload_columns(cases)
    feats = derive(spark, cases, tables)
    matched = feats.withColumn("_rule", first_match(tables.rules))
    rules = F.broadcast(rule_table(spark, tables))
    out = matched.join(rules, "_rule", "left")
    rtc = post_rule_rtc(F.col("rule_rtc"), F.col("pdx_main")) if post_rule else F.col("rule_rtc")
    trace = F.struct(
        F.col("pdx_main").alias("pdx"),
        F.col("pdx_addon").alias("pdx_addon"),
        F.col("dgcat"),
        F.col("dgcat_from"),
        F.col("conditions"),
        F.col("cc_properties"),
        F.col("cc_from_procedure"),
        F.transform("orflags", lambda o: F.concat(o["src"], F.lit(":"), o["v"])).alias("or_flags"),
        F.col("rule_rtc"),
    )
    return out.select(
        "case_id",
        "drg",
        "ord",
        rtc.alias("rtc"),
        "mdc",
        "loc_drg",
        "cc_level",
        trace.alias("trace"),
        *carry,
        *[F.col(f"{PAYLOAD}.{c}").alias(c) for c in extra],
    )
