"""SQL text for expressions built as one string (one call through the Python–JVM bridge, not one
per Column function)."""

from __future__ import annotations


def sql_string(value: str) -> str:
    """`value` as a Spark SQL string literal."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"
