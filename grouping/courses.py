"""DRG-sygehusforløb from the as-of register: join contacts into courses, build grouper cases.

Rules (parameters in conf/grouping.yaml `courses`, documented in docs/GROUPING.md):
- a contact is grouped when it is closed and its kontakttype is activity (not ALCA10);
- contacts of one patient at one hospital (SOR hospital of the responsible unit) and of one kind
  (somatic, psychiatric, hospice) that overlap or start within `join_gap_hours` of the end of the
  course so far are one course; the course id is the id of its first contact;
- principal diagnosis of a course: the aktionsdiagnose of its leading contact (longest, then
  earliest, then smallest id); every other diagnosis of the course is a secondary slot; all
  procedures of its contacts, plus the kontakttype as a pseudo-procedure where configured;
- age in days at course start, length of stay in calendar days, discharge mode from the
  forløbselement's afslutningsmåde when it ended with the course (else H).
"""

from __future__ import annotations

from dataclasses import dataclass

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from grouping.config import CourseRules
from lprflow.localtime import local_date

DIAG = "struct<code:string,addon:string>"


@dataclass
class Courses:
    contacts: DataFrame  # every as-of contact: kontakt_id, status, course_kind, course_id (null if not grouped)
    courses: DataFrame  # one row per course with its attributes and contact list
    cases: DataFrame  # grouper cases: one per course (case_id = course id) + per contact of multi-contact courses
    cached: list[DataFrame]  # frames persisted by build(cache=True); unpersist when done


def classify_contacts(state: dict[str, DataFrame], sor_units: DataFrame, rules: CourseRules) -> DataFrame:
    """Every as-of contact with its hospital, kind and status (grouped / open / not_activity)."""
    units = F.broadcast(
        sor_units.select(
            F.col("sor_id").alias("responsible_unit"),
            "hospital_id",
            F.when(F.col("psychiatric").cast("boolean"), "psychiatric")
            .when(F.col("unit_kind") == "hospice", "hospice")
            .otherwise("somatic")
            .alias("unit_course_kind"),
        ).dropDuplicates(["responsible_unit"])
    )
    k = state["kontakt"].select(
        "kontakt_id", "forloebselement_id", "patient_id", "start_time", "end_time", "responsible_unit", "type"
    )
    k = k.join(units, "responsible_unit", "left")
    status = (
        F.when(F.col("type").isin(*rules.not_activity_types), "not_activity")
        .when(F.col("end_time").isNull() | F.col("start_time").isNull(), "open")
        .otherwise("grouped")
    )
    return k.select(
        "*",
        F.coalesce("hospital_id", "responsible_unit").alias("hospital"),
        F.coalesce("unit_course_kind", F.lit("somatic")).alias("course_kind"),
        status.alias("status"),
    ).drop("hospital_id", "unit_course_kind")


def join_courses(contacts: DataFrame, gap_hours: float) -> DataFrame:
    """Grouped contacts with their course id (gaps-and-islands per patient, hospital and kind)."""
    key = ["patient_id", "hospital", "course_kind"]
    order = Window.partitionBy(*key).orderBy("start_time", "end_time", "kontakt_id")
    before = order.rowsBetween(Window.unboundedPreceding, -1)
    g = contacts.where(F.col("status") == "grouped")
    reach = F.max("end_time").over(before) + F.expr(f"make_dt_interval(0, 0, 0, {float(gap_hours) * 3600})")
    g = g.withColumn("_new", F.when(reach.isNull() | (F.col("start_time") > reach), 1).otherwise(0))
    g = g.withColumn("_seq", F.sum("_new").over(order.rowsBetween(Window.unboundedPreceding, 0)))
    first = Window.partitionBy(*key, "_seq").orderBy("start_time", "end_time", "kontakt_id")
    return g.withColumn("course_id", F.first("kontakt_id").over(first)).drop("_new", "_seq")


def _contact_codes(state: dict[str, DataFrame], grouped: DataFrame, pseudo: list[str]) -> DataFrame:
    """Per grouped contact: its aktionsdiagnose, bidiagnoser and procedure codes."""
    d = state["diagnose"].select(
        "kontakt_id",
        "role",
        F.struct(F.col("code"), F.try_element_at("addon_codes", F.lit(1)).alias("addon")).cast(DIAG).alias("dx"),
    )
    dx = d.groupBy("kontakt_id").agg(
        F.min(F.when(F.col("role") == "A", F.col("dx"))).alias("adx"),
        F.array_sort(F.collect_list(F.when(F.col("role") != "A", F.col("dx")))).alias("bdx"),
    )
    p = state["procedure"].where(F.col("kontakt_id").isNotNull())
    px = p.groupBy("kontakt_id").agg(F.array_sort(F.collect_list("code")).alias("px"))
    typed = F.when(F.col("type").isin(*pseudo), F.array(F.col("type"))).otherwise(F.array().cast("array<string>"))
    return (
        grouped.join(dx, "kontakt_id", "left")
        .join(px, "kontakt_id", "left")
        .select(
            "*",
            F.coalesce("bdx", F.array().cast(f"array<{DIAG}>")).alias("_bdx"),
            F.concat(F.coalesce("px", F.array().cast("array<string>")), typed).alias("_px"),
        )
        .drop("bdx", "px")
    )


def _discharge(modes: dict[str, str], default: str) -> Column:
    out = F.lit(default)
    for code, mode in sorted(modes.items()):
        out = F.when(F.col("fe_end_mode") == code, F.lit(mode)).otherwise(out)
    return out


def build(state: dict[str, DataFrame], sor_units: DataFrame, rules: CourseRules, cache: bool = False) -> Courses:
    """Contacts classified, courses joined, and the grouper cases of every course and contact.

    Case ids: `F:<course id>` for a course, `K:<course id>:<kontakt id>` for a contact of a
    multi-contact course. Besides the grouper's case columns every case carries its payload:
    `basis` (course / contact), `course_id`, `kontakt_id` (null for a course case) and
    `course_kind`, which the grouper passes through untouched. With `cache`, the per-contact
    codes and the courses are computed once for every output that uses them.
    """
    contacts = classify_contacts(state, sor_units, rules)
    grouped = join_courses(contacts, rules.join_gap_hours)
    coded = _contact_codes(state, grouped, rules.pseudo_procedure_types)
    if cache:
        coded = coded.persist()
    dur = F.col("end_time").cast("long") - F.col("start_time").cast("long")
    per_course = coded.groupBy("course_id").agg(
        F.first("patient_id").alias("patient_id"),
        F.first("hospital").alias("hospital_id"),
        F.first("course_kind").alias("course_kind"),
        F.min("start_time").alias("start_time"),
        F.max("end_time").alias("end_time"),
        F.array_sort(F.collect_list("kontakt_id")).alias("contacts"),
        F.max_by("forloebselement_id", F.struct("end_time", "kontakt_id")).alias("last_fe"),
        # leading contact: longest, then earliest, then smallest id
        F.max_by(
            F.col("adx"), F.struct(dur.alias("d"), (-F.col("start_time").cast("long")).alias("s"), F.col("kontakt_id"))
        ).alias("pdx"),
        F.min_by("kontakt_id", F.struct((-dur).alias("d"), F.col("start_time"), F.col("kontakt_id"))).alias("leading"),
        F.flatten(F.collect_list(F.concat(F.array("adx"), "_bdx"))).alias("_all_dx"),
        F.flatten(F.collect_list("_px")).alias("procedures"),
    )
    fe = state["forloebselement"].select(
        F.col("forloebselement_id").alias("last_fe"),
        F.col("end_time").alias("fe_end"),
        F.col("end_mode").alias("fe_end_mode"),
    )
    pat = state["patient"].select("patient_id", "sex", "birth_date")
    gap = F.expr(f"make_dt_interval(0, 0, 0, {float(rules.join_gap_hours) * 3600})")
    courses = (
        per_course.join(fe, "last_fe", "left")
        .join(pat, "patient_id", "left")
        .select(
            "*",
            F.datediff(local_date(F.col("start_time")), "birth_date").alias("age_days"),
            F.datediff(local_date(F.col("end_time")), local_date(F.col("start_time"))).alias("los_days"),
            F.when(
                F.col("fe_end").isNotNull() & (F.col("fe_end") <= F.col("end_time") + gap),
                _discharge(rules.discharge_modes, rules.default_discharge),
            )
            .otherwise(rules.default_discharge)
            .alias("discharge"),
            F.size("contacts").alias("n_contacts"),
        )
    )
    if cache:
        courses = courses.persist()
    secondary = F.array_sort(
        F.array_distinct(F.filter("_all_dx", lambda x: x.isNotNull() & ~x.eqNullSafe(F.col("pdx"))))
    )
    course_cases = courses.select(
        F.concat(F.lit("F:"), "course_id").alias("case_id"),
        F.lit("course").alias("basis"),
        "course_id",
        F.lit(None).cast("string").alias("kontakt_id"),
        "course_kind",
        "sex",
        "age_days",
        "discharge",
        "los_days",
        F.concat(F.array(F.col("pdx")), secondary).alias("diagnoses"),
        F.array_sort("procedures").alias("procedures"),
    )
    # contacts of multi-contact courses are also grouped on their own: the most expensive group wins
    multi = courses.where(F.col("n_contacts") > 1).select("course_id", "sex", "birth_date", "discharge", "end_time")
    own = coded.join(multi.withColumnRenamed("end_time", "_course_end"), "course_id").select(
        F.concat(F.lit("K:"), "course_id", F.lit(":"), "kontakt_id").alias("case_id"),
        F.lit("contact").alias("basis"),
        "course_id",
        "kontakt_id",
        "course_kind",
        "sex",
        F.datediff(local_date(F.col("start_time")), "birth_date").alias("age_days"),
        F.when(F.col("end_time") == F.col("_course_end"), F.col("discharge"))
        .otherwise(rules.default_discharge)
        .alias("discharge"),
        F.datediff(local_date(F.col("end_time")), local_date(F.col("start_time"))).alias("los_days"),
        F.concat(F.array("adx"), "_bdx").alias("diagnoses"),
        F.array_sort("_px").alias("procedures"),
    )
    all_contacts = contacts.join(coded.select("kontakt_id", "course_id"), "kontakt_id", "left")
    cached = [coded, courses] if cache else []
    return Courses(contacts=all_contacts, courses=courses, cases=course_cases.unionByName(own), cached=cached)
