"""Generated documentation is current."""

from tools.rules_doc import OUT, render


def test_rules_md_is_current():
    assert OUT.read_text(encoding="utf-8") == render(), "run: python -m tools.rules_doc"
