"""The region's own contacts: its extract (Parquet or CSV) read through the column mapping into
the documented schema (docs/MATCHING.md), every row kept.

A value that cannot be read (a time not in the mapping's format, a value that is not a number)
becomes null and the field is named in the row's `unreadable`; a missing column is an error
naming the file and the column. Times without an offset are Danish wall-clock times and become
UTC instants. The CPR number is replaced by its key at once (the number is never written)."""

from __future__ import annotations

from pathlib import Path

from pyspark.sql import Column, DataFrame, Observation, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql.types import NumericType, StringType, TimestampNTZType, TimestampType

from lprflow.arrays import present
from lprflow.cpr import cpr_birth_date, cpr_sex
from lprflow.localtime import zone_name
from lprflow.pseudonym import patient_key
from matching.config import TIMES, ExtractMapping
from matching.keys import Keys, among

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
# the row id while the extract's own columns are beside it
ROW_ID = "__lprflow_row_id"
STRINGS = ("source_id", "kontakt_id", "patient", "responsible_unit", "type", "priority", "aktionsdiagnose", "drg",
           "municipality_code")  # fmt: skip


def contact_key(
    kontakt_id: Column, cpr_key: Column, unit: Column, start: Column, type_: Column, row_id: Column
) -> Column:
    """What makes two rows of the extract one contact: the LPR3 id; without one, the patient, unit,
    start and type; without those, the row itself."""
    attrs = F.struct(cpr_key.alias("cpr_key"), unit.alias("responsible_unit"), start.alias("start_time"),
                     type_.alias("type"))  # fmt: skip
    by_attrs = F.when(cpr_key.isNotNull() & start.isNotNull(), F.concat(F.lit("~"), F.to_json(attrs)))
    return F.coalesce(kontakt_id, by_attrs, F.concat(F.lit("#"), row_id))


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


def _keyed(raw: DataFrame, source_id: Column | None, by_source: bool) -> DataFrame:
    """`raw` with its row id (ROW_ID): the source id (`source_id`, the mapped column read as text;
    None where the mapping has none), else a hash of the row's values, and without a source id
    mapped, that hash and the row's place among identical rows. `by_source`: the source id alone
    (a row without one has none), so that no other column is read for it."""
    if by_source:
        if source_id is None:
            raise ValueError("read_extract(by_source=True): the mapping has no source id")
        return raw.select("*", source_id.alias(ROW_ID))
    content = F.substring(
        F.sha2(F.to_json(F.struct(*[F.col(c).cast("string").alias(c) for c in raw.columns])), 256), 1, 20
    )
    if source_id is not None:  # the region's own id; a row without one gets its content's hash
        return raw.select("*", F.coalesce(source_id, content).alias(ROW_ID))
    same = Window.partitionBy("_content").orderBy("_content")  # the hash and the row's place among identical rows
    return raw.select("*", content.alias("_content")).select(
        *[F.col(c) for c in raw.columns],
        F.concat(F.col("_content"), F.lit("#"), F.row_number().over(same).cast("string")).alias(ROW_ID),
    )


def _mapped_columns(path: Path, raw: DataFrame, mapping: ExtractMapping) -> dict[str, str]:
    """The mapping's extract column per field, each checked to be in `raw` (an ExtractError names
    the file, the column and the field)."""
    cols = mapping.mapped()
    for field, column in cols.items():
        if column not in raw.columns:
            raise ExtractError(
                f"{path}: region extract has no column '{column}' (mapped to field '{field}'; "
                f"its columns: {sorted(raw.columns)})"
            )
    return cols


def _string_field(cols: dict[str, str], field: str) -> Column:
    """A text field (STRINGS) as read: trimmed, empty as null; null where the field is not mapped."""
    return _text(F.col(cols[field])) if field in cols else F.lit(None).cast(StringType())


def read_extract(
    spark: SparkSession,
    path: str | Path,
    mapping: ExtractMapping,
    salt: str,
    units: DataFrame,
    only: Keys | None = None,
    by_source: bool = False,
) -> DataFrame:
    """The extract in REGION_COLUMNS: one row per input row, with a deterministic row id (the
    source id where mapped, else a hash of the row's values and its place among identical rows),
    the hospital of its unit (`units`: sor_id, hospital_id, one row per unit), and the birth date
    and sex the CPR number encodes (null when the extract gives keys). With `only` (row ids:
    matching.keys.Keys): only those rows, picked before their other fields are computed; with
    `by_source` as well (the mapping has a source id), picked by their source id alone, so a row
    without one (named by its content's hash, which reads every column) is not picked."""
    path = Path(path)
    raw = _raw(spark, path, mapping)
    have = {f.name: f.dataType for f in raw.schema.fields}
    cols = _mapped_columns(path, raw, mapping)
    fields: dict[str, Column] = {}
    unreadable: list[tuple[Column, Column]] = []  # (the value could not be read, the field)
    for field in STRINGS:
        fields[field] = _string_field(cols, field)
    for field in TIMES:
        if field not in cols:
            fields[field] = F.lit(None).cast(TimestampType())
            continue
        src = F.col(cols[field])
        fields[field] = _time(src, have[cols[field]], mapping.time_format)
        if not isinstance(have[cols[field]], (TimestampType, TimestampNTZType)):  # a typed time is always read
            unreadable.append((_text(src).isNotNull() & fields[field].isNull(), F.lit(field)))
    if "value" in cols:
        src = F.col(cols["value"])
        kind = have[cols["value"]]
        if isinstance(kind, NumericType):
            fields["value"] = src.cast("double")
        else:
            fields["value"] = _text(src).try_cast("double")
            unreadable.append((_text(src).isNotNull() & fields["value"].isNull(), F.lit("value")))
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
    keyed = _keyed(raw, fields["source_id"] if "source_id" in cols else None, by_source)
    cpr_key = F.when(fields["patient"].isNotNull(), key)
    if only is not None:  # before the fields are computed: they are then computed for these rows only
        keyed = among(keyed, ROW_ID, only)
    df = keyed.select(
        F.col(ROW_ID).alias("region_row_id"),
        *[fields[f].alias(f) for f in fields],
        cpr_key.alias("cpr_key"),
        birth.alias("birth_date"),
        sex.cast("int").alias("sex"),
        (
            present(unreadable, "string")
            if unreadable
            else F.array().cast("array<string>")  # nothing to read from text: a constant
        ).alias("unreadable"),
        extra.alias("extra"),
    )
    # one row per unit (lprflow.reference.Reference.sor_units), so no row is multiplied
    hospitals = F.broadcast(
        units.select(F.col("sor_id").alias("responsible_unit"), F.col("hospital_id").alias("hospital"))
    )
    df = df.join(hospitals, "responsible_unit", "left").withColumn(
        "hospital",
        F.coalesce("hospital", "responsible_unit"),  # as grouping.courses names a unit's hospital
    )
    return df.select(*REGION_COLUMNS)


def read_kontakt_ids(spark: SparkSession, path: str | Path, mapping: ExtractMapping) -> DataFrame:
    """The extract's LPR3 ids (column kontakt_id, null where a row has none; one row per input
    row), read as `read_extract` reads them but without the rest of the row: counting them
    (matching.pairs.duplicated_ids) reads one column and waits for nothing else (`read_extract`'s
    rows wait for the units' hospitals)."""
    path = Path(path)
    raw = _raw(spark, path, mapping)
    return raw.select(_string_field(_mapped_columns(path, raw, mapping), "kontakt_id").alias("kontakt_id"))


def read_people(
    spark: SparkSession,
    path: str | Path,
    mapping: ExtractMapping,
    salt: str,
    units: DataFrame,
    ids: Keys,
    n_ids: int | None = None,
) -> DataFrame:
    """region_row_id, birth_date and sex of the extract's rows in `ids` (a few ids as a list, or a
    frame of region_row_id, distinct; `n_ids` of them where known), settled (checkpointed;
    unpersist when done). With a source id mapped, the rows are picked by it and only the columns
    their birth date and sex come from are read. The whole rows are read only for ids that are not
    a source id (rows named by their content), and only when one is asked for; when every id is
    found by source id (counted, or for a list gathered, as the rows are read), no job looks for
    such ids."""

    def picked(only: Keys, by_source: bool = False) -> DataFrame:
        rows = read_extract(spark, path, mapping, salt, units, only=only, by_source=by_source)
        return rows.select("region_row_id", "birth_date", "sex")

    if "source_id" not in mapping.mapped():
        return picked(ids).localCheckpoint()
    if isinstance(ids, list):  # few: the ids found are gathered as they are read
        got = Observation()
        found = picked(ids, by_source=True)
        found = found.observe(got, F.collect_set("region_row_id").alias("ids")).localCheckpoint()
        missing: Keys = sorted(set(ids) - set(got.get["ids"]))
        if not missing:
            return found
    else:
        rows = Observation()
        found = picked(ids, by_source=True).observe(rows, F.count(F.lit(1)).alias("rows")).localCheckpoint()
        if rows.get["rows"] == n_ids:
            return found
        missing = ids.select("region_row_id").join(found, "region_row_id", "left_anti")
        if missing.isEmpty():
            return found
    both = found.unionByName(picked(missing)).localCheckpoint()
    found.unpersist()
    return both
