"""Integrity findings: what LPR3 checks before its business rules (an invalid CPR number, an unknown
SOR unit or municipality) and what the register's tree needs (lprflow/state.py sets aside tied
versions and objects whose owner is missing or set aside).

They are not catalogue rules: their ids start with "I." (conf/integrity.yaml holds ids, messages
and parameters), they run in the same pass as the rules (`CHECKS`, evaluated by the engine like
any check) or come from the register state (`set_aside_issues`), and they go to the flat error
list and the summary, never to the authority's JSON form.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from expectations.catalogue import SCOPES, RuleMeta
from expectations.registry import Check
from lprflow.config import IntegrityConfig, integrity_config
from lprflow.cpr import cpr_birth_date, cpr_form_bad, cpr_sex
from lprflow.localtime import local_date

GROUP = "INTEGRITY"


def integrity_metas(conf: IntegrityConfig | None = None) -> dict[str, RuleMeta]:
    """Rule metadata of every integrity finding, for the engine and the summary."""
    conf = conf or integrity_config()
    return {
        rule_id: RuleMeta(
            rule_id=rule_id,
            group=GROUP,
            error_number=rule_id.replace(".", ""),
            message=f.message,
            severity="ERROR",
            source="integrity check (conf/integrity.yaml)",
            scopes=frozenset(SCOPES),
        )
        for rule_id, f in conf.findings.items()
    }


def is_integrity(rule_id: Column) -> Column:
    """True for the error list's rows that are integrity findings."""
    return rule_id.startswith("I.")


# ---------------------------------------------------------------- CPR numbers
def cpr_date_bad(cpr: Column, now: Column) -> Column:
    """A well-formed number whose date is not a calendar date, or lies after the run's time."""
    birth = cpr_birth_date(cpr)
    return ~cpr_form_bad(cpr) & (birth.isNull() | (birth > local_date(now)))


def cpr_disagrees(cpr: Column, birth_date: Column, sex: Column) -> Column:
    """The number's date or sex (parity of the last digit: odd male, 1; even female, 2) differs
    from the patient's reported birth date or sex."""
    birth = cpr_birth_date(cpr)
    return birth.isNotNull() & ((birth != birth_date) | (cpr_sex(cpr) != sex))


# ---------------------------------------------------------------- the checks
def _unknown_unit(src: str, attr: str) -> Column:
    return F.col(src).isNotNull() & F.col(f"{attr}__known").isNull()


CHECKS = [
    Check("I.04", "patient", lambda: cpr_form_bad(F.col("cpr"))),
    Check("I.05", "patient", lambda: cpr_date_bad(F.col("cpr"), F.col("_now"))),
    Check("I.06", "patient", lambda: cpr_disagrees(F.col("cpr"), F.col("birth_date"), F.col("sex"))),
    Check("I.07", "bopael", lambda: F.col("municipality_code").isNotNull() & F.col("municipality__known").isNull()),
    Check("I.08", "forloebselement", lambda: _unknown_unit("responsible_unit", "unit")),
    Check("I.08", "kontakt", lambda: _unknown_unit("responsible_unit", "unit")),
    Check("I.08", "opholdsadresse", lambda: _unknown_unit("unit", "u")),
    Check("I.08", "procedure", lambda: _unknown_unit("producer_unit", "producer")),
]


# ---------------------------------------------------------------- set-aside objects
def set_aside_issues(set_aside: DataFrame, rule_version: str) -> DataFrame:
    """One error-list row per quarantined object (lprflow/state.py), in the engine's columns.

    The forløbselement is left empty: these objects are not in the authority's JSON form."""
    metas = integrity_metas()
    by_reason = {f.reason: rule_id for rule_id, f in integrity_config().findings.items() if f.reason}
    rule_id = F.coalesce(*[F.when(F.col("reason") == r, F.lit(i)) for r, i in by_reason.items()])
    message = F.coalesce(*[F.when(F.col("reason") == r, F.lit(metas[i].message)) for r, i in by_reason.items()])
    none = F.lit(None).cast("string")
    return set_aside.select(
        none.alias("forloebselement_id"),
        F.col("table").alias("object_type"),
        F.col("object_id"),
        F.col("owner_id").alias("parent_id"),
        rule_id.alias("rule_id"),
        F.lit(rule_version).alias("rule_version"),
        F.regexp_replace(rule_id, "\\.", "").alias("error_number"),
        F.lit("ERROR").alias("severity"),
        message.alias("message"),
        F.lit(None).cast("timestamp").alias("error_by"),
        F.col("region"),
        none.alias("responsible_unit"),
        none.alias("contact_month"),
    )
