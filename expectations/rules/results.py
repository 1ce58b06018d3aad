"""Rules on results of result reports (group RESULTAT)."""

from __future__ import annotations

from expectations.columns import after_valid, before_valid, col, in_list_at, in_list_within, present
from expectations.registry import check

R = "resultat"


def _trigger(kind: str):
    return col("trigger_type") == kind


def _type_invalid_at_cause_start():
    return after_valid("type", "cause_start_time") | before_valid("type", "cause_start_time")


check("16.02", R, lambda: _trigger("forloebsmarkoer") & _type_invalid_at_cause_start())
check("16.03", R, lambda: _trigger("kontakt") & _type_invalid_at_cause_start())
check(
    "16.05",
    R,
    lambda: _trigger("diagnose") & (after_valid("type", "cause_start_time") | before_valid("type", "cause_end_time")),
)
check("16.06", R, lambda: _trigger("procedure") & _type_invalid_at_cause_start())
for rule_id, kind in [
    ("16.11", "forloebselement"),
    ("16.12", "forloebsmarkoer"),
    ("16.13", "kontakt"),
    ("16.15", "diagnose"),
    ("16.16", "procedure"),
]:
    check(rule_id, R, lambda kind=kind: _trigger(kind) & present("time") & (col("time") < col("cause_start_time")))
check("16.a-1", R, lambda: present("type") & ~in_list_within("type", "res.type", "cause_start_time", "cause_end_time"))
check("16.a", R, lambda: present("time") & present("type") & ~in_list_at("type", "res.type", "time"))
