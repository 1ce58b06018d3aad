"""CPR numbers (personnumre) and replacement numbers (erstatningspersonnumre) as Spark columns:
form, the birth date they encode (century from the 7th digit, conf/integrity.yaml) and the sex.
Nothing here logs or returns a number; the columns are only compared."""

from __future__ import annotations

from pyspark.sql import Column
from pyspark.sql import functions as F

from lprflow.config import IntegrityConfig, integrity_config

PERSONAL = "^[0-9]{10}$"
REPLACEMENT = "^[0-9]{7}[A-Z]{2}[0-9]$"


def cpr_form_bad(cpr: Column) -> Column:
    """Neither a personnummer (10 digits) nor a replacement number (DDMMYY, digit, 2 letters, digit)."""
    return cpr.isNull() | ~(cpr.rlike(PERSONAL) | cpr.rlike(REPLACEMENT))


def cpr_birth_date(cpr: Column, conf: IntegrityConfig | None = None) -> Column:
    """The birth date a well-formed number encodes (null where it encodes no calendar date)."""
    rules = (conf or integrity_config()).cpr
    yy = F.substring(cpr, 5, 2).try_cast("int")
    digit = F.substring(cpr, 7, 1)
    personal = F.coalesce(
        *[F.when(digit.isin(*r.digits) & yy.between(r.years[0], r.years[1]), F.lit(r.century)) for r in rules.centuries]
    )
    replacement = F.coalesce(*[F.when(digit == d, F.lit(c)) for d, c in rules.replacement_centuries.items()])
    century = F.when(cpr.rlike(PERSONAL), personal).when(cpr.rlike(REPLACEMENT), replacement)
    text = F.concat(F.lpad((century + yy).cast("string"), 4, "0"), F.substring(cpr, 3, 2), F.substring(cpr, 1, 2))
    return F.try_to_date(text, "yyyyMMdd")


def cpr_sex(cpr: Column) -> Column:
    """1 (male) for an odd last digit, 2 (female) for an even one."""
    return F.when(F.substring(cpr, 10, 1).try_cast("int") % 2 == 1, 1).otherwise(2)


def serial_digits(century: int, conf: IntegrityConfig | None = None) -> str:
    """7th digits valid for every two-digit year of a century's births that the conf's table
    allows for the widest span (for generated numbers: 0-3 for the 1900s, 5-8 for the 2000s)."""
    rows = [r for r in (conf or integrity_config()).cpr.centuries if r.century == century]
    return max(rows, key=lambda r: r.years[1] - r.years[0]).digits
