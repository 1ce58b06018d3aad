"""Frames of procedures (read by expectations/rules/procedures.py)."""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from expectations.frames.base import Frame, Lookups, code_rows, std


def _procedure_std(df: DataFrame) -> DataFrame:
    return std(
        df,
        object_id="procedure_id",
        fe=F.col("forloebselement_id"),
        unit=F.col("producer_unit"),
        month=F.col("start_time"),
        reporter=F.col("fe_reporter"),
        fe_start=F.col("fe_start"),
        c_start=F.col("k_start"),
        c_end=F.col("k_end"),
        parent=F.col("kontakt_id"),
    )


def procedure_base(look: Lookups) -> DataFrame:
    """Each procedure with its contact context (k_*; none for a procedure on the forløbselement), its
    forløbselement (fe_start, fe_end, fe_reporter, fe_unit), its producer unit (producer__from, producer__to,
    producer__gaps, producer__psych, producer__hospital), its payment's period (pay_id, pay_start, pay_end) and
    codes code__from, code__to, code__gaps, code__lists, side__from, side__to, side__gaps, side__lists,
    action__from, action__to, action__gaps, action__lists (of its action_spec), contrast__from, contrast__to,
    contrast__gaps, contrast__lists, indication__from, indication__to, indication__gaps, indication__lists,
    personnel__from, personnel__to, personnel__gaps, personnel__lists."""
    p = look.r["procedure"]
    ctx = look.contact_context().drop("fe_start", "fe_end", "fe_reporter", "fe_unit")
    p = p.join(ctx, p["kontakt_id"] == F.col("k_id"), "left")
    p = p.join(look.fe_base(), p["forloebselement_id"] == F.col("fe_id"), "left")
    p = look.unit(p, "producer_unit", "producer")
    pay = look.r["betalingsoplysning"].select(
        F.col("betalingsoplysning_id").alias("pay_id"),
        F.col("start_time").alias("pay_start"),
        F.col("end_time").alias("pay_end"),
    )
    p = p.join(pay, p["betalingsoplysning_id"] == pay["pay_id"], "left")
    return look.codes(
        p,
        {
            "code": "code",
            "side": "side",
            "action_spec": "action",
            "contrast": "contrast",
            "indication": "indication",
            "personnel": "personnel",
        },
    )


def procedure_frame(p: DataFrame) -> Frame:
    """Frame `procedure`: `procedure_base` with the standard columns."""
    return Frame("procedure", "procedure", _procedure_std(p))


def procedure_codes_frame(look: Lookups, p: DataFrame) -> Frame:
    """Frame `procedure_codes`: one row per add-on (code_kind T) or indication add-on (I) code `x`
    of a procedure, with x__from, x__to, x__gaps, x__lists."""
    keep = [
        "procedure_id",
        "kontakt_id",
        "forloebselement_id",
        "producer_unit",
        "start_time",
        "fe_reporter",
        "fe_start",
        "k_start",
        "k_end",
        "indication",
        "reported_at",
        "region",
    ]
    base = code_rows(p, keep, {"T": "addon_codes", "I": "indication_addons"})
    return Frame("procedure_codes", "procedure", _procedure_std(look.codes(base, {"x": "x"})))
