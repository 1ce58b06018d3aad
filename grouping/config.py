"""The grouping parameters (conf/grouping.yaml) as a typed object."""

from __future__ import annotations

from lprflow.config import Model, load


class CourseRules(Model):
    """How contacts become DRG-sygehusforløb and grouper cases (docs/GROUPING.md)."""

    join_gap_hours: float
    not_activity_types: list[str]
    pseudo_procedure_types: list[str]
    discharge_modes: dict[str, str]
    default_discharge: str
    patient_key_salt: str


class PsychiatryRates(Model):
    bed_day_rate: float
    visit_rate: float
    inpatient_min_days: int


class HospiceRates(Model):
    bed_day_rate: float
    min_days: int


class OutsideDrg(Model):
    psychiatry: PsychiatryRates
    hospice: HospiceRates


class SyntheticTables(Model):
    """Row counts of a real table set, which `lprflow drg-tables synth` widens the sample set to."""

    drglogic: int
    dg: dict[str, int]
    proc: dict[str, int]
    complcat: int
    activation_rows: int
    complexcl: int
    complexcl_pair_rows: int
    drgnames: int


class GroupingConfig(Model):
    tariff_years: dict[int, str]
    post_rule_rtc_1_to_9: bool
    courses: CourseRules
    outside_drg: OutsideDrg
    synthetic_tables: SyntheticTables


def grouping_config() -> GroupingConfig:
    return load("grouping.yaml", GroupingConfig)
