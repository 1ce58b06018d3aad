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
from expectations.registry import Check

# 00.01: every time in a reported object lies at or before the report's timestamp, itself not in
# the future ("now" = the run's as-of time, so as-of filtering makes the last clause moot).


def _after_report(*times: str):
    def cond():
        c = col("reported_at") > col("_now")
        for t in times:
            c = c | (col(t) > col("reported_at"))
        return c

    return cond


# PATIENT / BOPAEL

# FORLOEBSELEMENT

# REFERENCE

# FORLOEBSMARKOER

# HENVISNING

CHECKS: list[Check] = [
    Check("00.01", "forloebselement", _after_report("start_time", "end_time")),
    Check("00.01", "kontakt", _after_report("start_time", "end_time", "treatment_start")),
    Check("00.01", "forloebsmarkoer", _after_report("time")),
    Check("00.01", "henvisning", _after_report("time")),
    Check("00.01", "procedure", _after_report("start_time", "end_time")),
    Check("00.01", "betalingsoplysning", _after_report("start_time", "end_time")),
    Check("00.01", "resultat", _after_report("time")),
    Check("00.01", "bopael", lambda: (col("valid_from") > day("reported_at")) | (col("valid_to") > day("reported_at"))),
    Check("01.01", "forloebselement", lambda: present("birth_date") & (day("start_time") < col("birth_date"))),
    Check("01.11", "henvisning", lambda: present("birth_date") & present("time") & (day("time") < col("birth_date"))),
    Check(
        "01.a",
        "bopael",
        lambda: (
            present("country_code")
            & (
                (col("country_code") < "5100")
                | ((col("country_code") > "5799") & (col("country_code") != "5902") & (col("country_code") != "5999"))
            )
        ),
    ),
    Check(
        "01.b",
        "bopael",
        lambda: (
            present("municipality_code")
            & (col("municipality_code") != "0009")
            & ((col("municipality_code") < "0101") | (col("municipality_code") > "0860"))
            & ((col("municipality_code") < "0956") | (col("municipality_code") > "0961"))
        ),
    ),
    Check("02.01", "forloebselement", lambda: col("end_time") <= col("start_time")),
    Check("02.02", "forloebselement", lambda: absent("end_mode") & present("end_time")),
    Check("02.03", "forloebselement", lambda: present("ref_start") & (col("start_time") <= col("ref_start"))),
    Check("02.41", "forloebselement", lambda: before_valid("unit", "start_time")),
    Check("02.42", "forloebselement", lambda: after_valid("unit", "start_time")),
    Check("02.43", "forloebselement", lambda: after_valid("unit", "end_time")),
    Check("02.44", "forloebselement", lambda: after_valid("unit", "end_time")),
    Check(
        "02.51",
        "forloebselement",
        lambda: present("label") & (after_valid("label", "start_time") | before_valid("label", "end_time")),
    ),
    Check(
        "02.55",
        "forloebselement",
        lambda: present("end_mode") & present("end_time") & outside_valid("end_mode", "end_time"),
    ),
    Check(
        "02.a",
        "forloebselement",
        lambda: present("label") & present("start_time") & not_in_list_at("label", "forloeb.label", "start_time"),
    ),
    Check(
        "02.b",
        "forloebselement",
        lambda: present("end_mode") & ~in_list_within("end_mode", "admin.afslutmaade", "start_time", "end_time"),
    ),
    Check(
        "3101",
        "forloebselement",
        lambda: (
            present("ref_patient")
            & in_list_at("reftype", "forloeb.reftype.ident_id", "start_time")
            & ~col("ref_same_person")
        ),
    ),
    Check(
        "3102",
        "forloebselement",
        lambda: (
            present("ref_patient")
            & in_list_at("reftype", "forloeb.reftype.diff_id", "start_time")
            & col("ref_same_person")
        ),
    ),
    Check(
        "03.51",
        "forloebselement",
        lambda: present("reference_type") & present("start_time") & outside_valid("reftype", "start_time"),
    ),
    Check(
        "03.a",
        "forloebselement",
        lambda: (
            present("reference_type")
            & present("start_time")
            & not_in_list_at("reftype", "forloeb.reftype", "start_time")
        ),
    ),
    Check("04.01", "forloebsmarkoer", lambda: col("time") < col("fe_start")),
    Check("04.02", "forloebsmarkoer", lambda: col("time") > col("fe_end")),
    Check("04.51", "forloebsmarkoer", lambda: outside_valid("code", "time")),
    Check("04.a", "forloebsmarkoer", lambda: present("code") & not_in_list_at("code", "forloeb.markoer", "time")),
    Check(
        "06.01",
        "forloebselement",
        lambda: present("h_time") & (col("h_time") > col("start_time")),
        object_type="henvisning",
        object_id="henvisning_id",
    ),
    Check(
        "06.02",
        "kontakt",
        lambda: present("h_time") & (col("h_time") >= col("start_time")),
        object_type="henvisning",
        object_id="henvisning_id",
    ),
    Check("06.51", "henvisning", lambda: present("reason_code") & outside_valid("reason", "time")),
    Check("06.53", "henvisning", lambda: present("method") & outside_valid("method", "time")),
    Check("06.59", "henvisning_codes", lambda: outside_valid("x", "time")),
    Check(
        "06.a",
        "henvisning",
        lambda: (
            present("reason_code") & not_in_any_list_at("reason", ["diag", "proc.act", "proc.opr", "proc.und"], "time")
        ),
    ),
    Check("06.b", "henvisning", lambda: present("method") & not_in_list_at("method", "admin.henvmaade", "time")),
    Check(
        "06.c", "henvisning", lambda: present("free_choice") & not_in_list_at("free_choice", "admin.fritvalg", "time")
    ),
]
