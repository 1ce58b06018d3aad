"""The `lprflow` command line, and the one spark-submit entry point:

    spark-submit jobs/cli.py validate --register DIR --as-of 2022-03-01 --out DIR

Each subcommand parses its options and calls the job's `run_*` function (jobs/<job>.py); the job
modules never import this one.
"""

from __future__ import annotations

if __package__ in (None, ""):  # run as a file (spark-submit jobs/cli.py): make the checkout importable
    import _bootstrap  # noqa: F401

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from jobs.common import Conf, Overwrite, Profile, console

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="lprflow: validate, group and settle Danish hospital activity data (LPR3) with Spark.",
)


def load_all_config() -> None:
    """Read and validate every parameter file: a missing or mistyped key stops the command before
    any work, with a message naming the file and the key."""
    from expectations.config import expectations_config, validation_config
    from grouping.config import grouping_config
    from lprflow.config import integrity_config, reference_config, spark_config
    from lprflow.synth.config import generator_config
    from matching.config import matching_config

    for load in (
        spark_config,
        reference_config,
        generator_config,
        validation_config,
        expectations_config,
        integrity_config,
        grouping_config,
        matching_config,
    ):
        load()


@app.callback()
def _start() -> None:
    """lprflow: validate, group and settle Danish hospital activity data (LPR3) with Spark."""
    from lprflow.config import ConfigError

    try:
        load_all_config()
    except ConfigError as exc:
        _fail(exc)


def _spark(profile: str | None, conf: list[str] | None):
    from jobs.common import spark_session

    return spark_session(profile, conf)


def _fail(exc: Exception) -> None:
    from jobs.common import fail

    fail(exc)


@app.command()
def generate(
    out: Annotated[Path, typer.Option(help="Register directory to write (replaced atomically).")],
    region: Annotated[str | None, typer.Option(help="Region code 1081-1085 (default: conf/generator.yaml).")] = None,
    year: Annotated[int | None, typer.Option(help="Activity year (default: conf/generator.yaml).")] = None,
    scale: Annotated[
        float | None,
        typer.Option(help="1.0 = one region-year (~3.3 M contacts, ~26 M reports); default: conf/generator.yaml."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help="Random seed: same seed, same register (default: conf/generator.yaml).")
    ] = None,
    error_rate: Annotated[
        float | None, typer.Option(help="Share of eligible objects given one rule violation (conf default).")
    ] = None,
    discrepancy_rate: Annotated[
        float | None,
        typer.Option(help="Share of contacts given each kind of discrepancy in region_extract/ (conf default)."),
    ] = None,
    profile: Profile = None,
    conf: Conf = None,
    overwrite: Overwrite = False,
) -> None:
    """Generate a synthetic LPR3 region-year register with injected violations and their ground truth,
    and the region's own extract of its contacts with injected discrepancies and theirs."""
    from jobs.generate import run_generate

    try:
        spark = _spark(profile, conf)
        m = run_generate(spark, out, region, year, scale, seed, error_rate, discrepancy_rate, overwrite=overwrite)
    except Exception as exc:  # noqa: BLE001 - a CLI turns every failure into a message and exit code 1
        _fail(exc)
    console.print(f"register written to [bold]{out}[/bold] in {m['seconds']} s")


@app.command()
def validate(
    register: Annotated[Path, typer.Option(help="Register directory (one Parquet folder per table).")],
    out: Annotated[Path, typer.Option(help="Output directory (replaced atomically).")],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Validate the register as of this ISO date or time, Danish time unless it carries an offset "
            "(2022-03-01 = midnight in Copenhagen; default: now).",
        ),
    ] = None,
    dataset_expectations: Annotated[
        bool,
        typer.Option(
            help="Also run the dataset-level Great Expectations suites (Data Docs; blocking failures exit 1)."
        ),
    ] = True,
    profile: Profile = None,
    conf: Conf = None,
    overwrite: Overwrite = False,
) -> None:
    """Check every report against the business-rule catalogue; write the error list (flat and JSON)."""
    from jobs.validate import run_validate

    at = as_of or dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()  # an instant, not Danish time
    from expectations.gx_suites import BlockingExpectationFailed

    try:
        spark = _spark(profile, conf)
        summary = run_validate(spark, register, at, out, dataset_expectations=dataset_expectations, overwrite=overwrite)
    except BlockingExpectationFailed as exc:  # every output was written: show the error list, then fail
        _print_summary(json.loads((out / "summary.json").read_text(encoding="utf-8")), out)
        _fail(exc)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    _print_summary(summary, out)


def _print_summary(summary: dict, out: Path) -> None:
    from lprflow.localtime import danish_time

    console.print(
        f"checked [bold]{summary['reports_checked']:,}[/bold] reports as of "
        f"{danish_time(dt.datetime.fromisoformat(summary['as_of']))}: "
        f"[bold]{summary['errors']:,}[/bold] errors, {summary['warnings']:,} warnings "
        f"({summary['error_percent']:.4f} %)"
    )
    table = Table(title="errors per rule", show_lines=False)
    for col in ("rule", "group", "objects", "message"):
        table.add_column(col)
    for r in sorted(summary["per_rule"], key=lambda r: -r["objects_flagged"])[:15]:
        table.add_row(r["rule_id"], r["group"], str(r["objects_flagged"]), r["message"][:70])
    console.print(table)
    console.print(f"outputs in [bold]{out}[/bold]: errors/, fejlliste/, summary.json, manifest.json")


@app.command()
def group(
    register: Annotated[Path, typer.Option(help="Register directory (one Parquet folder per table).")],
    out: Annotated[Path, typer.Option(help="Output directory (replaced atomically).")],
    tariff_year: Annotated[
        int, typer.Option("--tariff-year", help="Tariff year; conf/grouping.yaml maps it to tables.")
    ],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Group the register as of this ISO date or time, Danish time unless it carries an offset "
            "(2022-03-01 = midnight in Copenhagen; default: now).",
        ),
    ] = None,
    tables: Annotated[
        Path | None,
        typer.Option(help="Group with this DRG table set (with tariffs.csv) instead of the tariff year's."),
    ] = None,
    profile: Profile = None,
    conf: Conf = None,
    overwrite: Overwrite = False,
) -> None:
    """Join contacts into DRG-sygehusforløb, group them and value them with the year's tariffs."""
    from jobs.group import run_group

    at = as_of or dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()  # an instant, not Danish time
    try:
        spark = _spark(profile, conf)
        s = run_group(spark, register, tariff_year, at, out, overwrite=overwrite, tables_dir=tables)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    _print_grouping(s, out)


def _print_grouping(s: dict, out: Path) -> None:
    console.print(
        f"{s['contacts']['total']:,} contacts -> [bold]{s['courses']:,}[/bold] DRG-sygehusforløb "
        f"({s['single_contact_share']:.0%} single-contact), value {s['value_kr']:,.0f} kr "
        f"with tables {s['tables']}; outputs in [bold]{out}[/bold]"
    )
    table = Table(title="groups by value")
    for col in ("drg", "name", "rtc", "courses", "value kr"):
        table.add_column(col)
    for r in s["per_group"][:12]:
        table.add_row(r["drg"], (r["name"] or "")[:45], r["rtc"], f"{r['courses']:,}", f"{r['value_kr']:,.0f}")
    console.print(table)


@app.command("group-cases")
def group_cases_cmd(
    tables: Annotated[Path, typer.Option(help="DRG table set folder (drglogic.csv, dg.csv, proc.csv, ...).")],
    cases: Annotated[Path, typer.Option(help="';'-separated file with header: case_id;grouping_string[;...].")],
    out: Annotated[Path, typer.Option(help="Output directory (replaced atomically).")],
    post_rule: Annotated[
        bool | None, typer.Option(help="Report rtc 1 as 9 when the pdx slot is not empty (default from conf).")
    ] = None,
    profile: Profile = None,
    conf: Conf = None,
    overwrite: Overwrite = False,
) -> None:
    """Group NordDRG grouping strings with a table set (batch mode)."""
    from jobs.group_cases import run_group_cases

    try:
        spark = _spark(profile, conf)
        s = run_group_cases(spark, tables, cases, out, post_rule=post_rule, overwrite=overwrite)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    console.print(
        f"grouped [bold]{s['cases_grouped']:,}[/bold] cases, rejected {s['cases_rejected']:,} "
        f"({s['seconds']} s); results in [bold]{out}[/bold]"
    )


from jobs.cli_kmf import kmf_app  # noqa: E402 - after the shared options it does not import

app.add_typer(kmf_app, name="kmf")
from jobs.cli_match import match  # noqa: E402

app.command()(match)

drg_tables = typer.Typer(no_args_is_help=True, help="DRG table sets: a synthetic set of real size.")
app.add_typer(drg_tables, name="drg-tables")


@drg_tables.command("synth")
def drg_tables_synth(
    out: Annotated[Path, typer.Option(help="Folder to write the table set to (replaced atomically).")],
    rules: Annotated[
        int | None, typer.Option(help="drglogic rows (default: the real set's count times --scale).")
    ] = None,
    scale: Annotated[
        float, typer.Option(help="Size of the property tables; 1.0 = a real country-year (conf/grouping.yaml).")
    ] = 1.0,
    seed: Annotated[int, typer.Option(help="Random seed: same options, same files.")] = 1,
    overwrite: Overwrite = False,
) -> None:
    """Write a SYNTHETIC (not official) DRG table set of real size, with cases that reach every rule."""
    from jobs.drg_tables import run_synth

    try:
        m = run_synth(out, rules, scale, seed, overwrite=overwrite)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    counts = ", ".join(f"{name} {n:,}" for name, n in m["tables"].items())
    console.print(
        f"synthetic DRG table set (not official) written to [bold]{out}[/bold] in {m['seconds']} s: {counts}; "
        f"{m['witness_cases']:,} witness cases in witness_cases.csv"
    )


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="Where the demo writes its register and results.")] = Path("out/demo"),
    scale: Annotated[
        float | None, typer.Option(help="Size of the built-in synthetic register (default: conf/generator.yaml).")
    ] = None,
    profile: Profile = None,
) -> None:
    """Generate a small synthetic register, validate it, check the error list against the ground truth, group it,
    settle its year (KMF and full financing statements), and match the region's own contacts against the
    national DRG data as of the closing day (checked against the generator's discrepancies)."""
    from jobs.generate import run_generate
    from jobs.group import run_group
    from jobs.validate import run_validate

    try:
        spark = _spark(profile, None)
        from lprflow.synth.config import generator_config

        m = run_generate(spark, out / "register", scale=scale or generator_config().defaults.demo_scale)
        year = m["parameters"]["year"]
        summary = run_validate(spark, out / "register", f"{year + 1}-04-01", out / "validation")
        found = spark.read.parquet(str(out / "validation" / "errors")).select("object_type", "object_id", "rule_id")
        from pyspark.sql import functions as F

        from expectations.catalogue import load_catalogue
        from expectations.config import validation_config
        from expectations.pipeline import out_of_scope

        skipped = out_of_scope(load_catalogue(), validation_config())  # groups the run does not check
        truth = spark.read.parquet(str(out / "register" / "ground_truth")).where(~F.col("rule_id").isin(*skipped))
        missing, extra = truth.subtract(found).count(), found.subtract(truth).count()
        grouping = run_group(spark, out / "register", year, f"{year + 1}-04-01", out / "grouping")
        from jobs.kmf import run_kmf

        settled = run_kmf(spark, out / "register", year, out / "kmf")
        from jobs.match import run_match
        from matching.truth import discrepancies

        closing = m["parameters"]["closing"]  # the region closes the year on the data as of this day
        run_group(spark, out / "register", year, closing, out / "national", quiet=True)
        matched = run_match(spark, out / "register" / "region_extract", out / "national", out / "matching")
        made = discrepancies(spark.read.parquet(str(out / "matching" / "contacts")))
        injected = spark.read.parquet(str(out / "register" / "match_truth"))
        m_missing, m_extra = injected.subtract(made).count(), made.subtract(injected).count()
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    _print_summary(summary, out / "validation")
    verdict = "[green]matches[/green]" if missing == extra == 0 else "[red]differs from[/red]"
    console.print(f"error list {verdict} the generator's ground truth (missing {missing}, extra {extra})")
    _print_grouping(grouping, out / "grouping")
    from jobs.cli_kmf import print_totals

    print_totals(settled, out / "kmf")
    from jobs.cli_match import print_match

    print_match(matched, out / "matching")
    verdict = "[green]matches[/green]" if m_missing == m_extra == 0 else "[red]differs from[/red]"
    console.print(f"the match {verdict} the generator's discrepancies (missing {m_missing}, extra {m_extra})")
    if missing or extra or m_missing or m_extra:
        raise typer.Exit(code=1)


def main() -> None:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    app()


if __name__ == "__main__":
    main()
