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
from expectations.registry import check

O, B = "opholdsadresse", "betalingsoplysning"

check("09.01", O, lambda: col("end_time") <= col("start_time"))
check("09.12", O, lambda: col("start_time") < col("k_start"))
check("09.13", O, lambda: col("start_time") >= col("k_end"))
check("09.15", O, lambda: col("end_time") > col("k_end"))
check("09.41", O, lambda: present("unit") & before_valid("u", "start_time"))
check("09.42", O, lambda: present("unit") & after_valid("u", "start_time"))
check("09.43", O, lambda: present("unit") & present("u__to") & absent("end_time"))
check("09.44", O, lambda: present("unit") & after_valid("u", "end_time"))
check("09.51", O, lambda: present("absence") & outside_valid("absence", "start_time"))
check("09.61", O, lambda: present("unit") & present("absence"))
check("09.a", O, lambda: present("absence") & not_in_list_at("absence", "admin.fravaer", "start_time"))

check("10.01", B, lambda: col("end_time") <= col("start_time"))
check("10.12", B, lambda: present("kontakt_id") & (col("start_time") < col("k_start")))
check("10.13", B, lambda: present("kontakt_id") & (col("start_time") >= col("k_end")))
check("10.15", B, lambda: present("kontakt_id") & (col("end_time") > col("k_end")))
check("10.51", B, lambda: present("specialisation_level") & outside_valid("speclevel", "start_time"))
check("10.a", B, lambda: present("agreement") & not_in_list_at("agreement", "admin.betalaftale", "start_time"))
check("10.b", B, lambda: present("payer") & not_in_list_at("payer", "admin.betaler", "start_time"))
check(
    "10.c", B, lambda: present("specialisation_level") & not_in_list_at("speclevel", "admin.specialeniv", "start_time")
)
