"""bench/bench_checks.py's share of the result reports: whole reports with every version and result,
the other tables untouched."""

from __future__ import annotations

import pytest

from bench.bench_checks import result_report_share


@pytest.fixture(scope="module")
def versions(spark):
    reports = spark.createDataFrame(
        [(f"r{i}", v) for i in range(1000) for v in (1, 2)], "resultatindberetning_id string, version int"
    )
    results = spark.createDataFrame(
        [(f"x{i}-{j}", f"r{i}") for i in range(1000) for j in range(3)],
        "resultat_id string, resultatindberetning_id string",
    )
    contacts = spark.createDataFrame([("k1",), ("k2",)], "kontakt_id string")
    return {"resultatindberetning": reports, "resultat": results, "kontakt": contacts}


def _ids(df) -> set[str]:
    return {r[0] for r in df.select("resultatindberetning_id").distinct().collect()}


def test_a_share_keeps_whole_reports_and_their_results(versions):
    tenth, half = result_report_share(versions, 0.1), result_report_share(versions, 0.5)
    kept = _ids(half["resultatindberetning"])
    assert 400 < len(kept) < 600
    assert half["resultatindberetning"].count() == 2 * len(kept)  # every version of a kept report
    assert half["resultat"].count() == 3 * len(kept) and _ids(half["resultat"]) == kept
    assert _ids(tenth["resultatindberetning"]) < kept  # a smaller share keeps a subset
    assert half["kontakt"] is versions["kontakt"]


def test_shares_zero_and_one_keep_none_and_all(versions):
    none, every = result_report_share(versions, 0), result_report_share(versions, 1)
    assert none["resultatindberetning"].count() == 0 and none["resultat"].count() == 0
    assert every["resultatindberetning"].count() == 2000 and every["resultat"].count() == 3000
    with pytest.raises(ValueError, match="between 0 and 1"):
        result_report_share(versions, 1.5)
