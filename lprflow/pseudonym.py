"""The pseudonymised patient key written to outputs instead of a patient id or CPR number."""

from __future__ import annotations

from pyspark.sql import Column
from pyspark.sql import functions as F

KEY_LENGTH = 20  # hex characters of the SHA-256 kept: 80 bits, no collision in a national register


def patient_key(patient_id: Column, salt: str) -> Column:
    """SHA-256 of salt + patient id, first 20 hex characters; the same salt gives the same key."""
    return F.substring(F.sha2(F.concat(F.lit(salt), patient_id), 256), 1, KEY_LENGTH)
