"""Frames of results and result reports (read by expectations/rules/results.py and, for the
report triggered by a procedure, expectations/rules/procedures.py)."""

from __future__ import annotations

from pyspark.sql import functions as F

from expectations.frames.base import Frame, Lookups, std


def resultat_frame(look: Lookups) -> Frame:
    """Frame `resultat`: each result with its report (ri_fe_id, trigger_type, cause_start_time,
    cause_end_time, ri_name), the report's forløbselement (fe_*) and type__*."""
    r = look.r["resultat"]
    ri = look.r["resultatindberetning"].select(
        F.col("resultatindberetning_id").alias("ri_id"),
        F.col("forloebselement_id").alias("ri_fe_id"),
        F.col("trigger_type"),
        F.col("cause_start_time"),
        F.col("cause_end_time"),
        F.col("name").alias("ri_name"),
    )
    r = r.join(ri, r["resultatindberetning_id"] == ri["ri_id"], "left")
    r = r.join(look.fe_base(), r["ri_fe_id"] == F.col("fe_id"), "left")
    r = look.codes(r, {"type": "type"})
    df = std(
        r,
        object_id="resultat_id",
        fe=F.col("ri_fe_id"),
        unit=F.col("fe_unit"),
        month=F.col("cause_start_time"),
        reporter=F.col("fe_reporter"),
        fe_start=F.col("fe_start"),
        parent=F.col("resultatindberetning_id"),
    )
    return Frame("resultat", "resultat", df)


def result_report_frame(look: Lookups) -> Frame:
    """Frame `result_report`: result reports triggered by a procedure, with that procedure (rp_id,
    rp_code with rpcode__from, rpcode__to, rpcode__gaps, rpcode__lists, rp_kontakt, rp_unit), their results
    (res_items: type and its value's lists) and the contact's bidiagnoser's code lists (b_lists)."""
    ri = look.r["resultatindberetning"].where(F.col("trigger_type") == "procedure")
    proc = look.r["procedure"].select(
        F.col("procedure_id").alias("rp_id"),
        F.col("code").alias("rp_code"),
        F.col("kontakt_id").alias("rp_kontakt"),
        F.col("producer_unit").alias("rp_unit"),
    )
    ri = ri.join(proc, ri["trigger_id"] == proc["rp_id"], "left")
    ri = look.codes(ri, {"rp_code": "rpcode"})
    res = (
        look.codes(look.r["resultat"], {"value": "rvalue"})
        .groupBy(F.col("resultatindberetning_id").alias("res_ri_id"))
        .agg(F.collect_list(F.struct(F.col("type"), F.col("rvalue__lists").alias("lists"))).alias("res_items"))
    )
    ri = ri.join(res, ri["resultatindberetning_id"] == res["res_ri_id"], "left")
    bdiag = (
        look.codes(look.r["diagnose"].where(F.col("role") == "B"), {"code": "bcode"})
        .groupBy(F.col("kontakt_id").alias("b_kontakt"))
        .agg(F.collect_list("bcode__lists").alias("b_lists"))
    )
    ri = ri.join(bdiag, ri["rp_kontakt"] == bdiag["b_kontakt"], "left")
    ri = ri.join(look.fe_base(), ri["forloebselement_id"] == F.col("fe_id"), "left")
    df = std(
        ri,
        object_id="resultatindberetning_id",
        fe=F.col("forloebselement_id"),
        unit=F.col("rp_unit"),
        month=F.col("cause_start_time"),
        reporter=F.col("fe_reporter"),
        fe_start=F.col("fe_start"),
        parent=F.col("rp_kontakt"),
    )
    return Frame("result_report", "resultatindberetning", df)
