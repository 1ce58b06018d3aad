"""The rule registry: each catalogue rule's implementation(s) as (frame, condition) pairs.

A condition is a pure function returning a boolean Spark Column over its evaluation frame
(see expectations/frames.py): true = the object breaks the rule. Null counts as "does not fire",
as a Drools comparison with a missing value does. A rule may have one implementation per frame
(00.01 checks every object type); an implementation may report on another object than the
frame's own (e.g. 06.02 is tested on the contact but reported on its henvisning).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from pyspark.sql import Column

from expectations.catalogue import RuleMeta


@dataclass(frozen=True)
class Check:
    rule_id: str
    frame: str
    condition: Callable[[], Column]
    object_type: str | None = None  # default: the frame's object type
    object_id: str | None = None  # column holding the reported object's id (default: _object_id)


CHECKS: list[Check] = []
# rule id → why it is not implemented yet
DEFERRED: dict[str, str] = {}


def check(
    rule_id: str,
    frame: str,
    condition: Callable[[], Column],
    object_type: str | None = None,
    object_id: str | None = None,
) -> None:
    """Register one implementation of a catalogue rule."""
    CHECKS.append(Check(rule_id, frame, condition, object_type, object_id))


def defer(rule_id: str, reason: str) -> None:
    DEFERRED[rule_id] = reason


def load_all() -> list[Check]:
    """Import every rule module (which registers its checks) and return the registry."""
    from expectations.rules import (  # noqa: F401
        contacts,
        courses,
        diagnoses,
        locations_payments,
        procedures,
        results,
    )

    return CHECKS


def checks_in_scope(catalogue: Mapping[str, RuleMeta], groups: Iterable[str]) -> list[Check]:
    """The registered checks whose catalogue rule belongs to one of `groups` (a run's scope)."""
    wanted = set(groups)
    return [c for c in load_all() if catalogue[c.rule_id].group in wanted]
