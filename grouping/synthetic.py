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

import csv
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grouping.grouping_string import FIRST_PROCEDURE, FIRST_SLOT, SLOTS, to_string
from grouping.tables import COLUMNS, TARIFF_COLUMNS, TableSet

MDCS = [f"{m:02d}" for m in range(1, 24) if m != 15]  # 15 (neonatal) is pre-MDC in the synthetic rules
ADULT, CHILD, OLD = 14610, 3650, 25000  # ages in days used by the witnesses
NOTICE = (
    "SYNTHETIC DRG table set written by `lprflow drg-tables synth`: NOT the official Danish DRG logic; "
    "codes DZZ*/KZZ* and groups Z* are invented, tariffs are illustrative.\n"
)


@dataclass(frozen=True)
class Sizes:
    """Row counts per table and kind (conf/grouping.yaml `synthetic_tables`)."""

    drglogic: int
    dg: dict[str, int]  # vartype -> rows
    proc: dict[str, int]
    complcat: int
    activation_rows: int
    complexcl: int
    complexcl_pair_rows: int
    drgnames: int

    def scaled(self, factor: float, rules: int) -> Sizes:
        def s(n: int) -> int:
            return max(1, round(n * factor)) if n else 0

        return Sizes(
            rules,
            {k: s(v) for k, v in self.dg.items()},
            {k: s(v) for k, v in self.proc.items()},
            s(self.complcat),
            self.activation_rows,
            s(self.complexcl),
            s(self.complexcl_pair_rows),
            s(self.drgnames),
        )


@dataclass
class Witness:
    """A case built to reach one rule: the grouper's case dict plus the `ord` it must end on."""

    case: dict[str, Any]
    ord: str
    why: str


@dataclass
class _Set:
    rules: list[dict[str, str]] = field(default_factory=list)
    dg: list[tuple[str, str, str, str]] = field(default_factory=list)
    proc: list[tuple[str, str, str]] = field(default_factory=list)
    complcat: list[tuple[str, str]] = field(default_factory=list)
    complexcl: list[tuple[str, str, str]] = field(default_factory=list)
    drgnames: dict[str, tuple[str, str]] = field(default_factory=dict)
    witnesses: list[Witness] = field(default_factory=list)
    dcodes: int = 0
    pcodes: int = 0
    seq: dict[str, int] = field(default_factory=dict)

    def dcode(self, dgcat: str | None, *props: tuple[str, str]) -> str:
        """A new synthetic diagnosis code with its category and properties (vartype, varval)."""
        self.dcodes += 1
        code = f"DZZ{self.dcodes:05d}"
        if dgcat:
            self.dg += [(code, "", "DGCAT", dgcat), (code, "", "MDC", dgcat[:2])]
        self.dg += [(code, "", t, v) for t, v in props]
        return code

    def pcode(self, *props: tuple[str, str]) -> str:
        self.pcodes += 1
        code = f"KZZ{self.pcodes:05d}"
        self.proc += [(code, t, v) for t, v in props]
        return code

    def ord(self, block: str) -> str:
        n = self.seq.get(block, 0) + 10
        self.seq[block] = n
        return f"{block}C{n:06d}"

    def rule(
        self, block: str, drg: str, drg_mdc: str, witness: dict[str, Any], why: str, rtc: str = "0", **cells: str
    ) -> None:
        """Append a rule (cells by drglogic column) and the case that reaches it."""
        o = self.ord(block)
        self.rules.append({"ord": o, "drg": drg, "rtc": rtc, "loc_drg": drg, **cells})
        self.drgnames.setdefault(drg, (drg_mdc, drg))
        self.witnesses.append(Witness(witness, o, why))


def case(pdx: str | tuple[str, str] | None, sdx: list[str] = (), procs: list[str] = (), **attrs: Any) -> dict[str, Any]:
    main, addon = (pdx, None) if not isinstance(pdx, tuple) else pdx
    base = {"sex": 1, "age_days": ADULT, "discharge": "H", "los_days": 5}
    base.update(attrs)
    return {"diagnoses": [(main, addon), *[(d, None) for d in sdx]], "procedures": list(procs), **base}


class _Numbers:
    """Synthetic property numbers 50-99 per (MDC, type letter); 50 is kept for plain codes."""

    def __init__(self) -> None:
        self.next: dict[tuple[str, str], int] = {}

    def take(self, mdc: str, letter: str) -> str:
        n = self.next.get((mdc, letter), 51)
        if n > 99:
            raise ValueError(f"too many synthetic rules for MDC {mdc} ({letter}): lower --rules")
        self.next[(mdc, letter)] = n + 1
        return f"{mdc}{letter}{n:02d}"

    def pre(self, letter: str) -> str:
        """A pre-MDC property: 00 first, then the unused pseudo-MDCs 40-49."""
        for prefix in ["00", *[str(k) for k in range(40, 50)]]:
            if self.next.get((prefix, letter), 51) <= 99:
                return self.take(prefix, letter)
        raise ValueError(f"too many pre-MDC synthetic rules ({letter}): lower --rules")


def _sex_for(mdc: str) -> int:
    return 2 if mdc in ("13", "14") else 1


class _Partitions:
    """Rule templates: each method appends one partition's rules with their witnesses."""

    def __init__(self, s: _Set, numbers: _Numbers, activations: int) -> None:
        self.s, self.n = s, numbers
        self.activations = max(1, activations)  # activated categories in all (a real set has few)
        self.act: list[tuple[str, str]] = []
        self.plain: dict[str, str] = {}  # MDC -> a pdx code whose category no rule names
        self.compl: dict[tuple[str, str], str] = {}  # (MDC, letter) -> secondary code with that COMPL kind

    def plain_pdx(self, mdc: str) -> str:
        if mdc not in self.plain:
            self.plain[mdc] = self.s.dcode(f"{mdc}M50")
        return self.plain[mdc]

    def compl_sdx(self, mdc: str, letter: str) -> str:
        """A secondary code of an MDC-independent category of kind C/G (active) for complication splits."""
        if (mdc, letter) not in self.compl:
            cat = self.n.take(mdc, letter)
            self.s.complcat.append((cat, ""))
            self.compl[(mdc, letter)] = self.s.dcode(f"{mdc}M50", ("COMPL", cat))
        return self.compl[(mdc, letter)]

    def activated(self, m: str) -> tuple[str, str]:
        """An inactive (I) category and the diagnosis property that activates it; shared once
        `activations` exist, so the activation rows stay at the real count."""
        if len(self.act) < self.activations:
            pair = (self.n.take(m, "I"), self.n.take(m, "X"))
            self.s.complcat += [(pair[0], ""), pair]
            self.act.append(pair)
            return pair
        return self.act[len(self.s.rules) % len(self.act)]

    def surgical(self, m: str) -> None:
        s, sex = self.s, _sex_for(m)
        prop, second = self.n.take(m, "S"), self.n.take(m, "T")
        nn = prop[3:]
        p1, p2, p0 = (
            s.pcode(("PROCPR", prop), ("OR", "1")),
            s.pcode(("PROCPR", prop), ("OR", "2")),
            s.pcode(("PROCPR", prop)),
        )
        pt, px = s.pcode(("PROCPR", second), ("OR", "1")), s.pcode(("OR", "1"))
        x, y = self.n.take(m, "X"), self.n.take(m, "X")
        with_x = s.dcode(f"{m}M50", ("DGPROP", x))
        pdx = self.plain_pdx(m)
        b, g = f"1{m}", f"4{m}"
        d = f"Z{m}S{nn}"
        common = {"icd": "+", "mdc": m, "procpro1": prop}
        s.rule(
            b,
            d + "O",
            m,
            case(pdx, [], [p1], sex=sex, los_days=1),
            "surgical short stay",
            disch="N",
            dur="<2",
            **common,
        )
        s.rule(
            g,
            d + "A",
            m,
            case(pdx, [], [p1, pt], sex=sex),
            "with secondary procedure",
            **common,
            secproc1=second,
            **{"or": "S"},
        )
        s.rule(
            g,
            d + "A",
            m,
            case(pdx, [self.compl_sdx(m, "C")], [p1, px], sex=sex),
            "complication, adult",
            **common,
            compl="1",
            agelim=">6574",
            **{"or": "S"},
        )
        s.rule(
            g,
            d + "A",
            m,
            case(pdx, [], [p1, px], sex=sex, age_days=CHILD),
            "child",
            **common,
            agelim="<6575",
            **{"or": "S"},
        )
        s.rule(
            g,
            d + "A",
            m,
            case(pdx, [with_x], [p1, px], sex=sex),
            "diagnosis property, not the other",
            **common,
            dgprop1=x,
            dgprop2=f"-{y}",
            **{"or": "S"},
        )
        s.rule(
            g,
            d + "B",
            m,
            case(pdx, [], [p1], sex=sex),
            "no other major OR procedure",
            **common,
            secproc1="-",
            **{"or": "S"},
        )
        s.rule(g, d + "B", m, case(pdx, [], [p1, px], sex=sex), "major OR", **common, **{"or": "S"})
        s.rule(g, d + "B", m, case(pdx, [], [p2], sex=sex), "minor OR", **common, **{"or": "P"})
        s.rule(g, d + "B", m, case(pdx, [], [p0], sex=sex), "procedure without OR flag", **common)

    def medical(self, m: str) -> None:
        s, sex = self.s, _sex_for(m)
        prop = self.n.take(m, "P")
        nn = prop[3:]
        pdx = s.dcode(f"{m}M50", ("PDGPRO", prop))
        x, y = self.n.take(m, "X"), self.n.take(m, "X")
        with_x = s.dcode(f"{m}M50", ("DGPROP", x))
        b, g = f"1{m}", f"4{m}"
        d = f"Z{m}M{nn}"
        common = {"icd": "+", "mdc": m, "pdgprop": prop, "or": "N"}
        s.rule(b, d + "O", m, case(pdx, sex=sex, los_days=1), "medical short stay", disch="N", dur="<2", **common)
        s.rule(g, d + "A", m, case(pdx, sex=sex, discharge="E"), "died", disch="E", **common)
        s.rule(
            g,
            d + "A",
            m,
            case(pdx, [self.compl_sdx(m, "C")], sex=sex, los_days=10),
            "complication, long stay",
            compl="1",
            dur=">7",
            **common,
        )
        s.rule(g, d + "A", m, case(pdx, sex=sex, age_days=OLD), "over 60", agelim=">21915", **common)
        s.rule(g, d + "B", m, case(pdx, sex=sex, discharge="R"), "transferred", disch="R", **common)
        if m not in ("12", "13", "14"):
            s.rule(g, d + "B", m, case(pdx, sex=2), "female", sex="F", **common)
        s.rule(g, d + "B", m, case(pdx, [with_x], sex=sex), "diagnosis property", dgprop1=x, dgprop2=f"-{y}", **common)
        s.rule(g, d + "B", m, case(pdx, sex=sex), "medical", **common)

    def category(self, m: str) -> None:
        s, sex = self.s, _sex_for(m)
        cat = self.n.take(m, "M")
        nn = cat[3:]
        pdx = s.dcode(cat)
        addon = s.dcode(None)  # a pair row (addon + pdx) gives the same category
        s.dg += [(addon, pdx, "DGCAT", cat), (addon, pdx, "MDC", m)]
        level2 = self.compl_sdx(m, "G")
        inactive, activator = self.activated(m)
        i_sdx, act_sdx = s.dcode(f"{m}M50", ("COMPL", inactive)), s.dcode(f"{m}M50", ("DGPROP", activator))
        excluded_cat = self.n.take(m, "C")
        excluded = s.dcode(f"{m}M50", ("COMPL", excluded_cat))
        s.complcat.append((excluded_cat, ""))
        s.complexcl.append((excluded_cat, pdx, ""))
        b, g = f"4{m}", f"4{m}"
        d = f"Z{m}K{nn}"
        common = {"icd": "+", "mdc": m, "dgcat1": cat}
        s.rule(b, d + "A", m, case(pdx, [level2], sex=sex), "complication level 2", compl=">1", **common)
        s.rule(g, d + "A", m, case(pdx, [i_sdx, act_sdx], sex=sex), "activated complication", compl="1", **common)
        s.rule(g, d + "B", m, case(pdx, sex=sex, los_days=40), "long stay", dur=">30", **common)
        s.rule(g, d + "B", m, case(pdx, sex=sex, age_days=CHILD), "child", agelim="<6575", **common)
        s.rule(g, d + "B", m, case(pdx, sex=sex), "category", **common)
        last = s.rules[-1]["ord"]
        s.witnesses += [
            Witness(case(pdx, [excluded], sex=sex), last, "complication excluded by the pdx"),
            Witness(case(pdx, [i_sdx], sex=sex), last, "inactive complication not activated"),
            Witness(case((pdx, addon), sex=sex), last, "category from the pair row"),
        ]

    def errors(self, m: str) -> None:
        s, sex = self.s, _sex_for(m)
        unrelated, warn = self.n.take(m, "P"), self.n.take(m, "X")
        pdx = s.dcode(f"{m}M50", ("PDGPRO", unrelated))
        px = s.pcode(("OR", "1"))
        with_w = s.dcode(f"{m}M50", ("DGPROP", warn))
        s.rule(
            f"4{m}",
            "468",
            "99",
            case(pdx, [], [px], sex=sex),
            "unrelated OR procedure",
            rtc="7",
            icd="+",
            mdc=m,
            pdgprop=unrelated,
            **{"or": "S"},
        )
        s.rule(
            f"4{m}",
            f"Z{m}W{unrelated[3:]}",
            m,
            case(pdx, [with_w], sex=sex),
            "warning group",
            rtc="A",
            icd="+",
            mdc=m,
            pdgprop=unrelated,
            dgprop1=warn,
        )

    def pre_mdc(self, k: int) -> None:
        """Pre-MDC rules without an MDC condition (they are scanned for every case)."""
        s = self.s
        m = MDCS[k % len(MDCS)]
        pdx, sex = self.plain_pdx(m), _sex_for(m)
        kind = k % 4
        if kind == 0:  # age-bound principal diagnosis
            p = self.n.pre("P")
            code = s.dcode(f"{m}M50", ("PDGPRO", p))
            s.rule(
                "000", "470", "99", case(code, sex=sex, age_days=CHILD), "too young", rtc="4", pdgprop=p, agelim="<4018"
            )
            s.rule(
                "000", "470", "99", case(code, sex=sex, age_days=OLD), "too old", rtc="5", pdgprop=p, agelim=">21915"
            )
            x = self.n.pre("X")
            sdx = s.dcode(f"{m}M50", ("DGPROP", x))
            s.rule(
                "000", "470", "99", case(None, [sdx], sex=sex), "no principal diagnosis", rtc="1", icd="-", dgprop1=x
            )
        elif kind == 1:  # sex conflicts with a diagnosis property
            x = self.n.take("13", "X")
            code = s.dcode(f"{m}M50", ("DGPROP", x))
            s.rule("012", "470", "99", case(pdx, [code], sex=1), "sex conflict", rtc="3", dgprop1=x, sex="M")
            s.rule("012", "470", "99", case(pdx, [code], sex=0), "sex missing", rtc="2", dgprop1=x, sex="-")
        elif kind == 2:  # neonatal categories
            cat = self.n.take("15", "M")
            code = s.dcode(cat)
            d = f"Z15N{cat[3:]}"
            common = {"icd": "+", "mdc": "15", "dgcat1": cat}
            s.rule(
                "015",
                d + "A",
                "15",
                case(code, age_days=3, discharge="E"),
                "neonate died",
                disch="E",
                agelim="<29",
                **common,
            )
            s.rule("015", d + "B", "15", case(code, age_days=3), "first week", agelim="<8", **common)
            s.rule("015", d + "C", "15", case(code, age_days=20), "neonate", agelim="<29", **common)
        else:  # pre-MDC surgery and multiple trauma
            p, q = self.n.pre("S"), self.n.pre("S")
            pp, pq = s.pcode(("PROCPR", p), ("OR", "1")), s.pcode(("PROCPR", q))
            x1, x2, x3 = self.n.pre("X"), self.n.pre("X"), self.n.pre("X")
            c1, c2 = s.dcode(f"{m}M50", ("DGPROP", x1)), s.dcode(f"{m}M50", ("DGPROP", x2))
            d = f"Z00S{p[3:]}"
            s.rule(
                "400",
                d + "A",
                "00",
                case(pdx, [], [pp, pq], sex=sex),
                "transplant with second procedure",
                icd="+",
                procpro1=p,
                secproc1=q,
                **{"or": "S"},
            )
            s.rule("400", d + "B", "00", case(pdx, [], [pp], sex=sex), "transplant", icd="+", procpro1=p, **{"or": "S"})
            s.rule(
                "400",
                d + "C",
                "00",
                case(pdx, [c1, c2], sex=sex),
                "multiple trauma",
                icd="+",
                dgprop1=x1,
                dgprop2=x2,
                dgprop3=f"-{x3}",
            )


def _templates(parts: _Partitions) -> list[Callable[[], None]]:
    """Partitions in the order they are added: pre-MDC every fourth, then per MDC round robin."""
    out: list[Callable[[], None]] = []
    k = 0
    for r in range(60):
        for i, m in enumerate(MDCS):
            if (r * len(MDCS) + i) % 4 == 0:
                out.append(lambda k=k: parts.pre_mdc(k))
                k += 1
            kind = (r + i) % 3  # every round has each kind of partition
            out.append(
                (lambda m=m: parts.surgical(m))
                if kind == 0
                else (lambda m=m: parts.medical(m))
                if kind == 1
                else (lambda m=m: parts.category(m))
            )
            if r == 0:
                out.append(lambda m=m: parts.errors(m))
    return out


def synthesize(base: TableSet, sizes: Sizes, seed: int) -> tuple[_Set, int]:
    """The base set widened to `sizes`; returns the set and the number of synthetic rules."""
    rng = random.Random(seed)
    s = _Set()
    numbers = _Numbers()
    parts = _Partitions(s, numbers, sizes.activation_rows - sum(1 for _, incl in base.complcat if incl))
    want = sizes.drglogic - len(base.rules)
    if want < 0:
        raise ValueError(f"--rules {sizes.drglogic} is below the {len(base.rules)} rules of the base set")
    for add in _templates(parts):
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
    _fill(s, base, sizes, rng)
    return s, n_synthetic


def _fill(s: _Set, base: TableSet, sizes: Sizes, rng: random.Random) -> None:
    """Bulk codes and properties up to the real row counts; bulk codes never appear in witnesses."""
    have_dg: dict[str, int] = {}
    for row in [*base.dg, *s.dg]:
        have_dg[row[2]] = have_dg.get(row[2], 0) + 1
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
    have_proc: dict[str, int] = {}
    for row in [*base.proc, *s.proc]:
        have_proc[row[1]] = have_proc.get(row[1], 0) + 1
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
    inactive = sorted(c for c in categories if c[2] in "IJ")
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


def _activations(base: TableSet, s: _Set) -> int:
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


def write(folder: Path, base: TableSet, s: _Set, seed: int) -> dict[str, int]:
    """Write the widened set (CSV, docs/NORDDRG.md §3 layout), its tariffs and the witness cases."""
    folder.mkdir(parents=True, exist_ok=True)
    rules = [_rule_row(r) for r in base.rules] + s.rules
    rules.sort(key=lambda r: r["ord"])
    rng = random.Random(seed + 1)
    drgnames = {**{d: v for d, v in base.drgnames.items()}, **s.drgnames}
    tables = {
        "drglogic": rules,
        "dg": [dict(zip(COLUMNS["dg"], r, strict=True)) for r in [*base.dg, *s.dg]],
        "proc": [dict(zip(COLUMNS["proc"], r, strict=True)) for r in [*base.proc, *s.proc]],
        "complcat": [dict(zip(COLUMNS["complcat"], r, strict=True)) for r in [*base.complcat, *s.complcat]],
        "complexcl": [dict(zip(COLUMNS["complexcl"], r, strict=True)) for r in [*base.complexcl, *s.complexcl]],
        "drgnames": [{"drg": d, "mdc": m, "loc_drg": loc} for d, (m, loc) in drgnames.items()],
        "tariffs": [
            {
                "drg": t.drg,
                "name": t.name,
                "tariff": _num(t.tariff),
                "trim_days": t.trim_days or "",
                "per_day": _num(t.per_day),
            }
            for t in base.tariffs.values()
        ]
        + [
            {
                "drg": d,
                "name": f"Synthetic group {d}",
                "tariff": rng.randrange(2000, 200000, 50),
                "trim_days": "",
                "per_day": 0,
            }
            for d in s.drgnames
            if d not in base.tariffs
        ],
    }
    counts = {}
    for name, cols in {**COLUMNS, "tariffs": TARIFF_COLUMNS}.items():
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, cols, lineterminator="\n")
            w.writeheader()
            for row in tables[name]:
                w.writerow({c: row.get(c, "") for c in cols})
        counts[name] = len(tables[name])
    write_witnesses(folder / WITNESS_FILE, s.witnesses)
    (folder / "README.txt").write_text(NOTICE, encoding="utf-8")
    return counts


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _rule_row(r) -> dict[str, str]:
    return {"ord": r.ord, "drg": r.drg, "rtc": r.rtc, "loc_drg": r.loc_drg, **r.cells}


WITNESS_FILE = "witness_cases.csv"


def write_witnesses(path: Path, witnesses: list[Witness]) -> None:
    """`case_id;grouping_string;expected_ord;why`: readable by `lprflow group-cases` as it is."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter=";", lineterminator="\n")
        w.writerow(["case_id", "grouping_string", "expected_ord", "why"])
        for i, x in enumerate(witnesses, 1):
            c = x.case
            text = to_string(c["sex"], c["age_days"], c["discharge"], c["los_days"], c["diagnoses"], c["procedures"])
            w.writerow([f"w{i:05d}", text, x.ord, x.why])


def read_witnesses(path: Path) -> list[dict[str, Any]]:
    """The witness cases of a synthetic set as grouper case dicts with `expected_ord` and `why`."""
    out = []
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter=";"):
            f = r["grouping_string"].split(",")
            slots = [(f[FIRST_SLOT + 2 * k] or None, f[FIRST_SLOT + 2 * k + 1] or None) for k in range(SLOTS)]
            diagnoses = slots[:1] + [d for d in slots[1:] if d[0] or d[1]]
            out.append(
                {
                    "case_id": r["case_id"],
                    "sex": int(f[0]) if f[0] else None,
                    "age_days": int(f[1]),
                    "discharge": f[2],
                    "los_days": int(f[3]),
                    "diagnoses": diagnoses,
                    "procedures": [p for p in f[FIRST_PROCEDURE:] if p],
                    "expected_ord": r["expected_ord"],
                    "why": r["why"],
                }
            )
    return out
