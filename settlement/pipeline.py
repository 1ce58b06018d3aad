"""KMF and full financing of an activity year from the append-only register: the library call
behind `lprflow kmf`.

    with settle_register(spark, versions, reference, tables, grouping_config(), kmf_year(2021)) as s:
        s.items ...     # the items of the final statement, with their parts
        s.changes ...   # every item's change per statement, with its cause
        s.deltas ...    # per statement × municipality × category × month (small)

Steps: the register as of all thirteen statement dates at once, one replica per patient and
change date (`settlement.replicas`); the replicas' courses formed, grouped and valued in one pass
(`grouping.pipeline.group_register`); items from courses (`settlement.items`) and bed days
(`settlement.days`); each replica's items against the patient's previous replica
(`settlement.changes`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from grouping.config import GroupingConfig
from grouping.pipeline import group_register
from grouping.tables import TableSet
from lprflow.pseudonym import patient_key
from lprflow.reference import Reference
from lprflow.state import register_state
from settlement.changes import final_items, item_changes, statement_deltas
from settlement.config import KmfYear
from settlement.days import day_items
from settlement.items import course_items, course_payers, item_key
from settlement.replicas import (
    BEGINNING,
    change_dates,
    contact_spans,
    region_cuts,
    replicate,
    split_id,
    statement_instants,
    tagged,
)

# what the items read of a grouped course
COURSE_COLUMNS = [
    "course_id",
    "patient_id",
    "birth_date",
    "hospital_id",
    "course_kind",
    "contacts",
    "start_time",
    "end_time",
    "drg",
    "value",
    "value_parts",
    "municipality_code",
    "month",
]


@dataclass
class Settlement:
    items: DataFrame  # the final statement's items (patient_key, no patient id)
    changes: DataFrame  # item × statement deltas with their cause (patient_key)
    deltas: DataFrame  # statement × municipality × category × month, by cause
    replicas: DataFrame  # (_p, k, cut): the change dates of every patient and their regions' cuts
    replica_rows: dict[str, int]  # per table: the versions the replicas hold


def _strip(c: str) -> F.Column:
    return F.regexp_replace(F.col(c), r"@\d+$", "")


def _original_ids(items: DataFrame) -> DataFrame:
    """Replica ids back to register ids; the replica's patient `_p` and change date `k` kept."""
    p, k = split_id(F.col("patient_id"))
    out = items.select(
        "*",
        p.alias("_p"),
        k.alias("k"),
    ).withColumns(
        {
            "source_id": _strip("source_id"),
            "cap_unit_id": _strip("cap_unit_id"),
            "contacts": F.transform("contacts", lambda c: F.regexp_replace(c, r"@\d+$", "")),
        }
    )
    out = out.withColumn(
        "item_id", item_key(F.col("category"), F.col("source_id"), F.col("municipality_code"), F.col("activity_month"))
    )
    return out.drop("patient_id")


def _materialised(spark: SparkSession, df: DataFrame, folder: Path) -> DataFrame:
    """`df` written to a scratch folder and read back: later plans start from files, so the
    analyser never walks the long lineage of the replicas more than once."""
    df.write.mode("overwrite").parquet(str(folder))
    return spark.read.parquet(str(folder))


@contextmanager
def settle_register(
    spark: SparkSession,
    versions: dict[str, DataFrame],
    reference: Reference,
    tables: TableSet,
    gconf: GroupingConfig,
    conf: KmfYear,
    scratch: Path,
    regions: bool = True,
) -> Iterator[Settlement]:
    """`scratch`: a folder of the run's own for intermediate Parquet (the job uses its staging
    folder and removes it before the output is swapped in). `regions=False`: every replica holds
    the patient's whole history (slower; what the regions are tested against)."""
    instants = statement_instants(conf.statement_dates())
    tags = tagged(versions, instants)
    dates = _materialised(spark, change_dates(tags), scratch / "change_dates")
    spans = _materialised(spark, contact_spans(tags, dates), scratch / "spans")
    gap = max(gconf.courses.join_gap_hours, conf.somatic.regional_course_gap_hours)
    cuts = region_cuts(tags, dates, spans, gap) if regions else dates.withColumn("cut", F.lit(BEGINNING))
    changes = _materialised(spark, cuts, scratch / "cuts")
    reps = {
        name: _materialised(spark, df, scratch / "replicas" / name)
        for name, df in replicate(tags, changes, spans, changes).items()
    }
    rows = {name: df.count() for name, df in reps.items()}  # from the Parquet footers
    codes = conf.full_financing.faerdigbehandlet_procedures
    state = register_state(reps, None, persist=True)
    with state, group_register(spark, state.tables, reference, tables, gconf) as g:
        # written once and read back: the items are then built on small plans of files
        t = state.tables
        units = t["kontakt"].select("kontakt_id", "responsible_unit", "start_time")
        courses = _materialised(spark, g.courses.select(*COURSE_COLUMNS), scratch / "courses")
        contacts = _materialised(spark, g.contacts.join(units, "kontakt_id", "left"), scratch / "contacts")
        fb = t["procedure"].where(F.col("code").isin(*codes) & F.col("kontakt_id").isNotNull())
        fb = _materialised(spark, fb, scratch / "faerdigbehandlet")
        bopael = _materialised(spark, t["bopael"], scratch / "bopael")
        payments = _materialised(spark, t["betalingsoplysning"].select("kontakt_id", "payer"), scratch / "payments")
    payers = _materialised(spark, course_payers(contacts, payments, conf), scratch / "payers")
    raw = course_items(courses, payers, conf).unionByName(day_items(courses, contacts, fb, bopael, payers, conf))
    year = F.col("activity_month").between(f"{conf.year}-01", f"{conf.year}-12")
    items = _materialised(spark, _original_ids(raw.where(year)), scratch / "items")
    salt = gconf.courses.patient_key_salt
    final = final_items(items, changes).select(
        patient_key(F.col("_p"), salt).alias("patient_key"), *[c for c in items.columns if c not in ("_p", "k")]
    )
    changed = _materialised(spark, item_changes(items, changes), scratch / "changes")
    yield Settlement(
        items=final,
        changes=changed.select(patient_key(F.col("_p"), salt).alias("patient_key"), *changed.columns[1:]),
        deltas=statement_deltas(changed),
        replicas=changes,
        replica_rows=rows,
    )
