"""Injected rule violations: one record per rule, holding everything about it.

An `Injection` says at which level an object is drawn (a contact or a forløbselement), which
objects are eligible, how the chosen object's rows are changed (`mutations`, per table stage),
and what the change breaks (`breaks`: every (object type, rule) the error list must show,
consequential rules included), read off the rows of its `evidence` stage.

How it runs: `assign` draws one uniform number per object and cuts it into one slot per record
of the level (in the order of `INJECTIONS`); an eligible object, reported by LPR, whose number
falls in a record's slot gets that record's rule in its `inj` column. Each table builder then
passes its columns through `mutate(stage, ...)` and takes its ground truth from
`truth(stage, ...)`. The injectable rules are derived from the records (`INJECTABLE_RULES`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from lprflow.synth.context import HOUR, MINUTE, Context

Cols = dict[str, Column]
CONTACT, FE = "contact", "forloebselement"
# the table stages a mutation or the evidence can name (each builder names its own)
STAGES = {
    "contact",
    "diagnose",
    "opholdsadresse_contact",
    "opholdsadresse",
    "procedure",
    "forloebselement",
    "henvisning",
}


@dataclass(frozen=True)
class Mutation:
    stage: str
    set: Callable[[Context, Cols], Cols]  # new values of columns of the stage
    where: Callable[[Cols], Column] | None = None  # which of the object's rows (default: all)


@dataclass(frozen=True)
class Injection:
    rule_id: str
    level: str  # CONTACT or FE: what is drawn
    eligible: Callable[[Context], Column]  # over the contact plan (CONTACT) or forløbselement (FE)
    mutations: tuple[Mutation, ...]
    evidence: str  # the stage whose rows identify the broken objects
    breaks: tuple[tuple[str, str], ...]  # (object type, rule id); the id is the stage's `<type>_id`
    evidence_where: Callable[[Cols], Column] | None = None


# ---------------------------------------------------------------- eligibility helpers (contact plan columns)
def _closed() -> Column:
    return F.col("end_s").isNotNull()


def _setting(*settings: str) -> Column:
    return F.col("setting").isin(*settings)


def _physical() -> Column:
    return _setting("inpatient", "outpatient", "er")


def _special(ctx: Context) -> Column:
    """Cancer, birth and hospice contacts carry other rules' requirements: not injected."""
    return F.col("fe_kind").isin("cancer", "birth", "hospice") | F.col("code_a").isin(*ctx.primkraeft)


def _lateral_a(ctx: Context) -> Column:
    return F.col("code_a").isin(*ctx.lateral_diag)


def _planned(ctx: Context) -> Column:
    return F.col("priority") == ctx.cfg.codes.planned


def _first(key: str, n: int = 0) -> Callable[[Cols], Column]:
    return lambda c: c[key] == n


def _contact_rule(rule: str, eligible: Callable[[Context], Column], *mutations: Mutation, also=()) -> Injection:
    """A violation shown on the contact itself (plus `also` rules on it)."""
    breaks = (("kontakt", rule), *(("kontakt", r) for r in also))
    return Injection(rule, CONTACT, eligible, mutations, "contact", breaks)


def _on(stage: str, where: Callable[[Cols], Column] | None = None, **values: Callable[[Context, Cols], Column]):
    return Mutation(stage, lambda ctx, c: {k: f(ctx, c) for k, f in values.items()}, where)


INJECTIONS: list[Injection] = [
    # ---- drawn per contact, in slot order
    _contact_rule(
        "05.12",
        lambda ctx: F.col("treat_s").isNotNull() & _closed(),
        _on("contact", treat_s=lambda ctx, c: c["start_s"] - 10 * MINUTE),
    ),
    _contact_rule(
        "05.14",
        lambda ctx: _closed() & ~_special(ctx) & ~_setting("diagreport"),
        _on("diagnose", _first("k"), _keep=lambda ctx, c: F.lit(False)),  # no aktionsdiagnose
        also=("05.15",),
    ),
    _contact_rule(
        "05.b",
        lambda ctx: _planned(ctx) & _setting("outpatient", "virtual") & ~_special(ctx),
        _on("contact", priority=lambda ctx, c: F.lit(ctx.cfg.inject.not_a_priority)),
    ),
    _contact_rule(
        "05.a",
        lambda ctx: _setting("virtual"),
        _on("contact", type=lambda ctx, c: F.lit(ctx.cfg.inject.not_a_contact_type)),
    ),
    _contact_rule(
        "5104",
        lambda ctx: _planned(ctx) & _physical() & ~F.col("psych"),
        _on("contact", reason=lambda ctx, c: F.lit(ctx.cfg.codes.reason_illness)),
    ),
    _contact_rule("5102", lambda ctx: F.col("reason").isNotNull(), _on("contact", reason=lambda ctx, c: F.lit(None))),
    _contact_rule("5105", lambda ctx: _physical(), _on("opholdsadresse_contact", _keep=lambda ctx, c: F.lit(False))),
    _contact_rule(
        "5106",
        lambda ctx: _setting("virtual") & _closed(),
        _on("opholdsadresse_contact", _keep=lambda ctx, c: F.lit(True)),
    ),
    _contact_rule(
        "09.02",
        lambda ctx: _setting("inpatient") & _closed() & (F.col("los") >= 3),
        _on("opholdsadresse_contact", n_seg=lambda ctx, c: F.greatest(c["n_seg"], F.lit(2))),
        _on("opholdsadresse", _first("seg"), end=lambda ctx, c: c["end"] - 10 * MINUTE),  # a gap
    ),
    Injection(
        "09.12",
        CONTACT,
        lambda ctx: _physical() & _closed(),
        (_on("opholdsadresse", _first("seg"), start=lambda ctx, c: c["start_s"] - 30 * MINUTE),),
        "opholdsadresse",
        (("opholdsadresse", "09.12"), ("kontakt", "09.16a")),
        _first("seg"),
    ),
    Injection(
        "09.61",
        CONTACT,
        lambda ctx: _physical() & _closed(),
        (_on("opholdsadresse", _first("seg"), absence=lambda ctx, c: F.lit(ctx.cfg.codes.absence)),),
        "opholdsadresse",
        (("opholdsadresse", "09.61"),),
        _first("seg"),
    ),
    Injection(
        "12.52",
        CONTACT,
        lambda ctx: ~_special(ctx) & ~_lateral_a(ctx),
        (_on("diagnose", _first("k"), code=lambda ctx, c: F.lit(ctx.cfg.inject.expired_diagnosis)),),
        "diagnose",
        (("diagnose", "12.52"), ("diagnose", "12.101a")),
        _first("k"),
    ),
    Injection(
        "12102",
        CONTACT,
        lambda ctx: _lateral_a(ctx) & ~_special(ctx),
        (_on("diagnose", _first("k"), side=lambda ctx, c: F.lit(None).cast("string")),),
        "diagnose",
        (("diagnose", "12102"),),
        _first("k"),
    ),
    Injection(
        "12.04.101",
        CONTACT,
        lambda ctx: _setting("inpatient") & ~_special(ctx),
        (_on("diagnose", _first("k", 1), art=lambda ctx, c: F.lit(ctx.cfg.codes.art_a)),),  # a bidiagnose of art A
        "diagnose",
        (("diagnose", "12.04.101"),),
        _first("k", 1),
    ),
    Injection(
        "12.03.101",
        CONTACT,
        lambda ctx: ~_special(ctx),
        (_on("diagnose", _first("k"), art=lambda ctx, c: F.lit(ctx.cfg.codes.art_b)),),  # an aktionsdiagnose of art B
        "diagnose",
        (("diagnose", "12.03.101"),),
        _first("k"),
    ),
    Injection(
        "11.01",
        CONTACT,
        lambda ctx: F.lit(True),  # resolved against the procedures actually generated
        (_on("procedure", _first("k", 1), end=lambda ctx, c: c["ps"]),),  # ends when it starts
        "procedure",
        (("procedure", "11.01"),),
        _first("k", 1),
    ),
    Injection(
        "11102",
        CONTACT,
        lambda ctx: F.lit(True),
        (_on("procedure", lambda c: (c["k"] == 1) & c["lateral"], side=lambda ctx, c: F.lit(None).cast("string")),),
        "procedure",
        (("procedure", "11102"),),
        lambda c: (c["k"] == 1) & c["lateral"],
    ),
    Injection(
        "11.22",
        CONTACT,
        lambda ctx: F.col("j") > 0,
        (_on("procedure", _first("k", 1), start=lambda ctx, c: c["start_s"] - HOUR),),  # before the contact
        "procedure",
        (("procedure", "11.22"),),
        _first("k", 1),
    ),
    # ---- drawn per forløbselement, in slot order
    Injection(
        "02.02",
        FE,
        lambda ctx: F.col("open") == 0,
        (_on("forloebselement", end_mode=lambda ctx, c: F.lit(None).cast("string")),),
        "forloebselement",
        (("forloebselement", "02.02"),),
    ),
    Injection(
        "02.a",
        FE,
        lambda ctx: F.lit(True),
        (_on("forloebselement", label=lambda ctx, c: F.lit(ctx.cfg.inject.not_a_label)),),
        "forloebselement",
        (("forloebselement", "02.a"),),
    ),
    Injection(
        "06.01",
        FE,
        lambda ctx: F.col("has_ref"),
        (_on("henvisning", time=lambda ctx, c: c["anchor_s"] + MINUTE),),  # referred after the start
        "forloebselement",
        (("henvisning", "06.01"), ("henvisning", "06.02")),
    ),
]
INJECTABLE_RULES: list[str] = sorted({rule for i in INJECTIONS for _, rule in i.breaks})


def assign(ctx: Context, level: str, df: DataFrame, key: str) -> DataFrame:
    """`df` with an `inj` column: the rule injected into each object of the level (or null)."""
    records = [i for i in INJECTIONS if i.level == level]
    u = ctx.d.u("inject" if level == CONTACT else "inject-fe", F.col(key))
    rate = ctx.error_rate
    slot = F.when(u < rate * len(records), F.floor(u / rate).cast("int"))
    lpr = F.col("reporter_type") == "LPR"
    inj = F.lit(None).cast("string")
    for n, rec in enumerate(records):
        inj = F.when((slot == n) & rec.eligible(ctx) & lpr, F.lit(rec.rule_id)).otherwise(inj)
    return df.withColumn("inj", inj)


def mutate(stage: str, ctx: Context, cols: Cols) -> Cols:
    """The stage's columns with every record's mutation of that stage applied to its rows."""
    out = dict(cols)
    for rec in INJECTIONS:
        for m in rec.mutations:
            if m.stage != stage:
                continue
            hit = F.col("inj") == rec.rule_id
            if m.where is not None:
                hit = hit & m.where(cols)
            for name, value in m.set(ctx, cols).items():
                out[name] = F.when(hit, value).otherwise(out[name])
    return out


def truth(stage: str, cols: Cols) -> Column:
    """array<struct<object_type, object_id, rule_id>>: what the row's injected mutation breaks."""
    entries = []
    for rec in INJECTIONS:
        if rec.evidence != stage:
            continue
        hit = F.col("inj") == rec.rule_id
        if rec.evidence_where is not None:
            hit = hit & rec.evidence_where(cols)
        for object_type, rule in rec.breaks:
            found = F.struct(
                F.lit(object_type).alias("object_type"),
                cols[f"{object_type}_id"].alias("object_id"),
                F.lit(rule).alias("rule_id"),
            )
            entries.append(F.when(hit, found))
    return F.array_compact(F.array(*entries))


def truth_rows(stage: str, df: DataFrame, cols: Cols) -> DataFrame:
    """The ground-truth rows (object_type, object_id, rule_id) of one stage's frame."""
    return df.select(F.explode(truth(stage, cols)).alias("t")).select("t.*")
