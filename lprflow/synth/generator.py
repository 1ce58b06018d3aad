"""A synthetic region-year of LPR3 reports, built with Spark only (no driver-side loops over data).

Shape: patients with an age/sex mix and residence (`population`); forløbselementer of several
kinds (outpatient, inpatient, acute, chronic COPD/diabetes, psychiatric, cancer, rehabilitation,
hospice, births, virtual, diagnosis reports) and readmissions within 30 days
(`forloebselementer`); their contacts (`contacts`) and report times (`reporting`); each contact's
diagnoses, procedures, opholdsadresser and betalingsoplysninger (`diagnoses`, `procedures`,
`locations`); what hangs on the forløbselement itself (`fe_objects`); late reports, corrections
and deletions; and, from the final objects, the result reports they require (`result_reports`).

Error injection (`injections`): a configurable share of eligible objects is mutated to break one
named business rule; `ground_truth` lists every (object type, object id, rule id) the mutation
must produce. Parameters: conf/generator.yaml. All times are UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import StringType, StructField, StructType

from lprflow.reference import Reference
from lprflow.schemas import TABLES
from lprflow.synth import contacts as C
from lprflow.synth import forloebselementer as FE
from lprflow.synth.config import generator_config
from lprflow.synth.context import Context
from lprflow.synth.diagnoses import diagnoses
from lprflow.synth.fe_objects import fe_objects
from lprflow.synth.injections import CONTACT, assign, truth_rows
from lprflow.synth.locations import opholdsadresser, payments
from lprflow.synth.population import patient_tables, patients
from lprflow.synth.procedures import procedures
from lprflow.synth.region_extract import MATCH_TRUTH_SCHEMA, apply_national, closing, mark, region_extract
from lprflow.synth.reporting import report_times
from lprflow.synth.result_reports import result_reports

GROUND_TRUTH_SCHEMA = StructType(
    [
        StructField("object_type", StringType(), False),
        StructField("object_id", StringType(), False),
        StructField("rule_id", StringType(), False),
    ]
)


@dataclass
class Synthetic:
    """A generated register (all report versions per table) and its injected violations."""

    tables: dict[str, DataFrame]
    ground_truth: DataFrame
    params: dict[str, Any] = field(default_factory=dict)
    region_extract: DataFrame | None = None  # the region's own contacts (lprflow/synth/region_extract.py)
    match_truth: DataFrame | None = None  # what `lprflow match` must find in it


def _contacts(ctx: Context, pats) -> DataFrame:
    """Every contact, readmissions included, with report times and contact-level injections."""
    ct = C.contacts(ctx, FE.plan(ctx, FE.draw(ctx, pats)), pats.df)
    ct = ct.unionByName(C.contacts(ctx, FE.plan(ctx, FE.readmissions(ctx, ct)), pats.df))
    ct = report_times(ctx, ct)
    return C.apply_contact_mutations(ctx, assign(ctx, CONTACT, ct, "cidx"))


def generate(
    spark: SparkSession,
    region: str | None = None,
    year: int | None = None,
    scale: float | None = None,
    seed: int | None = None,
    error_rate: float | None = None,
    discrepancy_rate: float | None = None,
) -> Synthetic:
    """Generate a synthetic region-year register (all versions) with its ground truth; what is
    not given comes from conf/generator.yaml (`defaults`, `error_rate`); `discrepancy_rate`
    replaces every share of `region_extract.discrepancies`."""
    cfg = generator_config()
    dflt = cfg.defaults
    ctx = Context.create(
        spark,
        cfg,
        Reference.load(spark),
        region=str(region or dflt.region),
        year=int(year or dflt.year),
        scale=float(dflt.scale if scale is None else scale),
        seed=int(dflt.seed if seed is None else seed),
        error_rate=float(cfg.error_rate if error_rate is None else error_rate),
    )
    pats = patients(ctx)
    ct = mark(ctx, _contacts(ctx, pats), discrepancy_rate).persist()
    dx, dx_truth = diagnoses(ctx, ct)
    px, px_truth = procedures(ctx, ct)
    oph, oph_truth = opholdsadresser(ctx, ct)
    fe = fe_objects(ctx, ct)
    patient, bopael = patient_tables(ctx, pats.df, fe.first_report)
    tables = {
        "kontakt": C.kontakt_rows(ctx, ct),
        "diagnose": dx,
        "procedure": px.unionByName(fe.procedures),
        "opholdsadresse": oph,
        **fe.tables,
        "betalingsoplysning": payments(ctx, ct).unionByName(fe.payments),
        "patient": patient,
        "bopael": bopael,
    }
    contact_truth = truth_rows(
        "contact", ct, {c: F.col(c) for c in ct.columns} | {"kontakt_id": ctx.oid("kontakt", "cidx")}
    )
    truth = contact_truth.unionByName(dx_truth).unionByName(px_truth).unionByName(oph_truth).unionByName(fe.truth)
    extract, match_truth = region_extract(ctx, tables, ct)
    tables, truth = apply_national(ctx, tables, truth, ct, discrepancy_rate)
    reports, report_truth = result_reports(ctx, tables)
    tables, truth = {**tables, **reports}, truth.unionByName(report_truth)
    out = {}
    for name, spec in TABLES.items():
        df = tables[name].withColumn("region", F.lit(ctx.region))
        out[name] = df.select([F.col(c).cast(spec.schema[c].dataType) for c in spec.columns])
    params = {
        "region": ctx.region,
        "year": ctx.year,
        "scale": ctx.scale,
        "seed": ctx.seed,
        "error_rate": ctx.error_rate,
        "discrepancy_rate": discrepancy_rate,
        "closing": closing(ctx).isoformat() + "Z",
    }
    truth = truth.select(GROUND_TRUTH_SCHEMA.fieldNames()).distinct()
    return Synthetic(out, truth, params, extract, match_truth.select(MATCH_TRUTH_SCHEMA.fieldNames()))
