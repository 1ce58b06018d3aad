"""The financing parameters of one activity year (conf/kmf/<year>.yaml) as a typed object.

Amounts are quoted in the prices of a year (`Amount.price_year`); `KmfYear.kr` indexes them to
the activity year with the file's `price_index`. A missing index year is an error naming the file.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import model_validator

from lprflow.config import ConfigError, Model, load
from lprflow.paths import conf_dir


class Amount(Model):
    kr: float
    price_year: int


class Band(Model):
    from_age: int  # whole years at the start of the course
    share: float


class Somatic(Model):
    """KMF on somatic DRG-sygehusforløb: a share by age band, capped per unit (docs/SETTLEMENT.md)."""

    model: Literal["kmf_2007", "kmf_2012", "age_2018"]
    bands: list[Band]
    cap_unit: Literal["admission", "regional_course"]
    admission_cap: Amount | None  # per admission (kmf_2007/2012) or per regional course (age_2018)
    visit_cap: Amount | None  # per outpatient visit (kmf_2007/2012)
    admission_min_hours: float  # kmf_2007/2012: a course this long is an admission, else a visit
    regional_course_gap_hours: float
    basic_contribution: Amount | None  # kmf_2007: per inhabitant and year

    @model_validator(mode="after")
    def _bands_ascending(self) -> Somatic:
        ages = [b.from_age for b in self.bands]
        if not ages or ages[0] != 0 or ages != sorted(set(ages)):
            raise ValueError("bands must start at from_age 0 and ascend without repeats")
        return self


class Psychiatry(Model):
    inpatient_share: float
    outpatient_share: float
    admission_cap: Amount | None
    visit_cap: Amount | None


class Factor(Model):
    from_day: int  # the n-th færdigbehandlet day of a stay, from 1
    factor: float


class StateSurcharge(Model):
    rate: Amount
    factors: list[Factor]


class FullFinancing(Model):
    bed_day_rate: Amount
    faerdigbehandlet_procedures: list[str]
    state_surcharge: StateSurcharge | None
    rehabilitation_groups: list[str]
    rehabilitation_share: float


class Exempt(Model):
    regional_payers: list[str]
    special_psychiatric_units: list[str]


class MonthDay(Model):
    month: int
    day: int


class Timetable(Model):
    preliminary_day: int
    final: MonthDay


class AConto(Model):
    monthly: dict[str, float]  # region code -> kr per month, spread over its municipalities by population
    assumed_level: dict[str, float] = {}  # region code -> the year's assumed KMF level (forudsat niveau), kr


class KmfYear(Model):
    year: int
    price_index: dict[int, float]
    somatic: Somatic
    psychiatry: Psychiatry
    full_financing: FullFinancing
    exempt: Exempt
    timetable: Timetable
    a_conto: AConto | None
    region_cap: dict[str, float]  # region code -> cap on the year's KMF income, kr

    def kr(self, amount: Amount | None) -> float | None:
        """The amount in the activity year's prices."""
        if amount is None:
            return None
        for y in (amount.price_year, self.year):
            if y not in self.price_index:
                raise ConfigError(f"conf/kmf/{self.year}.yaml: key 'price_index': no index for {y}")
        return round(amount.kr * self.price_index[self.year] / self.price_index[amount.price_year], 2)

    def statement_dates(self) -> list[dt.date]:
        """The as-of dates of the year's statements: twelve preliminary ones, then the final one."""
        day = self.timetable.preliminary_day
        dates = [dt.date(self.year + (m == 12), m % 12 + 1, day) for m in range(1, 13)]
        final = dt.date(self.year + 1, self.timetable.final.month, self.timetable.final.day)
        if final <= dates[-1]:
            raise ConfigError(f"conf/kmf/{self.year}.yaml: key 'timetable.final': must be after {dates[-1]}")
        return [*dates, final]


def kmf_year(year: int) -> KmfYear:
    """conf/kmf/<year>.yaml, or a ConfigError naming the years that have a file."""
    path = conf_dir() / "kmf" / f"{year}.yaml"
    if not path.exists():
        known = sorted(p.stem for p in (conf_dir() / "kmf").glob("*.yaml"))
        raise ConfigError(f"no financing parameters for {year}: {path} not found (years with a file: {known})")
    conf = load(f"kmf/{year}.yaml", KmfYear)
    if conf.year != year:
        raise ConfigError(f"conf/kmf/{year}.yaml: key 'year': says {conf.year}")
    return conf
