"""Bulk codes and properties up to a real set's row counts (never used by a witness case)."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable

from grouping.config import SyntheticTables
from grouping.synthetic.model import MDCS, Draft
from grouping.tables import TableSet


def fill(s: Draft, base: TableSet, sizes: SyntheticTables, rng: random.Random) -> None:
    """Bulk codes and properties up to the real row counts; bulk codes never appear in witnesses."""
    have_dg = Counter(row[2] for row in [*base.dg, *s.dg])
    cats = sorted({v for _, _, t, v in s.dg if t == "DGCAT"})
    first_bulk = s.dcodes + 1
    for _ in range(max(0, sizes.dg.get("DGCAT", 0) - have_dg.get("DGCAT", 0))):
        s.dcode(rng.choice(cats))
    bulk = [f"DZZ{n:05d}" for n in range(first_bulk, s.dcodes + 1)] or [f"DZZ{s.dcodes:05d}"]
    pools = {
        "PDGPRO": sorted({v for _, _, t, v in s.dg if t == "PDGPRO"}),
        "DGPROP": sorted({v for _, _, t, v in s.dg if t == "DGPROP"}),
        "COMPL": sorted({c for c, _ in s.complcat}),
    }
    for vartype, pool in pools.items():
        _add_unique(
            s.dg,
            sizes.dg.get(vartype, 0) - have_dg.get(vartype, 0),
            rng,
            lambda vartype=vartype, pool=pool: (rng.choice(bulk), "", vartype, rng.choice(pool)),
        )
    have_proc = Counter(row[1] for row in [*base.proc, *s.proc])
    n_codes = max(1, sizes.proc.get("PROCPR", 0) * 2 // 3)
    first = s.pcodes + 1
    codes = [f"KZZ{n:05d}" for n in range(first, first + n_codes)]
    s.pcodes += n_codes
    procpr = sorted({v for _, t, v in s.proc if t == "PROCPR"})
    x_pool = pools["DGPROP"]
    _add_unique(
        s.proc,
        sizes.proc.get("PROCPR", 0) - have_proc.get("PROCPR", 0),
        rng,
        lambda: (rng.choice(codes), "PROCPR", rng.choice(procpr)),
    )
    for code in rng.sample(codes, min(len(codes), max(0, sizes.proc.get("OR", 0) - have_proc.get("OR", 0)))):
        s.proc.append((code, "OR", rng.choice("12")))
    for code in rng.sample(codes, min(len(codes), max(0, sizes.proc.get("CC", 0) - have_proc.get("CC", 0)))):
        s.proc.append((code, "CC", "1"))
    _add_unique(
        s.proc,
        sizes.proc.get("DGPROP", 0) - have_proc.get("DGPROP", 0),
        rng,
        lambda: (rng.choice(codes), "DGPROP", rng.choice(x_pool)),
    )
    # complication categories up to size, with activation rows, and exclusions on bulk codes
    categories = {c for c, _ in [*base.complcat, *s.complcat]}
    for k in range(4 * 50 * len(MDCS)):
        if len(base.complcat) + len(s.complcat) >= sizes.complcat:
            break
        cat = f"{MDCS[k % len(MDCS)]}{'CGCI'[k // len(MDCS) % 4]}{50 + k // (4 * len(MDCS)):02d}"
        if cat not in categories:
            categories.add(cat)
            s.complcat.append((cat, ""))
    inactive = sorted({c for c, _ in s.complcat if c[2] in "IJ"})  # synthetic categories only
    while _activations(base, s) < sizes.activation_rows and inactive:
        s.complcat.append((inactive[_activations(base, s) % len(inactive)], rng.choice(pools["DGPROP"])))
    compl_pool = sorted(categories)
    singles = sizes.complexcl - sizes.complexcl_pair_rows - len(base.complexcl) - len(s.complexcl)
    _add_unique(s.complexcl, singles, rng, lambda: (rng.choice(compl_pool), rng.choice(bulk), ""))
    _add_unique(
        s.complexcl,
        sizes.complexcl_pair_rows,
        rng,
        lambda: (rng.choice(compl_pool), rng.choice(bulk), rng.choice(bulk)),
    )


def _activations(base: TableSet, s: Draft) -> int:
    return sum(1 for _, incl in [*base.complcat, *s.complcat] if incl)


def _add_unique(rows: list, n: int, rng: random.Random, draw: Callable[[], tuple]) -> None:
    seen = set(rows)
    tries, limit = 0, 20 * n + 1000
    while n > 0 and tries < limit:
        row = draw()
        tries += 1
        if row not in seen:
            seen.add(row)
            rows.append(row)
            n -= 1
