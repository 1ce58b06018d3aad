"""Frames of forløbselementer, their henvisninger, markers and the patient's residence (read by
expectations/rules/forloebselementer.py)."""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from expectations.frames.base import Frame, Lookups, code_rows, no_time, std
from lprflow.config import integrity_config


def _with_birth_date(look: Lookups, df: DataFrame) -> DataFrame:
    pat = look.r["patient"].select(
        F.col("patient_id").alias("pat_id"), F.col("birth_date"), F.col("cpr").alias("patient_cpr")
    )
    return df.join(pat, df["patient_id"] == pat["pat_id"], "left")


def fe_frame(look: Lookups) -> Frame:
    """Frame `forloebselement`: each forløbselement with the patient's birth_date, its henvisning's time
    (h_time), the forløbselement it references (ref_start, ref_patient, ref_same_person: the same person by CPR,
    or by patient row where a CPR is missing), its unit (unit__from, unit__to, unit__gaps, unit__psych,
    unit__hospital) and codes label__from, label__to, label__gaps, label__lists, end_mode__from, end_mode__to,
    end_mode__gaps, end_mode__lists, reftype__from, reftype__to, reftype__gaps, reftype__lists (of its
    reference_type)."""
    f = _with_birth_date(look, look.r["forloebselement"])
    h = look.r["henvisning"].select(F.col("henvisning_id").alias("h_id"), F.col("time").alias("h_time"))
    f = f.join(h, f["henvisning_id"] == h["h_id"], "left")
    ref = look.r["forloebselement"].select(
        F.col("forloebselement_id").alias("ref_id"),
        F.col("start_time").alias("ref_start"),
        F.col("patient_id").alias("ref_patient"),
    )
    ref_cpr = look.r["patient"].select(F.col("patient_id").alias("rp_id"), F.col("cpr").alias("ref_cpr"))
    ref = ref.join(ref_cpr, ref["ref_patient"] == ref_cpr["rp_id"], "left").drop("rp_id")
    f = f.join(ref, f["reference_id"] == ref["ref_id"], "left")
    # erSammePatient: the same person (CPR) when both numbers are known, else the same patient row
    both = F.col("patient_cpr").isNotNull() & F.col("ref_cpr").isNotNull()
    f = f.withColumn(
        "ref_same_person",
        F.when(both, F.col("patient_cpr") == F.col("ref_cpr")).otherwise(F.col("ref_patient") == F.col("patient_id")),
    )
    f = look.unit(f, "responsible_unit", "unit")
    f = look.codes(f, {"label": "label", "end_mode": "end_mode", "reference_type": "reftype"})
    df = std(
        f,
        object_id="forloebselement_id",
        fe=F.col("forloebselement_id"),
        unit=F.col("responsible_unit"),
        month=F.col("start_time"),
        reporter=F.col("reporter_type"),
        fe_start=F.col("start_time"),
    )
    return Frame("forloebselement", "forloebselement", df)


def henvisning_frames(look: Lookups) -> tuple[Frame, Frame]:
    """Frames `henvisning` (each henvisning with the patient's birth_date, the first forløbselement it started
    as struct `hf`, and codes reason__from, reason__to, reason__gaps, reason__lists (of its reason_code),
    method__from, method__to, method__gaps, method__lists, free_choice__from, free_choice__to,
    free_choice__gaps, free_choice__lists) and `henvisning_codes` (one row per reason add-on code `x`, code_kind
    T, with x__*)."""
    h = _with_birth_date(look, look.r["henvisning"])
    fe = (
        look.r["forloebselement"]
        .where(F.col("henvisning_id").isNotNull())
        .groupBy(F.col("henvisning_id").alias("hf_id"))
        .agg(F.min(F.struct("start_time", "forloebselement_id", "reporter_type", "responsible_unit")).alias("hf"))
    )
    h = h.join(fe, h["henvisning_id"] == fe["hf_id"], "left")
    h = look.codes(h, {"reason_code": "reason", "method": "method", "free_choice": "free_choice"})
    standard = dict(
        object_id="henvisning_id",
        fe=F.col("hf.forloebselement_id"),
        unit=F.coalesce("hf.responsible_unit", "referring_unit"),
        month=F.col("time"),
        reporter=F.col("hf.reporter_type"),
        fe_start=F.col("hf.start_time"),
    )
    main = Frame("henvisning", "henvisning", std(h, **standard))
    addons = look.codes(code_rows(h, ["*"], {"T": "reason_addons"}), {"x": "x"})
    return main, Frame("henvisning_codes", "henvisning", std(addons, **standard))


def marker_frame(look: Lookups) -> Frame:
    """Frame `forloebsmarkoer`: each marker with its forløbselement (fe_*) and code__*."""
    m = look.r["forloebsmarkoer"]
    m = m.join(look.fe_base(), m["forloebselement_id"] == F.col("fe_id"), "left")
    m = look.codes(m, {"code": "code"})
    df = std(
        m,
        object_id="forloebsmarkoer_id",
        fe=F.col("forloebselement_id"),
        unit=F.col("fe_unit"),
        month=F.col("time"),
        reporter=F.col("fe_reporter"),
        fe_start=F.col("fe_start"),
    )
    return Frame("forloebsmarkoer", "forloebsmarkoer", df)


def bopael_frame(look: Lookups) -> Frame:
    """Frame `bopael`: each residence as reported, nested under its patient, with
    municipality__known (the code is in the reference list or an accepted special code)."""
    no_id = F.lit(None).cast("string")
    special = integrity_config().special_municipality_codes
    df = std(
        look.municipality(look.r["bopael"], "municipality_code", "municipality", special),
        object_id="bopael_id",
        fe=no_id,
        unit=no_id,
        month=F.col("valid_from").cast("timestamp"),
        reporter=F.lit("LPR"),
        fe_start=no_time(),
        parent=F.col("patient_id"),
    )
    return Frame("bopael", "bopael", df)


def patient_frame(look: Lookups) -> Frame:
    """Frame `patient`: each patient as reported (no joins); read by the CPR integrity checks."""
    no_id = F.lit(None).cast("string")
    df = std(
        look.r["patient"],
        object_id="patient_id",
        fe=no_id,
        unit=no_id,
        month=F.lit(None).cast("timestamp"),
        reporter=F.lit("LPR"),
        fe_start=no_time(),
    )
    return Frame("patient", "patient", df)
