"""`opr-planner solve SCENARIO`: find the best plan, show progress, write the plan."""

from __future__ import annotations

import dataclasses
import signal
import time
from pathlib import Path

import click

from ..analysis.backups import backups_until
from ..evaluate import evaluate
from ..io.fileio import check_writable
from ..plan import Plan, write_plan
from ..scenario.models import METRICS, Scenario
from ..solver.solve import Progress, Result, solve
from ..timing import Clock
from .common import default_plan_path, err, handle_errors, load, load_plan, out, scenario_argument, table
from .options import BACKUP_SHARE, backups_option, search_options


class ProgressPrinter:
    """Prints solver progress on stderr: a line per better plan, bounds at most twice a second."""

    def __init__(self) -> None:
        self.last = 0.0
        self.best: int | None = None

    def __call__(self, p: Progress) -> None:
        now = time.monotonic()
        improved = p.objective is not None and p.objective != self.best
        if not improved and now - self.last < 0.5:
            return
        # The first plan is the greedy start; later ones with no CP-SAT plan yet are local search's.
        first = self.best is None
        self.last, self.best = now, p.objective
        gap = f"{100 * p.gap:.1f}%" if p.gap is not None else "-"
        best = "-" if p.objective is None else str(p.objective)
        bound = "-" if p.bound is None else str(p.bound)
        what = (
            "greedy start"
            if first and p.solutions == 0 and p.objective is not None
            else f"plans {p.solutions:4d}"
        )
        click.echo(f"  {p.seconds:7.2f}s  {what:<12}  best {best:>6}  bound {bound:>6}  gap {gap}", err=True)


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@click.command("solve")
@scenario_argument
@search_options(gap=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Plan file to write (default: <scenario stem>.plan.yaml here; .json for JSON).",
)
@click.option(
    "--hint",
    "hint_path",
    type=click.Path(path_type=str),
    default=None,
    help="A plan to start from (warm start); it need not be valid.",
)
@backups_option
@click.option("-q", "--quiet", is_flag=True, help="No progress, no summary table.")
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Also print how long each stage took (load, compile, greedy, search, write) and how the plan was searched.",
)
@handle_errors
def solve_command(
    scenario: str,
    output: str | None,
    time_limit: float,
    seed: int,
    workers: int | None,
    gap: float | None,
    hint_path: str | None,
    backups: int,
    quiet: bool,
    verbose: bool,
) -> None:
    """Find the best plan for SCENARIO and write it (status optimal when proven).

    Ctrl-C stops the search and still writes the best plan found so far (status
    feasible). Exit 3 when no plan is possible (with the reasons), 4 when none was
    found in time; then nothing is written and an existing plan file is kept.
    """
    clock = Clock.for_command()  # the time limit counts from Enter
    with clock.stage("load"):
        s = load(scenario, quiet=quiet)
        hint = load_plan(hint_path, s, quiet=True) if hint_path else None
    target = Path(output) if output else default_plan_path(scenario)
    check_writable(target)  # before the search, not after it
    if not quiet:
        click.echo(
            f"Solving {s.name}: {len(s.reviews)} reviews, {len(s.participants)} participants, time limit {time_limit:g} s, seed {seed}"
            + (f", {workers} worker(s)" if workers else ""),
            err=True,
        )
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    # --backups after the search: the search ends earlier to leave them time.
    keep = max(0.5, BACKUP_SHARE * time_limit) if backups else 0.0
    try:
        result = solve(
            s,
            time_limit=max(0.1, time_limit - keep),
            seed=seed,
            workers=workers,
            gap=gap,
            hint=hint,
            on_progress=None if quiet else ProgressPrinter(),
            clock=clock,
        )
    finally:
        signal.signal(signal.SIGTERM, previous)
    if backups:  # ranked stand-ins per review (analysis/backups.py)
        with clock.stage("backups"):
            plan = backups_within(s, result.plan, backups, clock.start + time_limit, quiet=quiet)
            result = dataclasses.replace(result, plan=plan)
    with clock.stage("write"):
        write_plan(result.plan, target)
    if not quiet:
        summary(s, result)
    if not quiet:
        note = " (interrupted: best plan so far)" if result.interrupted else ""
        click.echo(
            f"\n{result.status.value}{note}: objective {result.objective}, bound {result.bound if result.bound is not None else 'unknown'}, "
            f"gap {'unknown' if result.gap is None else f'{100 * result.gap:.2f}%'}, {result.seconds:.2f} s -> {target}"
        )
    if verbose:
        click.echo(f"stages: {clock.summary()}", err=True)
        click.echo(f"search: {result.statistics.summary()}", err=True)


def backups_within(s: Scenario, plan: Plan, n: int, deadline: float, *, quiet: bool = False) -> Plan:
    """`plan` with up to n backups per review, for as many reviews as fit before `deadline`
    (less a moment to write the file: the time limit holds); a note names what was left out."""
    with_them, left = backups_until(s, plan, n, deadline - 0.3)
    if left and not quiet:
        click.echo(
            f"note: no backups for {len(left)} of {len(plan.reviews)} reviews ({', '.join(left[:5])}"
            f"{', ...' if len(left) > 5 else ''}): the time limit ran out; a longer --time-limit leaves them time",
            err=True,
        )
    return with_them


def summary(s: Scenario, result: Result) -> None:
    """Per review: date and members; then every metric and its share of the objective."""
    con = out()
    plan: Plan = result.plan
    rows = []
    for r in plan.reviews:
        for i, m in enumerate(r.members):
            p = s.participant[m.participant]
            rows.append(
                [
                    r.id if i == 0 else "",
                    r.date.isoformat() if i == 0 else "",
                    f"{p.id} {p.name}",
                    p.role,
                    p.partnership or "-",
                    p.region,
                    ", ".join(m.functions),
                ]
            )
    con.print(
        table(["review", "date", "member", "role", "partnership", "region", "function"], rows, title="Plan")
    )
    evaluation = evaluate(s, plan)
    w = s.objectives
    metric_rows = []
    for name in (*METRICS, "max_load"):
        weight = getattr(w, name, None)
        value = evaluation.metrics[name]
        contribution = "" if weight is None else (-weight if name == "load_sumsq" else weight) * value
        metric_rows.append([name, value, "" if weight is None else weight, contribution])
    metric_rows.append(["objective", "", "", evaluation.objective])
    con.print()
    con.print(
        table(["metric", "value", "weight", "contribution"], metric_rows, title="Metrics", right=(1, 2, 3))
    )
    if not evaluation.ok:  # pragma: no cover - the solver's plans are checked in tests
        err().print(f"internal error: the plan breaks {', '.join(evaluation.rule_ids)}; please report this")
