"""Where the repository's data folders are (conf/, reference/), overridable by environment.

Order: $LPRFLOW_CONF / $LPRFLOW_REFERENCE, then the source checkout, then the working directory
(what `spark-submit --py-files lprflow.zip` from a checkout gives).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def _find(env: str, name: str) -> Path:
    if os.environ.get(env):
        return Path(os.environ[env])
    for base in (REPO_ROOT, Path.cwd()):
        if (base / name).is_dir():
            return base / name
    return REPO_ROOT / name


def conf_dir() -> Path:
    """The versioned parameter folder."""
    return _find("LPRFLOW_CONF", "conf")


def reference_dir() -> Path:
    """The reference-data folder."""
    return _find("LPRFLOW_REFERENCE", "reference")
