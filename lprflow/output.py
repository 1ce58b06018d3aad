"""Atomic job outputs: everything is written into a staging folder beside the target, a manifest
is written last, and the staging folder replaces the target in one rename."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pyspark.sql import DataFrame

import lprflow


class OutputDir:
    """A staging folder for one job run; `write`/`write_json` put results in it."""

    def __init__(self, staging: Path) -> None:
        self.staging = staging
        self.files: dict[str, Any] = {}

    def write(self, name: str, df: DataFrame, partition_by: list[str] | None = None) -> str:
        path = self.staging / name
        writer = df.write.mode("overwrite")
        if partition_by:
            writer = writer.partitionBy(*partition_by)
        writer.parquet(str(path))
        self.files[name] = {"format": "parquet"}
        return str(path)

    def write_json(self, name: str, payload: Any) -> Path:
        path = self.staging / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        self.files[name] = {"format": "json"}
        return path

    def path(self, name: str) -> Path:
        return self.staging / name


@contextmanager
def atomic_output(target: str | Path, job: str, manifest: dict[str, Any]) -> Iterator[OutputDir]:
    """Yield a staging OutputDir; on success write manifest.json and swap it into `target`.

    On failure the staging folder is removed and `target` is left as it was.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.parent / f".{target.name}.staging-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    out = OutputDir(staging)
    try:
        yield out
        full = {
            "job": job,
            "lprflow_version": lprflow.__version__,
            "written_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
            **manifest,
            "outputs": out.files,
        }
        out.write_json("manifest.json", full)
        backup = None
        if target.exists():
            backup = target.parent / f".{target.name}.old-{uuid.uuid4().hex[:8]}"
            target.rename(backup)
        staging.rename(target)
        if backup is not None:
            shutil.rmtree(backup, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
