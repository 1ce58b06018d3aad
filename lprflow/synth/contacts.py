"""Contacts: each forløbselement's contacts in time order with their setting (inpatient,
outpatient, emergency, virtual, diagnosis report), unit, type, priority and aktionsdiagnose;
the kontakt table (with the open first report of some contacts); and referrals."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from lprflow.synth.context import DAY, HOUR, MINUTE, Context, map_of, ts
from lprflow.synth.injections import mutate


def _setting(ctx: Context, j: Column, inpatient: Column, cidx: Column) -> Column:
    k = F.col("fe_kind")
    return (
        F.when(inpatient, "inpatient")
        .when(k == "acute_er", "er")
        .when(k == "diagreport", "diagreport")
        .when(k == "virtual", "virtual")
        .when(
            k.isin("outpatient", "chronic") & (j > 0) & (ctx.d.u("virt", cidx) < ctx.cfg.virtual_followup_share),
            "virtual",
        )
        .otherwise("outpatient")
    )


def _duration(ctx: Context, setting: Column, cidx: Column) -> Column:
    dur, d = ctx.cfg.durations, ctx.d
    return (
        F.when(
            setting == "inpatient",
            F.col("los") * DAY
            + d.below("xh", dur.inpatient_extra_hours, cidx) * HOUR
            + dur.inpatient_fixed_minutes * MINUTE,
        )
        .when(
            setting == "er", dur.er.fixed * MINUTE + d.below("erd", dur.er.steps, cidx) * dur.er.step_minutes * MINUTE
        )
        .when(setting == "virtual", F.lit(dur.virtual_minutes * MINUTE))
        .when(setting == "diagreport", F.lit(dur.diagreport_minutes * MINUTE))
        .otherwise(
            dur.outpatient.fixed * MINUTE
            + d.below("od", dur.outpatient.steps, cidx) * dur.outpatient.step_minutes * MINUTE
        )
    )


def _aktionsdiagnose(ctx: Context, accident: Column) -> Column:
    """Chosen per forløbselement (the same for all its contacts) from the kind's pool."""
    dx, d, f, k = ctx.cfg.diagnoses, ctx.d, F.col("fidx"), F.col("fe_kind")
    pools = {
        "outpatient": dx.outpatient,
        "virtual": dx.outpatient,
        "diagreport": dx.outpatient,
        "inpatient": dx.inpatient,
        "readmission": dx.inpatient,
        "psychiatric": dx.psychiatric,
        "cancer": dx.cancer,
        "birth": dx.birth,
        "hospice": dx.hospice,
        "rehab": dx.rehab,
    }
    return (
        F.when(
            k == "chronic",
            F.when(F.col("chronic_kind") == "copd", d.choose("dxa", dx.chronic_copd, f)).otherwise(
                d.choose("dxa", dx.chronic_diabetes, f)
            ),
        )
        .when(
            k == "acute_er",
            F.when(accident, d.choose("dxa", dx.acute_injury, f)).otherwise(d.choose("dxa", dx.acute_illness, f)),
        )
        .otherwise(d.choose("dxa", map_of(pools)[k], f))
    )


def _unit(ctx: Context, psych: Column, inpatient: Column, code_a: Column) -> Column:
    by_kind, k, hosp = ctx.cfg.specialty_for_kind, F.col("fe_kind"), F.col("hosp")
    unit = (
        F.when(psych, F.lit(ctx.psych_unit))
        .when(k == "hospice", F.lit(ctx.hospice_unit))
        .when(k == "rehab", ctx.unit(by_kind.rehab, hosp))
        .when(k == "acute_er", ctx.unit(by_kind.acute_er, hosp))
        .when(k == "birth", ctx.unit(by_kind.birth, hosp))
        .when((k == "cancer") & inpatient, ctx.unit(by_kind.cancer_admission, hosp))
        .when(k == "cancer", ctx.unit(by_kind.cancer, hosp))
    )
    for code, spec in ctx.cfg.specialty_for_diagnosis.items():
        unit = unit.when(code_a == code, ctx.unit(spec, hosp))
    return unit.otherwise(ctx.unit(ctx.cfg.default_specialty, hosp))


def contacts(ctx: Context, planned: DataFrame, pats: DataFrame) -> DataFrame:
    """One row per contact (index `cidx`), cut from its forløbselement's plan."""
    cfg, d, codes = ctx.cfg, ctx.d, ctx.cfg.codes
    j = F.col("j")
    rows = planned.join(pats.select("pidx", "chronic_kind"), "pidx", "left").withColumn(
        "j", F.explode(F.sequence(F.lit(0), F.col("n_contacts") - 1))
    )
    f, k = F.col("fidx"), F.col("fe_kind")
    cidx = f * cfg.contact_index_stride + j
    inpatient = j == F.col("ip_j")
    setting = _setting(ctx, j, inpatient, cidx)
    # contacts follow each other; the inpatient stay pushes later contacts by its length
    after_stay = F.when((F.col("ip_j") >= 0) & (j > F.col("ip_j")), F.col("los")).otherwise(0)
    start = F.col("anchor_s") + (j * F.col("gap") + after_stay) * DAY
    # a contact at an odd position may follow the one before on the same day (never one that
    # itself follows, so the one before starts by the plan)
    same_day = cfg.same_day_contacts
    follows = (j % 2 == 1) & k.isin(*same_day.kinds) & (d.u("sameday", cidx) < same_day.share)
    prev_j = j - 1
    prev_setting = _setting(ctx, prev_j, prev_j == F.col("ip_j"), cidx - 1)
    prev_after_stay = F.when((F.col("ip_j") >= 0) & (prev_j > F.col("ip_j")), F.col("los")).otherwise(0)
    prev_start = F.col("anchor_s") + (prev_j * F.col("gap") + prev_after_stay) * DAY
    prev_end = prev_start + _duration(ctx, prev_setting, cidx - 1)
    start = F.when(follows, prev_end + same_day.gap_minutes * MINUTE).otherwise(start)
    last = j == F.col("n_contacts") - 1
    late_start = F.col("anchor_s") >= F.lit(ctx.y0 + cfg.open_from_day * DAY)
    is_open = F.col("open_draw") & late_start & ~k.isin("acute_er", "diagreport")
    psych = k == "psychiatric"
    acute = (
        (inpatient & F.col("acute_fe"))
        | (setting == "er")
        | (inpatient & (k == "chronic"))
        | (inpatient & psych & (d.u("pacu", f) < cfg.admissions.acute_psychiatric_share))
    )
    accident = (setting == "er") & (d.u("acc", f) < cfg.accident_share)
    code_a = _aktionsdiagnose(ctx, accident)
    ctype = (
        F.when(setting == "virtual", codes.virtual)
        .when(setting == "diagreport", codes.diagreport)
        .otherwise(codes.physical)
    )
    reason = F.when(
        acute & ~psych & (ctype == codes.physical),
        F.when(accident, codes.reason_accident).otherwise(codes.reason_illness),
    )
    treat = cfg.treatment_start
    return rows.select(
        "fidx",
        "pidx",
        "fe_kind",
        "j",
        "hosp",
        "n_contacts",
        "ip_j",
        "los",
        "reporter_type",
        "chronic_kind",
        "anchor_s",
        "ref_fidx",
        cidx.alias("cidx"),
        setting.alias("setting"),
        start.alias("start_s"),
        F.when(~(is_open & last), start + _duration(ctx, setting, cidx)).alias("end_s"),
        (is_open & last).alias("contact_open"),
        F.when(
            setting.isin("inpatient", "er"), start + d.below("tx", treat.steps, cidx) * treat.step_minutes * MINUTE
        ).alias("treat_s"),
        _unit(ctx, psych, inpatient, code_a).alias("unit"),
        psych.alias("psych"),
        ctype.alias("type"),
        F.when(acute, codes.acute).otherwise(codes.planned).alias("priority"),
        reason.alias("reason"),
        code_a.alias("code_a"),
    )


def apply_contact_mutations(ctx: Context, ct: DataFrame) -> DataFrame:
    """The contacts with their injected contact-level mutations (treatment start, priority, type, reason)."""
    cols = mutate("contact", ctx, {c: F.col(c) for c in ct.columns})
    return ct.select(*[cols[c].alias(c) for c in ct.columns])


def has_referral(ctx: Context) -> Column:
    """Whether a forløbselement starts from a referral (planned kinds; some psychiatric; planned admissions)."""
    k, f = F.col("fe_kind"), F.col("fidx")
    return (
        k.isin("outpatient", "chronic", "cancer", "rehab", "virtual", "hospice")
        | ((k == "psychiatric") & (ctx.d.u("pref", f) < ctx.cfg.referrals.psychiatric_share))
        | ((k == "inpatient") & ~(ctx.d.u("acu", f) < ctx.cfg.admissions.acute_inpatient_share))
    )


def henvisning_id(ctx: Context) -> Column:
    return F.when(has_referral(ctx), ctx.oid("henvisning", "fidx"))


def kontakt_rows(ctx: Context, ct: DataFrame) -> DataFrame:
    """The kontakt table: every contact's final report, and the open report some got first."""

    def version(end: Column, reported: Column) -> list[Column]:
        return [
            ctx.oid("kontakt", "cidx").alias("kontakt_id"),
            ctx.oid("forloebselement", "fidx").alias("forloebselement_id"),
            ctx.oid("patient", "pidx").alias("patient_id"),
            ts(F.col("start_s")).alias("start_time"),
            ts(end).alias("end_time"),
            ts(F.col("treat_s")).alias("treatment_start"),
            F.col("unit").alias("responsible_unit"),
            "type",
            "priority",
            "reason",
            F.when(F.col("j") == 0, henvisning_id(ctx)).alias("henvisning_id"),
            ts(reported).alias("reported_at"),
            F.lit(False).alias("deleted"),
        ]

    final = ct.select(*version(F.col("end_s"), F.col("rep_s")))
    admission = ct.where(F.col("adm_rep_s").isNotNull()).select(*version(F.lit(None).cast("long"), F.col("adm_rep_s")))
    return final.unionByName(admission)
