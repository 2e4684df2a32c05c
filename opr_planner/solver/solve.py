"""Run CP-SAT on a scenario: parameters, progress, interruption, status -> Result."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from ortools.sat.python import cp_model

from .. import __version__
from ..calendar import WorkCalendar
from ..errors import InfeasibleError, NoSolutionError
from ..plan import Plan, SolverInfo, make_plan
from ..scenario.models import Scenario
from .compile import SolverInput, compile_scenario
from .model import PlanModel


class SolveStatus(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"


@dataclass(frozen=True)
class Progress:
    """One progress event: a new best plan or a better bound."""

    seconds: float
    objective: int | None
    bound: int | None
    solutions: int

    @property
    def gap(self) -> float | None:
        return relative_gap(self.objective, self.bound)


@dataclass(frozen=True)
class Result:
    """The outcome of one solve: a value, never a side effect."""

    status: SolveStatus
    plan: Plan
    objective: int
    bound: int
    seconds: float
    seed: int
    workers: int
    interrupted: bool = False
    first_solution_seconds: float | None = None
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def gap(self) -> float:
        return relative_gap(self.objective, self.bound) or 0.0


def relative_gap(objective: int | None, bound: int | None) -> float | None:
    if objective is None or bound is None:
        return None
    return abs(bound - objective) / max(1, abs(bound))


ProgressHook = Callable[[Progress], None]


class _Watcher(cp_model.CpSolverSolutionCallback):
    def __init__(self, on_progress: ProgressHook | None, start: float):
        super().__init__()
        self.on_progress = on_progress
        self.start = start
        self.solutions = 0
        self.best: int | None = None
        self.bound: int | None = None
        self.first: float | None = None
        self.lock = threading.Lock()

    def on_solution_callback(self) -> None:
        with self.lock:
            self.solutions += 1
            self.best = round(self.objective_value)
            self.bound = int(self.best_objective_bound)
            if self.first is None:
                self.first = time.perf_counter() - self.start
            self._emit()

    def on_bound(self, bound: float) -> None:
        with self.lock:
            self.bound = int(bound)
            self._emit()

    def _emit(self) -> None:
        if self.on_progress:
            self.on_progress(
                Progress(time.perf_counter() - self.start, self.best, self.bound, self.solutions)
            )


def solve(
    scenario: Scenario,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    workers: int | None = None,
    gap: float | None = None,
    hint: Plan | None = None,
    on_progress: ProgressHook | None = None,
    calendar: WorkCalendar | None = None,
) -> Result:
    """Find the best plan within `time_limit` seconds.

    Raises InfeasibleError (with reasons) when no plan exists and NoSolutionError when
    none was found in time. Ctrl-C stops the search; the best plan so far is returned
    with status feasible and `interrupted=True`.
    """
    from .infeasible import precheck

    start = time.perf_counter()
    cal = calendar or WorkCalendar(scenario)
    data = compile_scenario(scenario, cal)
    reasons = precheck(scenario, data)
    if reasons:
        raise InfeasibleError(*reasons)
    model = PlanModel(data)
    if hint is not None:
        add_hint(model, data, hint)
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
) -> Result:
    """Solve a built (possibly extended) PlanModel and turn the outcome into a Result.

    Entry point for callers that add constraints or replace the objective (repair,
    alternatives): `model.m` is a plain CpModel. The plan's objective and metrics
    always come from the evaluator; `Result.objective` is the model's objective value.
    """
    from .infeasible import explain_infeasible

    start = time.perf_counter() if start is None else start
    workers = workers or 2
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = workers
    params.random_seed = seed
    if workers == 1:
        # Deterministic: the limit is in deterministic time, wall time only as a backstop.
        params.max_deterministic_time = time_limit
        params.max_time_in_seconds = max(10 * time_limit, time_limit + 30)
    else:
        params.max_time_in_seconds = time_limit
    if gap:
        params.relative_gap_limit = gap
    watcher = _Watcher(on_progress, start)
    solver.best_bound_callback = watcher.on_bound
    status, interrupted = _run(solver, model.m, watcher)
    seconds = time.perf_counter() - start
    stats = {"variables": len(model.m.proto.variables), "constraints": len(model.m.proto.constraints)}

    if status == cp_model.INFEASIBLE:
        raise InfeasibleError(*explain_infeasible(scenario, data))
    if status == cp_model.MODEL_INVALID:
        raise RuntimeError(f"internal error: CP-SAT rejected the model: {model.m.validate()}")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if interrupted:
            raise NoSolutionError("interrupted before any plan was found; nothing was written")
        raise NoSolutionError(
            f"no plan found within {time_limit:g} s; try a longer --time-limit (e.g. {max(60, 4 * time_limit):g})"
        )
    optimal = status == cp_model.OPTIMAL and not interrupted
    objective = round(solver.objective_value)
    bound = objective if optimal else int(solver.best_objective_bound)
    info = SolverInfo(
        status="optimal" if optimal else "feasible",
        objective=objective,
        bound=bound,
        seconds=round(seconds, 2),
        seed=seed,
        workers=workers,
        gap=round(relative_gap(objective, bound) or 0.0, 6),
        version=__version__,
    )
    plan = make_plan(scenario, extract(model, data, solver), info)
    return Result(
        status=SolveStatus.OPTIMAL if optimal else SolveStatus.FEASIBLE,
        plan=plan,
        objective=objective,
        bound=bound,
        seconds=seconds,
        seed=seed,
        workers=workers,
        interrupted=interrupted,
        first_solution_seconds=watcher.first,
        stats=stats,
    )


def _run(solver: cp_model.CpSolver, model: cp_model.CpModel, watcher: _Watcher) -> tuple[int, bool]:
    """Solve in a worker thread so that Ctrl-C in the main thread can stop the search."""
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["status"] = solver.solve(model, watcher)
        except BaseException as exc:  # pragma: no cover - surfaced below
            box["error"] = exc

    thread = threading.Thread(target=work, name="cp-sat", daemon=True)
    thread.start()
    interrupted = False
    while thread.is_alive():
        try:
            thread.join(0.1)
        except KeyboardInterrupt:
            interrupted = True
            solver.stop_search()
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return int(box["status"]), interrupted  # type: ignore[call-overload]


def extract(
    model: PlanModel, data: SolverInput, solver: cp_model.CpSolver
) -> dict[str, tuple[dt.date, list[tuple[str, list[str]]]]]:
    """The assignment of a solution: review id -> (date, [(participant, functions)])."""
    out = {}
    for ri, r in enumerate(data.reviews):
        k = next(k for k, y in enumerate(model.y[ri]) if solver.boolean_value(y))
        members = []
        for p, lit in model.x[ri].items():
            if solver.boolean_value(lit):
                held = [
                    data.functions[f] for f, v in model.fn[ri].get(p, {}).items() if solver.boolean_value(v)
                ]
                members.append((data.people[p].id, held))
        out[r.id] = (SolverInput.day(r.dates[k]), members)
    return out


def add_hint(model: PlanModel, data: SolverInput, plan: Plan) -> int:
    """Hint the solver with a plan's dates and groups; returns the number of reviews hinted."""
    by_id = plan.review
    person = {p.id: i for i, p in enumerate(data.people)}
    hinted = 0
    for ri, r in enumerate(data.reviews):
        pr = by_id.get(r.id)
        if pr is None or pr.date.toordinal() not in r.dates:
            continue
        k = r.dates.index(pr.date.toordinal())
        for j, y in enumerate(model.y[ri]):
            model.m.add_hint(y, j == k)
        members = {person[m.participant]: m for m in pr.members if m.participant in person}
        for p, lit in model.x[ri].items():
            model.m.add_hint(lit, p in members)
            for f, v in model.fn[ri].get(p, {}).items():
                model.m.add_hint(v, p in members and data.functions[f] in members[p].functions)
        hinted += 1
    return hinted
