"""Hand-built cases of the result-report rules (group RESULTATINDBERETNING), run with every other
rule by tests/test_rules.py.

The baseline (tests/rule_cases.py) is an accident contact with a complete injury report (RAA05).
Each of the other reports is built complete and clean on the baseline by `REPORTS[name]` (with
the trigger it needs), and each case breaks it in one way. The requirement, trigger, validity and
conditional rules have one hand-written case each (plus the cases that must not fire); the uniform
value, cardinality and allowed-type rules get one case per table row, whose input comes from the
row's own domain: the first value outside each end of an interval (and the ends themselves must
pass), a second result for 'at most one', none for 'exactly one', a code outside the list.
"""

from __future__ import annotations

import datetime as dt
import math

from expectations.result_rules import load_result_rules
from tests.rule_cases import Case, Edit, add, case, drop, set_

T = dt.datetime
D = dt.date
RI, R, K, DI, P = "resultatindberetning", "resultat", "kontakt", "diagnose", "procedure"
AT = T(2021, 3, 5, 12)


def report(key: str, name: str, trigger_type: str, trigger_id: str, results: list[tuple[str, str]], **kw) -> list[Edit]:
    """A result report `key` with results f"{key}_{type}" (a second one of a type: f"{key}_{type}_2")."""
    start, end = kw.pop("start", T(2021, 3, 1, 8)), kw.pop("end", T(2021, 3, 5, 12))
    row = dict(key=key, resultatindberetning_id=key, name=name, trigger_type=trigger_type, trigger_id=trigger_id)
    edits: list[Edit] = [add(RI, **row, cause_start_time=start, cause_end_time=end, **kw)]
    seen: set[str] = set()
    for rtype, value in results:
        rkey = f"{key}_{rtype}" + ("_2" if rtype in seen else "")
        seen.add(rtype)
        edits.append(add(R, key=rkey, resultat_id=rkey, resultatindberetning_id=key, type=rtype, value=value, time=AT))
    return edits


def _diag(key: str, code: str, role: str = "B") -> Edit:
    return add(DI, key=key, diagnose_id=key, role=role, art=role, code=code, side=None)


def _proc(key: str, code: str, side: str | None = None) -> Edit:
    start, end = T(2021, 3, 2, 9), T(2021, 3, 2, 10)
    return add(P, key=key, procedure_id=key, code=code, side=side, start_time=start, end_time=end)


# each report's clean results (RAA05: the baseline's) and trigger
RESULTS: dict[str, list[tuple[str, str]]] = {
    "RAA01": [("RDA01", "AZCA1"), ("RDA02", "AZCK2"), ("RDA03", "AZCL1")],
    "RAA02": [("RDA20", "RGAA3900"), ("RDA22", "1"), ("RDA23", "1"), ("RDA24", "0"), ("RDA25", "RGAB00")]
    + [("RDA26", "170"), ("RDA27", "65")],
    "RAA03": [("RDA31", "20210301090000+0100"), ("RDA20", "RGAA3900"), ("RDA32", "1"), ("RDA34", "RGAD01")]
    + [("RDA35", "10"), ("RDA36", "35"), ("RDA37", "33"), ("RDA38", "600"), ("RDA39", "3500"), ("RDA40", "52")]
    + [("RDA41", "RGAE01")],
    "RAA04": [("RDA20", "RGAA1200")],
    "RAA05": [("RDA66", "EUG01"), ("RDA60", "20210301074500+0100"), ("RDA61", "EUB01"), ("RDA62", "EUC01")]
    + [("RDA63", "EUD02")],
    "RAA06": [("RDA80", "ZPR01A")],
    "RAA07": [("RDA91", "BZBA2"), ("RDA92", "BZBD4"), ("RDA93", "BZBB2")],
    "RAA08": [("RDB02", "SN1"), ("RDB03", "LOT1"), ("RDB05", "GS1"), ("RDB06", "1")],
    "RAA09": [("RDA85", "RCL0")],
    "RAA10": [("RDA96", "BRZA1"), ("RDA97", "BRZB1"), ("RDA98", "20210302090000+0100")],
}
TRIGGERS: dict[str, tuple[list[Edit], str, str]] = {  # report → (edits adding the trigger, type, id)
    "RAA01": ([_diag("dc", "DC809")], "diagnose", "dc"),
    "RAA02": ([set_(DI, "da", code="DO800", side=None)], "diagnose", "da"),
    "RAA03": ([set_(DI, "da", code="DZ380", side=None)], "diagnose", "da"),
    "RAA04": ([_diag("dab", "DO039")], "diagnose", "dab"),
    "RAA06": ([_proc("ph", "ZZ1919")], "procedure", "ph"),
    "RAA07": ([_proc("pi", "BVAA34")], "procedure", "pi"),
    "RAA08": ([_proc("pm", "KNGB20", side="TUL1")], "procedure", "pm"),
    "RAA09": ([_proc("pk", "KJFB20")], "procedure", "pk"),
    "RAA10": ([_proc("pt", "BRXY10")], "procedure", "pt"),
}
KEYS = {name: ("ri" if name == "RAA05" else f"q{int(name[3:])}") for name in RESULTS}
_BASELINE_KEYS = {"RDA66": "r", "RDA60": "r60", "RDA61": "r61", "RDA62": "r62", "RDA63": "r63"}


def rkey(name: str, rtype: str) -> str:
    """The key of the report's (first) result of a type."""
    return _BASELINE_KEYS.get(rtype, f"ri_{rtype}") if name == "RAA05" else f"{KEYS[name]}_{rtype}"


def on(name: str, *edits: Edit, trigger: bool = True) -> list[Edit]:
    """The report `name`, complete and clean, with its trigger (unless trigger=False), then `edits`."""
    if name == "RAA05":
        return list(edits)
    adds, ttype, tid = TRIGGERS[name]
    return [*(adds if trigger else []), *report(KEYS[name], name, ttype, tid, RESULTS[name], status="RAS01"), *edits]


def value(name: str, rtype: str, v: str | None) -> Edit:
    """Set the report's result of a type to `v` (adding the result if the clean report has none)."""
    if any(t == rtype for t, _ in RESULTS[name]):
        return set_(R, rkey(name, rtype), value=v)
    key = rkey(name, rtype)
    return add(R, key=key, resultat_id=key, resultatindberetning_id=KEYS[name], type=rtype, value=v, time=AT)


def second(name: str, rtype: str, v: str) -> Edit:
    key = rkey(name, rtype) + "_2"
    return add(R, key=key, resultat_id=key, resultatindberetning_id=KEYS[name], type=rtype, value=v, time=AT)


def without(name: str, rtype: str) -> Edit:
    return drop(R, rkey(name, rtype))


def _home(rule) -> str:
    """The report a rule's result type belongs to (the rule's own, else the first that allows it)."""
    if rule.report:
        return rule.report
    allowed = {r.report: r.types for r in load_result_rules() if r.shape == "result_types_allowed"}
    return next(n for n in sorted(allowed) if rule.types[0] in allowed[n])


def _outside(rule) -> tuple[list[str], list[str]]:
    """Values just outside (bad) and on (good) each end of a row's numeric domain."""
    b = rule.bounds
    integer = rule.shape == "result_integer"
    step = 1 if integer else 0.01

    def fmt(v: float) -> str:
        return str(int(v)) if integer else f"{v:.2f}"

    bad, good = ["x", "1.5" if integer else "1,5"], []
    if b.values:
        return bad + [fmt(min(b.values) - 1)], [fmt(v) for v in b.values]
    if b.low != -math.inf:
        bad.append(fmt(b.low - step if b.low_closed else b.low))
        good.append(fmt(b.low if b.low_closed else b.low + step))
    if b.high != math.inf:
        bad.append(fmt(b.high + step if b.high_closed else b.high))
        good.append(fmt(b.high if b.high_closed else b.high - step))
    return bad, good


def _numeric_cases(rule, name: str) -> list[Case]:
    home, rtype = _home(rule), rule.types[0]
    bad, good = _outside(rule)
    hit = [(R, rkey(home, rtype), rule.rule_id)]
    return [case(f"{name}_bad{i}", *on(home, value(home, rtype, v)), expect=hit) for i, v in enumerate(bad)] + [
        case(f"{name}_good{i}", *on(home, value(home, rtype, v))) for i, v in enumerate(good)
    ]


def _datetime_cases(rule, name: str) -> list[Case]:
    home, rtype = _home(rule), rule.types[0]
    hit = [(R, rkey(home, rtype), rule.rule_id)]
    bad = ["2021-03-01T09:00:00", "20210301", "x"]
    return [case(f"{name}_bad{i}", *on(home, value(home, rtype, v)), expect=hit) for i, v in enumerate(bad)] + [
        case(f"{name}_good", *on(home, value(home, rtype, "20210301090000-0000")))
    ]


def _count_cases(rule, name: str) -> list[Case]:
    home, rtype = rule.report, rule.types[0]
    hit = [(RI, KEYS[home], rule.rule_id)]
    clean = dict(RESULTS[home]).get(rtype)
    if rule.bounds.low == 0:  # at most one
        v = clean or CLEAN_OPTIONAL[rtype]
        edits = [] if clean else [value(home, rtype, v)]
        return [
            case(f"{name}_one", *on(home, *edits)),
            case(f"{name}_two", *on(home, *edits, second(home, rtype, v)), expect=hit),
        ]
    return [  # exactly one
        case(f"{name}_none", *on(home, without(home, rtype)), expect=hit),
        case(f"{name}_two", *on(home, second(home, rtype, clean)), expect=hit),
    ]


def _list_cases(rule, name: str) -> list[Case]:
    home, rtype = rule.report, rule.types[0]
    expect = [(R, rkey(home, rtype), rule.rule_id), *ALSO.get(rule.rule_id, [])]
    out = [case(f"{name}_bad", *on(home, value(home, rtype, "ZZ0149")), expect=expect)]
    if rtype not in dict(RESULTS[home]):
        out.append(case(f"{name}_good", *on(home, value(home, rtype, CLEAN_OPTIONAL[rtype]))))
    return out


def _required_cases(rule, name: str) -> list[Case]:
    home, rtype = rule.report, rule.types[0]
    return [case(f"{name}_none", *on(home, without(home, rtype)), expect=[(RI, KEYS[home], rule.rule_id)])]


def _allowed_cases(rule, name: str) -> list[Case]:
    stranger = "RDA85" if rule.report != "RAA09" else "RDA80"
    key = rkey(rule.report, stranger)
    row = dict(key=key, resultat_id=key, resultatindberetning_id=KEYS[rule.report], type=stranger, value="x", time=AT)
    return [case(f"{name}_bad", *on(rule.report, add(R, **row)), expect=[(R, key, rule.rule_id)])]


def _table_cases() -> list[Case]:
    """One or more cases per uniform table row (see the module docstring)."""
    out: list[Case] = []
    for rule in load_result_rules():
        name = "t_" + rule.rule_id.replace(".", "_").replace("-", "_").lower()
        plain = not (rule.when_status or rule.when_trigger or rule.when_result)
        if rule.shape in ("result_integer", "result_decimal"):
            out += _numeric_cases(rule, name)
        elif rule.shape == "result_datetime":
            out += _datetime_cases(rule, name)
        elif rule.shape == "result_count" and len(rule.types) == 1:
            out += _count_cases(rule, name)
        elif rule.shape == "result_value_list" and plain:
            out += _list_cases(rule, name)
        elif rule.shape == "result_required" and rule.when_status and not (rule.when_trigger or rule.when_result):
            out += _required_cases(rule, name)
        elif rule.shape == "result_types_allowed":
            out += _allowed_cases(rule, name)
    return out


# a clean value of each optional result type (not in its report's clean results)
CLEAN_OPTIONAL = {
    "RDA04": "AZCT0", "RDA05": "AZCN0", "RDA06": "AZCM0", "RDA07": "AZCLY1", "RDA08": "AZCAA1",
    "RDA33": "RGAC02", "RDA42": "RGAF00", "RDA46": "7.25", "RDA47": "7.30", "RDA48": "-2.0", "RDA49": "-1.5",
    "RDA51": "RGAG04", "RDA52": "RGAH02", "RDA53": "DQ000", "RDA64": "EUE01", "RDA65": "EUE01",
    "RDA67": "EUH01", "RDA68": "EUI01", "RDA69": "EUJ01", "RDA70": "EUK01", "RDA71": "EUL01",
    "RDA72": "500000", "RDA73": "6200000", "RDA74": "EUM01", "RDA75": "32", "RDA76": "EUP01",
    "RDA94": "BZBC2", "RDB07": "20210302090000+0100", "RDB08": "20200101000000+0100", "RDB09": "20300101000000+0100",
}  # fmt: skip


def _qv(trigger_type: str, trigger_id: str, name: str = "DR539", status: str = "RAS01", **kw) -> list[Edit]:
    """A report that is no RAA (so no report-specific rule applies): for the 15.x/16.01 cases."""
    return report("qv", name, trigger_type, trigger_id, kw.pop("results", []), status=status, **kw)


def _rep(name: str, trigger_id: str, *edits: Edit) -> list[Edit]:
    """The clean report `name` with its trigger added but the report triggered by `trigger_id`."""
    return on(name, set_(RI, KEYS[name], trigger_id=trigger_id), *edits)


def _cancer(code: str, results: list[tuple[str, str]]) -> list[Edit]:
    """A cancer bidiagnose `dc` with a complete RAA01 report of the given results."""
    return [_diag("dc", code), *report("q1", "RAA01", "diagnose", "dc", results, status="RAS01")]


def _abort(code: str, results: list[tuple[str, str]], role: str = "B") -> list[Edit]:
    return [_diag("dab", code, role), *report("q4", "RAA04", "diagnose", "dab", results, status="RAS01")]


_CAR = [("RDA01", "AZCA1"), ("RDA02", "AZCK2"), ("RDA03", "AZCL1")]
_TNM = [("RDA04", "AZCT1"), ("RDA05", "AZCN0"), ("RDA06", "AZCM0")]
Q1, Q2, Q3, Q4, Q5, Q7, Q8 = "q1", "q2", "q3", "q4", "ri", "q7", "q8"

HAND_CASES: list[Case] = [
    # 15.x / 16.01: the name, status and unit of a report, and a result's type, at the trigger's time
    case("h15_01", *_qv("forloebselement", "fe"), expect=[(RI, "qv", "15.01"), (RI, "qv", "15.a")]),
    case("h15_02", *_qv("forloebsmarkoer", "m"), expect=[(RI, "qv", "15.02"), (RI, "qv", "15.a")]),
    case("h15_03", *_qv("kontakt", "k"), expect=[(RI, "qv", "15.03"), (RI, "qv", "15.a")]),
    case("h15_05", *_qv("diagnose", "db"), expect=[(RI, "qv", "15.05"), (RI, "qv", "15.a")]),
    case("h15_06", *_qv("procedure", "p"), expect=[(RI, "qv", "15.06"), (RI, "qv", "15.a")]),
    *[
        case(
            f"h{rule.replace('.', '_').replace('-', '_')}",
            *_qv(ttype, tid, name="ZZ0149", status="DR539"),
            expect=[(RI, "qv", rule), (RI, "qv", "15.a"), (RI, "qv", "15.b")],
        )
        for rule, ttype, tid in [
            ("15.11", "forloebselement", "fe"),
            ("15.12", "forloebsmarkoer", "m"),
            ("15.13", "kontakt", "k"),
            ("15.15", "diagnose", "da"),
            ("15.15-1", "diagnose", "db"),
            ("15.16", "procedure", "p"),
        ]
    ],
    case("h15_a", *_qv("forloebselement", "fe", name="ZZ0149"), expect=[(RI, "qv", "15.a")]),
    # an incomplete injury report: its status is no result-report status, so it is not complete
    case("h15_b", set_(RI, "ri", status="ATA1"), expect=[(RI, "ri", "15.b"), (K, "k", "RAA05.1")]),
    case("h15_c", set_(RI, "ri", responsible_unit="1082019900000"), expect=[(RI, "ri", "15.c")]),
    # a report without a name is not the injury report the contact requires (Drools: navn == "RAA05")
    case("hraa05_1_nameless", set_(RI, "ri", name=None), expect=[(K, "k", "RAA05.1")]),
    # nor is a result without a type the result a rule requires
    case("hraa05_rda61_untyped", set_(R, "r61", type=None), expect=[(RI, "ri", "RAA05.RDA61")]),
    case(
        "h16_01",
        *_qv("forloebselement", "fe", name="ZZ0149", results=[("DR539", "x")]),
        expect=[(R, "qv_DR539", "16.01"), (RI, "qv", "15.a"), (R, "qv_DR539", "16.a"), (R, "qv_DR539", "16.a-1")],
    ),
    # what may trigger a report
    case("hraa01_6", *_rep("RAA01", "db"), expect=[(RI, Q1, "RAA01.6"), (DI, "dc", "RAA01.2")]),
    case("hraa02_3", *_rep("RAA02", "db"), expect=[(RI, Q2, "RAA02.3"), (DI, "da", "RAA02.1")]),
    case(
        "hraa02_3_art",
        _diag("dm2", "DO829"),
        *_rep("RAA02", "dm2"),
        expect=[(RI, Q2, "RAA02.3"), (DI, "da", "RAA02.1"), (DI, "dm2", "12105")],  # 12105: a birth code as bidiagnose
    ),
    case("hraa03_3", *_rep("RAA03", "db"), expect=[(RI, Q3, "RAA03.3"), (DI, "da", "RAA03.1")]),
    case("hraa04_4", *_rep("RAA04", "db"), expect=[(RI, Q4, "RAA04.4"), (DI, "dab", "RAA04.2")]),
    case("hraa05_3", set_(K, "k", reason="ALCC01"), expect=[(RI, Q5, "RAA05.3")]),
    case("hraa06_3", *_rep("RAA06", "p"), expect=[(RI, "q6", "RAA06.3")]),
    case("hraa07_3", *_rep("RAA07", "p"), expect=[(RI, Q7, "RAA07.3"), (P, "pi", "RAA07.1")]),
    case("hraa08_3", *_rep("RAA08", "p"), expect=[(RI, Q8, "RAA08.3"), (P, "pm", "RAA08.1")]),
    case("hraa09_3", *_rep("RAA09", "p"), expect=[(RI, "q9", "RAA09.3"), (P, "pk", "RAA09.1")]),
    case("hraa10_3", *_rep("RAA10", "p"), expect=[(RI, "q10", "RAA10.3"), (P, "pt", "RAA10.1")]),
    # what requires a report (the deadlines' warning → error switch: tests/test_result_rules.py)
    case("hraa01_1", set_(DI, "da", code="DC809", side=None), expect=[(DI, "da", "RAA01.1")]),
    case("hraa01_2", _diag("dc", "DC809"), expect=[(DI, "dc", "RAA01.2")]),
    case("hraa01_2_incomplete", *on("RAA01", set_(RI, Q1, status="RAS02")), expect=[(R, "q1_RDA01", "RAA01.RDA01-2")]),
    case("hraa02_1", *TRIGGERS["RAA02"][0], expect=[(DI, "da", "RAA02.1")]),
    case("hraa02_1_incomplete", *on("RAA02", set_(RI, Q2, status="RAS02")), expect=[(DI, "da", "RAA02.1")]),
    case("hraa03_1", *TRIGGERS["RAA03"][0], expect=[(DI, "da", "RAA03.1")]),
    case("hraa04_1", set_(DI, "da", code="DO039", side=None), expect=[(DI, "da", "RAA04.1")]),
    case("hraa04_2", _diag("dab", "DO039"), expect=[(DI, "dab", "RAA04.2")]),
    case("hraa05_1", drop(RI), drop(R), expect=[(K, "k", "RAA05.1")]),
    case("hraa05_1_planned", drop(RI), drop(R), set_(K, "k", priority="ATA3"), expect=[(K, "k", "5104")]),
    case(
        "hraa06_1",
        set_("patient", "pat", birth_date=D(2021, 2, 20)),
        _proc("ph", "ZZ1919"),
        expect=[(P, "ph", "RAA06.1"), ("henvisning", "h", "01.11")],  # 01.11: referred before birth
    ),
    case("hraa06_1_older", _proc("ph", "ZZ1919")),
    case("hraa07_1", _proc("pi", "BVAA34"), expect=[(P, "pi", "RAA07.1")]),
    case("hraa08_1", _proc("pm", "KNGB20", side="TUL1"), expect=[(P, "pm", "RAA08.1")]),
    case("hraa09_1", _proc("pk", "KJFB20"), expect=[(P, "pk", "RAA09.1")]),
    case("hraa09_1_incomplete", *on("RAA09", set_(RI, "q9", status="RAS02")), expect=[(P, "pk", "RAA09.1")]),
    case("hraa10_1", _proc("pt", "BRXY10"), expect=[(P, "pt", "RAA10.1")]),
    # results required or restricted by the report's status, its trigger or another result
    case("hraa01_rda01_3", *on("RAA01", value("RAA01", "RDA01", "AZCA4")), expect=[(R, "q1_RDA01", "RAA01.RDA01-3")]),
    case("hraa01_rda02", *on("RAA01", without("RAA01", "RDA02")), expect=[(RI, Q1, "RAA01.RDA02")]),
    case("hraa01_rda03", *on("RAA01", without("RAA01", "RDA03")), expect=[(RI, Q1, "RAA01.RDA03")]),
    case(
        "hraa01_rda02_not_new",
        *on("RAA01", value("RAA01", "RDA01", "AZCA3"), without("RAA01", "RDA02"), without("RAA01", "RDA03")),
    ),
    case("hraa01_rda04_2", *on("RAA01", value("RAA01", "RDA04", "AZCT1")), expect=[(R, "q1_RDA04", "RAA01.RDA04-2")]),
    case("hraa01_rda04_2_ok", *on("RAA01", value("RAA01", "RDA04", "AZCT0"))),
    case("hraa01_rda04_3", *_cancer("DC679", _CAR + _TNM), expect=[(R, "q1_RDA04", "RAA01.RDA04-3")]),
    case("hraa01_rda04_3_ok", *_cancer("DC679", _CAR + [("RDA04", "AZCTA"), *_TNM[1:]])),
    case("hraa01_rda04_4", *_cancer("DD090", _CAR + _TNM), expect=[(R, "q1_RDA04", "RAA01.RDA04-4")]),
    case(
        "hraa01_tnm",
        *_cancer("DC679", _CAR),
        expect=[(RI, Q1, "RAA01.RDA04"), (RI, Q1, "RAA01.RDA05"), (RI, Q1, "RAA01.RDA06")],
    ),
    case("hraa01_lymfom", *_cancer("DC833", _CAR), expect=[(RI, Q1, "RAA01.RDA07"), (RI, Q1, "RAA01.RDA08")]),
    case("hraa01_lymfom_ok", *_cancer("DC833", _CAR + [("RDA07", "AZCLY1"), ("RDA08", "AZCAA1")])),
    case(
        "hraa03_rda20_1",
        *on("RAA03", value("RAA03", "RDA20", "ZZ0149")),
        expect=[(R, "q3_RDA20", "RAA03.RDA20-1")],
    ),
    case("hraa03_rda33", *on("RAA03", value("RAA03", "RDA32", "2")), expect=[(RI, Q3, "RAA03.RDA33")]),
    case("hraa03_rda33_ok", *on("RAA03", value("RAA03", "RDA32", "2"), value("RAA03", "RDA33", "RGAC02"))),
    case("hraa04_rda51", *_abort("DO060", [("RDA20", "RGAA1200")]), expect=[(RI, Q4, "RAA04.RDA51")]),
    # literal: the rule names a list that does not exist, so a subb diagnosis never requires RDA51
    case("hraa04_rda51_subb_literal", *_abort("DO069", [("RDA20", "RGAA1200")])),
    *[
        case(
            f"hraa04_rda51_{n}",
            *_abort(code, [("RDA20", "RGAA1200"), ("RDA51", "RGAG04")]),
            expect=[(R, "q4_RDA51", f"RAA04.RDA51-{n}")],
        )
        for n, code in [(2, "DO069"), (3, "DO060"), (4, "DO064")]
    ],
    case("hraa04_rda51_3_ok", *_abort("DO060", [("RDA20", "RGAA1200"), ("RDA51", "RGAG01")])),
    case("hraa04_rda52_1", *_abort("DO039", [("RDA20", "RGAA0006")]), expect=[(RI, Q4, "RAA04.RDA52-1")]),
    case("hraa04_rda52", *_abort("DO049", [("RDA20", "RGAA1200")]), expect=[(RI, Q4, "RAA04.RDA52")]),
    case("hraa04_rda52_ok", *_abort("DO049", [("RDA20", "RGAA1200"), ("RDA52", "RGAH02")])),
    case(
        "hraa04_rda53",
        *_abort("DO039", [("RDA20", "RGAA1200"), ("RDA52", "RGAH01")]),
        expect=[(RI, Q4, "RAA04.RDA53")],
    ),
    case("hraa05_rda61", drop(R, "r61"), expect=[(RI, Q5, "RAA05.RDA61")]),
    case("hraa05_rda62", drop(R, "r62"), expect=[(RI, Q5, "RAA05.RDA62")]),
    case("hraa05_rda63", drop(R, "r63"), expect=[(RI, Q5, "RAA05.RDA63")]),
    # violence is an injury (admin.kontaarsag.skade) but not one that needs the activity (.suba)
    case("hraa05_rda63_not_suba", drop(R, "r63"), set_(K, "k", reason="ALCC03")),
    case(
        "hraa05_transport",
        set_(R, "r63", value="EUD01"),
        expect=[(RI, Q5, "RAA05.RDA64"), (RI, Q5, "RAA05.RDA65")],
    ),
    case(
        "hraa05_transport_ok",
        set_(R, "r63", value="EUD01"),
        value("RAA05", "RDA64", "EUE01"),
        value("RAA05", "RDA65", "EUE01"),
    ),  # fmt: skip
    case("hraa05_incomplete", set_(RI, "ri", status="RAS02"), drop(R, "r61"), expect=[(K, "k", "RAA05.1")]),
    case("hraa07_rda94", *on("RAA07", value("RAA07", "RDA93", "BZBB1")), expect=[(RI, Q7, "RAA07.RDA94")]),
    case("hraa07_rda94_ok", *on("RAA07", value("RAA07", "RDA93", "BZBB1"), value("RAA07", "RDA94", "BZBC2"))),
    case("hraa08_rdb03_none", *on("RAA08", without("RAA08", "RDB03")), expect=[(RI, Q8, "RAA08.RDB03-RDB04")]),
    case("hraa08_rdb04", *on("RAA08", without("RAA08", "RDB03"), value("RAA08", "RDB04", "SER1"))),
    case(
        "hraa08_rdb03_rdb04",
        *on("RAA08", value("RAA08", "RDB04", "SER1")),
        expect=[(RI, Q8, "RAA08.RDB03-RDB04")],
    ),
]
# a table case whose input also breaks another rule (hand-checked against the Drools)
ALSO = {
    "RAA01.RDA01-1": [(R, "q1_RDA01", "RAA01.RDA01-3")],
    "RAA01.RDA04-1": [(R, "q1_RDA04", "RAA01.RDA04-2")],
}


RESULT_CASES: list[Case] = [
    *[case(f"clean_{n.lower()}", *on(n)) for n in RESULTS],
    *_table_cases(),
    *HAND_CASES,
]


# the deadline rules around the deadline (the contact ended 2021-03-05 12:00 UTC): as-of time →
# cases; the warning fires until the contact's end + N days, the error from then on
DEADLINE_CASES: dict[dt.datetime, list[Case]] = {
    T(2021, 3, 7): [
        case("w_raa02", *TRIGGERS["RAA02"][0], expect=[(DI, "da", "RAA02.1-w")]),
        case("w_raa03", *TRIGGERS["RAA03"][0], expect=[(DI, "da", "RAA03.1-w")]),
        case("w_raa04_1", set_(DI, "da", code="DO039", side=None), expect=[(DI, "da", "RAA04.1-w")]),
        case("w_raa04_2", _diag("dab", "DO039"), expect=[(DI, "dab", "RAA04.2-w")]),
        case("w_raa05", drop(RI), drop(R), expect=[(K, "k", "RAA05.1-w")]),
        case("w_raa09", _proc("pk", "KJFB20"), expect=[(P, "pk", "RAA09.1-w")]),
    ],
    T(2021, 3, 8, 12): [  # the injury and complication deadlines (3 days) have passed, the others not
        case("d_raa02", *TRIGGERS["RAA02"][0], expect=[(DI, "da", "RAA02.1-w")]),
        case("d_raa05", drop(RI), drop(R), expect=[(K, "k", "RAA05.1")]),
        case("d_raa09", _proc("pk", "KJFB20"), expect=[(P, "pk", "RAA09.1")]),
    ],
}
