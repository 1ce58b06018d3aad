"""The LPR3 business-rule catalogue (reference/lpr3/rules.csv) as typed rule metadata."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from expectations.config import validation_config
from lprflow.paths import reference_dir

SCOPES = ("LPR", "PRIVATE", "DUSAS_ABROAD", "DUSAS_SPECIALITY")
_SCOPE_COLUMNS = {
    "LPR": "IsValidForLPRReports",
    "PRIVATE": "IsValidForPrivateSectorReports",
    "DUSAS_ABROAD": "IsValidForDUSASAbroadReports",
    "DUSAS_SPECIALITY": "IsValidForDUSASSpecialityReports",
}
_WINDOWS = {
    "episode_start_from": "EpisodeOfCareStartFromDate",
    "episode_start_to": "EpisodeOfCareStartToDate",
    "encounter_start_from": "EncounterStartFromDate",
    "encounter_start_to": "EncounterStartToDate",
    "encounter_end_from": "EncounterEndFromDate",
    "encounter_end_to": "EncounterEndToDate",
    "received_from": "ReportReceivedFromDate",
    "received_to": "ReportReceivedToDate",
}


@dataclass(frozen=True)
class RuleMeta:
    """One catalogue row: identity, message, severity, validity windows and reporter scopes."""

    rule_id: str
    group: str
    error_number: str
    message: str
    severity: str  # ERROR or WARNING
    source: str  # the Drools condition: the specification
    scopes: frozenset[str]
    episode_start_from: dt.date | None = None
    episode_start_to: dt.date | None = None
    encounter_start_from: dt.date | None = None
    encounter_start_to: dt.date | None = None
    encounter_end_from: dt.date | None = None
    encounter_end_to: dt.date | None = None
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    error_by: dt.datetime | None = None  # warnings: deadline after which they count as errors
    archived: dt.date | None = None

    @property
    def windows(self) -> dict[str, dt.date]:
        return {k: getattr(self, k) for k in _WINDOWS if getattr(self, k) is not None}


def _date(text: str) -> dt.date | None:
    text = (text or "").strip()
    return dt.date.fromisoformat(text[:10]) if text else None


def _scope_ok(value: str) -> bool:
    # Blank means the catalogue sets no restriction for that reporter type [choice, docs/RULES.md].
    return value.strip().lower() != "false"


def load_catalogue(path: str | Path | None = None, overrides: dict | None = None) -> dict[str, RuleMeta]:
    """Rule id → metadata, with conf/validation.yaml overrides applied."""
    conf = validation_config()
    path = Path(path) if path else reference_dir() / conf.catalogue
    rules: dict[str, RuleMeta] = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rule_id = (row.get("Rulename") or "").strip()
            if not rule_id:
                continue
            meta = RuleMeta(
                rule_id=rule_id,
                group=row["RuleGroup"].strip(),
                error_number=row["ErrorNumber"].strip(),
                message=row["ErrorText"].strip(),
                severity="WARNING" if row["ErrorType"].strip().upper().startswith("WARN") else "ERROR",
                source=row["Rulesource"],
                scopes=frozenset(s for s, c in _SCOPE_COLUMNS.items() if _scope_ok(row.get(c, ""))),
                archived=_date(row.get("ArchivedDate", "")),
                **{k: _date(row.get(c, "")) for k, c in _WINDOWS.items()},
            )
            rules[rule_id] = meta
    for rule_id, change in {**conf.overrides, **(overrides or {})}.items():
        if rule_id not in rules:
            raise KeyError(f"conf/validation.yaml: override for unknown rule '{rule_id}'")
        values = {
            k: dt.datetime.fromisoformat(v) if k == "error_by" else v if k == "severity" else _date(v)
            for k, v in change.items()
        }
        rules[rule_id] = replace(rules[rule_id], **values)
    return rules
