"""A plan in integers: the one solution value of the solver, and its conversions.

Greedy makes one, local search changes one, extraction reads one from CP-SAT, hints put
one into CP-SAT; `to_plan` turns it into the Plan everything else uses (scored by the
evaluator, the reference for rules and metrics). `score` is the same objective from
indices, fast enough to compare solutions inside a search (tests keep the two equal).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations

from ..calendar import WorkCalendar
from ..evaluate import Evaluation, scored
from ..plan import Plan, SolverInfo, make_plan
from ..scenario.models import Scenario
from .compile import SolverInput

NOT_PLANNED = -1  # the date of a review a partial solution (a hint) says nothing about


@dataclass
class Solution:
    """Per review of a SolverInput (same order): its date index into `ReviewInput.dates`
    and its members, person index -> function index (None: no function).

    Complete unless a date is NOT_PLANNED (a hint from an old plan may be partial).
    """

    date: list[int]
    members: list[dict[int, int | None]]

    def copy(self) -> Solution:
        return Solution(list(self.date), [dict(m) for m in self.members])

    @property
    def complete(self) -> bool:
        return NOT_PLANNED not in self.date


def from_plan(data: SolverInput, plan: Plan) -> Solution:
    """The part of `plan` that `data` can express: reviews on one of their possible dates,
    members who are participants (one function each: the first the model knows)."""
    by_id = plan.review
    person = {p.id: i for i, p in enumerate(data.people)}
    function = {f: i for i, f in enumerate(data.functions)}
    dates: list[int] = []
    members: list[dict[int, int | None]] = []
    for r in data.reviews:
        pr = by_id.get(r.id)
        day = pr.date.toordinal() if pr is not None else None
        if pr is None or day not in r.dates:
            dates.append(NOT_PLANNED)
            members.append({})
            continue
        dates.append(r.dates.index(day))
        group: dict[int, int | None] = {}
        for m in pr.members:
            if m.participant in person:
                held = [function[f] for f in m.functions if f in function]
                group[person[m.participant]] = held[0] if held else None
        members.append(group)
    return Solution(dates, members)


def to_plan(
    scenario: Scenario,
    data: SolverInput,
    solution: Solution,
    calendar: WorkCalendar | None = None,
    solver: SolverInfo | None = None,
) -> tuple[Plan, Evaluation]:
    """The plan of a complete solution, with sessions, roles, metrics and objective filled
    in by the evaluator, and the evaluation itself (which says whether it is valid)."""
    assignment = {}
    for ri, r in enumerate(data.reviews):
        members = [
            (data.people[p].id, [] if f is None else [data.functions[f]])
            for p, f in sorted(solution.members[ri].items())
        ]
        assignment[r.id] = (SolverInput.day(r.dates[solution.date[ri]]), members)
    return scored(scenario, make_plan(scenario, assignment, solver), calendar)


def score(data: SolverInput, solution: Solution) -> int:
    """The objective of SPEC 4, from integers (the evaluator remains the reference)."""
    people, w = data.people, data.weights
    links: set[tuple[int, int]] = set()
    co: set[tuple[int, int]] = set()
    regions: set[tuple[int, int]] = set()
    included: set[int] = set()
    load: Counter[int] = Counter()
    diversity = preferences = 0
    for ri, r in enumerate(data.reviews):
        group = solution.members[ri]
        parts = sorted({people[p].partnership for p in group if people[p].partnership >= 0})
        regs = sorted({people[p].region for p in group})
        links.update((a, r.subject) for a in parts if a != r.subject)
        co.update(combinations(parts, 2))
        regions.update(combinations(regs, 2))
        included.update(p for p in group if people[p].partnership < 0)
        diversity += len(regs)
        preferences += sum(1 for p in group if r.subject in people[p].prefer)
        load.update(list(group))
    return (
        w["partnership_links"] * len(links)
        + w["co_member_links"] * len(co)
        + w["region_links"] * len(regions)
        + w["inclusion"] * len(included)
        + w["diversity"] * diversity
        + w["preferences"] * preferences
        - w["load_sumsq"] * sum(n * n for n in load.values())
    )
