"""`opr-planner alternatives SCENARIO -n K -o DIR`: K good plans that differ, for a board to choose from."""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import click
from rich.console import Console

from ..analysis.compare import METRIC_ROWS, Comparison, compare, table_rows
from ..plan import write_plan
from ..scenario.models import Scenario
from ..solver.alternatives import Alternatives, difference, find_alternatives
from ..solver.solve import Result
from .common import handle_errors, load, out, scenario_argument, table
from .options import search_options

ALT_FILE = re.compile(r"alt-(\d+)\.plan\.yaml")


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def alt_path(out_dir: Path, index: int) -> Path:
    return out_dir / f"alt-{index}.plan.yaml"


@click.command("alternatives")
@scenario_argument
@search_options(time_help="Seconds to search for each plan.")
@click.option("-n", "--count", type=click.IntRange(min=1, max=50), required=True, help="How many plans (K).")
@click.option(
    "--min-difference",
    type=click.IntRange(min=1),
    default=4,
    show_default=True,
    help="Memberships in which every two plans differ at least (a member replaced in one group counts 2).",
)
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder to write alt-1.plan.yaml, alt-2.plan.yaml, ... to.",
)
@click.option("-q", "--quiet", is_flag=True, help="No progress lines and no comparison.")
@handle_errors
def alternatives_command(
    scenario: str,
    count: int,
    min_difference: int,
    out_dir: str,
    time_limit: float,
    seed: int,
    workers: int | None,
    quiet: bool,
) -> None:
    """Find COUNT plans for SCENARIO, each as good as possible, that pairwise differ in at
    least --min-difference memberships, write them as DIR/alt-1.plan.yaml ... and compare them.

    The difference of two plans is the number of (review, participant) memberships that
    one plan has and the other lacks, counted both ways. Plan 1 is the best plan; plan k is
    the best plan that differs enough from plans 1..k-1. When fewer exist, the command says
    how many and still exits 0; exit 3 when no plan is possible at all, 4 when none was found
    in time.
    """
    s = load(scenario, quiet=quiet)
    target = Path(out_dir)
    workers = workers or max(1, min(os.cpu_count() or 1, 8))
    if not quiet:
        click.echo(
            f"Looking for {count} plan(s) of {s.name} that differ in >= {min_difference} memberships: "
            f"{time_limit:g} s each, {workers} worker(s), seed {seed}",
            err=True,
        )

    def found(index: int, result: Result) -> None:
        path = alt_path(target, index)
        write_plan(result.plan, path)
        if not quiet:
            click.echo(
                f"  alt-{index}: {result.status.value}, objective {result.plan.objective}, "
                f"{result.seconds:.2f} s -> {path}",
                err=True,
            )

    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        alts = find_alternatives(
            s,
            count,
            min_difference=min_difference,
            time_limit=time_limit,
            seed=seed,
            workers=workers,
            on_found=found,
        )
    finally:
        signal.signal(signal.SIGTERM, previous)
    stale = _remove_stale(target, len(alts.results))
    if not quiet:
        report(out(), s, alts)
        if stale:
            click.echo(f"removed older files from a previous run: {', '.join(stale)}", err=True)
    if alts.note:
        click.echo(f"note: {alts.note}", err=True)


def _remove_stale(out_dir: Path, kept: int) -> list[str]:
    """Delete alt-N plan files above the number just written (left by a larger earlier run)."""
    removed = []
    for path in sorted(out_dir.glob("alt-*.plan.yaml")):
        match = ALT_FILE.fullmatch(path.name)
        if match and int(match.group(1)) > kept:
            path.unlink()
            removed.append(path.name)
    return removed


def report(con: Console, s: Scenario, alts: Alternatives) -> None:
    """The compare table of the plans, their pairwise differences, and what sets each apart."""
    labels = [f"alt-{i}" for i in range(1, len(alts.results) + 1)]
    plans = alts.plans
    comparison = compare(s, list(zip(labels, plans)))
    rows = [[name, *cells] for name, cells in table_rows(comparison)]
    con.print(table(["", *labels], rows, title="Alternatives side by side", right=range(1, len(labels) + 1)))
    if len(plans) < 2:
        return
    matrix = [[a, *(str(difference(p, q)) for q in plans)] for a, p in zip(labels, plans)]
    con.print()
    con.print(
        table(
            ["", *labels],
            matrix,
            title=f"Differences in memberships (at least {alts.min_difference} required)",
            right=range(1, len(labels) + 1),
        )
    )
    con.print()
    con.print("What sets each apart from alt-1:")
    for line in apart(s, comparison):
        con.print(line)


def apart(s: Scenario, comparison: Comparison) -> list[str]:
    """Per alternative after the first: the metrics that differ, then dates and members that change."""
    lines: list[str] = []
    base = comparison.plans[0].evaluation
    for judged, diff in zip(comparison.plans[1:], comparison.diffs):
        e = judged.evaluation
        figures = [
            f"{name} {e.metrics[name] - base.metrics[name]:+d}"
            for name in METRIC_ROWS
            if e.metrics[name] != base.metrics[name]
        ]
        delta = e.objective - base.objective
        lines.append(
            f"  {judged.label}: objective {e.objective} ({delta:+d})"
            + (f"; {', '.join(figures)}" if figures else "; same metrics")
        )
        for ch in diff.changes:
            date = f"date {ch.old_date} -> {ch.new_date}" if ch.moved else f"date {ch.new_date} (same)"
            lines.append(f"    {ch.review}: {date}")
            if ch.added:
                lines.append("      in:  " + ", ".join(_who(s, p) for p in ch.added))
            if ch.removed:
                lines.append("      out: " + ", ".join(_who(s, p) for p in ch.removed))
    return lines


def _who(s: Scenario, pid: str) -> str:
    p = s.participant.get(pid)
    return f"{pid} {p.name} ({p.role})" if p else pid
