"""Hand-built rule cases: a clean forløbselement tree and one mutation per case.

Each case is a copy of the baseline tree (ids prefixed by the case name) changed by `edits`;
`expect` is the exact set of (object type, object key, rule id) the engine must report. All cases
live in one register and are evaluated in one run, so every rule is exercised both ways (the
baseline passes every rule; its case breaks it).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lprflow.schemas import TABLES

T = dt.datetime
D = dt.date
MED = "1082010100000"  # Aarhus Universitetshospital, Medicinsk afdeling
ORTHO = "1082010300000"
PSYCH = "1082900100000"
CLOSED_UNIT = "1082019900000"  # closed 2018-12-31

# object keys within a case: the object's id is f"{case}-{key}"
BASELINE: dict[str, list[dict[str, Any]]] = {
    "patient": [dict(key="pat", patient_id="pat", cpr="0101601231", birth_date=D(1960, 1, 1), sex=1)],
    "bopael": [
        dict(
            key="bo",
            bopael_id="bo",
            patient_id="pat",
            municipality_code="0751",
            country_code="5100",
            valid_from=D(1960, 1, 1),
            valid_to=None,
        )
    ],
    "henvisning": [
        dict(
            key="h",
            henvisning_id="h",
            patient_id="pat",
            time=T(2021, 2, 15, 10),
            reason_code="DM169",
            reason_addons=[],
            method="ALDA11",
            free_choice="AFV01",
            referring_unit=None,
        )
    ],
    "forloebselement": [
        dict(
            key="fe",
            forloebselement_id="fe",
            patient_id="pat",
            start_time=T(2021, 3, 1, 8),
            end_time=T(2021, 3, 5, 12),
            responsible_unit=MED,
            label="ALAL90",
            end_mode="ALAA01",
            henvisning_id="h",
            reference_id=None,
            reference_type=None,
            reporter_type="LPR",
        )
    ],
    "kontakt": [
        dict(
            key="k",
            kontakt_id="k",
            forloebselement_id="fe",
            patient_id="pat",
            start_time=T(2021, 3, 1, 8),
            end_time=T(2021, 3, 5, 12),
            treatment_start=T(2021, 3, 1, 8, 30),
            responsible_unit=MED,
            type="ALCA00",
            priority="ATA1",
            reason="ALCC02",  # an accident: the acute physical contact needs an injury report (RAA05)
            henvisning_id=None,
        )
    ],
    "diagnose": [
        dict(
            key="da",
            diagnose_id="da",
            kontakt_id="k",
            role="A",
            code="DM169",
            addon_codes=[],
            art="A",
            side="TUL1",
            disproved=False,
            metastases=[],
            local_recurrences=[],
        ),
        dict(
            key="db",
            diagnose_id="db",
            kontakt_id="k",
            role="B",
            code="DI109",
            addon_codes=[],
            art="B",
            side=None,
            disproved=False,
            metastases=[],
            local_recurrences=[],
        ),
    ],
    "procedure": [
        dict(
            key="p",
            procedure_id="p",
            forloebselement_id="fe",
            kontakt_id="k",
            code="KNFB20",
            addon_codes=[],
            start_time=T(2021, 3, 2, 9),
            end_time=T(2021, 3, 2, 11),
            producer_unit=ORTHO,
            side="TUL1",
            action_spec=None,
            contrast=None,
            indication=None,
            indication_addons=[],
            personnel=None,
            betalingsoplysning_id=None,
        ),
        dict(
            key="pf",
            procedure_id="pf",
            forloebselement_id="fe",
            kontakt_id=None,
            code="ZZ0149",
            addon_codes=[],
            start_time=T(2021, 3, 3, 10),
            end_time=T(2021, 3, 3, 10, 30),
            producer_unit=MED,
            side=None,
            action_spec=None,
            contrast=None,
            indication=None,
            indication_addons=[],
            personnel=None,
            betalingsoplysning_id="payf",
        ),
    ],
    "opholdsadresse": [
        dict(
            key="o1",
            opholdsadresse_id="o1",
            kontakt_id="k",
            start_time=T(2021, 3, 1, 8),
            end_time=T(2021, 3, 3, 8),
            unit=MED,
            absence=None,
        ),
        dict(
            key="o2",
            opholdsadresse_id="o2",
            kontakt_id="k",
            start_time=T(2021, 3, 3, 8),
            end_time=T(2021, 3, 5, 12),
            unit=MED,
            absence=None,
        ),
    ],
    "betalingsoplysning": [
        dict(
            key="pay",
            betalingsoplysning_id="pay",
            forloebselement_id="fe",
            kontakt_id="k",
            start_time=T(2021, 3, 1, 8),
            end_time=T(2021, 3, 5, 12),
            agreement="EAB1",
            payer="EAR1",
            specialisation_level="EAS1",
        ),
        dict(
            key="payf",
            betalingsoplysning_id="payf",
            forloebselement_id="fe",
            kontakt_id=None,
            start_time=T(2021, 3, 3, 10),
            end_time=T(2021, 3, 3, 10, 30),
            agreement="EAB1",
            payer="EAR1",
            specialisation_level="EAS1",
        ),
    ],
    "forloebsmarkoer": [
        dict(key="m", forloebsmarkoer_id="m", forloebselement_id="fe", code="AFA01A", time=T(2021, 3, 1, 9))
    ],
    "resultatindberetning": [
        dict(
            key="ri",
            resultatindberetning_id="ri",
            forloebselement_id="fe",
            name="RAA05",
            trigger_type="kontakt",
            trigger_id="k",
            cause_start_time=T(2021, 3, 1, 8),
            cause_end_time=T(2021, 3, 5, 12),
            status="RAS01",
            responsible_unit=MED,
        )
    ],
    # a complete injury report: the time of injury (exactly one), mechanism, place and activity
    # (required when complete; activity because the reason is in admin.kontaarsag.skade.suba) and
    # an optional road-user role ("r", the result the RESULTAT cases change)
    "resultat": [
        dict(
            key="r", resultat_id="r", resultatindberetning_id="ri", type="RDA66", value="EUG01", time=T(2021, 3, 5, 12)
        ),
        *[
            dict(key=k, resultat_id=k, resultatindberetning_id="ri", type=t, value=v, time=T(2021, 3, 5, 12))
            for k, t, v in [
                ("r60", "RDA60", "20210301074500+0100"),
                ("r61", "RDA61", "EUB01"),
                ("r62", "RDA62", "EUC01"),
                ("r63", "RDA63", "EUD02"),
            ]
        ],
    ],
}
REPORTED = T(2021, 3, 6)
# columns holding ids of other objects in the same case (prefixed like the ids)
REF_COLUMNS = {
    "patient_id",
    "forloebselement_id",
    "kontakt_id",
    "henvisning_id",
    "reference_id",
    "betalingsoplysning_id",
    "resultatindberetning_id",
    "trigger_id",
}
Edit = Callable[[dict[str, list[dict[str, Any]]]], None]


@dataclass
class Case:
    name: str
    edits: list[Edit]
    expect: set[tuple[str, str, str]] = field(default_factory=set)


def set_(table: str, key: str, **values: Any) -> Edit:
    def edit(tree):
        row = next(r for r in tree[table] if r["key"] == key)
        row.update(values)

    return edit


def drop(table: str, key: str | None = None) -> Edit:
    def edit(tree):
        tree[table] = [r for r in tree[table] if key is not None and r["key"] != key]

    return edit


def add(table: str, **row: Any) -> Edit:
    def edit(tree):
        base = dict(BASELINE[table][0])
        base.update(row)
        tree[table].append(base)

    return edit


def case(name: str, *edits: Edit, expect: list[tuple[str, str, str]] | None = None) -> Case:
    return Case(name, list(edits), set(expect or []))


def case_rows(cases: list[Case]) -> dict[str, list[dict[str, Any]]]:
    """The rows of every case's tree (the baseline changed by its edits), ids prefixed by the case
    name, for tests/register_builder.py."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for c in cases:
        tree = copy.deepcopy(BASELINE)
        for edit in c.edits:
            edit(tree)
        for name, objs in tree.items():
            key = TABLES[name].key
            for obj in objs:
                rows.setdefault(name, []).append(
                    {
                        k: f"{c.name}-{v}" if (k == key or k in REF_COLUMNS) and v is not None else v
                        for k, v in obj.items()
                        if k != "key"
                    }
                )
    return rows


K, FE, DA, DB, P, PF = "kontakt", "forloebselement", "diagnose", "diagnose", "procedure", "procedure"
OPH, PAY, HEN, M, R, BO = "opholdsadresse", "betalingsoplysning", "henvisning", "forloebsmarkoer", "resultat", "bopael"
END = T(2021, 3, 5, 12)


def _complication_report(grade: str) -> list[Edit]:
    """An operation (KJFB20) with an RAA09 result report giving a Clavien-Dindo grade."""
    return [
        set_(P, "p", code="KJFB20", side=None),
        add(
            "resultatindberetning",
            key="ri9",
            resultatindberetning_id="ri9",
            name="RAA09",
            trigger_type="procedure",
            trigger_id="p",
            cause_start_time=T(2021, 3, 2, 9),
            cause_end_time=T(2021, 3, 2, 11),
            status="RAS01",
        ),
        add(
            R, key="r9", resultat_id="r9", resultatindberetning_id="ri9", type="RDA85", value=grade, time=T(2021, 3, 3)
        ),
    ]


def _second_patient_reference(
    name: str, reference_type: str, expect: list | None = None, cpr: str = "0101601231", birth: dt.date = D(1960, 1, 1)
) -> Case:
    """The forløbselement references one of a second patient row; by default that row has the
    baseline's CPR (the same person), otherwise `cpr` and `birth` (another person)."""
    return case(
        name,
        set_(FE, "fe", reference_id="fe2", reference_type=reference_type),
        add(
            FE,
            key="fe2",
            forloebselement_id="fe2",
            patient_id="pat2",
            start_time=T(2021, 2, 1),
            end_time=T(2021, 2, 2),
            henvisning_id=None,
        ),  # fmt: skip
        add("patient", key="pat2", patient_id="pat2", cpr=cpr, birth_date=birth, sex=1),
        expect=expect,
    )


CASES: list[Case] = [
    case("clean"),
    # NONE
    case("c00_01", set_(K, "k", treatment_start=T(2021, 3, 7)), expect=[(K, "k", "00.01"), (K, "k", "05.13")]),
    case("c00_01_marker", set_(M, "m", time=T(2021, 3, 7)), expect=[(M, "m", "00.01"), (M, "m", "04.02")]),
    # PATIENT / BOPAEL
    case("c01_01", set_("patient", "pat", birth_date=D(2021, 3, 2)), expect=[(FE, "fe", "01.01"), (HEN, "h", "01.11")]),
    case("c01_11", set_("patient", "pat", birth_date=D(2021, 2, 20)), expect=[(HEN, "h", "01.11")]),
    # Danish calendar days: born 1 March; 23:15 and 23:30 UTC on 28 February are 00:15 and 00:30 in
    # Copenhagen on 1 March (no error), 22:15 and 22:30 UTC are 23:15 and 23:30 on 28 February
    case(
        "c01_local_day",
        set_("patient", "pat", birth_date=D(2021, 3, 1)),
        set_(HEN, "h", time=T(2021, 2, 28, 23, 15)),
        set_(FE, "fe", start_time=T(2021, 2, 28, 23, 30)),
    ),
    case(
        "c01_local_day_before",
        set_("patient", "pat", birth_date=D(2021, 3, 1)),
        set_(HEN, "h", time=T(2021, 2, 28, 22, 15)),
        set_(FE, "fe", start_time=T(2021, 2, 28, 22, 30)),
        expect=[(FE, "fe", "01.01"), (HEN, "h", "01.11")],
    ),
    case("c01_a", set_(BO, "bo", country_code="5800"), expect=[(BO, "bo", "01.a")]),
    case("c01_a_ok", set_(BO, "bo", country_code="5902")),
    case("c01_b", set_(BO, "bo", municipality_code="0900"), expect=[(BO, "bo", "01.b")]),
    case("c01_b_ok", set_(BO, "bo", municipality_code="0009")),
    # FORLOEBSELEMENT
    case(
        "c02_01",
        set_(FE, "fe", end_time=T(2021, 3, 1, 8)),
        expect=[
            (FE, "fe", "02.01"),
            (K, "k", "05.22"),
            (K, "k", "05.24"),
            (K, "k", "05.31"),
            (PF, "pf", "11.13"),
            (PF, "pf", "11.15"),
            (M, "m", "04.02"),
        ],
    ),
    case("c02_02", set_(FE, "fe", end_mode=None), expect=[(FE, "fe", "02.02")]),
    case(
        "c02_03",
        set_(FE, "fe", reference_id="fe2", reference_type="ALAR01"),
        add(
            FE,
            key="fe2",
            forloebselement_id="fe2",
            start_time=T(2021, 3, 1, 8),
            end_time=T(2021, 3, 1, 9),
            henvisning_id=None,
        ),
        expect=[(FE, "fe", "02.03")],
    ),
    case(
        "c02_41",
        set_(FE, "fe", start_time=T(2004, 1, 1)),
        expect=[(FE, "fe", "02.41"), (HEN, "h", "06.01"), (FE, "fe", "02.a")],
    ),
    case(
        "c02_42",
        set_(FE, "fe", responsible_unit=CLOSED_UNIT),
        expect=[(FE, "fe", "02.42"), (FE, "fe", "02.43"), (FE, "fe", "02.44")],
    ),
    case("c02_51", set_(FE, "fe", label="DR539"), expect=[(FE, "fe", "02.51"), (FE, "fe", "02.a")]),
    case("c02_55", set_(FE, "fe", end_mode="DR539"), expect=[(FE, "fe", "02.55"), (FE, "fe", "02.b")]),
    case("c02_a", set_(FE, "fe", label="DJ449"), expect=[(FE, "fe", "02.a")]),
    case("c02_b", set_(FE, "fe", end_mode="ALCC01"), expect=[(FE, "fe", "02.b")]),
    # REFERENCE
    _second_patient_reference("c3101", "ALAR01", expect=[(FE, "fe", "3101")], cpr="0202602232", birth=D(1960, 2, 2)),
    case(
        "c3102",
        set_(FE, "fe", reference_id="fe2", reference_type="ALAR11"),
        add(
            FE,
            key="fe2",
            forloebselement_id="fe2",
            start_time=T(2021, 2, 1),
            end_time=T(2021, 2, 2),
            henvisning_id=None,
        ),
        expect=[(FE, "fe", "3102")],
    ),
    # erSammePatient compares the person: two patient rows of one CPR are the same patient
    _second_patient_reference("c3101_cpr", "ALAR01"),
    _second_patient_reference("c3102_cpr", "ALAR11", expect=[(FE, "fe", "3102")]),
    case(
        "c3101_ok",
        set_(FE, "fe", reference_id="fe2", reference_type="ALAR01"),
        add(
            FE,
            key="fe2",
            forloebselement_id="fe2",
            start_time=T(2021, 2, 1),
            end_time=T(2021, 2, 2),
            henvisning_id=None,
        ),
    ),
    case("c03_51", set_(FE, "fe", reference_type="DR539"), expect=[(FE, "fe", "03.51"), (FE, "fe", "03.a")]),
    case("c03_a", set_(FE, "fe", reference_type="ALCC01"), expect=[(FE, "fe", "03.a")]),
    # FORLOEBSMARKOER
    case("c04_01", set_(M, "m", time=T(2021, 2, 28)), expect=[(M, "m", "04.01")]),
    case("c04_02", set_(M, "m", time=T(2021, 3, 5, 13)), expect=[(M, "m", "04.02")]),
    case("c04_51", set_(M, "m", code="DR539"), expect=[(M, "m", "04.51"), (M, "m", "04.a")]),
    case("c04_a", set_(M, "m", code="ALCC01"), expect=[(M, "m", "04.a")]),
    # KONTAKT
    case("c5102", set_(K, "k", reason=None), expect=[(K, "k", "5102")]),
    case("c5102_psych", set_(K, "k", reason=None, responsible_unit=PSYCH)),
    case("c5103", set_(K, "k", responsible_unit=PSYCH), expect=[(K, "k", "5103")]),
    case("c5104", set_(K, "k", priority="ATA3"), expect=[(K, "k", "5104")]),
    case("c5105", drop(OPH), expect=[(K, "k", "5105")]),
    case("c5106", set_(K, "k", type="ALCA03"), expect=[(K, "k", "5106")]),
    case(
        "c5107",
        set_(K, "k", type="ALCA10", priority="ATA3", reason=None),
        drop(OPH),
        drop(P, "p"),
        expect=[(K, "k", "5107")],
    ),
    case(
        "c5107_ok",
        set_(K, "k", type="ALCA10", priority="ATA3", reason=None, end_time=T(2021, 3, 1, 8, 1), treatment_start=None),
        drop(OPH),
        drop(P, "p"),
        set_(PAY, "pay", end_time=T(2021, 3, 1, 8, 1)),
    ),
    case("c5108", set_(K, "k", type="ALCA20"), drop(OPH), expect=[(K, "k", "5108")]),
    case("c5108_ok", set_(K, "k", type="ALCA20"), drop(OPH), set_(DA, "da", code="DR991", side=None)),
    case(
        "c05_11",
        set_(K, "k", end_time=T(2021, 3, 1, 8)),
        set_(PAY, "pay", end_time=T(2021, 3, 1, 8)),
        set_(OPH, "o2", start_time=T(2021, 3, 1, 8), end_time=T(2021, 3, 1, 8)),
        drop(OPH, "o1"),
        drop(P, "p"),
        expect=[
            (K, "k", "05.11"),
            (K, "k", "05.13"),
            (OPH, "o2", "09.01"),
            (OPH, "o2", "09.13"),
            (PAY, "pay", "10.01"),
            (PAY, "pay", "10.13"),
        ],
    ),
    case("c05_12", set_(K, "k", treatment_start=T(2021, 3, 1, 7)), expect=[(K, "k", "05.12")]),
    case("c05_13", set_(K, "k", treatment_start=END), expect=[(K, "k", "05.13")]),
    case("c05_14", drop(DA, "da"), expect=[(K, "k", "05.14"), (K, "k", "05.15")]),
    case(
        "c05_15",
        drop(DA, "da"),
        set_(K, "k", end_time=None),
        set_(FE, "fe", end_time=None, end_mode=None),
        set_(OPH, "o2", end_time=None),
        set_(PAY, "pay", end_time=None),
        expect=[(K, "k", "05.15")],
    ),
    case(
        "c05_21",
        set_(K, "k", start_time=T(2021, 2, 28)),
        set_(OPH, "o1", start_time=T(2021, 2, 28)),
        set_(PAY, "pay", start_time=T(2021, 2, 28)),
        set_(K, "k", treatment_start=None),
        expect=[(K, "k", "05.21")],
    ),
    case(
        "c05_22",
        set_(FE, "fe", end_time=T(2021, 3, 1, 8)),
        set_(K, "k", end_time=T(2021, 3, 1, 8)),
        set_(K, "k", treatment_start=None),
        set_(OPH, "o2", start_time=T(2021, 3, 1, 8), end_time=T(2021, 3, 1, 8)),
        drop(OPH, "o1"),
        set_(PAY, "pay", end_time=T(2021, 3, 1, 8)),
        drop(P, "p"),
        drop(P, "pf"),
        drop(PAY, "payf"),
        set_(M, "m", time=T(2021, 3, 1, 8)),
        expect=[
            (FE, "fe", "02.01"),
            (K, "k", "05.11"),
            (K, "k", "05.22"),
            (OPH, "o2", "09.01"),
            (OPH, "o2", "09.13"),
            (PAY, "pay", "10.01"),
            (PAY, "pay", "10.13"),
        ],
    ),
    case("c05_24", set_(FE, "fe", end_time=T(2021, 3, 4)), expect=[(K, "k", "05.24"), (K, "k", "05.31")]),
    case(
        "c05_31",
        set_(K, "k", end_time=None),
        set_(OPH, "o2", end_time=None),
        set_(PAY, "pay", end_time=None),
        expect=[(K, "k", "05.31")],
    ),
    case(
        "c05_41",
        set_(K, "k", start_time=T(2004, 6, 1)),
        set_(FE, "fe", start_time=T(2004, 6, 1)),
        set_(OPH, "o1", start_time=T(2004, 6, 1)),
        set_(PAY, "pay", start_time=T(2004, 6, 1)),
        set_(K, "k", treatment_start=None),
        set_(HEN, "h", time=T(2004, 5, 1)),
        expect=[
            (K, "k", "05.41"),
            (FE, "fe", "02.41"),
            (OPH, "o1", "09.41"),
            (FE, "fe", "02.a"),
            (K, "k", "05.51"),
            (K, "k", "05.53"),
            (K, "k", "05.a"),
            (K, "k", "05.b"),
            (K, "k", "07.51"),
            (K, "k", "07.a"),
            (PAY, "pay", "10.51"),
            (PAY, "pay", "10.a"),
            (PAY, "pay", "10.b"),
            (PAY, "pay", "10.c"),
            (K, "k", "5106"),
            (HEN, "h", "06.53"),
            (HEN, "h", "06.b"),
            (HEN, "h", "06.c"),
        ],
    ),
    case(
        "c05_42",
        set_(K, "k", responsible_unit=CLOSED_UNIT),
        expect=[(K, "k", "05.42"), (K, "k", "05.43"), (K, "k", "05.44")],
    ),
    case(
        "c05_51", set_(K, "k", type="DR539"), drop(OPH), expect=[(K, "k", "05.51"), (K, "k", "05.52"), (K, "k", "05.a")]
    ),
    case("c05_53", set_(K, "k", priority="DR539"), expect=[(K, "k", "05.53"), (K, "k", "05.b")]),
    case("c05_a", set_(K, "k", type="ALCC01"), drop(OPH), expect=[(K, "k", "05.a")]),
    case("c05_b", set_(K, "k", priority="ALCC02"), expect=[(K, "k", "05.b")]),
    # KONTAKTAARSAG
    case("c07_51", set_(K, "k", reason="DR539"), expect=[(K, "k", "07.51"), (K, "k", "07.a")]),
    case("c07_a", set_(K, "k", reason="ATA1"), expect=[(K, "k", "07.a")]),
    # HENVISNING
    case("c06_01", set_(HEN, "h", time=T(2021, 3, 1, 9)), expect=[(HEN, "h", "06.01")]),
    case(
        "c06_02", set_(K, "k", henvisning_id="h"), set_(HEN, "h", time=T(2021, 3, 1, 8)), expect=[(HEN, "h", "06.02")]
    ),
    case("c06_02_ok", set_(K, "k", henvisning_id="h")),
    case("c06_51", set_(HEN, "h", reason_code="DR539"), expect=[(HEN, "h", "06.51"), (HEN, "h", "06.a")]),
    case("c06_53", set_(HEN, "h", method="DR539"), expect=[(HEN, "h", "06.53"), (HEN, "h", "06.b")]),
    case("c06_59", set_(HEN, "h", reason_addons=["DR539"]), expect=[(HEN, "h", "06.59")]),
    case("c06_a", set_(HEN, "h", reason_code="ALCC01"), expect=[(HEN, "h", "06.a")]),
    case("c06_a_ok", set_(HEN, "h", reason_code="KNFB20")),
    case("c06_b", set_(HEN, "h", method="ALCC01"), expect=[(HEN, "h", "06.b")]),
    case("c06_c", set_(HEN, "h", free_choice="ALCC01"), expect=[(HEN, "h", "06.c")]),
    # OPHOLDSADRESSE
    case("c09_01", set_(OPH, "o1", end_time=T(2021, 3, 1, 8)), expect=[(OPH, "o1", "09.01"), (K, "k", "09.02")]),
    case("c09_02", set_(OPH, "o1", end_time=T(2021, 3, 3, 7)), expect=[(K, "k", "09.02")]),
    case("c09_02_overlap", set_(OPH, "o1", end_time=T(2021, 3, 3, 9)), expect=[(K, "k", "09.02")]),
    case("c09_12", set_(OPH, "o1", start_time=T(2021, 3, 1, 7)), expect=[(OPH, "o1", "09.12"), (K, "k", "09.16a")]),
    case(
        "c09_13",
        add(OPH, key="o3", opholdsadresse_id="o3", start_time=END, end_time=T(2021, 3, 5, 13)),
        expect=[(OPH, "o3", "09.13"), (OPH, "o3", "09.15")],
    ),
    case("c09_15", set_(OPH, "o2", end_time=T(2021, 3, 5, 13)), expect=[(OPH, "o2", "09.15"), (K, "k", "09.16b")]),
    case("c09_16a", set_(OPH, "o1", start_time=T(2021, 3, 1, 9)), expect=[(K, "k", "09.16a")]),
    case("c09_16b", set_(OPH, "o2", end_time=T(2021, 3, 5, 11)), expect=[(K, "k", "09.16b")]),
    case("c09_41", set_(OPH, "o1", unit="1082029900000"), expect=[(OPH, "o1", "09.42"), (OPH, "o1", "09.44")]),
    case(
        "c09_43",
        set_(OPH, "o2", unit=CLOSED_UNIT, end_time=None),
        set_(K, "k", end_time=None),
        set_(PAY, "pay", end_time=None),
        expect=[(OPH, "o2", "09.42"), (OPH, "o2", "09.43"), (K, "k", "05.31")],
    ),
    case("c09_51", set_(OPH, "o2", unit=None, absence="DR539"), expect=[(OPH, "o2", "09.51"), (OPH, "o2", "09.a")]),
    case("c09_61", set_(OPH, "o2", absence="ALFR01"), expect=[(OPH, "o2", "09.61")]),
    case("c09_a", set_(OPH, "o2", unit=None, absence="ALCC01"), expect=[(OPH, "o2", "09.a")]),
    case("c09_absence_ok", set_(OPH, "o2", unit=None, absence="ALFR01")),
    # BETALINGSOPLYSNING
    case(
        "c10_01", set_(PAY, "payf", end_time=T(2021, 3, 3, 10)), expect=[(PAY, "payf", "10.01"), (PAY, "payf", "10.32")]
    ),
    case(
        "c10_02",
        set_(PAY, "pay", end_time=T(2021, 3, 3)),
        add(PAY, key="pay2", betalingsoplysning_id="pay2", start_time=T(2021, 3, 3, 1), end_time=END),
        expect=[(K, "k", "10.02")],
    ),
    case(
        "c10_02_ok",
        set_(PAY, "pay", end_time=T(2021, 3, 3)),
        add(PAY, key="pay2", betalingsoplysning_id="pay2", start_time=T(2021, 3, 3), end_time=END),
    ),
    case("c10_12", set_(PAY, "pay", start_time=T(2021, 3, 1, 7)), expect=[(PAY, "pay", "10.12"), (K, "k", "10.16a")]),
    case(
        "c10_13",
        add(PAY, key="pay2", betalingsoplysning_id="pay2", start_time=END, end_time=T(2021, 3, 5, 13)),
        expect=[(PAY, "pay2", "10.13"), (PAY, "pay2", "10.15")],
    ),
    case("c10_16b", set_(PAY, "pay", end_time=T(2021, 3, 5, 11)), expect=[(K, "k", "10.16b")]),
    case("c10_16a_none", drop(PAY, "pay"), expect=[(K, "k", "10.16a"), (K, "k", "10.16b")]),
    case("c10_32", set_(PAY, "payf", end_time=T(2021, 3, 3, 10, 40)), expect=[(PAY, "payf", "10.32")]),
    case(
        "c10_51", set_(PAY, "pay", specialisation_level="DR539"), expect=[(PAY, "pay", "10.51"), (PAY, "pay", "10.c")]
    ),
    case("c10_a", set_(PAY, "pay", agreement="ALCC01"), expect=[(PAY, "pay", "10.a")]),
    case("c10_b", set_(PAY, "pay", payer="ALCC01"), expect=[(PAY, "pay", "10.b")]),
    case("c10_c", set_(PAY, "pay", specialisation_level="ALCC01"), expect=[(PAY, "pay", "10.c")]),
    # PROCEDURE
    case("c11_01", set_(P, "p", end_time=T(2021, 3, 2, 9)), expect=[(P, "p", "11.01")]),
    case("c11101", set_(P, "p", code="DI109", side=None), expect=[(P, "p", "11101")]),
    case("c11102", set_(P, "p", side=None), expect=[(P, "p", "11102")]),
    case("c11103", set_(P, "p", code="KPEA99", side=None), expect=[(P, "p", "11103")]),
    case("c11103_ok", set_(P, "p", code="KPEA99", side=None, action_spec="TPH1")),
    case("c11104", set_(P, "p", code="UXCA00", side=None), expect=[(P, "p", "11104")]),
    case("c11104_ok", set_(P, "p", code="UXCA00", side=None, contrast="TPK1")),
    case("c11107", set_(P, "p", code="BVAA33", side=None), expect=[(P, "p", "11107")]),
    case(
        "c11107_bad",
        set_(P, "p", code="BVAA33", side=None, personnel="ALCC01"),
        expect=[(P, "p", "11107"), (P, "p", "11.f")],
    ),
    case("c11107_ok", set_(P, "p", code="BVAA33", side=None, personnel="ALPE01")),
    case("c11_11", set_(P, "pf", code="BGDA1", end_time=None), expect=[(P, "pf", "11.11")]),
    case("c11110", *_complication_report("RCL2"), expect=[(P, "p", "11110")]),
    case("c11110_bidiagnose", *_complication_report("RCL2"), set_(DB, "db", code="DT818")),
    case("c11110_grade0", *_complication_report("RCL0")),
    case(
        "c11111",
        set_(K, "k", type="ALCA10", priority="ATA3", reason=None, end_time=T(2021, 3, 1, 8, 1), treatment_start=None),
        drop(OPH),
        set_(PAY, "pay", end_time=T(2021, 3, 1, 8, 1)),
        set_(P, "p", start_time=T(2021, 3, 1, 8), end_time=T(2021, 3, 1, 8, 1)),
        expect=[(P, "p", "11111")],
    ),
    case(
        "c11111_ok",
        set_(K, "k", type="ALCA10", priority="ATA3", reason=None, end_time=T(2021, 3, 1, 8, 1), treatment_start=None),
        drop(OPH),
        set_(PAY, "pay", end_time=T(2021, 3, 1, 8, 1)),
        set_(P, "p", start_time=T(2021, 3, 1, 8), end_time=None),
    ),
    case(
        "c11_12",
        set_(P, "pf", start_time=T(2021, 3, 1, 7)),
        set_(PAY, "payf", start_time=T(2021, 3, 1, 7)),
        expect=[(P, "pf", "11.12")],
    ),
    case(
        "c11_13",
        set_(P, "pf", start_time=END, end_time=T(2021, 3, 5, 13)),
        set_(PAY, "payf", start_time=END, end_time=T(2021, 3, 5, 13)),
        expect=[(P, "pf", "11.13"), (P, "pf", "11.15")],
    ),
    case("c11_21", set_(P, "p", code="BGDA1", side=None, end_time=None), expect=[(P, "p", "11.21")]),
    case("c11_22", set_(P, "p", start_time=T(2021, 3, 1, 7)), expect=[(P, "p", "11.22")]),
    case(
        "c11_23",
        set_(P, "p", start_time=END, end_time=T(2021, 3, 5, 13)),
        expect=[(P, "p", "11.23"), (P, "p", "11.25")],
    ),
    case("c11_25", set_(P, "p", end_time=T(2021, 3, 5, 13)), expect=[(P, "p", "11.25")]),
    case("c11_31", set_(P, "pf", betalingsoplysning_id=None), expect=[(P, "pf", "11.31")]),
    case("c11_31_start", set_(PAY, "payf", start_time=T(2021, 3, 3, 9)), expect=[(P, "pf", "11.31")]),
    case("c11_42", set_(P, "p", producer_unit=CLOSED_UNIT), expect=[(P, "p", "11.42"), (P, "p", "11.44")]),
    case(
        "c11_41",
        set_(P, "pf", start_time=T(2004, 6, 1)),
        set_(PAY, "payf", start_time=T(2004, 6, 1)),
        expect=[
            (P, "pf", "11.41"),
            (P, "pf", "11.12"),
            (PAY, "payf", "10.51"),
            (PAY, "payf", "10.a"),
            (PAY, "payf", "10.b"),
            (PAY, "payf", "10.c"),
        ],
    ),
    case(
        "c11_43",
        set_(P, "p", code="BGDA1", side=None, producer_unit=CLOSED_UNIT),
        expect=[(P, "p", "11.42"), (P, "p", "11.43"), (P, "p", "11.44")],
    ),
    case(
        "c11_52",
        set_(P, "p", code="DR539", side=None),
        expect=[(P, "p", "11.52"), (P, "p", "11.53"), (P, "p", "11101")],
    ),
    case("c11_54", set_(P, "p", side="DR539"), expect=[(P, "p", "11.54"), (P, "p", "11.b")]),
    case("c11_56", set_(P, "p", action_spec="DR539"), expect=[(P, "p", "11.56"), (P, "p", "11.c")]),
    case("c11_57", set_(P, "p", indication="DR539"), expect=[(P, "p", "11.57"), (P, "p", "11.e")]),
    case("c11_59", set_(P, "p", addon_codes=["DR539"]), expect=[(P, "p", "11.59")]),
    case("c11_60", set_(P, "p", indication="DM169", indication_addons=["DR539"]), expect=[(P, "p", "11.60")]),
    case("c11_b", set_(P, "p", side="ALCC01"), expect=[(P, "p", "11.b")]),
    case("c11_c", set_(P, "p", action_spec="ALCC01"), expect=[(P, "p", "11.c")]),
    case("c11_d", set_(P, "p", contrast="ALCC01"), expect=[(P, "p", "11.d")]),
    case("c11_e", set_(P, "p", indication="ALCC01"), expect=[(P, "p", "11.e")]),
    case("c11_e_ok", set_(P, "p", indication="ALBS01")),
    case("c11_f", set_(P, "p", personnel="ALCC01"), expect=[(P, "p", "11.f")]),
    # DIAGNOSE
    case("c12_03_101", set_(DA, "da", art="B"), expect=[(DA, "da", "12.03.101")]),
    case(
        "c12_03_103",
        set_(DA, "da", code="DO800", side=None),
        set_(K, "k", priority="ATA3", reason=None),
        expect=[(K, "k", "12.03.103")],
    ),
    case("c12_03_103_ok", set_(DA, "da", code="DO800", side=None)),
    case(
        "c12_03_105",
        set_(DA, "da", code="DZ380", side=None),
        set_(K, "k", type="ALCA03"),
        drop(OPH),
        expect=[(K, "k", "12.03.105")],
    ),
    case("c12_03_106", set_(DA, "da", code="DP95", side=None), expect=[(K, "k", "12.03.106")]),
    case("c12_03_108", set_(DA, "da", code="DO601", side=None), expect=[(K, "k", "12.03.108")]),
    case("c12_03_108_ok", set_(DA, "da", code="DO601", side=None), set_(DB, "db", code="DO049")),
    case("c12_03_109", set_(DA, "da", code="DR991", side=None), expect=[(K, "k", "12.03.109")]),
    case("c12_04_101", set_(DB, "db", art="A"), expect=[(DB, "db", "12.04.101")]),
    case("c12_101a", set_(DA, "da", code="ALCC01", side=None), expect=[(DA, "da", "12.101a")]),
    case("c12_101b", set_(DB, "db", code="ALCC01"), expect=[(DB, "db", "12.101b")]),
    case("c12102", set_(DA, "da", side=None), expect=[(DA, "da", "12102")]),
    case("c12102_b", set_(DB, "db", code="DS720"), expect=[(DB, "db", "12102")]),
    case("c12104", set_(DB, "db", code="DZ380"), expect=[(DB, "db", "12104")]),
    case("c12105", set_(DB, "db", code="DO800"), expect=[(DB, "db", "12105")]),
    case("c12_107a", set_(DA, "da", code="DX609", side=None), expect=[(DA, "da", "12.107a")]),
    case("c12_107b", set_(DB, "db", code="DX609"), expect=[(DB, "db", "12.107b")]),
    case("c12_107b_psych", set_(DB, "db", code="DX609"), set_(K, "k", responsible_unit=PSYCH, reason=None)),
    case("c12109", set_(DA, "da", code="DC787", side=None), expect=[(K, "k", "12109")]),
    case(
        "c12109_ok",
        set_(DA, "da", code="DC787", side=None),
        set_(DB, "db", code="DC189", metastases=["AZCD11"], local_recurrences=["AZCK0"]),
    ),
    case("c12_109a", set_(DB, "db", code="DC787"), expect=[(DB, "db", "12.109a")]),
    case(
        "c12_109a_ok",
        set_(DB, "db", code="DC787"),
        set_(DA, "da", code="DC189", side=None, metastases=["AZCD11"], local_recurrences=["AZCK0"]),
    ),
    case("c12110", set_(DA, "da", code="AZCK1", side=None), expect=[(K, "k", "12110"), (DA, "da", "12.101a")]),
    case("c12_110a", set_(DB, "db", code="AZCK1"), expect=[(DB, "db", "12.110a"), (DB, "db", "12.101b")]),
    case("c12111", set_(DA, "da", code="DC189", side=None, local_recurrences=["AZCK0"]), expect=[(DA, "da", "12111")]),
    case("c12_111a", set_(DB, "db", code="DC189", local_recurrences=["AZCK0"]), expect=[(DB, "db", "12.111a")]),
    case("c12112", set_(DA, "da", code="DC189", side=None, metastases=["AZCD10"]), expect=[(DA, "da", "12112")]),
    case("c12_112a", set_(DB, "db", code="DC189", metastases=["AZCD10"]), expect=[(DB, "db", "12.112a")]),
    case("c12_cancer_ok", set_(DA, "da", code="DC189", side=None, metastases=["AZCD10"], local_recurrences=["AZCK0"])),
    case(
        "c12_51",
        set_(DA, "da", art="DR539"),
        expect=[(DA, "da", "12.51"), (DA, "da", "12.03.101"), (DA, "da", "12.a-1")],
    ),
    case("c12_52", set_(DB, "db", code="DR539"), expect=[(DB, "db", "12.52"), (DB, "db", "12.101b")]),
    case("c12_54", set_(DA, "da", side="DR539"), expect=[(DA, "da", "12.54"), (DA, "da", "12.c-1")]),
    case("c12_59", set_(DB, "db", addon_codes=["DR539"]), expect=[(DB, "db", "12.59")]),
    case(
        "c12_59_1",
        set_(DB, "db", code="DR539", addon_codes=["ALAL01"]),
        expect=[(DB, "db", "12.59-1"), (DB, "db", "12.52"), (DB, "db", "12.101b")],
    ),
    case("c12_a_1", set_(DA, "da", art="ALCC01"), expect=[(DA, "da", "12.a-1"), (DA, "da", "12.03.101")]),
    case("c12_a_2", set_(DB, "db", art="ALCC01"), expect=[(DB, "db", "12.a-2"), (DB, "db", "12.04.101")]),
    case("c12_c_1", set_(DA, "da", side="ALCC01"), expect=[(DA, "da", "12.c-1")]),
    case("c12_c_2", set_(DB, "db", side="ALCC01"), expect=[(DB, "db", "12.c-2")]),
    case(
        "c13_01",
        set_(DA, "da", code="DC189", side=None, metastases=["DR539"], local_recurrences=["AZCK0"]),
        expect=[(DA, "da", "13.01"), (DA, "da", "13101")],
    ),
    case(
        "c13101",
        set_(DA, "da", code="DC189", side=None, metastases=["DI109"], local_recurrences=["AZCK0"]),
        expect=[(DA, "da", "13101")],
    ),
    case("c13_102a", set_(DA, "da", metastases=["AZCD10"]), expect=[(DA, "da", "13.102a")]),
    case("c13_102b", set_(DB, "db", metastases=["AZCD10"]), expect=[(DB, "db", "13.102b")]),
    case(
        "c14_01",
        set_(DA, "da", code="DC189", side=None, metastases=["AZCD10"], local_recurrences=["DR539"]),
        expect=[(DA, "da", "14.01"), (DA, "da", "14101")],
    ),
    case(
        "c14101",
        set_(DA, "da", code="DC189", side=None, metastases=["AZCD10"], local_recurrences=["DI109"]),
        expect=[(DA, "da", "14101")],
    ),
    case("c14_102a", set_(DA, "da", local_recurrences=["AZCK0"]), expect=[(DA, "da", "14.102a")]),
    case("c14_102b", set_(DB, "db", local_recurrences=["AZCK0"]), expect=[(DB, "db", "14.102b")]),
    # RESULTAT
    case(
        "c16_02",
        set_("resultatindberetning", "ri", trigger_type="forloebsmarkoer", cause_start_time=T(2018, 1, 1)),
        expect=[(R, "r", "16.02")],
    ),
    case("c16_03", set_(R, "r", type="DR539"), expect=[(R, "r", "16.03"), (R, "r", "16.a-1"), (R, "r", "16.a")]),
    case(
        "c16_05",
        set_(
            "resultatindberetning",
            "ri",
            trigger_type="diagnose",
            cause_start_time=T(2017, 1, 1),
            cause_end_time=T(2018, 1, 1),
        ),
        expect=[(R, "r", "16.05"), (R, "r", "16.a-1")],
    ),
    case(
        "c16_06",
        set_("resultatindberetning", "ri", trigger_type="procedure", cause_start_time=T(2018, 1, 1)),
        expect=[(R, "r", "16.06")],
    ),
    case(
        "c16_11",
        set_("resultatindberetning", "ri", trigger_type="forloebselement"),
        set_(R, "r", time=T(2021, 3, 1, 7)),
        expect=[(R, "r", "16.11")],
    ),
    case(
        "c16_12",
        set_("resultatindberetning", "ri", trigger_type="forloebsmarkoer"),
        set_(R, "r", time=T(2021, 3, 1, 7)),
        expect=[(R, "r", "16.12")],
    ),
    case("c16_13", set_(R, "r", time=T(2021, 3, 1, 7)), expect=[(R, "r", "16.13")]),
    case(
        "c16_15",
        set_("resultatindberetning", "ri", trigger_type="diagnose"),
        set_(R, "r", time=T(2021, 3, 1, 7)),
        expect=[(R, "r", "16.15")],
    ),
    case(
        "c16_16",
        set_("resultatindberetning", "ri", trigger_type="procedure"),
        set_(R, "r", time=T(2021, 3, 1, 7)),
        expect=[(R, "r", "16.16")],
    ),
    case("c16_a", set_(R, "r", type="RAA01"), expect=[(R, "r", "16.a"), (R, "r", "16.a-1")]),
]

# What the result-report rules (RESULTATINDBERETNING) add to the cases above, and why. The baseline
# contact is an accident with its injury report (RAA05); a case that changes the contact's reason,
# type or priority leaves a report its trigger may not have (RAA05.3); a case that gives the
# contact a diagnosis that requires a report leaves that report missing (RAA01.1/.2 cancer, RAA02.1
# birth (mother), RAA03.1 birth (child), RAA04.2 abortion); a case that moves the report's trigger
# leaves the contact without its report (RAA05.1) and tests every result's type, value, the name and
# the status against the new cause period.
_RI, _NOT_ITS_TRIGGER = "resultatindberetning", ("resultatindberetning", "ri", "RAA05.3")
_RESULTS = ("r", "r60", "r61", "r62", "r63")
_MOVED = [(K, "k", "RAA05.1"), _NOT_ITS_TRIGGER]
ALSO_FIRES: dict[str, list[tuple[str, str, str]]] = {
    **{
        name: [_NOT_ITS_TRIGGER]
        for name in (
            "c5102",
            "c5102_psych",
            "c5104",
            "c5106",
            "c5107",
            "c5107_ok",
            "c5108",
            "c5108_ok",
            "c05_51",
            "c05_53",
            "c05_a",
            "c05_b",
            "c07_51",
            "c07_a",
            "c11111",
            "c11111_ok",
            "c12_107b_psych",
        )
    },  # fmt: skip
    "c05_41": [(_RI, "ri", "15.03"), (_RI, "ri", "15.13")],  # the contact starts before RAA05/RAS01 were valid
    "c12_03_103": [(DA, "da", "RAA02.1"), _NOT_ITS_TRIGGER],
    "c12_03_103_ok": [(DA, "da", "RAA02.1")],
    "c12_03_105": [(DA, "da", "RAA03.1"), _NOT_ITS_TRIGGER],
    "c12_03_106": [(DA, "da", "RAA03.1")],
    "c12_03_108": [(DA, "da", "RAA02.1")],
    "c12_03_108_ok": [(DA, "da", "RAA02.1"), (DB, "db", "RAA04.2")],
    **{n: [(DA, "da", "RAA01.1")] for n in ("c12_109a_ok", "c12111", "c12112", "c12_cancer_ok", "c13_01", "c13101")},
    **{n: [(DA, "da", "RAA01.1")] for n in ("c14_01", "c14101")},
    **{n: [(DB, "db", "RAA01.2")] for n in ("c12109_ok", "c12_111a", "c12_112a")},
    "c16_02": [*_MOVED, *[(R, r, "16.02") for r in _RESULTS[1:]]],
    "c16_03": [(R, "r", "RAA05.2")],
    "c16_05": [
        *_MOVED,
        (_RI, "ri", "15.a"),
        (_RI, "ri", "15.b"),
        (R, "r", "RAA05.RDA66"),
        *[(R, r, rule) for r in _RESULTS[1:] for rule in ("16.05", "16.a-1")],
        *[(R, f"r{n}", f"RAA05.RDA{n}-1") for n in (61, 62, 63)],
    ],
    "c16_06": [*_MOVED, *[(R, r, "16.06") for r in _RESULTS[1:]]],
    **{n: _MOVED for n in ("c16_11", "c16_12", "c16_15", "c16_16")},
    "c16_a": [(R, "r", "RAA05.2")],
}
for _case in CASES:
    _case.expect |= set(ALSO_FIRES.get(_case.name, []))
