"""Business-rule implementations, one module per family of object types; each declares `CHECKS`."""

from __future__ import annotations

from expectations.registry import Check
from expectations.rules import (
    contacts,
    diagnoses,
    forloebselementer,
    locations_payments,
    procedures,
    result_reports,
    results,
)

ALL_CHECKS: list[Check] = [
    *forloebselementer.CHECKS,
    *contacts.CHECKS,
    *diagnoses.CHECKS,
    *procedures.CHECKS,
    *locations_payments.CHECKS,
    *results.CHECKS,
    *result_reports.CHECKS,
]
