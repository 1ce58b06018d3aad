"""Chargeable items of courses: KMF on somatic and psychiatric courses, rehabilitation at its tariff.

Every item carries its parts: the value it is a share of, the share and the age band it came
from, the gross amount, the cap and the unit the cap applies to, whether the cap bound, the amount
charged, the paying municipality (the residence on the course's first day) and, for an exempt
item, why (amount 0). Rules in docs/SETTLEMENT.md; parameters in conf/kmf/<year>.yaml.

The functions work on any set of grouped courses (`grouping.pipeline.group_register`'s courses
with `patient_id` and `birth_date`); in the KMF job those are the replicas of every statement
date (`settlement.replicas`), so the cap of a regional course is computed within one replica.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from lprflow.localtime import local_date
from settlement.config import KmfYear

# the columns of every item, in order (day items fill days/rate; course items value/share/cap)
ITEM_COLUMNS = [
    "item_id",
    "category",
    "source_id",
    "patient_id",
    "hospital_id",
    "contacts",
    "municipality_code",
    "activity_month",
    "course_start",
    "drg",
    "basis",
    "value",
    "age_years",
    "age_band",
    "share",
    "rate",
    "units",
    "gross",
    "cap",
    "cap_unit",
    "cap_unit_id",
    "capped",
    "amount",
    "exempt_reason",
]


def age_years(birth_date: Column, on: Column) -> Column:
    """Whole years of age on a date."""
    return F.floor(F.months_between(on, birth_date) / 12).cast("int")


def band_of(age: Column, conf: KmfYear) -> tuple[Column, Column]:
    """(from_age of the age band, its share) for an age in whole years."""
    bands = conf.somatic.bands
    start, share = F.lit(bands[0].from_age), F.lit(bands[0].share)
    for b in bands[1:]:
        start = F.when(age >= b.from_age, F.lit(b.from_age)).otherwise(start)
        share = F.when(age >= b.from_age, F.lit(b.share)).otherwise(share)
    return start, share


def exempt_reason(payer_outside: Column, municipality: Column, special_place: Column) -> Column:
    """Why an item is not charged (null: it is): docs/DOMAIN.md §5's three exemptions."""
    return (
        F.when(municipality.isNull(), "no_danish_residence")
        .when(payer_outside, "paid_by_others")
        .when(special_place, "special_psychiatric_place")
    )


def course_payers(contacts: DataFrame, payments: DataFrame, conf: KmfYear) -> DataFrame:
    """(course_id, payer_outside): a course is paid by others when a payment on one of its
    contacts names a payer that is not a region."""
    p = payments.where(F.col("kontakt_id").isNotNull()).select("kontakt_id", "payer")
    outside = ~F.coalesce(F.col("payer").isin(*conf.exempt.regional_payers), F.lit(False))
    return (
        contacts.where(F.col("course_id").isNotNull())
        .select("kontakt_id", "course_id", "responsible_unit")
        .join(p, "kontakt_id", "left")
        .groupBy("course_id")
        .agg(
            F.max(F.col("payer").isNotNull() & outside).alias("payer_outside"),
            F.max(F.col("responsible_unit").isin(*conf.exempt.special_psychiatric_units)).alias("special_place"),
        )
    )


def item_key(category: Column, source: Column, municipality: Column, month: Column) -> Column:
    return F.concat_ws("|", category, source, F.coalesce(municipality, F.lit("-")), month)


def as_items(cols: dict[str, Column]) -> list[Column]:
    types = {
        "value": "double",
        "share": "double",
        "rate": "double",
        "gross": "double",
        "cap": "double",
        "amount": "double",
        "age_years": "int",
        "age_band": "int",
        "units": "int",
        "course_start": "timestamp",
    }
    out = []
    for name in ITEM_COLUMNS:
        c = cols.get(name)
        kind = types.get(name, "string")
        if name == "contacts":
            out.append((c if c is not None else F.array().cast("array<string>")).alias(name))
        elif name == "capped":
            out.append((c if c is not None else F.lit(False)).alias(name))
        else:
            out.append((c if c is not None else F.lit(None)).cast(kind).alias(name))
    return out


def _regional_courses(somatic: DataFrame, gap_hours: float) -> DataFrame:
    """Somatic courses with `regional_id`: one patient's courses at any of the region's hospitals
    that overlap or start within `gap_hours` of the end of the regional course so far."""
    order = Window.partitionBy("patient_id").orderBy("start_time", "end_time", "course_id")
    before = order.rowsBetween(Window.unboundedPreceding, -1)
    reach = F.max("end_time").over(before) + F.expr(f"make_dt_interval(0, 0, 0, {float(gap_hours) * 3600})")
    new = F.when(reach.isNull() | (F.col("start_time") > reach), 1).otherwise(0)
    x = somatic.withColumn("_new", new)
    x = x.withColumn("_seq", F.sum("_new").over(order.rowsBetween(Window.unboundedPreceding, 0)))
    first = Window.partitionBy("patient_id", "_seq").orderBy("start_time", "end_time", "course_id")
    return x.withColumn("regional_id", F.first("course_id").over(first)).drop("_new", "_seq")


def course_items(courses: DataFrame, payers: DataFrame, conf: KmfYear) -> DataFrame:
    """The items of grouped courses: KMF on somatic courses (by age band, capped per admission or
    regional course), KMF on psychiatric courses (bed days or visits, capped), rehabilitation."""
    c = courses.join(payers, "course_id", "left").withColumn(
        "_exempt",
        exempt_reason(
            F.coalesce("payer_outside", F.lit(False)),
            F.col("municipality_code"),
            F.coalesce("special_place", F.lit(False)) & (F.col("course_kind") == "psychiatric"),
        ),
    )
    som = conf.somatic
    rehab = F.col("drg").isin(*conf.full_financing.rehabilitation_groups)
    somatic = c.where((F.col("course_kind") == "somatic") & ~F.coalesce(rehab, F.lit(False)))
    age = age_years(F.col("birth_date"), local_date(F.col("start_time")))
    band, share = band_of(age, conf)
    somatic = somatic.withColumn("_age", age).withColumn("_band", band).withColumn("_share", share)
    somatic = somatic.withColumn("_gross", F.round(F.col("value") * F.col("_share"), 2))
    hours = (F.col("end_time").cast("long") - F.col("start_time").cast("long")) / 3600
    admission_cap, visit_cap = conf.kr(som.admission_cap), conf.kr(som.visit_cap)
    if som.model == "age_2018":
        cap, cap_kind = (
            F.lit(admission_cap),
            F.lit("regional_course" if som.cap_unit == "regional_course" else "course"),
        )
    else:
        is_admission = hours >= som.admission_min_hours
        cap = F.when(is_admission, F.lit(admission_cap)).otherwise(F.lit(visit_cap))
        cap_kind = F.when(is_admission, F.lit("admission")).otherwise(F.lit("visit"))
    somatic = somatic.withColumn("_cap", cap.cast("double")).withColumn("_cap_kind", cap_kind)
    charged = F.when(F.col("_exempt").isNull(), F.col("_gross")).otherwise(F.lit(0.0))
    if som.cap_unit == "regional_course":
        somatic = _regional_courses(somatic, som.regional_course_gap_hours)
        order = Window.partitionBy("patient_id", "regional_id").orderBy("end_time", "course_id")
        before = F.coalesce(F.sum(charged).over(order.rowsBetween(Window.unboundedPreceding, -1)), F.lit(0.0))
        room = F.greatest(F.lit(0.0), F.col("_cap") - before)
        somatic = somatic.withColumn(
            "_amount", F.when(F.col("_cap").isNull(), charged).otherwise(F.least(charged, room))
        )
        unit_id = F.col("regional_id")
    else:
        somatic = somatic.withColumn(
            "_amount", F.when(F.col("_cap").isNull(), charged).otherwise(F.least(charged, F.col("_cap")))
        )
        unit_id = F.col("course_id")
    som_cols = {
        "category": F.lit("kmf_somatic"),
        "basis": F.lit("drg"),
        "age_years": F.col("_age"),
        "age_band": F.col("_band"),
        "share": F.col("_share"),
        "gross": F.col("_gross"),
        "cap": F.col("_cap"),
        "cap_unit": F.col("_cap_kind"),
        "cap_unit_id": unit_id,
        "capped": F.coalesce(F.round(F.col("_amount"), 2) < F.round(charged, 2), F.lit(False)),
        "amount": F.round(F.col("_amount"), 2),
    }
    psych = c.where(F.col("course_kind") == "psychiatric")
    p = conf.psychiatry
    inpatient = F.col("value_parts.basis") == "psychiatric bed days"
    p_share = F.when(inpatient, F.lit(p.inpatient_share)).otherwise(F.lit(p.outpatient_share))
    p_cap_in, p_cap_visit = conf.kr(p.admission_cap), conf.kr(p.visit_cap)
    units = F.col("value_parts.units")
    p_gross = F.round(F.col("value") * p_share, 2)
    per_visit = F.col("value_parts.rate") * p_share
    p_amount = F.when(inpatient, F.least(p_gross, F.lit(p_cap_in)) if p_cap_in is not None else p_gross).otherwise(
        units * (F.least(per_visit, F.lit(p_cap_visit)) if p_cap_visit is not None else per_visit)
    )
    p_cap = F.when(inpatient, F.lit(p_cap_in)).otherwise(F.lit(p_cap_visit))
    p_amount = F.round(F.when(F.col("_exempt").isNull(), p_amount).otherwise(F.lit(0.0)), 2)
    psych_cols = {
        "category": F.lit("kmf_psychiatry"),
        "basis": F.col("value_parts.basis"),
        "share": p_share,
        "rate": F.col("value_parts.rate"),
        "units": units,
        "gross": p_gross,
        "cap": p_cap,
        "cap_unit": F.when(inpatient, F.lit("admission")).otherwise(F.lit("visit")),
        "cap_unit_id": F.col("course_id"),
        "capped": F.when(F.col("_exempt").isNull(), p_amount < p_gross).otherwise(F.lit(False)),
        "amount": p_amount,
    }
    rh = c.where((F.col("course_kind") == "somatic") & rehab)
    r_share = F.lit(conf.full_financing.rehabilitation_share)
    r_gross = F.round(F.col("value") * r_share, 2)
    rehab_cols = {
        "category": F.lit("rehabilitation"),
        "basis": F.lit("drg"),
        "share": r_share,
        "gross": r_gross,
        "amount": F.when(F.col("_exempt").isNull(), r_gross).otherwise(F.lit(0.0)),
    }
    parts = []
    for frame, cols in ((somatic, som_cols), (psych, psych_cols), (rh, rehab_cols)):
        common = {
            "item_id": item_key(cols["category"], F.col("course_id"), F.col("municipality_code"), F.col("month")),
            "source_id": F.col("course_id"),
            "patient_id": F.col("patient_id"),
            "hospital_id": F.col("hospital_id"),
            "contacts": F.col("contacts"),
            "municipality_code": F.col("municipality_code"),
            "activity_month": F.col("month"),
            "course_start": F.col("start_time"),
            "drg": F.col("drg"),
            "value": F.col("value"),
            "exempt_reason": F.col("_exempt"),
        }
        parts.append(frame.select(*as_items({**common, **cols})))
    return parts[0].unionByName(parts[1]).unionByName(parts[2])
