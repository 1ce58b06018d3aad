"""What a rule implementation is: a `Check`, a (frame, condition) pair for one catalogue rule.

A condition is a pure function returning a boolean Spark Column over its evaluation frame
(see expectations/frames/): true = the object breaks the rule. Null counts as "does not fire",
as a Drools comparison with a missing value does. A rule may have one implementation per frame
(00.01 checks every object type); an implementation may report on another object than the
frame's own (e.g. 06.02 is tested on the contact but reported on its henvisning).

The checks themselves are data: each module of `expectations.rules` declares a `CHECKS` list and
`expectations.rules.ALL_CHECKS` gathers them. This module imports none of them (a leaf).
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
    error_by: Callable[[], Column] | None = None  # per-issue deadline (default: the catalogue's errorBy)


def checks_in_scope(checks: Iterable[Check], catalogue: Mapping[str, RuleMeta], groups: Iterable[str]) -> list[Check]:
    """The checks whose catalogue rule belongs to one of `groups` (a run's scope)."""
    wanted = set(groups)
    return [c for c in checks if catalogue[c.rule_id].group in wanted]
