"""Rules on opholdsadresser and betalingsoplysninger (groups OPHOLDSADRESSE, BETALINGSOPLYSNING)."""

from __future__ import annotations

from expectations.columns import (
    absent,
    after_valid,
    before_valid,
    col,
    not_in_list_at,
    outside_valid,
    present,
)
from expectations.registry import Check

OPH, PAY = "opholdsadresse", "betalingsoplysning"

CHECKS: list[Check] = [
    Check("09.01", OPH, lambda: col("end_time") <= col("start_time")),
    Check("09.12", OPH, lambda: col("start_time") < col("k_start")),
    Check("09.13", OPH, lambda: col("start_time") >= col("k_end")),
    Check("09.15", OPH, lambda: col("end_time") > col("k_end")),
    Check("09.41", OPH, lambda: present("unit") & before_valid("u", "start_time")),
    Check("09.42", OPH, lambda: present("unit") & after_valid("u", "start_time")),
    Check("09.43", OPH, lambda: present("unit") & present("u__to") & absent("end_time")),
    Check("09.44", OPH, lambda: present("unit") & after_valid("u", "end_time")),
    Check("09.51", OPH, lambda: present("absence") & outside_valid("absence", "start_time")),
    Check("09.61", OPH, lambda: present("unit") & present("absence")),
    Check("09.a", OPH, lambda: present("absence") & not_in_list_at("absence", "admin.fravaer", "start_time")),
    Check("10.01", PAY, lambda: col("end_time") <= col("start_time")),
    Check("10.12", PAY, lambda: present("kontakt_id") & (col("start_time") < col("k_start"))),
    Check("10.13", PAY, lambda: present("kontakt_id") & (col("start_time") >= col("k_end"))),
    Check("10.15", PAY, lambda: present("kontakt_id") & (col("end_time") > col("k_end"))),
    Check("10.51", PAY, lambda: present("specialisation_level") & outside_valid("speclevel", "start_time")),
    Check("10.a", PAY, lambda: present("agreement") & not_in_list_at("agreement", "admin.betalaftale", "start_time")),
    Check("10.b", PAY, lambda: present("payer") & not_in_list_at("payer", "admin.betaler", "start_time")),
    Check(
        "10.c",
        PAY,
        lambda: present("specialisation_level") & not_in_list_at("speclevel", "admin.specialeniv", "start_time"),
    ),
]
