"""The one place that decides which plan a search returns, and how strong its claim is.

Every plan a search produced (CP-SAT's, local search's, a valid hint, the greedy start)
becomes a Candidate judged by the evaluator; the valid one with the highest objective
wins (ties: in the order given, CP-SAT first). The status is optimal only when a bound
proves it: the winner's objective reaches the best bound known and nothing interrupted.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ..calendar import WorkCalendar
from ..evaluate import Evaluation
from ..plan import Plan
from ..scenario.models import Scenario
from .compile import SolverInput
from .result import Result, SolveStatus, Statistics, solver_info
from .solution import Solution, to_plan


@dataclass(frozen=True)
class Candidate:
    """A plan one of the searches produced, with the evaluator's verdict on it."""

    source: str  # a result.Source value
    plan: Plan
    evaluation: Evaluation

    @property
    def objective(self) -> int:
        return self.evaluation.objective


def candidate(
    scenario: Scenario, data: SolverInput, calendar: WorkCalendar, source: str, solution: Solution
) -> Candidate:
    """A complete solution as a candidate plan, scored by the evaluator."""
    plan, evaluation = to_plan(scenario, data, solution, calendar)
    return Candidate(source, plan, evaluation)


def plan_candidate(source: str, plan: Plan, evaluation: Evaluation) -> Candidate:
    """A plan that was already judged (a hint, the greedy start) as a candidate."""
    return Candidate(source, plan, evaluation)


def choose(candidates: list[Candidate | None]) -> Candidate | None:
    """The valid candidate with the highest objective (the first of equals); None if none is valid."""
    best: Candidate | None = None
    for c in candidates:
        if c is not None and c.evaluation.ok and (best is None or c.objective > best.objective):
            best = c
    return best


@dataclass(frozen=True)
class Outcome:
    """How a search ended, besides its plans: what to claim about the winner."""

    bound: int | None  # the best upper bound known (None: none)
    interrupted: bool
    seed: int
    workers: int
    started: float  # time.perf_counter() when the solve began
    first_solution: float | None
    statistics: Statistics


def result_of(best: Candidate, outcome: Outcome) -> Result:
    """The Result of the winning candidate, its SolverInfo written into the plan (SPEC 5)."""
    objective = best.objective
    bound = None if outcome.bound is None else max(objective, outcome.bound)
    optimal = bound is not None and objective >= bound and not outcome.interrupted
    status = SolveStatus.OPTIMAL if optimal else SolveStatus.FEASIBLE
    seconds = time.perf_counter() - outcome.started
    info = solver_info(status, objective, bound, seconds, outcome.seed, outcome.workers)
    return Result(
        status=status,
        plan=best.plan.model_copy(update={"solver": info}),
        objective=objective,
        bound=bound,
        seconds=seconds,
        seed=outcome.seed,
        workers=outcome.workers,
        statistics=outcome.statistics,
        interrupted=outcome.interrupted,
        first_solution_seconds=outcome.first_solution,
    )
