"""A straightforward one-case-at-a-time grouper in plain Python, written directly from NORDDRG.md.

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
        dgcat = None
        if a and b:
            pair = [v for t, v in self.dg_pair.get((b, a), []) if t == "DGCAT"]
            single_b = [v for t, v in self.dg_single.get(b, []) if t == "DGCAT"]
            dgcat = (pair or single_b or [None])[0]
        if dgcat is None and a:
            dgcat = next((v for t, v in self.dg_single.get(a, []) if t == "DGCAT"), None)
        if dgcat and dgcat.startswith("98") and case["sex"] in (1, 2):
            dgcat = ("12" if case["sex"] == 1 else "13") + dgcat[2:]
        pdgprop = set(self._slot(a, b, "PDGPRO")) if a else set()
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
        proc_cc = 0
        for i, code in enumerate(p for p in case["procedures"] if p):
            src = f"P{i + 1}"
            for t, v in self.proc.get(code, []):
                if t == "DGPROP":
                    dgprop_src.append((v, src))
                elif t == "PROCPR":
                    procpr.append((v, src))
                elif t == "OR":
                    orflags.append((v, src))
                elif t == "CC":
                    proc_cc = max(proc_cc, int(v))
        families = {q[:2] + q[3:] for q in compl_pdx}
        other_props = {v for v, s in dgprop_src if s != "D1"}
        level = 0
        for p in compl_sdx:
            if p[:2] + p[3:] in families:
                continue
            if (p, a) in self.excl_single or (b and (p, b) in self.excl_single) or (p, b, a) in self.excl_pair:
                continue
            kind = p[2]
            if kind == "C":
                level = max(level, 1)
            elif kind == "G":
                level = max(level, 2)
            elif kind in "IJ" and self.activation.get(p, set()) & other_props:
                level = max(level, 1 if kind == "I" else 2)
        return Features(
            valid=dgcat is not None,
            dgcat=dgcat,
            mdc=dgcat[:2] if dgcat else None,
            pdgprop=pdgprop,
            dgprop={v for v, _ in dgprop_src},
            procpr=procpr,
            orflags=orflags,
            cc_level=max(level, proc_cc),
            pdx_present=bool(a),
        )

    def holds(self, rule: Rule, f: Features, case: dict[str, Any]) -> bool:
        props = {v for v, _ in f.procpr}
        flags = {v for v, _ in f.orflags}
        for column, (op, value) in rule.conditions.items():
            if column == "icd":
                ok = f.valid if op == "+" else not f.valid
            elif column == "mdc":
                ok = f.mdc == value if op == "+" else f.mdc != value
            elif column == "dgcat1":
                ok = f.dgcat == value if op == "+" else (f.dgcat is not None and f.dgcat != value)
            elif column == "pdgprop":
                ok = (value in f.pdgprop) == (op == "+")
            elif column.startswith("dgprop"):
                ok = (value in f.dgprop) == (op == "+")
            elif column == "procpro1":
                ok = (value in props) == (op == "+")
            elif column == "or":
                ok = {
                    ("+", "S"): "1" in flags,
                    ("+", "P"): bool(flags & {"1", "2"}),
                    ("+", "N"): "1" not in flags,
                    ("+", "Z"): not flags & {"1", "2"},
                    ("+", ""): bool(flags & {"1", "2"}),
                    ("-", ""): not flags & {"1", "2"},
                }.get((op, value), False)
            elif column == "secproc1":
                first = rule.conditions.get("procpro1")
                if op == "+":
                    if first and first[0] == "+":
                        a_src = {s for v, s in f.procpr if v == first[1]}
                        ok = any(v == value and (a_src - {s}) for v, s in f.procpr)
                    else:
                        ok = value in props
                elif value:
                    ok = value not in props
                else:
                    want = first[1] if first and first[0] == "+" else None
                    ok = all(want is not None and (want, s) in set(f.procpr) for v, s in f.orflags if v == "1")
            elif column == "agelim":
                ok = case["age_days"] < int(value) if op == "<" else case["age_days"] > int(value)
            elif column == "dur":
                ok = case["los_days"] < int(value) if op == "<" else case["los_days"] > int(value)
            elif column == "compl":
                n = int(value)
                ok = {"+": f.cc_level >= n, ">": f.cc_level > n, "<": f.cc_level < n, "-": f.cc_level != n}[op]
            elif column == "sex":
                ok = {"M": case["sex"] == 1, "F": case["sex"] == 2, "-": case["sex"] not in (1, 2)}[value]
            elif column == "disch":
                if op == "=":
                    ok = case["discharge"] != "E" if value == "N" else case["discharge"] == value
                else:
                    ok = case["discharge"] != value
            else:
                ok = True
            if not ok:
                return False
        return True

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
