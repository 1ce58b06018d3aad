"""What a course is worth: DRG tariff plus the per-day rate beyond the trim point, or, outside DRG,
bed-day and visit rates (psychiatry, hospice) from conf/grouping.yaml; and which of a course's
groupings counts ("the most expensive group wins", docs/GROUPING.md)."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from grouping.config import OutsideDrg
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


def value_grouped(spark: SparkSession, grouped: DataFrame, tables: TableSet) -> DataFrame:
    """Grouped cases (with `los_days`) joined with the tariffs: adds drg_name, `value`, `value_parts`."""
    value, parts = drg_value(F.col("los_days"))
    return grouped.join(F.broadcast(tariff_table(spark, tables)), "drg", "left").select(
        "*", value.alias("value"), parts.alias("value_parts")
    )


def most_expensive(valued: DataFrame) -> DataFrame:
    """Per course (`course_id`), the valued case that counts: the highest value; on a tie the
    course's own grouping before a contact's, then the smallest case id."""
    pick = Window.partitionBy("course_id").orderBy(F.desc("value"), F.col("basis").desc(), "case_id")
    return valued.withColumn("_rank", F.row_number().over(pick)).where("_rank = 1").drop("_rank")


def outside_drg_value(course_kind: Column, los: Column, n_contacts: Column, rates: OutsideDrg) -> tuple[Column, Column]:
    """(value, parts) for psychiatric and hospice courses (by `course_kind`): bed days if
    inpatient, else visits."""
    psych, hospice = rates.psychiatry, rates.hospice
    inpatient = los >= psych.inpatient_min_days
    rate = (
        F.when(course_kind == "hospice", F.lit(float(hospice.bed_day_rate)))
        .when(inpatient, F.lit(float(psych.bed_day_rate)))
        .otherwise(F.lit(float(psych.visit_rate)))
    )
    units = (
        F.when(course_kind == "hospice", F.greatest(los, F.lit(hospice.min_days)))
        .when(inpatient, los)
        .otherwise(n_contacts)
    )
    basis = (
        F.when(course_kind == "hospice", "hospice bed days")
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
