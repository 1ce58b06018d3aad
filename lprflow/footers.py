"""Every part file of a register table checked against the data model from its Parquet footer
(cheap: no data is read), so a file that lacks a column, has one of another type, carries an
extra column, or cannot be read at all is named before Spark plans anything.

Spark reads a folder's schema from one file; without this check a column missing from one part
file would be read as null for that file's rows, and a truncated file would fail late with a Java
trace.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from pyspark.sql.types import ArrayType, DataType

from lprflow.schemas import Table


class FooterError(ValueError):
    """A part file does not match the data model; the message names file, table and column."""


def _spark_kind(t: DataType) -> str:
    if isinstance(t, ArrayType):
        return f"list<{_spark_kind(t.elementType)}>"
    name = t.typeName()
    return {"long": "integer", "short": "integer", "byte": "integer", "double": "float"}.get(name, name)


def _arrow_kind(t: pa.DataType) -> str:
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return f"list<{_arrow_kind(t.value_type)}>"
    checks = [
        (pa.types.is_string, "string"),
        (pa.types.is_large_string, "string"),
        (pa.types.is_timestamp, "timestamp"),
        (pa.types.is_date, "date"),
        (pa.types.is_boolean, "boolean"),
        (pa.types.is_integer, "integer"),
        (pa.types.is_floating, "float"),
    ]
    return next((kind for test, kind in checks if test(t)), str(t))


def part_files(folder: Path) -> list[Path]:
    """The data files Spark would read: *.parquet below the folder, hidden and _-files skipped."""
    return sorted(
        p
        for p in folder.rglob("*.parquet")
        if not any(part.startswith((".", "_")) for part in p.relative_to(folder).parts)
    )


def check_footers(folder: Path, spec: Table) -> list[Path]:
    """The table's part files, each checked against `spec`; FooterError names the first mismatch."""
    files = part_files(folder)
    if not files:
        raise FooterError(f"{folder}: register table '{spec.name}' has no Parquet part files (an empty delivery?)")
    wanted = {f.name: _spark_kind(f.dataType) for f in spec.schema.fields}
    for path in files:
        try:
            schema = pq.read_schema(path)
        except (pa.ArrowException, OSError) as exc:
            raise FooterError(
                f"{path}: table '{spec.name}': not a readable Parquet file, truncated or corrupt ({exc})"
            ) from None
        found = {f.name: _arrow_kind(f.type) for f in schema}
        missing = [c for c in wanted if c not in found]
        if missing:
            raise FooterError(f"{path}: table '{spec.name}' has no column '{missing[0]}' in this part file")
        extra = [c for c in found if c not in wanted]
        if extra:
            raise FooterError(f"{path}: table '{spec.name}' has column(s) not in the data model: {', '.join(extra)}")
        for column, kind in wanted.items():
            if found[column] != kind:
                raise FooterError(f"{path}: table '{spec.name}' column '{column}' is {found[column]}, expected {kind}")
    return files
