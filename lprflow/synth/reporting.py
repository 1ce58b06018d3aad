"""When contacts are reported: the delay after a contact ends (most within days, some after the
10th of the next month, a few after the year's end) and the open first report of some."""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from lprflow.synth.context import DAY, HOUR, MINUTE, Context

STEP = 5 * MINUTE  # report times within a day fall on five-minute steps


def report_times(ctx: Context, ct: DataFrame) -> DataFrame:
    """Adds `rep_s` (the final report) and `adm_rep_s` (an earlier, open report, or null)."""
    r, d = ctx.cfg.reporting, ctx.d
    cidx = F.col("cidx")
    basis = F.coalesce(F.col("end_s"), F.col("start_s"))
    u = d.u("rep", cidx)
    a = r.within_days.share
    b = a + r.within_weeks.share
    c = b + r.after_the_10th.share
    late = r.after_the_10th
    delay = (
        F.when(u < a, d.below("rd", r.within_days.max_days * DAY // STEP, cidx) * STEP)
        .when(u < b, d.below("rd", r.within_weeks.max_days * 24, cidx) * HOUR)
        .when(u < c, (late.min_days + d.below("rd", late.max_days - late.min_days, cidx)) * DAY)
        .otherwise(F.greatest(F.lit(0), ctx.late0 + d.below("rd", r.after_year_end.days * 24, cidx) * HOUR - basis))
    )
    final = basis + delay + MINUTE
    s = F.col("setting")
    early = ((s == "inpatient") & (d.u("adm", cidx) < r.admission_report_share)) | (
        s.isin("outpatient", "er") & (d.u("adm", cidx) < r.arrival_report_share)
    )
    first = F.col("start_s") + MINUTE + d.below("ad", r.open_report_within_hours * HOUR // STEP, cidx) * STEP
    admission = F.when(early, first)
    return ct.withColumn("rep_s", final).withColumn("adm_rep_s", F.when(admission < final, admission))
