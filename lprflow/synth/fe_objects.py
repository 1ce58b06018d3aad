"""What hangs on a forløbselement itself: its reports (open first, closed last), its referral,
and for cancer forløbselementer the markers and a procedure with
its own betalingsoplysning; all derived from the forløbselement's contacts. (Result reports come
from lprflow/synth/result_reports.py, once the register's objects are final.)"""

from __future__ import annotations

from dataclasses import dataclass

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from lprflow.synth.contacts import has_referral, henvisning_id
from lprflow.synth.context import DAY, MINUTE, Context, map_of, ts
from lprflow.synth.injections import FE, assign, mutate, truth_rows

EMPTY = "array<string>"


@dataclass
class FeObjects:
    tables: dict[str, DataFrame]  # forloebselement, henvisning, forloebsmarkoer
    procedures: DataFrame  # procedures directly on a forløbselement (appended to the procedure table)
    payments: DataFrame  # their betalingsoplysninger (appended to that table)
    first_report: DataFrame  # per patient (pidx): the time of the first report about them
    truth: DataFrame


def _end_mode(ctx: Context) -> Column:
    codes, em = ctx.cfg.codes, ctx.cfg.end_modes
    u = ctx.d.u("endm", F.col("fidx"))
    return (
        F.when(F.col("fe_kind") == "hospice", F.when(u < em.hospice_death, codes.end_death).otherwise(codes.end_home))
        .when(u < em.death, codes.end_death)
        .when(u < em.death + em.other_hospital, codes.end_hospital)
        .otherwise(codes.end_home)
    )


def _forloebselement_rows(ctx: Context, agg: DataFrame) -> DataFrame:
    codes = ctx.cfg.codes
    closed = F.col("open") == 0
    labels = codes.labels
    label = F.coalesce(
        map_of({k: getattr(labels, k) for k in ("cancer", "birth", "chronic", "psychiatric")})[F.col("fe_kind")],
        F.lit(labels.other),
    )
    m = mutate("forloebselement", ctx, {"label": label, "end_mode": F.when(closed, _end_mode(ctx))})
    base = [
        ctx.oid("forloebselement", "fidx").alias("forloebselement_id"),
        ctx.oid("patient", "pidx").alias("patient_id"),
        ts(F.col("anchor_s")).alias("start_time"),
    ]
    tail = [F.col("c0.unit").alias("responsible_unit"), m["label"].alias("label")]
    has_ref = F.col("ref_fidx").isNotNull()
    refs = [
        henvisning_id(ctx).alias("henvisning_id"),
        F.when(has_ref, ctx.oid("forloebselement", "ref_fidx")).alias("reference_id"),
        F.when(has_ref, F.lit(codes.reference_type)).alias("reference_type"),
        "reporter_type",
    ]
    final = agg.select(
        *base,
        ts(F.when(closed, F.col("max_end"))).alias("end_time"),
        *tail,
        m["end_mode"].alias("end_mode"),
        *refs,
        ts(F.col("last_rep")).alias("reported_at"),
        F.lit(False).alias("deleted"),
    )
    first = agg.where(F.col("first_rep") < F.col("last_rep")).select(
        *base,
        F.lit(None).cast("timestamp").alias("end_time"),
        *tail,
        F.lit(None).cast("string").alias("end_mode"),
        *refs,
        ts(F.col("first_rep")).alias("reported_at"),
        F.lit(False).alias("deleted"),
    )
    return final.unionByName(first)


def _henvisninger(ctx: Context, agg: DataFrame) -> DataFrame:
    codes, ref = ctx.cfg.codes, ctx.cfg.referrals
    f = F.col("fidx")
    days = ref.days_before[0] + ctx.d.below("hd", ref.days_before[1] - ref.days_before[0], f)
    m = mutate("henvisning", ctx, {"anchor_s": F.col("anchor_s"), "time": F.col("anchor_s") - days * DAY})
    method = ctx.d.choose("hm", codes.referral_methods, f)
    return agg.where(F.col("has_ref")).select(
        ctx.oid("henvisning", "fidx").alias("henvisning_id"),
        ctx.oid("patient", "pidx").alias("patient_id"),
        ts(m["time"]).alias("time"),
        F.col("c0.code_a").alias("reason_code"),
        F.array().cast(EMPTY).alias("reason_addons"),
        method.alias("method"),
        F.lit(codes.free_choice).alias("free_choice"),
        F.when(method == codes.referral_by_unit, F.col("c0.unit")).alias("referring_unit"),
        ts(F.col("first_rep")).alias("reported_at"),
        F.lit(False).alias("deleted"),
    )


def _cancer_objects(ctx: Context, cancer: DataFrame) -> dict[str, DataFrame]:
    """Markers: the start of the forløb and of the treatment."""
    codes = ctx.cfg.codes
    fe_id = ctx.oid("forloebselement", "fidx")
    marker = [
        F.struct(F.lit(0).alias("m"), F.lit(codes.markers[0]).alias("code"), F.col("anchor_s").alias("t")),
        F.struct(F.lit(1).alias("m"), F.lit(codes.markers[1]).alias("code"), F.col("c1.start_s").alias("t")),
    ]
    markers = cancer.select("fidx", "last_rep", F.explode(F.array(*marker)).alias("x")).select(
        ctx.oid("forloebsmarkoer", "fidx", "x.m").alias("forloebsmarkoer_id"),
        fe_id.alias("forloebselement_id"),
        F.col("x.code").alias("code"),
        ts(F.col("x.t")).alias("time"),
        ts(F.col("last_rep")).alias("reported_at"),
        F.lit(False).alias("deleted"),
    )
    return {"forloebsmarkoer": markers}


def _fe_procedure(ctx: Context, cancer: DataFrame) -> tuple[DataFrame, DataFrame]:
    """A control directly on a closed cancer forløbselement, paid by its own betalingsoplysning."""
    cfg, codes = ctx.cfg, ctx.cfg.codes
    fe_id = ctx.oid("forloebselement", "fidx")
    at = F.col("anchor_s") + cfg.fe_procedure.after_days * DAY
    fe_proc = cancer.where(F.col("open") == 0).select(
        "fidx", "last_rep", "c0", at.alias("ps"), (at + cfg.fe_procedure.minutes * MINUTE).alias("pe")
    )
    pay_id = ctx.oid("betalingsoplysning:forloebselement", "fidx")
    procedures = fe_proc.select(
        ctx.oid("procedure:forloebselement", "fidx").alias("procedure_id"),
        fe_id.alias("forloebselement_id"),
        F.lit(None).cast("string").alias("kontakt_id"),
        F.lit(cfg.control).alias("code"),
        F.array().cast(EMPTY).alias("addon_codes"),
        ts(F.col("ps")).alias("start_time"),
        ts(F.col("pe")).alias("end_time"),
        F.col("c0.unit").alias("producer_unit"),
        F.lit(None).cast("string").alias("side"),
        F.lit(None).cast("string").alias("action_spec"),
        F.lit(None).cast("string").alias("contrast"),
        F.lit(None).cast("string").alias("indication"),
        F.array().cast(EMPTY).alias("indication_addons"),
        F.lit(None).cast("string").alias("personnel"),
        pay_id.alias("betalingsoplysning_id"),
        ts(F.col("last_rep")).alias("reported_at"),
        F.lit(False).alias("deleted"),
    )
    payments = fe_proc.select(
        pay_id.alias("betalingsoplysning_id"),
        fe_id.alias("forloebselement_id"),
        F.lit(None).cast("string").alias("kontakt_id"),
        ts(F.col("ps")).alias("start_time"),
        ts(F.col("pe")).alias("end_time"),
        F.lit(codes.agreement).alias("agreement"),
        F.lit(codes.payer).alias("payer"),
        F.lit(codes.specialisation[0]).alias("specialisation_level"),
        ts(F.col("last_rep")).alias("reported_at"),
        F.lit(False).alias("deleted"),
    )
    return procedures, payments


def fe_objects(ctx: Context, ct: DataFrame) -> FeObjects:
    """Everything on the forløbselementer of the contacts `ct` (with report times)."""
    agg = ct.groupBy("fidx", "pidx", "fe_kind", "reporter_type", "anchor_s", "ref_fidx", "hosp").agg(
        F.min(F.coalesce("adm_rep_s", "rep_s")).alias("first_rep"),
        F.max("rep_s").alias("last_rep"),
        F.max("end_s").alias("max_end"),
        F.max(F.col("contact_open").cast("int")).alias("open"),
        F.min(F.struct("j", "unit", "code_a", "start_s", "end_s")).alias("c0"),
        F.max(F.when(F.col("j") == 1, F.struct("start_s", "end_s", "cidx"))).alias("c1"),
    )
    agg = agg.withColumn("has_ref", has_referral(ctx))
    agg = assign(ctx, FE, agg, "fidx").persist()
    cancer = agg.where((F.col("fe_kind") == "cancer") & F.col("c1").isNotNull())
    procedures, payments = _fe_procedure(ctx, cancer)
    ids = {
        "forloebselement_id": ctx.oid("forloebselement", "fidx"),
        "henvisning_id": ctx.oid("henvisning", "fidx"),
    }
    return FeObjects(
        tables={
            "forloebselement": _forloebselement_rows(ctx, agg),
            "henvisning": _henvisninger(ctx, agg),
            **_cancer_objects(ctx, cancer),
        },
        procedures=procedures,
        payments=payments,
        first_report=agg.groupBy("pidx").agg(F.min("first_rep").alias("first_rep")),
        truth=truth_rows("forloebselement", agg, ids),
    )
