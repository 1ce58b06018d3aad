"""`lprflow kmf`: the year's statements, and `kmf reconcile` / `kmf explain` on their output."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from jobs.common import Conf, Overwrite, Profile, console, fail, spark_session

kmf_app = typer.Typer(help="KMF and full financing: statements, reconciliation, explanations.")


@kmf_app.callback(invoke_without_command=True)
def kmf(
    ctx: typer.Context,
    register: Annotated[Path | None, typer.Option(help="Register directory (one Parquet folder per table).")] = None,
    year: Annotated[int | None, typer.Option(help="Activity year; conf/kmf/<year>.yaml holds its parameters.")] = None,
    out: Annotated[Path | None, typer.Option(help="Output directory (replaced atomically).")] = None,
    tariff_year: Annotated[
        int | None, typer.Option("--tariff-year", help="DRG tariff year (default: the activity year).")
    ] = None,
    tables: Annotated[Path | None, typer.Option(help="Group with this DRG table set instead.")] = None,
    region: Annotated[str | None, typer.Option(help="The reporting region (default: the register's only one).")] = None,
    profile: Profile = None,
    conf: Conf = None,
    overwrite: Overwrite = False,
) -> None:
    """Every statement of the year: twelve preliminary ones (as of the 10th of the next month) and the final one."""
    if ctx.invoked_subcommand is not None:
        return
    if register is None or year is None or out is None:
        fail(ValueError("lprflow kmf needs --register, --year and --out (or a subcommand: reconcile, explain)"))
    from jobs.kmf import run_kmf

    try:
        spark = spark_session(profile, conf)
        s = run_kmf(spark, register, year, out, tariff_year, tables, region, overwrite=overwrite)
    except Exception as exc:  # noqa: BLE001
        fail(exc)
    print_totals(s, out)


def print_totals(s: dict, out: Path, rows: int = 12) -> None:
    """The municipalities' totals of the final statement."""
    from settlement.summary import FULL_FINANCING

    table = Table(title=f"what each municipality pays for {s['year']} (final statement, kr)")
    for col in ("municipality", "KMF somatic", "KMF psych.", "full financing", "state net", "cap", "total"):
        table.add_column(col, justify="right")
    per = sorted(s["per_municipality"].items(), key=lambda kv: -kv[1].get("total", 0.0))
    for muni, v in per[:rows]:
        full = sum(v.get(c, 0.0) for c in FULL_FINANCING)
        state = v.get("faerdigbehandlet_state", 0.0) + v.get("state_refund", 0.0)
        table.add_row(
            muni,
            f"{v.get('kmf_somatic', 0):,.0f}",
            f"{v.get('kmf_psychiatry', 0):,.0f}",
            f"{full:,.0f}",
            f"{state:,.0f}",
            f"{v.get('regional_cap', 0):,.0f}",
            f"{v.get('total', 0):,.0f}",
        )
    console.print(table)
    total = sum(v.get("total", 0.0) for v in s["per_municipality"].values())
    ok = "[green]equals[/green]" if s["checks"]["final_statement_equals_items"] else "[red]differs from[/red]"
    console.print(
        f"{len(per)} municipalities, {total:,.0f} kr in the final statement ({ok} the sum of its items); "
        f"{s['statements']} statements from {s['replicas']['replicas']:,} patient replicas; "
        f"outputs in [bold]{out}[/bold]"
    )


@kmf_app.command("reconcile")
def reconcile_cmd(
    kmf_dir: Annotated[Path, typer.Option("--kmf", help="An output folder of `lprflow kmf`.")],
    ledger: Annotated[
        Path, typer.Option(help="Booked ledger, CSV or Parquet: party, category, activity_year, booking_year, amount.")
    ],
    out: Annotated[Path, typer.Option(help="Output directory (replaced atomically).")],
    overwrite: Overwrite = False,
) -> None:
    """Compare the final statement with what was booked, per category, in the region's table form."""
    from jobs.kmf import run_reconcile

    try:
        t = run_reconcile(kmf_dir, ledger, out, overwrite=overwrite)
    except Exception as exc:  # noqa: BLE001
        fail(exc)
    table = Table(title="booked against the final statement (kr)")
    for col in ("party", "category", "booked in year", "booked next year", "booked total", "statement", "difference"):
        table.add_column(col, justify="right")
    for r in t.itertuples():
        table.add_row(
            r.party,
            r.category,
            f"{r.booked_in_year:,.2f}",
            f"{r.booked_next_year:,.2f}",
            f"{r.booked_total:,.2f}",
            f"{r.statement:,.2f}",
            f"{r.difference:,.2f}",
        )
    console.print(table)


@kmf_app.command("explain")
def explain_cmd(
    kmf_dir: Annotated[Path, typer.Option("--kmf", help="An output folder of `lprflow kmf`.")],
    municipality: Annotated[str, typer.Option(help="Municipality code, e.g. 0751.")],
    month: Annotated[str | None, typer.Option(help="Activity month yyyy-MM.")] = None,
    category: Annotated[str | None, typer.Option(help="Category, e.g. kmf_somatic.")] = None,
    statement: Annotated[int | None, typer.Option(help="Explain this statement's change (0-11, 12 = final).")] = None,
    limit: Annotated[int, typer.Option(help="How many items to show.")] = 20,
    profile: Profile = None,
) -> None:
    """What is behind an amount: its items, courses and contacts; or what changed in one statement and why."""
    from settlement.explain import explain_amount, explain_change

    try:
        spark = spark_session(profile, None)
        if statement is None:
            total, n, top = explain_amount(spark, kmf_dir, municipality, month, category, limit)
            console.print(
                f"{municipality} {month or 'all months'} {category or 'all categories'}: "
                f"[bold]{total:,.2f} kr[/bold] from {n:,} items (final statement)"
            )
        else:
            by_cause, top = explain_change(spark, kmf_dir, statement, municipality, month, category, limit)
            causes = ", ".join(f"{c} {v:,.2f}" for c, v in sorted(by_cause.items()))
            console.print(
                f"statement {statement}, {municipality}: {sum(by_cause.values()):,.2f} kr ({causes or 'none'})"
            )
    except Exception as exc:  # noqa: BLE001
        fail(exc)
    table = Table()
    for col in top.columns:
        table.add_column(col)
    for r in top.itertuples(index=False):
        table.add_row(
            *[
                "" if v is None else (", ".join(v) if hasattr(v, "__len__") and not isinstance(v, str) else str(v))
                for v in r
            ]
        )
    console.print(table)
