"""Parameters: every conf/ file loads into its typed model; a bad one is named by file and key."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from lprflow.config import ConfigError, load
from lprflow.paths import conf_dir


@pytest.fixture
def conf_copy(tmp_path, monkeypatch):
    """A writable copy of conf/, active through $LPRFLOW_CONF."""
    folder = tmp_path / "conf"
    shutil.copytree(conf_dir(), folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.setenv("LPRFLOW_CONF", str(folder))
    return folder


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_parameter_file_loads_into_its_model():
    from jobs.cli import load_all_config

    load_all_config()
    names = {p.name for p in conf_dir().glob("*.yaml")}
    assert names == {
        "expectations.yaml",
        "generator.yaml",
        "integrity.yaml",
        "grouping.yaml",
        "matching.yaml",
        "reference.yaml",
        "spark.yaml",
        "validation.yaml",
    }


def test_typed_values():
    from grouping.config import grouping_config
    from lprflow.synth.config import generator_config

    g = grouping_config()
    assert g.courses.join_gap_hours == 4.0 and g.courses.default_discharge == "H"
    assert g.tariff_years[2021] == "drg/dkdrg-sample-2021" and g.post_rule_rtc_1_to_9 is True
    gen = generator_config()
    assert gen.defaults.scale == 0.01 and gen.forloebselement_kinds["chronic"].contacts == (3, 9)


def test_wrong_type_names_file_and_key(conf_copy):
    from grouping.config import GroupingConfig

    _edit(conf_copy / "grouping.yaml", "join_gap_hours: 4", "join_gap_hours: four")
    with pytest.raises(ConfigError) as err:
        load("grouping.yaml", GroupingConfig)
    assert str(conf_copy / "grouping.yaml") in str(err.value) and "'courses.join_gap_hours'" in str(err.value)


def test_missing_key_names_file_and_key(conf_copy):
    from expectations.config import ValidationConfig

    _edit(conf_copy / "validation.yaml", 'rule_version: "sds:lpr:3.0.5"', "")
    with pytest.raises(ConfigError, match=r"validation.yaml: key 'rule_version': Field required"):
        load("validation.yaml", ValidationConfig)


def test_unknown_key_is_a_typo_not_ignored(conf_copy):
    from lprflow.synth.config import GeneratorConfig

    _edit(conf_copy / "generator.yaml", "error_rate: 0.002", "error_rate: 0.002\neror_rate: 0.5")
    with pytest.raises(ConfigError, match=r"generator.yaml: key 'eror_rate': Extra inputs are not permitted"):
        load("generator.yaml", GeneratorConfig)


def test_contact_stride_must_exceed_the_largest_forloebselement(conf_copy):
    from lprflow.synth.config import GeneratorConfig

    _edit(conf_copy / "generator.yaml", "contact_index_stride: 16", "contact_index_stride: 9")
    with pytest.raises(ConfigError, match="contact_index_stride \\(9\\) must exceed .* \\(9\\)"):
        load("generator.yaml", GeneratorConfig)


def test_missing_file_is_named(tmp_path, monkeypatch):
    from grouping.config import GroupingConfig

    monkeypatch.setenv("LPRFLOW_CONF", str(tmp_path))
    with pytest.raises(ConfigError, match="configuration file not found: .*grouping.yaml"):
        load("grouping.yaml", GroupingConfig)


def test_cli_checks_every_file_before_any_work(conf_copy, tmp_path):
    from jobs.cli import app

    _edit(conf_copy / "expectations.yaml", "open_contact_max_days: 90", "open_contact_max_days: ninety")
    res = CliRunner().invoke(
        app, ["group", "--register", str(tmp_path / "none"), "--out", str(tmp_path / "o"), "--tariff-year", "2021"]
    )
    assert res.exit_code == 1
    assert "expectations.yaml" in res.output and "'open_contact_max_days'" in res.output
    assert not (tmp_path / "o").exists()
