"""Pairing (`matching.pairs`) on hand-built frames: a patient with very many contacts, and the ids
the first pass holds back for the second (every id on more than one region row)."""

from __future__ import annotations

import datetime as dt

MED, SURG = "1081010100000", "1081010200000"
HOSPITAL = "1081010000000"


def test_a_patient_with_thousands_of_contacts_pairs_in_time_buckets_not_all_against_all(spark):
    """3,000 contacts of one patient at one unit, two hours apart, none with an id in the extract:
    pass 2 looks only within the tolerance (3,000 candidate pairs, not 9 million) and pairs each
    with its own."""
    from pyspark.sql import functions as F

    from grouping.national import NATIONAL_COLUMNS
    from matching.config import matching_config
    from matching.extract import REGION_COLUMNS
    from matching.pairs import (
        LEFT,
        N_COLUMNS,
        R_COLUMNS,
        _candidates,
        duplicated_ids,
        first_pass,
        national_side,
        region_side,
        second_pass,
        settled,
    )

    n = 3000
    ids = spark.range(n).select(
        F.col("id"),
        F.timestamp_seconds(F.lit(1_609_459_200) + F.col("id") * 7200).alias("start_time"),
    )

    def shaped(columns: list[str], key: str, prefix: str) -> object:
        values = {
            key: F.concat(F.lit(prefix), F.col("id").cast("string")),
            "cpr_key": F.lit("p"),
            "responsible_unit": F.lit(MED),
            "hospital": F.lit(HOSPITAL),
            "start_time": F.col("start_time"),
            "type": F.lit("ALCA00"),
        }
        null = {c: F.lit(None).cast("timestamp" if c.endswith("_time") else "string") for c in columns}
        return ids.select(*[values.get(c, null[c]).alias(c) for c in columns])

    region = shaped(REGION_COLUMNS, "region_row_id", "r")
    region = region.withColumn("unreadable", F.array().cast("array<string>")).withColumn(
        "extra", F.create_map().cast("map<string,string>")
    )
    national = shaped(NATIONAL_COLUMNS, "kontakt_id", "K")
    rules = matching_config().match
    left_r = region.select("region_row_id", *[F.col(c).alias(f"r_{c}") for c in REGION_COLUMNS[1:]])
    left_n = national.select(*[F.col(c).alias(f"n_{c}") for c in NATIONAL_COLUMNS])
    assert _candidates(left_r, left_n, rules, same_patient=True).count() == n
    r_side = region_side(region)
    first, _ = settled(first_pass(r_side, national_side(national), duplicated_ids(r_side)))
    assert first.where(~F.col(LEFT)).count() == 0  # nothing has an id in the extract: all left
    has_r = F.col("region_row_id").isNotNull()
    left_r, _ = settled(first.where(has_r).select(*R_COLUMNS))
    left_n, _ = settled(first.where(~has_r).select(*N_COLUMNS))
    paired = second_pass(left_r, left_n, rules)
    try:
        rows = paired.rows.groupBy("matched_on").agg(
            F.count("*").alias("n"),
            F.count_if(F.substring("region_row_id", 2, 10) != F.substring("n_kontakt_id", 2, 10)).alias("wrong"),
        )
        assert {r["matched_on"]: (r["n"], r["wrong"]) for r in rows.collect()} == {"patient_unit_start": (n, 0)}
    finally:
        for df in [first, left_r, left_n, *paired.cached]:
            df.unpersist()


def test_ids_held_back_by_the_first_pass_pair_on_the_id_in_the_second(spark, monkeypatch):
    """The first pass holds back every id on more than one region row (`duplicated_ids`) and any
    other id it is told to; the second pass finds their duplicates and pairs their leads on the id
    (also where unit and start differ): the same pairs whichever ids are held back."""
    from pyspark.sql import functions as F

    from grouping.national import NATIONAL_COLUMNS
    from matching.config import matching_config
    from matching.extract import REGION_COLUMNS
    from matching.pairs import (
        LEFT,
        N_COLUMNS,
        R_COLUMNS,
        duplicated_ids,
        first_pass,
        id_hash,
        national_side,
        region_side,
        second_pass,
    )

    t = dt.datetime(2021, 3, 1, 8)
    late = dt.datetime(2021, 6, 1, 8)  # K3's start in the extract: months from the national one

    def frame(columns: list[str], rows: list[dict]) -> object:
        types = {c: "timestamp" if c.endswith("_time") else "string" for c in columns}
        types |= {"birth_date": "date", "sex": "int", "value": "double", "course_value": "double",
                  "own_value": "double", "unreadable": "array<string>", "extra": "map<string,string>"}  # fmt: skip
        return spark.createDataFrame(
            [tuple(r.get(c) for c in columns) for r in rows], ", ".join(f"{c} {types[c]}" for c in columns)
        )

    region = frame(
        REGION_COLUMNS,
        [
            {"region_row_id": "r2", "kontakt_id": "K1", "cpr_key": "p", "responsible_unit": MED, "start_time": t},
            {"region_row_id": "r1", "kontakt_id": "K1", "cpr_key": "p", "responsible_unit": MED, "start_time": t},
            {"region_row_id": "r3", "kontakt_id": "K2", "cpr_key": "p", "responsible_unit": MED, "start_time": t},
            {"region_row_id": "r4", "kontakt_id": "K3", "cpr_key": "p", "responsible_unit": SURG, "start_time": late},
            {"region_row_id": "r5", "kontakt_id": "K4", "cpr_key": "p", "responsible_unit": MED, "start_time": t},
            {"region_row_id": "r6", "kontakt_id": "K4", "cpr_key": "p", "responsible_unit": MED, "start_time": late},
            {"region_row_id": "r7", "cpr_key": "p", "responsible_unit": SURG, "start_time": late},  # no id, alone
        ],
    )
    national = frame(
        NATIONAL_COLUMNS,
        [{"kontakt_id": k, "cpr_key": "p", "responsible_unit": MED, "start_time": t} for k in ("K1", "K2", "K3")],
    )
    rules = matching_config().match
    r_side = region_side(region)
    dups = duplicated_ids(r_side)
    hashes = spark.createDataFrame([(k,) for k in ("K1", "K3", "K4")], "k string").select(
        "k", id_hash(F.col("k")).alias("id_hash")
    )
    assert sorted(r["k"] for r in hashes.join(dups, "id_hash").collect()) == ["K1", "K4"]

    def pairs(held: object) -> tuple[set, set, tuple[int, int]]:
        first = first_pass(r_side, national_side(national), held).cache()
        settled_here = {r["region_row_id"] for r in first.where(~F.col(LEFT)).collect()}
        left = first.where(F.col(LEFT))
        has_r = F.col("region_row_id").isNotNull()
        paired = second_pass(left.where(has_r).select(*R_COLUMNS), left.where(~has_r).select(*N_COLUMNS), rules)
        rows = first.where(~F.col(LEFT)).drop(LEFT).unionByName(paired.rows)
        got = {(r["region_row_id"], r["n_kontakt_id"], r["dup_of"], r["matched_on"]) for r in rows.collect()}
        lone = sorted(r["region_row_id"] for r in paired.lone.collect())
        assert lone == ["r5", "r7"]
        # what the lookups and the value ask of the lone rows, on the driver (they are few)
        assert paired.lone_values == {"region_row_id": ["r5", "r7"], "r_cpr_key": ["p"], "r_kontakt_id": ["K4"]}
        assert paired.lone_keys("r_kontakt_id") == ["K4"]
        for df in [first, *paired.cached]:
            df.unpersist()
        return settled_here, got, (paired.n_lone, paired.n_lone_no_id)

    # r1 leads K1 (the smallest row id), r2 is its duplicate; K4 has no national contact
    expected = {("r1", "K1", None, "kontakt_id"), ("r2", None, "r1", None), ("r3", "K2", None, "kontakt_id"),
                ("r4", "K3", None, "kontakt_id"), ("r5", None, None, None), ("r6", None, "r5", None),
                ("r7", None, None, None)}  # fmt: skip
    more = dups.unionByName(hashes.where(F.col("k") == "K3").select("id_hash"))
    # left alone: r5 (K4, no national contact) and r7 (no id), counted as the second pass computes them
    assert pairs(dups) == ({"r3", "r4"}, expected, (2, 1))
    assert pairs(more) == ({"r3"}, expected, (2, 1))
    # more lone rows than FEW_KEYS: their keys stay a frame (the same values)
    import matching.pairs

    monkeypatch.setattr(matching.pairs, "FEW_KEYS", 1)
    left = first_pass(r_side, national_side(national), dups).where(F.col(LEFT))
    has_r = F.col("region_row_id").isNotNull()
    paired = second_pass(left.where(has_r).select(*R_COLUMNS), left.where(~has_r).select(*N_COLUMNS), rules)
    assert paired.lone_values is None
    assert sorted(r[0] for r in paired.lone_keys("region_row_id").collect()) == ["r5", "r7"]
    for df in paired.cached:
        df.unpersist()
