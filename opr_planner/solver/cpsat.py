"""Searching a built PlanModel with CP-SAT: rounds for lazily added spacing clauses, the
bound, and the optional local-search assist. `solve_model` is the entry point for callers
that extend the model (repair, alternatives); `solve` (solve.py) uses `search_model`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from ..calendar import WorkCalendar
from ..errors import InfeasibleError, NoSolutionError
from ..scenario.models import Scenario
from ..wording import INTERRUPTED, Said
from .best import Outcome, candidate, choose, result_of
from .bounds import upper_bound
from .compile import SolverInput
from .hints import add_hint, extract
from .infeasible import explain_infeasible
from .model import PlanModel
from .params import SolveParams, make_cp_solver
from .result import Method, ProgressHook, Result, Source, Statistics
from .runner import Assist, Watcher, run_cp_sat
from .solution import Solution

FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)


@dataclass(frozen=True)
class CpRun:
    """How one CP-SAT search of a model ended."""

    status: cp_model.CpSolverStatus
    solution: Solution | None  # CP-SAT's last solution (None: none found, or it broke H15)
    bound: int | None  # the best upper bound known (CP-SAT's, capped by counting), or None
    interrupted: bool
    rounds: int
    workers: int
    first_solution: float | None
    assisted: Solution | None  # local search's best, when it ran next to CP-SAT
    assist_steps: int


def search_model(
    data: SolverInput,
    model: PlanModel,
    params: SolveParams,
    *,
    started: float,
    on_progress: ProgressHook | None = None,
    assist: Solution | None = None,
    first_solution: float | None = None,
) -> CpRun:
    """Search `model` until `params.search_until` (the time limit counted from
    `params.started`, less the reserve for writing the plan); reproducible runs for the
    deterministic time the work estimate leaves (`params.search_seconds`).

    `assist`: a valid solution of the scenario's own objective from which local search runs
    in the main thread while CP-SAT searches (runner.Assist); only for models with that
    objective, not with lazy spacing clauses, not in reproducible runs (one worker).
    """
    variables = len(model.m.proto.variables)
    watcher = Watcher(on_progress, started)
    watcher.first = first_solution
    helper = None
    if assist is not None and not params.reproducible and not model.lazy_spacing:
        watcher.cap = upper_bound(data)
        helper = Assist(data, assist, params, params.search_until, watcher)
    # With local search for plans and no worker count asked for, CP-SAT's workers focus on the bound.
    focus = helper is not None and params.workers is None
    workers = params.workers_for(variables, bound_focus=focus)
    large = params.is_large(variables)
    used = 0.0  # time spent so far (deterministic time with one worker)
    total = params.search_seconds()
    bound: int | None = None
    rounds = 0
    solution: Solution | None = None
    while True:
        rounds += 1
        # By the clock, what is left until the plan must be written; reproducible runs count
        # CP-SAT's deterministic time against the work estimate instead.
        budget = total - used if params.reproducible else params.search_seconds()
        if model.lazy_spacing and rounds == 1:
            budget *= 0.4  # leave time to add the spacing clauses a first plan breaks
        solver = make_cp_solver(params, max(budget, 0.1), workers=workers, large=large, bound_focus=focus)
        solver.best_bound_callback = watcher.on_bound
        status, interrupted = run_cp_sat(solver, model.m, watcher, helper)
        used += params.work_seconds(solver) if params.reproducible else solver.wall_time
        # Only a search that found a plan reports a bound here: one stopped without (local
        # search reached the gap first, or the time ran out) says 0, which bounds nothing;
        # the bounds it did prove came through the callback (watcher.bound), used below.
        if status in FOUND:
            b = int(solver.best_objective_bound)
            bound = b if bound is None else min(bound, b)
        solution = extract(model, data, solver) if status in FOUND else None
        if not model.lazy_spacing or solution is None or interrupted:
            break
        cuts = model.broken_spacing(solution)
        left = total - used if params.reproducible else params.search_seconds()
        if not cuts and (status == cp_model.OPTIMAL or left <= 0.5):
            break
        if left < 0.5:
            status, solution = cp_model.UNKNOWN, None  # it breaks H15 and there is no time to fix it
            break
        for r1, r2, people in cuts:
            model.add_spacing_cuts(r1, r2, people)
        model.m.clear_hints()
        add_hint(model, solution)
    if bound is None:
        bound = watcher.bound if watcher.bound is not None else watcher.cap
    elif watcher.cap is not None:
        bound = min(bound, watcher.cap)
    search = helper.search if helper is not None else None
    return CpRun(
        status=status,
        solution=solution,
        bound=bound,
        interrupted=interrupted,
        rounds=rounds,
        workers=workers,
        first_solution=watcher.first,
        assisted=search.best if search is not None else None,
        assist_steps=search.iterations if search is not None else 0,
    )


def check_status(
    run: CpRun, scenario: Scenario, data: SolverInput, model: PlanModel, time_limit: float
) -> None:
    """Raise what a search without any plan means: no plan exists, or none was found in time."""
    if run.status == cp_model.INFEASIBLE:
        raise InfeasibleError(*explain_infeasible(scenario, data))
    if run.status == cp_model.MODEL_INVALID:
        raise RuntimeError(f"internal error: CP-SAT rejected the model: {model.m.validate()}")
    if run.interrupted:
        raise NoSolutionError(INTERRUPTED)
    longer = max(60, 4 * time_limit)
    raise NoSolutionError(
        Said(
            "no_plan_in_time",
            f"no plan found within {time_limit:g} s; try a longer --time-limit (e.g. {longer:g})",
            seconds=f"{time_limit:g}",
            longer=f"{longer:g}",
        )
    )


def statistics_of(
    run: CpRun, model: PlanModel, data: SolverInput, source: str, stages: dict[str, float]
) -> Statistics:
    return Statistics(
        method=Method.CP_SAT_LOCAL if run.assisted is not None else Method.CP_SAT,
        source=Source(source),
        variables=len(model.m.proto.variables),
        constraints=len(model.m.proto.constraints),
        rounds=run.rounds,
        candidates=data.pairs,
        local_search_steps=run.assist_steps,
        stages=stages,
    )


def solve_model(
    scenario: Scenario,
    data: SolverInput,
    model: PlanModel,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    workers: int | None = None,
    gap: float | None = None,
    on_progress: ProgressHook | None = None,
    start: float | None = None,
    calendar: WorkCalendar | None = None,
    fallback: Solution | None = None,
    spent: float = 0.0,
) -> Result:
    """Solve a built (possibly extended) PlanModel and turn CP-SAT's plan into a Result.

    For callers that add constraints or replace the objective (repair, alternatives):
    `model.m` is a plain CpModel. The plan's objective and metrics come from the evaluator.
    `fallback`: a complete solution of the extended model (found by the caller in `spent`
    seconds of the time limit, which reproducible runs count instead of the clock): CP-SAT
    starts from it, and it is the plan when CP-SAT finds none better or none at all.
    Raises InfeasibleError or NoSolutionError when there is no plan.
    """
    started = time.perf_counter() if start is None else start
    params = SolveParams(
        time_limit=time_limit, seed=seed, workers=workers, gap=gap, started=started, spent=spent
    )
    cal = calendar or WorkCalendar(scenario)
    began = time.perf_counter()
    if fallback is not None:
        add_hint(model, fallback)
    run = search_model(data, model, params, started=started, on_progress=on_progress)
    if run.solution is None and fallback is None:
        check_status(run, scenario, data, model, time_limit)
    searched = time.perf_counter() - began
    found = None if run.solution is None else candidate(scenario, data, cal, Source.CP_SAT, run.solution)
    start_plan = None if fallback is None else candidate(scenario, data, cal, Source.LOCAL_SEARCH, fallback)
    best = choose([found, start_plan])
    if best is None and run.solution is None:
        check_status(run, scenario, data, model, time_limit)
    if best is None:
        raise RuntimeError("internal error: CP-SAT's plan breaks a rule; please report this")
    statistics = statistics_of(run, model, data, best.source, {"search": searched})
    outcome = Outcome(run.bound, run.interrupted, seed, run.workers, started, run.first_solution, statistics)
    return result_of(best, outcome)
