"""Rules on forløbselementer, references, markers, patients, residence, referrals (groups NONE,
PATIENT, BOPAEL, FORLOEBSELEMENT, REFERENCE, FORLOEBSMARKOER, HENVISNING)."""

from __future__ import annotations

from expectations.columns import (
    absent,
    after_valid,
    before_valid,
    col,
    day,
    in_list_at,
    in_list_within,
    not_in_any_list_at,
    not_in_list_at,
    outside_valid,
    present,
)
from expectations.registry import check

# 00.01: every time in a reported object lies at or before the report's timestamp, itself not in
# the future ("now" = the run's as-of time, so as-of filtering makes the last clause moot).


def _after_report(*times: str):
    def cond():
        c = col("reported_at") > col("_now")
        for t in times:
            c = c | (col(t) > col("reported_at"))
        return c

    return cond


check("00.01", "forloebselement", _after_report("start_time", "end_time"))
check("00.01", "kontakt", _after_report("start_time", "end_time", "treatment_start"))
check("00.01", "forloebsmarkoer", _after_report("time"))
check("00.01", "henvisning", _after_report("time"))
check("00.01", "procedure", _after_report("start_time", "end_time"))
check("00.01", "betalingsoplysning", _after_report("start_time", "end_time"))
check("00.01", "resultat", _after_report("time"))
check("00.01", "bopael", lambda: (col("valid_from") > day("reported_at")) | (col("valid_to") > day("reported_at")))

# PATIENT / BOPAEL
check("01.01", "forloebselement", lambda: present("birth_date") & (day("start_time") < col("birth_date")))
check("01.11", "henvisning", lambda: present("birth_date") & present("time") & (day("time") < col("birth_date")))
check(
    "01.a",
    "bopael",
    lambda: (
        present("country_code")
        & (
            (col("country_code") < "5100")
            | ((col("country_code") > "5799") & (col("country_code") != "5902") & (col("country_code") != "5999"))
        )
    ),
)
check(
    "01.b",
    "bopael",
    lambda: (
        present("municipality_code")
        & (col("municipality_code") != "0009")
        & ((col("municipality_code") < "0101") | (col("municipality_code") > "0860"))
        & ((col("municipality_code") < "0956") | (col("municipality_code") > "0961"))
    ),
)

# FORLOEBSELEMENT
check("02.01", "forloebselement", lambda: col("end_time") <= col("start_time"))
check("02.02", "forloebselement", lambda: absent("end_mode") & present("end_time"))
check("02.03", "forloebselement", lambda: present("ref_start") & (col("start_time") <= col("ref_start")))
check("02.41", "forloebselement", lambda: before_valid("unit", "start_time"))
check("02.42", "forloebselement", lambda: after_valid("unit", "start_time"))
check("02.43", "forloebselement", lambda: after_valid("unit", "end_time"))
check("02.44", "forloebselement", lambda: after_valid("unit", "end_time"))
check(
    "02.51",
    "forloebselement",
    lambda: present("label") & (after_valid("label", "start_time") | before_valid("label", "end_time")),
)
check(
    "02.55",
    "forloebselement",
    lambda: present("end_mode") & present("end_time") & outside_valid("end_mode", "end_time"),
)
check(
    "02.a",
    "forloebselement",
    lambda: present("label") & present("start_time") & not_in_list_at("label", "forloeb.label", "start_time"),
)
check(
    "02.b",
    "forloebselement",
    lambda: present("end_mode") & ~in_list_within("end_mode", "admin.afslutmaade", "start_time", "end_time"),
)

# REFERENCE
check(
    "3101",
    "forloebselement",
    lambda: (
        present("ref_patient")
        & in_list_at("reftype", "forloeb.reftype.ident_id", "start_time")
        & (col("ref_patient") != col("patient_id"))
    ),
)
check(
    "3102",
    "forloebselement",
    lambda: (
        present("ref_patient")
        & in_list_at("reftype", "forloeb.reftype.diff_id", "start_time")
        & (col("ref_patient") == col("patient_id"))
    ),
)
check(
    "03.51",
    "forloebselement",
    lambda: present("reference_type") & present("start_time") & outside_valid("reftype", "start_time"),
)
check(
    "03.a",
    "forloebselement",
    lambda: (
        present("reference_type") & present("start_time") & not_in_list_at("reftype", "forloeb.reftype", "start_time")
    ),
)

# FORLOEBSMARKOER
check("04.01", "forloebsmarkoer", lambda: col("time") < col("fe_start"))
check("04.02", "forloebsmarkoer", lambda: col("time") > col("fe_end"))
check("04.51", "forloebsmarkoer", lambda: outside_valid("code", "time"))
check("04.a", "forloebsmarkoer", lambda: present("code") & not_in_list_at("code", "forloeb.markoer", "time"))

# HENVISNING
check(
    "06.01",
    "forloebselement",
    lambda: present("h_time") & (col("h_time") > col("start_time")),
    object_type="henvisning",
    object_id="henvisning_id",
)
check(
    "06.02",
    "kontakt",
    lambda: present("h_time") & (col("h_time") >= col("start_time")),
    object_type="henvisning",
    object_id="henvisning_id",
)
check("06.51", "henvisning", lambda: present("reason_code") & outside_valid("reason", "time"))
check("06.53", "henvisning", lambda: present("method") & outside_valid("method", "time"))
check("06.59", "henvisning_codes", lambda: outside_valid("x", "time"))
check(
    "06.a",
    "henvisning",
    lambda: present("reason_code") & not_in_any_list_at("reason", ["diag", "proc.act", "proc.opr", "proc.und"], "time"),
)
check("06.b", "henvisning", lambda: present("method") & not_in_list_at("method", "admin.henvmaade", "time"))
check("06.c", "henvisning", lambda: present("free_choice") & not_in_list_at("free_choice", "admin.fritvalg", "time"))
