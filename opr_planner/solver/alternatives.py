"""Alternative plans for a board: K good plans that pairwise differ in at least M memberships.

A *membership* is a pair (review id, participant id): the participant sits in the
group of that review. The **difference** between plans A and B is the size of the
symmetric difference of their membership sets:

    difference(A, B) = |memberships(A) - memberships(B)| + |memberships(B) - memberships(A)|

so replacing one member of one group by someone else counts 2 (one out, one in).
Dates and functions (chair, ...) do not count; they follow from the groups.

Plan 1 is the plan `solve` makes with the same options (the same seed and workers give
the same plan). Plan k is the best plan that differs from each of plans 1..k-1 in at
least M memberships: on the model's membership literals x[r][p] that is, for each
earlier plan E,

    sum over (r, p) in E of (1 - x[r][p])  +  sum over (r, p) not in E of x[r][p]  >=  M.

The model is used without its symmetry breaking: two interchangeable participants
are still different people, and only the full model can prove that no further plan
exists. The search is greedy (plan 1 first), so "no further plan" means no plan that
differs enough from the plans already chosen. Plans 2..K are then ordered best first
(the search within a time limit may find a better one later).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from ..calendar import WorkCalendar
from ..errors import InfeasibleError, NoSolutionError
from ..plan import Plan
from ..scenario.models import Scenario
from ..timing import Clock
from ..wording import Said
from .alternatives_local import alternative_locally, differing_start
from .compile import SolverInput, compile_scenario
from .cpsat import solve_model
from .model import PlanModel
from .params import Tuning
from .result import ProgressHook, Result
from .solve import solve

Membership = tuple[str, str]
Shortfall = Literal["proven", "time", "interrupted"]


def memberships(plan: Plan) -> frozenset[Membership]:
    """Every (review id, participant id) pair of the plan."""
    return frozenset((r.id, m.participant) for r in plan.reviews for m in r.members)


def difference(a: Plan, b: Plan) -> int:
    """Memberships in `a` not in `b` plus memberships in `b` not in `a` (see the module doc)."""
    return len(memberships(a) ^ memberships(b))


class UnbrokenModel(PlanModel):
    """The plan model without symmetry breaking between interchangeable participants.

    Symmetry breaking keeps only one of several plans that differ by swapping look-alike
    people; with difference constraints such a swapped plan may be the only one left, so
    dropping it would make "no further plan exists" untrue.
    """

    def symmetry(self) -> None:
        return None


def require_difference(model: PlanModel, data: SolverInput, plan: Plan, at_least: int) -> None:
    """Constrain the model's plan to differ from `plan` in at least `at_least` memberships."""
    index = {p.id: i for i, p in enumerate(data.people)}
    by_id = plan.review
    terms = []
    fixed = 0  # memberships of `plan` the model cannot choose: always a difference
    for ri, r in enumerate(data.reviews):
        old = by_id.get(r.id)
        members = {index.get(m.participant, -1) for m in old.members} if old else set()
        fixed += sum(1 for p in members if p not in model.x[ri])
        for p, lit in sorted(model.x[ri].items()):
            terms.append(1 - lit if p in members else lit)
    model.m.add(sum(terms) + fixed >= at_least)


@dataclass(frozen=True)
class Alternatives:
    """The plans found, in order, and why there are fewer than requested (if so)."""

    results: tuple[Result, ...]
    requested: int
    min_difference: int
    shortfall: Shortfall | None = None

    @property
    def plans(self) -> list[Plan]:
        return [r.plan for r in self.results]

    @property
    def note(self) -> Said | None:
        """What to tell the user when fewer plans than requested were found (in English as
        the command line prints it; the workbench words it in the page's language)."""
        n, k, m = len(self.results), self.requested, self.min_difference
        if n >= k or self.shortfall is None:
            return None
        found = f"{n} plan{'s' if n != 1 else ''}"
        if self.shortfall == "proven":
            return Said(
                "alternatives_proven",
                f"only {found} of the {k} requested: no other plan differs from "
                f"{'it' if n == 1 else 'each of these'} in at least {m} memberships (proven by the solver); "
                "a smaller --min-difference allows more",
                n=n,
                k=k,
                m=m,
                these="it" if n == 1 else "each of these",
            )
        if self.shortfall == "interrupted":
            return Said(
                "alternatives_interrupted",
                f"interrupted after {found} of the {k} requested (the last one may not be the best possible)",
                n=n,
                k=k,
            )
        return Said(
            "alternatives_in_time",
            f"only {found} of the {k} requested: no further plan differing in at least {m} memberships "
            "was found within the time limit (more may exist; try a longer --time-limit)",
            n=n,
            k=k,
            m=m,
        )


def variant_info(index: int, requested: int, min_difference: int) -> dict[str, object]:
    """What a plan records about the alternative it is (`solver.variant`)."""
    return {"name": f"alt-{index}", "alternative": index, "of": requested, "min_difference": min_difference}


def find_alternatives(
    scenario: Scenario,
    count: int,
    *,
    min_difference: int,
    time_limit: float = 60.0,
    seed: int = 0,
    workers: int | None = None,
    gap: float | None = None,
    on_found: Callable[[int, Result], None] | None = None,
    on_progress: ProgressHook | None = None,
    calendar: WorkCalendar | None = None,
    tuning: Tuning | None = None,
    start: float | None = None,
) -> Alternatives:
    """Up to `count` plans, each the best that differs from all earlier ones by `min_difference`.

    Each plan gets `time_limit` seconds, counted from `start` (time.perf_counter(), by
    default now; the command line's start): plan k is found by start + k x time_limit
    (loading and compiling spend from the first plan's time). `gap` ends each plan's search once it is within
    that relative gap of its bound. Raises InfeasibleError when not even one plan
    exists and NoSolutionError when the first plan is not found in time; later shortfalls
    are reported in `Alternatives.shortfall` instead. `on_found(index, result)` is called
    as each plan is found (so a caller can write it at once).
    """
    from .infeasible import precheck

    if count < 1 or min_difference < 1:
        raise ValueError("count and min_difference must be at least 1")
    cal = calendar or WorkCalendar(scenario)
    tuning = tuning or Tuning()
    data = compile_scenario(scenario, cal)
    reasons = precheck(scenario, data)
    if reasons:
        raise InfeasibleError(*reasons)
    found: list[Result] = []
    shortfall: Shortfall | None = None
    began = time.perf_counter() if start is None else start
    for index in range(1, count + 1):
        start = min(began + (index - 1) * time_limit, time.perf_counter())
        try:
            if index == 1:  # the plan `solve` makes: greedy start, local search and all
                result = solve(
                    scenario,
                    time_limit=time_limit,
                    seed=seed,
                    workers=workers,
                    gap=gap,
                    on_progress=on_progress,
                    calendar=cal,
                    tuning=tuning,
                    clock=Clock(start),
                )
            elif tuning.too_large_to_model(data.pairs):
                # National size: no model of the whole plan (alternatives_local.py).
                result = alternative_locally(
                    scenario,
                    data,
                    cal,
                    [r.plan for r in found],
                    min_difference,
                    started=start,
                    time_limit=time_limit,
                    seed=seed,
                    reproducible=workers == 1,
                    steps_per_second=tuning.local_steps_per_second,
                    gap=gap,
                )
            else:
                result = _alternative_by_cp_sat(
                    scenario,
                    data,
                    [r.plan for r in found],
                    min_difference,
                    start,
                    time_limit,
                    seed=seed,
                    workers=workers,
                    gap=gap,
                    on_progress=on_progress,
                    tuning=tuning,
                )
        except InfeasibleError:
            if not found:
                raise
            shortfall = "proven"
            break
        except NoSolutionError:
            if not found:
                raise
            shortfall = "time"
            break
        except KeyboardInterrupt:  # in the local search plan k starts from (CP-SAT's are caught)
            if not found:
                raise
            shortfall = "interrupted"
            break
        result = _labelled(result, variant_info(index, count, min_difference))
        found.append(result)
        if on_found is not None:
            on_found(index, result)
        if result.interrupted:
            shortfall = "interrupted"
            break
    return Alternatives(tuple(best_first(found, count, min_difference)), count, min_difference, shortfall)


def _alternative_by_cp_sat(
    scenario: Scenario,
    data: SolverInput,
    earlier: list[Plan],
    min_difference: int,
    start: float,
    time_limit: float,
    *,
    seed: int,
    workers: int | None,
    gap: float | None,
    on_progress: ProgressHook | None,
    tuning: Tuning,
) -> Result:
    """The best plan CP-SAT finds by start + time_limit that differs from each of `earlier`
    in at least `min_difference` memberships, never worse than where it starts: a differing
    plan local search makes from the best earlier one in a short share of the time."""
    seconds = min(tuning.alternative_start_share * time_limit, tuning.alternative_start_seconds)
    reproducible = workers == 1
    if not reproducible:  # what is left on the clock, less the reserve for writing the plan
        seconds = max(0.0, min(seconds, start + time_limit - 0.5 - time.perf_counter()))
    fallback = differing_start(
        data,
        earlier,
        min_difference,
        seed=seed,
        seconds=seconds,
        reproducible=reproducible,
        steps_per_second=tuning.local_steps_per_second,
    )
    model = UnbrokenModel(data)
    for plan in earlier:
        require_difference(model, data, plan, min_difference)
    return solve_model(
        scenario,
        data,
        model,
        time_limit=time_limit,
        seed=seed,
        workers=workers,
        gap=gap,
        on_progress=on_progress,
        start=start,
        fallback=fallback,
        spent=seconds if reproducible else 0.0,
    )


def best_first(results: list[Result], count: int, min_difference: int) -> list[Result]:
    """Plan 1 (the plan `solve` makes) first, then the others by objective, best first
    (ties keep the order found), each labelled with its new place."""
    if len(results) < 2:
        return results
    rest = sorted(results[1:], key=lambda r: -(r.plan.objective or 0))
    ordered = [results[0], *rest]
    return [_labelled(r, variant_info(i, count, min_difference)) for i, r in enumerate(ordered, 1)]


def _labelled(result: Result, variant: dict[str, object]) -> Result:
    """The result with `solver.variant` recorded in its plan."""
    plan = result.plan
    assert plan.solver is not None
    solver = plan.solver.model_copy(update={"variant": variant})
    return dataclasses.replace(result, plan=plan.model_copy(update={"solver": solver}))
