"""What every job shares: the console and progress reporting."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console

console = Console(stderr=True)

# options every Spark command takes
Profile = Annotated[
    str | None,
    typer.Option("--profile", help="Spark profile from conf/spark.yaml (default: $LPRFLOW_SPARK_PROFILE or local)."),
]
Conf = Annotated[list[str] | None, typer.Option("--conf", help="Extra Spark setting key=value (repeatable).")]
Overwrite = Annotated[
    bool,
    typer.Option(
        "--overwrite",
        help="Replace --out even when it is not an earlier output of this command (never an input).",
    ),
]


@contextmanager
def step(text: str, quiet: bool = False) -> Iterator[None]:
    """Show a spinner while a stage runs, then its duration."""
    t0 = time.perf_counter()
    if quiet:
        yield
        return
    with console.status(f"[bold]{text}[/bold] ..."):
        yield
    console.print(f"[green]✓[/green] {text} [dim]({time.perf_counter() - t0:.1f} s)[/dim]")


def spark_session(profile: str | None, conf: list[str] | None):
    """The session of a command: a profile of conf/spark.yaml plus `--conf key=value` settings."""
    from lprflow.session import get_spark

    overrides = {}
    for item in conf or []:
        if "=" not in item:
            raise typer.BadParameter(f"--conf expects key=value, got '{item}'")
        k, v = item.split("=", 1)
        overrides[k] = v
    return get_spark(profile, overrides=overrides)


def fail(exc: Exception) -> None:
    """Print a command's error in one line and exit with 1."""
    console.print(f"[bold red]error:[/bold red] {exc}", soft_wrap=True)
    raise typer.Exit(code=1)
