"""Alternative plans at national size by local search, without a CP-SAT model of the whole plan.

Plan k of alternatives.py is the best plan that differs from each earlier plan in at least
M memberships. On a national scenario the whole-plan model (~200,000 review x candidate
pairs) is too large to build and search, so plan k is searched locally instead: from the
last plan found, local search (local.LocalSearch) runs with every missing membership of
difference weighing more than any objective change. It first moves away from the earlier
plans (each member swapped for someone new adds 2 to the difference), then improves the
objective while every difference stays at least M, until the time is up or the objective
is within --gap of the counting bound (bounds.py). Nothing is proven unless that bound is
reached: when the difference is not reached in the time, there is no further plan (a
shortfall "time").
"""

from __future__ import annotations

import time

from ..calendar import WorkCalendar
from ..errors import NoSolutionError
from ..plan import Plan
from ..scenario.models import Scenario
from .bounds import upper_bound
from .compile import SolverInput
from .local import LocalSearch
from .result import Method, Result, SolveStatus, Source, Statistics, relative_gap, solver_info
from .solution import Solution, from_plan, to_plan

# A membership of difference still missing outweighs any objective change of one move.
W_DIFFERENCE = 10**9


class AlternativeSearch(LocalSearch):
    """Local search on the objective less W_DIFFERENCE per membership of difference missing
    to any earlier plan (their memberships in `earlier`, per review)."""

    def __init__(
        self, data: SolverInput, start: Solution, seed: int, earlier: list[list[set[int]]], need: int
    ):
        self.earlier, self.need = earlier, need
        self.differs = [0] * len(earlier)  # the difference to each earlier plan, kept up to date
        super().__init__(data, start, seed)
        self.differs = differences(self.solution, earlier)
        self.value -= self.penalty(self.differs)
        self.best, self.best_value = self.solution.copy(), self.value

    def penalty(self, differs: list[int]) -> int:
        return W_DIFFERENCE * sum(max(0, self.need - n) for n in differs)

    def _change(self, ri: int, p: int, joins: bool) -> list[int]:
        """The differences to the earlier plans if p joined (or left) review ri."""
        return [
            n + (1 if (p in plan[ri]) != joins else -1)
            for n, plan in zip(self.differs, self.earlier, strict=True)
        ]

    def _add(self, ri: int, p: int, f: int | None) -> None:
        super()._add(ri, p, f)
        self.differs = self._change(ri, p, True)

    def _remove(self, ri: int, p: int) -> int | None:
        f = super()._remove(ri, p)
        self.differs = self._change(ri, p, False)
        return f

    def gain_add(self, ri: int, p: int) -> int:
        after = self.penalty(self._change(ri, p, True))
        return super().gain_add(ri, p) + self.penalty(self.differs) - after

    def gain_remove(self, ri: int, p: int) -> int:
        after = self.penalty(self._change(ri, p, False))
        return super().gain_remove(ri, p) + self.penalty(self.differs) - after


def differences(solution: Solution, earlier: list[list[set[int]]]) -> list[int]:
    """Memberships in one plan and not the other, to each earlier plan (alternatives.difference)."""
    return [sum(len(plan[ri] ^ set(group)) for ri, group in enumerate(solution.members)) for plan in earlier]


def earlier_sets(data: SolverInput, earlier: list[Plan]) -> list[list[set[int]]]:
    """The memberships of each earlier plan, per review (as AlternativeSearch takes them)."""
    return [[set(group) for group in from_plan(data, plan).members] for plan in earlier]


def differing_start(
    data: SolverInput,
    earlier: list[Plan],
    min_difference: int,
    *,
    seed: int,
    seconds: float,
    reproducible: bool,
    steps_per_second: int,
) -> Solution | None:
    """A valid plan that differs from each of `earlier` in at least `min_difference`
    memberships, found by local search from the best earlier plan in `seconds` (reproducible
    runs: that many seconds' worth of steps); None when the difference was not reached.

    The start of plan k's CP-SAT search (its hint) and the plan it returns if CP-SAT finds
    nothing better: without it, CP-SAT starts from nothing and may find a poor plan or none.
    """
    sets = earlier_sets(data, earlier)
    best_earlier = max(earlier, key=lambda plan: plan.objective or 0)
    search = AlternativeSearch(data, from_plan(data, best_earlier), seed, sets, min_difference)
    now = time.perf_counter()
    if reproducible:
        search.run(now + 2 * seconds + 5, steps=max(1, int(seconds * steps_per_second)))
    elif seconds > 0:
        search.run(now + seconds)
    best = search.best
    return best if min(differences(best, sets)) >= min_difference else None


def alternative_locally(
    scenario: Scenario,
    data: SolverInput,
    cal: WorkCalendar,
    earlier: list[Plan],
    min_difference: int,
    *,
    started: float,
    time_limit: float,
    seed: int,
    reproducible: bool,
    steps_per_second: int,
    gap: float | None = None,
) -> Result:
    """The best plan found in the time that differs from each of `earlier` in at least
    `min_difference` memberships; NoSolutionError when none was reached."""
    sets = earlier_sets(data, earlier)
    start = from_plan(data, earlier[-1])
    until = started + time_limit - 0.5  # the plan is built and judged after
    search = AlternativeSearch(data, start, seed, sets, min_difference)
    counted = upper_bound(data)
    # The search's value carries a large penalty while a difference is missing: within the
    # gap only once every difference is reached.
    within = None if not gap else lambda: (relative_gap(search.best_value, counted) or 0.0) <= gap
    seconds = max(0.0, until - time.perf_counter())
    interrupted = False
    try:
        if reproducible:
            steps = int((time_limit - 0.5) * steps_per_second)  # by the limit: not by the clock
            search.run(time.perf_counter() + 2 * seconds + 5, steps=steps, stop=within)
        elif seconds > 0:
            search.run(until, stop=within)
    except KeyboardInterrupt:
        interrupted = True
    best = search.best
    if min(differences(best, sets)) < min_difference:
        raise NoSolutionError(
            f"no plan differing from each earlier one in at least {min_difference} memberships found in time"
        )
    plan, evaluation = to_plan(scenario, data, best, cal)
    if not evaluation.ok:  # never expected: local search keeps every rule
        raise NoSolutionError("the alternative found breaks " + ", ".join(evaluation.rule_ids))
    bound = max(counted, evaluation.objective)
    seconds = time.perf_counter() - started
    status = (
        SolveStatus.OPTIMAL if evaluation.objective == bound and not interrupted else SolveStatus.FEASIBLE
    )
    info = solver_info(status, evaluation.objective, bound, seconds, seed, 1)
    statistics = Statistics(
        Method.LOCAL_SEARCH,
        Source.LOCAL_SEARCH,
        candidates=data.pairs,
        local_search_steps=search.iterations,
    )
    return Result(
        status,
        plan.model_copy(update={"solver": info}),
        evaluation.objective,
        bound,
        seconds,
        seed,
        1,
        statistics,
        interrupted=interrupted,
    )
