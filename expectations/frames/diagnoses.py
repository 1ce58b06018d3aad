"""Frames of diagnoses (read by expectations/rules/diagnoses.py) and the per-contact diagnosis
aggregates the contact frame joins (read by expectations/rules/contacts.py)."""

from __future__ import annotations

import re

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from expectations import columns as C
from expectations.frames.base import Frame, Lookups, code_rows, contact_child

# code list → flag column on a diagnosis: its code is on the list at some time in the contact
WITHIN_FLAGS = {
    "diag": "f_diag",
    "diag.lateral": "f_lateral",
    "diag.foedbarn": "f_foedbarn",
    "diag.foedmor": "f_foedmor",
    "diag.ydreaarsag": "f_ydre",
    "diag.metastase": "f_metastase",
    "diag.primkraeft": "f_primkraeft",
    "diag.lokalrecidiv": "f_lokalrecidiv",
    "diag.foedbarn.vital": "f_foedbarn_vital",
    "diag.foedbarn.doed": "f_foedbarn_doed",
    "diag.foedmor.samraad": "f_foedmor_samraad",
    "diag.abort.samraad": "f_abort_samraad",
}
# ... and at the contact's start
AT_START_FLAGS = {"diag.doed": "f_doed_at_start"}


def with_flags(d: DataFrame, names: frozenset[str] | None = None) -> DataFrame:
    """The diagnosis flags (all, or those named) of rows carrying code__lists, k_start, k_end."""
    flags = [
        C.in_list_within("code", lst, "k_start", "k_end").alias(name)
        for lst, name in WITHIN_FLAGS.items()
        if names is None or name in names
    ]
    flags += [
        C.in_list_at("code", lst, "k_start").alias(name)
        for lst, name in AT_START_FLAGS.items()
        if names is None or name in names
    ]
    return d.select("*", *flags)


def diagnose_base(look: Lookups) -> DataFrame:
    """Each diagnosis with its contact context, code lookups (code__from, code__to, code__gaps, code__lists,
    art__from, art__to, art__gaps, art__lists, side__from, side__to, side__gaps, side__lists) and flags (f_*)."""
    d = look.r["diagnose"]
    d = d.join(look.contact_context(), d["kontakt_id"] == F.col("k_id"), "left")
    d = look.codes(d, {"code": "code", "art": "art", "side": "side"})
    return with_flags(d)


def aggregate_columns(over: Window | None = None) -> dict[str, Column]:
    """Per contact: what its aktionsdiagnose (a_*) and bidiagnoser (b_*) are, for contact-level
    rules; aggregates, or window functions `over` the contact."""
    a, b = F.col("role") == "A", F.col("role") == "B"

    def agg(c: Column) -> Column:
        return c if over is None else c.over(over)

    def any_(cond: Column) -> Column:
        return agg(F.max(F.when(cond, 1).otherwise(0))).cast("boolean")

    return {
        "a_count": agg(F.sum(F.when(a, 1).otherwise(0))),
        "a_primkraeft": any_(a & F.col("f_primkraeft")),
        "a_metastase": any_(a & F.col("f_metastase")),
        "a_lokalrecidiv": any_(a & F.col("f_lokalrecidiv")),
        "a_doed": any_(a & F.col("f_doed_at_start")),
        "a_foedmor": any_(a & F.col("f_foedmor")),
        "a_foedbarn_vital": any_(a & F.col("f_foedbarn_vital")),
        "a_foedbarn_doed": any_(a & F.col("f_foedbarn_doed")),
        "a_foedmor_samraad": any_(a & F.col("f_foedmor_samraad")),
        "b_primkraeft_n": agg(F.sum(F.when(b & F.col("f_primkraeft"), 1).otherwise(0))),
        "b_abort_samraad": any_(b & F.col("f_abort_samraad")),
    }


def diagnose_aggregates(look: Lookups) -> DataFrame:
    """One row per contact with diagnoses: agg_kontakt_id and the columns of `aggregate_columns`.

    Only the count of aktionsdiagnoser needs every diagnosis; the other aggregates are true only
    for codes on one of their code lists, so only diagnoses with such a code (a broadcast
    semi-join on the code table) are joined with their contact and flagged.
    """
    d = look.r["diagnose"].where(F.col("kontakt_id").isNotNull())
    counts = d.groupBy(F.col("kontakt_id").alias("agg_kontakt_id")).agg(
        F.sum(F.when(F.col("role") == "A", 1).otherwise(0)).alias("a_count")
    )
    columns = {n: c for n, c in aggregate_columns().items() if n != "a_count"}
    # the flags those aggregates read (a flag missed here would fail analysis, not pass silently)
    used = frozenset(f for c in columns.values() for f in re.findall(r"\bf_\w+\b", str(c)))
    lists = [lst for lst, n in {**WITHIN_FLAGS, **AT_START_FLAGS}.items() if n in used]
    listed = look.code_info.where(F.arrays_overlap(F.map_keys("lists"), F.array(*map(F.lit, lists)))).select(
        F.col("code").alias("listed_code")
    )
    sub = d.join(F.broadcast(listed), d["code"] == F.col("listed_code"), "left_semi")
    sub = sub.join(
        look.contact_context().select("k_id", "k_start", "k_end"), F.col("kontakt_id") == F.col("k_id"), "left"
    )
    sub = with_flags(look.codes(sub, {"code": "code"}), used)
    flagged = sub.groupBy(F.col("kontakt_id").alias("flag_kontakt_id")).agg(*[c.alias(n) for n, c in columns.items()])
    return counts.join(flagged, counts["agg_kontakt_id"] == flagged["flag_kontakt_id"], "left").drop("flag_kontakt_id")


def diagnose_frame(d: DataFrame) -> Frame:
    """Frame `diagnose`: `diagnose_base` plus its contact's `aggregate_columns`, taken over a window
    on the contact: `d` is already partitioned and sorted by contact after its join, so this costs
    no second pass."""
    per_contact = Window.partitionBy("kontakt_id")
    aggs = [c.alias(n) for n, c in aggregate_columns(per_contact).items()]
    return Frame("diagnose", "diagnose", contact_child(d.select("*", *aggs), "diagnose_id"))


def diagnose_codes_frame(look: Lookups, d: DataFrame) -> Frame:
    """Frame `diagnose_codes`: one row per add-on (code_kind T), metastasis (M) or local-recurrence
    (L) code `x` of a diagnosis, with x__from, x__to, x__gaps, x__lists and the primary code's validity
    primary__from, primary__to, primary__gaps."""
    keep = [
        "diagnose_id",
        "kontakt_id",
        "k_fe_id",
        "k_unit",
        "k_start",
        "k_end",
        "fe_reporter",
        "fe_start",
        "reported_at",
        "region",
        F.col("code__from").alias("primary__from"),
        F.col("code__to").alias("primary__to"),
    ]
    base = code_rows(d, keep, {"T": "addon_codes", "M": "metastases", "L": "local_recurrences"})
    return Frame("diagnose_codes", "diagnose", contact_child(look.codes(base, {"x": "x"}), "diagnose_id"))
