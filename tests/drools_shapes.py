"""Read the regular shapes of the catalogue's result-report rules straight from their Drools text.

The rule table (reference/lpr3/result_rules.csv) is the data the engine evaluates; this reader is
its independent cross-check against the specification (tests/test_result_rules.py): for every
rule it recognises, the table's row must say the same. Rules it does not recognise (the
requirement rules, the trigger rules, 15.x/16.01) are checked by hand-built cases only.

The reader splits a rule's condition into its top-level patterns (balanced parentheses) and
classifies the combination; anything unexpected returns None rather than a guess.
"""

from __future__ import annotations

import re

_WS = re.compile(r"\s+")
_Q = re.compile(r"'([^']*)'")


def normalise(source: str) -> str:
    s = _WS.sub(" ", source).strip()
    s = re.sub(r"^when ", "", s)
    return re.sub(r" then$", "", s).strip()


def patterns(cond: str) -> list[str]:
    """Top-level patterns: text up to and including each balanced parenthesised group that
    closes at depth 0 (a `from ...` tail stays with its pattern)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(cond):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                rest = cond[i + 1 :].lstrip()
                if rest.startswith("from "):
                    continue
                out.append(cond[start : i + 1].strip())
                start = i + 1
    tail = cond[start:].strip()
    if tail:
        out.append(tail)
    return [p for p in out if p]


def _split_top(text: str) -> list[str]:
    """Split at the commas outside parentheses."""
    out, depth, cur = [], 0, []
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return [x.strip() for x in out if x.strip()]


def _anchor(text: str) -> str | None:
    if "kodelisterIndenforPeriode(RIaarsagStartTidspunkt, RIaarsagSlutTidspunkt)" in text:
        return "period"
    if "kodelisterIndenforPeriode(aarsagStartTidspunkt, aarsagSlutTidspunkt)" in text:
        return "period"
    if "kodelisterIndenforPeriode(RIaarsagStartTidspunkt, RIaarsagStartTidspunkt)" in text:
        return "start"
    if "kodelisterIndenforPeriode(aarsagStartTidspunkt, aarsagStartTidspunkt)" in text:
        return "start"
    if "kodelisterPaaDato(RIaarsagStartTidspunkt)" in text or "kodelisterPaaDato(aarsagStartTidspunkt)" in text:
        return "start"
    return None


def _header(p: str) -> dict | None:
    """`RI : ResultatIndberetning( navn.kode == 'X' , ... )`: report name and its conditions."""
    m = re.fullmatch(r"(?:RI : )?ResultatIndberetning\( ?(.*?) ?\)", p)
    if not m:
        return None
    h: dict = {"report": None, "when_status": "", "status_anchor": "", "when_trigger": ""}
    for part in _split_top(m.group(1)):
        part = part.strip()
        if re.fullmatch(r"navn\.kode == '(RAA\d\d)'", part):
            h["report"] = _Q.findall(part)[0]
        elif part.startswith("status.kodeliste") and " contains " in part and "not contains" not in part:
            h["when_status"] = _Q.findall(part)[0]
            h["status_anchor"] = _anchor(part) or ""
        elif part.startswith("diagnose.kode.primaerKode") and " contains " in part:
            h["when_trigger"] = "diagnose:" + "|".join(_Q.findall(part))
        elif part.startswith("kontakt.kontaktAarsag.kodeliste"):
            h["when_trigger"] = "kontaktaarsag:" + "|".join(_Q.findall(part))
        elif part in (
            "D : diagnose != null",
            "diagnose != null",
            "kontakt != null",
            "kontakt.kontaktAarsag != null",
            "Resultater : resultater",
        ) or re.fullmatch(r"RIaarsag(Start|Slut)Tidspunkt : aarsag(Start|Slut)Tidspunkt", part):
            continue
        else:
            return None
    return h if h["report"] else None


def _result(p: str) -> dict | None:
    """`(R : Resultat( type.kode == 'T' , pred ) from RI.resultater)` or a bare `Resultat( ... )`."""
    m = re.fullmatch(r"\((?:R : )?Resultat\( type\.kode == '(\w+)' , (.*) \) from RI\.resultater\)", p)
    if not m:
        m = re.fullmatch(r"Resultat\( type\.kode == '(\w+)' , (.*?) ?\)", p)
    if not m:
        return None
    return {"type": m.group(1), "pred": m.group(2)}


def _bounds(pred: str, kind: str) -> str | None:
    fn = "V"
    pred = pred.replace("vaerdiSomHeltal()" if kind == "integer" else "vaerdiSomDecimaltal()", fn)
    parts = [x.strip() for x in pred.replace("(", " ").replace(")", " ").split("||")]
    lo = hi = None
    allowed: list[str] = []
    saw_null = False
    for part in parts:
        part = _WS.sub(" ", part).strip()
        if part == f"{fn} == null":
            saw_null = True
            continue
        for sub in part.split("&&"):
            m = re.fullmatch(rf"{re.escape(fn)} (<|<=|>|>=|!=) (-?[\d.]+)", sub.strip())
            if not m:
                return None
            op, v = m.groups()
            if op == "<":
                lo = f"[{v}"
            elif op == "<=":
                lo = f"({v}"
            elif op == ">":
                hi = f"{v}]"
            elif op == ">=":
                hi = f"{v})"
            else:
                allowed.append(v)
    if not saw_null:
        return None
    if allowed:
        return "{" + ",".join(allowed) + "}"
    return f"{lo or '(-inf'},{hi or 'inf)'}"


def shape(source: str) -> dict | None:
    """The table row (without rule id) a rule's Drools text says, or None if not a regular shape."""
    pats = patterns(normalise(source))
    row = dict.fromkeys(("report", "types", "list", "anchor", "bounds", "when_status", "status_anchor"), "")
    row.update(when_trigger="", when_result="")
    # result_count: ResultatIndberetning(...) Set( size() ... ) from collect ( (Resultat(...)) )
    if len(pats) == 2 and pats[1].startswith("Set("):
        h = _header(pats[0])
        set_ = r"Set\( size\(\) (!= 1|> 1) \) from collect \( \(Resultat\( (.*) \) from Resultater\) \)"
        m = re.fullmatch(set_, pats[1])
        if not h or not m:
            return None
        types = re.findall(r"type\.kode == '(\w+)'", m.group(2))
        return {**row, "shape": "result_count", "report": h["report"], "types": "|".join(types),
                "bounds": "[1,1]" if m.group(1) == "!= 1" else "[0,1]"}  # fmt: skip
    # a value rule on every result of a type
    if len(pats) == 1:
        r = _result(pats[0])
        if not r:
            return None
        if r["pred"] == "erVaerdiValidDatoTid() == false":
            return {**row, "shape": "result_datetime", "types": r["type"]}
        for kind in ("integer", "decimal"):
            b = _bounds(r["pred"], kind)
            if b:
                return {**row, "shape": f"result_{kind}", "types": r["type"], "bounds": b}
        return None
    return _report_shape(pats, row)


def _allowed_types(rest: list[str], row: dict) -> dict | None:
    """result_types_allowed: the one result pattern lists the types a result must not have."""
    m = len(rest) == 1 and re.fullmatch(r"\(Resultat\( (.*) \) from RI\.resultater\)", rest[0])
    if not m:
        return None
    inner = m.group(1)
    if "type.kode <" in inner:
        lo, hi = _Q.findall(inner)
        types = [f"{lo[:3]}{n:02d}" for n in range(int(lo[3:]), int(hi[3:]) + 1)]
    else:
        types = _Q.findall(inner)
    return {**row, "shape": "result_types_allowed", "types": "|".join(types)}


def _report_shape(pats: list[str], row: dict) -> dict | None:
    """A rule whose first pattern is a result report, followed by patterns over its results."""
    h = _header(pats[0])
    if not h:
        return None
    row.update({k: h[k] for k in ("report", "when_status", "status_anchor", "when_trigger")})
    rest = pats[1:]
    absent = [p for p in rest if p.startswith("not (")]
    present = [_result(p) for p in rest if not p.startswith("not (")]
    if any(r is None for r in present):
        return _allowed_types(rest, row)
    conds, targets = [], []
    for r in present:
        ms = re.fullmatch(r"vaerdiSomSksKode\(\)\.kodeliste\w+\([^)]*\) contains '([\w.]+)'", r["pred"])
        mi = re.fullmatch(r"vaerdiSomHeltal\(\) > (\d+)", r["pred"])
        if ms:
            conds.append(f"{r['type']} in {ms.group(1)}")
        elif mi:
            conds.append(f"{r['type']} > {mi.group(1)}")
        elif "not contains" in r["pred"]:
            targets.append(r)
        else:
            return None
    row["when_result"] = " & ".join(conds)
    if absent and not targets:
        if len(absent) != 1:
            return None
        m = re.fullmatch(r"not \( Resultat\( type\.kode == '(\w+)' \) from RI\.resultater \)", absent[0])
        if not m:
            return None
        return {**row, "shape": "result_required", "types": m.group(1)}
    if len(targets) == 1 and not absent:
        t = targets[0]
        lists = re.findall(r"not contains '([\w.]+)'", t["pred"])
        return {**row, "shape": "result_value_list", "types": t["type"], "list": "|".join(lists),
                "anchor": _anchor(t["pred"]) or ""}  # fmt: skip
    return None
