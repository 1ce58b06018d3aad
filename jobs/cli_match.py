"""`lprflow match`: the region's own contacts against the national DRG data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from jobs.common import Conf, Overwrite, Profile, console, fail, spark_session


def match(
    region_contacts: Annotated[
        Path, typer.Option("--region-contacts", help="The region's extract (Parquet or CSV; docs/MATCHING.md).")
    ],
    national: Annotated[Path, typer.Option(help="Output of `lprflow group`, or national contacts in its schema.")],
    out: Annotated[Path, typer.Option(help="Output directory (replaced atomically).")],
    errors: Annotated[
        Path | None, typer.Option(help="Output of `lprflow validate` for the same as-of time (explains differences).")
    ] = None,
    register: Annotated[
        Path | None, typer.Option(help="The register (default: the one the national data was grouped from).")
    ] = None,
    year: Annotated[int | None, typer.Option(help="The extract's year (default: the national tariff year).")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="As-of time of the national data (default: from its manifest).")
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option(help="YAML with an `extract:` section: the region's own column mapping.")
    ] = None,
    profile: Profile = None,
    conf: Conf = None,
    overwrite: Overwrite = False,
) -> None:
    """Match the region's contacts with the national DRG data: found, not found, differences, reasons, value."""
    from jobs.match import run_match

    try:
        spark = spark_session(profile, conf)
        s = run_match(
            spark, region_contacts, national, out, errors, register, year, as_of, mapping, overwrite=overwrite
        )
    except Exception as exc:  # noqa: BLE001
        fail(exc)
    print_match(s, out)


def print_match(s: dict, out: Path) -> None:
    """The region's terms: found, not found, the share, by reason, the value at stake."""
    console.print(
        f"{s['contacts_in_own_data']:,} contacts in own data: [bold]{s['found']:,} found[/bold], "
        f"{s['not_found']:,} not found ({s['not_found_pct']} %), {s['found_with_differences']:,} with differences; "
        f"{s['only_national']:,} only national; value at stake {s['value_at_stake']:,.0f} kr"
    )
    table = Table(title="why not found / only national")
    for col in ("status", "reason", "contacts"):
        table.add_column(col)
    for status, reasons in s["by_reason"].items():
        for reason, n in sorted(reasons.items()):
            table.add_row(status, reason, f"{n:,}")
    console.print(table)
    console.print(f"contacts/, summary.json and manifest.json in [bold]{out}[/bold]")
