"""Bad input is answered, never silently accepted (issue 13): each kind with the engine's answer."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from jobs.cli import app
from lprflow.register import RegisterError


def test_as_of_before_any_report_fails_naming_the_first_report(spark, register_dir, tmp_path):
    from jobs.group import run_group
    from jobs.validate import run_validate

    with pytest.raises(
        RegisterError,
        match=r"nothing in the register was reported at or before 2019-01-01T00:00:00\+01:00 "
        r"\(its first report is from 2021-",
    ):
        run_validate(spark, register_dir, "2019-01-01", tmp_path / "v", quiet=True, dataset_expectations=False)
    assert not (tmp_path / "v").exists()
    with pytest.raises(RegisterError, match="nothing in the register was reported at or before"):
        run_group(spark, register_dir, 2021, "2019-01-01", tmp_path / "g", quiet=True)
    assert not (tmp_path / "g").exists()


def test_cli_as_of_before_any_report_exits_1(spark, register_dir, tmp_path):
    args = ["validate", "--register", str(register_dir), "--out", str(tmp_path / "v"), "--as-of", "2019-01-01"]
    res = CliRunner().invoke(app, [*args, "--profile", "test", "--no-dataset-expectations"])
    assert res.exit_code == 1 and "nothing in the register was reported" in res.output


def _kontakt_rows(spark, n: int, **extra):
    import datetime as dt

    from tests.register_builder import table_frame

    rows = [
        dict(kontakt_id=f"k{i}", forloebselement_id="f", patient_id="p", start_time=dt.datetime(2021, 1, 1))
        for i in range(n)
    ]
    return table_frame(spark, "kontakt", rows)


def test_a_column_missing_from_one_part_file_is_named(spark, tmp_path):
    from lprflow.register import read_table

    folder = tmp_path / "kontakt"
    _kontakt_rows(spark, 2).coalesce(1).write.parquet(str(folder))
    _kontakt_rows(spark, 1).drop("priority").coalesce(1).write.mode("append").parquet(str(folder))
    with pytest.raises(RegisterError, match=r"part-.*\.parquet: table 'kontakt' has no column 'priority' in this part"):
        read_table(spark, tmp_path, "kontakt")


def test_an_extra_column_is_named_not_dropped(spark, tmp_path):
    from pyspark.sql import functions as F

    from lprflow.register import read_table

    _kontakt_rows(spark, 1).withColumn("ward", F.lit("B3")).write.parquet(str(tmp_path / "kontakt"))
    with pytest.raises(RegisterError, match="table 'kontakt' has column\\(s\\) not in the data model: ward"):
        read_table(spark, tmp_path, "kontakt")


def test_a_truncated_part_file_is_named_before_spark_reads_it(spark, tmp_path):
    from lprflow.footers import part_files
    from lprflow.register import read_table

    _kontakt_rows(spark, 3).write.parquet(str(tmp_path / "kontakt"))
    victim = part_files(tmp_path / "kontakt")[0]
    victim.write_bytes(victim.read_bytes()[:-20])  # the footer cut off, as by an interrupted copy
    with pytest.raises(RegisterError, match=f"{victim.name}: table 'kontakt': not a readable Parquet file"):
        read_table(spark, tmp_path, "kontakt")


def test_an_empty_delivery_is_named(spark, tmp_path):
    from lprflow.register import read_table

    (tmp_path / "kontakt").mkdir()
    with pytest.raises(RegisterError, match="register table 'kontakt' has no Parquet part files"):
        read_table(spark, tmp_path, "kontakt")


def test_a_wider_integer_is_accepted(spark, tmp_path):
    import datetime as dt

    from pyspark.sql import functions as F

    from lprflow.register import read_table
    from tests.register_builder import table_frame

    row = dict(patient_id="p", cpr="0101601231", birth_date=dt.date(1960, 1, 1), sex=1)
    table_frame(spark, "patient", [row]).withColumn("sex", F.col("sex").cast("long")).write.parquet(
        str(tmp_path / "patient")
    )
    assert read_table(spark, tmp_path, "patient").first()["sex"] == 1


def test_lower_case_or_padded_codes_are_unknown_codes_and_future_times_break_00_01(spark, reference):
    import datetime as dt

    from tests.rule_cases import case, set_
    from tests.test_rules import run

    cases = [
        case("unknown", set_("diagnose", "da", code="DXXX99")),
        case("lower", set_("diagnose", "da", code="dm169")),
        case("padded", set_("diagnose", "da", code="DM169 ")),
        case("future", set_("kontakt", "k", end_time=dt.datetime(2030, 1, 1))),
    ]
    found, _ = run(spark, reference, cases)
    # a code is taken as it is sent: "dm169" and "DM169 " are not SKS codes, answered as any unknown code
    assert found["unknown"] and found["lower"] == found["unknown"] == found["padded"]
    assert ("kontakt", "k", "00.01") in found["future"]  # a time after the report's own time


def test_a_patient_with_thousands_of_contacts_loses_nothing(spark, reference):
    """One patient, one forløbselement and 2,000 copies of a clean contact with its diagnoses,
    addresses, payments and procedures; copy 7 has an unknown code: exactly that one is found."""
    import copy

    from expectations.engine import evaluate
    from expectations.frames.builder import FrameBuilder
    from expectations.rules import ALL_CHECKS
    from tests.register_builder import register_frames
    from tests.rule_cases import REPORTED, case, case_rows
    from tests.test_rules import AS_OF

    rows = case_rows([case("x")])
    hangs_on_k = {n: [r for r in rs if r.get("kontakt_id") == "x-k"] for n, rs in rows.items() if n != "kontakt"}
    for i in range(2000):
        k = copy.deepcopy(rows["kontakt"][0])
        k["kontakt_id"] = f"x-k{i}"
        k["reason"] = "ALCC01"  # an illness: the copies need no injury report of their own (RAA05.1)
        rows["kontakt"].append(k)
        for name, children in hangs_on_k.items():
            key = f"{name}_id"
            for child in children:
                c = {**copy.deepcopy(child), key: f"{child[key]}{i}", "kontakt_id": f"x-k{i}"}
                if name == "diagnose" and child["diagnose_id"] == "x-da" and i == 7:
                    c["code"] = "DXXX99"
                rows[name].append(c)
    register = register_frames(spark, rows, reported_at=REPORTED, region="1082")
    result = evaluate(FrameBuilder(register, reference).build(), ALL_CHECKS, _catalogue(), AS_OF, "x")
    found = {(r["object_type"], r["object_id"]) for r in result.issues.select("object_type", "object_id").collect()}
    assert found == {("diagnose", "x-da7")}
    assert result.metrics()["kontakt"]["rows"] == 2001 and result.metrics()["diagnose"]["rows"] == 2 * 2001


def _catalogue():
    from expectations.catalogue import load_catalogue

    return load_catalogue()
