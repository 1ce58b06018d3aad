"""The register as of a time (lprflow/state.py): removals cascade down the tree, ties and orphans
are set aside, and every row read is accounted for — on hand-built registers."""

from __future__ import annotations

import datetime as dt
from functools import reduce

import pytest
from pyspark.sql import DataFrame

from lprflow.state import AccountingError, register_state
from tests.register_builder import register_frames

T0 = dt.datetime(2021, 3, 1)
T1 = dt.datetime(2021, 3, 5)
T2 = dt.datetime(2021, 3, 9)
AT = dt.datetime(2021, 4, 1)


def _tree(suffix: str = "") -> dict[str, list[dict]]:
    """One patient, one forløbselement with two contacts; diagnoses, an opholdsadresse and a payment
    on contact a; a procedure on contact a and one directly on the forløbselement."""
    s = suffix
    return {
        "patient": [dict(patient_id=f"p{s}", cpr="0101601231")],
        "forloebselement": [dict(forloebselement_id=f"f{s}", patient_id=f"p{s}")],
        "kontakt": [
            dict(kontakt_id=f"ka{s}", forloebselement_id=f"f{s}", patient_id=f"p{s}"),
            dict(kontakt_id=f"kb{s}", forloebselement_id=f"f{s}", patient_id=f"p{s}"),
        ],
        "diagnose": [dict(diagnose_id=f"d1{s}", kontakt_id=f"ka{s}"), dict(diagnose_id=f"d2{s}", kontakt_id=f"kb{s}")],
        "opholdsadresse": [dict(opholdsadresse_id=f"o{s}", kontakt_id=f"ka{s}")],
        "betalingsoplysning": [dict(betalingsoplysning_id=f"b{s}", forloebselement_id=f"f{s}", kontakt_id=f"ka{s}")],
        "procedure": [
            dict(procedure_id=f"pa{s}", forloebselement_id=f"f{s}", kontakt_id=f"ka{s}"),
            dict(procedure_id=f"pf{s}", forloebselement_id=f"f{s}"),
        ],
    }


def _versions(spark, *batches: tuple[dict[str, list[dict]], dt.datetime]):
    frames = None
    for rows, at in batches:
        batch = register_frames(spark, rows, reported_at=at)
        frames = batch if frames is None else {k: frames[k].unionByName(batch[k]) for k in frames}
    return frames


def _ids(state, name: str) -> set[str]:
    key = {"forloebselement": "forloebselement_id"}.get(name, f"{name}_id")
    return {r[0] for r in state.tables[name].select(key).collect()}


def _statuses(state) -> dict[tuple[str, str], tuple[str, str | None]]:
    every = reduce(
        DataFrame.unionByName, [df.select("table", "_id", "status", "reason") for df in state.objects.values()]
    )
    return {(r["table"], r["_id"]): (r["status"], r["reason"]) for r in every.collect()}


def _read(versions) -> dict[str, int]:
    return {name: df.count() for name, df in versions.items()}


def test_a_clean_tree_is_current_whole(spark):
    state = register_state(_versions(spark, (_tree(), T0)), AT, persist=True)
    assert _ids(state, "kontakt") == {"ka", "kb"} and _ids(state, "procedure") == {"pa", "pf"}
    assert {s for s, _ in _statuses(state).values()} == {"current"}


def test_removing_a_forloebselement_removes_its_whole_subtree(spark):
    deletion = {"forloebselement": [dict(forloebselement_id="f", patient_id="p", deleted=True)]}
    versions = _versions(spark, (_tree(), T0), (deletion, T1))
    state = register_state(versions, AT, persist=True)
    for name in ("forloebselement", "kontakt", "diagnose", "opholdsadresse", "betalingsoplysning", "procedure"):
        assert _ids(state, name) == set(), name
    assert _ids(state, "patient") == {"p"}
    st = _statuses(state)
    assert st[("forloebselement", "f")] == ("deleted", "deleted")
    assert st[("kontakt", "ka")] == ("deleted", "deleted_with_owner")
    assert st[("diagnose", "d2")] == ("deleted", "deleted_with_owner")  # two levels down
    assert st[("procedure", "pf")] == ("deleted", "deleted_with_owner")
    rows = state.accounting(versions, _read(versions))
    assert rows["forloebselement"] == dict(
        read=2, after_as_of=0, superseded=1, deleted=1, quarantined=0, current=0, deleted_with_owner=0, objects_tied=0
    )
    assert rows["diagnose"]["deleted"] == 2 and rows["diagnose"]["deleted_with_owner"] == 2
    # as of before the deletion everything is current
    assert _ids(register_state(versions, dt.datetime(2021, 3, 2), persist=True), "diagnose") == {"d1", "d2"}


def test_removing_a_contact_removes_what_hangs_on_it_and_nothing_else(spark):
    deletion = {"kontakt": [dict(kontakt_id="ka", forloebselement_id="f", patient_id="p", deleted=True)]}
    state = register_state(_versions(spark, (_tree(), T0), (deletion, T1)), AT, persist=True)
    assert _ids(state, "kontakt") == {"kb"}
    assert _ids(state, "diagnose") == {"d2"}
    assert _ids(state, "opholdsadresse") == set() and _ids(state, "betalingsoplysning") == set()
    assert _ids(state, "procedure") == {"pf"}  # the procedure on the forløbselement stays
    assert _ids(state, "forloebselement") == {"f"}


def test_an_orphan_is_set_aside_with_its_subtree(spark):
    rows = _tree()
    rows["kontakt"].append(dict(kontakt_id="kx", forloebselement_id="no-such-fe", patient_id="p"))
    rows["diagnose"].append(dict(diagnose_id="dx", kontakt_id="kx"))
    rows["diagnose"].append(dict(diagnose_id="dy", kontakt_id="no-such-contact"))
    state = register_state(_versions(spark, (rows, T0)), AT, persist=True)
    st = _statuses(state)
    assert st[("kontakt", "kx")] == ("quarantined", "orphan")
    assert st[("diagnose", "dx")] == ("quarantined", "owner_set_aside")
    assert st[("diagnose", "dy")] == ("quarantined", "orphan")
    assert _ids(state, "diagnose") == {"d1", "d2"}
    aside = {(r["table"], r["object_id"]): (r["owner_column"], r["owner_id"]) for r in state.set_aside().collect()}
    assert aside == {
        ("kontakt", "kx"): ("forloebselement_id", "no-such-fe"),
        ("diagnose", "dx"): ("kontakt_id", "kx"),
        ("diagnose", "dy"): ("kontakt_id", "no-such-contact"),
    }


def test_a_child_reported_before_its_parent_is_an_orphan_only_until_the_parent_arrives(spark):
    child = {"diagnose": [dict(diagnose_id="early", kontakt_id="ka")]}
    versions = _versions(spark, (child, T0), (_tree(), T1))
    assert (
        _statuses(register_state(versions, dt.datetime(2021, 3, 2), persist=True))[("diagnose", "early")][1] == "orphan"
    )
    assert "early" in _ids(register_state(versions, AT, persist=True), "diagnose")


def test_a_tie_is_quarantined_and_every_tied_row_counted(spark):
    tie = {
        "kontakt": [
            dict(kontakt_id="ka", forloebselement_id="f", patient_id="p", priority="ATA1"),
            dict(kontakt_id="ka", forloebselement_id="f", patient_id="p", priority="ATA3"),
        ]
    }
    versions = _versions(spark, (_tree(), T0), (tie, T1))
    state = register_state(versions, AT, persist=True)
    st = _statuses(state)
    assert st[("kontakt", "ka")] == ("quarantined", "tie")
    assert st[("diagnose", "d1")] == ("quarantined", "owner_set_aside")
    assert _ids(state, "kontakt") == {"kb"}
    rows = state.accounting(versions, _read(versions))
    assert rows["kontakt"] == dict(
        read=4, after_as_of=0, superseded=1, deleted=0, quarantined=2, current=1, deleted_with_owner=0, objects_tied=1
    )


def test_accounting_counts_reports_after_the_as_of_time_and_balances(spark):
    change = {"kontakt": [dict(kontakt_id="ka", forloebselement_id="f", patient_id="p", priority="ATA1")]}
    versions = _versions(spark, (_tree(), T0), (change, T1), (change, T2))
    state = register_state(versions, dt.datetime(2021, 3, 6), persist=True)
    rows = state.accounting(versions, _read(versions))
    assert rows["kontakt"]["after_as_of"] == 1 and rows["kontakt"]["superseded"] == 1
    assert rows["kontakt"]["current"] == 2
    for name, c in rows.items():
        assert c["read"] == c["after_as_of"] + c["superseded"] + c["deleted"] + c["quarantined"] + c["current"], name
    with pytest.raises(AccountingError, match="table 'kontakt': 5 rows read but 4 accounted for"):
        state.accounting(versions, {**_read(versions), "kontakt": 5})


def _rows_in(state, name: str, column: str, values: list[str], spark, **more: list[str]) -> dict[str, tuple]:
    wanted = {c: spark.createDataFrame([(v,) for v in vs], "v string") for c, vs in {column: values, **more}.items()}
    found = state.rows_in(name, wanted)
    return {r[f"{name}_id"]: (r["code"], r["kontakt_id"]) for r in found.collect()}


def _whole(state, name: str, condition: str) -> dict[str, tuple]:
    return {r[f"{name}_id"]: (r["code"], r["kontakt_id"]) for r in state.tables[name].where(condition).collect()}


def test_rows_in_takes_the_newest_version_of_only_the_objects_it_names(spark):
    """`rows_in` filters the versions before the as-of window: on a column that changes between
    versions the newest version still decides, and removals, ties, orphans and later reports
    apply as they do to the whole table."""
    t0 = {
        "kontakt": [dict(kontakt_id="kc", forloebselement_id="f", patient_id="p")],
        "diagnose": [
            dict(diagnose_id="moved_away", kontakt_id="ka", code="DA"),  # A, then B at T1
            dict(diagnose_id="moved_here", kontakt_id="ka", code="DB"),  # B, then A at T1
            dict(diagnose_id="later", kontakt_id="ka", code="DA"),  # B on kb reported at T2
            dict(diagnose_id="cascade", kontakt_id="kc", code="DA"),  # its contact removed at T1
            dict(diagnose_id="gone", kontakt_id="kb", code="DA"),  # removed itself at T1
            dict(diagnose_id="tied", kontakt_id="kb", code="DA"),  # two versions at T1
            dict(diagnose_id="orphan", kontakt_id="no-such-contact", code="DA"),
            dict(diagnose_id="kept", kontakt_id="kb", code="DA"),
        ],
    }
    t1 = {
        "kontakt": [dict(kontakt_id="kc", forloebselement_id="f", patient_id="p", deleted=True)],
        "diagnose": [
            dict(diagnose_id="moved_away", kontakt_id="ka", code="DB"),
            dict(diagnose_id="moved_here", kontakt_id="ka", code="DA"),
            dict(diagnose_id="gone", kontakt_id="kb", code="DA", deleted=True),
            dict(diagnose_id="tied", kontakt_id="kb", code="DA"),
            dict(diagnose_id="tied", kontakt_id="kb", code="DC"),
        ],
    }
    t2 = {"diagnose": [dict(diagnose_id="later", kontakt_id="kb", code="DB")]}
    versions = _versions(spark, (_tree(), T0), (t0, T0), (t1, T1), (t2, T2))
    state = register_state(versions, dt.datetime(2021, 3, 6), persist=True)  # between T1 and T2
    on_a = {"moved_here": ("DA", "ka"), "later": ("DA", "ka"), "kept": ("DA", "kb")}
    assert _whole(state, "diagnose", "code = 'DA'") == on_a
    assert _rows_in(state, "diagnose", "code", ["DA"], spark) == on_a
    assert _rows_in(state, "diagnose", "code", ["DB", "DC"], spark) == {"moved_away": ("DB", "ka")}
    by_id = ["moved_away", "later", "cascade", "gone", "tied", "orphan", "kept", "d2", "no-such-id"]
    assert _rows_in(state, "diagnose", "diagnose_id", by_id, spark) == {
        "moved_away": ("DB", "ka"),
        "later": ("DA", "ka"),
        "kept": ("DA", "kb"),
        "d2": (None, "kb"),
    }
    # several columns are one lookup: an object is found by its id whatever its code, or by its code
    assert _rows_in(state, "diagnose", "code", ["DA"], spark, diagnose_id=["moved_away", "gone"]) == {
        **on_a,
        "moved_away": ("DB", "ka"),
    }
    state = register_state(versions, AT, persist=True)  # after T2: "later" moved to kb with code B
    three = _rows_in(state, "diagnose", "code", ["DA"], spark, diagnose_id=["later"], kontakt_id=["ka"])
    assert three == _whole(state, "diagnose", "code = 'DA' OR diagnose_id = 'later' OR kontakt_id = 'ka'")
    assert three == {
        "moved_here": ("DA", "ka"),
        "kept": ("DA", "kb"),
        "later": ("DB", "kb"),
        "moved_away": ("DB", "ka"),
        "d1": (None, "ka"),
    }
    assert _rows_in(state, "diagnose", "code", ["DA"], spark) == {"moved_here": ("DA", "ka"), "kept": ("DA", "kb")}
    assert _rows_in(state, "diagnose", "kontakt_id", ["kb"], spark) == _whole(state, "diagnose", "kontakt_id = 'kb'")
    assert _rows_in(state, "diagnose", "kontakt_id", ["kb"], spark) == {
        "kept": ("DA", "kb"),
        "d2": (None, "kb"),
        "later": ("DB", "kb"),
    }
