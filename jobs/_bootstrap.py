"""Make the checkout importable when the CLI runs as a file (`spark-submit jobs/cli.py ...`)."""

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)
