"""Statements on the timetable from hand-built replicas: what each statement charges and why, the
regional cap crossed in December, the state's refund by population, the a-conto settlement."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from lprflow.paths import reference_dir
from settlement.changes import CAUSES, final_items, item_changes, statement_deltas
from settlement.config import kmf_year
from settlement.statements import a_conto, build_statements, population

ITEMS = (
    "_p string, k int, item_id string, category string, municipality_code string, activity_month string, "
    "amount double, gross double, course_start timestamp"
)
T0 = dt.datetime(2021, 1, 1)


def _changes(spark, items, replicas):
    i = spark.createDataFrame(items, ITEMS)
    c = spark.createDataFrame(
        replicas, "_p string, k int, cut timestamp" if len(replicas[0]) == 3 else "_p string, k int"
    )
    return {(r["item_id"], r["statement_no"]): (r["delta"], r["cause"]) for r in item_changes(i, c).collect()}


def test_each_cause_lands_in_the_right_statement(spark):
    items = [
        ("P1", 0, "on_time", "kmf_somatic", "0751", "2021-01", 100.0, 100.0, T0),  # January: statement 0
        ("P2", 4, "late", "kmf_somatic", "0751", "2021-02", 200.0, 200.0, T0),  # February, first seen in statement 4
        ("P3", 0, "deleted", "kmf_somatic", "0751", "2021-01", 300.0, 300.0, T0),  # gone in replica 5
        ("P4", 0, "changed_early", "kmf_somatic", "0751", "2021-03", 50.0, 50.0, T0),  # changed before March is charged
        ("P4", 2, "changed_early", "kmf_somatic", "0751", "2021-03", 70.0, 70.0, T0),
        ("P5", 0, "capped", "kmf_somatic", "0751", "2021-01", 1000.0, 1000.0, T0),
        ("P5", 3, "capped", "kmf_somatic", "0751", "2021-01", 800.0, 1000.0, T0),  # the cap's share changed
        ("P6", 0, "corrected", "kmf_somatic", "0751", "2021-01", 1000.0, 1000.0, T0),
        ("P6", 3, "corrected", "kmf_somatic", "0751", "2021-01", 1200.0, 1200.0, T0),  # its value changed
        ("P7", 12, "after_year_end", "hospice", "0751", "2021-12", 2155.0, 2155.0, T0),  # in the final statement only
        ("P8", 11, "december", "hospice", "0751", "2021-12", 4310.0, 4310.0, T0),  # December's preliminary one
        ("P8", 11, "november_late", "hospice", "0751", "2021-11", 2155.0, 2155.0, T0),
    ]
    replicas = [
        ("P1", 0),
        ("P2", 1),
        ("P2", 4),
        ("P3", 0),
        ("P3", 5),
        ("P4", 0),
        ("P4", 2),
        ("P5", 0),
        ("P5", 3),
        ("P6", 0),
        ("P6", 3),
        ("P7", 12),
        ("P8", 11),
    ]
    got = _changes(spark, items, replicas)
    assert got == {
        ("on_time", 0): (100.0, "new_activity"),
        ("late", 4): (200.0, "late_registration"),
        ("deleted", 0): (300.0, "new_activity"),
        ("deleted", 5): (-300.0, "deletion"),
        ("changed_early", 2): (70.0, "new_activity"),  # the version known when March is first charged
        ("capped", 0): (1000.0, "new_activity"),
        ("capped", 3): (-200.0, "cap"),
        ("corrected", 0): (1000.0, "new_activity"),
        ("corrected", 3): (200.0, "correction"),
        ("after_year_end", 12): (2155.0, "late_registration"),
        ("december", 11): (4310.0, "new_activity"),
        ("november_late", 11): (2155.0, "late_registration"),
    }
    deltas = statement_deltas(
        item_changes(spark.createDataFrame(items, ITEMS), spark.createDataFrame(replicas, "_p string, k int"))
    )
    s3 = deltas.where("statement_no = 3 and category = 'kmf_somatic'").first()
    assert (s3["delta"], s3["cap"], s3["correction"], s3["items_changed"]) == (0.0, -200.0, 200.0, 2)


def test_an_item_before_the_next_replicas_cut_is_final_not_deleted(spark):
    """Replica 3 holds only the contacts from 1 February on (its cut): January's course is not in
    it and stays as replica 0 had it; February's is replaced (corrected), March's is new there."""
    jan, feb, mar = dt.datetime(2021, 1, 5), dt.datetime(2021, 2, 10), dt.datetime(2021, 3, 3)
    items = [
        ("P9", 0, "january", "kmf_somatic", "0751", "2021-01", 100.0, 100.0, jan),
        ("P9", 0, "february", "kmf_somatic", "0751", "2021-02", 100.0, 100.0, feb),
        ("P9", 3, "february", "kmf_somatic", "0751", "2021-02", 150.0, 150.0, feb),
        ("P9", 3, "march", "kmf_somatic", "0751", "2021-03", 50.0, 50.0, mar),
    ]
    # P10: May's course is final in replica 0 (replica 2 holds only June on): charged when May is
    items += [
        ("P10", 0, "may", "kmf_somatic", "0751", "2021-05", 80.0, 80.0, dt.datetime(2021, 5, 3)),
        ("P10", 2, "june", "kmf_somatic", "0751", "2021-06", 90.0, 90.0, dt.datetime(2021, 6, 2)),
    ]
    replicas = [("P9", 0, dt.datetime(1900, 1, 1)), ("P9", 3, dt.datetime(2021, 2, 1))]
    replicas += [("P10", 0, dt.datetime(1900, 1, 1)), ("P10", 2, dt.datetime(2021, 6, 1))]
    assert _changes(spark, items, replicas) == {
        ("may", 4): (80.0, "new_activity"),
        ("june", 5): (90.0, "new_activity"),
        ("january", 0): (100.0, "new_activity"),  # and no deletion in statement 3
        ("february", 1): (100.0, "new_activity"),
        ("february", 3): (50.0, "correction"),
        ("march", 3): (50.0, "late_registration"),
    }
    final = final_items(
        spark.createDataFrame(items, ITEMS), spark.createDataFrame(replicas, "_p string, k int, cut timestamp")
    )
    assert sorted((r["item_id"], r["k"], r["amount"]) for r in final.collect()) == [
        ("february", 3, 150.0),
        ("january", 0, 100.0),
        ("june", 2, 90.0),
        ("march", 3, 50.0),
        ("may", 0, 80.0),
    ]
    # without cuts (every replica holds everything) January's absence from replica 3 is a deletion
    whole = _changes(spark, items, [r[:2] for r in replicas])
    assert whole[("january", 3)] == (-100.0, "deletion")


def _deltas(rows):
    cols = ["statement_no", "municipality_code", "category", "activity_month", "delta", *CAUSES, "items_changed"]
    out = []
    for j, muni, cat, month, delta in rows:
        out.append(
            {
                **dict.fromkeys(cols, 0.0),
                "statement_no": j,
                "municipality_code": muni,
                "category": cat,
                "activity_month": month,
                "delta": delta,
                "new_activity": delta,
                "items_changed": 1,
            }
        )
    return pd.DataFrame(out, columns=cols)


MIDT = sorted(pd.read_csv(reference_dir() / "population.csv", dtype=str)["municipality_code"])


def test_the_region_crosses_its_cap_in_december_and_repays_the_excess():
    conf = kmf_year(2021).model_copy(update={"region_cap": {"1082": 1000.0}})
    # 0751 and 0730 are charged 45 + 45 kr a month: 990 kr by November, 1,080 with December
    rows = [(m - 1, muni, "kmf_somatic", f"2021-{m:02d}", 45.0) for m in range(1, 13) for muni in ("0751", "0730")]
    st, series = build_statements(_deltas(rows), conf, "1082", MIDT, reference_dir())
    cap = st[st["category"] == "regional_cap"]
    assert list(cap["statement_no"]) == [11, 11]  # nothing repaid before December
    assert dict(zip(cap["municipality_code"], cap["delta"], strict=True)) == {"0730": -40.0, "0751": -40.0}
    assert series[10]["repaid"] == 0.0 and series[11]["gross_kmf"] == 1080.0
    assert (series[11]["repaid"], series[11]["capped_kmf"], series[12]["repaid_in_statement"]) == (80.0, 1000.0, 0.0)
    assert st["delta"].sum() == pytest.approx(1000.0)
    final = st[st["statement_no"] == 12]
    assert final.empty  # nothing changed after the December statement


def test_charged_before_and_in_total_add_up():
    conf = kmf_year(2021)
    rows = [
        (0, "0751", "kmf_somatic", "2021-01", 100.0),
        (4, "0751", "kmf_somatic", "2021-01", -30.0),
        (12, "0751", "kmf_somatic", "2021-01", 5.0),
    ]
    st, _ = build_statements(_deltas(rows), conf, "1082", MIDT, reference_dir())
    assert list(st["charged_before"]) == [0.0, 100.0, 70.0] and list(st["charged_total"]) == [100.0, 70.0, 75.0]
    assert list(st["statement_kind"]) == ["preliminary", "preliminary", "final"]
    assert list(st["as_of"]) == [dt.date(2021, 2, 10), dt.date(2021, 6, 10), dt.date(2022, 3, 1)]
    assert list(st["period"]) == ["2021-01", "2021-05", "2021"]


def test_state_surcharge_is_handed_back_by_population():
    conf = kmf_year(2021)
    pop = population(reference_dir(), 2021, MIDT)
    st, _ = build_statements(
        _deltas([(4, "0751", "faerdigbehandlet_state", "2021-05", 10000.0)]), conf, "1082", MIDT, reference_dir()
    )
    refund = st[st["category"] == "state_refund"].set_index("municipality_code")["delta"]
    assert refund.sum() == pytest.approx(-10000.0, abs=0.001)
    assert refund["0751"] == pytest.approx(-10000.0 * pop["0751"] / pop.sum(), abs=0.02)
    assert len(refund) == 19


def test_a_conto_settlement_and_a_region_without_population():
    conf = kmf_year(2021)  # Midtjylland: 401.7 mio. kr a month
    st, _ = build_statements(_deltas([(0, "0751", "kmf_somatic", "2021-01", 1e6)]), conf, "1082", MIDT, reference_dir())
    s = a_conto(st, conf, "1082", MIDT, reference_dir()).set_index("municipality_code")
    assert s["a_conto_monthly"].sum() == pytest.approx(401_700_000, abs=0.01)
    assert s.loc["0751", "activity_based"] == 1e6
    assert s.loc["0751", "to_settle"] == pytest.approx(1e6 - s.loc["0751", "a_conto_year"])
    with pytest.raises(ValueError, match="population.csv: no population for municipality 0101"):
        population(reference_dir(), 2021, ["0101"])
