"""Rules on contacts and contact reasons (groups KONTAKT, KONTAKTAARSAG)."""

from __future__ import annotations

from pyspark.sql import functions as F

from expectations.columns import (
    absent,
    after_valid,
    before_valid,
    col,
    in_list_at,
    in_list_within,
    not_in_list_at,
    outside_valid,
    present,
)
from expectations.registry import Check

K = "kontakt"


def _type_at(name: str):
    return in_list_at("type", name, "start_time")


def _prio_at(name: str):
    return in_list_at("priority", name, "start_time")


# KONTAKTAARSAG


# contact-level diagnosis rules (group DIAGNOSE, tested on the contact's aggregates)
def _prio_within(name: str):
    return in_list_within("priority", name, "start_time", "end_time")


def _type_within(name: str):
    return in_list_within("type", name, "start_time", "end_time")


def _birth_setting_wrong():
    return ~_prio_within("admin.prioritet.akut") | (
        ~_type_within("admin.konttype.fysfr") & ~_type_within("admin.konttype.udeko")
    )


# OPHOLDSADRESSE / BETALINGSOPLYSNING rules that look at all of a contact's intervals

CHECKS: list[Check] = [
    Check(
        "5102",
        K,
        lambda: (
            (col("unit__psych") == F.lit(False))
            & absent("reason")
            & _prio_at("admin.prioritet.akut")
            & _type_at("admin.konttype.fysfr")
        ),
    ),
    Check("5103", K, lambda: (col("unit__psych") == F.lit(True)) & present("reason")),
    Check("5104", K, lambda: present("reason") & _prio_at("admin.prioritet.plan")),
    Check("5105", K, lambda: (col("o_n") == 0) & _type_at("admin.konttype.fysfr")),
    Check("5106", K, lambda: (col("o_n") > 0) & ~_type_at("admin.konttype.fysfr")),
    Check(
        "5107",
        K,
        lambda: (
            present("type")
            & _type_at("admin.konttype.diagindb")
            & (
                ~(col("start_time") + F.expr("INTERVAL 1 MINUTE")).eqNullSafe(col("end_time"))
                | ~_prio_at("admin.prioritet.plan")
            )
        ),
    ),
    Check(
        "5108",
        K,
        lambda: (
            _type_at("admin.konttype.doed")
            & (~_prio_at("admin.prioritet.akut") | (col("a_count") == 0) | ~F.coalesce(col("a_doed"), F.lit(False)))
        ),
    ),
    Check("05.11", K, lambda: col("end_time") <= col("start_time")),
    Check("05.12", K, lambda: col("treatment_start") < col("start_time")),
    Check("05.13", K, lambda: col("end_time") <= col("treatment_start")),
    Check("05.14", K, lambda: (col("a_count") == 0) & present("end_time")),
    Check("05.15", K, lambda: (col("start_time") + F.expr("INTERVAL 30 DAYS") < col("_now")) & (col("a_count") == 0)),
    Check("05.21", K, lambda: col("start_time") < col("fe_start")),
    Check("05.22", K, lambda: col("start_time") >= col("fe_end")),
    Check("05.24", K, lambda: col("end_time") > col("fe_end")),
    Check("05.31", K, lambda: present("fe_end") & (absent("end_time") | (col("end_time") > col("fe_end")))),
    Check("05.41", K, lambda: before_valid("unit", "start_time")),
    Check("05.42", K, lambda: after_valid("unit", "start_time")),
    Check("05.43", K, lambda: after_valid("unit", "end_time")),
    Check("05.44", K, lambda: after_valid("unit", "end_time")),
    Check("05.51", K, lambda: present("type") & outside_valid("type", "start_time")),
    Check("05.52", K, lambda: present("type") & after_valid("type", "end_time")),
    Check("05.53", K, lambda: present("priority") & outside_valid("priority", "start_time")),
    Check("05.a", K, lambda: present("type") & not_in_list_at("type", "admin.konttype", "start_time")),
    Check("05.b", K, lambda: present("priority") & not_in_list_at("priority", "admin.prioritet", "start_time")),
    Check("07.51", K, lambda: present("reason") & outside_valid("reason", "start_time")),
    Check("07.a", K, lambda: present("reason") & not_in_list_at("reason", "admin.kontaarsag", "start_time")),
    Check("12.03.103", K, lambda: F.coalesce(col("a_foedmor"), F.lit(False)) & _birth_setting_wrong()),
    Check("12.03.105", K, lambda: F.coalesce(col("a_foedbarn_vital"), F.lit(False)) & _birth_setting_wrong()),
    Check(
        "12.03.106", K, lambda: F.coalesce(col("a_foedbarn_doed"), F.lit(False)) & ~_type_within("admin.konttype.doed")
    ),
    Check(
        "12.03.108",
        K,
        lambda: F.coalesce(col("a_foedmor_samraad"), F.lit(False)) & ~F.coalesce(col("b_abort_samraad"), F.lit(False)),
    ),
    Check("12.03.109", K, lambda: F.coalesce(col("a_doed"), F.lit(False)) & ~_type_at("admin.konttype.doed")),
    Check("12109", K, lambda: F.coalesce(col("a_metastase"), F.lit(False)) & (col("b_primkraeft_n") == 0)),
    Check("12110", K, lambda: F.coalesce(col("a_lokalrecidiv"), F.lit(False)) & (col("b_primkraeft_n") == 0)),
    Check("09.02", K, lambda: F.coalesce(col("o_tiling_broken"), F.lit(False))),
    Check("09.16a", K, lambda: present("end_time") & (col("o_n") > 0) & ~F.coalesce(col("o_start_eq"), F.lit(False))),
    Check("09.16b", K, lambda: present("end_time") & (col("o_n") > 0) & ~F.coalesce(col("o_end_eq"), F.lit(False))),
    Check("10.02", K, lambda: F.coalesce(col("p_tiling_broken"), F.lit(False))),
    Check("10.16a", K, lambda: present("end_time") & ~F.coalesce(col("p_start_eq"), F.lit(False))),
    Check("10.16b", K, lambda: present("end_time") & ~F.coalesce(col("p_end_eq"), F.lit(False))),
]
