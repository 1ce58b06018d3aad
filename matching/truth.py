"""The discrepancies of a contacts/ output in the form of the generator's match_truth/
(lprflow/synth/region_extract.py): a row per non-match, per difference, and per pair matched on
patient, unit and start, so the two compare row for row."""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

TRUTH_COLUMNS = ["source_id", "kontakt_id", "status", "matched_on", "reason", "field"]


def discrepancies(contacts: DataFrame) -> DataFrame:
    none = F.lit(None).cast("string")
    status = F.col("status")
    lone = contacts.where(status.isin("only_region", "only_national")).select(
        F.col("region_row_id").alias("source_id"),
        F.when(status == "only_national", F.col("kontakt_id")).alias("kontakt_id"),
        "status",
        none.alias("matched_on"),
        "reason",
        none.alias("field"),
    )
    diffs = (
        contacts.where(status == "matched_with_differences")
        .select(
            F.col("region_row_id").alias("source_id"), "kontakt_id", "status", "matched_on",
            F.explode("differences").alias("d"),
        )
        .select("source_id", "kontakt_id", "status", "matched_on", F.col("d.reason").alias("reason"),
                F.col("d.field").alias("field"))
    )  # fmt: skip
    second = contacts.where((status == "matched") & (F.col("matched_on") == "patient_unit_start")).select(
        F.col("region_row_id").alias("source_id"), "kontakt_id", "status", "matched_on", none.alias("reason"),
        none.alias("field"),
    )  # fmt: skip
    return lone.unionByName(diffs).unionByName(second).select(*TRUTH_COLUMNS)
