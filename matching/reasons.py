"""A reason for every non-match and every difference, from the data (docs/MATCHING.md).

Looked up in the register the national data was grouped from (all versions, also those after
the as-of time), in the error list of `lprflow validate`, and in the pairing itself:

- only in the region: `duplicate` (another row of the extract is the same contact),
  `different_patient` (a national contact at the same unit and time has another patient),
  `late` (the contact was first reported after the as-of time: the report time is given),
  `deleted` (deleted nationally by the as-of time), `not_reported` (the register has no report
  of it at all), `unknown` (in the register at the as-of time, yet not in the national data; or
  no register to look in);
- only national: `different_patient`, `other_year` (starts outside the extract's year),
  `unknown`;
- a difference: `different_patient` (the patient), `late` (a version reported after the as-of
  time has the region's value), `open` (the national contact has no end, so it is not grouped),
  `not_activity` (a diagnoseindberetning: not grouped), `outside_drg` (psychiatry or hospice:
  valued outside DRG), `has_errors` (the contact is on the error list), `unknown`.
"""

from __future__ import annotations

import datetime as dt

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from lprflow.localtime import local_date
from lprflow.pseudonym import patient_key
from matching.compare import iso, shown
from matching.keys import Keys, among

# the register tables the lookups read (and the manifest fingerprints)
REGISTER_TABLES = ("kontakt", "diagnose", "patient")
KONTAKT_FIELDS = ("start_time", "end_time", "responsible_unit", "type", "priority")
GROUP_FIELDS = ("drg", "value", "municipality_code")
# per contact: the first report after the as-of time of each value a field took then, keyed by
# `later_key` (the value as a difference shows it, matching.compare.shown), the report time shown
LATER = "map<string,string>"


def resolve_by_patient(
    versions: dict[str, DataFrame], rows: DataFrame, tolerance_minutes: float, salt: str, few: bool = False
) -> DataFrame:
    """For region rows without an LPR3 id (region_row_id, r_cpr_key, r_responsible_unit,
    r_start_time): the register's contact of that patient at that unit with the nearest start
    within the tolerance, in any version. Returns region_row_id, register_kontakt_id. `few`: the
    rows' patients are broadcast to the register's patients (not shuffled with them)."""
    keys = rows.select(F.col("r_cpr_key").alias("_key")).distinct()
    keys = F.broadcast(keys) if few else keys
    pats = (
        versions["patient"]
        .select("patient_id", patient_key(F.col("cpr"), salt).alias("_key"))
        .join(keys, "_key")
        .distinct()
    )
    k = (
        versions["kontakt"]
        .select("kontakt_id", "patient_id", "responsible_unit", "start_time")
        .join(pats, "patient_id")
    )
    d = F.abs(F.unix_seconds("start_time") - F.unix_seconds("r_start_time"))
    near = rows.join(
        k, (F.col("r_cpr_key") == F.col("_key")) & (F.col("r_responsible_unit") == F.col("responsible_unit"))
    ).where(d <= tolerance_minutes * 60.0)
    return near.groupBy("region_row_id").agg(
        F.min_by("kontakt_id", F.struct(d.alias("d"), F.col("kontakt_id"))).alias("register_kontakt_id")
    )


def first_reports(versions: dict[str, DataFrame], ids: Keys, as_of: dt.datetime, few: bool) -> DataFrame:
    """Per kontakt id of `ids` (matching.keys.Keys) found in the register (`versions`: every report
    version): its first report and the report time of its deletion if it was deleted by `as_of`.
    `few`: a frame `ids` is broadcast to the versions."""
    at = F.lit(as_of)
    by_k = (
        among(versions["kontakt"].select("kontakt_id", "reported_at", "deleted"), "kontakt_id", ids, broadcast=few)
        .groupBy("kontakt_id")
        .agg(
            F.min("reported_at").alias("first_reported"),
            F.max(F.when(F.col("reported_at") <= at, F.struct("reported_at", "deleted"))).alias("_newest"),
        )
    )
    return by_k.select(
        "kontakt_id",
        "first_reported",
        F.when(F.col("_newest.deleted"), F.col("_newest.reported_at")).alias("deleted_at"),
    )


def later_key(field: Column, value: Column) -> Column:
    """The key of LATER: the field's name and its value."""
    return F.concat(field, F.lit("="), value)


def later_versions(versions: dict[str, DataFrame], as_of: dt.datetime) -> DataFrame:
    """Per kontakt id with a report after `as_of` (`versions`: every report version): `later`
    (LATER), the first report after it of each value its contact fields and its aktionsdiagnose
    took. Few at a closing day's as-of time. A map, so that a difference looks its value up in
    one step on the hot path (a search of the versions there doubled the first pass's generated
    code)."""
    at = F.lit(as_of)
    fields = [F.struct(F.lit(f).alias("field"), shown(f, F.col(f)).alias("value")) for f in KONTAKT_FIELDS]
    k = (
        versions["kontakt"]
        .where(F.col("reported_at") > at)
        .select("kontakt_id", "reported_at", F.explode(F.array(*fields)).alias("v"))
    )
    a = (
        versions["diagnose"]
        .where((F.col("role") == "A") & (F.col("reported_at") > at) & ~F.col("deleted"))
        .select(
            "kontakt_id",
            "reported_at",
            F.struct(F.lit("aktionsdiagnose").alias("field"), F.col("code").alias("value")).alias("v"),
        )
    )
    first = (
        k.unionByName(a)
        .where(F.col("v.value").isNotNull())
        .groupBy("kontakt_id", "v.field", "v.value")
        .agg(F.min("reported_at").alias("first"))
    )
    entry = F.struct(later_key(F.col("field"), F.col("value")), iso(F.col("first")))
    return first.groupBy("kontakt_id").agg(F.map_from_entries(F.collect_list(entry)).cast(LATER).alias("later"))


def error_rules(errors: DataFrame) -> DataFrame:
    """Per contact on the error list (the contact itself or an object hanging on it): its rule ids."""
    contact = F.when(F.col("object_type") == "kontakt", F.col("object_id")).otherwise(F.col("parent_id"))
    return (
        errors.select(contact.alias("kontakt_id"), "rule_id")
        .where(F.col("kontakt_id").isNotNull())
        .groupBy("kontakt_id")
        .agg(F.array_sort(F.collect_set("rule_id")).alias("error_rules"))
    )


def only_region_reason(as_of: dt.datetime | None, has_register: bool) -> tuple[Column, Column]:
    """(reason, detail) of a row only in the region; reads dup_of, near_patient and the lookup
    columns first_reported, deleted_at, found (the id is in the register)."""
    at = F.lit(as_of) if as_of else F.lit(None).cast("timestamp")
    cases = [
        (F.col("dup_of").isNotNull(), "duplicate", F.concat(F.lit("the same contact as row "), F.col("dup_of"))),
        (
            F.col("near_patient").isNotNull(),
            "different_patient",
            F.concat(F.lit("national contact "), F.col("near_patient"), F.lit(" at the same unit and time")),
        ),
    ]
    if has_register:
        cases += [
            (~F.col("found"), "not_reported", F.lit("no report of it in the register")),
            (
                F.col("first_reported") > at,
                "late",
                F.concat(F.lit("first reported "), iso(F.col("first_reported"))),
            ),
            (
                F.col("deleted_at").isNotNull(),
                "deleted",
                F.concat(F.lit("deleted, reported "), iso(F.col("deleted_at"))),
            ),
            (F.lit(True), "unknown", F.lit("in the register at the as-of time, not in the national data")),
        ]
    else:
        cases.append((F.lit(True), "unknown", F.lit("no register to look in")))
    return _first(cases)


def only_national_reason(year: int) -> tuple[Column, Column]:
    """(reason, detail) of a national contact the region does not have."""
    start_year = F.year(local_date(F.col("n_start_time")))
    return _first(
        [
            (
                F.col("near_patient").isNotNull(),
                "different_patient",
                F.concat(F.lit("region row "), F.col("near_patient"), F.lit(" at the same unit and time")),
            ),
            (
                start_year.isNotNull() & (start_year != year),
                "other_year",
                F.concat(F.lit("starts in "), start_year.cast("string")),
            ),
            (F.lit(True), "unknown", F.lit("not in the region's extract")),
        ]
    )


def _first(cases: list[tuple[Column, str, Column]]) -> tuple[Column, Column]:
    reason: Column | None = None
    detail: Column | None = None
    for cond, name, text in reversed(cases):
        reason = F.when(cond, F.lit(name)) if reason is None else F.when(cond, F.lit(name)).otherwise(reason)
        detail = F.when(cond, text) if detail is None else F.when(cond, text).otherwise(detail)
    assert reason is not None and detail is not None
    return reason, detail


def explanation(field: str, region: Column) -> tuple[Column, Column]:
    """(reason, detail) of a difference in `field` whose region value (as shown) is `region`
    (reads n_status, n_course_kind, n_end_time, later, error_rules)."""
    cases: list[tuple[Column, str, Column]] = []
    if field == "patient":
        cases.append((F.lit(True), "different_patient", F.lit("the national contact has another patient")))
    if field in (*KONTAKT_FIELDS, "aktionsdiagnose"):
        late = F.col("later")[later_key(F.lit(field), region)]  # null where no later version has it
        cases.append((late.isNotNull(), "late", F.concat(F.lit("the region's value reported "), late)))
    if field in GROUP_FIELDS:
        cases += [
            (F.col("n_status") == "open", "open", F.lit("no end nationally: not grouped")),
            (F.col("n_status") == "not_activity", "not_activity", F.lit("not activity: not grouped")),
            (
                F.col("n_course_kind").isin("psychiatric", "hospice"),
                "outside_drg",
                F.concat(F.col("n_course_kind"), F.lit(": valued outside DRG")),
            ),
        ]
    if field == "end_time":
        cases.append((F.col("n_end_time").isNull(), "open", F.lit("no end nationally")))
    rules = F.coalesce(F.col("error_rules"), F.array().cast("array<string>"))
    cases += [
        (F.size(rules) > 0, "has_errors", F.concat(F.lit("on the error list: "), F.array_join(rules, ", "))),
        (F.lit(True), "unknown", F.lit(None).cast("string")),
    ]
    return _first(cases)
