"""What every job shares: the console and progress reporting."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console

console = Console(stderr=True)


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
