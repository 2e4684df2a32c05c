"""`opr-planner repair` and `opr-planner suggest`: change a published plan without chaos."""

from __future__ import annotations

import os
from pathlib import Path

import click
from rich.console import Console

from ..analysis.disruption import Disruption, change_lines, metric_deltas, summary_line, who_in
from ..analysis.suggest import suggest
from ..errors import InfeasibleError, NoSolutionError
from ..evaluate import RULES
from ..io.fileio import check_writable
from ..plan import Plan, made_for, write_plan
from ..scenario.models import Scenario
from ..solver.repair import Repair, repair
from ..timing import Clock
from .common import handle_errors, load, load_plan, out, plan_argument, scenario_argument, table
from .options import BACKUP_SHARE, SECONDS, backups_option, search_options
from .solve import ProgressPrinter, backups_within


def default_repaired_path(plan_path: str) -> Path:
    """`<plan stem>.repaired.plan.yaml` beside PLAN (`.json` stays JSON); never PLAN itself."""
    path = Path(plan_path)
    name, ext = path.name, ".yaml"
    for suffix in (".plan.yaml", ".plan.yml", ".plan.json", ".yaml", ".yml", ".json"):
        if name.endswith(suffix):
            name, ext = name[: -len(suffix)], (".json" if suffix.endswith(".json") else ".yaml")
            break
    return path.with_name(f"{name}.repaired.plan{ext}")


def _who(s: Scenario, pid: str) -> str:
    p = s.participant.get(pid)
    return f"{pid} {p.name}" if p else f"{pid} (no longer in the scenario)"


@click.command("repair")
@scenario_argument
@plan_argument
@search_options(
    time_help="Seconds to search, shared by the stages (deterministic time with --workers 1).", gap=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Repaired plan to write (default: <plan stem>.repaired.plan.yaml beside PLAN).",
)
@backups_option
@click.option("-q", "--quiet", is_flag=True, help="No progress on stderr.")
@handle_errors
def repair_command(
    scenario: str,
    plan: str,
    output: str | None,
    time_limit: float,
    seed: int,
    workers: int | None,
    gap: float | None,
    backups: int,
    quiet: bool,
) -> None:
    """Repair PLAN after SCENARIO changed (someone unavailable or gone, a rule or review changed).

    The new plan obeys every rule and keeps every `confirmed` item; among those plans it
    moves the fewest reviews, then changes the fewest memberships, then scores best. When
    confirmed items cannot all be kept, it says which gave way and why. Prints the changes
    per review and per participant and the metric changes. Exit 3 only when no plan is
    possible at all, 4 when none was found in time; then nothing is written.
    """
    clock = Clock.for_command()  # the time limit counts from Enter to the file written
    s = load(scenario, quiet=quiet)
    old = load_plan(plan, quiet=True)  # a changed scenario is expected here: noted below
    origin = made_for(old, s)
    if not quiet and origin.same is False:
        click.echo(
            f"note: {plan} was made for another version of {scenario} ({origin.what_changed}): "
            "repairing for the data as they are now",
            err=True,
        )
    target = Path(output) if output else default_repaired_path(plan)
    check_writable(target)  # before the search, not after it
    workers = workers or max(1, min(os.cpu_count() or 1, 8))
    if not quiet:
        click.echo(
            f"Repairing {plan} under {scenario}: time limit {time_limit:g} s, {workers} worker(s)", err=True
        )
    # Backups take a while after the search (stand-ins judged against every rule).
    reserve = max(0.5, BACKUP_SHARE * time_limit) if backups else None
    fixed = repair(
        s,
        old,
        time_limit=time_limit,
        seed=seed,
        workers=workers,
        gap=gap,
        on_progress=None if quiet else ProgressPrinter(),
        start=clock.start,
        reserve=reserve,
    )
    new = fixed.plan
    if backups:
        new = backups_within(s, new, backups, clock.start + time_limit, quiet=quiet)
    write_plan(new, target)
    report(s, fixed, new)
    for note in shrunk_notes(fixed, old, scenario, plan):
        out().print(note, soft_wrap=True)
    d = fixed.disruption
    status = fixed.result.status.value + (" (interrupted)" if fixed.result.interrupted else "")
    click.echo(
        f"\n{status}: moved_reviews {d.moved_reviews}, changed_memberships {d.changed_memberships}, "
        f"changed_functions {d.changed_functions}, "
        f"objective {fixed.before.objective} -> {fixed.after.objective} -> {target}"
    )


def report(s: Scenario, fixed: Repair, new: Plan) -> None:
    """What the old plan now breaks, what gave way, the stages, the changes and the metrics."""
    con = out()
    if fixed.before.violations:
        con.print("The plan as it was now breaks:")
        for v in fixed.before.violations:
            con.print(f"  {v.rule} ({RULES[v.rule]}): {v.message}", soft_wrap=True)
    else:
        con.print("The plan as it was still obeys every rule under the changed scenario.")
    if fixed.gave_way:
        con.print("\nConfirmed items that had to give way:")
        for g in fixed.gave_way:
            con.print(f"  - {g.item}: {g.why}", soft_wrap=True)
    rows = [
        [
            i + 1,
            f"{st.goal}imise {st.name}",
            "—" if st.value is None else st.value,
            "—" if st.bound is None else st.bound,
            "yes" if st.proven else ("no" if st.value is not None else "not run"),
        ]
        for i, st in enumerate(fixed.stages)
    ]
    con.print()
    con.print(
        table(
            ["stage", "goal", "value", "bound", "proven"],
            rows,
            title="Stages",
            right=(0, 2, 3),
        )
    )
    _changes(con, s, fixed.disruption)
    rows = [
        [m, a, b, f"{c:+d}" if c else ""]
        for m, a, b, c in metric_deltas(fixed.before.metrics, fixed.after.metrics)
    ]
    delta = fixed.after.objective - fixed.before.objective
    rows.append(["objective", fixed.before.objective, fixed.after.objective, f"{delta:+d}" if delta else ""])
    con.print()
    con.print(
        table(
            ["metric", "before", "after", "change"],
            rows,
            title="Metrics (both under the current scenario)",
            right=(1, 2, 3),
        )
    )


def shrunk_notes(fixed: Repair, old: Plan, scenario_path: str, plan_path: str) -> list[str]:
    """For every group that lost members and got no stand-in: how to add one anyway.

    SPEC 5 ranks fewer changed memberships first, so a group that stays valid without a
    leaver is not given a stand-in (which would be a second change)."""
    notes = []
    for c in fixed.disruption.reviews:
        if c.removed or c.added or len(c.left) <= len(c.joined):
            continue
        before = len(set(old.review[c.review].member_ids))
        now = len(set(fixed.plan.review[c.review].member_ids))
        notes.append(
            f"\nnote: {c.review} has {now} members now ({before} before): the group obeys every rule "
            "without a stand-in, and one would be a second change. To add one anyway, see "
            f"`opr-planner suggest {scenario_path} {plan_path} --review {c.review} --replace {c.left[0]}`"
        )
    return notes


def _changes(con: Console, s: Scenario, d: Disruption) -> None:
    """Every difference from the old plan, worded as `compare` words it."""
    con.print()
    con.print(f"Changes: {summary_line(d)}", soft_wrap=True)
    for line in change_lines(d, who_in(s)):
        con.print(f"  {line}", soft_wrap=True)


@click.command("suggest")
@scenario_argument
@plan_argument
@click.option("--review", "review_id", required=True, help="Id of the review that needs a stand-in.")
@click.option("--replace", "participant", required=True, help="Id of the member who drops out.")
@click.option(
    "--top", type=click.IntRange(min=1), default=5, show_default=True, help="Show at most N stand-ins."
)
@click.option(
    "--time-limit",
    type=SECONDS,
    default=60.0,
    show_default=True,
    help="Seconds from start to answer; candidates not reached by then are not considered.",
)
@handle_errors
def suggest_command(
    scenario: str, plan: str, review_id: str, participant: str, top: int, time_limit: float
) -> None:
    """Ranked stand-ins for one member of one review, on the review's current date.

    Each stand-in is swapped in and the whole plan judged against every rule; only those
    who add no violation are shown, best objective first, with the metrics that change.
    The member's functions (e.g. chair) pass to the stand-in when they can hold them.
    Exit 3 when nobody can stand in.
    """
    clock = Clock.for_command()
    s = load(scenario)
    p = load_plan(plan, s)
    # The stand-ins shown are judged again by the evaluator (~0.25 s each at national size).
    deadline = clock.start + time_limit - 0.3 * top - 0.5
    try:
        found = suggest(s, p, review_id, participant, top=top, deadline=deadline)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--review/--replace") from None
    date = p.review[review_id].date
    cut = found.considered < found.candidates
    if not found.stand_ins and cut:
        raise NoSolutionError(
            f"no stand-in for {_who(s, participant)} in {review_id} found within {time_limit:g} s "
            f"({found.considered} of {found.candidates} participants considered); try a longer --time-limit"
        )
    if not found.stand_ins:
        rules = ", ".join(f"{n} would break {r} ({RULES[r]})" for r, n in found.rejected.items())
        raise InfeasibleError(
            [
                f"nobody can stand in for {_who(s, participant)} in {review_id} on {date}: "
                f"of {found.considered} other participants, {rules or 'none is left'}"
            ],
            [f"run `opr-planner repair` to move {review_id} or regroup its members"],
        )
    con = out()
    rows = []
    for i, st in enumerate(found.stand_ins[:top], 1):
        functions = ", ".join(st.functions)
        rows.append(
            [i, _who(s, st.participant), st.role, functions, st.objective, f"{st.delta:+d}", st.why(s)]
        )
    con.print(
        table(
            [
                "rank",
                "stand-in",
                "role",
                "takes over",
                "objective",
                "change",
                "why (metric changes, weighted)",
            ],
            rows,
            title=f"Stand-ins for {_who(s, participant)} in {review_id} on {date} (objective now {found.base.objective})",
            right=(0, 4, 5),
        )
    )
    valid = found.valid
    rejected = ", ".join(f"{r} {n}" for r, n in found.rejected.items())
    con.print(
        f"\n{valid} valid stand-in(s) of {found.considered} other participants, {min(top, valid)} shown; "
        f"turned down by rule: {rejected or 'none'}"
        + (f"; {found.candidates - found.considered} not considered: the time limit ran out" if cut else "")
    )


__all__ = ["default_repaired_path", "repair_command", "suggest_command"]
