"""The contact frame (read by expectations/rules/contacts.py)."""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from expectations.frames.base import Frame, Lookups, std


def kontakt_frame(look: Lookups, d_agg: DataFrame, o_agg: DataFrame, p_agg: DataFrame) -> Frame:
    """Frame `kontakt`: each contact with its forløbselement (fe_start, fe_end, fe_reporter, fe_unit), unit
    (unit__from, unit__to, unit__gaps, unit__psych, unit__hospital), type (type__from, type__to, type__gaps,
    type__lists), priority__from, priority__to, priority__gaps, priority__lists, reason__from, reason__to,
    reason__gaps, reason__lists, its henvisning's time (h_time), the diagnosis aggregates `d_agg` (a_*, b_*),
    the opholdsadresse and payment interval aggregates (o_n, o_starts, o_ends, o_tiling_broken; p_n, p_starts,
    p_ends, p_tiling_broken), and whether an interval starts or ends with the contact (o_start_eq, o_end_eq,
    p_start_eq, p_end_eq; null when none does or can)."""
    k = look.r["kontakt"]
    ctx = look.contact_context().select(
        "k_id",
        "fe_start",
        "fe_end",
        "fe_reporter",
        "fe_unit",
        *[F.col(f"ku__{a}").alias(f"unit__{a}") for a in ("from", "to", "gaps", "psych", "hospital", "known")],
        *[F.col(f"ktype__{a}").alias(f"type__{a}") for a in ("from", "to", "gaps", "lists")],
    )
    k = k.join(ctx, k["kontakt_id"] == ctx["k_id"], "left").drop("k_id")
    k = look.codes(k, {"priority": "priority", "reason": "reason"})
    h = look.r["henvisning"].select(F.col("henvisning_id").alias("h_id"), F.col("time").alias("h_time"))
    k = k.join(h, k["henvisning_id"] == h["h_id"], "left")
    k = k.join(d_agg, k["kontakt_id"] == d_agg["agg_kontakt_id"], "left")
    k = k.join(o_agg, k["kontakt_id"] == o_agg["o_kontakt_id"], "left")
    k = k.join(p_agg, k["kontakt_id"] == p_agg["p_kontakt_id"], "left")
    k = k.fillna(0, subset=["a_count", "o_n", "p_n", "b_primkraeft_n"])
    k = k.select(
        "*",
        *[
            F.array_contains(f"{x}_{side}s", F.col(t)).alias(f"{x}_{side}_eq")
            for x in ("o", "p")
            for side, t in (("start", "start_time"), ("end", "end_time"))
        ],
    )
    df = std(
        k,
        object_id="kontakt_id",
        fe=F.col("forloebselement_id"),
        unit=F.col("responsible_unit"),
        month=F.col("start_time"),
        reporter=F.col("fe_reporter"),
        fe_start=F.col("fe_start"),
        c_start=F.col("start_time"),
        c_end=F.col("end_time"),
    )
    return Frame("kontakt", "kontakt", df)
