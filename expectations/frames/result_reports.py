"""Frames of the result-report rules (read by expectations/rules/result_reports.py).

  report         one row per result report: its name, status and responsible unit with their
                 code/SOR lookups (name__*, status__*, ru__*), its cause period, what triggered it
                 (t_*: code, role, art, times, the contact's period, type and priority, with
                 tcode__*, tart__*, tktype__*, tprio__*) and its results (`res`: id, type, value,
                 the value's code lists, the value as integer, decimal and date-time, the type's validity)
  report_result  one row per result (r_*), with its report's columns (the `report` frame exploded)
  trigger        the objects that may require a report (diagnoses, contacts, procedures whose
                 code is in a list a requirement rule names), with the reports they triggered
                 (`reports`: name, status lists) and what the rules ask of them (k_start, k_end,
                 t_ktype, t_prio, birth_date)

Columns made by name patterns (for a grep): name__from, name__to, name__gaps, name__lists,
status__from, status__to, status__gaps, status__lists, ru__from, ru__to, ru__gaps, ru__known,
ru__psych, ru__hospital, tcode__lists, tart__lists, tktype__lists, tprio__lists; the lists a code is
in at an anchor: name_in__period, status_in__period, status_in__start, status_in__end,
status_in__contact_end, tcode_in__period, tcode_in__start, tcode_in__contact_period,
tcode_in__contact_end, tcode_in__trigger_start, tart_in__period, tktype_in__period,
tktype_in__contact_end, tprio_in__period, tprio_in__contact_end, r_in__period, r_in__start,
r_in__trigger_start; a result: r_id, r_type, r_value, r_lists, r_int, r_dec, r_dt_ok, and its
type's rtype__from, rtype__to, rtype__gaps; res_types, res_tags.

The register's big tables are only scanned and filtered here: `Lookups.rows_in` keeps the versions
of the objects named by a broadcast set of ids or codes and takes the as-of state of those alone
(as-of state of the whole table, then a filter, cost a window over every contact, diagnosis,
procedure and forløbselement per lookup: 60-140 s per frame at scale 1.0). The joins and
aggregations run on the result reports and the few candidate triggers, so the cost follows the
number of result reports, not the register's size. Those two small sets (the current result
reports; the candidate triggers) are materialized first (`base.materialized`), and every lookup
takes its ids from them or from another lookup, never from a frame already joined with a lookup:
chained that way, each step held the whole plan before it twice and the trigger frame's analysed
plan reached 14,818 lines (521 then), seconds of analysis per operation and ~80 stages to run.
A set that feeds both a lookup's ids and a join (the reports' triggers, the triggers' contacts and
forløbselementer) is materialized too, and so are the result reports joined with everything they
look up, which `report` and `report_result` both read: a plan computes nothing twice. The list
lambdas come after that point, so each frame computes only the lists its rules read.
"""

from __future__ import annotations

import functools

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from expectations.columns import day, lists_during, lists_on
from expectations.frames.base import Frame, Lookups, materialized, std
from lprflow.state import semi_in

DATETIME_FORMAT = "yyyyMMddHHmmssZ"  # LPR3's value format of a date-time result (RDB07: YYYYMMDDhhmmss+-ZZzz)


def _in_lists(prefix: str, anchors: dict[str, tuple[str, str | None]]) -> list[Column]:
    """`{prefix}_in__{anchor}`: the lists the `{prefix}__lists` code is in at each anchor (a period
    when the anchor has an end, else a day; named by columns of Danish days, see `_days`), computed
    once per row for every rule."""
    lists = F.col(f"{prefix}__lists")
    return [
        (lists_during(lists, F.col(s), F.col(e)) if e is not None else lists_on(lists, F.col(s))).alias(
            f"{prefix}_in__{name}"
        )
        for name, (s, e) in anchors.items()
    ]


def _days(**instants: str) -> list[Column]:
    """`_d_{name}`: the Danish day of each instant column, once per row (the list lambdas then
    compare dates instead of converting the instant once per list)."""
    return [day(F.col(c)).alias(f"_d_{name}") for name, c in instants.items()]


def _tags(items: Column | str, lists: str) -> Column:
    """`name|list` for every item of an array of structs and every list it is in (array lookups)."""
    return F.flatten(F.transform(items, lambda x: F.transform(x[lists], lambda n: F.concat(x["tag"], F.lit("|"), n))))


def _none(dtype: str) -> Column:
    return F.lit(None).cast(dtype)


def _trigger_rows(look: Lookups, ids: DataFrame) -> DataFrame:
    """Every object a report names as its trigger, in one shape (t_*), from the register's tables."""
    trigger_ids = ids.select("trigger_id")
    ts, s = "timestamp", "string"
    d = look.rows_in("diagnose", "diagnose_id", trigger_ids).select(
        F.lit("diagnose").alias("t_kind"),
        F.col("diagnose_id").alias("t_id"),
        F.col("code").alias("t_code"),
        F.col("role").alias("t_role"),
        F.col("art").alias("t_art"),
        F.col("kontakt_id").alias("t_kontakt"),
        _none(ts).alias("t_start"),
        _none(ts).alias("t_time"),
    )
    k = look.rows_in("kontakt", "kontakt_id", trigger_ids).select(
        F.lit("kontakt").alias("t_kind"),
        F.col("kontakt_id").alias("t_id"),
        F.col("reason").alias("t_code"),
        _none(s).alias("t_role"),
        _none(s).alias("t_art"),
        F.col("kontakt_id").alias("t_kontakt"),
        F.col("start_time").alias("t_start"),
        _none(ts).alias("t_time"),
    )
    p = look.rows_in("procedure", "procedure_id", trigger_ids).select(
        F.lit("procedure").alias("t_kind"),
        F.col("procedure_id").alias("t_id"),
        F.col("code").alias("t_code"),
        _none(s).alias("t_role"),
        _none(s).alias("t_art"),
        F.col("kontakt_id").alias("t_kontakt"),
        F.col("start_time").alias("t_start"),
        _none(ts).alias("t_time"),
    )
    fe = look.rows_in("forloebselement", "forloebselement_id", trigger_ids).select(
        F.lit("forloebselement").alias("t_kind"),
        F.col("forloebselement_id").alias("t_id"),
        _none(s).alias("t_code"),
        _none(s).alias("t_role"),
        _none(s).alias("t_art"),
        _none(s).alias("t_kontakt"),
        F.col("start_time").alias("t_start"),
        _none(ts).alias("t_time"),
    )
    m = look.rows_in("forloebsmarkoer", "forloebsmarkoer_id", trigger_ids).select(
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


def _contacts(look: Lookups, ids: DataFrame, key: str) -> DataFrame:
    """The contacts whose id is in `ids`' `key` column: _k_id, their forløbselement (k_fe), period,
    unit, type and priority (k_start, k_end, k_unit, t_ktype, t_prio)."""
    return look.rows_in("kontakt", "kontakt_id", ids.select(key)).select(
        F.col("kontakt_id").alias("_k_id"),
        F.col("forloebselement_id").alias("k_fe"),
        F.col("responsible_unit").alias("k_unit"),
        F.col("start_time").alias("k_start"),
        F.col("end_time").alias("k_end"),
        F.col("type").alias("t_ktype"),
        F.col("priority").alias("t_prio"),
    )


def _contacts_of(look: Lookups, df: DataFrame, key: str) -> DataFrame:
    """`df` with its contact (the `_contacts` columns but the id and its forløbselement)."""
    k = _contacts(look, df, key).drop("k_fe")
    return df.join(k, df[key] == k["_k_id"], "left").drop("_k_id")


def _results(look: Lookups, reports: DataFrame) -> DataFrame:
    """Per report: its results as an array of structs (res_ri_id, res)."""
    # the results' own table: its whole as-of state is in proportion to the result reports
    res = semi_in(look.r["resultat"], "resultatindberetning_id", reports.select("resultatindberetning_id"))
    res = look.codes(res, {"value": "rvalue", "type": "rtype"})
    value = F.trim(F.col("value"))
    item = F.struct(
        F.col("resultat_id").alias("id"),
        F.col("type").alias("type"),
        F.col("value").alias("value"),
        F.col("time").alias("time"),
        F.col("rvalue__lists").alias("lists"),
        F.when(value.rlike(r"^[+-]?\d+$"), value.try_cast("long")).alias("int"),
        F.when(value.rlike(r"^[+-]?(\d+\.?\d*|\.\d+)$"), value.try_cast("double")).alias("dec"),
        F.try_to_timestamp(value, F.lit(DATETIME_FORMAT)).isNotNull().alias("dt_ok"),
        F.col("rtype__from").alias("type_from"),
        F.col("rtype__to").alias("type_to"),
        F.col("rtype__gaps").alias("type_gaps"),
    )
    return res.groupBy(F.col("resultatindberetning_id").alias("res_ri_id")).agg(F.collect_list(item).alias("res"))


def current_reports(look: Lookups) -> DataFrame:
    """The current result reports, materialized: the rows of `report` and the reports `trigger` finds."""
    return materialized(look.r["resultatindberetning"])


def report_frame(look: Lookups, base: DataFrame) -> Frame:
    """Frame `report` (see the module docstring) of the current result reports `base`."""
    # materialized: the contacts' lookup takes its ids from these rows and joins them
    t = _contacts_of(look, materialized(_trigger_rows(look, base)), "t_kontakt")
    t = look.codes(t, {"t_code": "tcode", "t_art": "tart", "t_ktype": "tktype", "t_prio": "tprio"})
    res = _results(look, base)
    fe = look.fe_base(look.rows_in("forloebselement", "forloebselement_id", base.select("forloebselement_id")))
    ri = base.join(t, (base["trigger_type"] == t["t_kind"]) & (base["trigger_id"] == t["t_id"]), "left")
    ri = ri.join(res, ri["resultatindberetning_id"] == res["res_ri_id"], "left").drop("res_ri_id")
    ri = ri.withColumn("res", F.coalesce("res", F.array().cast(res.schema["res"].dataType)))
    ri = look.unit(look.codes(ri, {"name": "name", "status": "status"}), "responsible_unit", "ru")
    ri = ri.join(fe, ri["forloebselement_id"] == fe["fe_id"], "left")
    days = _days(cs="cause_start_time", ce="cause_end_time", kend="k_end", tstart="t_start")
    # computed once, before the list lambdas: `report_result` reads the same rows, and each frame
    # computes only the lists its rules name (the optimizer prunes the rest)
    ri = materialized(ri.select("*", *days))
    anchors = {
        "period": ("_d_cs", "_d_ce"),
        "start": ("_d_cs", None),
        "end": ("_d_ce", None),
        "contact_end": ("_d_kend", None),
        "trigger_start": ("_d_tstart", None),
    }
    # `res` stays as read (`report_result` explodes it); the lists of each result over the cause
    # period are computed only where a rule reads `res_tags`
    tagged = F.transform(
        "res",
        lambda x: F.struct(
            x["type"].alias("tag"), lists_during(x["lists"], F.col("_d_cs"), F.col("_d_ce")).alias("in_period")
        ),
    )
    ri = ri.select(
        "*",
        *[c for p in ("name", "status", "tcode", "tart", "tktype", "tprio") for c in _in_lists(p, anchors)],
        F.transform("res", lambda x: x["type"]).alias("res_types"),
        _tags(tagged, "in_period").alias("res_tags"),
    )
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


def report_result_frame(report: Frame) -> Frame:
    """Frame `report_result`: the `report` frame with one row per result (r_* from `res`)."""
    df = report.df.select("*", F.explode("res").alias("r"))
    df = df.select(
        "*", *[F.col(f"r.{f}").alias(f"r_{f}") for f in ("id", "type", "value", "lists", "int", "dec", "dt_ok")]
    )
    df = df.select(
        *[c for c in df.columns if c not in ("_object_id", "_parent_id", "r")],
        *[F.col(f"r.type_{f}").alias(f"rtype__{f}") for f in ("from", "to", "gaps")],
        F.col("r.lists").alias("r__lists"),
        F.col("r_id").alias("_object_id"),
        F.col("resultatindberetning_id").alias("_parent_id"),
    )
    df = df.select(
        "*",
        *_in_lists("r", {"period": ("_d_cs", "_d_ce"), "start": ("_d_cs", None), "trigger_start": ("_d_tstart", None)}),
    )
    return Frame("report_result", "resultat", df)


def trigger_frame(look: Lookups, lists: dict[str, list[str]], reports: DataFrame) -> Frame:
    """Frame `trigger`: the candidate triggers of the requirement rules, with the current result
    reports (`reports`) each triggered. `lists` maps a trigger kind (diagnose, kontakt, procedure)
    to the code lists the rules name for it."""
    listed = look.code_info.select("code", F.map_keys("lists").alias("names"))

    def in_lists(name: str, col: str, names: list[str]) -> DataFrame:
        codes = listed.where(F.arrays_overlap("names", F.array(*map(F.lit, names) or [F.lit("")])))
        return look.rows_in(name, col, codes.select("code"))

    s = "string"
    parts = []
    if lists.get("diagnose"):
        d = in_lists("diagnose", "code", lists["diagnose"]).select(
            F.lit("diagnose").alias("t_kind"),
            F.col("diagnose_id").alias("t_id"),
            F.col("code").alias("t_code"),
            F.col("role").alias("t_role"),
            F.col("kontakt_id").alias("t_kontakt"),
            F.col("region"),
            _none(s).alias("t_fe"),
            _none("timestamp").alias("t_start"),
        )
        parts.append(d)
    if lists.get("kontakt"):
        k = in_lists("kontakt", "reason", lists["kontakt"]).select(
            F.lit("kontakt").alias("t_kind"),
            F.col("kontakt_id").alias("t_id"),
            F.col("reason").alias("t_code"),
            _none(s).alias("t_role"),
            F.col("kontakt_id").alias("t_kontakt"),
            F.col("region"),
            F.col("forloebselement_id").alias("t_fe"),
            F.col("start_time").alias("t_start"),
        )
        parts.append(k)
    if lists.get("procedure"):
        p = in_lists("procedure", "code", lists["procedure"]).select(
            F.lit("procedure").alias("t_kind"),
            F.col("procedure_id").alias("t_id"),
            F.col("code").alias("t_code"),
            _none(s).alias("t_role"),
            F.col("kontakt_id").alias("t_kontakt"),
            F.col("region"),
            F.col("forloebselement_id").alias("t_fe"),
            F.col("start_time").alias("t_start"),
        )
        parts.append(p)
    found = materialized(functools.reduce(DataFrame.unionByName, parts))
    # every lookup's id set comes from `found` or another lookup, never from the joined result,
    # so the plan grows with the number of lookups, not exponentially with their chain
    # materialized, as the next lookup takes its ids from them and the frame joins them
    k = materialized(_contacts(look, found, "t_kontakt"))
    fe_ids = found.select(F.col("t_fe").alias("_fe")).unionByName(k.select(F.col("k_fe").alias("_fe")))
    fe_rows = materialized(look.rows_in("forloebselement", "forloebselement_id", fe_ids))
    born = look.rows_in("patient", "patient_id", fe_rows.select("patient_id"))
    born = born.select(F.col("patient_id").alias("_bp"), "birth_date")
    fe = look.fe_base(fe_rows.join(born, fe_rows["patient_id"] == born["_bp"], "left"), "birth_date")
    ri = semi_in(reports, "trigger_id", found.select("t_id"))
    t = found.join(k, found["t_kontakt"] == k["_k_id"], "left").drop("_k_id")
    t = t.withColumn("t_fe", F.coalesce("t_fe", "k_fe")).drop("k_fe")
    t = t.join(fe, t["t_fe"] == fe["fe_id"], "left")
    ri = look.codes(ri, {"status": "status"})
    reports = ri.groupBy(F.col("trigger_type").alias("_rk"), F.col("trigger_id").alias("_rt")).agg(
        F.collect_list(
            F.struct(
                F.col("name").alias("name"),
                F.col("status__lists").alias("status_lists"),
                F.col("cause_start_time").alias("start"),
                F.col("cause_end_time").alias("end"),
                day(F.col("cause_start_time")).alias("start_day"),
                day(F.col("cause_end_time")).alias("end_day"),
            )
        ).alias("reports")
    )
    t = t.join(reports, (t["t_kind"] == reports["_rk"]) & (t["t_id"] == reports["_rt"]), "left").drop("_rk", "_rt")
    t = t.withColumn("reports", F.coalesce("reports", F.array().cast(reports.schema["reports"].dataType)))
    t = look.codes(t, {"t_code": "tcode", "t_ktype": "tktype", "t_prio": "tprio"})
    t = t.select("*", *_days(kstart="k_start", kend="k_end", tstart="t_start"))
    anchors = {
        "contact_period": ("_d_kstart", "_d_kend"),
        "contact_end": ("_d_kend", None),
        "trigger_start": ("_d_tstart", None),
    }

    def statuses(x: Column) -> Column:
        sl = x["status_lists"]
        return (
            x.withField("status_in__period", lists_during(sl, x["start_day"], x["end_day"]))
            .withField("status_in__start", lists_on(sl, x["start_day"]))
            .withField("status_in__end", lists_on(sl, x["end_day"]))
            .withField("status_in__contact_end", lists_on(sl, F.col("_d_kend")))
        )

    t = t.withColumn("reports", F.transform("reports", statuses))
    t = t.select("*", *[c for p in ("tcode", "tktype", "tprio") for c in _in_lists(p, anchors)])
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
