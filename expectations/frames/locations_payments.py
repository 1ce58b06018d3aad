"""Frames of opholdsadresser and betalingsoplysninger (read by
expectations/rules/locations_payments.py), and their per-contact interval aggregates (joined to
the contact frame)."""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from expectations.frames.base import Frame, Lookups, contact_child, std


def interval_aggregates(df: DataFrame, prefix: str) -> DataFrame:
    """Per contact, from the intervals' own state (no contact join): {prefix}_kontakt_id,
    {prefix}_n (count), {prefix}_starts, {prefix}_ends (tested against the contact's times in the
    contact frame) and {prefix}_tiling_broken (they do not follow each other without gaps)."""
    ivs = F.array_sort(F.collect_list(F.struct(F.col("start_time").alias("s"), F.col("end_time").alias("e"))))
    agg = (
        df.where(F.col("kontakt_id").isNotNull())
        .groupBy(F.col("kontakt_id").alias(f"{prefix}_kontakt_id"))
        .agg(
            F.count(F.lit(1)).alias(f"{prefix}_n"),
            F.collect_list("start_time").alias(f"{prefix}_starts"),
            F.collect_list("end_time").alias(f"{prefix}_ends"),
            ivs.alias("_ivs"),
        )
    )
    broken = F.exists(
        F.sequence(F.lit(1), F.greatest(F.size("_ivs") - 1, F.lit(1))),
        lambda i: (
            (F.size("_ivs") > 1)
            & (
                F.element_at("_ivs", i)["e"].isNull()
                | (F.element_at("_ivs", i + 1)["s"] != F.element_at("_ivs", i)["e"])
            )
        ),
    )
    return agg.select("*", broken.alias(f"{prefix}_tiling_broken")).drop("_ivs")


def ophold_frame(look: Lookups) -> Frame:
    """Frame `opholdsadresse`: each opholdsadresse with its contact context, its unit (u__from, u__to, u__gaps,
    u__psych, u__hospital) and its absence code (absence__from, absence__to, absence__gaps, absence__lists)."""
    o = look.r["opholdsadresse"]
    o = o.join(look.contact_context(), o["kontakt_id"] == F.col("k_id"), "left")
    o = look.codes(look.unit(o, "unit", "u"), {"absence": "absence"})
    return Frame("opholdsadresse", "opholdsadresse", contact_child(o, "opholdsadresse_id"))


def payment_frame(look: Lookups) -> Frame:
    """Frame `betalingsoplysning`: each payment with its contact context (when on a contact), its own
    forløbselement (pfe_id, pfe_reporter, pfe_start, pfe_unit) and codes agreement__from, agreement__to,
    agreement__gaps, agreement__lists, payer__from, payer__to, payer__gaps, payer__lists, speclevel__from,
    speclevel__to, speclevel__gaps, speclevel__lists (of its specialisation_level)."""
    b = look.r["betalingsoplysning"]
    b = b.join(look.contact_context(), b["kontakt_id"] == F.col("k_id"), "left")
    b = b.join(
        look.fe_base().select(
            F.col("fe_id").alias("pfe_id"),
            F.col("fe_reporter").alias("pfe_reporter"),
            F.col("fe_start").alias("pfe_start"),
            F.col("fe_unit").alias("pfe_unit"),
        ),
        b["forloebselement_id"] == F.col("pfe_id"),
        "left",
    )
    b = look.codes(b, {"agreement": "agreement", "payer": "payer", "specialisation_level": "speclevel"})
    df = std(
        b,
        object_id="betalingsoplysning_id",
        fe=F.col("forloebselement_id"),
        unit=F.coalesce("k_unit", "pfe_unit"),
        month=F.coalesce("k_start", "start_time"),
        reporter=F.col("pfe_reporter"),
        fe_start=F.col("pfe_start"),
        c_start=F.col("k_start"),
        c_end=F.col("k_end"),
        parent=F.col("kontakt_id"),
    )
    return Frame("betalingsoplysning", "betalingsoplysning", df)
