"""Where the parameter and reference folders are: $LPRFLOW_CONF / $LPRFLOW_REFERENCE when set,
else the `conf` and `reference` packages themselves (installed with lprflow as package data, or
the checkout's folders in an editable install or a `--py-files` zip of the checkout)."""

from __future__ import annotations

import os
from pathlib import Path

import conf
import reference


def _package_dir(module: object) -> Path:
    folder = Path(module.__file__).resolve().parent  # type: ignore[attr-defined]
    if not folder.is_dir():  # imported from a zip (--py-files): the data is not on disk there
        env = "LPRFLOW_CONF" if folder.name == "conf" else "LPRFLOW_REFERENCE"
        raise FileNotFoundError(f"{folder} is inside an archive; install lprflow or set ${env} to the folder")
    return folder


def conf_dir() -> Path:
    """The versioned parameter folder."""
    return Path(os.environ["LPRFLOW_CONF"]) if os.environ.get("LPRFLOW_CONF") else _package_dir(conf)


def reference_dir() -> Path:
    """The reference-data folder."""
    return Path(os.environ["LPRFLOW_REFERENCE"]) if os.environ.get("LPRFLOW_REFERENCE") else _package_dir(reference)
