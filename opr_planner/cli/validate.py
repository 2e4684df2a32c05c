"""`opr-planner validate SCENARIO`: read, check and summarise a scenario."""

from __future__ import annotations

import sys
from collections import Counter

import click

from ..calendar import WorkCalendar
from ..scenario.models import Scenario
from .common import EXIT_INPUT, echo_err, handle_errors, load, out, scenario_argument, table


@click.command()
@scenario_argument
@handle_errors
def validate(scenario: str) -> None:
    """Read and check SCENARIO; print a summary of what it holds.

    Every problem is reported at once as FILE:LINE: field: what is wrong; hint
    (exit 2). Then the quick feasibility checks `solve` starts with run too (a review
    without a possible date, a fixed date that is not possible, more seats of a role or
    function than the participants can fill): each is an error in the words `solve`
    uses (exit 2). Likely duplicate participants and school holidays missing from the
    holiday data are reported as warnings.
    """
    s = load(scenario)
    con = out()
    unaffiliated = sum(1 for p in s.participants if not p.partnership)
    con.print(f"Scenario: {s.name}")
    con.print(f"File: {s.path} (sha256 {s.sha256[:12] if s.sha256 else '?'}…)")
    con.print(
        f"{len(s.partnerships)} partnerships, {len(s.regions)} regions, "
        f"{len(s.participants)} participants ({unaffiliated} without a partnership), {len(s.reviews)} reviews"
    )
    con.print(f"Calendar: {s.calendar.start} to {s.calendar.deadline}")

    parts = [p.id for p in s.partnerships]
    counts = Counter((p.role, p.partnership or "-") for p in s.participants)
    columns = [*parts, "-"]
    rows = []
    for role in s.role_ids:
        row = [counts[(role, c)] for c in columns]
        rows.append([role, *row, sum(row)])
    rows.append(["total", *[sum(counts[(r, c)] for r in s.role_ids) for c in columns], len(s.participants)])
    con.print()
    con.print(
        table(
            ["role", *parts, "no partnership", "total"],
            rows,
            title="Participants by role and partnership",
            right=range(1, len(columns) + 2),
        )
    )

    cal = WorkCalendar(s)
    review_rows = []
    for r in s.reviews:
        lo, hi = s.window_of(r)
        region = cal.holiday_region(r)
        review_rows.append(
            [r.id, r.subject, f"{lo} to {hi}", cal.working_days(lo, hi, region), len(cal.candidate_dates(r))]
        )
    con.print()
    con.print(
        table(
            ["review", "subject", "window", "working days", "possible dates"],
            review_rows,
            title="Reviews (possible dates: every session on a working day)",
            right=(3, 4),
        )
    )
    con.print()
    if not _feasibility(s, cal):
        sys.exit(EXIT_INPUT)
    con.print("OK: the scenario is valid" + (f" ({len(s.warnings)} warning(s) above)" if s.warnings else ""))


def _feasibility(s: Scenario, cal: WorkCalendar) -> bool:
    """The pre-checks of `solve` (solver/infeasible.precheck), as errors; True when none fails."""
    from ..solver.compile import compile_scenario
    from ..solver.infeasible import precheck

    found = precheck(s, compile_scenario(s, cal))
    if found is None:
        return True
    reasons, tips = found[0], found[1]
    for reason in reasons:
        echo_err(f"error: {s.path}: no plan is possible: {reason}", lines=False)
    if tips:
        echo_err("What you could relax:")
        for tip in tips:
            echo_err(f"  - {tip}", lines=False)
    return False
