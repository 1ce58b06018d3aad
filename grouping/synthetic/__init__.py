"""A synthetic NordDRG-family table set of real size, and cases that reach every rule (not official).

    lprflow drg-tables synth --out DIR --rules 2200 --seed 1

The set is the illustrative sample set (reference/drg/dkdrg-sample-2021) widened with synthetic
rules, codes and properties to the row counts of a real country-year (conf/grouping.yaml
`synthetic_tables`, from docs/NORDDRG.md §3). Its structure follows a real set: pre-MDC validity,
age, sex and neonatal rules and pre-MDC surgery; per MDC, short-stay groups, surgical partitions
(OR flags, procedure property, secondary procedure incl. `-` alone, minor OR, no OR), medical
partitions (principal-diagnosis property; death, complication, age, transfer, sex and
diagnosis-property splits) and category partitions (level-2 complications, activated `I`
categories, long stays, children), an unrelated-OR error group and an rtc-A warning group; the
sample's catch-all ends the scan.

Every synthetic rule tests a synthetic property (numbers 50-99) of synthetic codes (`DZZnnnnn`,
`KZZnnnnn`), and comes before the sample rules of its `ord` block (`...C...` sorts before
`...D...`): a case with only real codes groups exactly as with the sample set, and the synthetic
rules still cost what they would in the scan. Each synthetic rule is built with a case that
reaches it (`Witness`); the sample's rules are reached by the golden cases of the tests.
"""

from __future__ import annotations

import random

from grouping.config import SyntheticTables
from grouping.synthetic.bulk import fill
from grouping.synthetic.files import NOTICE, WITNESS_FILE, read_witnesses, write, write_witnesses
from grouping.synthetic.model import Draft, Numbers, Witness, scaled
from grouping.synthetic.partitions import Partitions, templates
from grouping.tables import TableSet

__all__ = [
    "NOTICE",
    "WITNESS_FILE",
    "Witness",
    "base_values",
    "scaled",
    "read_witnesses",
    "synthesize",
    "write",
    "write_witnesses",
]


def synthesize(base: TableSet, sizes: SyntheticTables, seed: int) -> tuple[Draft, int]:
    """The base set widened to `sizes`; returns the set and the number of synthetic rules."""
    rng = random.Random(seed)
    s = Draft()
    numbers = Numbers(base_values(base))
    parts = Partitions(s, numbers, sizes.activation_rows - sum(1 for _, incl in base.complcat if incl))
    want = sizes.drglogic - len(base.rules)
    if want < 0:
        raise ValueError(f"--rules {sizes.drglogic} is below the {len(base.rules)} rules of the base set")
    for add in templates(parts):
        if len(s.rules) >= want:
            break
        before = len(s.rules)
        add()
        if len(s.rules) > want:  # the last partition is cut: its first rules stay reachable
            keep = {r["ord"] for r in s.rules[:want]}
            s.rules = s.rules[:want]
            s.witnesses = [w for w in s.witnesses if w.ord in keep]
        if len(s.rules) == before:
            break
    if len(s.rules) < want:
        raise ValueError(f"cannot build {sizes.drglogic} rules with the synthetic templates")
    n_synthetic = len(s.rules)
    fill(s, base, sizes, rng)
    shared = synthetic_values(s) & base_values(base)
    if shared:  # a synthetic rule could then catch a real code: the sample's answers would change
        raise ValueError(f"synthetic property values also used by the base set: {sorted(shared)[:10]}")
    return s, n_synthetic


def base_values(base: TableSet) -> set[str]:
    """Every property value the base set uses: its tables' values and its rules' cells."""
    values = {v for *_, v in base.dg} | {v for *_, v in base.proc}
    values |= {c for c, _ in base.complcat} | {i for _, i in base.complcat if i}
    values |= {value for r in base.rules for _, value in r.conditions.values() if value}
    return values


def synthetic_values(s: Draft) -> set[str]:
    """The property values the synthetic rows give (DGCAT, PDGPRO, DGPROP, COMPL, PROCPR) and test."""
    values = {v for _, _, t, v in s.dg if t != "MDC"} | {v for _, t, v in s.proc if t in ("PROCPR", "DGPROP")}
    values |= {c for c, _ in s.complcat} | {i for _, i in s.complcat if i}
    for r in s.rules:
        values |= {
            v.lstrip("+-") for k, v in r.items() if k.startswith(("pdgprop", "dgprop", "procpro", "secproc", "dgcat"))
        }
    return values - {""}
