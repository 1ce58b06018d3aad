"""Builds every evaluation frame of a run from an as-of register."""

from __future__ import annotations

from pyspark.sql import DataFrame

from expectations.frames.base import Frame, Lookups
from expectations.frames.contacts import kontakt_frame
from expectations.frames.diagnoses import diagnose_aggregates, diagnose_base, diagnose_codes_frame, diagnose_frame
from expectations.frames.forloebselementer import (
    bopael_frame,
    fe_frame,
    henvisning_frames,
    marker_frame,
    patient_frame,
)
from expectations.frames.locations_payments import interval_aggregates, ophold_frame, payment_frame
from expectations.frames.procedures import procedure_base, procedure_codes_frame, procedure_frame
from expectations.frames.result_reports import report_frame, report_result_frame, report_sources, trigger_frame
from expectations.frames.results import result_report_frame, resultat_frame
from expectations.result_rules import load_result_rules, result_tags, trigger_lists
from lprflow.reference import Reference
from lprflow.state import RegisterState


class FrameBuilder:
    """Every evaluation frame, by name; a context manager that releases what it persisted."""

    def __init__(self, register: RegisterState | dict[str, DataFrame], reference: Reference) -> None:
        self.look = Lookups(register, reference)

    def __enter__(self) -> FrameBuilder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def release(self) -> None:
        """Drop what the builder persisted (call when the run's outputs are written)."""
        self.look.release()

    def build(self, needed: set[str] | None = None) -> dict[str, Frame]:
        """Every frame; with `needed`, the result-report frames only when a check reads them (they are
        the only ones whose plan a run without their rules would otherwise analyse for nothing)."""
        look, r = self.look, self.look.r
        d = diagnose_base(look)
        p = procedure_base(look)
        h_main, h_codes = henvisning_frames(look)
        frames = [
            fe_frame(look),
            kontakt_frame(
                look,
                diagnose_aggregates(look),
                interval_aggregates(r["opholdsadresse"], "o"),
                interval_aggregates(r["betalingsoplysning"], "p"),
            ),
            diagnose_frame(d),
            diagnose_codes_frame(look, d),
            ophold_frame(look),
            payment_frame(look),
            procedure_frame(p),
            procedure_codes_frame(look, p),
            h_main,
            h_codes,
            marker_frame(look),
            resultat_frame(look),
            result_report_frame(look),
            bopael_frame(look),
            patient_frame(look),
        ]
        if needed is None or needed & {"report", "report_result", "trigger"}:
            rules = load_result_rules()
            src = report_sources(look, trigger_lists(rules))
            report = report_frame(look, src, result_tags(rules))
            frames += [report, report_result_frame(look, report), trigger_frame(look, src)]
        return {f.name: f for f in frames}
