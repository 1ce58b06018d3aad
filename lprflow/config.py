"""Loading versioned YAML parameters from conf/."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from lprflow.paths import conf_dir


class ConfigError(ValueError):
    """A parameter file is missing or malformed; the message names the file and key."""


@lru_cache(maxsize=32)
def load_yaml(name: str, base: str | None = None) -> dict[str, Any]:
    """Read conf/<name> (or <base>/<name>) as a mapping."""
    path = Path(base) / name if base else conf_dir() / name
    if not path.exists():
        raise ConfigError(f"configuration file not found: {path}")
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at top level")
    return data


def require(mapping: dict[str, Any], key: str, where: str) -> Any:
    """mapping[key], or a ConfigError naming where it was expected."""
    if key not in mapping:
        raise ConfigError(f"{where}: missing key '{key}'")
    return mapping[key]
