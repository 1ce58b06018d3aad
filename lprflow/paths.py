"""Where the repository's data folders are (conf/, reference/), overridable by environment."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def conf_dir() -> Path:
    """The versioned parameter folder: $LPRFLOW_CONF or the repository's conf/."""
    return Path(os.environ.get("LPRFLOW_CONF", REPO_ROOT / "conf"))


def reference_dir() -> Path:
    """The reference-data folder: $LPRFLOW_REFERENCE or the repository's reference/."""
    return Path(os.environ.get("LPRFLOW_REFERENCE", REPO_ROOT / "reference"))
