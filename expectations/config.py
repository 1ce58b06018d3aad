"""The validation parameters (conf/validation.yaml, conf/expectations.yaml) as typed objects."""

from __future__ import annotations

from lprflow.config import Model, load


class ValidationConfig(Model):
    """conf/validation.yaml: the catalogue, what a run checks, and per-rule overrides."""

    catalogue: str  # path relative to the reference folder
    rule_version: str
    identifier_root: str
    groups: list[str]
    # rule id -> catalogue fields to override: windows (ISO dates), severity, error_by (ISO time)
    overrides: dict[str, dict[str, str]] = {}


class SuiteSettings(Model):
    blocking: bool


class ExpectationsConfig(Model):
    """conf/expectations.yaml: the dataset-level (Great Expectations) suites."""

    open_contact_max_days: int
    aktionsdiagnose_min_share: float
    suites: dict[str, SuiteSettings]


def validation_config() -> ValidationConfig:
    return load("validation.yaml", ValidationConfig)


def expectations_config() -> ExpectationsConfig:
    return load("expectations.yaml", ExpectationsConfig)
