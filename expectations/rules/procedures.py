"""Rules on procedures (group PROCEDURE) and 10.32 (a procedure's betalingsoplysning)."""

from __future__ import annotations

from pyspark.sql import functions as F

from expectations.columns import (
    absent,
    after_valid,
    before_valid,
    col,
    day,
    in_list_at,
    in_list_within,
    lists_contain_at,
    not_in_any_list_at,
    not_in_list_at,
    outside_valid,
    present,
)
from expectations.registry import Check

P, PC = "procedure", "procedure_codes"


def _code_in(name: str):
    return in_list_at("code", name, "start_time")


on_fe = lambda: absent("kontakt_id")  # noqa: E731  directly on the forløbselement (F.procedurer)
on_contact = lambda: present("kontakt_id")  # noqa: E731


def _complication_without_bidiagnose():
    """11110: an RAA09 report on a complication-registered operation says Clavien grade I-V, and the
    operation's contact has no bidiagnose for a complicating condition."""
    at = col("cause_start_time")
    graded = F.exists(
        F.coalesce(col("res_items"), F.array()),
        lambda r: (r["type"] == "RDA85") & lists_contain_at(r["lists"], "res.clavien.suba", at),
    )
    has_b = F.exists(
        F.coalesce(col("b_lists"), F.array()), lambda lists: lists_contain_at(lists, "diag.kirkomplikat", at)
    )
    return (
        (col("name") == "RAA09") & present("rp_id") & in_list_at("rpcode", "proc.opr.komplikat", at) & graded & ~has_b
    )


# 10.32: a procedure with an end and a betalingsoplysning: the payment ends when the procedure does

CHECKS: list[Check] = [
    Check("11.01", P, lambda: col("end_time") <= col("start_time")),
    Check(
        "11101",
        P,
        lambda: present("code") & not_in_any_list_at("code", ["proc.act", "proc.opr", "proc.und"], "start_time"),
    ),
    Check("11102", P, lambda: absent("side") & _code_in("proc.lateral")),
    Check("11103", P, lambda: absent("action_spec") & _code_in("proc.handling")),
    Check("11104", P, lambda: absent("contrast") & _code_in("proc.kontrast")),
    Check(
        "11107",
        P,
        lambda: (
            _code_in("proc.inhabil.subb")
            & (absent("personnel") | not_in_list_at("personnel", "admin.personale", "start_time"))
        ),
    ),
    Check("11.11", P, lambda: on_fe() & present("fe_end") & absent("end_time") & _code_in("proc.sluttid")),
    Check("11110", "result_report", _complication_without_bidiagnose, object_type="procedure", object_id="rp_id"),
    Check(
        "11111",
        P,
        lambda: (
            on_contact()
            & in_list_within("ktype", "admin.konttype.diagindb", "k_start", "k_end")
            & ((col("start_time") != col("k_start")) | present("end_time"))
        ),
    ),
    Check("11.12", P, lambda: on_fe() & (col("start_time") < col("fe_start"))),
    Check("11.13", P, lambda: on_fe() & (col("start_time") >= col("fe_end"))),
    Check("11.15", P, lambda: on_fe() & (col("end_time") > col("fe_end"))),
    Check("11.21", P, lambda: on_contact() & present("k_end") & absent("end_time") & _code_in("proc.sluttid")),
    Check("11.22", P, lambda: on_contact() & (col("k_start") > col("start_time"))),
    Check("11.23", P, lambda: on_contact() & (col("k_end") <= col("start_time"))),
    Check("11.25", P, lambda: on_contact() & (col("k_end") < col("end_time"))),
    Check(
        "11.31",
        P,
        lambda: on_fe() & (absent("betalingsoplysning_id") | ~col("pay_start").eqNullSafe(col("start_time"))),
    ),
    Check("11.41", P, lambda: before_valid("producer", "start_time")),
    Check("11.42", P, lambda: after_valid("producer", "start_time")),
    Check(
        "11.43",
        P,
        lambda: (
            present("producer__to")
            & in_list_within("code", "proc.sluttid", "start_time", "end_time")
            & (day("end_time") > col("producer__to"))
        ),
    ),
    Check("11.44", P, lambda: after_valid("producer", "end_time")),
    Check("11.52", P, lambda: present("code") & outside_valid("code", "start_time")),
    Check("11.53", P, lambda: present("code") & after_valid("code", "end_time")),
    Check("11.54", P, lambda: present("side") & outside_valid("side", "start_time")),
    Check("11.56", P, lambda: present("action_spec") & outside_valid("action", "start_time")),
    Check("11.57", P, lambda: present("indication") & outside_valid("indication", "start_time")),
    Check("11.59", PC, lambda: (col("code_kind") == "T") & outside_valid("x", "start_time")),
    Check("11.60", PC, lambda: (col("code_kind") == "I") & present("indication") & outside_valid("x", "start_time")),
    Check("11.b", P, lambda: present("side") & not_in_list_at("side", "spec.lateralproc", "start_time")),
    Check("11.c", P, lambda: present("action_spec") & not_in_list_at("action", "spec.handspec", "start_time")),
    Check("11.d", P, lambda: present("contrast") & not_in_list_at("contrast", "spec.anvkontrast", "start_time")),
    Check(
        "11.e",
        P,
        lambda: present("indication") & not_in_any_list_at("indication", ["diag", "admin.behandsigte"], "start_time"),
    ),
    Check("11.f", P, lambda: present("personnel") & not_in_list_at("personnel", "admin.personale", "start_time")),
    Check(
        "10.32",
        P,
        lambda: (
            present("betalingsoplysning_id")
            & present("end_time")
            & ~F.coalesce(col("pay_end") == col("end_time"), F.lit(False))
        ),
        object_type="betalingsoplysning",
        object_id="betalingsoplysning_id",
    ),
]
