"""The error list reproduces the generator's ground truth: every injected violation breaks its
rule, and clean objects break none (checked by the rule engine, independent of the generator)."""

from __future__ import annotations

import json

import jsonschema
from pyspark.sql import functions as F
from pyspark.testing import assertDataFrameEqual

from lprflow.paths import reference_dir


def _out_of_scope() -> list[str]:
    from expectations.catalogue import load_catalogue
    from expectations.config import validation_config
    from expectations.pipeline import out_of_scope

    return out_of_scope(load_catalogue(), validation_config())


def test_error_list_equals_ground_truth(spark, register_dir, validation_dir):
    """The whole catalogue (every group is in the default run): the result reports the generator
    sends as hospitals do break none of the 231 result-report rules, and each violation it injects
    breaks its rule."""
    # the generator's truth covers every rule it injects; the run checks the groups in scope
    truth = spark.read.parquet(str(register_dir / "ground_truth")).where(~F.col("rule_id").isin(*_out_of_scope()))
    found = spark.read.parquet(str(validation_dir / "errors")).select("object_type", "object_id", "rule_id")
    assert truth.count() > 50
    assert truth.where(F.col("rule_id").startswith("RAA")).count() > 0
    assertDataFrameEqual(found, truth)  # on failure: the rows missing and the rows extra


def test_error_list_columns_are_filled(spark, validation_dir):
    errors = spark.read.parquet(str(validation_dir / "errors"))
    for column in (
        "object_type",
        "object_id",
        "rule_id",
        "rule_version",
        "error_number",
        "severity",
        "message",
        "region",
        "responsible_unit",
        "contact_month",
    ):
        assert errors.where(F.col(column).isNull()).count() == 0, column
    assert errors.where(F.col("forloebselement_id").isNull() & (F.col("object_type") != "bopael")).count() == 0


def test_every_fejlliste_document_conforms_to_the_schema(validation_dir):
    schema = json.loads((reference_dir() / "lpr3" / "acl.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    docs = [json.loads(line) for f in sorted((validation_dir / "fejlliste").glob("part-*")) for line in f.open()]
    assert docs
    for doc in docs:
        errors = sorted(validator.iter_errors(doc), key=str)
        assert not errors, (errors[0].message, doc)


def test_fejlliste_has_one_document_per_forloebselement_and_every_issue_once(spark, validation_dir):
    errors = spark.read.parquet(str(validation_dir / "errors"))
    fes = {r[0] for r in errors.select("forloebselement_id").distinct().collect() if r[0]}
    docs = [json.loads(line) for f in (validation_dir / "fejlliste").glob("part-*") for line in f.open()]
    assert len(docs) == len({d["identifier"]["extension"] for d in docs}) == len(fes)

    def count_entries(node) -> int:
        if isinstance(node, dict):
            return sum(len(node.get(k, [])) for k in ("errors", "warnings")) + sum(
                count_entries(v) for k, v in node.items() if k not in ("errors", "warnings")
            )
        if isinstance(node, list):
            return sum(count_entries(x) for x in node)
        return 0

    assert sum(count_entries(d) for d in docs) == errors.where(F.col("object_type") != "bopael").count()


def test_summary_and_manifest(validation_dir, spark):
    summary = json.loads((validation_dir / "summary.json").read_text())
    manifest = json.loads((validation_dir / "manifest.json").read_text())
    errors = spark.read.parquet(str(validation_dir / "errors"))
    assert summary["errors"] + summary["warnings"] == errors.count()
    assert summary["reports_checked"] > errors.count()
    assert sum(r["errors"] for r in summary["per_month"]) == summary["errors"]
    assert sum(r["errors"] for r in summary["per_hospital"]) == summary["errors"]
    per_rule = {r["rule_id"]: r["objects_flagged"] for r in summary["per_rule"]}
    by_rule = {r["rule_id"]: r["n"] for r in errors.groupBy("rule_id").agg(F.count("*").alias("n")).collect()}
    assert per_rule == by_rule
    assert manifest["counts"]["errors"] == summary["errors"]
    assert manifest["as_of"] == summary["as_of"]
    assert set(manifest["outputs"]) >= {"errors", "fejlliste", "summary.json"}


def test_manifest_lists_every_input_file_with_size_and_checksum(validation_dir, register_dir):
    import hashlib

    from lprflow.schemas import TABLE_NAMES

    files = json.loads((validation_dir / "manifest.json").read_text())["inputs"]["register_files"]
    assert set(files) == set(TABLE_NAMES)
    on_disk = sorted(
        str(p.relative_to(register_dir)) for t in TABLE_NAMES for p in (register_dir / t).glob("*.parquet")
    )
    assert sorted(f["file"] for fs in files.values() for f in fs) == on_disk
    first = files["kontakt"][0]
    data = (register_dir / first["file"]).read_bytes()
    assert first["bytes"] == len(data) and first["sha256"] == hashlib.sha256(data).hexdigest()


def part_contents(folder) -> list[bytes]:
    """The bytes of a Spark output's part files in part order (their names carry a random job id)."""
    files = sorted(folder.glob("part-*"), key=lambda p: p.name.split("-")[1])
    assert files, folder
    return [p.read_bytes() for p in files]


def test_a_rerun_writes_byte_identical_data(spark, register_dir, validation_dir, tmp_path):
    from jobs.validate import run_validate
    from tests.conftest import AS_OF

    run_validate(spark, register_dir, AS_OF, tmp_path / "again", quiet=True, dataset_expectations=False)
    assertDataFrameEqual(
        spark.read.parquet(str(tmp_path / "again" / "errors")), spark.read.parquet(str(validation_dir / "errors"))
    )  # the same rows (a readable diff if not) ...
    for sub in ("errors", "fejlliste"):  # ... in the same bytes
        assert part_contents(tmp_path / "again" / sub) == part_contents(validation_dir / sub), sub
    first, again = (json.loads((d / "summary.json").read_text()) for d in (validation_dir, tmp_path / "again"))
    assert first == again
