"""Rules on diagnoses, their add-on codes, metastases and local recurrences (group DIAGNOSE;
the contact-level ones are in contacts.py)."""

from __future__ import annotations

from pyspark.sql import functions as F

from expectations.columns import absent, col, in_list_within, not_valid_within, present
from expectations.registry import Check

D, DC = "diagnose", "diagnose_codes"
A = lambda: col("role") == "A"  # noqa: E731
B = lambda: col("role") == "B"  # noqa: E731


def _within(attr: str, name: str):
    return in_list_within(attr, name, "k_start", "k_end")


def _no_other_primary_cancer():
    others = col("b_primkraeft_n") - F.when(col("f_primkraeft"), 1).otherwise(0)
    return ~F.coalesce(col("a_primkraeft"), F.lit(False)) & (others == 0)


def _outside_contact(attr: str):
    """The code is not valid at any time in the contact's period (by calendar day)."""
    return not_valid_within(attr, "k_start", "k_end")


CHECKS: list[Check] = [
    Check("12.03.101", D, lambda: A() & present("art") & ~_within("art", "admin.diagart.aktdia")),
    Check("12.04.101", D, lambda: B() & present("art") & ~_within("art", "admin.diagart.bidiag")),
    Check("12.101a", D, lambda: A() & present("code") & ~col("f_diag")),
    Check("12.101b", D, lambda: B() & present("code") & ~col("f_diag")),
    Check("12102", D, lambda: col("f_lateral") & absent("side")),
    Check("12104", D, lambda: B() & col("f_foedbarn")),
    Check("12105", D, lambda: B() & col("f_foedmor")),
    Check("12.107a", D, lambda: A() & col("f_ydre")),
    Check("12.107b", D, lambda: B() & col("f_ydre") & (col("ku__psych") == F.lit(False))),
    Check("12.109a", D, lambda: B() & col("f_metastase") & _no_other_primary_cancer()),
    Check("12.110a", D, lambda: B() & col("f_lokalrecidiv") & _no_other_primary_cancer()),
    Check("12111", D, lambda: A() & col("f_primkraeft") & (F.size(F.coalesce("metastases", F.array())) == 0)),
    Check("12.111a", D, lambda: B() & col("f_primkraeft") & (F.size(F.coalesce("metastases", F.array())) == 0)),
    Check("12112", D, lambda: A() & col("f_primkraeft") & (F.size(F.coalesce("local_recurrences", F.array())) == 0)),
    Check("12.112a", D, lambda: B() & col("f_primkraeft") & (F.size(F.coalesce("local_recurrences", F.array())) == 0)),
    Check("12.51", D, lambda: present("art") & _outside_contact("art")),
    Check("12.52", D, lambda: present("code") & _outside_contact("code")),
    Check("12.54", D, lambda: present("side") & _outside_contact("side")),
    # 12.59-1 compares the two codes' first and last valid days; a gap in either (a code that lapsed
    # and returned) is not taken into account here, as the rule text compares one span per code
    Check(
        "12.59-1",
        DC,
        lambda: (
            (col("code_kind") == "T") & ((col("x__from") > col("primary__to")) | (col("x__to") < col("primary__from")))
        ),
    ),
    Check("12.59", DC, lambda: (col("code_kind") == "T") & present("k_end") & _outside_contact("x")),
    Check("12.a-1", D, lambda: A() & present("art") & ~_within("art", "admin.diagart")),
    Check("12.a-2", D, lambda: B() & present("art") & ~_within("art", "admin.diagart")),
    Check("12.c-1", D, lambda: A() & present("side") & ~_within("side", "spec.lateraldiag")),
    Check("12.c-2", D, lambda: B() & present("side") & ~_within("side", "spec.lateraldiag")),
    Check("13.01", DC, lambda: (col("code_kind") == "M") & _outside_contact("x")),
    Check("13101", DC, lambda: (col("code_kind") == "M") & ~_within("x", "diag.metastase")),
    Check("13.102a", D, lambda: A() & (F.size(F.coalesce("metastases", F.array())) > 0) & ~col("f_primkraeft")),
    Check("13.102b", D, lambda: B() & (F.size(F.coalesce("metastases", F.array())) > 0) & ~col("f_primkraeft")),
    Check("14.01", DC, lambda: (col("code_kind") == "L") & _outside_contact("x")),
    Check("14101", DC, lambda: (col("code_kind") == "L") & ~_within("x", "diag.lokalrecidiv")),
    Check("14.102a", D, lambda: A() & (F.size(F.coalesce("local_recurrences", F.array())) > 0) & ~col("f_primkraeft")),
    Check("14.102b", D, lambda: B() & (F.size(F.coalesce("local_recurrences", F.array())) > 0) & ~col("f_primkraeft")),
]
