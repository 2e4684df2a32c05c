"""`opr-planner sweep SCENARIO --vary KEY=V1,V2 -o DIR`: what-if plans side by side."""

from __future__ import annotations

import math
import signal
import sys
from pathlib import Path

import click

from ..errors import InputError, Problem
from ..io.fileio import check_writable
from ..sweep import build_variants, parse_varies, run_sweep, scenario_data, tasks_for
from ..sweep.executor import EXECUTORS, default_jobs
from ..sweep.report import (
    FOOTNOTE,
    explanations,
    feasibility,
    right_aligned,
    tradeoff_rows,
    verdict,
    write_summary,
)
from ..sweep.variants import Vary
from .common import handle_errors, load, out, scenario_argument, table
from .options import search_options

MAX_VARIANTS = 1000


def _refuse_too_many(varies: list[Vary], time_limit: float, jobs: int | None) -> None:
    """Refuse a sweep that cannot finish in reasonable time, before any variant is built
    (119,000 combinations were checked for minutes without a word, then solved for weeks)."""
    count = math.prod(len(v.values) for v in varies)
    if count <= MAX_VARIANTS:
        return
    sizes = " x ".join(str(len(v.values)) for v in varies)
    hours = count * time_limit / (jobs or default_jobs()) / 3600
    raise InputError(
        [
            Problem(
                "--vary",
                None,
                "",
                f"{count:,} combinations ({sizes} values) would take some {hours:,.0f} hours at "
                f"{time_limit:g} s each; at most {MAX_VARIANTS:,} are run in one sweep",
                "give fewer values per --vary, or sweep in parts",
            )
        ]
    )


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@click.command("sweep")
@scenario_argument
@search_options(
    time_help="Seconds per variant (deterministic time: each variant uses one search thread).", workers=False
)
@click.option(
    "--vary",
    "varies",
    multiple=True,
    required=True,
    metavar="KEY=V1,V2[,...]",
    help="A rule or objective key (dotted path, e.g. rules.group_size.max) and its values; repeatable. "
    "Every combination is one variant.",
)
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder for <variant>.scenario.yaml, .plan.yaml, .infeasible.txt, .result.json, sweep.csv and sweep.xlsx.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Variants solved at the same time (default: the number of cores). Local executor only.",
)
@click.option(
    "--executor",
    type=click.Choice(EXECUTORS),
    default="local",
    show_default=True,
    help="local: processes on this machine; dask: an existing Dask cluster (needs --scheduler).",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="Dask scheduler address for --executor dask, e.g. tcp://127.0.0.1:8786.",
)
@click.option("-q", "--quiet", is_flag=True, help="No per-variant progress lines.")
@handle_errors
def sweep_command(
    scenario: str,
    varies: tuple[str, ...],
    out_dir: str,
    jobs: int | None,
    time_limit: float,
    seed: int,
    executor: str,
    scheduler: str | None,
    quiet: bool,
) -> None:
    """Solve SCENARIO once per combination of --vary values and compare the trade-offs.

    Writes DIR/<variant>.plan.yaml for each variant that has a plan (named after its
    values, e.g. group_size.max=5,min_regions=3), DIR/<variant>.infeasible.txt with the
    reasons for one that has none, DIR/<variant>.scenario.yaml (the variant as a scenario
    file, for check and export), and prints a table of feasibility, objective, metrics and
    solve time per variant. Run it again to resume: finished variants are skipped.
    """
    if executor == "dask" and not scheduler:
        raise click.UsageError("--executor dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler only applies to --executor dask")
    base = load(scenario, quiet=quiet)
    parsed = parse_varies(varies)
    _refuse_too_many(parsed, time_limit, jobs)
    check_writable(out_dir, folder=True)  # before the variants are solved, not after
    if not quiet:
        count = math.prod(len(v.values) for v in parsed)
        click.echo(f"Checking {count} variant(s) of {base.name} ...", err=True)
    variants = build_variants(base, scenario_data(scenario), parsed)
    tasks = tasks_for(base, variants, seed=seed, time_limit=time_limit)
    target = Path(out_dir)
    log = (lambda line: None) if quiet else (lambda line: click.echo(f"  {line}", err=True))
    if not quiet:
        where = f"Dask cluster {scheduler}" if executor == "dask" else f"{jobs or default_jobs()} process(es)"
        click.echo(
            f"Sweep of {base.name}: {len(tasks)} variant(s), {time_limit:g} s each, seed {seed}, on {where}",
            err=True,
        )
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        outcomes = run_sweep(tasks, target, executor=executor, jobs=jobs, scheduler=scheduler, log=log)
    finally:
        signal.signal(signal.SIGTERM, previous)
    summary = write_summary(parsed, outcomes, target)

    con = out()
    headers, rows = tradeoff_rows(parsed, outcomes)
    tradeoffs = table(headers, rows, title="Trade-offs", right=right_aligned(parsed))
    if not con.is_terminal:  # files and pipes: one line per variant, however wide
        con.width = max(con.width, con.measure(tradeoffs, options=con.options.update_width(1000)).maximum)
    con.print(tradeoffs)
    if any(feasibility(o) in ("yes*", "?") for o in outcomes):
        con.print(FOOTNOTE)
    missing = explanations(outcomes)
    if missing:
        con.print()
        con.print("Variants without a plan:")
        for name, reasons, tips in missing:
            con.print(f"  {name}:")
            for reason in reasons:
                con.print(f"    - {reason}")
            for tip in tips:
                con.print(f"    relax: {tip}")
    feasible = sum(1 for o in outcomes if o.feasible)
    judged = verdict(parsed, outcomes)
    con.print()
    con.print(
        f"{feasible} of {len(outcomes)} variant(s) have a plan"
        + (f"; {judged}" if judged else "")
        + f". Plans and records in {target}, table in {summary} (and {summary.with_suffix('.xlsx').name})"
    )
    failed = [o for o in outcomes if o.status == "error"]
    if failed:
        click.echo(
            f"error: {len(failed)} variant(s) failed unexpectedly (see the table); please report this",
            err=True,
        )
        sys.exit(1)
