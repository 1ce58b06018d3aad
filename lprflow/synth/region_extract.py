"""The region's own extract of its contacts and what `lprflow match` must find in it.

The extract is what the region's systems hold: every generated contact starting in the year (a
Danish date), with the values it was reported with (its newest version, its aktionsdiagnose, the
patient's CPR number). Discrepancies against the national data (conf/generator.yaml
`region_extract`), each contact at most one, drawn among contacts reported by the closing day:

- national side: `not_reported` (the contact and everything hanging on it leave the register),
  `deleted` (a deletion is reported `deleted_after_days` after the contact), `reported_late` (its
  reports move to within `late_days` after the closing day); only contacts between the first
  and the last of their forløbselement without an injected rule violation, so the forløbselement
  and the error list's ground truth stay as they were (the truth rows of a removed or deleted
  contact's objects are dropped);
- extract side: `changed` (one value: patient, start, end, unit, type, priority or
  aktionsdiagnose), `duplicate` (the row twice), `only_national` (the row missing), and rows
  `without_id` (no LPR3 id: matched on patient, unit and start).

Besides the injected ones, the truth holds what the data itself makes: contacts first reported
after the closing day (`late`), contacts whose end and aktionsdiagnose came after it while an
open report came before (differences `end_time` and `aktionsdiagnose`, `late`), and national
contacts starting in another year (`other_year`).
"""

from __future__ import annotations

import datetime as dt

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F
from pyspark.sql.types import StringType, StructField, StructType

from lprflow.localtime import local_date
from lprflow.register import parse_time
from lprflow.synth.context import DAY, MINUTE, Context, newest, ts

NATIONAL_KINDS = ("not_reported", "deleted", "reported_late")
EXTRACT_KINDS = ("changed", "duplicate", "only_national")
CHANGED_FIELDS = ("patient", "start_time", "end_time", "responsible_unit", "type", "priority", "aktionsdiagnose")
EXTRACT_COLUMNS = [
    "source_id", "kontakt_id", "cpr", "responsible_unit", "start_time", "end_time", "type", "priority",
    "aktionsdiagnose",
]  # fmt: skip
MATCH_TRUTH_SCHEMA = StructType(
    [
        StructField("source_id", StringType()),  # the extract row (null: a national contact only)
        StructField("kontakt_id", StringType()),  # the national contact (null: a region row only)
        StructField("status", StringType(), False),
        StructField("matched_on", StringType()),
        StructField("reason", StringType()),
        StructField("field", StringType()),
    ]
)


def closing(ctx: Context) -> dt.datetime:
    """The closing day (Danish midnight) as a naive UTC instant."""
    month, day = ctx.cfg.region_extract.closing
    return parse_time(dt.date(ctx.year + 1, month, day))


def _closing_s(ctx: Context) -> int:
    return int(closing(ctx).replace(tzinfo=dt.UTC).timestamp())


def mark(ctx: Context, ct: DataFrame, rate: float | None = None) -> DataFrame:
    """`ct` with `mx`, the contact's discrepancy (or null), and the reports of a `reported_late`
    contact moved after the closing day. `rate` replaces every discrepancy share."""
    cfg = ctx.cfg.region_extract
    shares = cfg.discrepancies.model_dump()
    if rate is not None:
        shares = {k: rate for k in shares}
    cidx, d, close = F.col("cidx"), ctx.d, _closing_s(ctx)
    first_rep = F.coalesce(F.col("adm_rep_s"), F.col("rep_s"))
    in_year = local_date(ts(F.col("start_s"))).between(dt.date(ctx.year, 1, 1), dt.date(ctx.year, 12, 31))
    known = (F.col("rep_s") <= close) & (first_rep <= close) & in_year
    middle = (F.col("j") > 0) & (F.col("j") < F.col("n_contacts") - 1) & F.col("inj").isNull()
    deletable = F.col("rep_s") + cfg.deleted_after_days * DAY <= close
    u = d.u("mx", cidx)
    kind = F.lit(None).cast("string")
    bound = 0.0
    for name in (*NATIONAL_KINDS, *EXTRACT_KINDS):
        lo, bound = bound, bound + shares[name]
        ok = known & (middle if name in NATIONAL_KINDS else F.lit(True))
        if name == "deleted":
            ok = ok & deletable
        kind = F.when((u >= lo) & (u < bound) & ok, F.lit(name)).otherwise(kind)
    no_id = known & (d.u("mxid", cidx) < cfg.without_id)
    kind = F.coalesce(kind, F.when(no_id, F.lit("without_id")))
    late = kind == "reported_late"
    moved = close + MINUTE + d.below("mxl", cfg.late_days * DAY // MINUTE, cidx) * MINUTE
    return ct.select(
        *[c for c in ct.columns if c not in ("rep_s", "adm_rep_s")],
        F.when(late, moved).otherwise(F.col("rep_s")).alias("rep_s"),
        F.when(~late | kind.isNull(), F.col("adm_rep_s")).alias("adm_rep_s"),
        kind.alias("mx"),
    )


def _subtree(tables: dict[str, DataFrame], ids: DataFrame) -> DataFrame:
    """(object_type, object_id) of the contacts in `ids` (kontakt_id) and what hangs on them."""
    parts = [ids.select(F.lit("kontakt").alias("object_type"), F.col("kontakt_id").alias("object_id"))]
    for name in ("diagnose", "procedure", "opholdsadresse", "betalingsoplysning"):
        rows = tables[name].join(ids, "kontakt_id", "left_semi")
        parts.append(rows.select(F.lit(name).alias("object_type"), F.col(f"{name}_id").alias("object_id")))
    out = parts[0]
    for p in parts[1:]:
        out = out.unionByName(p)
    return out.distinct()


def apply_national(
    ctx: Context, tables: dict[str, DataFrame], truth: DataFrame, ct: DataFrame, rate: float | None = None
) -> tuple[dict[str, DataFrame], DataFrame]:
    """The register without the never-reported contacts (and what hangs on them), with the
    deletions of the deleted ones; the error list's ground truth without their objects.

    The few contacts concerned and their objects are computed here (small actions), so the
    tables' and the truth's plans do not carry the child tables' plans twice; with none, nothing
    changes."""
    shares = ctx.cfg.region_extract.discrepancies
    if (rate == 0.0) or (rate is None and shares.not_reported == 0.0 and shares.deleted == 0.0):
        return tables, truth  # nothing to remove or delete: no work, the plans stay as they were
    kid = ctx.oid("kontakt", "cidx").alias("kontakt_id")
    marked = ct.where(F.col("mx").isin("not_reported", "deleted")).select(
        kid, "mx", ts(F.col("rep_s") + ctx.cfg.region_extract.deleted_after_days * DAY).alias("_del")
    )
    marked = marked.localCheckpoint()
    if marked.isEmpty():
        return tables, truth
    removed = marked.where(F.col("mx") == "not_reported").select("kontakt_id")
    deleted = marked.where(F.col("mx") == "deleted").select("kontakt_id", "_del")
    subtree = _subtree(tables, marked.select("kontakt_id")).localCheckpoint()
    truth = truth.join(subtree, ["object_type", "object_id"], "left_anti")
    out = dict(tables)
    k = tables["kontakt"].join(removed, "kontakt_id", "left_anti")
    last = newest(k, "kontakt_id").join(deleted, "kontakt_id")
    deletion = last.select(
        *[
            F.col("_del").alias(c) if c == "reported_at" else (F.lit(True).alias(c) if c == "deleted" else F.col(c))
            for c in k.columns
        ]
    )
    out["kontakt"] = k.unionByName(deletion)
    for name in ("diagnose", "procedure", "opholdsadresse", "betalingsoplysning"):
        t = tables[name]
        kept = t.where(F.col("kontakt_id").isNull()).unionByName(
            t.where(F.col("kontakt_id").isNotNull()).join(removed, "kontakt_id", "left_anti")
        )
        out[name] = kept.select(*t.columns)
    return out, truth


def _changed(ctx: Context, field: Column) -> dict[str, Column]:
    cfg, codes = ctx.cfg.region_extract, ctx.cfg.codes
    units = sorted(u for us in ctx.units_by_specialty.values() for u in us)[:2]
    on = F.col("mx") == "changed"

    def other(values: list[str] | tuple[str, ...], current: Column) -> Column:
        return F.when(current == values[0], F.lit(values[1])).otherwise(F.lit(values[0]))

    def when(name: str, value: Column, current: Column) -> Column:
        return F.when(on & (field == name), value).otherwise(current)

    cpr, unit = F.col("cpr"), F.col("responsible_unit")
    replacement = F.concat(F.substring(cpr, 1, 7), F.lit(cfg.replacement_letters), F.substring(cpr, 10, 1))
    return {
        "cpr": when("patient", replacement, cpr),
        "start_time": when(
            "start_time", F.col("start_time") + F.expr(f"make_dt_interval(0, 0, {cfg.changed_start_minutes}, 0)"),
            F.col("start_time"),
        ),
        "end_time": when(
            "end_time",
            F.coalesce(F.col("end_time"), F.col("start_time"))
            + F.expr(f"make_dt_interval(0, 0, {cfg.changed_end_minutes}, 0)"),
            F.col("end_time"),
        ),
        "responsible_unit": when("responsible_unit", other(units, unit), unit),
        "type": when("type", other([codes.physical, codes.virtual], F.col("type")), F.col("type")),
        "priority": when("priority", other([codes.acute, codes.planned], F.col("priority")), F.col("priority")),
        "aktionsdiagnose": when(
            "aktionsdiagnose", other(list(cfg.changed_diagnoses), F.col("aktionsdiagnose")), F.col("aktionsdiagnose")
        ),
    }  # fmt: skip


def region_extract(ctx: Context, tables: dict[str, DataFrame], ct: DataFrame) -> tuple[DataFrame, DataFrame]:
    """(the extract in EXTRACT_COLUMNS, its match truth in MATCH_TRUTH_SCHEMA), from the register as
    generated before `apply_national` and the marked contacts."""
    close = _closing_s(ctx)
    k = newest(tables["kontakt"], "kontakt_id")
    a = (
        tables["diagnose"]
        .where((F.col("role") == "A") & ~F.col("deleted"))
        .groupBy("kontakt_id")
        .agg(F.max_by("code", "reported_at").alias("aktionsdiagnose"))
    )
    cpr = newest(tables["patient"], "patient_id").select("patient_id", "cpr")
    marks = ct.select(
        ctx.oid("kontakt", "cidx").alias("kontakt_id"),
        "cidx",
        "mx",
        F.coalesce("adm_rep_s", "rep_s").alias("_first_s"),
        F.col("rep_s").alias("_final_s"),
    )
    rows = (
        k.join(a, "kontakt_id", "left")
        .join(cpr, "patient_id", "left")
        .join(marks, "kontakt_id")
        .select(
            "*",
            F.concat(F.lit("epj-"), F.col("cidx").cast("string")).alias("source_id"),
            F.coalesce(
                local_date(F.col("start_time")).between(dt.date(ctx.year, 1, 1), dt.date(ctx.year, 12, 31)),
                F.lit(True),  # no start: the region has it all the same
            ).alias("_in"),
        )
    )
    choice = ctx.d.choose("mxf", list(CHANGED_FIELDS), F.col("cidx"))
    # an open contact's end cannot change in the extract without it reading as open nationally: its start does
    rows = rows.withColumn(
        "_field", F.when((choice == "end_time") & F.col("end_time").isNull(), "start_time").otherwise(choice)
    )
    changed = _changed(ctx, F.col("_field"))
    mx = F.col("mx")
    region = rows.where(F.col("_in") & ~mx.eqNullSafe(F.lit("only_national"))).select(
        "source_id",
        F.when(~mx.eqNullSafe(F.lit("without_id")), F.col("kontakt_id")).alias("kontakt_id"),
        *[changed[c].alias(c) if c in changed else F.col(c) for c in EXTRACT_COLUMNS[2:]],
        "mx",
    )
    extract = region.drop("mx").unionByName(
        region.where(mx == "duplicate").drop("mx").withColumn("source_id", F.concat("source_id", F.lit("-dup")))
    )
    return extract, _truth(rows, close)


def _truth(rows: DataFrame, close: int) -> DataFrame:
    mx, sid, kid = F.col("mx"), F.col("source_id"), F.col("kontakt_id")
    late = F.col("_first_s") > close
    late_update = ~late & (F.col("_final_s") > close)
    nothing = F.lit(None).cast("string")

    def row(source: Column, kontakt: Column, status: str, on: str | None, reason: str | None, field: Column) -> Column:
        return F.struct(
            source.alias("source_id"),
            kontakt.alias("kontakt_id"),
            F.lit(status).alias("status"),
            F.lit(on).cast("string").alias("matched_on"),
            F.lit(reason).cast("string").alias("reason"),
            field.alias("field"),
        )

    national_seen = ~late & ~mx.isin("not_reported", "deleted")
    in_year, region_row = F.col("_in"), F.col("_in") & ~mx.eqNullSafe(F.lit("only_national"))
    diff_reason = F.when(F.col("_field") == "patient", "different_patient").otherwise("unknown")
    items = [
        F.when(region_row & (mx == "not_reported"), row(sid, nothing, "only_region", None, "not_reported", nothing)),
        F.when(region_row & (mx == "deleted"), row(sid, nothing, "only_region", None, "deleted", nothing)),
        F.when(region_row & late, row(sid, nothing, "only_region", None, "late", nothing)),
        F.when(
            mx == "changed",
            F.struct(
                sid.alias("source_id"), kid.alias("kontakt_id"), F.lit("matched_with_differences").alias("status"),
                F.lit("kontakt_id").alias("matched_on"), diff_reason.alias("reason"), F.col("_field").alias("field"),
            ),
        ),
        F.when(mx == "duplicate", row(F.concat(sid, F.lit("-dup")), nothing, "only_region", None, "duplicate",
                                      nothing)),
        F.when(mx == "only_national", row(nothing, kid, "only_national", None, "unknown", nothing)),
        F.when(mx == "without_id", row(sid, kid, "matched", "patient_unit_start", None, nothing)),
        F.when(national_seen & ~in_year, row(nothing, kid, "only_national", None, "other_year", nothing)),
        F.when(
            region_row & late_update & F.col("end_time").isNotNull(),
            row(sid, kid, "matched_with_differences", "kontakt_id", "late", F.lit("end_time")),
        ),
        F.when(
            region_row & late_update & F.col("aktionsdiagnose").isNotNull(),
            row(sid, kid, "matched_with_differences", "kontakt_id", "late", F.lit("aktionsdiagnose")),
        ),
    ]  # fmt: skip
    return rows.select(F.explode(F.array_compact(F.array(*items))).alias("t")).select("t.*")
