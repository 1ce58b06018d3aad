"""What every job shares: progress reporting, input manifests, and the clear-failure contract."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyspark
from rich.console import Console

import lprflow

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


def folder_inventory(path: str | Path) -> dict[str, Any]:
    """Files and bytes per subfolder of a register directory (cheap: no Spark action)."""
    root = Path(path)
    out: dict[str, Any] = {}
    for sub in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        files = [f for f in sub.rglob("*.parquet")]
        out[sub.name] = {"files": len(files), "bytes": sum(f.stat().st_size for f in files)}
    return out


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def versions() -> dict[str, str]:
    return {"lprflow": lprflow.__version__, "pyspark": pyspark.__version__}
