"""What any evaluation of the catalogue must do before its first rule, as frames to time.

    python -m bench.bench_validate --register bench/out/reg-1.0 --out /tmp/v --floors-only

Three reference points beside the plain scan: the as-of state of every table; that state with
every object joined once to its parent (the relating rules need it); and the same with each
object's versions grouped inside its parent's partition, so the as-of grouping and the parent join
share one shuffle. The last is valid only when no object ever moves to another parent (true of
the generated register, not promised by LPR3) and it does not remove what hangs on a deleted
object, so it is an optimistic lower bound, not a plan.
"""

from __future__ import annotations

import datetime as dt
from functools import reduce

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from bench.sink import noop_seconds
from lprflow.register import as_of, latest_versions
from lprflow.schemas import TABLE_NAMES, table
from lprflow.state import register_as_of

_OWNER = {table(name).key: name for name in TABLE_NAMES}  # parent column -> the table it keys


def every_row(parts: dict[str, DataFrame]) -> DataFrame:
    """One frame that needs every column of every part (a hash per row): one noop write times all."""
    rows = [df.select(F.lit(name).alias("table"), F.xxhash64(*df.columns).alias("row")) for name, df in parts.items()]
    return reduce(DataFrame.unionByName, rows)


def with_parents(state: dict[str, DataFrame], parents: dict[str, DataFrame]) -> dict[str, DataFrame]:
    """Each table's rows joined (left) with the ids of its parent table in `parents`."""
    out: dict[str, DataFrame] = {}
    for name, df in state.items():
        parent = table(name).parent
        if parent is not None:
            ids = parents[_OWNER[parent]].select(F.col(parent).alias("_parent"))
            df = df.join(ids, df[parent] == ids["_parent"], "left").drop("_parent")
        out[name] = df
    return out


def colocated_as_of(versions: DataFrame, name: str, at: dt.datetime | str | None) -> DataFrame:
    """The as-of state with versions grouped by (parent, id) inside the parent's partition.

    Equal to `as_of` only while no object changes parent between versions."""
    spec = table(name)
    if spec.parent is None:
        return as_of(versions, name, at)
    return latest_versions(versions.repartition(spec.parent), name, at, [spec.parent, spec.key])


def floor_frames(versions: dict[str, DataFrame], at: dt.datetime | str | None) -> dict[str, DataFrame]:
    """The three reference frames (as-of; + parent join; + parent join, co-located)."""
    state = register_as_of(versions, at)
    colocated = {name: colocated_as_of(df, name, at) for name, df in versions.items()}
    return {
        "asof": every_row(state),
        "structural": every_row(with_parents(state, state)),
        "structural_colocated": every_row(with_parents(colocated, state)),
    }


def floor_seconds(versions: dict[str, DataFrame], at: dt.datetime | str | None) -> dict[str, float]:
    """Wall seconds of each reference frame, each computed in full by a noop write."""
    return {name: noop_seconds(df) for name, df in floor_frames(versions, at).items()}
