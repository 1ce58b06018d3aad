"""What every part of the generator shares: parameters, the seeded draw, the region's reference
choices (municipalities, units, code lists), and small column helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F

from lprflow.config import reference_config
from lprflow.reference import Reference
from lprflow.synth.config import GeneratorConfig
from lprflow.synth.hashing import Draw, object_id

DAY = 86400  # seconds
HOUR = 3600
MINUTE = 60


def lit_array(values: list) -> Column:
    return F.array(*[F.lit(v) for v in values])


def map_of(mapping: dict[str, Any]) -> Column:
    """A literal map column; list values become array literals."""
    items: list[Column] = []
    for k, v in mapping.items():
        items += [F.lit(k), lit_array(v) if isinstance(v, list) else F.lit(v)]
    return F.create_map(*items)


def newest(df: DataFrame, key: str) -> DataFrame:
    """The last reported version of each object (what an as-of state after every report holds)."""
    return (
        df.groupBy(key)
        .agg(F.max_by(F.struct(*[c for c in df.columns if c != key]), F.col("reported_at")).alias("_v"))
        .select(key, "_v.*")
    )


def ts(seconds: Column) -> Column:
    """Epoch seconds → timestamp."""
    return F.timestamp_seconds(seconds)


@dataclass
class Context:
    """One generator run: who, when, how much, and the reference-driven choices."""

    spark: SparkSession
    cfg: GeneratorConfig
    region: str
    year: int
    scale: float
    seed: int
    error_rate: float
    d: Draw
    own_munis: list[str]
    other_munis: list[str]
    units_by_specialty: dict[str, list[str]]
    psych_unit: str
    hospice_unit: str
    lateral_diag: list[str]
    lateral_proc: list[str]
    primkraeft: list[str]
    danish_country_code: str
    code_lists: dict[str, set[str]]  # list name → its codes (reference/sks_code_lists.csv)

    @classmethod
    def create(
        cls,
        spark: SparkSession,
        cfg: GeneratorConfig,
        ref: Reference,
        region: str,
        year: int,
        scale: float,
        seed: int,
        error_rate: float,
    ) -> Context:
        munis = ref.municipality_rows()
        own = [m["municipality_code"] for m in munis if m["region_code"] == region]
        if not own:
            raise ValueError(f"region '{region}' has no municipalities in reference/municipalities.csv")
        units = [u for u in ref.sor_rows() if u["region_code"] == region and not u.get("valid_to")]
        by_specialty: dict[str, list[str]] = {}
        for u in sorted(units, key=lambda r: r["sor_id"]):
            if u["unit_kind"] in ("somatic", "rehab"):
                by_specialty.setdefault(u["specialty"], []).append(u["sor_id"])
        lists: dict[str, set[str]] = {}
        for row in ref.code_lists.collect():  # ~200 reference rows, not data
            lists.setdefault(row["list_name"], set()).add(row["code"])
        return cls(
            spark=spark,
            cfg=cfg,
            region=region,
            year=year,
            scale=scale,
            seed=seed,
            error_rate=error_rate,
            d=Draw(seed),
            own_munis=own,
            other_munis=[m["municipality_code"] for m in munis if m["region_code"] != region],
            units_by_specialty=by_specialty,
            psych_unit=sorted(u["sor_id"] for u in units if u["unit_kind"] == "psychiatric")[0],
            hospice_unit=sorted(u["sor_id"] for u in units if u["unit_kind"] == "hospice")[0],
            lateral_diag=sorted(lists.get("diag.lateral", set())),
            lateral_proc=sorted(lists.get("proc.lateral", set())),
            primkraeft=sorted(lists.get("diag.primkraeft", set())),
            danish_country_code=reference_config().danish_country_code,
            code_lists=lists,
        )

    @property
    def y0(self) -> int:
        """1 January of the year, epoch seconds."""
        return int(dt.datetime(self.year, 1, 1, tzinfo=dt.UTC).timestamp())

    @property
    def late0(self) -> int:
        """1 February of the following year: where reports after the year's end start."""
        return int(dt.datetime(self.year + 1, 2, 1, tzinfo=dt.UTC).timestamp())

    def oid(self, object_type: str, *keys: Column | str) -> Column:
        """The object id of a generated object of this region."""
        return object_id(object_type, F.lit(self.region), *keys)

    def unit(self, specialty: str, hosp: Column) -> Column:
        """A unit of the specialty, picked by the forløbselement's hospital draw."""
        units = self.units_by_specialty[specialty]
        return F.element_at(lit_array(units), (hosp % len(units) + 1).cast("int"))
