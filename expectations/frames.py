"""Evaluation frames: one enriched DataFrame per object type, built once per run.

Every join and aggregate the rules need is made here, once, and shared by all rules on a frame
(never per rule). Reference tables (SKS code info, SOR units) are broadcast. Each frame carries:

  _object_id   the id of the object the frame is about
  _parent_id   its contact (diagnoses, procedures, opholdsadresser, payments), result report
               (results) or patient (residence): where it nests in the error list's JSON form
  _fe_id       the forløbselement the object hangs under (for the error list's JSON form)
  _unit        the responsible SOR unit shown in the error list
  _month_ts    the time the error list's month is taken from
  _reporter    the reporter type (rule scopes)
  _w_fe_start, _w_c_start, _w_c_end   times the rules' validity windows are tested on
  reported_at, region
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pyspark import StorageLevel
from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from expectations import columns as C
from lprflow.reference import Reference


@dataclass(frozen=True)
class Frame:
    name: str
    object_type: str
    df: DataFrame


def _std(
    df: DataFrame,
    obj: str,
    fe: Column,
    unit: Column,
    month: Column,
    reporter: Column,
    fe_start: Column,
    c_start: Column | None = None,
    c_end: Column | None = None,
    parent: Column | None = None,
) -> DataFrame:
    no_time = F.lit(None).cast("timestamp")
    return df.select(
        "*",
        F.col(obj).alias("_object_id"),
        (parent if parent is not None else F.lit(None).cast("string")).alias("_parent_id"),
        fe.alias("_fe_id"),
        unit.alias("_unit"),
        month.alias("_month_ts"),
        F.coalesce(reporter, F.lit("LPR")).alias("_reporter"),
        fe_start.alias("_w_fe_start"),
        (c_start if c_start is not None else no_time).alias("_w_c_start"),
        (c_end if c_end is not None else no_time).alias("_w_c_end"),
    )


def _tagger(kind: str):
    """A one-argument lambda for F.transform (a second argument would receive the index)."""
    return lambda x: F.struct(F.lit(kind).alias("kind"), x.alias("x"))


def _code_rows(df: DataFrame, keep: list, arrays: dict[str, str]) -> DataFrame:
    """One row per code in the given array columns: `kind` (the dict key) and `x` (the code)."""
    tagged = F.concat(*[F.transform(F.coalesce(col, F.array()), _tagger(kind)) for kind, col in arrays.items()])
    return (
        df.select(*keep, F.explode(tagged).alias("e"))
        .select("*", F.col("e.kind").alias("kind"), F.col("e.x").alias("x"))
        .drop("e")
    )


def _contact_child(df: DataFrame, obj: str) -> DataFrame:
    """_std for an object hanging on a contact (joined with k_base)."""
    return _std(
        df,
        obj,
        F.col("k_fe_id"),
        F.col("k_unit"),
        F.col("k_start"),
        F.col("fe_reporter"),
        F.col("fe_start"),
        F.col("k_start"),
        F.col("k_end"),
        F.col("kontakt_id"),
    )


def _procedure_std(df: DataFrame) -> DataFrame:
    return _std(
        df,
        "procedure_id",
        F.col("forloebselement_id"),
        F.col("producer_unit"),
        F.col("start_time"),
        F.col("fe_reporter"),
        F.col("fe_start"),
        F.col("k_start"),
        F.col("k_end"),
        F.col("kontakt_id"),
    )


class FrameBuilder:
    """Builds every evaluation frame from an as-of register."""

    def __init__(self, register: dict[str, DataFrame], reference: Reference) -> None:
        self.r = register
        info = reference.code_info
        self._codes = F.broadcast(info)
        self._sor = F.broadcast(
            reference.sor_units.select("sor_id", "valid_from", "valid_to", "psychiatric", "hospital_id")
        )
        self._kctx: DataFrame | None = None  # the persisted contact context, once built

    def __enter__(self) -> FrameBuilder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def release(self) -> None:
        """Drop what the builder persisted (call when the run's outputs are written)."""
        if self._kctx is not None:
            self._kctx.unpersist()
            self._kctx = None

    # ------------------------------------------------------------------ reference joins
    def codes(self, df: DataFrame, attrs: dict[str, str]) -> DataFrame:
        """Join SKS info for each source column → attribute prefix (x__from, x__to, x__lists)."""
        for src, attr in attrs.items():
            info = self._codes.select(
                F.col("code").alias(f"{attr}__code"),
                F.col("valid_from").alias(f"{attr}__from"),
                F.col("valid_to").alias(f"{attr}__to"),
                F.col("lists").alias(f"{attr}__lists"),
            )
            df = df.join(info, df[src] == info[f"{attr}__code"], "left").drop(f"{attr}__code")
            df = df.withColumn(
                f"{attr}__lists",
                F.coalesce(f"{attr}__lists", F.create_map().cast(info.schema[f"{attr}__lists"].dataType)),
            )
        return df

    def unit(self, df: DataFrame, src: str, attr: str) -> DataFrame:
        """Join SOR info (u__from, u__to, u__psych, u__hospital) for a unit column."""
        info = self._sor.select(
            F.col("sor_id").alias(f"{attr}__id"),
            F.col("valid_from").alias(f"{attr}__from"),
            F.col("valid_to").alias(f"{attr}__to"),
            F.col("psychiatric").alias(f"{attr}__psych"),
            F.col("hospital_id").alias(f"{attr}__hospital"),
        )
        return df.join(info, df[src] == info[f"{attr}__id"], "left").drop(f"{attr}__id")

    # ------------------------------------------------------------------ shared bases
    def fe_base(self) -> DataFrame:
        return self.r["forloebselement"].select(
            F.col("forloebselement_id").alias("fe_id"),
            F.col("start_time").alias("fe_start"),
            F.col("end_time").alias("fe_end"),
            F.col("reporter_type").alias("fe_reporter"),
            F.col("responsible_unit").alias("fe_unit"),
        )

    def k_base(self) -> DataFrame:
        """The contact context every contact child needs (contact ⋈ forløbselement ⋈ SOR ⋈ type),
        built once per run: narrow, partitioned by contact id and persisted, so the diagnoses,
        opholdsadresser, payments, procedures and the contact frame join it without recomputing
        the contact's and forløbselement's as-of state or shuffling it again."""
        if self._kctx is None:
            k = self.r["kontakt"].select(
                F.col("kontakt_id").alias("k_id"),
                F.col("forloebselement_id").alias("k_fe_id"),
                F.col("start_time").alias("k_start"),
                F.col("end_time").alias("k_end"),
                F.col("responsible_unit").alias("k_unit"),
                F.col("type").alias("k_type"),
            )
            k = k.join(self.fe_base(), k["k_fe_id"] == F.col("fe_id"), "left").drop("fe_id")
            k = self.codes(self.unit(k, "k_unit", "ku"), {"k_type": "ktype"})
            self._kctx = k.repartition("k_id").persist(StorageLevel.MEMORY_AND_DISK)
        return self._kctx

    # ------------------------------------------------------------------ diagnoses
    # code list → flag column on a diagnosis: its code is on the list at some time in the contact
    _WITHIN_FLAGS = {
        "diag": "f_diag",
        "diag.lateral": "f_lateral",
        "diag.foedbarn": "f_foedbarn",
        "diag.foedmor": "f_foedmor",
        "diag.ydreaarsag": "f_ydre",
        "diag.metastase": "f_metastase",
        "diag.primkraeft": "f_primkraeft",
        "diag.lokalrecidiv": "f_lokalrecidiv",
        "diag.foedbarn.vital": "f_foedbarn_vital",
        "diag.foedbarn.doed": "f_foedbarn_doed",
        "diag.foedmor.samraad": "f_foedmor_samraad",
        "diag.abort.samraad": "f_abort_samraad",
    }
    # ... and at the contact's start
    _AT_START_FLAGS = {"diag.doed": "f_doed_at_start"}

    def _with_flags(self, d: DataFrame, names: frozenset[str] | None = None) -> DataFrame:
        """The diagnosis flags (all, or those named) of rows carrying code__lists, k_start, k_end."""
        flags = [
            C.in_list_within("code", lst, "k_start", "k_end").alias(name)
            for lst, name in self._WITHIN_FLAGS.items()
            if names is None or name in names
        ]
        flags += [
            C.in_list_at("code", lst, "k_start").alias(name)
            for lst, name in self._AT_START_FLAGS.items()
            if names is None or name in names
        ]
        return d.select("*", *flags)

    def diagnose_base(self) -> DataFrame:
        d = self.r["diagnose"]
        d = d.join(self.k_base(), d["kontakt_id"] == F.col("k_id"), "left")
        d = self.codes(d, {"code": "code", "art": "art", "side": "side"})
        return self._with_flags(d)

    @staticmethod
    def _diagnose_aggregate_columns(over: Window | None = None) -> dict[str, Column]:
        """Per contact: what its aktionsdiagnose and bidiagnoser are (for contact-level rules);
        aggregates, or window functions `over` the contact."""
        a, b = F.col("role") == "A", F.col("role") == "B"

        def agg(c: Column) -> Column:
            return c if over is None else c.over(over)

        def any_(cond: Column) -> Column:
            return agg(F.max(F.when(cond, 1).otherwise(0))).cast("boolean")

        return {
            "a_count": agg(F.sum(F.when(a, 1).otherwise(0))),
            "a_primkraeft": any_(a & F.col("f_primkraeft")),
            "a_metastase": any_(a & F.col("f_metastase")),
            "a_lokalrecidiv": any_(a & F.col("f_lokalrecidiv")),
            "a_doed": any_(a & F.col("f_doed_at_start")),
            "a_foedmor": any_(a & F.col("f_foedmor")),
            "a_foedbarn_vital": any_(a & F.col("f_foedbarn_vital")),
            "a_foedbarn_doed": any_(a & F.col("f_foedbarn_doed")),
            "a_foedmor_samraad": any_(a & F.col("f_foedmor_samraad")),
            "b_primkraeft_n": agg(F.sum(F.when(b & F.col("f_primkraeft"), 1).otherwise(0))),
            "b_abort_samraad": any_(b & F.col("f_abort_samraad")),
        }

    def diagnose_aggregates(self) -> DataFrame:
        """The per-contact diagnosis aggregates, one row per contact (joined to the kontakt frame).

        Only the count of aktionsdiagnoser needs every diagnosis; the other aggregates are true
        only for codes on one of their code lists, so only diagnoses with such a code (a broadcast
        semi-join on the code table) are joined with their contact and flagged.
        """
        d = self.r["diagnose"].where(F.col("kontakt_id").isNotNull())
        counts = d.groupBy(F.col("kontakt_id").alias("agg_kontakt_id")).agg(
            F.sum(F.when(F.col("role") == "A", 1).otherwise(0)).alias("a_count")
        )
        columns = {n: c for n, c in self._diagnose_aggregate_columns().items() if n != "a_count"}
        # the flags those aggregates read (a flag missed here would fail analysis, not pass silently)
        used = frozenset(f for c in columns.values() for f in re.findall(r"\bf_\w+\b", str(c)))
        lists = [lst for lst, n in {**self._WITHIN_FLAGS, **self._AT_START_FLAGS}.items() if n in used]
        listed = self._codes.where(F.arrays_overlap(F.map_keys("lists"), F.array(*map(F.lit, lists)))).select(
            F.col("code").alias("listed_code")
        )
        sub = d.join(F.broadcast(listed), d["code"] == F.col("listed_code"), "left_semi")
        sub = sub.join(self.k_base().select("k_id", "k_start", "k_end"), F.col("kontakt_id") == F.col("k_id"), "left")
        sub = self._with_flags(self.codes(sub, {"code": "code"}), used)
        flagged = sub.groupBy(F.col("kontakt_id").alias("flag_kontakt_id")).agg(
            *[c.alias(n) for n, c in columns.items()]
        )
        return counts.join(flagged, counts["agg_kontakt_id"] == flagged["flag_kontakt_id"], "left").drop(
            "flag_kontakt_id"
        )

    def diagnose_frame(self, d: DataFrame) -> Frame:
        """Each diagnosis with its contact's aggregates, taken over a window on the contact: `d` is
        already partitioned and sorted by contact after its join, so this costs no second pass."""
        per_contact = Window.partitionBy("kontakt_id")
        aggs = [c.alias(n) for n, c in self._diagnose_aggregate_columns(per_contact).items()]
        return Frame("diagnose", "diagnose", _contact_child(d.select("*", *aggs), "diagnose_id"))

    def diagnose_codes_frame(self, d: DataFrame) -> Frame:
        """One row per add-on, metastasis or local-recurrence code of a diagnosis."""
        keep = [
            "diagnose_id",
            "kontakt_id",
            "k_fe_id",
            "k_unit",
            "k_start",
            "k_end",
            "fe_reporter",
            "fe_start",
            "reported_at",
            "region",
            F.col("code__from").alias("primary__from"),
            F.col("code__to").alias("primary__to"),
        ]
        base = _code_rows(d, keep, {"T": "addon_codes", "M": "metastases", "L": "local_recurrences"})
        return Frame("diagnose_codes", "diagnose", _contact_child(self.codes(base, {"x": "x"}), "diagnose_id"))

    # ------------------------------------------------------------------ opholdsadresser and payments
    def interval_aggregates(self, df: DataFrame, prefix: str) -> DataFrame:
        """Per contact, from the intervals' own state (no contact join): count, the start and end
        times (tested against the contact's in the kontakt frame) and whether they tile."""
        ivs = F.array_sort(F.collect_list(F.struct(F.col("start_time").alias("s"), F.col("end_time").alias("e"))))
        agg = (
            df.where(F.col("kontakt_id").isNotNull())
            .groupBy(F.col("kontakt_id").alias(f"{prefix}_kontakt_id"))
            .agg(
                F.count(F.lit(1)).alias(f"{prefix}_n"),
                F.collect_list("start_time").alias(f"{prefix}_starts"),
                F.collect_list("end_time").alias(f"{prefix}_ends"),
                ivs.alias("_ivs"),
            )
        )
        broken = F.exists(
            F.sequence(F.lit(1), F.greatest(F.size("_ivs") - 1, F.lit(1))),
            lambda i: (
                (F.size("_ivs") > 1)
                & (
                    F.element_at("_ivs", i)["e"].isNull()
                    | (F.element_at("_ivs", i + 1)["s"] != F.element_at("_ivs", i)["e"])
                )
            ),
        )
        return agg.select("*", broken.alias(f"{prefix}_tiling_broken")).drop("_ivs")

    def ophold_base(self) -> DataFrame:
        o = self.r["opholdsadresse"]
        o = o.join(self.k_base(), o["kontakt_id"] == F.col("k_id"), "left")
        o = self.unit(o, "unit", "u")
        return self.codes(o, {"absence": "absence"})

    def ophold_frame(self, o: DataFrame) -> Frame:
        return Frame("opholdsadresse", "opholdsadresse", _contact_child(o, "opholdsadresse_id"))

    def payment_base(self) -> DataFrame:
        b = self.r["betalingsoplysning"]
        b = b.join(self.k_base(), b["kontakt_id"] == F.col("k_id"), "left")
        b = b.join(
            self.fe_base().select(
                F.col("fe_id").alias("b_fe_id"),
                F.col("fe_reporter").alias("b_reporter"),
                F.col("fe_start").alias("b_fe_start"),
                F.col("fe_unit").alias("b_fe_unit"),
            ),
            b["forloebselement_id"] == F.col("b_fe_id"),
            "left",
        )
        return self.codes(b, {"agreement": "agreement", "payer": "payer", "specialisation_level": "speclevel"})

    def payment_frame(self, b: DataFrame) -> Frame:
        df = _std(
            b,
            "betalingsoplysning_id",
            F.col("forloebselement_id"),
            F.coalesce("k_unit", "b_fe_unit"),
            F.coalesce("k_start", "start_time"),
            F.col("b_reporter"),
            F.col("b_fe_start"),
            F.col("k_start"),
            F.col("k_end"),
            F.col("kontakt_id"),
        )
        return Frame("betalingsoplysning", "betalingsoplysning", df)

    # ------------------------------------------------------------------ contacts
    def kontakt_frame(self, d_agg: DataFrame, o_agg: DataFrame, p_agg: DataFrame) -> Frame:
        k = self.r["kontakt"]
        ctx = self.k_base().select(
            "k_id",
            "fe_start",
            "fe_end",
            "fe_reporter",
            "fe_unit",
            *[F.col(f"ku__{a}").alias(f"unit__{a}") for a in ("from", "to", "psych", "hospital")],
            *[F.col(f"ktype__{a}").alias(f"type__{a}") for a in ("from", "to", "lists")],
        )
        k = k.join(ctx, k["kontakt_id"] == ctx["k_id"], "left").drop("k_id")
        k = self.codes(k, {"priority": "priority", "reason": "reason"})
        h = self.r["henvisning"].select(F.col("henvisning_id").alias("h_id"), F.col("time").alias("h_time"))
        k = k.join(h, k["henvisning_id"] == h["h_id"], "left")
        k = k.join(d_agg, k["kontakt_id"] == d_agg["agg_kontakt_id"], "left")
        k = k.join(o_agg, k["kontakt_id"] == o_agg["o_kontakt_id"], "left")
        k = k.join(p_agg, k["kontakt_id"] == p_agg["p_kontakt_id"], "left")
        k = k.fillna(0, subset=["a_count", "o_n", "p_n", "b_primkraeft_n"])
        # whether some interval starts / ends with the contact (null when none does or can)
        k = k.select(
            "*",
            *[
                F.array_contains(f"{x}_{side}s", F.col(t)).alias(f"{x}_{side}_eq")
                for x in ("o", "p")
                for side, t in (("start", "start_time"), ("end", "end_time"))
            ],
        )
        df = _std(
            k,
            "kontakt_id",
            F.col("forloebselement_id"),
            F.col("responsible_unit"),
            F.col("start_time"),
            F.col("fe_reporter"),
            F.col("fe_start"),
            F.col("start_time"),
            F.col("end_time"),
        )
        return Frame("kontakt", "kontakt", df)

    # ------------------------------------------------------------------ procedures
    def procedure_base(self) -> DataFrame:
        p = self.r["procedure"]
        p = p.join(
            self.k_base().drop("fe_start", "fe_end", "fe_reporter", "fe_unit"), p["kontakt_id"] == F.col("k_id"), "left"
        )
        p = p.join(self.fe_base(), p["forloebselement_id"] == F.col("fe_id"), "left")
        p = self.unit(p, "producer_unit", "producer")
        pay = self.r["betalingsoplysning"].select(
            F.col("betalingsoplysning_id").alias("pay_id"),
            F.col("start_time").alias("pay_start"),
            F.col("end_time").alias("pay_end"),
        )
        p = p.join(pay, p["betalingsoplysning_id"] == pay["pay_id"], "left")
        return self.codes(
            p,
            {
                "code": "code",
                "side": "side",
                "action_spec": "action",
                "contrast": "contrast",
                "indication": "indication",
                "personnel": "personnel",
            },
        )

    def procedure_frame(self, p: DataFrame) -> Frame:
        return Frame("procedure", "procedure", _procedure_std(p))

    def procedure_codes_frame(self, p: DataFrame) -> Frame:
        keep = [
            "procedure_id",
            "kontakt_id",
            "forloebselement_id",
            "producer_unit",
            "start_time",
            "fe_reporter",
            "fe_start",
            "k_start",
            "k_end",
            "indication",
            "reported_at",
            "region",
        ]
        base = _code_rows(p, keep, {"T": "addon_codes", "I": "indication_addons"})
        return Frame("procedure_codes", "procedure", _procedure_std(self.codes(base, {"x": "x"})))

    # ------------------------------------------------------------------ forløbselement and its other objects
    def fe_frame(self) -> Frame:
        f = self.r["forloebselement"]
        pat = self.r["patient"].select(F.col("patient_id").alias("pat_id"), F.col("birth_date"))
        f = f.join(pat, f["patient_id"] == pat["pat_id"], "left")
        h = self.r["henvisning"].select(F.col("henvisning_id").alias("h_id"), F.col("time").alias("h_time"))
        f = f.join(h, f["henvisning_id"] == h["h_id"], "left")
        ref = self.r["forloebselement"].select(
            F.col("forloebselement_id").alias("ref_id"),
            F.col("start_time").alias("ref_start"),
            F.col("patient_id").alias("ref_patient"),
        )
        f = f.join(ref, f["reference_id"] == ref["ref_id"], "left")
        f = self.unit(f, "responsible_unit", "unit")
        f = self.codes(f, {"label": "label", "end_mode": "end_mode", "reference_type": "reftype"})
        df = _std(
            f,
            "forloebselement_id",
            F.col("forloebselement_id"),
            F.col("responsible_unit"),
            F.col("start_time"),
            F.col("reporter_type"),
            F.col("start_time"),
        )
        return Frame("forloebselement", "forloebselement", df)

    def henvisning_frames(self) -> tuple[Frame, Frame]:
        h = self.r["henvisning"]
        pat = self.r["patient"].select(F.col("patient_id").alias("pat_id"), F.col("birth_date"))
        h = h.join(pat, h["patient_id"] == pat["pat_id"], "left")
        fe = (
            self.r["forloebselement"]
            .where(F.col("henvisning_id").isNotNull())
            .groupBy(F.col("henvisning_id").alias("hf_id"))
            .agg(F.min(F.struct("start_time", "forloebselement_id", "reporter_type", "responsible_unit")).alias("hf"))
        )
        h = h.join(fe, h["henvisning_id"] == fe["hf_id"], "left")
        h = self.codes(h, {"reason_code": "reason", "method": "method", "free_choice": "free_choice"})
        std = dict(
            fe=F.col("hf.forloebselement_id"),
            unit=F.coalesce("hf.responsible_unit", "referring_unit"),
            month=F.col("time"),
            reporter=F.col("hf.reporter_type"),
            fe_start=F.col("hf.start_time"),
        )
        main = Frame("henvisning", "henvisning", _std(h, "henvisning_id", **std))
        addons = _code_rows(h, ["*"], {"T": "reason_addons"})
        addons = self.codes(addons, {"x": "x"})
        return main, Frame("henvisning_codes", "henvisning", _std(addons, "henvisning_id", **std))

    def marker_frame(self) -> Frame:
        m = self.r["forloebsmarkoer"]
        m = m.join(self.fe_base(), m["forloebselement_id"] == F.col("fe_id"), "left")
        m = self.codes(m, {"code": "code"})
        df = _std(
            m,
            "forloebsmarkoer_id",
            F.col("forloebselement_id"),
            F.col("fe_unit"),
            F.col("time"),
            F.col("fe_reporter"),
            F.col("fe_start"),
        )
        return Frame("forloebsmarkoer", "forloebsmarkoer", df)

    def resultat_frame(self) -> Frame:
        r = self.r["resultat"]
        ri = self.r["resultatindberetning"].select(
            F.col("resultatindberetning_id").alias("ri_id"),
            F.col("forloebselement_id").alias("ri_fe_id"),
            F.col("trigger_type"),
            F.col("cause_start_time"),
            F.col("cause_end_time"),
            F.col("name").alias("ri_name"),
        )
        r = r.join(ri, r["resultatindberetning_id"] == ri["ri_id"], "left")
        r = r.join(self.fe_base(), r["ri_fe_id"] == F.col("fe_id"), "left")
        r = self.codes(r, {"type": "type"})
        df = _std(
            r,
            "resultat_id",
            F.col("ri_fe_id"),
            F.col("fe_unit"),
            F.col("cause_start_time"),
            F.col("fe_reporter"),
            F.col("fe_start"),
            parent=F.col("resultatindberetning_id"),
        )
        return Frame("resultat", "resultat", df)

    def result_report_frame(self) -> Frame:
        """Result reports triggered by a procedure, with their results and the contact's bidiagnoser."""
        ri = self.r["resultatindberetning"].where(F.col("trigger_type") == "procedure")
        proc = self.r["procedure"].select(
            F.col("procedure_id").alias("rp_id"),
            F.col("code").alias("rp_code"),
            F.col("kontakt_id").alias("rp_kontakt"),
            F.col("producer_unit").alias("rp_unit"),
        )
        ri = ri.join(proc, ri["trigger_id"] == proc["rp_id"], "left")
        ri = self.codes(ri, {"rp_code": "rpcode"})
        res = (
            self.codes(self.r["resultat"], {"value": "rvalue"})
            .groupBy(F.col("resultatindberetning_id").alias("res_ri_id"))
            .agg(F.collect_list(F.struct(F.col("type"), F.col("rvalue__lists").alias("lists"))).alias("res_items"))
        )
        ri = ri.join(res, ri["resultatindberetning_id"] == res["res_ri_id"], "left")
        bdiag = (
            self.codes(self.r["diagnose"].where(F.col("role") == "B"), {"code": "bcode"})
            .groupBy(F.col("kontakt_id").alias("b_kontakt"))
            .agg(F.collect_list("bcode__lists").alias("b_lists"))
        )
        ri = ri.join(bdiag, ri["rp_kontakt"] == bdiag["b_kontakt"], "left")
        ri = ri.join(self.fe_base(), ri["forloebselement_id"] == F.col("fe_id"), "left")
        df = _std(
            ri,
            "resultatindberetning_id",
            F.col("forloebselement_id"),
            F.col("rp_unit"),
            F.col("cause_start_time"),
            F.col("fe_reporter"),
            F.col("fe_start"),
            parent=F.col("rp_kontakt"),
        )
        return Frame("result_report", "resultatindberetning", df)

    def bopael_frame(self) -> Frame:
        b = self.r["bopael"]
        df = _std(
            b,
            "bopael_id",
            F.lit(None).cast("string"),
            F.lit(None).cast("string"),
            F.col("valid_from").cast("timestamp"),
            F.lit("LPR"),
            F.lit(None).cast("timestamp"),
            parent=F.col("patient_id"),
        )
        return Frame("bopael", "bopael", df)

    # ------------------------------------------------------------------ all
    def build(self) -> dict[str, Frame]:
        d = self.diagnose_base()
        d_agg = self.diagnose_aggregates()
        o = self.ophold_base()
        b = self.payment_base()
        p = self.procedure_base()
        h_main, h_codes = self.henvisning_frames()
        frames = [
            self.fe_frame(),
            self.kontakt_frame(
                d_agg,
                self.interval_aggregates(self.r["opholdsadresse"], "o"),
                self.interval_aggregates(self.r["betalingsoplysning"], "p"),
            ),
            self.diagnose_frame(d),
            self.diagnose_codes_frame(d),
            self.ophold_frame(o),
            self.payment_frame(b),
            self.procedure_frame(p),
            self.procedure_codes_frame(p),
            h_main,
            h_codes,
            self.marker_frame(),
            self.resultat_frame(),
            self.result_report_frame(),
            self.bopael_frame(),
        ]
        return {f.name: f for f in frames}
