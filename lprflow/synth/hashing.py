"""Deterministic randomness for Spark columns: every draw is a hash of (seed, salt, keys).

A draw does not depend on partitioning or row order, so the same seed gives the same register
on one core or a cluster, and a smaller scale is a prefix-shaped sample of a larger one.
"""

from __future__ import annotations

from collections.abc import Sequence

from pyspark.sql import Column
from pyspark.sql import functions as F

_BITS = 52
_MASK = (1 << _BITS) - 1


class Draw:
    """Uniform draws keyed by a seed."""

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def u(self, salt: str, *keys: Column | str) -> Column:
        """A uniform double in [0, 1)."""
        h = F.xxhash64(F.lit(self.seed), F.lit(salt), *keys)
        return h.bitwiseAND(F.lit(_MASK)).cast("double") / float(1 << _BITS)

    def below(self, salt: str, n: Column | int, *keys: Column | str) -> Column:
        """A uniform integer in [0, n)."""
        n_col = n if isinstance(n, Column) else F.lit(n)
        return F.floor(self.u(salt, *keys) * n_col).cast("long")

    def between(self, salt: str, lo: int | Column, hi: int | Column, *keys: Column | str) -> Column:
        """A uniform integer in [lo, hi]."""
        lo_c = lo if isinstance(lo, Column) else F.lit(lo)
        hi_c = hi if isinstance(hi, Column) else F.lit(hi)
        return lo_c + self.below(salt, hi_c - lo_c + 1, *keys)

    def choose(self, salt: str, values: Sequence | Column, *keys: Column | str) -> Column:
        """A uniform pick from a literal list or an array column."""
        arr = values if isinstance(values, Column) else F.array(*[F.lit(v) for v in values])
        return F.element_at(arr, (self.below(salt, F.size(arr), *keys) + 1).cast("int"))

    def weighted(self, salt: str, options: Sequence[tuple[object, float]], *keys: Column | str) -> Column:
        """A pick from (value, weight) pairs; weights need not sum to 1."""
        total = float(sum(w for _, w in options))
        u = self.u(salt, *keys) * total
        acc, expr = 0.0, None
        for value, weight in options[:-1]:
            acc += weight
            cond = u < F.lit(acc)
            expr = F.when(cond, F.lit(value)) if expr is None else expr.when(cond, F.lit(value))
        last = F.lit(options[-1][0])
        return last if expr is None else expr.otherwise(last)


def object_id(object_type: str, *keys: Column | str) -> Column:
    """A deterministic id in the UUID version-5 text form the error-list schema requires."""
    parts = [F.lit(object_type), *[F.col(k) if isinstance(k, str) else k for k in keys]]
    h1 = F.lpad(F.hex(F.xxhash64(*parts)), 16, "0")
    h2 = F.lpad(F.hex(F.xxhash64(F.lit("~"), *parts)), 16, "0")
    h = F.lower(F.concat(h1, h2))
    return F.concat_ws(
        "-",
        F.substring(h, 1, 8),
        F.substring(h, 9, 4),
        F.concat(F.lit("5"), F.substring(h, 14, 3)),
        F.concat(F.lit("a"), F.substring(h, 18, 3)),
        F.substring(h, 21, 12),
    )
