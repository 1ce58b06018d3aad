"""The error list in the authority's official form: one JSON document per forløbselement with
open issues, each issue nested under its object along the forløbselement's tree
(reference/lpr3/acl.schema.json). Built with Spark: one aggregation per forløbselement, then
higher-order functions shape the tree; nothing is collected on the driver.

Where an object's issues go:
  forløbselement, henvisning, a payment of a procedure on the forløbselement → root errors/warnings
  patient residence (bopæl)                                          → patient
  kontakt, its opholdsadresser and betalingsoplysninger               → encounters[].errors
  diagnose                                                           → encounters[].conditions[]
  procedure on a contact / on the forløbselement                    → encounters[].procedures[] / procedures[]
  forløbsmarkør                                                      → markers[]
  resultat                                                           → observationOrganizers[] (its result report)
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

PATIENT_ROOT = "lprflow:patient_id"  # pseudonymous key; the CPR number is never written here


def _slot() -> Column:
    t, parent = F.col("object_type"), F.col("parent_id")
    return (
        F.when(t == "bopael", "patient")
        .when(t.isin("kontakt"), "encounter")
        .when(t.isin("opholdsadresse", "betalingsoplysning") & parent.isNotNull(), "encounter")
        .when(t == "diagnose", "condition")
        .when((t == "procedure") & parent.isNotNull(), "e_procedure")
        .when(t == "procedure", "procedure")
        .when(t == "forloebsmarkoer", "marker")
        .when(t.isin("resultat", "resultatindberetning"), "organizer")
        .otherwise("root")
    )


def _kontakt() -> Column:
    t = F.col("object_type")
    return F.when(t == "kontakt", F.col("object_id")).when(
        t.isin("opholdsadresse", "betalingsoplysning", "diagnose", "procedure"), F.col("parent_id")
    )


def _node_id() -> Column:
    """The id a condition/procedure/marker/organizer node is identified by."""
    return F.when(F.col("object_type") == "resultat", F.col("parent_id")).otherwise(F.col("object_id"))


def _entries(items: Column, severity: str) -> Column:
    chosen = F.filter(items, lambda x: x["sev"] == severity)
    arr = F.transform(chosen, lambda x: x["entry"])
    return F.when(F.size(arr) > 0, arr)


def _identifier(root: str, ext: Column) -> Column:
    return F.struct(F.lit(root).alias("root"), ext.alias("extension"))


def _nodes(items: Column, slot: str, root: str, extra: dict | None = None) -> Column:
    mine = F.filter(items, lambda x: x["slot"] == slot)
    ids = F.array_sort(F.array_distinct(F.transform(mine, lambda x: x["node"])))

    def node(i: Column) -> Column:
        own = F.filter(mine, lambda x: x["node"] == i)
        return F.struct(
            _identifier(root, i).alias("identifier"),
            _entries(own, "ERROR").alias("errors"),
            _entries(own, "WARNING").alias("warnings"),
        )

    arr = F.transform(ids, node)
    return F.when(F.size(arr) > 0, arr)


def build_documents(issues: DataFrame, forloebselementer: DataFrame, identifier_root: str) -> DataFrame:
    """One row per forløbselement with issues: (forloebselement_id, document JSON string).

    `forloebselementer` maps forloebselement_id → patient_id (patient-level issues go to every forløbselement of
    the patient).
    """
    patient_issues = issues.where(F.col("object_type") == "bopael").drop("forloebselement_id")
    patient_issues = patient_issues.join(
        forloebselementer.select("forloebselement_id", F.col("patient_id").alias("parent_id")), "parent_id"
    )
    own = issues.where((F.col("object_type") != "bopael") & F.col("forloebselement_id").isNotNull())
    rows = own.unionByName(patient_issues.select(own.columns))
    entry = F.struct(
        F.col("rule_id").alias("ruleId"),
        F.col("rule_version").alias("ruleVersion"),
        F.col("error_number").alias("code"),
        F.col("message").alias("message"),
        F.when(F.col("severity") == "WARNING", F.date_format("error_by", "yyyy-MM-dd'T'HH:mm:ssxxx")).alias("errorBy"),
    )
    item = F.struct(
        _slot().alias("slot"),
        _kontakt().alias("kontakt"),
        _node_id().alias("node"),
        F.col("severity").alias("sev"),
        entry.alias("entry"),
    )
    grouped = rows.groupBy("forloebselement_id").agg(F.array_sort(F.collect_list(item)).alias("items"))
    grouped = grouped.join(forloebselementer.select("forloebselement_id", "patient_id"), "forloebselement_id", "left")
    items = F.col("items")
    enc_items = F.filter(items, lambda x: x["slot"].isin("encounter", "condition", "e_procedure"))
    kontakt_ids = F.array_sort(F.array_distinct(F.transform(enc_items, lambda x: x["kontakt"])))

    def encounter(k: Column) -> Column:
        mine = F.filter(enc_items, lambda x: x["kontakt"] == k)
        own = F.filter(mine, lambda x: x["slot"] == "encounter")
        return F.struct(
            _identifier(identifier_root, k).alias("identifier"),
            _entries(own, "ERROR").alias("errors"),
            _entries(own, "WARNING").alias("warnings"),
            _nodes(mine, "e_procedure", identifier_root).alias("procedures"),
            _nodes(mine, "condition", identifier_root).alias("conditions"),
        )

    encounters = F.transform(kontakt_ids, encounter)
    patient_items = F.filter(items, lambda x: x["slot"] == "patient")
    patient = F.when(
        F.size(patient_items) > 0,
        F.struct(
            F.array(_identifier(PATIENT_ROOT, F.col("patient_id"))).alias("identifiers"),
            _entries(patient_items, "ERROR").alias("errors"),
            _entries(patient_items, "WARNING").alias("warnings"),
        ),
    )
    root_items = F.filter(items, lambda x: x["slot"] == "root")
    doc = F.struct(
        _identifier(identifier_root, F.col("forloebselement_id")).alias("identifier"),
        _entries(root_items, "ERROR").alias("errors"),
        _entries(root_items, "WARNING").alias("warnings"),
        patient.alias("patient"),
        _nodes(items, "marker", identifier_root).alias("markers"),
        F.when(F.size(encounters) > 0, encounters).alias("encounters"),
        _nodes(items, "procedure", identifier_root).alias("procedures"),
        _nodes(items, "organizer", identifier_root).alias("observationOrganizers"),
    )
    return grouped.select("forloebselement_id", F.to_json(doc, {"ignoreNullFields": "true"}).alias("document"))
