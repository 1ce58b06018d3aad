"""Spark job entry points and the `lprflow` CLI."""
