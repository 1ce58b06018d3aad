"""Where a contact takes place and who pays: opholdsadresser (an inpatient stay may move between
units, with an absence in between) and one betalingsoplysning per contact."""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from lprflow.synth.context import MINUTE, Context, ts
from lprflow.synth.injections import mutate, truth_rows


def opholdsadresser(ctx: Context, ct: DataFrame) -> tuple[DataFrame, DataFrame]:
    """(the opholdsadresse table, its ground truth): physical contacts have one to three."""
    d, seg_cfg = ctx.d, ctx.cfg.opholdsadresser
    cidx, s = F.col("cidx"), F.col("setting")
    inpatient = s == "inpatient"
    n_seg = (
        F.when(F.col("end_s").isNull(), 1)
        .when(inpatient & (F.col("los") >= seg_cfg.min_los_3) & (d.u("seg", cidx) < seg_cfg.share_3), 3)
        .when(inpatient & (F.col("los") >= seg_cfg.min_los_2) & (d.u("seg", cidx) < seg_cfg.share_2), 2)
        .otherwise(1)
    )
    per_contact = mutate(
        "opholdsadresse_contact",
        ctx,
        {**{c: F.col(c) for c in ct.columns}, "n_seg": n_seg, "_keep": s.isin("inpatient", "outpatient", "er")},
    )
    x = ct.where(per_contact["_keep"]).select(
        "cidx",
        "start_s",
        "end_s",
        "unit",
        "rep_s",
        "inj",
        per_contact["n_seg"].alias("n_seg"),
    )
    x = x.withColumn("seg", F.explode(F.sequence(F.lit(0), F.col("n_seg") - 1)))
    dur = F.col("end_s") - F.col("start_s")

    def cut(m):  # segment boundaries on whole minutes
        return F.col("start_s") + F.floor(dur * m / F.col("n_seg") / MINUTE) * MINUTE

    seg = F.col("seg")
    absence_seg = (F.col("n_seg") == 3) & (seg == 1)
    x = x.withColumn("opholdsadresse_id", ctx.oid("opholdsadresse", "cidx", "seg"))
    cols = {c: F.col(c) for c in x.columns}
    cols.update(
        kontakt_id=ctx.oid("kontakt", "cidx"),
        start=F.when(seg == 0, F.col("start_s")).otherwise(cut(seg)),
        end=F.when(seg == F.col("n_seg") - 1, F.col("end_s")).otherwise(cut(seg + 1)),
        absence=F.when(absence_seg, F.lit(ctx.cfg.codes.absence)),
    )
    m = mutate("opholdsadresse", ctx, cols)
    rows = x.select(
        "opholdsadresse_id",
        cols["kontakt_id"].alias("kontakt_id"),
        ts(m["start"]).alias("start_time"),
        ts(m["end"]).alias("end_time"),
        F.when(~absence_seg, F.col("unit")).alias("unit"),
        m["absence"].alias("absence"),
        ts(F.col("rep_s")).alias("reported_at"),
        F.lit(False).alias("deleted"),
    )
    return rows, truth_rows("opholdsadresse", x, cols)


def payments(ctx: Context, ct: DataFrame) -> DataFrame:
    """One betalingsoplysning per contact: the region pays under the standard agreement."""
    codes = ctx.cfg.codes
    return ct.select(
        ctx.oid("betalingsoplysning", "cidx").alias("betalingsoplysning_id"),
        ctx.oid("forloebselement", "fidx").alias("forloebselement_id"),
        ctx.oid("kontakt", "cidx").alias("kontakt_id"),
        ts(F.col("start_s")).alias("start_time"),
        ts(F.col("end_s")).alias("end_time"),
        F.lit(codes.agreement).alias("agreement"),
        F.lit(codes.payer).alias("payer"),
        ctx.d.choose("spec", codes.specialisation, F.col("cidx")).alias("specialisation_level"),
        ts(F.col("rep_s")).alias("reported_at"),
        F.lit(False).alias("deleted"),
    )
