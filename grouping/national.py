"""The national DRG data per contact, as `lprflow group` writes contacts/ (the schema
`lprflow match` reads, docs/MATCHING.md): every as-of contact with its attributes, its grouping
status and course, the course's group, value and paying municipality, and a pseudonymised key
of the patient's CPR number (never the number)."""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from lprflow.pseudonym import patient_key

# the documented schema, in order (docs/MATCHING.md "The national contacts")
NATIONAL_COLUMNS = [
    "kontakt_id",
    "cpr_key",
    "hospital",
    "responsible_unit",
    "start_time",
    "end_time",
    "type",
    "priority",
    "aktionsdiagnose",
    "course_kind",
    "status",
    "course_id",
    "own_drg",
    "own_value",
    "drg",
    "course_value",
    "municipality_code",
]


def national_contacts(state: dict[str, DataFrame], contacts: DataFrame, courses: DataFrame, salt: str) -> DataFrame:
    """`contacts` (grouping.pipeline.GroupedRegister.contacts) with the as-of contact's
    attributes, its aktionsdiagnose, the CPR key and its course's group, value and municipality."""
    k = state["kontakt"].select("kontakt_id", "start_time", "end_time", "responsible_unit", "type", "priority")
    a = state["diagnose"].where(F.col("role") == "A").groupBy("kontakt_id").agg(F.min("code").alias("aktionsdiagnose"))
    cpr = state["patient"].select("patient_id", patient_key(F.col("cpr"), salt).alias("cpr_key"))
    course = courses.select("course_id", "drg", F.col("value").alias("course_value"), "municipality_code")
    return (
        contacts.join(k, "kontakt_id", "left")
        .join(a, "kontakt_id", "left")
        .join(cpr, "patient_id", "left")
        .join(course, "course_id", "left")
        .select(*NATIONAL_COLUMNS)
    )
