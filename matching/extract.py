"""The region's own contacts: its extract (Parquet or CSV) read through the column mapping into
the documented schema (docs/MATCHING.md), every row kept.

A value that cannot be read (a time not in the mapping's format, a value that is not a number)
becomes null and the field is named in the row's `unreadable`; a missing column is an error
naming the file and the column. Times without an offset are Danish wall-clock times and become
UTC instants. The CPR number is replaced by its key at once (the number is never written)."""

from __future__ import annotations

from pathlib import Path

from pyspark.sql import Column, DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql.types import NumericType, StringType, TimestampNTZType, TimestampType

from lprflow.cpr import cpr_birth_date, cpr_sex
from lprflow.localtime import zone_name
from lprflow.pseudonym import patient_key
from matching.config import TIMES, ExtractMapping

# the region side after reading, in order
REGION_COLUMNS = [
    "region_row_id",
    "kontakt_id",
    "cpr_key",
    "birth_date",
    "sex",
    "responsible_unit",
    "hospital",
    "start_time",
    "end_time",
    "type",
    "priority",
    "aktionsdiagnose",
    "drg",
    "value",
    "municipality_code",
    "unreadable",
    "extra",
]
STRINGS = ("source_id", "kontakt_id", "patient", "responsible_unit", "type", "priority", "aktionsdiagnose", "drg",
           "municipality_code")  # fmt: skip


class ExtractError(ValueError):
    """The extract cannot be read as mapped; the message names the file and the column."""


def _is_csv(path: Path) -> bool:
    if path.is_file():
        return path.suffix.lower() == ".csv"
    return any(p.suffix.lower() == ".csv" for p in path.glob("*")) and not any(path.glob("*.parquet"))


def _raw(spark: SparkSession, path: Path, mapping: ExtractMapping) -> DataFrame:
    if not path.exists():
        raise ExtractError(f"{path}: region extract not found")
    if _is_csv(path):
        return spark.read.csv(
            str(path), header=mapping.csv.header, sep=mapping.csv.delimiter, inferSchema=False, encoding="utf-8"
        )
    return spark.read.parquet(str(path))


def _text(c: Column) -> Column:
    t = F.trim(c.cast("string"))
    return F.when(t != "", t)


def _time(c: Column, kind: object, fmt: str) -> Column:
    if isinstance(kind, TimestampType):
        return c
    if isinstance(kind, TimestampNTZType):  # a wall-clock time without a zone
        return F.to_utc_timestamp(c.cast("timestamp"), zone_name())
    wall = F.try_to_timestamp(_text(c), F.lit(fmt))
    return F.to_utc_timestamp(wall, zone_name())


def read_extract(
    spark: SparkSession, path: str | Path, mapping: ExtractMapping, salt: str, units: DataFrame
) -> DataFrame:
    """The extract in REGION_COLUMNS: one row per input row, with a deterministic row id (the
    source id where mapped, else a hash of the row's values and its place among identical rows),
    the hospital of its unit (`units`: sor_id, hospital_id), and the birth date and sex the CPR
    number encodes (null when the extract gives keys)."""
    path = Path(path)
    raw = _raw(spark, path, mapping)
    have = {f.name: f.dataType for f in raw.schema.fields}
    cols = mapping.mapped()
    for field, column in cols.items():
        if column not in have:
            raise ExtractError(
                f"{path}: region extract has no column '{column}' (mapped to field '{field}'; "
                f"its columns: {sorted(have)})"
            )
    fields: dict[str, Column] = {}
    unreadable: list[Column] = []
    for field in STRINGS:
        fields[field] = _text(F.col(cols[field])) if field in cols else F.lit(None).cast(StringType())
    for field in TIMES:
        if field not in cols:
            fields[field] = F.lit(None).cast(TimestampType())
            continue
        src = F.col(cols[field])
        fields[field] = _time(src, have[cols[field]], mapping.time_format)
        unreadable.append(F.when(_text(src).isNotNull() & fields[field].isNull(), F.lit(field)))
    if "value" in cols:
        src = F.col(cols["value"])
        kind = have[cols["value"]]
        fields["value"] = src.cast("double") if isinstance(kind, NumericType) else _text(src).try_cast("double")
        unreadable.append(F.when(_text(src).isNotNull() & fields["value"].isNull(), F.lit("value")))
    else:
        fields["value"] = F.lit(None).cast("double")
    extra_cols = [c for c in raw.columns if c not in cols.values()]
    extra = (
        F.map_from_arrays(F.array(*[F.lit(c) for c in extra_cols]), F.array(*[_text(F.col(c)) for c in extra_cols]))
        if extra_cols
        else F.create_map().cast("map<string,string>")
    )
    cpr = mapping.patient_is == "cpr"
    key = patient_key(fields["patient"], salt) if cpr else fields["patient"]
    birth = cpr_birth_date(fields["patient"]) if cpr else F.lit(None).cast("date")
    sex = cpr_sex(fields["patient"]) if cpr else F.lit(None).cast("int")
    content = F.sha2(F.to_json(F.struct(*[F.col(c).cast("string").alias(c) for c in raw.columns])), 256)
    df = raw.select(
        *[fields[f].alias(f) for f in fields],
        F.when(fields["patient"].isNotNull(), key).alias("cpr_key"),
        birth.alias("birth_date"),
        sex.cast("int").alias("sex"),
        F.array_compact(F.array(*unreadable, F.lit(None).cast("string"))).alias("unreadable"),
        extra.alias("extra"),
        F.substring(content, 1, 20).alias("_content"),
    )
    if "source_id" in cols:  # the region's own id; a row without one gets its content's hash
        row_id = F.coalesce(F.col("source_id"), F.col("_content"))
    else:
        same = Window.partitionBy("_content").orderBy("_content")
        row_id = F.concat(F.col("_content"), F.lit("#"), F.row_number().over(same).cast("string"))
    hospitals = F.broadcast(
        units.select(F.col("sor_id").alias("responsible_unit"), F.col("hospital_id").alias("hospital")).dropDuplicates(
            ["responsible_unit"]
        )
    )
    df = df.join(hospitals, "responsible_unit", "left").withColumn(
        "hospital",
        F.coalesce("hospital", "responsible_unit"),  # as grouping.courses names a unit's hospital
    )
    return df.select(row_id.alias("region_row_id"), *[c for c in REGION_COLUMNS if c != "region_row_id"])
