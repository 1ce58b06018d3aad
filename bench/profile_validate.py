"""Where validation time goes: each stage written alone to a noop sink.

    python -m bench.profile_validate --register bench/out/reg-1.0 [--stages scan,asof,frames,rules]

Not a benchmark of record (stages overlap and share nothing across runs); a guide to what to
optimise. Prints one JSON object of stage -> seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json

from pyspark.sql import DataFrame

from bench.sink import noop_seconds
from expectations.catalogue import load_catalogue
from expectations.config import validation_config
from expectations.engine import evaluate
from expectations.frames.builder import FrameBuilder
from expectations.pipeline import run_checks
from lprflow.reference import Reference
from lprflow.register import read_register
from lprflow.session import get_spark
from lprflow.state import register_as_of


def _noop(df: DataFrame) -> float:
    return round(noop_seconds(df), 1)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--register", required=True)
    ap.add_argument("--as-of", default="2022-04-01")
    ap.add_argument("--profile", default="bench")
    ap.add_argument("--stages", default="scan,asof,frames,rules")
    ap.add_argument("--frames", default="", help="comma-separated frame names (default: all)")
    a = ap.parse_args()
    stages = set(a.stages.split(","))
    spark = get_spark(a.profile, app_name="profile-validate")
    at = dt.datetime.fromisoformat(a.as_of)
    versions = read_register(spark, a.register)
    state = register_as_of(versions, at)
    out: dict[str, float] = {}
    if "scan" in stages:
        for name, df in versions.items():
            out[f"scan {name}"] = _noop(df)
    if "asof" in stages:
        for name, df in state.items():
            out[f"as-of {name}"] = _noop(df)
    frames = FrameBuilder(state, Reference.load(spark)).build()
    wanted = set(a.frames.split(",")) if a.frames else set(frames)
    if "frames" in stages:
        for name, frame in frames.items():
            if name in wanted:
                out[f"frame {name}"] = _noop(frame.df)
    if "rules" in stages:
        catalogue = load_catalogue()
        checks = run_checks(catalogue, validation_config())
        for name in frames:
            if name not in wanted:
                continue
            mine = [c for c in checks if c.frame == name]
            if mine:
                res = evaluate({name: frames[name]}, mine, catalogue, at, "x")
                out[f"rules {name} ({len(mine)})"] = _noop(res.issues)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
