"""The data model: every table's schema round-trips through Parquet; bad input fails clearly."""

from __future__ import annotations

import datetime as dt

import pytest
from pyspark.sql import functions as F

from lprflow.register import RegisterError, read_table
from lprflow.schemas import TABLE_NAMES, TABLES


def _one_row(spec):
    values = []
    for f in spec.schema.fields:
        t = f.dataType.typeName()
        values.append(
            {
                "string": "x",
                "timestamp": dt.datetime(2021, 1, 1, 8),
                "date": dt.date(2021, 1, 1),
                "boolean": False,
                "integer": 1,
                "array": ["a"],
            }[t]
        )
    return tuple(values)


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_schema_round_trips_through_parquet(spark, tmp_path, name):
    spec = TABLES[name]
    df = spark.createDataFrame([_one_row(spec)], spec.schema)
    df.write.parquet(str(tmp_path / name))
    back = read_table(spark, tmp_path, name)
    assert [(f.name, f.dataType) for f in back.schema.fields] == [(f.name, f.dataType) for f in spec.schema.fields]
    assert back.collect() == df.collect()


def test_every_table_has_key_and_version_columns():
    for spec in TABLES.values():
        assert spec.columns[0] == spec.key
        assert {"reported_at", "deleted", "region"} <= set(spec.columns)
        if spec.parent:
            assert spec.parent in spec.columns


def test_missing_column_names_file_table_and_column(spark, tmp_path):
    spec = TABLES["kontakt"]
    df = spark.createDataFrame([_one_row(spec)], spec.schema).drop("priority")
    df.write.parquet(str(tmp_path / "kontakt"))
    with pytest.raises(RegisterError) as err:
        read_table(spark, tmp_path, "kontakt")
    msg = str(err.value)
    assert "kontakt" in msg and "'priority'" in msg and str(tmp_path) in msg


def test_wrong_type_is_named(spark, tmp_path):
    spec = TABLES["kontakt"]
    df = spark.createDataFrame([_one_row(spec)], spec.schema).withColumn("start_time", F.lit("not a time"))
    df.write.parquet(str(tmp_path / "kontakt"))
    with pytest.raises(RegisterError, match="column 'start_time' is string, expected timestamp"):
        read_table(spark, tmp_path, "kontakt")


def test_missing_table_is_named(spark, tmp_path):
    with pytest.raises(RegisterError, match="register table 'diagnose' not found"):
        read_table(spark, tmp_path, "diagnose")
