"""Rules on results of result reports (group RESULTAT)."""

from __future__ import annotations

from expectations.columns import after_valid, before_valid, col, in_list_at, in_list_within, present
from expectations.registry import Check

R = "resultat"


def _trigger(trigger_type: str):
    return col("trigger_type") == trigger_type


def _type_invalid_at_cause_start():
    return after_valid("type", "cause_start_time") | before_valid("type", "cause_start_time")


CHECKS: list[Check] = [
    Check("16.02", R, lambda: _trigger("forloebsmarkoer") & _type_invalid_at_cause_start()),
    Check("16.03", R, lambda: _trigger("kontakt") & _type_invalid_at_cause_start()),
    Check(
        "16.05",
        R,
        lambda: (
            _trigger("diagnose") & (after_valid("type", "cause_start_time") | before_valid("type", "cause_end_time"))
        ),
    ),
    Check("16.06", R, lambda: _trigger("procedure") & _type_invalid_at_cause_start()),
    Check(
        "16.a-1", R, lambda: present("type") & ~in_list_within("type", "res.type", "cause_start_time", "cause_end_time")
    ),
    Check("16.a", R, lambda: present("time") & present("type") & ~in_list_at("type", "res.type", "time")),
    *[
        Check(
            rule_id,
            R,
            lambda trigger=trigger: _trigger(trigger) & present("time") & (col("time") < col("cause_start_time")),
        )
        for (rule_id, trigger) in [
            ("16.11", "forloebselement"),
            ("16.12", "forloebsmarkoer"),
            ("16.13", "kontakt"),
            ("16.15", "diagnose"),
            ("16.16", "procedure"),
        ]
    ],
]
