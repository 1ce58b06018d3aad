"""A synthetic region-year of LPR3 reports, built with Spark only (no driver-side loops over data).

Shape: patients with an age/sex mix and residence; forløbselementer of several kinds (outpatient,
inpatient, acute, chronic COPD/diabetes, psychiatric, cancer, rehabilitation, hospice, births,
virtual, diagnosis reports) with their contacts, diagnoses, procedures, opholdsadresser,
betalingsoplysninger, henvisninger, markers and result reports; readmissions within 30 days;
færdigbehandlede days; late reports, corrections and deletions.

Error injection: a configurable share of eligible objects is mutated to break one named business
rule; `ground_truth` lists every (object type, object id, rule id) the mutation must produce.
Parameters live in conf/generator.yaml. All times are UTC.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pyspark.sql import Column, DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import StringType, StructField, StructType

from lprflow.config import load_yaml
from lprflow.reference import Reference
from lprflow.schemas import TABLES
from lprflow.synth.hashing import Draw, object_id

DAY = 86400
GROUND_TRUTH_SCHEMA = StructType(
    [
        StructField("object_type", StringType(), False),
        StructField("object_id", StringType(), False),
        StructField("rule_id", StringType(), False),
    ]
)
# contact-level injections, in the order their slices are cut from one uniform draw
CONTACT_INJECTIONS = [
    "05.12",
    "05.14",
    "05.b",
    "05.a",
    "5104",
    "5102",
    "5105",
    "5106",
    "09.02",
    "09.12",
    "09.61",
    "12.52",
    "12102",
    "12.04.101",
    "12.03.101",
    "11.01",
    "11102",
    "11.22",
]
COURSE_INJECTIONS = ["02.02", "02.a", "06.01"]
INJECTABLE_RULES = sorted(set(CONTACT_INJECTIONS + COURSE_INJECTIONS) | {"05.15", "09.16a", "12.101a", "06.02"})


@dataclass
class Synthetic:
    """A generated register (all report versions per table) and its injected violations."""

    tables: dict[str, DataFrame]
    ground_truth: DataFrame
    params: dict[str, Any] = field(default_factory=dict)


def _lit_array(values: list) -> Column:
    return F.array(*[F.lit(v) for v in values])


def _map_of(mapping: dict[str, Any]) -> Column:
    items: list[Column] = []
    for k, v in mapping.items():
        items += [F.lit(k), _lit_array(v) if isinstance(v, list) else F.lit(v)]
    return F.create_map(*items)


def _ts(col: Column) -> Column:
    return F.timestamp_seconds(col)


class Generator:
    """Builds the tables of one region-year. Use `generate()`."""

    def __init__(
        self,
        spark: SparkSession,
        region: str,
        year: int,
        scale: float,
        seed: int,
        error_rate: float | None = None,
        reference: Reference | None = None,
    ) -> None:
        self.spark = spark
        self.cfg = load_yaml("generator.yaml")
        self.region, self.year, self.scale, self.seed = str(region), int(year), float(scale), int(seed)
        self.error_rate = float(self.cfg["error_rate"] if error_rate is None else error_rate)
        self.d = Draw(seed)
        self.ref = reference or Reference.load(spark)
        self.y0 = int(dt.datetime(self.year, 1, 1, tzinfo=dt.UTC).timestamp())
        self.late0 = int(dt.datetime(self.year + 1, 2, 1, tzinfo=dt.UTC).timestamp())
        self._load_reference()

    # ---------------------------------------------------------------- reference-driven choices
    def _load_reference(self) -> None:
        munis = self.ref.municipality_rows()
        own = [m["municipality_code"] for m in munis if m["region_code"] == self.region]
        if not own:
            raise ValueError(f"region '{self.region}' has no municipalities in reference/municipalities.csv")
        self.own_munis = own
        self.other_munis = [m["municipality_code"] for m in munis if m["region_code"] != self.region]
        units = [u for u in self.ref.sor_rows() if u["region_code"] == self.region and not u.get("valid_to")]
        self.hospitals = sorted({u["hospital_id"] for u in units if u["kind"] in ("somatic", "rehab")})
        self.units_by_specialty: dict[str, list[str]] = {}
        for u in sorted(units, key=lambda r: r["sor_id"]):
            if u["kind"] in ("somatic", "rehab"):
                self.units_by_specialty.setdefault(u["specialty"], []).append(u["sor_id"])
        self.psych_unit = sorted(u["sor_id"] for u in units if u["kind"] == "psychiatric")[0]
        self.hospice_unit = sorted(u["sor_id"] for u in units if u["kind"] == "hospice")[0]
        lists = {}
        for row in self.ref.code_lists.collect():  # ~200 reference rows, not data
            lists.setdefault(row["list_name"], set()).add(row["code"])
        self.lateral_diag = sorted(lists.get("diag.lateral", set()))
        self.lateral_proc = sorted(lists.get("proc.lateral", set()))
        self.primkraeft = sorted(lists.get("diag.primkraeft", set()))

    def _unit(self, specialty: str, hosp: Column) -> Column:
        units = self.units_by_specialty[specialty]
        return F.element_at(_lit_array(units), (hosp % len(units) + 1).cast("int"))

    # ---------------------------------------------------------------- patients
    def patients(self) -> DataFrame:
        c, d = self.cfg, self.d
        n = max(200, int(c["scale_1"]["patients"] * self.scale))
        self.n_pat = n
        self.n_chronic = max(10, int(n * c["chronic_patient_share"]))
        self.n_mothers = max(10, int(n * 0.02))
        p = self.spark.range(n).withColumnRenamed("id", "pidx")
        pid = F.col("pidx")
        chronic = pid < self.n_chronic
        mother = (pid >= self.n_chronic) & (pid < self.n_chronic + self.n_mothers)
        ua = d.u("age", pid)
        age = (
            F.when(chronic, 50 + F.floor(ua * 40))
            .when(mother, 20 + F.floor(ua * 22))
            .when(ua < 0.15, 1 + F.floor(ua / 0.15 * 17))
            .when(ua < 0.6, 18 + F.floor((ua - 0.15) / 0.45 * 47))
            .otherwise(65 + F.floor((ua - 0.6) / 0.4 * 34))
        ).cast("int")
        sex = F.when(mother, 2).when(d.u("sex", pid) < 0.49, 1).otherwise(2)
        birth = F.date_sub(F.lit(dt.date(self.year, 1, 1)), (age * 365 + d.below("bday", 365, pid)).cast("int"))
        res = c["residence"]
        ur = d.u("res", pid)
        weights = [(m, 3.0 if i == 0 else 1.0 / (1 + 0.1 * i)) for i, m in enumerate(self.own_munis)]
        muni = (
            F.when(ur < res["abroad"], F.lit(None).cast("string"))
            .when(ur < res["abroad"] + res["other_region"], d.choose("omuni", self.other_munis, pid))
            .otherwise(d.weighted("muni", weights, pid))
        )
        last_digit = d.below("cpr9", 5, pid) * 2 + F.when(sex == 1, 1).otherwise(0)
        return p.select(
            "pidx",
            object_id("patient", F.lit(self.region), pid).alias("patient_id"),
            birth.alias("birth_date"),
            sex.cast("int").alias("sex"),
            F.concat(
                F.date_format(birth, "ddMMyy"),
                F.lpad(d.below("cpr", 1000, pid).cast("string"), 3, "0"),
                last_digit.cast("string"),
            ).alias("cpr"),
            muni.alias("municipality_code"),
            F.when(ur < res["abroad"], F.lit(res["abroad_country_code"]))
            .otherwise(F.lit(res["danish_country_code"]))
            .alias("country_code"),
            F.when(
                (d.u("move", pid) < res["moved_in_year"]) & (ur >= res["abroad"]),
                self.y0 + (30 + d.below("moveday", 300, pid)) * DAY,
            ).alias("move_s"),
            d.weighted("muni2", weights, pid).alias("new_municipality_code"),
            F.when(chronic, F.when(pid % 2 == 0, "copd").otherwise("diabetes")).alias("chronic_kind"),
        )

    # ---------------------------------------------------------------- forløbselementer
    def courses(self) -> DataFrame:
        c, d = self.cfg, self.d
        kinds = c["course_kinds"]
        n = max(300, int(c["scale_1"]["forloebselementer"] * self.scale))
        f = F.col("fidx")
        kind = d.weighted("kind", [(k, v["share"]) for k, v in kinds.items()], f)
        base = self.spark.range(n).withColumnRenamed("id", "fidx").withColumn("kind", kind)
        kmin = _map_of({k: v["contacts"][0] for k, v in kinds.items()})
        kmax = _map_of({k: v["contacts"][1] for k, v in kinds.items()})
        kgap = _map_of({k: v["gap_days"] for k, v in kinds.items()})
        k = F.col("kind")
        pidx = (
            F.when(k == "chronic", d.below("pat", self.n_chronic, f))
            .when(k == "birth", self.n_chronic + d.below("pat", self.n_mothers, f))
            .otherwise(d.below("pat", self.n_pat, f))
        )
        n_contacts = d.between("n", kmin[k], kmax[k], f)
        base = base.select(
            "fidx",
            "kind",
            pidx.alias("pidx"),
            n_contacts.cast("int").alias("n_contacts"),
            kgap[k].cast("int").alias("gap"),
            d.below("hosp", 1000, f).alias("hosp"),
            F.lit(None).cast("long").alias("ref_fidx"),
            F.lit(None).cast("long").alias("anchor_override"),
        )
        return base

    def _course_plan(self, fe: DataFrame) -> DataFrame:
        """Per course: anchor time, the inpatient contact (if any) and its length of stay."""
        c, d = self.cfg, self.d
        f, k, n = F.col("fidx"), F.col("kind"), F.col("n_contacts")
        ip_j = (
            F.when(k.isin("inpatient", "readmission", "birth", "hospice"), 0)
            .when(k == "cancer", 1)
            .when((k == "chronic") & (d.u("ipc", f) < 0.3), n - 1)
            .when((k == "psychiatric") & (d.u("ipp", f) < 0.25), 0)
            .otherwise(-1)
        )
        ul = d.u("los", f)
        los = (
            F.when(k == "hospice", 5 + F.floor(ul * 35))
            .when(k == "birth", 1 + F.floor(ul * 4))
            .when(k == "cancer", 3 + F.floor(ul * 10))
            .when(k.isin("chronic", "psychiatric"), F.least(F.lit(20), 1 + F.floor(-F.log(1 - ul) * 4)))
            .otherwise(F.least(F.lit(30), 1 + F.floor(-F.log(1 - ul) * 3.5)))
        ).cast("int")
        acute_fe = k.isin("readmission", "birth", "acute_er") | ((k == "inpatient") & (d.u("acu", f) < 0.6))
        span_days = (n - 1) * F.col("gap") + F.when(ip_j >= 0, los).otherwise(0) + 1
        start_day = d.below("start", F.greatest(F.lit(1), 365 - span_days), f)
        hour = F.when(acute_fe | (k == "chronic") & (ip_j == n - 1), d.below("hr", 24 * 60, f) * 60).otherwise(
            8 * 3600 + d.below("hr", 7 * 12, f) * 300
        )
        anchor = F.coalesce(F.col("anchor_override"), self.y0 + start_day * DAY + hour)
        return fe.select(
            "*",
            ip_j.cast("int").alias("ip_j"),
            los.alias("los"),
            acute_fe.alias("acute_fe"),
            anchor.alias("anchor_s"),
            (d.u("open", f) < c["open_course_share"]).alias("open_draw"),
            F.when(d.u("priv", f) < c["private_reporter_share"], "PRIVATE").otherwise("LPR").alias("reporter_type"),
        )

    # ---------------------------------------------------------------- contacts
    def _contacts(self, plan: DataFrame, patients: DataFrame) -> DataFrame:
        c, d = self.cfg, self.d
        dx = c["diagnoses"]
        j = F.col("j")
        rows = plan.join(patients.select("pidx", "chronic_kind"), "pidx", "left").withColumn(
            "j", F.explode(F.sequence(F.lit(0), F.col("n_contacts") - 1))
        )
        f, k = F.col("fidx"), F.col("kind")
        cidx = f * 16 + j
        inpatient = j == F.col("ip_j")
        setting = (
            F.when(inpatient, "inpatient")
            .when(k == "acute_er", "er")
            .when(k == "diagreport", "diagreport")
            .when(k == "virtual", "virtual")
            .when(k.isin("outpatient", "chronic") & (j > 0) & (d.u("virt", cidx) < 0.35), "virtual")
            .otherwise("outpatient")
        )
        # timing: contacts follow each other; the inpatient stay pushes later contacts by its length
        start = (
            F.col("anchor_s")
            + (j * F.col("gap") + F.when((F.col("ip_j") >= 0) & (j > F.col("ip_j")), F.col("los")).otherwise(0)) * DAY
        )
        dur = (
            F.when(setting == "inpatient", F.col("los") * DAY + d.below("xh", 6, cidx) * 3600 + 1800)
            .when(setting == "er", 2 * 3600 + d.below("erd", 48, cidx) * 300)
            .when(setting == "virtual", F.lit(900))
            .when(setting == "diagreport", F.lit(60))
            .otherwise(1800 + d.below("od", 7, cidx) * 300)
        )
        last = j == F.col("n_contacts") - 1
        late_start = F.col("anchor_s") >= F.lit(self.y0 + 334 * DAY)
        is_open = F.col("open_draw") & late_start & ~k.isin("acute_er", "diagreport")
        psych = k == "psychiatric"
        acute = (
            (inpatient & F.col("acute_fe"))
            | (setting == "er")
            | (inpatient & (k == "chronic"))
            | (inpatient & psych & (d.u("pacu", f) < 0.5))
        )
        # diagnoses chosen per course so a course is coherent
        pools = {
            "outpatient": dx["outpatient"],
            "virtual": dx["outpatient"],
            "diagreport": dx["outpatient"],
            "inpatient": dx["inpatient"],
            "readmission": dx["inpatient"],
            "psychiatric": dx["psychiatric"],
            "cancer": dx["cancer"],
            "birth": dx["birth"],
            "hospice": dx["hospice"],
            "rehab": dx["rehab"],
        }
        accident = (setting == "er") & (d.u("acc", f) < 0.3)
        code_a = (
            F.when(
                k == "chronic",
                F.when(F.col("chronic_kind") == "copd", d.choose("dxa", dx["chronic_copd"], f)).otherwise(
                    d.choose("dxa", dx["chronic_diabetes"], f)
                ),
            )
            .when(
                k == "acute_er",
                F.when(accident, d.choose("dxa", dx["acute_injury"], f)).otherwise(
                    d.choose("dxa", dx["acute_illness"], f)
                ),
            )
            .otherwise(d.choose("dxa", _map_of(pools)[k], f))
        )
        spec_map = c["specialty_for_diagnosis"]
        hosp = F.col("hosp")
        unit = (
            F.when(psych, F.lit(self.psych_unit))
            .when(k == "hospice", F.lit(self.hospice_unit))
            .when(k == "rehab", self._unit("fysioterapi", hosp))
            .when(k == "acute_er", self._unit("akutmedicin", hosp))
            .when(k == "birth", self._unit("gynækologi og obstetrik", hosp))
            .when((k == "cancer") & inpatient, self._unit("kirurgi", hosp))
            .when(k == "cancer", self._unit("klinisk onkologi", hosp))
        )
        for code, spec in spec_map.items():
            unit = unit.when(code_a == code, self._unit(spec, hosp))
        unit = unit.otherwise(self._unit("intern medicin", hosp))
        codes = c["codes"]
        ctype = (
            F.when(setting == "virtual", codes["virtual"])
            .when(setting == "diagreport", codes["diagreport"])
            .otherwise(codes["physical"])
        )
        reason = F.when(
            acute & ~psych & (ctype == codes["physical"]),
            F.when(accident, codes["reason_accident"]).otherwise(codes["reason_illness"]),
        )
        end = F.when(~(is_open & last), start + dur)
        return rows.select(
            "fidx",
            "pidx",
            "kind",
            "j",
            "hosp",
            "n_contacts",
            "ip_j",
            "los",
            "reporter_type",
            "chronic_kind",
            "anchor_s",
            "ref_fidx",
            cidx.alias("cidx"),
            setting.alias("setting"),
            start.alias("start_s"),
            end.alias("end_s"),
            (is_open & last).alias("contact_open"),
            F.when(setting.isin("inpatient", "er"), start + d.below("tx", 12, cidx) * 300).alias("treat_s"),
            unit.alias("unit"),
            psych.alias("psych"),
            ctype.alias("type"),
            F.when(acute, codes["acute"]).otherwise(codes["planned"]).alias("priority"),
            reason.alias("reason"),
            code_a.alias("code_a"),
        )

    def _report_times(self, ct: DataFrame) -> DataFrame:
        r, d = self.cfg["reporting"], self.d
        cidx = F.col("cidx")
        basis = F.coalesce(F.col("end_s"), F.col("start_s"))
        ur = d.u("rep", cidx)
        a = r["within_days"]["share"]
        b = a + r["within_weeks"]["share"]
        cc = b + r["after_the_10th"]["share"]
        delay = (
            F.when(ur < a, d.below("rd", r["within_days"]["max_days"] * 24 * 12, cidx) * 300)
            .when(ur < b, d.below("rd", r["within_weeks"]["max_days"] * 24, cidx) * 3600)
            .when(
                ur < cc,
                (
                    r["after_the_10th"]["min_days"]
                    + d.below("rd", r["after_the_10th"]["max_days"] - r["after_the_10th"]["min_days"], cidx)
                )
                * DAY,
            )
            .otherwise(F.greatest(F.lit(0), self.late0 + d.below("rd", 55 * 24, cidx) * 3600 - basis))
        )
        final = basis + delay + 60
        # first reports of contacts still open (admission, arrival); the final report closes them
        s = F.col("setting")
        early = ((s == "inpatient") & (d.u("adm", cidx) < r["admission_report_share"])) | (
            s.isin("outpatient", "er") & (d.u("adm", cidx) < r["arrival_report_share"])
        )
        admission = F.when(early, F.col("start_s") + 60 + d.below("ad", 6 * 12, cidx) * 300)
        return ct.withColumn("rep_s", final).withColumn("adm_rep_s", F.when(admission < final, admission))

    # ---------------------------------------------------------------- generate
    def generate(self) -> Synthetic:
        pats = self.patients()
        fe = self.courses()
        plan = self._course_plan(fe)
        ct = self._contacts(plan, pats)
        # readmissions: an acute inpatient course 1-29 days after an inpatient stay ends
        idx = ct.where(
            (F.col("kind") == "inpatient")
            & (F.col("j") == 0)
            & F.col("end_s").isNotNull()
            & (self.d.u("readm", F.col("fidx")) < self.cfg["readmission_share"])
        )
        readm = idx.select(
            (F.col("fidx") + F.lit(10**9)).alias("fidx"),
            F.lit("readmission").alias("kind"),
            "pidx",
            F.lit(1).alias("n_contacts"),
            F.lit(1).alias("gap"),
            "hosp",
            F.col("fidx").alias("ref_fidx"),
            (
                F.col("end_s")
                + (1 + self.d.below("rgap", 28, F.col("fidx"))) * DAY
                + self.d.below("rhr", 24 * 12, F.col("fidx")) * 300
            ).alias("anchor_override"),
        )
        ct = ct.unionByName(self._contacts(self._course_plan(readm), pats))
        ct = self._report_times(ct)
        ct = self._inject_contacts(ct).persist()
        tables: dict[str, DataFrame] = {}
        truth: list[DataFrame] = []
        tables["kontakt"] = self._kontakt_rows(ct)
        tables["diagnose"], t_dx = self._diagnoses(ct)
        tables["procedure"], t_pr = self._procedures(ct)
        tables["opholdsadresse"], t_op = self._opholdsadresser(ct)
        course, t_fe = self._courses_from_contacts(ct)
        tables["forloebselement"] = course["forloebselement"]
        tables["henvisning"] = course["henvisning"]
        tables["forloebsmarkoer"] = course["forloebsmarkoer"]
        tables["resultatindberetning"] = course["resultatindberetning"]
        tables["resultat"] = course["resultat"]
        tables["betalingsoplysning"] = self._payments(ct).unionByName(course["fe_payments"])
        tables["procedure"] = tables["procedure"].unionByName(course["fe_procedures"])
        tables["patient"], tables["bopael"] = self._patient_rows(pats, course["first_report"])
        truth += [self._contact_truth(ct), t_dx, t_pr, t_op, t_fe]
        meta = {"region": self.region}
        out = {}
        for name, df in tables.items():
            spec = TABLES[name]
            df = df.withColumn("region", F.lit(meta["region"]))
            out[name] = df.select([F.col(c).cast(spec.schema[c].dataType) for c in spec.columns])
        gt = truth[0]
        for t in truth[1:]:
            gt = gt.unionByName(t)
        return Synthetic(
            out,
            gt.select(GROUND_TRUTH_SCHEMA.fieldNames()).distinct(),
            {
                "region": self.region,
                "year": self.year,
                "scale": self.scale,
                "seed": self.seed,
                "error_rate": self.error_rate,
            },
        )

    # ---------------------------------------------------------------- error injection (contact level)
    def _inject_contacts(self, ct: DataFrame) -> DataFrame:
        d, rate = self.d, self.error_rate
        cidx, s = F.col("cidx"), F.col("setting")
        u = d.u("inject", cidx)
        slot = F.when(u < rate * len(CONTACT_INJECTIONS), F.floor(u / rate).cast("int"))
        closed = F.col("end_s").isNotNull()
        physical = s.isin("inpatient", "outpatient", "er")
        special = F.col("kind").isin("cancer", "birth", "hospice") | F.col("code_a").isin(*self.primkraeft)
        lateral_a = F.col("code_a").isin(*self.lateral_diag)
        planned = F.col("priority") == self.cfg["codes"]["planned"]
        eligible = {
            "05.12": F.col("treat_s").isNotNull() & closed,
            "05.14": closed & ~special & (s != "diagreport"),
            "05.b": planned & s.isin("outpatient", "virtual") & ~special,
            "05.a": s == "virtual",
            "5104": planned & physical & ~F.col("psych"),
            "5102": F.col("reason").isNotNull(),
            "5105": physical,
            "5106": (s == "virtual") & closed,
            "09.02": (s == "inpatient") & closed & (F.col("los") >= 3),
            "09.12": physical & closed,
            "09.61": physical & closed,
            "12.52": ~special & ~lateral_a,
            "12102": lateral_a & ~special,
            "12.04.101": (s == "inpatient") & ~special,
            "12.03.101": ~special,
            "11.01": F.lit(True),  # resolved against the procedures actually generated
            "11102": F.lit(True),
            "11.22": F.col("j") > 0,
        }
        inj = F.lit(None).cast("string")
        for i, rule in enumerate(CONTACT_INJECTIONS):
            inj = F.when((slot == i) & eligible[rule] & (F.col("reporter_type") == "LPR"), F.lit(rule)).otherwise(inj)
        codes, bad = self.cfg["codes"], self.cfg["inject"]
        ct = ct.withColumn("inj", inj)
        i = F.col("inj")
        return ct.select(
            *[c for c in ct.columns if c not in ("treat_s", "priority", "type", "reason")],
            F.when(i == "05.12", F.col("start_s") - 600).otherwise(F.col("treat_s")).alias("treat_s"),
            F.when(i == "05.b", F.lit(bad["not_a_priority"])).otherwise(F.col("priority")).alias("priority"),
            F.when(i == "05.a", F.lit(bad["not_a_contact_type"])).otherwise(F.col("type")).alias("type"),
            F.when(i == "5104", F.lit(codes["reason_illness"]))
            .when(i == "5102", F.lit(None))
            .otherwise(F.col("reason"))
            .alias("reason"),
        )

    def _kontakt_rows(self, ct: DataFrame) -> DataFrame:
        def version(end: Column, reported: Column) -> list[Column]:
            return [
                object_id("kontakt", F.lit(self.region), "cidx").alias("kontakt_id"),
                object_id("forloebselement", F.lit(self.region), "fidx").alias("forloebselement_id"),
                object_id("patient", F.lit(self.region), "pidx").alias("patient_id"),
                _ts(F.col("start_s")).alias("start_time"),
                _ts(end).alias("end_time"),
                _ts(F.col("treat_s")).alias("treatment_start"),
                F.col("unit").alias("responsible_unit"),
                "type",
                "priority",
                "reason",
                F.when(F.col("j") == 0, self._henvisning_id()).alias("henvisning_id"),
                _ts(reported).alias("reported_at"),
                F.lit(False).alias("deleted"),
            ]

        final = ct.select(*version(F.col("end_s"), F.col("rep_s")))
        # admission reports: the same contact reported open when the patient arrived
        admission = ct.where(F.col("adm_rep_s").isNotNull()).select(
            *version(F.lit(None).cast("long"), F.col("adm_rep_s"))
        )
        return final.unionByName(admission)

    def _henvisning_id(self) -> Column:
        return F.when(self._has_referral(), object_id("henvisning", F.lit(self.region), "fidx"))

    def _has_referral(self) -> Column:
        k = F.col("kind")
        return (
            k.isin("outpatient", "chronic", "cancer", "rehab", "virtual", "hospice")
            | ((k == "psychiatric") & (self.d.u("pref", F.col("fidx")) < 0.5))
            | ((k == "inpatient") & ~(self.d.u("acu", F.col("fidx")) < 0.6))
        )

    # ---------------------------------------------------------------- diagnoses
    def _diagnoses(self, ct: DataFrame) -> tuple[DataFrame, DataFrame]:
        c, d = self.cfg, self.d
        dx, codes, bad = c["diagnoses"], c["codes"], c["inject"]
        cidx, s, i = F.col("cidx"), F.col("setting"), F.col("inj")
        code_a = F.when(i == "12.52", F.lit(bad["expired_diagnosis"])).otherwise(F.col("code_a"))
        cancer_a = F.col("code_a").isin(*self.primkraeft)
        side_a = F.when(
            F.col("code_a").isin(*self.lateral_diag) & (i.isNull() | (i != "12102")),
            d.choose("side", c["sides"], "fidx"),
        )
        n_b = (
            F.when(s == "inpatient", d.below("nb", 6, cidx))
            .when(s.isin("outpatient", "er"), d.below("nb", 3, cidx))
            .when(s == "virtual", F.when(d.u("nb", cidx) < 0.3, 1).otherwise(0))
            .otherwise(0)
        )
        pool = _lit_array(dx["bidiagnoser"])
        rot = d.below("brot", len(dx["bidiagnoser"]), cidx).cast("int")
        rotated = F.concat(F.slice(pool, rot + 1, len(dx["bidiagnoser"])), F.slice(pool, 1, F.greatest(rot, F.lit(1))))
        b_codes = F.slice(F.filter(F.array_distinct(rotated), lambda x: x != F.col("code_a")), 1, n_b.cast("int"))
        b_codes = F.when(n_b > 0, b_codes).otherwise(F.array().cast("array<string>"))
        hospice_b = F.when(F.col("kind") == "hospice", F.array(d.choose("hcan", self.primkraeft, "fidx")))
        b_codes = F.coalesce(hospice_b, b_codes)
        empty = F.array().cast("array<string>")
        a_row = F.struct(
            F.lit(0).alias("k"),
            F.lit("A").alias("role"),
            code_a.alias("code"),
            F.when(i == "12.03.101", F.lit(codes["art_b"])).otherwise(F.lit(codes["art_a"])).alias("art"),
            side_a.alias("side"),
            F.when(cancer_a, F.array(F.lit(dx["metastasis_none"]))).otherwise(empty).alias("metastases"),
            F.when(cancer_a, F.array(F.lit(dx["local_recurrence_none"]))).otherwise(empty).alias("local_recurrences"),
        )
        b_rows = F.transform(
            b_codes,
            lambda code, n: F.struct(
                (n + 1).alias("k"),
                F.lit("B").alias("role"),
                code.alias("code"),
                F.when((i == "12.04.101") & (n == 0), F.lit(codes["art_a"]))
                .otherwise(F.lit(codes["art_b"]))
                .alias("art"),
                F.when(code.isin(*self.lateral_diag), d.choose("sideb", c["sides"], cidx, n)).alias("side"),
                F.when(code.isin(*self.primkraeft), F.array(F.lit("AZCD11"))).otherwise(empty).alias("metastases"),
                F.when(code.isin(*self.primkraeft), F.array(F.lit(dx["local_recurrence_none"])))
                .otherwise(empty)
                .alias("local_recurrences"),
            ),
        )
        rows = F.when(i == "05.14", b_rows).otherwise(F.concat(F.array(a_row), b_rows))
        x = ct.select("cidx", "rep_s", "inj", F.explode(rows).alias("x")).select("cidx", "rep_s", "inj", "x.*")
        x = x.withColumn("diagnose_id", object_id("diagnose", F.lit(self.region), "cidx", "k"))
        cor = c["corrections"]
        ud = d.u("dcor", F.col("diagnose_id"))
        is_b = (F.col("role") == "B") & F.col("inj").isNull()
        base = [
            "diagnose_id",
            object_id("kontakt", F.lit(self.region), "cidx").alias("kontakt_id"),
            "role",
            "code",
            F.array().cast("array<string>").alias("addon_codes"),
            "art",
            "side",
            F.lit(False).alias("disproved"),
            "metastases",
            "local_recurrences",
        ]
        final = x.select(*base, _ts(F.col("rep_s")).alias("reported_at"), F.lit(False).alias("deleted"))
        # corrections: an earlier version with another code; deletions: a later deletion report
        corrected = x.where(is_b & (ud < cor["bidiagnose_code_corrected"])).select(
            *[F.lit("DZ039").alias("code") if isinstance(b, str) and b == "code" else b for b in base],
            _ts(F.col("rep_s") - 3600).alias("reported_at"),
            F.lit(False).alias("deleted"),
        )
        deleted = x.where(is_b & (ud >= 1 - cor["bidiagnose_deleted"])).select(
            *base,
            _ts(F.col("rep_s") + 7 * DAY).alias("reported_at"),
            F.lit(True).alias("deleted"),
        )
        truth = x.where(
            F.col("inj").isin("12.52", "12102", "12.04.101", "12.03.101")
            & (
                ((F.col("inj") == "12.04.101") & (F.col("k") == 1))
                | ((F.col("inj") != "12.04.101") & (F.col("k") == 0))
            )
        ).select(
            F.lit("diagnose").alias("object_type"),
            F.col("diagnose_id").alias("object_id"),
            F.explode(
                F.when(F.col("inj") == "12.52", F.array(F.lit("12.52"), F.lit("12.101a"))).otherwise(
                    F.array(F.col("inj"))
                )
            ).alias("rule_id"),
        )
        return final.unionByName(corrected).unionByName(deleted), truth

    # ---------------------------------------------------------------- procedures
    def _procedures(self, ct: DataFrame) -> tuple[DataFrame, DataFrame]:
        c, d = self.cfg, self.d
        cidx, s, k, i = F.col("cidx"), F.col("setting"), F.col("kind"), F.col("inj")
        op = _map_of(c["procedures"])[F.col("code_a")]
        dur = F.col("end_s") - F.col("start_s")
        empty = F.array().cast("array<string>")

        def proc(
            n: int,
            code: Column,
            start: Column,
            end: Column,
            contrast: Column | None = None,
            indication: Column | None = None,
        ) -> Column:
            return F.struct(
                F.lit(n).alias("k"),
                code.alias("code"),
                start.alias("ps"),
                end.alias("pe"),
                (contrast if contrast is not None else F.lit(None).cast("string")).alias("contrast"),
                (indication if indication is not None else F.lit(None).cast("string")).alias("indication"),
            )

        p_start = F.col("start_s") + F.floor(dur * 0.1)
        p_end = F.col("start_s") + F.floor(dur * 0.9)
        surgery = op.isNotNull() & ((s == "inpatient") | ((F.col("code_a") == "DH251") & (d.u("eye", cidx) < 0.5)))
        first = (
            F.when(surgery, op)
            .when((s == "er") & (d.u("img", cidx) < 0.5), d.choose("imgc", c["imaging"], cidx))
            .when((s == "er") & (d.u("img", cidx) < 0.6), F.lit(c["contrast_imaging"]))
            .when((k == "cancer") & (s == "outpatient") & (F.col("j") >= 2), F.lit(c["chemotherapy"]))
            .when(k == "rehab", d.choose("gen", c["rehab_procedures"], "fidx"))
            .when(F.col("psych") & (s == "outpatient") & (d.u("pt", cidx) < 0.6), F.lit(c["psychotherapy"]))
            .when((s == "outpatient") & (d.u("ctl", cidx) < 0.3), F.lit(c["control"]))
            .when((s == "inpatient") & (F.col("chronic_kind") == "copd") & (k == "chronic"), F.lit(c["oxygen"]))
        )
        p1 = proc(
            1,
            first,
            p_start,
            p_end,
            F.when(first == c["contrast_imaging"], F.lit(c["contrast_code"])),
            F.when(first == c["chemotherapy"], F.col("code_a")),
        )
        fb = (s == "inpatient") & (F.col("los") >= 5) & (d.u("fb", cidx) < c["faerdigbehandlet_share"])
        fb_days = 1 + d.below("fbd", F.least(F.col("los") - 3, F.lit(5)), cidx)
        p2 = proc(2, F.lit(c["faerdigbehandlet"]), F.col("end_s") - fb_days * DAY, F.col("end_s"))
        second = F.when(s.isin("inpatient", "er") & (d.u("p3", cidx) < 0.6), d.choose("p3c", c["imaging"], cidx)).when(
            (s == "outpatient") & (d.u("p3", cidx) < 0.4), F.lit(c["control"])
        )
        p3 = proc(3, second, p_start, p_end)
        arr = F.filter(
            F.array(F.when(first.isNotNull(), p1), F.when(fb, p2), F.when(second.isNotNull(), p3)),
            lambda x: x.isNotNull(),
        )
        arr = F.when(F.col("end_s").isNotNull() & (s != "diagreport"), arr)
        x = ct.select("cidx", "fidx", "unit", "rep_s", "inj", "start_s", F.explode(arr).alias("x")).select(
            "cidx", "fidx", "unit", "rep_s", "inj", "start_s", "x.*"
        )
        x = x.withColumn("procedure_id", object_id("procedure", F.lit(self.region), "cidx", "k"))
        is_first = F.col("k") == 1
        lateral = F.col("code").isin(*self.lateral_proc)
        applied = (
            F.when(is_first & (i == "11.01"), "11.01")
            .when(is_first & (i == "11102") & lateral, "11102")
            .when(is_first & (i == "11.22"), "11.22")
        )
        x = x.withColumn("applied", applied)
        a = F.col("applied")
        rows = x.select(
            "procedure_id",
            object_id("forloebselement", F.lit(self.region), "fidx").alias("forloebselement_id"),
            object_id("kontakt", F.lit(self.region), "cidx").alias("kontakt_id"),
            "code",
            empty.alias("addon_codes"),
            _ts(F.when(a == "11.22", F.col("start_s") - 3600).otherwise(F.col("ps"))).alias("start_time"),
            _ts(F.when(a == "11.01", F.col("ps")).otherwise(F.col("pe"))).alias("end_time"),
            F.col("unit").alias("producer_unit"),
            F.when(lateral & (a.isNull() | (a != "11102")), d.choose("pside", c["sides"], "cidx")).alias("side"),
            F.lit(None).cast("string").alias("action_spec"),
            "contrast",
            "indication",
            empty.alias("indication_addons"),
            F.lit(None).cast("string").alias("personnel"),
            F.lit(None).cast("string").alias("betalingsoplysning_id"),
            _ts(F.col("rep_s")).alias("reported_at"),
            F.lit(False).alias("deleted"),
            "applied",
        )
        truth = x.where(a.isNotNull()).select(
            F.lit("procedure").alias("object_type"), F.col("procedure_id").alias("object_id"), a.alias("rule_id")
        )
        # a few procedures are deleted after being reported (wrongly registered)
        deleted = (
            rows.where((self.d.u("pdel", F.col("procedure_id")) < 0.005) & a.isNull())
            .withColumn("reported_at", F.col("reported_at") + F.expr("INTERVAL 3 DAYS"))
            .withColumn("deleted", F.lit(True))
        )
        return rows.unionByName(deleted).drop("applied"), truth

    # ---------------------------------------------------------------- opholdsadresser and payments
    def _opholdsadresser(self, ct: DataFrame) -> tuple[DataFrame, DataFrame]:
        d, i, cidx = self.d, F.col("inj"), F.col("cidx")
        s = F.col("setting")
        physical = s.isin("inpatient", "outpatient", "er")
        closed = F.col("end_s").isNotNull()
        n_seg = (
            F.when(~closed, 1)
            .when((s == "inpatient") & (F.col("los") >= 5) & (d.u("seg", cidx) < 0.1), 3)
            .when((s == "inpatient") & (F.col("los") >= 3) & (d.u("seg", cidx) < 0.5), 2)
            .when((s == "inpatient") & (i == "09.02"), 2)
            .otherwise(1)
        )
        has = F.when(i == "5105", False).when(i == "5106", True).otherwise(physical)
        x = ct.where(has).select(
            "cidx",
            "start_s",
            "end_s",
            "unit",
            "rep_s",
            "inj",
            n_seg.alias("n_seg"),
            F.explode(F.sequence(F.lit(0), n_seg - 1)).alias("seg"),
        )
        dur = F.col("end_s") - F.col("start_s")
        cut = lambda m: F.col("start_s") + F.floor(dur * m / F.col("n_seg") / 60) * 60  # noqa: E731
        seg = F.col("seg")
        start = F.when(seg == 0, F.col("start_s")).otherwise(cut(seg))
        end = F.when(seg == F.col("n_seg") - 1, F.col("end_s")).otherwise(cut(seg + 1))
        absence_seg = (F.col("n_seg") == 3) & (seg == 1)
        first = seg == 0
        start = F.when(first & (i == "09.12"), F.col("start_s") - 1800).otherwise(start)
        end = F.when(first & (i == "09.02"), end - 600).otherwise(end)
        x = x.withColumn("opholdsadresse_id", object_id("opholdsadresse", F.lit(self.region), "cidx", "seg"))
        rows = x.select(
            "opholdsadresse_id",
            object_id("kontakt", F.lit(self.region), "cidx").alias("kontakt_id"),
            _ts(start).alias("start_time"),
            _ts(end).alias("end_time"),
            F.when(~absence_seg, F.col("unit")).alias("unit"),
            F.when(absence_seg | (first & (i == "09.61")), F.lit(self.cfg["codes"]["absence"])).alias("absence"),
            _ts(F.col("rep_s")).alias("reported_at"),
            F.lit(False).alias("deleted"),
        )
        truth = x.where(first & i.isin("09.12", "09.61")).select(
            F.lit("opholdsadresse").alias("object_type"),
            F.col("opholdsadresse_id").alias("object_id"),
            F.col("inj").alias("rule_id"),
        )
        return rows, truth

    def _payments(self, ct: DataFrame) -> DataFrame:
        codes = self.cfg["codes"]
        return ct.select(
            object_id("betalingsoplysning", F.lit(self.region), "cidx").alias("betalingsoplysning_id"),
            object_id("forloebselement", F.lit(self.region), "fidx").alias("forloebselement_id"),
            object_id("kontakt", F.lit(self.region), "cidx").alias("kontakt_id"),
            _ts(F.col("start_s")).alias("start_time"),
            _ts(F.col("end_s")).alias("end_time"),
            F.lit(codes["agreement"]).alias("agreement"),
            F.lit(codes["payer"]).alias("payer"),
            self.d.choose("spec", codes["specialisation"], F.col("cidx")).alias("specialisation_level"),
            _ts(F.col("rep_s")).alias("reported_at"),
            F.lit(False).alias("deleted"),
        )

    def _contact_truth(self, ct: DataFrame) -> DataFrame:
        kontakt_rules = {
            "05.12": ["05.12"],
            "05.14": ["05.14", "05.15"],
            "05.b": ["05.b"],
            "05.a": ["05.a"],
            "5104": ["5104"],
            "5102": ["5102"],
            "5105": ["5105"],
            "5106": ["5106"],
            "09.02": ["09.02"],
            "09.12": ["09.16a"],
        }
        rules = _map_of(kontakt_rules)[F.col("inj")]
        return ct.where(rules.isNotNull()).select(
            F.lit("kontakt").alias("object_type"),
            object_id("kontakt", F.lit(self.region), "cidx").alias("object_id"),
            F.explode(rules).alias("rule_id"),
        )

    # ---------------------------------------------------------------- courses and their other objects
    def _courses_from_contacts(self, ct: DataFrame) -> tuple[dict[str, DataFrame], DataFrame]:
        c, d, codes = self.cfg, self.d, self.cfg["codes"]
        agg = ct.groupBy("fidx", "pidx", "kind", "reporter_type", "anchor_s", "ref_fidx", "hosp").agg(
            F.min(F.coalesce("adm_rep_s", "rep_s")).alias("first_rep"),
            F.max("rep_s").alias("last_rep"),
            F.max("end_s").alias("max_end"),
            F.max(F.col("contact_open").cast("int")).alias("open"),
            F.min(F.struct("j", "unit", "code_a", "start_s", "end_s")).alias("c0"),
            F.max(F.when(F.col("j") == 1, F.struct("start_s", "end_s", "cidx"))).alias("c1"),
        )
        f, k = F.col("fidx"), F.col("kind")
        u_fe = d.u("inject-fe", f)
        slot = F.when(u_fe < self.error_rate * len(COURSE_INJECTIONS), F.floor(u_fe / self.error_rate).cast("int"))
        closed = F.col("open") == 0
        agg = agg.withColumn("has_ref", self._has_referral())
        elig = {"02.02": closed, "02.a": F.lit(True), "06.01": F.col("has_ref")}
        inj = F.lit(None).cast("string")
        for n, rule in enumerate(COURSE_INJECTIONS):
            inj = F.when((slot == n) & elig[rule] & (F.col("reporter_type") == "LPR"), F.lit(rule)).otherwise(inj)
        agg = agg.withColumn("inj", inj).persist()
        i = F.col("inj")
        ue = d.u("endm", f)
        end_mode = (
            F.when(k == "hospice", F.when(ue < 0.6, codes["end_death"]).otherwise(codes["end_home"]))
            .when(ue < 0.02, codes["end_death"])
            .when(ue < 0.07, codes["end_hospital"])
            .otherwise(codes["end_home"])
        )
        labels = codes["labels"]
        label = F.coalesce(
            _map_of({kk: labels[kk] for kk in ("cancer", "birth", "chronic", "psychiatric")})[k], F.lit(labels["other"])
        )
        fe_id = object_id("forloebselement", F.lit(self.region), "fidx")
        base = [
            fe_id.alias("forloebselement_id"),
            object_id("patient", F.lit(self.region), "pidx").alias("patient_id"),
            _ts(F.col("anchor_s")).alias("start_time"),
        ]
        tail = [
            F.col("c0.unit").alias("responsible_unit"),
            F.when(i == "02.a", F.lit(c["inject"]["not_a_label"])).otherwise(label).alias("label"),
        ]
        refs = [
            self._henvisning_id().alias("henvisning_id"),
            F.when(F.col("ref_fidx").isNotNull(), object_id("forloebselement", F.lit(self.region), "ref_fidx")).alias(
                "reference_id"
            ),
            F.when(F.col("ref_fidx").isNotNull(), F.lit(codes["reference_type"])).alias("reference_type"),
            "reporter_type",
        ]
        final = agg.select(
            *base,
            _ts(F.when(closed, F.col("max_end"))).alias("end_time"),
            *tail,
            F.when(closed & (i.isNull() | (i != "02.02")), end_mode).alias("end_mode"),
            *refs,
            _ts(F.col("last_rep")).alias("reported_at"),
            F.lit(False).alias("deleted"),
        )
        first = agg.where(F.col("first_rep") < F.col("last_rep")).select(
            *base,
            F.lit(None).cast("timestamp").alias("end_time"),
            *tail,
            F.lit(None).cast("string").alias("end_mode"),
            *refs,
            _ts(F.col("first_rep")).alias("reported_at"),
            F.lit(False).alias("deleted"),
        )
        # referrals: before the course starts
        h_time = F.when(i == "06.01", F.col("anchor_s") + 60).otherwise(
            F.col("anchor_s") - (3 + d.below("hd", 57, f)) * DAY
        )
        method = d.choose("hm", codes["referral_methods"], f)
        henv = agg.where(F.col("has_ref")).select(
            object_id("henvisning", F.lit(self.region), "fidx").alias("henvisning_id"),
            object_id("patient", F.lit(self.region), "pidx").alias("patient_id"),
            _ts(h_time).alias("time"),
            F.col("c0.code_a").alias("reason_code"),
            F.array().cast("array<string>").alias("reason_addons"),
            method.alias("method"),
            F.lit(codes["free_choice"]).alias("free_choice"),
            F.when(method == "ALDA20", F.col("c0.unit")).alias("referring_unit"),
            _ts(F.col("first_rep")).alias("reported_at"),
            F.lit(False).alias("deleted"),
        )
        cancer = agg.where((k == "cancer") & F.col("c1").isNotNull())
        markers = cancer.select(
            "fidx",
            "last_rep",
            F.explode(
                F.array(
                    F.struct(
                        F.lit(0).alias("m"), F.lit(codes["markers"][0]).alias("code"), F.col("anchor_s").alias("t")
                    ),
                    F.struct(
                        F.lit(1).alias("m"), F.lit(codes["markers"][1]).alias("code"), F.col("c1.start_s").alias("t")
                    ),
                )
            ).alias("x"),
        ).select(
            object_id("forloebsmarkoer", F.lit(self.region), "fidx", "x.m").alias("forloebsmarkoer_id"),
            fe_id.alias("forloebselement_id"),
            F.col("x.code").alias("code"),
            _ts(F.col("x.t")).alias("time"),
            _ts(F.col("last_rep")).alias("reported_at"),
            F.lit(False).alias("deleted"),
        )
        ri_id = object_id("resultatindberetning", F.lit(self.region), "fidx")
        ri = cancer.select(
            ri_id.alias("resultatindberetning_id"),
            fe_id.alias("forloebselement_id"),
            F.lit(codes["result_report"]).alias("name"),
            F.lit("kontakt").alias("trigger_type"),
            object_id("kontakt", F.lit(self.region), F.col("c1.cidx")).alias("trigger_id"),
            _ts(F.col("c1.start_s")).alias("cause_start_time"),
            _ts(F.col("c1.end_s")).alias("cause_end_time"),
            _ts(F.col("last_rep")).alias("reported_at"),
            F.lit(False).alias("deleted"),
        )
        res = cancer.select("fidx", "last_rep", "c1", F.posexplode(_lit_array(codes["result_types"])).alias("n", "t"))
        res = res.select(
            object_id("resultat", F.lit(self.region), "fidx", "n").alias("resultat_id"),
            ri_id.alias("resultatindberetning_id"),
            F.col("t").alias("type"),
            F.when(F.col("n") == 0, F.lit("II")).otherwise(F.lit("T2")).alias("value"),
            _ts(F.col("c1.end_s")).alias("time"),
            _ts(F.col("last_rep")).alias("reported_at"),
            F.lit(False).alias("deleted"),
        )
        # a procedure directly on the cancer course, paid by its own betalingsoplysning
        fe_proc = cancer.where(closed).select(
            "fidx",
            "last_rep",
            "c0",
            (F.col("anchor_s") + 2 * DAY).alias("ps"),
            (F.col("anchor_s") + 2 * DAY + 1800).alias("pe"),
        )
        pay_id = object_id("betalingsoplysning:course", F.lit(self.region), "fidx")
        fe_procedures = fe_proc.select(
            object_id("procedure:course", F.lit(self.region), "fidx").alias("procedure_id"),
            fe_id.alias("forloebselement_id"),
            F.lit(None).cast("string").alias("kontakt_id"),
            F.lit(c["control"]).alias("code"),
            F.array().cast("array<string>").alias("addon_codes"),
            _ts(F.col("ps")).alias("start_time"),
            _ts(F.col("pe")).alias("end_time"),
            F.col("c0.unit").alias("producer_unit"),
            F.lit(None).cast("string").alias("side"),
            F.lit(None).cast("string").alias("action_spec"),
            F.lit(None).cast("string").alias("contrast"),
            F.lit(None).cast("string").alias("indication"),
            F.array().cast("array<string>").alias("indication_addons"),
            F.lit(None).cast("string").alias("personnel"),
            pay_id.alias("betalingsoplysning_id"),
            _ts(F.col("last_rep")).alias("reported_at"),
            F.lit(False).alias("deleted"),
        )
        fe_payments = fe_proc.select(
            pay_id.alias("betalingsoplysning_id"),
            fe_id.alias("forloebselement_id"),
            F.lit(None).cast("string").alias("kontakt_id"),
            _ts(F.col("ps")).alias("start_time"),
            _ts(F.col("pe")).alias("end_time"),
            F.lit(codes["agreement"]).alias("agreement"),
            F.lit(codes["payer"]).alias("payer"),
            F.lit(codes["specialisation"][0]).alias("specialisation_level"),
            _ts(F.col("last_rep")).alias("reported_at"),
            F.lit(False).alias("deleted"),
        )
        truth = agg.where(i.isNotNull()).select(
            F.when(i == "06.01", "henvisning").otherwise("forloebselement").alias("object_type"),
            F.when(i == "06.01", object_id("henvisning", F.lit(self.region), "fidx"))
            .otherwise(fe_id)
            .alias("object_id"),
            F.explode(F.when(i == "06.01", F.array(F.lit("06.01"), F.lit("06.02"))).otherwise(F.array(i))).alias(
                "rule_id"
            ),
        )
        first_report = agg.groupBy("pidx").agg(F.min("first_rep").alias("first_rep"))
        return {
            "forloebselement": final.unionByName(first),
            "henvisning": henv,
            "forloebsmarkoer": markers,
            "resultatindberetning": ri,
            "resultat": res,
            "fe_procedures": fe_procedures,
            "fe_payments": fe_payments,
            "first_report": first_report,
        }, truth

    # ---------------------------------------------------------------- patients and residence
    def _patient_rows(self, pats: DataFrame, first_report: DataFrame) -> tuple[DataFrame, DataFrame]:
        p = pats.join(first_report, "pidx")
        patient = p.select(
            "patient_id",
            "cpr",
            "birth_date",
            "sex",
            _ts(F.col("first_rep")).alias("reported_at"),
            F.lit(False).alias("deleted"),
        )
        move = F.col("move_s")
        move_rep = F.greatest(F.col("first_rep") + 60, move + 2 * DAY)
        b0 = object_id("bopael", F.lit(self.region), "pidx", F.lit(0))
        b1 = object_id("bopael", F.lit(self.region), "pidx", F.lit(1))
        first = p.select(
            b0.alias("bopael_id"),
            "patient_id",
            "municipality_code",
            "country_code",
            F.col("birth_date").alias("valid_from"),
            F.lit(None).cast("date").alias("valid_to"),
            _ts(F.col("first_rep")).alias("reported_at"),
            F.lit(False).alias("deleted"),
        )
        moved = p.where(move.isNotNull())
        closed_first = moved.select(
            b0.alias("bopael_id"),
            "patient_id",
            "municipality_code",
            "country_code",
            F.col("birth_date").alias("valid_from"),
            F.date_sub(F.to_date(_ts(move)), 1).alias("valid_to"),
            _ts(move_rep).alias("reported_at"),
            F.lit(False).alias("deleted"),
        )
        second = moved.select(
            b1.alias("bopael_id"),
            "patient_id",
            F.col("new_municipality_code").alias("municipality_code"),
            "country_code",
            F.to_date(_ts(move)).alias("valid_from"),
            F.lit(None).cast("date").alias("valid_to"),
            _ts(move_rep).alias("reported_at"),
            F.lit(False).alias("deleted"),
        )
        return patient, first.unionByName(closed_first).unionByName(second)


def generate(
    spark: SparkSession,
    region: str = "1082",
    year: int = 2021,
    scale: float = 0.001,
    seed: int = 7,
    error_rate: float | None = None,
) -> Synthetic:
    """Generate a synthetic region-year register (all versions) with its ground truth."""
    return Generator(spark, region, year, scale, seed, error_rate).generate()
