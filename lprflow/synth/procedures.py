"""Procedures on contacts: an operation or treatment (k = 1), færdigbehandlet days (k = 2) and a
second examination (k = 3), chosen by setting and diagnosis; a few deleted after being reported."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from lprflow.synth.context import DAY, Context, map_of, ts
from lprflow.synth.injections import mutate, truth

EMPTY = "array<string>"


def _proc(n: int, code: Column, start: Column, end: Column, contrast=None, indication=None) -> Column:
    return F.struct(
        F.lit(n).alias("k"),
        code.alias("code"),
        start.alias("ps"),
        end.alias("pe"),
        (contrast if contrast is not None else F.lit(None).cast("string")).alias("contrast"),
        (indication if indication is not None else F.lit(None).cast("string")).alias("indication"),
    )


def _first_procedure(ctx: Context) -> Column:
    cfg, d, sh = ctx.cfg, ctx.d, ctx.cfg.procedure_shares
    cidx, s, k = F.col("cidx"), F.col("setting"), F.col("fe_kind")
    op = map_of(cfg.procedures)[F.col("code_a")]
    outpatient_op = F.lit(False)
    for code, share in cfg.outpatient_surgery.items():
        outpatient_op = outpatient_op | ((F.col("code_a") == code) & (d.u("eye", cidx) < share))
    surgery = op.isNotNull() & ((s == "inpatient") | outpatient_op)
    return (
        F.when(surgery, op)
        .when((s == "er") & (d.u("img", cidx) < sh.er_imaging), d.choose("imgc", cfg.imaging, cidx))
        .when((s == "er") & (d.u("img", cidx) < sh.er_imaging_or_contrast), F.lit(cfg.contrast_imaging))
        .when(
            (k == "cancer") & (s == "outpatient") & (F.col("j") >= cfg.chemotherapy_from_contact),
            F.lit(cfg.chemotherapy),
        )
        .when(k == "rehab", d.choose("gen", cfg.rehab_procedures, "fidx"))
        .when(F.col("psych") & (s == "outpatient") & (d.u("pt", cidx) < sh.psychotherapy), F.lit(cfg.psychotherapy))
        .when((s == "outpatient") & (d.u("ctl", cidx) < sh.control), F.lit(cfg.control))
        .when((s == "inpatient") & (F.col("chronic_kind") == "copd") & (k == "chronic"), F.lit(cfg.oxygen))
    )


def _procedure_structs(ctx: Context) -> Column:
    cfg, d, sh = ctx.cfg, ctx.d, ctx.cfg.procedure_shares
    cidx, s = F.col("cidx"), F.col("setting")
    dur = F.col("end_s") - F.col("start_s")
    p_start = F.col("start_s") + F.floor(dur * cfg.procedure_span[0])
    p_end = F.col("start_s") + F.floor(dur * cfg.procedure_span[1])
    first = _first_procedure(ctx)
    p1 = _proc(
        1,
        first,
        p_start,
        p_end,
        F.when(first == cfg.contrast_imaging, F.lit(cfg.contrast_code)),
        F.when(first == cfg.chemotherapy, F.col("code_a")),
    )
    fb_cfg = cfg.faerdigbehandlet
    fb = (s == "inpatient") & (F.col("los") >= fb_cfg.min_los) & (d.u("fb", cidx) < fb_cfg.share)
    fb_days = 1 + d.below("fbd", F.least(F.col("los") - fb_cfg.treated_days, F.lit(fb_cfg.max_days)), cidx)
    p2 = _proc(2, F.lit(cfg.faerdigbehandlet_code), F.col("end_s") - fb_days * DAY, F.col("end_s"))
    second = F.when(
        s.isin("inpatient", "er") & (d.u("p3", cidx) < sh.second_inpatient_imaging), d.choose("p3c", cfg.imaging, cidx)
    ).when((s == "outpatient") & (d.u("p3", cidx) < sh.second_outpatient_control), F.lit(cfg.control))
    p3 = _proc(3, second, p_start, p_end)
    arr = F.filter(
        F.array(F.when(first.isNotNull(), p1), F.when(fb, p2), F.when(second.isNotNull(), p3)),
        lambda x: x.isNotNull(),
    )
    return F.when(F.col("end_s").isNotNull() & (s != "diagreport"), arr)


def procedures(ctx: Context, ct: DataFrame) -> tuple[DataFrame, DataFrame]:
    """(the procedure table's contact procedures, their ground truth)."""
    cfg = ctx.cfg
    keep = ["cidx", "fidx", "unit", "rep_s", "inj", "start_s"]
    x = ct.select(*keep, F.explode(_procedure_structs(ctx)).alias("x")).select(*keep, "x.*")
    x = x.withColumn("procedure_id", ctx.oid("procedure", "cidx", "k"))
    lateral = F.col("code").isin(*ctx.lateral_proc)
    cols = {c: F.col(c) for c in x.columns}
    cols.update(
        lateral=lateral,
        start=F.col("ps"),
        end=F.col("pe"),
        side=F.when(lateral, ctx.d.choose("pside", cfg.sides, "cidx")),
    )
    m = mutate("procedure", ctx, cols)
    found = truth("procedure", cols)
    x = x.select("*", found.alias("_truth"))
    rows = x.select(
        "procedure_id",
        ctx.oid("forloebselement", "fidx").alias("forloebselement_id"),
        ctx.oid("kontakt", "cidx").alias("kontakt_id"),
        "code",
        F.array().cast(EMPTY).alias("addon_codes"),
        ts(m["start"]).alias("start_time"),
        ts(m["end"]).alias("end_time"),
        F.col("unit").alias("producer_unit"),
        m["side"].alias("side"),
        F.lit(None).cast("string").alias("action_spec"),
        "contrast",
        "indication",
        F.array().cast(EMPTY).alias("indication_addons"),
        F.lit(None).cast("string").alias("personnel"),
        F.lit(None).cast("string").alias("betalingsoplysning_id"),
        ts(F.col("rep_s")).alias("reported_at"),
        F.lit(False).alias("deleted"),
        (F.size("_truth") > 0).alias("_injected"),
    )
    truth_df = x.select(F.explode("_truth").alias("t")).select("t.*")
    cor = cfg.corrections
    # a few procedures are deleted after being reported (wrongly registered); never an injected one
    deleted = (
        rows.where((ctx.d.u("pdel", F.col("procedure_id")) < cor.procedure_deleted) & ~F.col("_injected"))
        .withColumn("reported_at", F.col("reported_at") + F.expr(f"INTERVAL {cor.procedure_deleted_after_days} DAYS"))
        .withColumn("deleted", F.lit(True))
    )
    return rows.unionByName(deleted).drop("_injected"), truth_df
