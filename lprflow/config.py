"""Versioned parameters from conf/, read into typed objects validated when loaded.

Each parameter file has a model (a frozen pydantic class, no unknown keys): `load(name, Model)`
reads conf/<name> and returns the model, or raises a `ConfigError` naming the file and the key
(`conf/grouping.yaml: key 'courses.join_gap_hours': Input should be a valid number`). Models
live beside the code that uses them; `lprflow.config` holds the loader and the core's own.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from lprflow.paths import conf_dir


class ConfigError(ValueError):
    """A parameter file is missing or malformed; the message names the file and key."""


class Model(BaseModel):
    """Base of every parameter model: immutable, and an unknown key is an error (a typo is caught)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


M = TypeVar("M", bound=Model)


def _path(name: str) -> Path:
    return conf_dir() / name


@lru_cache(maxsize=32)
def _read(where: str) -> dict[str, Any]:
    path = Path(where)
    if not path.exists():
        raise ConfigError(f"configuration file not found: {path}")
    with path.open(encoding="utf-8") as fh:
        try:
            data = yaml.safe_load(fh)
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at top level")
    return data


def parse(model: type[M], data: dict[str, Any], where: str) -> M:
    """Validate a mapping against a model; errors name `where` and the dotted key."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "(top level)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ConfigError(f"{where}: key '{key}': {first['msg']}{more}") from None


def load(name: str, model: type[M]) -> M:
    """conf/<name> validated against `model` (cached per file path and model)."""
    return _load(str(_path(name)), model)


@lru_cache(maxsize=32)
def _load(where: str, model: type[M]) -> M:
    return parse(model, _read(where), where)


# ---------------------------------------------------------------- the core's own parameters
class SksFixedWidth(Model):
    encoding: str
    columns: dict[str, tuple[int, int]]
    open_from_year: int  # a valid-to date in this year or later means "no end"


class SorCsv(Model):
    delimiter: str
    encoding: str
    columns: dict[str, str]
    psychiatric_specialties: list[str]


class ReferenceConfig(Model):
    """conf/reference.yaml: layouts of the official files and codes the core needs."""

    local_time_zone: str
    danish_country_code: str
    sks_fixed_width: SksFixedWidth
    sor_csv: SorCsv


class SparkProfile(Model):
    master: str | None = None
    conf: dict[str, str] = {}


class SparkConfig(Model):
    """conf/spark.yaml: named session profiles, and the settings of a session for a few rows."""

    profiles: dict[str, SparkProfile]
    few_rows: dict[str, str] = {}


class Finding(Model):
    message: str
    reason: str | None = None  # for findings on set-aside objects: lprflow.state.REASONS


class Century(Model):
    digits: str  # the 7th digits this row applies to
    years: tuple[int, int]  # two-digit years, inclusive
    century: int


class CprRules(Model):
    centuries: list[Century]
    replacement_centuries: dict[str, int]


class IntegrityConfig(Model):
    """conf/integrity.yaml: the integrity findings and the CPR and municipality parameters."""

    findings: dict[str, Finding]
    cpr: CprRules
    special_municipality_codes: list[str]


def integrity_config() -> IntegrityConfig:
    return load("integrity.yaml", IntegrityConfig)


def reference_config() -> ReferenceConfig:
    return load("reference.yaml", ReferenceConfig)


def spark_config() -> SparkConfig:
    return load("spark.yaml", SparkConfig)
