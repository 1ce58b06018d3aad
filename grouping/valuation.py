"""What a course is worth: DRG tariff plus the per-day rate beyond the trim point, or, outside DRG,
bed-day and visit rates (psychiatry, hospice) from conf/grouping.yaml."""

from __future__ import annotations

from typing import Any

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F

from grouping.tables import TableSet


def tariff_table(spark: SparkSession, tables: TableSet) -> DataFrame:
    rows = [(t.drg, t.name, t.tariff, t.trim_days, t.per_day) for t in tables.tariffs.values()]
    return spark.createDataFrame(rows, "drg string, drg_name string, tariff double, trim_days int, per_day double")


def drg_value(los: Column) -> tuple[Column, Column]:
    """(value, parts) for rows joined with the tariff table."""
    beyond = F.greatest(F.lit(0), los - F.col("trim_days"))
    extra = F.coalesce(beyond, F.lit(0)) * F.col("per_day")
    value = F.coalesce(F.col("tariff"), F.lit(0.0)) + extra
    parts = F.struct(
        F.lit("drg").alias("basis"),
        F.col("tariff").alias("tariff"),
        F.col("trim_days").alias("trim_days"),
        F.coalesce(beyond, F.lit(0)).alias("days_beyond_trim"),
        F.col("per_day").alias("per_day_rate"),
        extra.alias("per_day_value"),
        F.lit(None).cast("double").alias("rate"),
        F.lit(None).cast("int").alias("units"),
    )
    return value, parts


def outside_drg_value(kind: Column, los: Column, n_contacts: Column, rates: dict[str, Any]) -> tuple[Column, Column]:
    """(value, parts) for psychiatric and hospice courses: bed days if inpatient, else visits."""
    psych, hospice = rates["psychiatry"], rates["hospice"]
    inpatient = los >= 1
    rate = (
        F.when(kind == "hospice", F.lit(float(hospice["bed_day_rate"])))
        .when(inpatient, F.lit(float(psych["bed_day_rate"])))
        .otherwise(F.lit(float(psych["visit_rate"])))
    )
    units = F.when(kind == "hospice", F.greatest(los, F.lit(1))).when(inpatient, los).otherwise(n_contacts)
    basis = (
        F.when(kind == "hospice", "hospice bed days")
        .when(inpatient, "psychiatric bed days")
        .otherwise("psychiatric visits")
    )
    parts = F.struct(
        basis.alias("basis"),
        F.lit(None).cast("double").alias("tariff"),
        F.lit(None).cast("int").alias("trim_days"),
        F.lit(0).alias("days_beyond_trim"),
        F.lit(None).cast("double").alias("per_day_rate"),
        F.lit(0.0).alias("per_day_value"),
        rate.alias("rate"),
        units.cast("int").alias("units"),
    )
    return rate * units, parts
