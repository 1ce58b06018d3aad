"""What a job's manifest records about its inputs and itself: checksums, inventories, versions."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pyspark

import lprflow


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes (hex)."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def folder_inventory(path: str | Path) -> dict[str, Any]:
    """Files and bytes per subfolder of a register directory (cheap: no Spark action)."""
    root = Path(path)
    out: dict[str, Any] = {}
    for sub in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        files = list(sub.rglob("*.parquet"))
        out[sub.name] = {"files": len(files), "bytes": sum(f.stat().st_size for f in files)}
    return out


def register_files(register_dir: str | Path, tables: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Per table, every part file read: its path below the register, size, SHA-256 and rows (from
    the footer; no Spark)."""
    from lprflow.footers import part_files

    root = Path(register_dir)
    return {
        name: [
            {
                "file": str(p.relative_to(root)),
                "bytes": p.stat().st_size,
                "sha256": file_sha256(p),
                "rows": pq.read_metadata(p).num_rows,
            }
            for p in part_files(root / name)
        ]
        for name in tables
    }


def rows_read(files: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """Rows per table from a `register_files` inventory."""
    return {name: sum(f["rows"] for f in entries) for name, entries in files.items()}


def versions() -> dict[str, str]:
    """The versions of lprflow and Spark that wrote an output."""
    return {"lprflow": lprflow.__version__, "pyspark": pyspark.__version__}
