"""The synthetic table set being built: rows, codes, `ord` numbering, witness cases, sizes scaled."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from grouping.config import SyntheticTables

MDCS = [f"{m:02d}" for m in range(1, 24) if m != 15]  # 15 (neonatal) is pre-MDC in the synthetic rules
ADULT, CHILD, OLD = 14610, 3650, 25000  # ages in days used by the witnesses


def scaled(sizes: SyntheticTables, factor: float, rules: int) -> SyntheticTables:
    """The real row counts (conf/grouping.yaml `synthetic_tables`) times `factor`, with `rules`
    drglogic rows; the activation rows stay at their real count."""

    def n(x: int) -> int:
        return max(1, round(x * factor)) if x else 0

    return sizes.model_copy(
        update={
            "drglogic": rules,
            "dg": {k: n(v) for k, v in sizes.dg.items()},
            "proc": {k: n(v) for k, v in sizes.proc.items()},
            "complcat": n(sizes.complcat),
            "complexcl": n(sizes.complexcl),
            "complexcl_pair_rows": n(sizes.complexcl_pair_rows),
            "drgnames": n(sizes.drgnames),
        }
    )


@dataclass
class Witness:
    """A case built to reach one rule: the grouper's case dict plus the `ord` it must end on."""

    case: dict[str, Any]
    ord: str
    why: str


@dataclass
class Draft:
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


class Numbers:
    """Synthetic property numbers 50-99 per (MDC, type letter), skipping every value the base set
    uses (`reserved`); 50 is kept for plain codes."""

    def __init__(self, reserved: set[str]) -> None:
        self.next: dict[tuple[str, str], int] = {}
        self.reserved = reserved

    def take(self, mdc: str, letter: str) -> str:
        n = self.next.get((mdc, letter), 51)
        while f"{mdc}{letter}{n:02d}" in self.reserved:
            n += 1
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


def sex_for(mdc: str) -> int:
    return 2 if mdc in ("13", "14") else 1
