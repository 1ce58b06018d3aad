"""Run the scale benchmarks in sequence (generation, validation, grouping) and print their JSON.

python -m bench.run_all [--scale 1.0]
"""

from __future__ import annotations

import argparse
import subprocess
import sys


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", default="1.0")
    a = ap.parse_args()
    reg, val = f"bench/out/reg-{a.scale}", f"bench/out/val-{a.scale}"
    for cmd in (
        [sys.executable, "-m", "bench.bench_generate", "--scale", a.scale, "--out", reg],
        [sys.executable, "-m", "bench.bench_validate", "--register", reg, "--out", val],
        [sys.executable, "-m", "bench.bench_group", "--register", reg, "--out", f"bench/out/group-{a.scale}"],
    ):
        subprocess.run(cmd, check=True)


if __name__ == "__main__":
    main()
