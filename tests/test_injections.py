"""The injected-violation records: one per rule, every stage they name is one a builder applies,
and every rule they break is a catalogue rule in the validation's scope."""

from __future__ import annotations

from pathlib import Path

from expectations.catalogue import load_catalogue
from expectations.config import validation_config
from lprflow.synth.injections import CONTACT, FE, INJECTABLE_RULES, INJECTIONS, STAGES

SYNTH = Path(__file__).resolve().parents[1] / "lprflow" / "synth"


def test_one_record_per_rule_and_the_injectable_list_derived_from_them():
    ids = [i.rule_id for i in INJECTIONS]
    assert len(ids) == len(set(ids))
    assert {i.level for i in INJECTIONS} == {CONTACT, FE}
    assert INJECTABLE_RULES == sorted({r for i in INJECTIONS for _, r in i.breaks})
    assert set(ids) <= set(INJECTABLE_RULES)  # a record breaks at least its own rule
    for i in INJECTIONS:
        assert (i.breaks[0][1]) == i.rule_id, i.rule_id


def test_every_stage_named_is_applied_by_a_builder():
    source = "\n".join(p.read_text(encoding="utf-8") for p in SYNTH.glob("*.py") if p.name != "injections.py")
    for stage in STAGES:
        assert f'"{stage}"' in source, f"no builder applies stage {stage}"
    for i in INJECTIONS:
        assert {m.stage for m in i.mutations} <= STAGES and i.evidence in STAGES, i.rule_id


def test_every_broken_rule_is_a_catalogue_rule_in_scope():
    catalogue = load_catalogue()
    groups = set(validation_config().groups)
    for i in INJECTIONS:
        for object_type, rule in i.breaks:
            assert rule in catalogue and catalogue[rule].group in groups, rule
            assert object_type in {
                "kontakt",
                "diagnose",
                "procedure",
                "opholdsadresse",
                "forloebselement",
                "henvisning",
            }
