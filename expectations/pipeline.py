"""The validation of an as-of register: the library call behind `lprflow validate`.

    with validate_register(state, reference, at, catalogue, conf) as result:
        result.issues ...   # the flat error list (lazy; counted by `observe` when written)

The evaluation frames are built once (`expectations.frames`), every check in the run's scope
(`expectations.rules`, the groups of conf/validation.yaml) is evaluated in one pass per frame
(`expectations.engine`), with the integrity checks (`expectations.integrity`) and a finding per
object the register state set aside (`lprflow.state`); what the builder persisted is released
when the block ends. The JSON form (`expectations.fejlliste`) and the summary
(`expectations.summary`) are built from the written error list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from expectations.catalogue import RuleMeta
from expectations.config import ValidationConfig
from expectations.engine import EngineResult, evaluate
from expectations.frames.builder import FrameBuilder
from expectations.integrity import CHECKS as INTEGRITY_CHECKS
from expectations.integrity import integrity_metas, set_aside_issues
from expectations.registry import Check, checks_in_scope
from expectations.rules import ALL_CHECKS
from lprflow.reference import Reference
from lprflow.state import RegisterState


def run_checks(catalogue: dict[str, RuleMeta], conf: ValidationConfig) -> list[Check]:
    """The checks a run evaluates: those of the configured groups, and every integrity check."""
    return checks_in_scope(ALL_CHECKS, catalogue, conf.groups) + INTEGRITY_CHECKS


def out_of_scope(catalogue: dict[str, RuleMeta], conf: ValidationConfig) -> list[str]:
    """The catalogue's rules in the groups a run does not check (a ground truth is compared without them)."""
    groups = set(conf.groups)
    return sorted(r for r, m in catalogue.items() if m.group not in groups)


@contextmanager
def validate_register(
    state: RegisterState,
    reference: Reference,
    at: dt.datetime,
    catalogue: dict[str, RuleMeta],
    conf: ValidationConfig,
) -> Iterator[EngineResult]:
    """The (lazy) error list of the register state `state` as of `at`: the rules' and integrity
    checks' findings on the current objects, and one integrity finding per set-aside object."""
    metas = {**catalogue, **integrity_metas()}
    with FrameBuilder(state, reference) as builder:
        checks = run_checks(catalogue, conf)
        result = evaluate(builder.build({c.frame for c in checks}), checks, metas, at, conf.rule_version)
        result.issues = result.issues.unionByName(set_aside_issues(state.set_aside(), conf.rule_version))
        yield result
