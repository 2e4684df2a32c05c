"""`opr-planner alternatives SCENARIO -n K -o DIR`: K good plans that differ, for a board to choose from."""

from __future__ import annotations

import re
import signal
from pathlib import Path

import click
from rich.console import Console

from ..analysis.choice import Apart, apart, people_and_seats, ties
from ..analysis.compare import compare, table_rows
from ..io.fileio import check_writable
from ..plan import write_plan
from ..scenario.models import Scenario
from ..solver.alternatives import Alternatives, difference, find_alternatives
from ..solver.solve import Result
from ..timing import Clock
from .common import handle_errors, load, out, scenario_argument, table
from .options import search_options

ALT_FILE = re.compile(r"alt-(\d+)\.plan\.yaml")


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def alt_path(out_dir: Path, index: int) -> Path:
    return out_dir / f"alt-{index}.plan.yaml"


@click.command("alternatives")
@scenario_argument
@search_options(time_help="Seconds to search for each plan: all K are written within K times this.", gap=True)
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
    gap: float | None,
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
    clock = Clock.for_command()  # the time limits count from Enter
    s = load(scenario, quiet=quiet)
    target = Path(out_dir)
    check_writable(target, folder=True)  # before the search, not after it
    if not quiet:
        shown = f"{workers} worker(s)" if workers else "the workers `solve` uses"
        click.echo(
            f"Looking for {count} plan(s) of {s.name} that differ in >= {min_difference} memberships: "
            f"{time_limit:g} s each, {shown}, seed {seed}; alt-1 is the plan `solve` makes",
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
            gap=gap,
            on_found=found,
            start=clock.start,
        )
    finally:
        signal.signal(signal.SIGTERM, previous)
    for index, result in enumerate(alts.results, 1):  # the final order: best first
        write_plan(result.plan, alt_path(target, index))
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
    """The plans side by side, their pairwise differences, ties, and what sets each apart."""
    labels = [f"alt-{i}" for i in range(1, len(alts.results) + 1)]
    plans = alts.plans
    comparison = compare(s, list(zip(labels, plans)))
    rows = [[name, *cells] for name, cells in table_rows(comparison)]
    counts = [people_and_seats(p) for p in plans]
    rows.append(["people taking part", *(str(people) for people, _ in counts)])
    rows.append(["seats (memberships)", *(str(seats) for _, seats in counts)])
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
    for line in tie_lines(labels, [p.objective for p in plans]):
        con.print(line)
    con.print("What sets each apart from alt-1 (the plan `solve` makes):")
    for label, plan in zip(labels[1:], plans[1:]):
        for line in apart_lines(s, label, apart(s, plans[0], plan)):
            con.print(line)


def tie_lines(labels: list[str], objectives: list[int | None]) -> list[str]:
    """One line per group of plans with the same objective: equally good by the weights."""
    lines = []
    for group in ties(labels, objectives):
        objective = objectives[labels.index(group[0])]
        names = ", ".join(group[:-1]) + f" and {group[-1]}"
        lines.append(
            f"{names} tie at objective {objective}: equally good by the scenario's weights; "
            "choose on what differs below."
        )
    return [*lines, ""] if lines else []


def apart_lines(s: Scenario, label: str, a: Apart) -> list[str]:
    """What one alternative changes against alt-1, named: metrics, meetings, people, dates, groups."""
    figures = ", ".join(f"{name} {delta:+d}" for name, delta in a.metrics.items()) or "same metrics"
    lines = [f"  {label}: objective {a.objective} ({a.delta:+d}); {figures}"]
    if a.meet_only_here or a.meet_only_there:
        here = "; ".join(_pair(s, p) for p in a.meet_only_here) or "none"
        there = "; ".join(_pair(s, p) for p in a.meet_only_there) or "none"
        lines.append(f"    partnerships that meet only here: {here}; only in alt-1: {there}")
    else:
        lines.append("    the same partnerships meet")
    if a.joins or a.leaves:
        lines.append(
            f"    takes part only here: {_people(s, a.joins)}; only in alt-1: {_people(s, a.leaves)}"
        )
    else:
        lines.append(f"    the same {a.people} people take part ({a.seats} seats)")
    for review, old, new in a.moved:
        lines.append(f"    date of {review}: {old} -> {new}")
    for review, added, removed in a.groups:
        lines.append(f"    {review}: in {_people(s, added)}; out {_people(s, removed)}")
    return lines


def _pair(s: Scenario, pair: tuple[str, str]) -> str:
    names = [(s.partnership[p].name or p) if p in s.partnership else p for p in pair]
    return " – ".join(names)


def _people(s: Scenario, ids: tuple[str, ...]) -> str:
    return ", ".join(_who(s, p) for p in ids) or "nobody"


def _who(s: Scenario, pid: str) -> str:
    p = s.participant.get(pid)
    return f"{pid} {p.name} ({p.role})" if p else pid
