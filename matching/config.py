"""The matching parameters (conf/matching.yaml) as a typed object; a region's own mapping file
(`--mapping FILE`, the same `extract:` section) replaces the extract part."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import model_validator

from lprflow.config import ConfigError, Model, _read, load, parse

REQUIRED = ("patient", "responsible_unit", "start_time", "type")
FIELDS = (
    "source_id",
    "kontakt_id",
    "patient",
    "responsible_unit",
    "start_time",
    "end_time",
    "type",
    "priority",
    "aktionsdiagnose",
    "drg",
    "value",
    "municipality_code",
)
TIMES = ("start_time", "end_time")


class Csv(Model):
    header: bool
    delimiter: str


class ExtractMapping(Model):
    """Where each field of the documented extract schema is in the region's own extract."""

    columns: dict[str, str | None]
    patient_is: Literal["cpr", "key"]
    time_format: str
    csv: Csv

    @model_validator(mode="after")
    def _fields(self) -> ExtractMapping:
        unknown = sorted(set(self.columns) - set(FIELDS))
        if unknown:
            raise ValueError(f"unknown fields {unknown} (the schema's fields: {list(FIELDS)})")
        missing = [f for f in REQUIRED if not self.columns.get(f)]
        if missing:
            raise ValueError(f"required fields not mapped: {missing}")
        return self

    def mapped(self) -> dict[str, str]:
        """field -> the extract's column, for the fields the extract has."""
        return {f: c for f, c in self.columns.items() if c}


class MatchRules(Model):
    start_tolerance_minutes: float
    same_type: bool
    rounds: int
    time_equal_minutes: float
    compare: list[str]
    value_equal_kr: float


class MatchingConfig(Model):
    extract: ExtractMapping
    match: MatchRules


def matching_config(mapping: str | Path | None = None) -> MatchingConfig:
    """conf/matching.yaml; with `mapping`, its `extract:` section replaces the configured one."""
    conf = load("matching.yaml", MatchingConfig)
    if mapping is None:
        return conf
    path = Path(mapping)
    data = _read(str(path.resolve()))
    if "extract" not in data:
        raise ConfigError(f"{path}: expected a top-level key 'extract'")
    extract = parse(ExtractMapping, data["extract"], f"{path}: extract")
    return conf.model_copy(update={"extract": extract})
