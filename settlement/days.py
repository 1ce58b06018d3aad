"""Full financing by bed day: hospice stays and færdigbehandlede days, each day paid by the
municipality the patient lives in that day; and the state's surcharge on somatic færdigbehandlede
days (1x the rate for days 1-2, 2x from day 3).

Day counting as in the tariff rules: the days from the first day up to, not including, the last
(the discharge day does not count), at least one day per stay. A færdigbehandlet period is a
procedure with a configured code (conf/kmf/<year>.yaml `faerdigbehandlet_procedures`) on a
contact, from its start to its end; a period without an end is not charged yet. Items are one per
stay (or period) × municipality × month, so a move during a stay splits it.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from lprflow.localtime import local_date
from lprflow.residence import paying_municipality
from settlement.config import KmfYear
from settlement.items import as_items, exempt_reason, item_key


def charged_days(start: Column, end: Column) -> Column:
    """The Danish dates charged for a stay from `start` to `end` (instants): first day up to the
    last day exclusive, at least the first day."""
    first, last = local_date(start), local_date(end)
    return F.when(last > first, F.sequence(first, F.date_sub(last, 1))).otherwise(F.array(first))


def _per_day(stays: DataFrame, bopael: DataFrame) -> DataFrame:
    """One row per charged day of each stay (`source_id`, `patient_id`, `start`, `end`), with its
    number in the stay (`day_no`, from 1) and the municipality the patient lives in that day."""
    days = stays.select("*", F.posexplode(charged_days(F.col("start"), F.col("end"))).alias("_pos", "day"))
    days = days.withColumn("day_no", F.col("_pos") + 1).withColumn(
        "_dk", F.concat_ws("|", "source_id", F.col("day").cast("string"))
    )
    where = paying_municipality(bopael, days, "_dk", F.col("day"))
    return days.join(where, "_dk", "left").drop("_pos", "_dk")


def _factor(day_no: Column, conf: KmfYear) -> Column:
    s = conf.full_financing.state_surcharge
    assert s is not None
    factors = sorted(s.factors, key=lambda f: f.from_day)
    out = F.lit(0.0)
    for f in factors:
        out = F.when(day_no >= f.from_day, F.lit(float(f.factor))).otherwise(out)
    return out


def _items(days: DataFrame, category: Column, rate: float, weight: Column) -> DataFrame:
    """Days grouped into items per (category, stay, municipality, month)."""
    d = days.select(
        "*",
        category.alias("_category"),
        weight.alias("_w"),
        F.date_format("day", "yyyy-MM").alias("_month"),
        exempt_reason(F.col("payer_outside"), F.col("municipality_code"), F.col("special_place")).alias("_exempt"),
    )
    g = d.groupBy("_category", "source_id", "municipality_code", "_month").agg(
        F.first("patient_id").alias("patient_id"),
        F.first("hospital_id").alias("hospital_id"),
        F.first("contacts").alias("contacts"),
        F.first("course_start").alias("course_start"),
        F.count("*").alias("_units"),
        F.sum("_w").alias("_weight"),
        F.first("_exempt").alias("_exempt"),
    )
    gross = F.round(F.col("_weight") * F.lit(rate), 2)
    return g.select(
        *as_items(
            {
                "item_id": item_key(
                    F.col("_category"), F.col("source_id"), F.col("municipality_code"), F.col("_month")
                ),
                "category": F.col("_category"),
                "source_id": F.col("source_id"),
                "patient_id": F.col("patient_id"),
                "hospital_id": F.col("hospital_id"),
                "contacts": F.col("contacts"),
                "municipality_code": F.col("municipality_code"),
                "activity_month": F.col("_month"),
                "course_start": F.col("course_start"),
                "basis": F.lit("bed days"),
                "rate": F.lit(rate),
                "units": F.col("_units"),
                "share": F.when(F.col("_weight") != F.col("_units"), F.col("_weight") / F.col("_units")),
                "gross": gross,
                "amount": F.when(F.col("_exempt").isNull(), gross).otherwise(F.lit(0.0)),
                "exempt_reason": F.col("_exempt"),
            }
        )
    )


def day_items(
    courses: DataFrame, contacts: DataFrame, procedures: DataFrame, bopael: DataFrame, payers: DataFrame, conf: KmfYear
) -> DataFrame:
    """Hospice and færdigbehandlet items, with the state's surcharge where the year has one."""
    ff = conf.full_financing
    rate = conf.kr(ff.bed_day_rate)
    flags = payers.select("course_id", "payer_outside", "special_place")
    hospice = courses.where(F.col("course_kind") == "hospice").select(
        F.col("course_id").alias("source_id"),
        "course_id",
        "patient_id",
        "hospital_id",
        "contacts",
        F.col("start_time").alias("course_start"),
        F.col("start_time").alias("start"),
        F.col("end_time").alias("end"),
        F.lit("hospice").alias("_kind"),
    )
    fb = (
        procedures.where(
            F.col("code").isin(*ff.faerdigbehandlet_procedures)
            & F.col("kontakt_id").isNotNull()
            & F.col("end_time").isNotNull()
        )
        .join(
            contacts.select(
                "kontakt_id", "course_id", "course_kind", "patient_id", "hospital", F.col("start_time").alias("_ks")
            ),
            "kontakt_id",
        )
        .join(courses.select("course_id", F.col("start_time").alias("_cs")), "course_id", "left")
        .select(
            F.col("procedure_id").alias("source_id"),
            "course_id",
            "patient_id",
            F.col("hospital").alias("hospital_id"),
            F.array("kontakt_id").alias("contacts"),
            F.coalesce("_cs", "_ks").alias("course_start"),  # a contact in no course: its own start
            F.col("start_time").alias("start"),
            F.col("end_time").alias("end"),
            F.when(F.col("course_kind") == "psychiatric", "faerdigbehandlet_psychiatric")
            .otherwise("faerdigbehandlet_somatic")
            .alias("_kind"),
        )
    )
    stays = hospice.unionByName(fb).join(flags, "course_id", "left")
    stays = stays.select(
        "*",
        F.coalesce("payer_outside", F.lit(False)).alias("_po"),
        F.coalesce(F.col("special_place") & (F.col("_kind") == "faerdigbehandlet_psychiatric"), F.lit(False)).alias(
            "_sp"
        ),
    ).drop("payer_outside", "special_place")
    stays = stays.withColumnsRenamed({"_po": "payer_outside", "_sp": "special_place"})
    days = _per_day(stays, bopael)
    out = _items(days, F.col("_kind"), rate, F.lit(1.0))
    if ff.state_surcharge is not None:
        somatic_days = days.where(F.col("_kind") == "faerdigbehandlet_somatic")
        state_rate = conf.kr(ff.state_surcharge.rate)
        out = out.unionByName(
            _items(somatic_days, F.lit("faerdigbehandlet_state"), state_rate, _factor(F.col("day_no"), conf))
        )
    return out
