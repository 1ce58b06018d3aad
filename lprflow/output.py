"""Atomic job outputs: everything is written into a staging folder beside the target, a manifest
is written last, and the staging folder replaces the target in one rename.

An output never destroys what is not its own: the target must not be, contain or lie inside an
input; an existing target is replaced only when it is empty or its manifest says it is an earlier
output of the same job (or the caller says `overwrite`). One run at a time writes a target (a lock
file beside it); staging folders left by a killed run are removed by the next run that holds it.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import shutil
import uuid
from collections.abc import Iterable, Iterator
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

    def write_small(self, name: str, frame: Any) -> Path:
        """A small pandas table (an aggregate, not data-sized) as one Parquet file in `name`/."""
        folder = self.staging / name
        folder.mkdir(parents=True, exist_ok=True)
        frame.to_parquet(folder / "part-00000.parquet", index=False)
        self.files[name] = {"format": "parquet"}
        return folder

    def write_json(self, name: str, payload: Any) -> Path:
        path = self.staging / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
        self.files[name] = {"format": "json"}
        return path

    def path(self, name: str) -> Path:
        return self.staging / name


class OutputError(ValueError):
    """The output folder may not be written: it is an input, someone else's, or in use."""


def _overlap(a: Path, b: Path) -> bool:
    return a == b or a in b.parents or b in a.parents


def _job_of(folder: Path) -> str | None:
    try:
        return json.loads((folder / "manifest.json").read_text(encoding="utf-8")).get("job")
    except (OSError, ValueError, AttributeError):
        return None


def check_target(target: str | Path, job: str, inputs: Iterable[str | Path] = (), overwrite: bool = False) -> Path:
    """The resolved target, or an OutputError when writing it could destroy something else.

    Call it before any work (the jobs do) and again when writing (`atomic_output` does).
    """
    target = Path(target).resolve()
    for given in inputs:
        source = Path(given).resolve()
        if _overlap(target, source):
            raise OutputError(
                f"--out {target} overlaps the input {source}: an output may not be, contain or lie inside "
                "an input (it would replace it); choose another --out"
            )
    if target.exists() and not overwrite:
        if not target.is_dir():
            raise OutputError(f"--out {target} is a file, not an output folder; choose another --out")
        if any(target.iterdir()) and _job_of(target) != job:
            raise OutputError(
                f"--out {target} exists and is not an earlier output of `lprflow {job}` (its manifest.json "
                "does not say so); choose another --out, or pass --overwrite to replace it"
            )
    return target


@contextmanager
def _locked(target: Path) -> Iterator[None]:
    lock = target.parent / f".{target.name}.lock"
    with lock.open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"another lprflow run is writing {target} (lock {lock}); wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _remove_leftovers(target: Path) -> None:
    """Staging and backup folders of this target left by a killed run (we hold the lock)."""
    prefixes = (f".{target.name}.staging-", f".{target.name}.old-")
    for p in target.parent.iterdir():
        if p.is_dir() and p.name.startswith(prefixes):
            shutil.rmtree(p, ignore_errors=True)


@contextmanager
def atomic_output(
    target: str | Path,
    job: str,
    manifest: dict[str, Any],
    inputs: Iterable[str | Path] = (),
    overwrite: bool = False,
) -> Iterator[OutputDir]:
    """Yield a staging OutputDir; on success write manifest.json and swap it into `target`.

    On failure the staging folder is removed and `target` is left as it was. Raises OutputError
    (before anything is written) when `check_target` refuses the target or another run holds it.
    """
    inputs = list(inputs)
    target = check_target(target, job, inputs, overwrite)  # before anything is created
    target.parent.mkdir(parents=True, exist_ok=True)
    with _locked(target):
        check_target(target, job, inputs, overwrite)  # again, now that no other run can change it
        _remove_leftovers(target)
        with _staged(target, job, manifest) as out:
            yield out


@contextmanager
def _staged(target: Path, job: str, manifest: dict[str, Any]) -> Iterator[OutputDir]:
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
