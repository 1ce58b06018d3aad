"""Authoring source of the curated SKS subset in reference/ (run: python tools/sks_subset.py).

Real SKS codes and texts where they are known; administrative LPR3 codes whose exact values we
could not verify are marked `illustrative` in the note column. Each code lists the named code
lists (kodelister) it belongs to; list membership is valid for the code's validity period.
"""

import csv
from pathlib import Path

LPR3 = "2019-01-01"
OLD = "1995-01-01"
# code, text, valid_from, valid_to, lists (space separated), note
CODES = [
    # contact types, priorities, contact reasons
    ("ALCA00", "Fysisk fremmøde", LPR3, "", "admin.konttype admin.konttype.fysfr", ""),
    ("ALCA01", "Udekontakt", LPR3, "", "admin.konttype admin.konttype.udeko", ""),
    ("ALCA03", "Virtuel kontakt", LPR3, "", "admin.konttype", ""),
    ("ALCA10", "Diagnoseindberetning", LPR3, "", "admin.konttype admin.konttype.diagindb", ""),
    ("ALCA20", "Død", LPR3, "", "admin.konttype admin.konttype.doed", "illustrative"),
    ("ATA1", "Akut", LPR3, "", "admin.prioritet admin.prioritet.akut", ""),
    ("ATA3", "Planlagt", LPR3, "", "admin.prioritet admin.prioritet.plan", ""),
    ("ALCC01", "Sygdom", LPR3, "", "admin.kontaarsag", ""),
    ("ALCC02", "Ulykke", LPR3, "", "admin.kontaarsag", ""),
    ("ALCC03", "Voldshandling", LPR3, "", "admin.kontaarsag", ""),
    ("ALCC04", "Selvmordsforsøg", LPR3, "", "admin.kontaarsag", ""),
    ("ALCC05", "Senfølge af ulykke", LPR3, "", "admin.kontaarsag", ""),
    # forløbselement: labels, end modes, reference types
    ("ALAL01", "Kræft", LPR3, "", "forloeb.label", ""),
    ("ALAL03", "Graviditet og fødsel", LPR3, "", "forloeb.label", "illustrative"),
    ("ALAL09", "Kronisk sygdom (KOL, diabetes)", LPR3, "", "forloeb.label", "illustrative"),
    ("ALAL90", "Andet sygdomsforløb", LPR3, "", "forloeb.label", "illustrative"),
    ("ALAL91", "Psykiatrisk forløb", LPR3, "", "forloeb.label", "illustrative"),
    ("ALAA01", "Afsluttet til primærsektor", LPR3, "", "admin.afslutmaade", "illustrative"),
    ("ALAA02", "Afsluttet til sygehusenhed", LPR3, "", "admin.afslutmaade", "illustrative"),
    ("ALAA03", "Afsluttet til andet", LPR3, "", "admin.afslutmaade", "illustrative"),
    ("ALAC70", "Død", LPR3, "", "admin.afslutmaade", ""),
    ("ALAR01", "Henvist i samme sygdomsforløb", LPR3, "", "forloeb.reftype forloeb.reftype.ident_id", "illustrative"),
    ("ALAR11", "Barn født i forløb", LPR3, "", "forloeb.reftype forloeb.reftype.diff_id", "illustrative"),
    # referrals
    ("ALDA11", "Henvist fra alment praktiserende læge", LPR3, "", "admin.henvmaade", "illustrative"),
    ("ALDA12", "Henvist fra praktiserende speciallæge", LPR3, "", "admin.henvmaade", "illustrative"),
    ("ALDA20", "Henvist fra sygehus", LPR3, "", "admin.henvmaade", "illustrative"),
    ("ALDA50", "Ingen henvisning (akut)", LPR3, "", "admin.henvmaade", "illustrative"),
    ("AFV01", "Fritvalg: ret til frit valg", LPR3, "", "admin.fritvalg", "illustrative"),
    ("AFV02", "Fritvalg: udvidet frit valg", LPR3, "", "admin.fritvalg", "illustrative"),
    # diagnosis art, laterality
    ("A", "Aktionsdiagnose", LPR3, "", "admin.diagart admin.diagart.aktdia", ""),
    ("B", "Bidiagnose", LPR3, "", "admin.diagart admin.diagart.bidiag", ""),
    ("TUL1", "Højre", OLD, "", "spec.lateraldiag spec.lateralproc", ""),
    ("TUL2", "Venstre", OLD, "", "spec.lateraldiag spec.lateralproc", ""),
    ("TUL3", "Dobbeltsidig", OLD, "", "spec.lateraldiag spec.lateralproc", ""),
    # opholdsadresse absence, payment
    ("ALFR01", "Fravær med tilladelse", LPR3, "", "admin.fravaer", "illustrative"),
    ("ALFR02", "Fravær uden tilladelse", LPR3, "", "admin.fravaer", "illustrative"),
    ("EAB1", "Sygehusbehandling i bopælsregion", LPR3, "", "admin.betalaftale", "illustrative"),
    ("EAB2", "Behandling efter frit sygehusvalg", LPR3, "", "admin.betalaftale", "illustrative"),
    ("EAB9", "Selvbetaler", LPR3, "", "admin.betalaftale", "illustrative"),
    ("EAR1", "Bopælsregion", LPR3, "", "admin.betaler", "illustrative"),
    ("EAR2", "Anden region", LPR3, "", "admin.betaler", "illustrative"),
    ("EAR9", "Patienten selv", LPR3, "", "admin.betaler", "illustrative"),
    ("EAS1", "Hovedfunktion", LPR3, "", "admin.specialeniv", "illustrative"),
    ("EAS2", "Regionsfunktion", LPR3, "", "admin.specialeniv", "illustrative"),
    ("EAS3", "Højt specialiseret funktion", LPR3, "", "admin.specialeniv", "illustrative"),
    # procedure specifications, personnel, treatment intent
    ("TPH1", "Handlingsspecifikation: indsættelse", LPR3, "", "spec.handspec", "illustrative"),
    ("TPH2", "Handlingsspecifikation: fjernelse", LPR3, "", "spec.handspec", "illustrative"),
    ("TPK1", "Med kontrast", LPR3, "", "spec.anvkontrast", "illustrative"),
    ("TPK0", "Uden kontrast", LPR3, "", "spec.anvkontrast", "illustrative"),
    ("ALPE01", "Læge", LPR3, "", "admin.personale", "illustrative"),
    ("ALPE02", "Sygeplejerske", LPR3, "", "admin.personale", "illustrative"),
    ("ALBS01", "Behandlingssigte: kurativ", LPR3, "", "admin.behandsigte", "illustrative"),
    # forløbsmarkører (cancer pathway), result reports
    ("AFA01A", "Kræftpakkeforløb: henvisning modtaget", LPR3, "", "forloeb.markoer", "illustrative"),
    ("AFA01F1", "Kræftpakkeforløb: initial behandling start", LPR3, "", "forloeb.markoer", "illustrative"),
    ("RAA01", "Resultatindberetning: kræft", LPR3, "", "res.navn", ""),
    ("RDA10", "Resultattype: stadie", LPR3, "", "res.type", "illustrative"),
    ("RDA11", "Resultattype: TNM-T", LPR3, "", "res.type", "illustrative"),
    ("RAA09", "Resultatindberetning: komplikationer til operation", LPR3, "", "res.navn", "illustrative"),
    ("RDA85", "Resultattype: komplikation efter Clavien-Dindo", LPR3, "", "res.type", "illustrative"),
    ("RCL0", "Clavien-Dindo: ingen komplikation", LPR3, "", "res.clavien", "illustrative"),
    ("RCL2", "Clavien-Dindo: grad II", LPR3, "", "res.clavien res.clavien.suba", "illustrative"),
    ("RCL4", "Clavien-Dindo: grad IV", LPR3, "", "res.clavien res.clavien.suba", "illustrative"),
    # diagnoses: chronic (COPD, diabetes), cardio, infections, injuries, cancer, births, psychiatry
    ("DJ441", "KOL med akut eksacerbation", OLD, "", "diag", ""),
    ("DJ449", "Kronisk obstruktiv lungesygdom UNS", OLD, "", "diag", ""),
    ("DE109", "Type 1-diabetes uden komplikationer", OLD, "", "diag", ""),
    ("DE119", "Type 2-diabetes uden komplikationer", OLD, "", "diag", ""),
    ("DE139", "Anden form for diabetes uden komplikationer", OLD, "", "diag", ""),
    ("DE149", "Diabetes UNS uden komplikationer", OLD, "", "diag", ""),
    ("DI209", "Angina pectoris UNS", OLD, "", "diag", ""),
    ("DI219", "Akut myokardieinfarkt UNS", OLD, "", "diag", ""),
    ("DI509", "Hjerteinsufficiens UNS", OLD, "", "diag", ""),
    ("DI109", "Essentiel hypertension", OLD, "", "diag", ""),
    ("DI639", "Hjerneinfarkt UNS", OLD, "", "diag", ""),
    ("DJ189", "Pneumoni UNS", OLD, "", "diag", ""),
    ("DN390", "Urinvejsinfektion UNS", OLD, "", "diag", ""),
    ("DK359", "Akut appendicitis UNS", OLD, "", "diag", ""),
    ("DK802", "Galdesten uden kolecystitis", OLD, "", "diag", ""),
    ("DM169", "Hofteartrose UNS", OLD, "", "diag diag.lateral", ""),
    ("DM179", "Knæartrose UNS", OLD, "", "diag diag.lateral", ""),
    ("DH251", "Aldersbetinget kernekatarakt", OLD, "", "diag diag.lateral", ""),
    ("DR074", "Brystsmerter UNS", OLD, "", "diag", ""),
    ("DR509", "Feber UNS", OLD, "", "diag", ""),
    ("DR101", "Smerter lokaliseret til øvre abdomen", OLD, "", "diag", ""),
    ("DZ039", "Obs. pga. mistanke om sygdom UNS", OLD, "", "diag", ""),
    ("DZ515", "Palliativ behandling", OLD, "", "diag", ""),
    ("DZ500", "Genoptræning efter hjertesygdom", OLD, "", "diag", ""),
    ("DZ508", "Anden genoptræning", OLD, "", "diag", ""),
    ("DS720", "Fraktur af lårbenshals", OLD, "", "diag diag.lateral", ""),
    ("DS525", "Fraktur af distale ende af radius", OLD, "", "diag diag.lateral", ""),
    ("DS060", "Hjernerystelse", OLD, "", "diag", ""),
    ("DS934", "Forstuvning af ankel", OLD, "", "diag diag.lateral", ""),
    ("DC189", "Kræft i tyktarm UNS", OLD, "", "diag diag.primkraeft", ""),
    ("DC509", "Kræft i bryst UNS", OLD, "", "diag diag.primkraeft diag.lateral", ""),
    ("DC619", "Kræft i blærehalskirtel", OLD, "", "diag diag.primkraeft", ""),
    ("DC349", "Kræft i lunge UNS", OLD, "", "diag diag.primkraeft", ""),
    ("DC787", "Metastase i lever", OLD, "", "diag diag.metastase", ""),
    ("DC795", "Metastase i knogle", OLD, "", "diag diag.metastase", ""),
    ("AZCD10", "Fjernmetastaser: ingen", LPR3, "", "diag.metastase", "illustrative"),
    ("AZCD11", "Fjernmetastaser: ja", LPR3, "", "diag.metastase", "illustrative"),
    ("AZCK0", "Lokalrecidiv: ingen", LPR3, "", "diag.lokalrecidiv", "illustrative"),
    ("AZCK1", "Lokalrecidiv: ja", LPR3, "", "diag.lokalrecidiv", "illustrative"),
    ("DO800", "Spontan fødsel af enkeltbarn", OLD, "", "diag diag.foedmor", ""),
    ("DO829", "Fødsel ved kejsersnit UNS", OLD, "", "diag diag.foedmor", ""),
    ("DZ380", "Enkeltbarn født på hospital", OLD, "", "diag diag.foedbarn diag.foedbarn.vital", ""),
    ("DP95", "Dødfødt foster", OLD, "", "diag diag.foedbarn diag.foedbarn.doed", ""),
    ("DO049", "Provokeret abort", OLD, "", "diag diag.abort.samraad", ""),
    (
        "DO601",
        "Fødsel efter provokeret abortindgreb (samråd)",
        OLD,
        "",
        "diag diag.foedmor diag.foedmor.samraad",
        "illustrative",
    ),
    ("DR991", "Død uden kendt årsag", OLD, "", "diag diag.doed", "illustrative"),
    ("DX609", "Selvforgiftning med analgetika", OLD, "", "diag diag.ydreaarsag", ""),
    ("DF209", "Paranoid skizofreni UNS", OLD, "", "diag", ""),
    ("DF329", "Depressiv enkeltepisode UNS", OLD, "", "diag", ""),
    ("DF102", "Alkoholafhængighed", OLD, "", "diag", ""),
    ("DF900", "ADHD", OLD, "", "diag", ""),
    ("DF419", "Angsttilstand UNS", OLD, "", "diag", ""),
    ("DT818", "Anden komplikation til procedure", OLD, "", "diag diag.kirkomplikat", ""),
    ("DR539", "Utilpashed og træthed", OLD, "2018-12-31", "diag", "illustrative expired code"),
    # procedures: operations (NCSP K), imaging (U), treatments (B), other (Z/W/N)
    ("KNFB20", "Primær total hoftealloplastik uden cement", OLD, "", "proc.opr proc.lateral", ""),
    ("KNGB20", "Primær total knæalloplastik uden cement", OLD, "", "proc.opr proc.lateral", ""),
    ("KNFJ51", "Osteosyntese af lårbenshalsfraktur", OLD, "", "proc.opr proc.lateral", ""),
    ("KJEA01", "Laparoskopisk appendektomi", OLD, "", "proc.opr", ""),
    ("KJKA21", "Laparoskopisk kolecystektomi", OLD, "", "proc.opr", ""),
    ("KJFB20", "Højresidig hemikolektomi", OLD, "", "proc.opr proc.opr.komplikat", ""),
    ("KFNG05", "Perkutan koronar angioplastik med stent", OLD, "", "proc.opr", ""),
    ("KCJE20", "Fakoemulsifikation af linse", OLD, "", "proc.opr proc.lateral", ""),
    ("KMCA10", "Kejsersnit", OLD, "", "proc.opr", ""),
    ("KHAC10", "Lumpektomi", OLD, "", "proc.opr proc.lateral", ""),
    ("KPEA99", "Indsættelse eller fjernelse af implantat", OLD, "", "proc.opr proc.handling", "illustrative"),
    ("UXRC00", "Røntgenundersøgelse af thorax", OLD, "", "proc.und", ""),
    ("UXCA00", "CT-skanning af hjerne", OLD, "", "proc.und proc.kontrast", ""),
    ("UXMA00", "MR-skanning af hjerne", OLD, "", "proc.und proc.kontrast", ""),
    ("UXUD00", "Ultralydsundersøgelse af abdomen", OLD, "", "proc.und", ""),
    ("BWAA31", "Blodtransfusion", OLD, "", "proc.act", ""),
    ("BGDA1", "Iltbehandling", OLD, "", "proc.act proc.sluttid", "illustrative"),
    ("BWHA1", "Kemoterapi", OLD, "", "proc.act", "illustrative"),
    ("BLHA1", "Specialiseret genoptræning, basalt niveau (GEN1A)", LPR3, "", "proc.act", "illustrative"),
    ("BLHA2", "Specialiseret genoptræning, avanceret niveau (GEN2A)", LPR3, "", "proc.act", "illustrative"),
    ("BLHA3", "Specialiseret genoptræning, højt specialiseret (GEN3A)", LPR3, "", "proc.act", "illustrative"),
    ("BRSP1", "Psykoterapeutisk samtale", OLD, "", "proc.act", "illustrative"),
    ("ZZ0149", "Kontrolundersøgelse", OLD, "", "proc.act", "illustrative"),
    ("ZZ0185", "Færdigbehandlet, venter på kommunal plads", LPR3, "", "proc.act proc.sluttid", "illustrative"),
    (
        "BVAA33",
        "Tvangstilbageholdelse af somatisk inhabil patient",
        LPR3,
        "",
        "proc.act proc.inhabil.subb",
        "illustrative",
    ),
]


def main() -> None:
    ref = Path(__file__).resolve().parents[1] / "reference"
    with (ref / "sks_codes.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["code", "text", "valid_from", "valid_to", "note"])
        for code, text, vf, vt, _lists, note in CODES:
            w.writerow([code, text, vf, vt, note])
    with (ref / "sks_code_lists.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["list_name", "code", "valid_from", "valid_to"])
        for code, _text, vf, vt, lists, _note in CODES:
            for name in lists.split():
                w.writerow([name, code, vf, vt])


if __name__ == "__main__":
    main()
