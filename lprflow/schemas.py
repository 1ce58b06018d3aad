"""The LPR3 register as Parquet tables: one explicit Spark schema per object type.

Names follow LPR3's own model (docs/DOMAIN.md §2); the Drools name of each field is in the comment
where it differs. Every row is one *version* of an object: it carries the object id, the report
timestamp (`reported_at`, dannelsestidspunkt), a `deleted` flag and the reporting region. Codes
are SKS codes as strings, units are SOR ids as strings, times are UTC timestamps.

Add-on codes (tillægskoder) and the cancer add-on information (metastaser, lokalrecidiver) are
arrays on the object they qualify, as in the Drools model (`kode.tillaegsKoder`,
`diagnose.metastaser`), so a diagnosis with its add-ons is one object and one report.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyspark.sql.types import (
    ArrayType,
    BooleanType,
    DateType,
    IntegerType,
    StringType,
    StructField,
    StructType,
    TimestampType,
)

S, TS, D, B, INT = StringType(), TimestampType(), DateType(), BooleanType(), IntegerType()
CODES = ArrayType(StringType())


def _f(name: str, dtype, nullable: bool = True) -> StructField:
    return StructField(name, dtype, nullable)


META = [
    _f("reported_at", TS, False),  # dannelsestidspunkt of the report that carried this version
    _f("deleted", B, False),  # a deletion report: the object is gone from this version on
    _f("region", S, False),  # reporting region code (1081-1085)
]


@dataclass(frozen=True)
class Table:
    """One object type of the register."""

    name: str
    key: str
    parent: str | None  # the column that links a row to its parent object, if any
    fields: tuple[StructField, ...]
    # further columns pointing at an object this one hangs on when set (a procedure or payment
    # on a contact): removing that object removes this one too (lprflow/state.py)
    also_owned_by: tuple[str, ...] = ()

    @property
    def owners(self) -> tuple[str, ...]:
        """The columns naming the objects this one belongs to (its parent first)."""
        return ((self.parent,) if self.parent else ()) + self.also_owned_by

    @property
    def schema(self) -> StructType:
        return StructType([*self.fields, *META])

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.schema.fields]


def _table(name: str, key: str, parent: str | None, *fields: StructField, also: tuple[str, ...] = ()) -> Table:
    return Table(name, key, parent, (_f(key, S, False), *fields), also)


TABLES: dict[str, Table] = {
    t.name: t
    for t in [
        _table(
            "patient",
            "patient_id",
            None,
            _f("cpr", S),  # personnummer DDMMYYSSSS; never logged
            _f("birth_date", D),  # foedselsdato
            _f("sex", INT),  # 1 male, 2 female (parity of the CPR's last digit)
        ),
        _table(
            "bopael",
            "bopael_id",
            "patient_id",  # UofficielBopael
            _f("patient_id", S, False),
            _f("municipality_code", S),  # kommuneKode
            _f("country_code", S),  # landeKode
            _f("valid_from", D),  # startDato
            _f("valid_to", D),  # slutDato
        ),
        _table(
            "forloebselement",
            "forloebselement_id",
            "patient_id",
            _f("patient_id", S, False),
            _f("start_time", TS),
            _f("end_time", TS),
            _f("responsible_unit", S),  # ansvarligEnhed (SOR)
            _f("label", S),  # forloebLabel
            _f("end_mode", S),  # afslutningsmaade
            _f("henvisning_id", S),
            _f("reference_id", S),  # reference.forloebElement
            _f("reference_type", S),  # reference.kode
            _f("reporter_type", S),  # LPR | PRIVATE | DUSAS_ABROAD | DUSAS_SPECIALITY
        ),
        _table(
            "kontakt",
            "kontakt_id",
            "forloebselement_id",
            _f("forloebselement_id", S, False),
            _f("patient_id", S, False),
            _f("start_time", TS),
            _f("end_time", TS),
            _f("treatment_start", TS),  # startBehandling
            _f("responsible_unit", S),
            _f("type", S),  # kontakttype ALCA..
            _f("priority", S),  # ATA1 acute, ATA3 planned
            _f("reason", S),  # kontaktAarsag ALCC..
            _f("henvisning_id", S),
        ),
        _table(
            "diagnose",
            "diagnose_id",
            "kontakt_id",
            _f("kontakt_id", S, False),
            _f("role", S),  # A = the contact's aktionsdiagnose slot, B = a bidiagnose
            _f("code", S),  # kode.primaerKode
            _f("addon_codes", CODES),  # kode.tillaegsKoder
            _f("art", S),  # diagnoseart (SKS code, list admin.diagart)
            _f("side", S),  # sideAngivelse
            _f("disproved", B),  # senere afkræftet
            _f("metastases", CODES),  # metastaser
            _f("local_recurrences", CODES),  # lokalRecidiver
        ),
        _table(
            "procedure",
            "procedure_id",
            "forloebselement_id",
            _f("forloebselement_id", S, False),
            _f("kontakt_id", S),  # null: the procedure hangs directly on the forløbselement
            _f("code", S),
            _f("addon_codes", CODES),
            _f("start_time", TS),
            _f("end_time", TS),
            _f("producer_unit", S),  # producent (SOR)
            _f("side", S),
            _f("action_spec", S),  # handlingSpec
            _f("contrast", S),  # anvendtKontrast
            _f("indication", S),  # indikation.primaerKode
            _f("indication_addons", CODES),  # indikation.tillaegsKoder
            _f("personnel", S),  # personaleKategori
            _f("betalingsoplysning_id", S),
            also=("kontakt_id",),
        ),
        _table(
            "henvisning",
            "henvisning_id",
            "patient_id",
            _f("patient_id", S, False),
            _f("time", TS),  # tidspunkt
            _f("reason_code", S),  # aarsag.primaerKode
            _f("reason_addons", CODES),  # aarsag.tillaegsKoder
            _f("method", S),  # henvisningsmaade
            _f("free_choice", S),  # fritvalg
            _f("referring_unit", S),
        ),
        _table(
            "opholdsadresse",
            "opholdsadresse_id",
            "kontakt_id",
            _f("kontakt_id", S, False),
            _f("start_time", TS),
            _f("end_time", TS),
            _f("unit", S),  # enhed (SOR)
            _f("absence", S),  # fravaer
        ),
        _table(
            "betalingsoplysning",
            "betalingsoplysning_id",
            "forloebselement_id",
            _f("forloebselement_id", S, False),
            _f("kontakt_id", S),  # null when it belongs to a procedure on the forløbselement
            _f("start_time", TS),
            _f("end_time", TS),
            _f("agreement", S),  # betalingAftale
            _f("payer", S),  # betaler
            _f("specialisation_level", S),  # specialiseringNiveau
            also=("kontakt_id",),
        ),
        _table(
            "forloebsmarkoer",
            "forloebsmarkoer_id",
            "forloebselement_id",
            _f("forloebselement_id", S, False),
            _f("code", S),
            _f("time", TS),
        ),
        _table(
            "resultatindberetning",
            "resultatindberetning_id",
            "forloebselement_id",
            _f("forloebselement_id", S, False),
            _f("name", S),  # RAA01..RAA10
            _f("trigger_type", S),  # forloebselement | kontakt | diagnose | procedure | forloebsmarkoer
            _f("trigger_id", S),
            _f("cause_start_time", TS),  # aarsagStartTidspunkt
            _f("cause_end_time", TS),  # aarsagSlutTidspunkt
            _f("status", S),  # RAS01 complete, RAS02 incomplete (resindb.status.suba / .subb)
            _f("responsible_unit", S),  # ansvarligEnhed (SOR)
        ),
        _table(
            "resultat",
            "resultat_id",
            "resultatindberetning_id",
            _f("resultatindberetning_id", S, False),
            _f("type", S),
            _f("value", S),
            _f("time", TS),
        ),
    ]
}

TABLE_NAMES: tuple[str, ...] = tuple(TABLES)


def table(name: str) -> Table:
    """The table definition, or a KeyError naming the known tables."""
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"unknown register table '{name}' (known: {', '.join(TABLE_NAMES)})") from None
