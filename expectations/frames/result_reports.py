"""Frames of the result-report rules (read by expectations/rules/result_reports.py).

  report         one row per result report: its name, status and responsible unit with their
                 code/SOR lookups (name__*, status__*, ru__*), its cause period, what triggered it
                 (t_*: code, role, art, times, the contact's period, type and priority, with
                 tcode__*, tart__*, tktype__*, tprio__*) and its results (`res`: id, type, value,
                 time, the value as integer, decimal and date-time; `res_types`, a result without
                 a type having none; `res_tags`: TYPE|list for each pair the rules ask about where
                 a result of the type has its value in the list over the cause period)
  report_result  one row per result (r_*), with its report's columns (the `report` frame exploded)
                 and its value's and type's code lookups (r__*, rtype__*)
  trigger        the objects that may require a report (diagnoses, contacts, procedures whose
                 code is in a list a requirement rule names), with the reports they triggered
                 (`reports`: name, status lists; `report_names`; `report_status`: name|anchor|list
                 for each list a report's status is in at the anchor: period, start, end,
                 contact_end) and what the rules ask of them (k_start, k_end, t_ktype, t_prio,
                 birth_date)

Columns made by name patterns (for a grep): name__from, name__to, name__gaps, name__lists,
status__from, status__to, status__gaps, status__lists, ru__from, ru__to, ru__gaps, ru__known,
ru__psych, ru__hospital, tcode__lists, tart__lists, tktype__lists, tprio__lists; the Danish days
of the time anchors: _d_cs, _d_ce, _d_kend, _d_tstart (report), _d_kstart, _d_kend, _d_tstart
(trigger), named by ANCHOR_DAYS; a result: r_id, r_type, r_value, r_int, r_dec, r_dt_ok, its value's r__from,
r__to, r__gaps, r__lists and its type's rtype__from, rtype__to, rtype__gaps; res_types, res_tags.

The register's big tables are only scanned and filtered here: `Lookups.rows_in` keeps the versions
of the objects named by broadcast sets of ids or codes and takes the as-of state of those alone (a
whole table's as-of state, then a filter, cost 60-140 s per frame at scale 1.0). `report_sources`
looks each table up once for the three frames, every set it is wanted by in one scan, in
dependency order (diagnoses and procedures, their contacts, then forløbselementer), so the joins
run on the result reports (`report` joins them first) and the candidate triggers. Each lookup
is materialized (`base.materialized`) and the next takes its ids from it, never from a joined
frame: chained that way, the trigger frame's analysed plan reached 14,818 lines (521 then). The
result reports joined with what they look up, read by `report` and `report_result`, are
materialized too: a plan computes nothing twice.

A rule tests a code list at an anchor with a lookup in the code's list map at the anchor's day
(`columns.listed_on`/`listed_during`), generated code evaluated only where the rule's other
conditions hold (its report name, its result type). Computing every list a code is in at every
anchor for every row instead (lambdas, which Spark interprets) cost most of the evaluation: the
1.94 M results of scale 1.0 at three anchors each. Lambdas remain only over the few reports of a
trigger (`report_status`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from expectations.columns import day, listed_during, lists_during, lists_on
from expectations.frames.base import Frame, Lookups, materialized, std
from lprflow.state import semi_in

DATETIME_FORMAT = "yyyyMMddHHmmssZ"  # LPR3's value format of a date-time result (RDB07: YYYYMMDDhhmmss+-ZZzz)


# the Danish days (`_days`) each time anchor of the rules reads on the frames: (first, last) for a
# period, (day, None) for a day (expectations/rules/result_reports.py tests a list at an anchor)
ANCHOR_DAYS: dict[str, tuple[str, str | None]] = {
    "period": ("_d_cs", "_d_ce"),
    "start": ("_d_cs", None),
    "end": ("_d_ce", None),
    "contact_end": ("_d_kend", None),
    "contact_period": ("_d_kstart", "_d_kend"),
    "trigger_start": ("_d_tstart", None),
}


def _days(**instants: str) -> list[Column]:
    """`_d_{name}`: the Danish day of each instant column, once per row (the list tests then
    compare dates instead of converting the instant once per list)."""
    return [day(F.col(c)).alias(f"_d_{name}") for name, c in instants.items()]


def _none(dtype: str) -> Column:
    return F.lit(None).cast(dtype)


@dataclass(frozen=True)
class Sources:
    """What the result-report frames read of the register, each table looked up once
    (`report_sources`): the current result reports (`reports`) and the current rows of the tables
    their triggers and the candidate triggers live in. `candidates` maps a trigger kind to its
    candidates' codes (a one-column frame of the codes in the lists the requirement rules name)."""

    reports: DataFrame
    diagnose: DataFrame
    procedure: DataFrame
    kontakt: DataFrame
    forloebselement: DataFrame
    forloebsmarkoer: DataFrame
    candidates: dict[str, DataFrame]


CODE_COLUMN = {"diagnose": "code", "procedure": "code", "kontakt": "reason"}  # a candidate's code


def report_sources(look: Lookups, lists: dict[str, list[str]]) -> Sources:
    """`Sources` of the current result reports, in dependency order: the diagnoses and procedures
    (the reports' triggers and the candidates), then the contacts (triggers, candidates and the
    contacts of every diagnosis and procedure found), then the forløbselementer (of the reports,
    the triggers and every contact and procedure found). `lists` maps a trigger kind to the code
    lists the requirement rules name for it. One lookup per table, each a scan of its versions (two
    where a candidate's code is also looked for); materialized, as each feeds the next lookup's ids
    and several joins."""
    reports = materialized(look.r["resultatindberetning"])
    listed = look.code_info.select("code", F.map_keys("lists").alias("names"))
    candidates = {
        kind: listed.where(F.arrays_overlap("names", F.array(*map(F.lit, names)))).select("code")
        for kind, names in lists.items()
        if names
    }

    def wanted(kind: str, *more_ids: DataFrame) -> dict[str, DataFrame]:
        ids = reports.where(F.col("trigger_type") == kind).select(F.col("trigger_id").alias("_id"))
        ids = functools.reduce(
            DataFrame.unionByName, [c.select(F.col(c.columns[0]).alias("_id")) for c in more_ids], ids
        )
        return {f"{kind}_id": ids, **({CODE_COLUMN[kind]: candidates[kind]} if kind in candidates else {})}

    d = materialized(look.rows_in("diagnose", wanted("diagnose")))
    p = materialized(look.rows_in("procedure", wanted("procedure")))
    k = materialized(look.rows_in("kontakt", wanted("kontakt", d.select("kontakt_id"), p.select("kontakt_id"))))
    fe = wanted(
        "forloebselement",
        reports.select("forloebselement_id"),
        k.select("forloebselement_id"),
        p.select("forloebselement_id"),
    )
    m = look.rows_in("forloebsmarkoer", wanted("forloebsmarkoer"))
    return Sources(reports, d, p, k, materialized(look.rows_in("forloebselement", fe)), m, candidates)


def _trigger_rows(src: Sources) -> DataFrame:
    """The objects of `src` a report may name as its trigger, in one shape (t_*)."""
    ts, s = "timestamp", "string"
    d = src.diagnose.select(
        F.lit("diagnose").alias("t_kind"),
        F.col("diagnose_id").alias("t_id"),
        F.col("code").alias("t_code"),
        F.col("role").alias("t_role"),
        F.col("art").alias("t_art"),
        F.col("kontakt_id").alias("t_kontakt"),
        _none(ts).alias("t_start"),
        _none(ts).alias("t_time"),
    )
    k = src.kontakt.select(
        F.lit("kontakt").alias("t_kind"),
        F.col("kontakt_id").alias("t_id"),
        F.col("reason").alias("t_code"),
        _none(s).alias("t_role"),
        _none(s).alias("t_art"),
        F.col("kontakt_id").alias("t_kontakt"),
        F.col("start_time").alias("t_start"),
        _none(ts).alias("t_time"),
    )
    p = src.procedure.select(
        F.lit("procedure").alias("t_kind"),
        F.col("procedure_id").alias("t_id"),
        F.col("code").alias("t_code"),
        _none(s).alias("t_role"),
        _none(s).alias("t_art"),
        F.col("kontakt_id").alias("t_kontakt"),
        F.col("start_time").alias("t_start"),
        _none(ts).alias("t_time"),
    )
    fe = src.forloebselement.select(
        F.lit("forloebselement").alias("t_kind"),
        F.col("forloebselement_id").alias("t_id"),
        _none(s).alias("t_code"),
        _none(s).alias("t_role"),
        _none(s).alias("t_art"),
        _none(s).alias("t_kontakt"),
        F.col("start_time").alias("t_start"),
        _none(ts).alias("t_time"),
    )
    m = src.forloebsmarkoer.select(
        F.lit("forloebsmarkoer").alias("t_kind"),
        F.col("forloebsmarkoer_id").alias("t_id"),
        F.col("code").alias("t_code"),
        _none(s).alias("t_role"),
        _none(s).alias("t_art"),
        _none(s).alias("t_kontakt"),
        _none(ts).alias("t_start"),
        F.col("time").alias("t_time"),
    )
    return d.unionByName(k).unionByName(p).unionByName(fe).unionByName(m)


def _contacts(src: Sources) -> DataFrame:
    """The contacts of `src`: _k_id, k_fe, k_start, k_end, k_unit, t_ktype, t_prio."""
    return src.kontakt.select(
        F.col("kontakt_id").alias("_k_id"),
        F.col("forloebselement_id").alias("k_fe"),
        F.col("responsible_unit").alias("k_unit"),
        F.col("start_time").alias("k_start"),
        F.col("end_time").alias("k_end"),
        F.col("type").alias("t_ktype"),
        F.col("priority").alias("t_prio"),
    )


def _results(look: Lookups, reports: DataFrame, tags: list[tuple[str, str]]) -> DataFrame:
    """Per report (res_ri_id): its results as an array of narrow structs (`res`), their types
    (`res_types`) and `res_tags`: "TYPE|list" for each (type, list) of `tags` (the pairs the rules
    ask about) that a result has with its value in the list over the report's cause period. The
    tags are computed on each result's row before the aggregation (lookups, no lambda), so
    `collect_list` gathers names, not the values' code-list maps; `report_result` looks the value's
    and type's codes up again on its exploded rows (a broadcast join)."""
    periods = F.broadcast(
        reports.select(
            F.col("resultatindberetning_id").alias("_ri"),
            day(F.col("cause_start_time")).alias("_d_cs"),
            day(F.col("cause_end_time")).alias("_d_ce"),
        )
    )
    # the results' own table: its whole as-of state is in proportion to the result reports
    res = look.r["resultat"]
    res = res.join(periods, res["resultatindberetning_id"] == periods["_ri"], "inner")
    res = look.codes(res, {"value": "rvalue"})
    lists, s, e = F.col("rvalue__lists"), F.col("_d_cs"), F.col("_d_ce")
    tagged = [F.when((F.col("type") == t) & listed_during(lists, n, s, e), F.lit(f"{t}|{n}")) for t, n in tags]
    value = F.trim(F.col("value"))
    item = F.struct(
        F.col("resultat_id").alias("id"),
        F.col("type").alias("type"),
        F.col("value").alias("value"),
        F.col("time").alias("time"),
        F.when(value.rlike(r"^[+-]?\d+$"), value.try_cast("long")).alias("int"),
        F.when(value.rlike(r"^[+-]?(\d+\.?\d*|\.\d+)$"), value.try_cast("double")).alias("dec"),
        F.try_to_timestamp(value, F.lit(DATETIME_FORMAT)).isNotNull().alias("dt_ok"),
    )
    res = res.select("*", item.alias("_item"), F.array_compact(F.array(*tagged)).cast("array<string>").alias("_tags"))
    return res.groupBy(F.col("resultatindberetning_id").alias("res_ri_id")).agg(
        F.collect_list("_item").alias("res"),
        F.collect_list("type").alias("res_types"),
        F.flatten(F.collect_list("_tags")).alias("res_tags"),
    )


def report_frame(look: Lookups, src: Sources, tags: list[tuple[str, str]]) -> Frame:
    """Frame `report` (see the module docstring) of the current result reports of `src`; `tags`: the
    (result type, code list) pairs the rules ask about (`res_tags`)."""
    base = src.reports
    t = _trigger_rows(src)
    ri = base.join(t, (base["trigger_type"] == t["t_kind"]) & (base["trigger_id"] == t["t_id"]), "left")
    k = _contacts(src).drop("k_fe")
    ri = ri.join(k, ri["t_kontakt"] == k["_k_id"], "left").drop("_k_id")
    res = _results(look, base, tags)
    fe = look.fe_base(src.forloebselement)
    ri = ri.join(res, ri["resultatindberetning_id"] == res["res_ri_id"], "left").drop("res_ri_id")
    ri = ri.select(
        *[c for c in ri.columns if c not in ("res", "res_types", "res_tags")],
        *[F.coalesce(c, F.array().cast(res.schema[c].dataType)).alias(c) for c in ("res", "res_types", "res_tags")],
    )
    ri = look.codes(ri, {"t_code": "tcode", "t_art": "tart", "t_ktype": "tktype", "t_prio": "tprio"})
    ri = look.unit(look.codes(ri, {"name": "name", "status": "status"}), "responsible_unit", "ru")
    ri = ri.join(fe, ri["forloebselement_id"] == fe["fe_id"], "left")
    days = _days(cs="cause_start_time", ce="cause_end_time", kend="k_end", tstart="t_start")
    # computed once: `report_result` reads the same rows; the rules test lists at these days
    ri = materialized(ri.select("*", *days))
    df = std(
        ri,
        object_id="resultatindberetning_id",
        fe=F.col("forloebselement_id"),
        unit=F.coalesce(F.col("responsible_unit"), F.col("fe_unit")),
        month=F.col("cause_start_time"),
        reporter=F.col("fe_reporter"),
        fe_start=F.col("fe_start"),
        c_start=F.col("k_start"),
        c_end=F.col("k_end"),
    )
    return Frame("report", "resultatindberetning", df)


def report_result_frame(look: Lookups, report: Frame) -> Frame:
    """Frame `report_result`: the `report` frame with one row per result (r_* from `res`), the
    value's and the type's codes looked up on these rows (r__*, rtype__*)."""
    df = report.df.select("*", F.explode("res").alias("r"))
    df = df.select(
        *[c for c in df.columns if c not in ("_object_id", "_parent_id", "r")],
        *[F.col(f"r.{f}").alias(f"r_{f}") for f in ("id", "type", "value", "int", "dec", "dt_ok")],
        F.col("r.id").alias("_object_id"),
        F.col("resultatindberetning_id").alias("_parent_id"),
    )
    df = look.codes(df, {"r_value": "r", "r_type": "rtype"})
    return Frame("report_result", "resultat", df)


def trigger_frame(look: Lookups, src: Sources) -> Frame:
    """Frame `trigger`: the candidate triggers of the requirement rules (the objects of `src` whose
    code is in a list the rules name for their kind), with the current result reports each
    triggered."""
    s = "string"
    shapes = {
        "diagnose": lambda df: df.select(
            F.lit("diagnose").alias("t_kind"),
            F.col("diagnose_id").alias("t_id"),
            F.col("code").alias("t_code"),
            F.col("role").alias("t_role"),
            F.col("kontakt_id").alias("t_kontakt"),
            F.col("region"),
            _none(s).alias("t_fe"),
            _none("timestamp").alias("t_start"),
        ),
        "kontakt": lambda df: df.select(
            F.lit("kontakt").alias("t_kind"),
            F.col("kontakt_id").alias("t_id"),
            F.col("reason").alias("t_code"),
            _none(s).alias("t_role"),
            F.col("kontakt_id").alias("t_kontakt"),
            F.col("region"),
            F.col("forloebselement_id").alias("t_fe"),
            F.col("start_time").alias("t_start"),
        ),
        "procedure": lambda df: df.select(
            F.lit("procedure").alias("t_kind"),
            F.col("procedure_id").alias("t_id"),
            F.col("code").alias("t_code"),
            _none(s).alias("t_role"),
            F.col("kontakt_id").alias("t_kontakt"),
            F.col("region"),
            F.col("forloebselement_id").alias("t_fe"),
            F.col("start_time").alias("t_start"),
        ),
    }
    rows = {"diagnose": src.diagnose, "kontakt": src.kontakt, "procedure": src.procedure}
    found = functools.reduce(
        DataFrame.unionByName,
        [shapes[kind](semi_in(rows[kind], CODE_COLUMN[kind], codes)) for kind, codes in src.candidates.items()],
    )
    # only the candidates' own contacts and forløbselementer (broadcast filters of the materialized
    # sources), so the frame's joins shuffle no more than the candidates need
    k = semi_in(_contacts(src), "_k_id", found.select("t_kontakt"))
    fe_ids = found.select(F.col("t_fe").alias("_fe")).unionByName(k.select(F.col("k_fe").alias("_fe")))
    fe_rows = semi_in(src.forloebselement, "forloebselement_id", fe_ids)
    born = look.rows_in("patient", {"patient_id": fe_rows.select("patient_id")})
    born = born.select(F.col("patient_id").alias("_bp"), "birth_date")
    fe = look.fe_base(fe_rows.join(born, fe_rows["patient_id"] == born["_bp"], "left"), "birth_date")
    ri = semi_in(src.reports, "trigger_id", found.select("t_id"))
    t = found.join(k, found["t_kontakt"] == k["_k_id"], "left").drop("_k_id")
    t = t.withColumn("t_fe", F.coalesce("t_fe", "k_fe")).drop("k_fe")
    t = t.join(fe, t["t_fe"] == fe["fe_id"], "left")
    ri = look.codes(ri, {"status": "status"})
    reports = ri.groupBy(F.col("trigger_type").alias("_rk"), F.col("trigger_id").alias("_rt")).agg(
        F.collect_list(
            F.struct(
                F.col("name").alias("name"),
                F.col("status__lists").alias("status_lists"),
                day(F.col("cause_start_time")).alias("start_day"),
                day(F.col("cause_end_time")).alias("end_day"),
            )
        ).alias("reports")
    )
    t = t.join(reports, (t["t_kind"] == reports["_rk"]) & (t["t_id"] == reports["_rt"]), "left").drop("_rk", "_rt")
    t = t.withColumn("reports", F.coalesce("reports", F.array().cast(reports.schema["reports"].dataType)))
    t = look.codes(t, {"t_code": "tcode", "t_ktype": "tktype", "t_prio": "tprio"})
    t = t.select("*", *_days(kstart="k_start", kend="k_end", tstart="t_start"))

    # once per row, so a rule's test is an array lookup, not a lambda over the reports of its own:
    # the reports' names, and `name|anchor|list` for every list each report's status is in at
    # each anchor (a report's tags are distinct, so counting a tag counts reports); without nulls,
    # so a report without a name is not the report a rule asks for (Drools: navn == "RAA05" is false)
    status_at = {
        "period": lambda x: lists_during(x["status_lists"], x["start_day"], x["end_day"]),
        "start": lambda x: lists_on(x["status_lists"], x["start_day"]),
        "end": lambda x: lists_on(x["status_lists"], x["end_day"]),
        "contact_end": lambda x: lists_on(x["status_lists"], F.col("_d_kend")),
    }

    def status_tags(x: Column) -> Column:
        # the prefix is bound outside the lambda: F.transform passes the index to a second parameter
        def tagged(lists: Column, prefix: Column) -> Column:
            return F.transform(lists, lambda n: F.concat(prefix, n))

        return F.flatten(
            F.array(*[tagged(lists(x), F.concat(x["name"], F.lit(f"|{a}|"))) for a, lists in status_at.items()])
        )

    t = t.select(
        "*",
        F.array_compact(F.transform("reports", lambda x: x["name"])).alias("report_names"),
        F.array_compact(F.flatten(F.transform("reports", status_tags))).alias("report_status"),
    )
    df = std(
        t,
        object_id="t_id",
        fe=F.col("t_fe"),
        unit=F.coalesce(F.col("k_unit"), F.col("fe_unit")),
        month=F.coalesce(F.col("k_start"), F.col("t_start")),
        reporter=F.col("fe_reporter"),
        fe_start=F.col("fe_start"),
        c_start=F.col("k_start"),
        c_end=F.col("k_end"),
        parent=F.when(F.col("t_kind") != "kontakt", F.col("t_kontakt")),
    )
    return Frame("trigger", "trigger", df)
