"""Generated documentation is current."""

from tools.rules_doc import OUT, render


def test_rules_md_is_current():
    assert OUT.read_text(encoding="utf-8") == render(), "run: python -m tools.rules_doc"


def test_every_test_named_in_the_bad_input_catalogue_exists():
    """docs/BAD_INPUT.md names a test per kind of bad input; each must exist (`file::name`, or
    `::name` for the file named before it on the row)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    named = 0
    for line in (root / "docs" / "BAD_INPUT.md").read_text(encoding="utf-8").splitlines():
        current = None
        for file, name in re.findall(r"`(tests/[\w/]+\.py)?::(\w+)`", line):
            current = file or current
            assert current, line
            assert f"def {name}(" in (root / current).read_text(encoding="utf-8"), f"{current}::{name}"
            named += 1
    assert named >= 25
