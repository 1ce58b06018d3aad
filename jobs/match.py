"""Job: a region's own contacts against the national DRG data, a reason for every difference.

    lprflow match --region-contacts PATH --national DIR [--errors DIR] [--register DIR] --out DIR
    spark-submit jobs/cli.py match --region-contacts PATH --national DIR --out DIR

--national is the output of `lprflow group` (its manifest names the register and the as-of time)
or Parquet in the documented national schema (docs/MATCHING.md). Writes under --out: contacts/
(one row per contact of either side: ids, status, the key that matched, differences, reason,
value at stake), summary.json and manifest.json; all or nothing.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from pyspark.sql import DataFrame, SparkSession

from grouping.config import grouping_config
from grouping.pipeline import tables_for_year
from grouping.tables import TableSet
from jobs.common import step
from lprflow.config import ConfigError
from lprflow.manifest import register_files, versions
from lprflow.output import atomic_output, check_target
from lprflow.reference import Reference
from lprflow.register import parse_time, read_table
from matching.compare import compared_fields
from matching.config import matching_config
from matching.extract import read_extract, read_kontakt_ids, read_people
from matching.keys import Keys
from matching.national import read_national
from matching.pipeline import write_contacts
from matching.reasons import REGISTER_TABLES
from matching.summary import match_summary


def run_match(
    spark: SparkSession,
    region_contacts: str | Path,
    national: str | Path,
    out: str | Path,
    errors: str | Path | None = None,
    register: str | Path | None = None,
    year: int | None = None,
    as_of: str | None = None,
    mapping: str | Path | None = None,
    tables_dir: str | Path | None = None,
    quiet: bool = False,
    overwrite: bool = False,
) -> dict[str, Any]:
    """Match, explain and value; write contacts/, summary.json, manifest.json; returns the summary.

    The register and as-of time default to those the national data was grouped from; the year
    (the extract's activity year) and the tariff year of the value at stake to its tariff year."""
    t0 = time.perf_counter()
    conf = matching_config(mapping)
    gconf = grouping_config()
    nat = read_national(spark, national)
    register = Path(register) if register else nat.register
    at = parse_time(as_of) if as_of else nat.as_of
    year = int(year or nat.tariff_year or 0)
    if not year:
        raise ConfigError("lprflow match: the national data names no tariff year; pass --year")
    tables = TableSet.load(tables_dir, require_tariffs=True) if tables_dir else tables_for_year(year, gconf)
    inputs = [p for p in (region_contacts, national, errors, register) if p is not None]
    check_target(out, "match", inputs, overwrite)
    reference = Reference.load(spark)
    extract_args = (spark, region_contacts, conf.extract, gconf.courses.patient_key_salt, reference.sor_units)
    region = read_extract(*extract_args)
    versions_ = (
        {name: read_table(spark, register, name) for name in REGISTER_TABLES}
        if register is not None and register.exists()
        else None
    )
    errs = spark.read.parquet(str(Path(errors) / "errors")) if errors else None
    manifest: dict[str, Any] = {
        "inputs": {
            "region_contacts": str(Path(region_contacts).resolve()),
            "national": str(nat.source.resolve()),
            "errors": str(Path(errors).resolve()) if errors else None,
            "register": str(register.resolve()) if versions_ is not None else None,
            "register_files": None,  # below: hashed while the match runs
            "reference": str(reference.folder),
        },
        "as_of": at.isoformat() + "Z" if at else None,
        "year": year,
        "tables": tables.manifest(),
        "parameters": conf.model_dump(mode="json"),
        "versions": versions(),
    }
    fields = compared_fields(conf.match, set(conf.extract.mapped()))

    def people(ids: Keys, n_ids: int) -> DataFrame:
        return read_people(*extract_args, ids, n_ids)

    with (
        ThreadPoolExecutor(1) as pool,  # the register's files hashed for the manifest (~0.7 s a region-year)
        atomic_output(out, "match", manifest, inputs, overwrite) as o,
    ):
        files = pool.submit(register_files, register, list(versions_)) if versions_ is not None else None
        with step("pairing, comparing, explaining and valuing; writing contacts/", quiet):
            counted, read = write_contacts(
                spark,
                region,
                nat.contacts,
                conf,
                fields,
                year,
                at,
                versions_,
                errs,
                reference,
                tables,
                gconf,
                o,
                people,
                read_kontakt_ids(spark, region_contacts, conf.extract),
            )
        manifest["inputs"]["register_files"] = files.result() if files is not None else None
        with step("summary and row accounting", quiet):
            summary, in_contacts = match_summary(counted)
            manifest["rows"] = {
                side: {"read": read[side], "in_contacts": in_contacts[side]} for side in ("region_contacts", "national")
            }
            for side, c in manifest["rows"].items():
                if c["read"] != c["in_contacts"]:
                    raise RuntimeError(f"{side}: {c['read']} rows read, {c['in_contacts']} in contacts/")
        summary["as_of"] = manifest["as_of"]
        summary["year"] = year
        summary["compared"] = fields
        summary["seconds"] = round(time.perf_counter() - t0, 1)
        o.write_json("summary.json", summary)
    return summary
