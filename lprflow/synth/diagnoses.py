"""Diagnoses: each contact's aktionsdiagnose (k = 0) and bidiagnoser (k = 1, 2, ...), with sides,
arts and cancer add-ons; earlier versions with a corrected code and later deletions."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from lprflow.synth.context import DAY, HOUR, Context, lit_array, ts
from lprflow.synth.injections import mutate, truth_rows

EMPTY = "array<string>"


def _bidiagnose_codes(ctx: Context) -> Column:
    cfg, d = ctx.cfg, ctx.d
    cidx, s = F.col("cidx"), F.col("setting")
    bounds = cfg.bidiagnoses
    n_b = (
        F.when(s == "inpatient", d.below("nb", bounds.inpatient, cidx))
        .when(s.isin("outpatient", "er"), d.below("nb", bounds.outpatient, cidx))
        .when(s == "virtual", F.when(d.u("nb", cidx) < bounds.virtual_share, 1).otherwise(0))
        .otherwise(0)
    )
    pool_codes = cfg.diagnoses.bidiagnoser
    pool = lit_array(pool_codes)
    rot = d.below("brot", len(pool_codes), cidx).cast("int")
    rotated = F.concat(F.slice(pool, rot + 1, len(pool_codes)), F.slice(pool, 1, F.greatest(rot, F.lit(1))))
    codes = F.slice(F.filter(F.array_distinct(rotated), lambda x: x != F.col("code_a")), 1, n_b.cast("int"))
    codes = F.when(n_b > 0, codes).otherwise(F.array().cast(EMPTY))
    # a hospice patient's bidiagnose is the cancer they die of
    hospice = F.when(F.col("fe_kind") == "hospice", F.array(d.choose("hcan", ctx.primkraeft, "fidx")))
    return F.coalesce(hospice, codes)


def diagnoses(ctx: Context, ct: DataFrame) -> tuple[DataFrame, DataFrame]:
    """(the diagnose table, its ground truth)."""
    cfg, d = ctx.cfg, ctx.d
    dx, codes = cfg.diagnoses, cfg.codes
    cidx = F.col("cidx")
    empty = F.array().cast(EMPTY)
    cancer_a = F.col("code_a").isin(*ctx.primkraeft)
    a_row = F.struct(
        F.lit(0).alias("k"),
        F.lit("A").alias("role"),
        F.col("code_a").alias("code"),
        F.lit(codes.art_a).alias("art"),
        F.when(F.col("code_a").isin(*ctx.lateral_diag), d.choose("side", cfg.sides, "fidx")).alias("side"),
        F.when(cancer_a, F.array(F.lit(dx.metastasis_none))).otherwise(empty).alias("metastases"),
        F.when(cancer_a, F.array(F.lit(dx.local_recurrence_none))).otherwise(empty).alias("local_recurrences"),
    )
    b_rows = F.transform(
        _bidiagnose_codes(ctx),
        lambda code, n: F.struct(
            (n + 1).alias("k"),
            F.lit("B").alias("role"),
            code.alias("code"),
            F.lit(codes.art_b).alias("art"),
            F.when(code.isin(*ctx.lateral_diag), d.choose("sideb", cfg.sides, cidx, n)).alias("side"),
            F.when(code.isin(*ctx.primkraeft), F.array(F.lit(dx.metastasis_of_bidiagnose)))
            .otherwise(empty)
            .alias("metastases"),
            F.when(code.isin(*ctx.primkraeft), F.array(F.lit(dx.local_recurrence_none)))
            .otherwise(empty)
            .alias("local_recurrences"),
        ),
    )
    x = ct.select("cidx", "rep_s", "inj", F.explode(F.concat(F.array(a_row), b_rows)).alias("x"))
    x = x.select("cidx", "rep_s", "inj", "x.*")
    x = x.withColumn("diagnose_id", ctx.oid("diagnose", "cidx", "k"))
    m = mutate("diagnose", ctx, {**{c: F.col(c) for c in x.columns}, "_keep": F.lit(True)})
    x = x.select(*[m[c].alias(c) for c in x.columns], m["_keep"].alias("_keep")).where("_keep").drop("_keep")
    truth = truth_rows("diagnose", x, {c: F.col(c) for c in x.columns})
    cor = cfg.corrections
    ud = d.u("dcor", F.col("diagnose_id"))
    is_b = (F.col("role") == "B") & F.col("inj").isNull()
    base = [
        "diagnose_id",
        ctx.oid("kontakt", "cidx").alias("kontakt_id"),
        "role",
        "code",
        F.array().cast(EMPTY).alias("addon_codes"),
        "art",
        "side",
        F.lit(False).alias("disproved"),
        "metastases",
        "local_recurrences",
    ]
    final = x.select(*base, ts(F.col("rep_s")).alias("reported_at"), F.lit(False).alias("deleted"))
    # corrections: an earlier version with another code; deletions: a later deletion report
    corrected = x.where(is_b & (ud < cor.bidiagnose_code_corrected)).select(
        *[F.lit(cor.earlier_code).alias("code") if isinstance(b, str) and b == "code" else b for b in base],
        ts(F.col("rep_s") - cor.earlier_report_hours * HOUR).alias("reported_at"),
        F.lit(False).alias("deleted"),
    )
    deleted = x.where(is_b & (ud >= 1 - cor.bidiagnose_deleted)).select(
        *base,
        ts(F.col("rep_s") + cor.deleted_after_days * DAY).alias("reported_at"),
        F.lit(True).alias("deleted"),
    )
    return final.unionByName(corrected).unionByName(deleted), truth
