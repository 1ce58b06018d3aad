"""Arrays built without lambda functions.

Spark evaluates an expression that holds a lambda (`filter`, `transform`, `array_compact`, which
is a `filter`) outside whole-stage code generation, and with it the whole projection it is part
of: every column of that projection is then computed row by row, and the plan is cut in two
there. On a hot path build arrays of conditional items with `present` instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from pyspark.sql import Column
from pyspark.sql import functions as F


def present(items: Sequence[tuple[Column, Column]], element_type: str) -> Column:
    """array<`element_type`> of each item's value whose condition holds, in the items' order
    (empty when none holds): `array_compact(array(when(c, v), ...))` in generated code."""
    kind = f"array<{element_type}>"
    empty = F.array().cast(kind)
    return F.flatten(F.array(*[F.when(cond, F.array(value).cast(kind)).otherwise(empty) for cond, value in items]))
