"""What every frame builder shares: the `Frame`, its standard columns, the reference lookups and
the contact context.

Standard columns (`std`), on every frame:

  _object_id   the id of the object the frame is about
  _parent_id   its contact (diagnoses, procedures, opholdsadresser, payments), result report
               (results) or patient (residence): where it nests in the error list's JSON form
  _fe_id       the forløbselement the object hangs under (for the error list's JSON form)
  _unit        the responsible SOR unit shown in the error list
  _month_ts    the time the error list's month is taken from
  _reporter    the reporter type (rule scopes)
  _w_fe_start, _w_c_start, _w_c_end   times the rules' validity windows are tested on
  reported_at, region

Lookup columns: `Lookups.codes(df, {src: attr})` adds `attr__from`, `attr__to`, `attr__gaps`,
`attr__lists` for an SKS-coded column (see expectations/columns.py); `Lookups.unit(df, src, attr)`
adds `attr__from`, `attr__to`, `attr__gaps`, `attr__psych`, `attr__hospital`, `attr__known` for a
SOR unit column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pyspark import StorageLevel
from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from lprflow.reference import Reference
from lprflow.state import RegisterState, any_in


def no_time() -> Column:
    """A null timestamp (for a window column an object does not have)."""
    return F.lit(None).cast("timestamp")


def materialized(df: DataFrame) -> DataFrame:
    """`df` computed now and kept on the executors (a local checkpoint), as a leaf of the plans built
    on it. For a small frame that several lookups of a frame builder read (ids, then the rows the
    ids select): without it each lookup's plan holds the whole plan of `df`, and the result-report
    frames' plans grew to ~15,000 lines, seconds of analysis per operation. Lost with an executor
    (as a cached block is); the builder keeps it until the session drops it.

    An empty result is returned with a limit of 0, which the optimizer turns into an empty local
    relation: every join, aggregation and rule condition above it is dropped from the plan, so a
    register without result reports pays nothing to compile them. (An empty `createDataFrame` would
    not do: PySpark makes it an RDD whose emptiness the optimizer cannot see.)"""
    kept = df.localCheckpoint(eager=True)
    return kept.limit(0) if kept.isEmpty() else kept


@dataclass(frozen=True)
class Frame:
    name: str
    object_type: str
    df: DataFrame


def std(
    df: DataFrame,
    *,
    object_id: str,
    fe: Column,
    unit: Column,
    month: Column,
    reporter: Column,
    fe_start: Column,
    c_start: Column | None = None,
    c_end: Column | None = None,
    parent: Column | None = None,
) -> DataFrame:
    """`df` with the standard columns (see the module docstring); `object_id` names the id column."""
    return df.select(
        "*",
        F.col(object_id).alias("_object_id"),
        (parent if parent is not None else F.lit(None).cast("string")).alias("_parent_id"),
        fe.alias("_fe_id"),
        unit.alias("_unit"),
        month.alias("_month_ts"),
        F.coalesce(reporter, F.lit("LPR")).alias("_reporter"),
        fe_start.alias("_w_fe_start"),
        (c_start if c_start is not None else no_time()).alias("_w_c_start"),
        (c_end if c_end is not None else no_time()).alias("_w_c_end"),
    )


def contact_child(df: DataFrame, object_id: str) -> DataFrame:
    """`std` for an object hanging on a contact (joined with the contact context)."""
    return std(
        df,
        object_id=object_id,
        fe=F.col("k_fe_id"),
        unit=F.col("k_unit"),
        month=F.col("k_start"),
        reporter=F.col("fe_reporter"),
        fe_start=F.col("fe_start"),
        c_start=F.col("k_start"),
        c_end=F.col("k_end"),
        parent=F.col("kontakt_id"),
    )


def _tagger(code_kind: str):
    """A one-argument lambda for F.transform (a second argument would receive the index)."""
    return lambda x: F.struct(F.lit(code_kind).alias("code_kind"), x.alias("x"))


def code_rows(df: DataFrame, keep: list, arrays: dict[str, str]) -> DataFrame:
    """One row per code in the given array columns: `code_kind` (the dict key) and `x` (the code)."""
    tagged = F.concat(
        *[F.transform(F.coalesce(col, F.array()), _tagger(code_kind)) for code_kind, col in arrays.items()]
    )
    return (
        df.select(*keep, F.explode(tagged).alias("e"))
        .select("*", F.col("e.code_kind").alias("code_kind"), F.col("e.x").alias("x"))
        .drop("e")
    )


class Lookups:
    """The reference joins of one run and the contact context, persisted once for every frame.

    `register` is the register state (its current tables, and `rows_in` from the versions) or, in
    tests, a dict of current tables."""

    def __init__(self, register: RegisterState | dict[str, DataFrame], reference: Reference) -> None:
        self._state = register if isinstance(register, RegisterState) else None
        self.r = register.tables if isinstance(register, RegisterState) else register
        self.code_info = F.broadcast(reference.code_info)
        self._sor = F.broadcast(
            reference.sor_units.select("sor_id", "valid_from", "valid_to", "gaps", "psychiatric", "hospital_id")
        )
        self._kctx: DataFrame | None = None
        self.municipalities = reference.municipalities

    def municipality(self, df: DataFrame, src: str, attr: str, also: list[str]) -> DataFrame:
        """`attr__known`: true where the code is a municipality of the reference list or in `also`."""
        codes = self.municipalities.select("municipality_code").union(
            df.sparkSession.createDataFrame([(c,) for c in also], "municipality_code string")
        )
        known = F.broadcast(
            codes.distinct().select(
                F.col("municipality_code").alias(f"{attr}__code"), F.lit(True).alias(f"{attr}__known")
            )
        )
        return df.join(known, df[src] == known[f"{attr}__code"], "left").drop(f"{attr}__code")

    def release(self) -> None:
        """Drop the persisted contact context (call when the run's outputs are written)."""
        if self._kctx is not None:
            self._kctx.unpersist()
            self._kctx = None

    def codes(self, df: DataFrame, attrs: dict[str, str]) -> DataFrame:
        """Join SKS info for each source column → attribute prefix (x__from, x__to, x__gaps, x__lists)."""
        for src, attr in attrs.items():
            info = self.code_info.select(
                F.col("code").alias(f"{attr}__code"),
                F.col("valid_from").alias(f"{attr}__from"),
                F.col("valid_to").alias(f"{attr}__to"),
                F.col("gaps").alias(f"{attr}__gaps"),
                F.col("lists").alias(f"{attr}__lists"),
            )
            df = df.join(info, df[src] == info[f"{attr}__code"], "left").drop(f"{attr}__code")
            df = df.withColumn(
                f"{attr}__lists",
                F.coalesce(f"{attr}__lists", F.create_map().cast(info.schema[f"{attr}__lists"].dataType)),
            )
        return df

    def unit(self, df: DataFrame, src: str, attr: str) -> DataFrame:
        """Join SOR info (attr__from, attr__to, attr__gaps, attr__psych, attr__hospital; attr__known true
        where the unit is in the SOR register) for a unit column."""
        info = self._sor.select(
            F.col("sor_id").alias(f"{attr}__id"),
            F.col("valid_from").alias(f"{attr}__from"),
            F.col("valid_to").alias(f"{attr}__to"),
            F.col("gaps").alias(f"{attr}__gaps"),
            F.col("psychiatric").alias(f"{attr}__psych"),
            F.col("hospital_id").alias(f"{attr}__hospital"),
            F.lit(True).alias(f"{attr}__known"),
        )
        return df.join(info, df[src] == info[f"{attr}__id"], "left").drop(f"{attr}__id")

    def rows_in(self, name: str, wanted: Mapping[str, DataFrame]) -> DataFrame:
        """The current rows of table `name` where some column of `wanted` is among the values of its
        frame's first column (small frames, broadcast): `RegisterState.rows_in`, in proportion to
        the rows found, one scan for every column; on a dict of current tables, `any_in`."""
        if self._state is not None:
            return self._state.rows_in(name, wanted)
        return any_in(self.r[name], wanted)

    def fe_base(self, fe: DataFrame | None = None, *keep: str) -> DataFrame:
        """Per forløbselement (of `fe`, rows of the forløbselement table; default all): fe_id,
        fe_start, fe_end, fe_reporter, fe_unit, and `fe`'s columns named in `keep`."""
        return (self.r["forloebselement"] if fe is None else fe).select(
            *keep,
            F.col("forloebselement_id").alias("fe_id"),
            F.col("start_time").alias("fe_start"),
            F.col("end_time").alias("fe_end"),
            F.col("reporter_type").alias("fe_reporter"),
            F.col("responsible_unit").alias("fe_unit"),
        )

    def contact_context(self) -> DataFrame:
        """What every contact child needs of its contact (contact ⋈ forløbselement ⋈ SOR ⋈ type),
        built once per run: narrow, partitioned by contact id and persisted, so the diagnoses,
        opholdsadresser, payments, procedures and the contact frame join it without recomputing
        the contact's and forløbselement's as-of state or shuffling it again.

        Columns: k_id, k_fe_id, k_start, k_end, k_unit, k_type; fe_start, fe_end, fe_reporter,
        fe_unit; ku__from, ku__to, ku__gaps, ku__psych, ku__hospital (its unit); ktype__from, ktype__to, ktype__gaps,
        ktype__lists (its type)."""
        if self._kctx is None:
            k = self.r["kontakt"].select(
                F.col("kontakt_id").alias("k_id"),
                F.col("forloebselement_id").alias("k_fe_id"),
                F.col("start_time").alias("k_start"),
                F.col("end_time").alias("k_end"),
                F.col("responsible_unit").alias("k_unit"),
                F.col("type").alias("k_type"),
            )
            k = k.join(self.fe_base(), k["k_fe_id"] == F.col("fe_id"), "left").drop("fe_id")
            k = self.codes(self.unit(k, "k_unit", "ku"), {"k_type": "ktype"})
            self._kctx = k.repartition("k_id").persist(StorageLevel.MEMORY_AND_DISK)
        return self._kctx
