"""Authoring source of the illustrative SOR subset in reference/sor_units.csv.

Hospital names are real public hospitals; SOR ids, the department split and dates are
illustrative (the official SOR register is not reachable here). Run: python tools/sor_subset.py
"""

import csv
from pathlib import Path

HOSPITALS = {
    "1081": ["Aalborg Universitetshospital", "Regionshospital Nordjylland"],
    "1082": ["Aarhus Universitetshospital", "Gødstrup Hospital", "Regionshospitalet Randers"],
    "1083": ["Odense Universitetshospital", "Sygehus Lillebælt", "Sydvestjysk Sygehus"],
    "1084": ["Rigshospitalet", "Herlev og Gentofte Hospital", "Hvidovre Hospital"],
    "1085": ["Sjællands Universitetshospital", "Holbæk Sygehus", "Nykøbing F. Sygehus"],
}
# department suffix, name, specialty, unit kind
DEPARTMENTS = [
    ("01", "Medicinsk afdeling", "intern medicin", "somatic"),
    ("02", "Kirurgisk afdeling", "kirurgi", "somatic"),
    ("03", "Ortopædkirurgisk afdeling", "ortopædisk kirurgi", "somatic"),
    ("04", "Akutafdeling", "akutmedicin", "somatic"),
    ("05", "Kvindesygdomme og fødsler", "gynækologi og obstetrik", "somatic"),
    ("06", "Kræftafdeling", "klinisk onkologi", "somatic"),
    ("07", "Øjenafdeling", "oftalmologi", "somatic"),
    ("08", "Genoptræning", "fysioterapi", "rehab"),
]


def main() -> None:
    rows = []
    for region, hospitals in HOSPITALS.items():
        for h, name in enumerate(hospitals, start=1):
            hosp = f"{region}{h:02d}0000000"
            rows.append([hosp, name, "", hosp, name, region, "false", "hospital", "hospital", "2005-01-01", ""])
            for suffix, dname, spec, unit_kind in DEPARTMENTS:
                rows.append(
                    [
                        f"{region}{h:02d}{suffix}00000",
                        f"{name}, {dname}",
                        hosp,
                        hosp,
                        name,
                        region,
                        "false",
                        spec,
                        unit_kind,
                        "2005-01-01",
                        "",
                    ]
                )
            # a department closed before LPR3 (for SOR-validity rules)
            rows.append(
                [
                    f"{region}{h:02d}9900000",
                    f"{name}, Lukket afsnit",
                    hosp,
                    hosp,
                    name,
                    region,
                    "false",
                    "intern medicin",
                    "somatic",
                    "2005-01-01",
                    "2018-12-31",
                ]
            )
        psych = f"{region}900000000"
        pname = f"Psykiatrien, region {region}"
        rows.append([psych, pname, "", psych, pname, region, "true", "hospital", "hospital", "2005-01-01", ""])
        for suffix, dname in [("01", "Voksenpsykiatri"), ("02", "Børne- og ungdomspsykiatri")]:
            rows.append(
                [
                    f"{region}90{suffix}00000",
                    f"{pname}, {dname}",
                    psych,
                    psych,
                    pname,
                    region,
                    "true",
                    "psykiatri",
                    "psychiatric",
                    "2005-01-01",
                    "",
                ]
            )
        hospice = f"{region}950000000"
        rows.append(
            [
                hospice,
                f"Hospice, region {region}",
                "",
                hospice,
                f"Hospice, region {region}",
                region,
                "false",
                "palliativ medicin",
                "hospice",
                "2005-01-01",
                "",
            ]
        )
    out = Path(__file__).resolve().parents[1] / "reference" / "sor_units.csv"
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "sor_id",
                "name",
                "parent_id",
                "hospital_id",
                "hospital_name",
                "region_code",
                "psychiatric",
                "specialty",
                "unit_kind",
                "valid_from",
                "valid_to",
            ]
        )
        w.writerows(rows)


if __name__ == "__main__":
    main()
