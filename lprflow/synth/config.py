"""The generator's parameters (conf/generator.yaml) as a typed object, checked when loaded."""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from lprflow.config import Model, load


class Defaults(Model):
    region: str
    year: int
    scale: float
    seed: int
    demo_scale: float


class Scale1(Model):
    patients: int
    forloebselementer: int


class Minimum(Model):
    patients: int
    forloebselementer: int
    chronic_patients: int
    mothers: int


class AgeBand(Model):
    first: int
    span: int


class SharedAgeBand(AgeBand):
    share: float


class Residence(Model):
    other_region: float
    abroad: float
    abroad_country_code: str
    first_municipality_weight: float
    municipality_weight_decay: float


class Moves(Model):
    share: float
    first_day: int
    days: int
    reported_after_days: int


class Population(Model):
    chronic_patient_share: float
    mother_share: float
    male_share: float
    chronic_age: AgeBand
    mother_age: AgeBand
    age_bands: list[SharedAgeBand]
    residence: Residence
    moves: Moves


class FeKind(Model):
    share: float
    contacts: tuple[int, int]
    gap_days: int


class Admissions(Model):
    acute_inpatient_share: float
    chronic_last_contact_share: float
    psychiatric_first_contact_share: float
    acute_psychiatric_share: float
    readmission_share: float
    readmission_max_gap_days: int


class UniformDays(Model):
    first: int
    span: int


class ExponentialDays(Model):
    mean: float
    max: int


class LengthOfStay(Model):
    hospice: UniformDays
    birth: UniformDays
    cancer: UniformDays
    chronic_psychiatric: ExponentialDays
    other: ExponentialDays


class PlannedHours(Model):
    first: int
    hours: int
    step_minutes: int


class Steps(Model):
    fixed: int = 0
    steps: int
    step_minutes: int


class Durations(Model):
    inpatient_extra_hours: int
    inpatient_fixed_minutes: int
    er: Steps
    outpatient: Steps
    virtual_minutes: int
    diagreport_minutes: int


class Faerdigbehandlet(Model):
    share: float
    min_los: int
    max_days: int
    treated_days: int


class DelayDays(Model):
    share: float
    max_days: int


class DelayRange(Model):
    share: float
    min_days: int
    max_days: int


class AfterYearEnd(Model):
    share: float
    days: int


class Reporting(Model):
    within_days: DelayDays
    within_weeks: DelayDays
    after_the_10th: DelayRange
    after_year_end: AfterYearEnd
    admission_report_share: float
    arrival_report_share: float
    open_report_within_hours: int


class Corrections(Model):
    bidiagnose_code_corrected: float
    bidiagnose_deleted: float
    earlier_code: str
    earlier_report_hours: int
    deleted_after_days: int
    procedure_deleted: float
    procedure_deleted_after_days: int


class Diagnoses(Model):
    outpatient: list[str]
    inpatient: list[str]
    acute_illness: list[str]
    acute_injury: list[str]
    chronic_copd: list[str]
    chronic_diabetes: list[str]
    psychiatric: list[str]
    cancer: list[str]
    birth: list[str]
    hospice: list[str]
    rehab: list[str]
    bidiagnoser: list[str]
    metastasis_none: str
    metastasis_of_bidiagnose: str
    local_recurrence_none: str


class Bidiagnoses(Model):
    inpatient: int
    outpatient: int
    virtual_share: float


class SpecialtyForKind(Model):
    rehab: str
    acute_er: str
    birth: str
    cancer_admission: str
    cancer: str


class ProcedureShares(Model):
    er_imaging: float
    er_imaging_or_contrast: float
    psychotherapy: float
    control: float
    second_inpatient_imaging: float
    second_outpatient_control: float


class Opholdsadresser(Model):
    min_los_3: int
    share_3: float
    min_los_2: int
    share_2: float


class EndModes(Model):
    death: float
    other_hospital: float
    hospice_death: float


class Referrals(Model):
    psychiatric_share: float
    days_before: tuple[int, int]


class FeProcedure(Model):
    after_days: int
    minutes: int


class Labels(Model):
    cancer: str
    birth: str
    chronic: str
    psychiatric: str
    other: str


class Codes(Model):
    physical: str
    virtual: str
    diagreport: str
    acute: str
    planned: str
    reason_illness: str
    reason_accident: str
    art_a: str
    art_b: str
    end_home: str
    end_hospital: str
    end_death: str
    labels: Labels
    reference_type: str
    referral_methods: list[str]
    referral_by_unit: str
    free_choice: str
    agreement: str
    payer: str
    specialisation: list[str]
    absence: str
    markers: tuple[str, str]


class InjectCodes(Model):
    not_a_priority: str
    not_a_contact_type: str
    not_a_label: str
    expired_diagnosis: str


class SameDayContacts(Model):
    share: float
    gap_minutes: int
    kinds: list[str]


class Discrepancies(Model):
    """Shares of contacts (each gets at most one) with a discrepancy between the region's extract
    and the national data (lprflow/synth/region_extract.py)."""

    not_reported: float
    deleted: float
    reported_late: float
    changed: float
    duplicate: float
    only_national: float


class RegionExtract(Model):
    closing: tuple[int, int]  # (month, day) of the next year: the as-of day the region closes the year on
    discrepancies: Discrepancies
    without_id: float
    late_days: int
    deleted_after_days: int
    changed_start_minutes: int
    changed_end_minutes: int
    changed_diagnoses: tuple[str, str]
    replacement_letters: str


class ResultReportSpec(Model):
    trigger: Literal["diagnose", "aktionsdiagnose", "kontakt", "procedure"]
    list: str
    type: str | None = None  # kontakt triggers: the contact type and priority the report needs
    priority: str | None = None
    results: dict[str, str]


class ResultInjection(Model):
    kind: Literal["no_report", "missing_result", "bad_value", "second_result"]
    report: str
    rule: str
    rule_bidiagnose: str | None = None
    type: str | None = None
    value: str | None = None


class ResultReports(Model):
    complete: str
    reports: dict[str, ResultReportSpec]
    injections: list[ResultInjection]


class GeneratorConfig(Model):
    defaults: Defaults
    scale_1: Scale1
    minimum: Minimum
    population: Population
    private_reporter_share: float
    forloebselement_kinds: dict[str, FeKind]
    contact_index_stride: int
    readmission_index_offset: int
    open_forloebselement_share: float
    open_from_day: int
    admissions: Admissions
    length_of_stay: LengthOfStay
    planned_hours: PlannedHours
    virtual_followup_share: float
    same_day_contacts: SameDayContacts
    accident_share: float
    durations: Durations
    treatment_start: Steps
    faerdigbehandlet: Faerdigbehandlet
    reporting: Reporting
    corrections: Corrections
    error_rate: float
    diagnoses: Diagnoses
    bidiagnoses: Bidiagnoses
    sides: list[str]
    specialty_for_kind: SpecialtyForKind
    specialty_for_diagnosis: dict[str, str]
    default_specialty: str
    procedures: dict[str, str]
    outpatient_surgery: dict[str, float]
    procedure_span: tuple[float, float]
    procedure_shares: ProcedureShares
    chemotherapy_from_contact: int
    imaging: list[str]
    contrast_imaging: str
    contrast_code: str
    chemotherapy: str
    oxygen: str
    control: str
    faerdigbehandlet_code: str
    rehab_procedures: list[str]
    psychotherapy: str
    opholdsadresser: Opholdsadresser
    end_modes: EndModes
    referrals: Referrals
    fe_procedure: FeProcedure
    codes: Codes
    inject: InjectCodes
    region_extract: RegionExtract
    result_reports: ResultReports

    @model_validator(mode="after")
    def _consistent(self) -> GeneratorConfig:
        most = max(k.contacts[1] for k in self.forloebselement_kinds.values())
        if most >= self.contact_index_stride:
            raise ValueError(
                f"contact_index_stride ({self.contact_index_stride}) must exceed the largest number of "
                f"contacts of a forløbselement kind ({most})"
            )
        if abs(sum(b.share for b in self.population.age_bands) - 1.0) > 1e-9:
            raise ValueError("population.age_bands: the shares must add up to 1")
        return self


def generator_config() -> GeneratorConfig:
    return load("generator.yaml", GeneratorConfig)
