"""A straightforward one-case-at-a-time grouper in plain Python, written directly from docs/NORDDRG.md.

It is the baseline users of classic groupers know (benchmarked beside the Spark engine) and an
independent second implementation the tests compare the Spark engine against. Not used by jobs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from grouping.logic import Rule
from grouping.tables import TableSet


@dataclass
class Features:
    valid: bool
    dgcat: str | None
    mdc: str | None
    pdgprop: set[str]
    dgprop: set[str]
    procpr: list[tuple[str, str]]  # (value, source)
    orflags: list[tuple[str, str]]
    cc_level: int
    pdx_present: bool


class PerCaseGrouper:
    """Index the tables once; `group(case)` returns the result of one case."""

    def __init__(self, tables: TableSet, post_rule: bool) -> None:
        self.rules = tables.rules
        self.post_rule = post_rule
        self.drgnames = tables.drgnames
        self.dg_single: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.dg_pair: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        for code, d_code, vartype, varval in tables.dg:
            if d_code:
                self.dg_pair[(code, d_code)].append((vartype, varval))
            else:
                self.dg_single[code].append((vartype, varval))
        self.proc: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for code, vartype, varval in tables.proc:
            self.proc[code].append((vartype, varval))
        self.excl_single = {(c, code) for c, code, d in tables.complexcl if not d}
        self.excl_pair = {(c, code, d) for c, code, d in tables.complexcl if d}
        self.activation: dict[str, set[str]] = defaultdict(set)
        for compl, incl in tables.complcat:
            if incl:
                self.activation[compl].add(incl)

    def _slot(self, main: str, addon: str, vartype: str) -> list[str]:
        out = [v for t, v in self.dg_single.get(main, []) if t == vartype]
        if addon:
            out += [v for t, v in self.dg_single.get(addon, []) if t == vartype]
            out += [v for t, v in self.dg_pair.get((addon, main), []) if t == vartype]
        return out

    def features(self, case: dict[str, Any]) -> Features:
        diagnoses = [(d[0] or "", d[1] or "") for d in case["diagnoses"]]
        slots = []  # (slot number, main, addon)
        for k, (main, addon) in enumerate(diagnoses, 1):
            if k == 1 or main:
                slots.append((k, main, addon if main else ""))
        if not slots:
            slots = [(1, "", "")]
        _, a, b = slots[0]
        dgcat = self._dgcat(a, b, case["sex"])
        dgprop_src, procpr, orflags, compl_pdx, compl_sdx = self._slot_properties(slots)
        proc_cc = self._procedure_properties(case["procedures"], dgprop_src, procpr, orflags)
        other_props = {v for v, s in dgprop_src if s != "D1"}
        level = self._cc_level(a, b, compl_pdx, compl_sdx, other_props)
        return Features(
            valid=dgcat is not None,
            dgcat=dgcat,
            mdc=dgcat[:2] if dgcat else None,
            pdgprop=set(self._slot(a, b, "PDGPRO")) if a else set(),
            dgprop={v for v, _ in dgprop_src},
            procpr=procpr,
            orflags=orflags,
            cc_level=max(level, proc_cc),
            pdx_present=bool(a),
        )

    def _dgcat(self, a: str, b: str, sex: int | None) -> str | None:
        """DGCAT of the pdx slot: pair, then add-on, then main code (§4.1); 98 recoded by sex."""
        dgcat = None
        if a and b:
            pair = [v for t, v in self.dg_pair.get((b, a), []) if t == "DGCAT"]
            single_b = [v for t, v in self.dg_single.get(b, []) if t == "DGCAT"]
            dgcat = (pair or single_b or [None])[0]
        if dgcat is None and a:
            dgcat = next((v for t, v in self.dg_single.get(a, []) if t == "DGCAT"), None)
        if dgcat and dgcat.startswith("98") and sex in (1, 2):
            dgcat = ("12" if sex == 1 else "13") + dgcat[2:]
        return dgcat

    def _slot_properties(self, slots: list[tuple[int, str, str]]):
        """(dgprop, procpr, or flags with their source slot; COMPL of the pdx; COMPL of the others)."""
        dgprop_src: list[tuple[str, str]] = []
        procpr: list[tuple[str, str]] = []
        orflags: list[tuple[str, str]] = []
        compl_sdx: set[str] = set()
        compl_pdx: set[str] = set()
        for k, main, addon in slots:
            if not main:
                continue
            src = f"D{k}"
            dgprop_src += [(v, src) for v in self._slot(main, addon, "DGPROP")]
            procpr += [(v, src) for v in self._slot(main, addon, "PROCPR")]
            orflags += [(v, src) for v in self._slot(main, addon, "OR")]
            (compl_pdx if k == 1 else compl_sdx).update(self._slot(main, addon, "COMPL"))
        return dgprop_src, procpr, orflags, compl_pdx, compl_sdx

    def _procedure_properties(self, procedures, dgprop_src: list, procpr: list, orflags: list) -> int:
        """Adds the procedures' properties to the lists; returns the highest procedure CC level."""
        proc_cc = 0
        targets = {"DGPROP": dgprop_src, "PROCPR": procpr, "OR": orflags}
        for i, code in enumerate(p for p in procedures if p):
            src = f"P{i + 1}"
            for t, v in self.proc.get(code, []):
                if t in targets:
                    targets[t].append((v, src))
                elif t == "CC":
                    proc_cc = max(proc_cc, int(v))
        return proc_cc

    def _cc_level(self, a: str, b: str, compl_pdx: set[str], compl_sdx: set[str], other_props: set[str]) -> int:
        """The complication level of the secondary COMPL properties (§4.4): same family and
        exclusions removed, C/G always, I/J when activated."""
        families = {q[:2] + q[3:] for q in compl_pdx}
        level = 0
        for p in compl_sdx:
            if p[:2] + p[3:] in families:
                continue
            if (p, a) in self.excl_single or (b and (p, b) in self.excl_single) or (p, b, a) in self.excl_pair:
                continue
            compl_kind = p[2]
            if compl_kind in "IJ" and not self.activation.get(p, set()) & other_props:
                continue
            level = max(level, {"C": 1, "G": 2, "I": 1, "J": 2}.get(compl_kind, 0))
        return level

    def holds(self, rule: Rule, f: Features, case: dict[str, Any]) -> bool:
        ctx = _Case(f, case, {v for v, _ in f.procpr}, {v for v, _ in f.orflags})
        return all(_HOLDS[_family(column)](op, value, rule, ctx) for column, (op, value) in rule.conditions.items())

    def group(self, case: dict[str, Any]) -> dict[str, Any] | None:
        f = self.features(case)
        for rule in self.rules:
            if self.holds(rule, f, case):
                rtc = rule.rtc
                if self.post_rule and rtc == "1" and f.pdx_present:
                    rtc = "9"
                mdc, loc = self.drgnames.get(rule.drg, ("", ""))
                return {
                    "case_id": case["case_id"],
                    "drg": rule.drg,
                    "ord": rule.ord,
                    "rtc": rtc,
                    "mdc": mdc or None,
                    "loc_drg": rule.loc_drg or loc or None,
                    "cc_level": f.cc_level,
                }
        return None


@dataclass(frozen=True)
class _Case:
    f: Features
    case: dict[str, Any]
    props: set[str]  # procedure property values
    flags: set[str]  # OR flag values


def _family(column: str) -> str:
    return "dgprop" if column.startswith("dgprop") else column


def _or_holds(op: str, value: str, rule: Rule, c: _Case) -> bool:
    flags = c.flags
    return {
        ("+", "S"): "1" in flags,
        ("+", "P"): bool(flags & {"1", "2"}),
        ("+", "N"): "1" not in flags,
        ("+", "Z"): not flags & {"1", "2"},
        ("+", ""): bool(flags & {"1", "2"}),
        ("-", ""): not flags & {"1", "2"},
    }.get((op, value), False)


def _secproc_holds(op: str, value: str, rule: Rule, c: _Case) -> bool:
    first = rule.conditions.get("procpro1")
    f = c.f
    if op == "+":
        if first and first[0] == "+":
            a_src = {s for v, s in f.procpr if v == first[1]}
            return any(v == value and (a_src - {s}) for v, s in f.procpr)
        return value in c.props
    if value:
        return value not in c.props
    want = first[1] if first and first[0] == "+" else None
    return all(want is not None and (want, s) in set(f.procpr) for v, s in f.orflags if v == "1")


def _compare(x: int, op: str, value: str) -> bool:
    n = int(value)
    return {"<": x < n, ">": x > n, "+": x >= n, "-": x != n}[op]


def _disch_holds(op: str, value: str, rule: Rule, c: _Case) -> bool:
    d = c.case["discharge"]
    if op == "=":
        return d != "E" if value == "N" else d == value
    return d != value


_HOLDS = {
    "icd": lambda op, value, rule, c: c.f.valid if op == "+" else not c.f.valid,
    "mdc": lambda op, value, rule, c: c.f.mdc == value if op == "+" else c.f.mdc != value,
    "dgcat1": lambda op, value, rule, c: (
        c.f.dgcat == value if op == "+" else (c.f.dgcat is not None and c.f.dgcat != value)
    ),
    "pdgprop": lambda op, value, rule, c: (value in c.f.pdgprop) == (op == "+"),
    "dgprop": lambda op, value, rule, c: (value in c.f.dgprop) == (op == "+"),
    "procpro1": lambda op, value, rule, c: (value in c.props) == (op == "+"),
    "or": _or_holds,
    "secproc1": _secproc_holds,
    "agelim": lambda op, value, rule, c: _compare(c.case["age_days"], op, value),
    "dur": lambda op, value, rule, c: _compare(c.case["los_days"], op, value),
    "compl": lambda op, value, rule, c: _compare(c.f.cc_level, op, value),
    "sex": lambda op, value, rule, c: {"M": c.case["sex"] == 1, "F": c.case["sex"] == 2}.get(
        value, c.case["sex"] not in (1, 2)
    ),
    "disch": _disch_holds,
}
