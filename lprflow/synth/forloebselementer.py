"""Forløbselementer: their kind, patient, number of contacts and timing (the plan every contact
is cut from), and the readmissions that follow some inpatient stays."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from lprflow.synth.context import DAY, MINUTE, Context, map_of
from lprflow.synth.population import Patients

HOSPITAL_DRAWS = 1000  # a forløbselement's hospital draw; units are picked by it modulo their count
DAYS_IN_YEAR = 365


def draw(ctx: Context, pats: Patients) -> DataFrame:
    """One row per forløbselement (index `fidx`): kind, patient, contacts, gap between them."""
    cfg, d = ctx.cfg, ctx.d
    kinds = cfg.forloebselement_kinds
    n = max(cfg.minimum.forloebselementer, int(cfg.scale_1.forloebselementer * ctx.scale))
    f = F.col("fidx")
    kind = d.weighted("kind", [(k, v.share) for k, v in kinds.items()], f)
    base = ctx.spark.range(n).withColumnRenamed("id", "fidx").withColumn("fe_kind", kind)
    kmin = map_of({k: v.contacts[0] for k, v in kinds.items()})
    kmax = map_of({k: v.contacts[1] for k, v in kinds.items()})
    kgap = map_of({k: v.gap_days for k, v in kinds.items()})
    k = F.col("fe_kind")
    pidx = (
        F.when(k == "chronic", d.below("pat", pats.n_chronic, f))
        .when(k == "birth", pats.n_chronic + d.below("pat", pats.n_mothers, f))
        .otherwise(d.below("pat", pats.n, f))
    )
    return base.select(
        "fidx",
        "fe_kind",
        pidx.alias("pidx"),
        d.between("n", kmin[k], kmax[k], f).cast("int").alias("n_contacts"),
        kgap[k].cast("int").alias("gap"),
        d.below("hosp", HOSPITAL_DRAWS, f).alias("hosp"),
        F.lit(None).cast("long").alias("ref_fidx"),
        F.lit(None).cast("long").alias("anchor_override"),
    )


def plan(ctx: Context, fe: DataFrame) -> DataFrame:
    """Per forløbselement: its anchor time, which contact is an admission (`ip_j`, -1 = none) and
    its length of stay, whether it is acute, open or privately reported."""
    cfg, d = ctx.cfg, ctx.d
    adm, los_cfg, hours = cfg.admissions, cfg.length_of_stay, cfg.planned_hours
    f, k, n = F.col("fidx"), F.col("fe_kind"), F.col("n_contacts")
    ip_j = (
        F.when(k.isin("inpatient", "readmission", "birth", "hospice"), 0)
        .when(k == "cancer", 1)  # the operation follows the diagnostic contact
        .when((k == "chronic") & (d.u("ipc", f) < adm.chronic_last_contact_share), n - 1)
        .when((k == "psychiatric") & (d.u("ipp", f) < adm.psychiatric_first_contact_share), 0)
        .otherwise(-1)
    )
    ul = d.u("los", f)

    def uniform(b) -> Column:
        return b.first + F.floor(ul * b.span)

    def exponential(b) -> Column:
        return F.least(F.lit(b.max), 1 + F.floor(-F.log(1 - ul) * b.mean))

    los = (
        F.when(k == "hospice", uniform(los_cfg.hospice))
        .when(k == "birth", uniform(los_cfg.birth))
        .when(k == "cancer", uniform(los_cfg.cancer))
        .when(k.isin("chronic", "psychiatric"), exponential(los_cfg.chronic_psychiatric))
        .otherwise(exponential(los_cfg.other))
    ).cast("int")
    acute_fe = k.isin("readmission", "birth", "acute_er") | (
        (k == "inpatient") & (d.u("acu", f) < adm.acute_inpatient_share)
    )
    span_days = (n - 1) * F.col("gap") + F.when(ip_j >= 0, los).otherwise(0) + 1
    start_day = d.below("start", F.greatest(F.lit(1), DAYS_IN_YEAR - span_days), f)
    steps_per_day = hours.hours * 60 // hours.step_minutes
    hour = F.when(acute_fe | (k == "chronic") & (ip_j == n - 1), d.below("hr", 24 * 60, f) * MINUTE).otherwise(
        hours.first * 3600 + d.below("hr", steps_per_day, f) * hours.step_minutes * MINUTE
    )
    anchor = F.coalesce(F.col("anchor_override"), ctx.y0 + start_day * DAY + hour)
    return fe.select(
        "*",
        ip_j.cast("int").alias("ip_j"),
        los.alias("los"),
        acute_fe.alias("acute_fe"),
        anchor.alias("anchor_s"),
        (d.u("open", f) < cfg.open_forloebselement_share).alias("open_draw"),
        F.when(d.u("priv", f) < cfg.private_reporter_share, "PRIVATE").otherwise("LPR").alias("reporter_type"),
    )


def readmissions(ctx: Context, ct: DataFrame) -> DataFrame:
    """Acute one-contact forløbselementer 1..max_gap_days after some inpatient stays end,
    referencing the index forløbselement (in the shape of `draw`)."""
    d, adm = ctx.d, ctx.cfg.admissions
    f = F.col("fidx")
    index = ct.where(
        (F.col("fe_kind") == "inpatient")
        & (F.col("j") == 0)
        & F.col("end_s").isNotNull()
        & (d.u("readm", f) < adm.readmission_share)
    )
    return index.select(
        (f + F.lit(ctx.cfg.readmission_index_offset)).alias("fidx"),
        F.lit("readmission").alias("fe_kind"),
        "pidx",
        F.lit(1).alias("n_contacts"),
        F.lit(1).alias("gap"),
        "hosp",
        f.alias("ref_fidx"),
        (
            F.col("end_s")
            + (1 + d.below("rgap", adm.readmission_max_gap_days, f)) * DAY
            + d.below("rhr", 24 * 12, f) * 5 * MINUTE
        ).alias("anchor_override"),
    )
