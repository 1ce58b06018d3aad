"""Result reports as hospitals send them, derived from the register's final objects.

For every object a RESULTATINDBERETNING rule requires a report for (conf/generator.yaml
`result_reports`: a diagnose whose code is in the report's list, an aktionsdiagnose, an accident
contact that is physical and acute, a procedure), one complete report triggered by it, with the
configured results; reported with the trigger's last version, over the trigger's period, by its
contact's responsible unit. Built after every other table is final (injections, corrections,
deletions, the region's discrepancies), so a report's trigger is what the validation will see.

Injected violations (`result_reports.injections`, each on a share `error_rate` of the eligible
reports): the report is not sent, a required result is left out, a value is out of its domain,
a result that may occur once is sent twice; each with its ground-truth row.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from lprflow.synth.config import ResultInjection, ResultReportSpec
from lprflow.synth.context import Context, newest

_TRUTH = ("object_type", "object_id", "rule_id")


def _triggers(tables: dict[str, DataFrame]) -> DataFrame:
    """Every current diagnose, contact and procedure in one shape: t_kind, t_id, t_role, t_art,
    t_code, t_type, t_prio, fe_id, t_start, t_end, t_unit, t_rep."""
    k = newest(tables["kontakt"], "kontakt_id").where(~F.col("deleted"))
    kc = k.select(
        F.col("kontakt_id").alias("k_id"),
        F.col("forloebselement_id").alias("k_fe"),
        F.col("start_time").alias("k_start"),
        F.col("end_time").alias("k_end"),
        F.col("responsible_unit").alias("k_unit"),
        F.col("reported_at").alias("k_rep"),
    )
    d = newest(tables["diagnose"], "diagnose_id").where(~F.col("deleted")).join(kc, F.col("kontakt_id") == kc["k_id"])
    diagnoses = d.select(
        F.lit("diagnose").alias("t_kind"),
        F.col("diagnose_id").alias("t_id"),
        F.col("role").alias("t_role"),
        F.col("art").alias("t_art"),
        F.col("code").alias("t_code"),
        F.lit(None).cast("string").alias("t_type"),
        F.lit(None).cast("string").alias("t_prio"),
        F.col("k_fe").alias("fe_id"),
        F.col("k_start").alias("t_start"),
        F.col("k_end").alias("t_end"),
        F.col("k_unit").alias("t_unit"),
        F.greatest("reported_at", "k_rep").alias("t_rep"),
    )
    contacts = k.select(
        F.lit("kontakt").alias("t_kind"),
        F.col("kontakt_id").alias("t_id"),
        F.lit(None).cast("string").alias("t_role"),
        F.lit(None).cast("string").alias("t_art"),
        F.col("reason").alias("t_code"),
        F.col("type").alias("t_type"),
        F.col("priority").alias("t_prio"),
        F.col("forloebselement_id").alias("fe_id"),
        F.col("start_time").alias("t_start"),
        F.col("end_time").alias("t_end"),
        F.col("responsible_unit").alias("t_unit"),
        F.col("reported_at").alias("t_rep"),
    )
    p = newest(tables["procedure"], "procedure_id").where(~F.col("deleted"))
    p = p.join(kc, F.col("kontakt_id") == kc["k_id"], "left").where(
        F.col("kontakt_id").isNull() | F.col("k_id").isNotNull()
    )
    procedures = p.select(
        F.lit("procedure").alias("t_kind"),
        F.col("procedure_id").alias("t_id"),
        F.lit(None).cast("string").alias("t_role"),
        F.lit(None).cast("string").alias("t_art"),
        F.col("code").alias("t_code"),
        F.lit(None).cast("string").alias("t_type"),
        F.lit(None).cast("string").alias("t_prio"),
        F.col("forloebselement_id").alias("fe_id"),
        F.col("start_time").alias("t_start"),
        F.col("end_time").alias("t_end"),
        F.coalesce("k_unit", "producer_unit").alias("t_unit"),
        F.greatest("reported_at", F.coalesce("k_rep", "reported_at")).alias("t_rep"),
    )
    return diagnoses.unionByName(contacts).unionByName(procedures)


def _wanted(ctx: Context, name: str, spec: ResultReportSpec) -> Column:
    """The triggers of report `name`: kind, code in the list, role and art, contact type and priority."""
    kind = "diagnose" if spec.trigger == "aktionsdiagnose" else spec.trigger
    cond = (F.col("t_kind") == kind) & F.col("t_code").isin(*sorted(ctx.code_lists.get(spec.list, set())))
    if spec.trigger == "aktionsdiagnose":
        cond = cond & (F.col("t_role") == "A") & (F.col("t_art") == ctx.cfg.codes.art_a)
    if spec.type:
        cond = cond & (F.col("t_type") == spec.type)
    if spec.priority:
        cond = cond & (F.col("t_prio") == spec.priority)
    return cond


def _lpr3_time(ts: Column) -> Column:
    """An instant as an LPR3 date-time value (the session runs in UTC)."""
    return F.concat(F.date_format(ts, "yyyyMMddHHmmss"), F.lit("+0000"))


def _injection_of(ctx: Context, name: str, injections: list[ResultInjection]) -> Column:
    """The index of the injection a report gets (one draw per report; each injection of the
    report's name takes its own slice of width error_rate), or null."""
    mine = [i for i, inj in enumerate(injections) if inj.report == name]
    u = ctx.d.u(f"result_report:{name}", F.col("t_id"))
    out = F.lit(None).cast("int")
    for slot, i in reversed(list(enumerate(mine))):
        out = F.when((u >= slot * ctx.error_rate) & (u < (slot + 1) * ctx.error_rate), F.lit(i)).otherwise(out)
    return out


def result_reports(ctx: Context, tables: dict[str, DataFrame]) -> tuple[dict[str, DataFrame], DataFrame]:
    """The resultatindberetning and resultat tables, and the injected violations' ground truth."""
    conf = ctx.cfg.result_reports
    injections = conf.injections
    wanted = F.lit(False)
    for name, spec in conf.reports.items():
        wanted = wanted | _wanted(ctx, name, spec)
    # the few objects that need a report, computed once: the reports' plans then start here, not
    # at the whole register's (which would be analysed once per report and per union)
    triggers = _triggers(tables).where(wanted).localCheckpoint()
    reports, results, truth = [], [], []
    for name, spec in sorted(conf.reports.items()):
        t = triggers.where(_wanted(ctx, name, spec)).select("*", _injection_of(ctx, name, injections).alias("inj"))
        kind = _pick([i.kind for i in injections])
        rule = _pick([i.rule for i in injections])
        rule_b = _pick([i.rule_bidiagnose or i.rule for i in injections])
        itype = _pick([i.type for i in injections])
        ivalue = _pick([i.value for i in injections])
        ri_id = ctx.oid("resultatindberetning", F.lit(name), F.col("t_id"))
        sent = t.where(F.col("inj").isNull() | (kind != "no_report"))
        reports.append(
            sent.select(
                ri_id.alias("resultatindberetning_id"),
                F.col("fe_id").alias("forloebselement_id"),
                F.lit(name).alias("name"),
                F.col("t_kind").alias("trigger_type"),
                F.col("t_id").alias("trigger_id"),
                F.col("t_start").alias("cause_start_time"),
                F.col("t_end").alias("cause_end_time"),
                F.lit(conf.complete).alias("status"),
                F.col("t_unit").alias("responsible_unit"),
                F.col("t_rep").alias("reported_at"),
                F.lit(False).alias("deleted"),
            )
        )
        items = F.array(*[F.struct(F.lit(k).alias("type"), F.lit(v).alias("value")) for k, v in spec.results.items()])
        r = sent.select("*", ri_id.alias("ri_id"), kind.alias("kind"), itype.alias("itype"), ivalue.alias("ivalue"))
        left_out = (F.col("kind") == "missing_result") & (F.col("item.type") == F.col("itype"))
        r = r.select("*", F.explode(items).alias("item")).where(~F.coalesce(left_out, F.lit(False)))
        twice = (F.col("kind") == "second_result") & (F.col("item.type") == F.col("itype"))
        r = r.select("*", F.explode(F.when(twice, F.array(F.lit(0), F.lit(1))).otherwise(F.array(F.lit(0)))).alias("n"))
        value = F.when(F.col("item.value") == "{start}", _lpr3_time(F.col("t_start"))).otherwise(F.col("item.value"))
        bad = (F.col("kind") == "bad_value") & (F.col("item.type") == F.col("itype"))
        r_id = ctx.oid("resultat", F.col("ri_id"), F.col("item.type"), F.col("n"))
        results.append(
            r.select(
                r_id.alias("resultat_id"),
                F.col("ri_id").alias("resultatindberetning_id"),
                F.col("item.type").alias("type"),
                F.when(bad, F.col("ivalue")).otherwise(value).alias("value"),
                F.col("t_start").alias("time"),
                F.col("t_rep").alias("reported_at"),
                F.lit(False).alias("deleted"),
            )
        )
        hit = t.where(F.col("inj").isNotNull())
        on_trigger = F.when(F.col("t_role") == "B", rule_b).otherwise(rule)
        truth.append(
            hit.select(
                F.when(kind == "no_report", F.col("t_kind"))
                .when(kind == "bad_value", F.lit("resultat"))
                .otherwise(F.lit("resultatindberetning"))
                .alias("object_type"),
                F.when(kind == "no_report", F.col("t_id"))
                .when(kind == "bad_value", ctx.oid("resultat", ri_id, itype, F.lit(0)))
                .otherwise(ri_id)
                .alias("object_id"),
                F.when(kind == "no_report", on_trigger).otherwise(rule).alias("rule_id"),
            )
        )
    tables_out = {"resultatindberetning": _union(reports), "resultat": _union(results)}
    return tables_out, _union(truth).select(*_TRUTH)


def _pick(values: list[str | None]) -> Column:
    """The value of the report's injection (column `inj`), from a per-injection list."""
    return F.element_at(F.array(*[F.lit(v).cast("string") for v in values]), F.col("inj") + 1)


def _union(parts: list[DataFrame]) -> DataFrame:
    out = parts[0]
    for p in parts[1:]:
        out = out.unionByName(p)
    return out
