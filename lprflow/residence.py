"""Where a patient lives on a date: the paying municipality (bopæl) behind every amount.

A residence record (`bopael`) holds a municipality and a country code with its valid-from date
and an end-exclusive valid-to date (null = current). The paying municipality of a patient on a
date is the municipality of the residence valid that day, or none when the patient lives abroad
(a country code other than Denmark's, conf/reference.yaml) or has no residence that day. When
records overlap, the latest valid-from wins.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from lprflow.config import reference_config


def paying_municipality(bopael: DataFrame, rows: DataFrame, key: str, on: Column) -> DataFrame:
    """(key, municipality_code) for every row of `rows` that has a residence on the date `on`.

    `rows` needs `key` (unique) and `patient_id`; `on` is a date column over `rows`. Rows without
    a residence that day are absent (join back with a left join).
    """
    danish = reference_config().danish_country_code
    b = bopael.select("patient_id", "municipality_code", "country_code", "valid_from", "valid_to")
    r = rows.select(key, "patient_id", on.alias("_on"))
    valid = r.join(b, "patient_id").where(
        (F.col("valid_from") <= F.col("_on")) & (F.col("valid_to").isNull() | (F.col("_on") < F.col("valid_to")))
    )
    best = valid.groupBy(key).agg(F.max_by(F.struct("municipality_code", "country_code"), "valid_from").alias("b"))
    lives_here = F.coalesce(F.col("b.country_code"), F.lit(danish)) == danish
    return best.select(key, F.when(lives_here, F.col("b.municipality_code")).alias("municipality_code"))
