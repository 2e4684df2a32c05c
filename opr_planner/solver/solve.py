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
from ..evaluate import evaluate
from ..plan import Plan, SolverInfo, make_plan
from ..scenario.models import Scenario
from ..timing import Clock
from .bounds import upper_bound
from .compile import SolverInput, compile_scenario
from .greedy import Assignment, greedy_plan
from .groups import Groups, from_assignment, to_assignment
from .local import LocalSearch
from .model import PlanModel

# CP-SAT's portfolio of 8 strategies proves optimality faster than 2 even on 2 cores.
DEFAULT_WORKERS = 8
# Above this many variables, presolve is kept short (see _solver) and fewer workers run.
LARGE_MODEL_VARIABLES = 100_000
LARGE_MODEL_WORKERS = 1
# Above this many (review, candidate) pairs, `solve` does not build the CP-SAT model of the
# whole plan (hundreds of thousands of variables, ~10 s to build, ~1.7 GiB, rarely better
# than its start in two minutes) but improves the greedy plan by local search (local.py)
# and bounds it by counting (bounds.py). Medium tier: ~3,500 pairs; national: ~205,000.
LARGE_CANDIDATES = 40_000
# Local search steps per second of --time-limit when the run must be reproducible
# (--workers 1); measured ~10,000/s on the national tier and ~20,000/s on the medium one.
LOCAL_STEPS_PER_SECOND = 8_000
# CP-SAT's workers when local search supplies the plans: these four prove the regional
# tiers 1.2-2x faster than the default 8 workers and bring the medium tier's bound down
# in ~15 s instead of ~50 s (measured on 2 cores, see docs/performance.md).
BOUND_SUBSOLVERS = ("default_lp", "max_lp", "core", "reduced_costs")
# Local search joins CP-SAT after this many seconds (small models are proven by then).
ASSIST_DELAY = 2.0


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
    bound: int | None  # None: no bound known (the search found nothing; greedy fallback)
    seconds: float
    seed: int
    workers: int
    interrupted: bool = False
    first_solution_seconds: float | None = None
    stats: dict[str, int] = field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        return relative_gap(self.objective, self.bound)


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
        self.cap: int | None = None  # a bound known from elsewhere (bounds.upper_bound)
        self.lock = threading.Lock()

    def offer(self, value: int) -> None:
        """A plan found outside CP-SAT (local search)."""
        with self.lock:
            if self.best is None or value > self.best:
                self.best = value
                self._emit()

    def on_solution_callback(self) -> None:
        with self.lock:
            self.solutions += 1
            value = round(self.objective_value)
            self.best = value if self.best is None else max(self.best, value)
            self.bound = int(self.best_objective_bound)
            if self.cap is not None:
                self.bound = min(self.bound, self.cap)
            if self.first is None:
                self.first = time.perf_counter() - self.start
            self._emit()

    def on_bound(self, bound: float) -> None:
        with self.lock:
            self.bound = int(bound) if self.cap is None else min(int(bound), self.cap)
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
    clock: Clock | None = None,
) -> Result:
    """Find the best plan within `time_limit` seconds.

    Raises InfeasibleError (with reasons) when no plan exists and NoSolutionError when
    none was found in time. Ctrl-C stops the search; the best plan so far is returned
    with status feasible and `interrupted=True`.

    `clock`: when the run began (progress seconds count from there) and where the
    stage times go (compile, greedy, model, search); default: a clock started now.
    """
    from .infeasible import precheck

    clock = clock or Clock()
    start = clock.start
    with clock.stage("compile"):
        cal = calendar or WorkCalendar(scenario)
        data = compile_scenario(scenario, cal)
        reasons = precheck(scenario, data)
    if reasons:
        raise InfeasibleError(*reasons)
    if hint is not None and any(r.confirmed or any(m.confirmed for m in r.members) for r in hint.reviews):
        # The hint's confirmed items stay fixed, the rest is a warm start (repair.py).
        from .repair import solve_keeping_confirmed

        options = {"time_limit": time_limit, "seed": seed, "workers": workers, "gap": gap}
        with clock.stage("search"):
            return solve_keeping_confirmed(
                scenario, data, hint, cal, **options, on_progress=on_progress, start=start
            )
    # The better of two greedy plans is the warm start when no hint is given, and the
    # fallback when the search finds nothing in time (large scenarios).
    with clock.stage("greedy"):
        fallback = _best_greedy(scenario, data, cal)
    first = time.perf_counter() - start if fallback is not None else None
    try:
        # From the moment the greedy plan is shown, Ctrl-C keeps it (the line may be read
        # and answered with Ctrl-C before the next statement runs).
        if fallback is not None and on_progress is not None:
            on_progress(Progress(time.perf_counter() - start, fallback.objective, None, 0))
        greedy = fallback
        # Local search starts from the better of a valid hint (scored afresh) and the greedy plan.
        begin = fallback
        if hint is not None and evaluate(scenario, hint, cal).ok:
            rescored = make_plan(scenario, _assignment(hint), None)
            if fallback is None or (rescored.objective or 0) >= (fallback.objective or 0):
                begin = rescored
        if sum(len(r.candidates) for r in data.reviews) > LARGE_CANDIDATES and begin is not None:
            with clock.stage("search"):
                return _search_locally(
                    scenario,
                    data,
                    cal,
                    begin,
                    start=start,
                    time_limit=time_limit,
                    seed=seed,
                    gap=gap,
                    on_progress=on_progress,
                    first_solution=first,
                    steps_only=workers == 1,
                )
        with clock.stage("model"):
            model = PlanModel(data)
            if hint is not None or greedy is not None:
                add_hint(model, data, hint if hint is not None else greedy)  # type: ignore[arg-type]
        with clock.stage("search"):
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
                first_solution=first,
                assist=begin,
            )
    except KeyboardInterrupt:
        # Ctrl-C while the model is built, or just before or after CP-SAT runs (while it
        # runs, solve_model keeps its best plan): the greedy plan shown is the best so far.
        if fallback is None:
            raise NoSolutionError("interrupted before any plan was found; nothing was written") from None
        watcher = _Watcher(None, start)
        watcher.first = first
        seconds = time.perf_counter() - start
        return _fallback_result(fallback, watcher, seconds, seed, workers or DEFAULT_WORKERS, True, {})


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
    fallback: Plan | None = None,
    first_solution: float | None = None,
    assist: Plan | None = None,
) -> Result:
    """Solve a built (possibly extended) PlanModel and turn the outcome into a Result.

    Entry point for callers that add constraints or replace the objective (repair,
    alternatives): `model.m` is a plain CpModel. The plan's objective and metrics
    always come from the evaluator; `Result.objective` is the model's objective value.

    `assist`: a valid plan of the scenario's own objective from which local search runs
    in the main thread while CP-SAT searches (see `_Assist`); only for `solve`, whose
    model has that objective. Not with one worker: that asks for a reproducible run.
    """
    from .infeasible import explain_infeasible

    start = time.perf_counter() if start is None else start
    large = len(model.m.proto.variables) > LARGE_MODEL_VARIABLES
    # Each CP-SAT worker holds its own copy of the model: on national-size models 8
    # workers need ~6 GiB, 2 about 2.8 GiB, 1 under 2 GiB (with the same plan quality).
    # Deterministic time only when one worker was asked for (reproducible reruns).
    deterministic = workers == 1
    asked = workers
    workers = workers or (LARGE_MODEL_WORKERS if large else DEFAULT_WORKERS)
    watcher = _Watcher(on_progress, start)
    watcher.first = first_solution
    helper = None
    if assist is not None and not deterministic and not model.lazy_spacing:
        watcher.cap = max(upper_bound(data), assist.objective or 0)
        helper = _Assist(data, plan_groups(data, assist), seed, start + time_limit, watcher, gap)
    # With local search for plans and no worker count asked for, CP-SAT's workers focus
    # on the bound (BOUND_SUBSOLVERS).
    focus = helper is not None and asked is None
    if focus:
        workers = len(BOUND_SUBSOLVERS)
    used = 0.0  # time spent so far (deterministic time with one worker)
    bound_seen: int | None = None
    rounds = 0
    while True:
        rounds += 1
        budget = time_limit - used
        if model.lazy_spacing and rounds == 1:
            budget *= 0.4  # leave time to add the spacing clauses a first plan breaks
        solver = _solver(workers, seed, max(budget, 0.1), gap, large, deterministic, bound_focus=focus)
        solver.best_bound_callback = watcher.on_bound
        status, interrupted = _run(solver, model.m, watcher, helper)
        used += solver.deterministic_time if deterministic else solver.wall_time
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) or (helper and status == cp_model.UNKNOWN):
            b = int(solver.best_objective_bound)
            bound_seen = b if bound_seen is None else min(bound_seen, b)
        if watcher.cap is not None and bound_seen is not None:
            bound_seen = min(bound_seen, watcher.cap)
        if not model.lazy_spacing or status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or interrupted:
            break
        assignment = extract(model, data, solver)
        cuts = model.broken_spacing(assignment)
        if not cuts and (status == cp_model.OPTIMAL or used >= time_limit - 0.5):
            break
        if time_limit - used < 0.5:
            status = cp_model.UNKNOWN  # the last plan breaks H15 and there is no time to fix it
            break
        for r1, r2, people in cuts:
            model.add_spacing_cuts(r1, r2, people)
        model.m.clear_hints()
        add_hint(model, data, make_plan(scenario, assignment, None))
    seconds = time.perf_counter() - start
    stats = {
        "variables": len(model.m.proto.variables),
        "constraints": len(model.m.proto.constraints),
        "rounds": rounds,
    }
    if helper is not None and helper.search is not None:
        stats["local_search_steps"] = helper.search.iterations
        found = helper.plan(scenario)
        cp_sat = round(solver.objective_value) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
        beats_greedy = fallback is None or (found.objective or 0) > (fallback.objective or 0)
        better = beats_greedy and (cp_sat is None or (found.objective or 0) > cp_sat)
        if better and evaluate(scenario, found).ok:  # the evaluator has the last word
            # The local search's plan is the best: report it with the best bound known.
            known = bound_seen if bound_seen is not None else watcher.cap
            return _fallback_result(
                found, watcher, seconds, seed, workers, interrupted, stats, known, source="local search"
            )
    if status == cp_model.INFEASIBLE:
        raise InfeasibleError(*explain_infeasible(scenario, data))
    if status == cp_model.MODEL_INVALID:
        raise RuntimeError(f"internal error: CP-SAT rejected the model: {model.m.validate()}")
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) and fallback is not None:
        return _fallback_result(fallback, watcher, seconds, seed, workers, interrupted, stats)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if interrupted:
            raise NoSolutionError("interrupted before any plan was found; nothing was written")
        raise NoSolutionError(
            f"no plan found within {time_limit:g} s; try a longer --time-limit (e.g. {max(60, 4 * time_limit):g})"
        )
    optimal = status == cp_model.OPTIMAL and not interrupted
    objective = round(solver.objective_value)
    bound = objective if optimal else max(objective, bound_seen if bound_seen is not None else objective)
    assignment = extract(model, data, solver)
    plan = make_plan(scenario, assignment, None)
    if getattr(model, "relaxed_pairs", False):
        # The model over-counts pairs met twice: score the plan exactly; the bound stays valid.
        true_objective = plan.objective or 0
        optimal = optimal and true_objective == objective
        objective = true_objective
    if fallback is not None and (fallback.objective or 0) > (plan.objective or 0):
        return _fallback_result(fallback, watcher, seconds, seed, workers, interrupted, stats, bound)
    return _result(plan, objective, bound, optimal, seconds, seed, workers, interrupted, watcher.first, stats)


def _result(
    plan: Plan,
    objective: int,
    bound: int | None,
    optimal: bool,
    seconds: float,
    seed: int,
    workers: int,
    interrupted: bool,
    first_solution: float | None,
    stats: dict[str, int],
) -> Result:
    """The Result of a search, its SolverInfo written into the plan (SPEC 5)."""
    info = SolverInfo(
        status="optimal" if optimal else "feasible",
        objective=objective,
        bound=bound,
        seconds=round(seconds, 2),
        seed=seed,
        workers=workers,
        gap=None if bound is None else round(relative_gap(objective, bound) or 0.0, 6),
        version=__version__,
    )
    return Result(
        status=SolveStatus.OPTIMAL if optimal else SolveStatus.FEASIBLE,
        plan=plan.model_copy(update={"solver": info}),
        objective=objective,
        bound=bound,
        seconds=seconds,
        seed=seed,
        workers=workers,
        interrupted=interrupted,
        first_solution_seconds=first_solution,
        stats=stats,
    )


def _assignment(plan: Plan) -> Assignment:
    return {r.id: (r.date, [(m.participant, list(m.functions)) for m in r.members]) for r in plan.reviews}


def plan_groups(data: SolverInput, plan: Plan) -> Groups:
    """A complete plan (every review of `data`, dates among its possible dates) in integers."""
    return from_assignment(data, _assignment(plan))


def _search_locally(
    scenario: Scenario,
    data: SolverInput,
    cal: WorkCalendar,
    begin: Plan,
    *,
    start: float,
    time_limit: float,
    seed: int,
    gap: float | None,
    on_progress: ProgressHook | None,
    first_solution: float | None,
    steps_only: bool = False,
) -> Result:
    """Improve `begin` by local search until the time limit; bound it by counting.

    `steps_only` (asked for with one worker): the time limit becomes a number of steps
    (LOCAL_STEPS_PER_SECOND per second), so that reruns give the same plan on any machine.
    """
    bound = max(upper_bound(data), begin.objective or 0)
    search = LocalSearch(data, plan_groups(data, begin), seed)
    improvements = 0

    def improved(value: int) -> None:
        nonlocal improvements
        improvements += 1
        if on_progress:
            on_progress(Progress(time.perf_counter() - start, value, bound, improvements))

    if on_progress:
        on_progress(Progress(time.perf_counter() - start, search.best_value, bound, 0))
    reached = (lambda: (relative_gap(search.best_value, bound) or 0.0) <= gap) if gap else None
    interrupted = False
    try:
        if steps_only:
            steps = max(1, int(time_limit * LOCAL_STEPS_PER_SECOND))
            search.run(
                start + max(10 * time_limit, time_limit + 30), on_improve=improved, stop=reached, steps=steps
            )
        else:
            search.run(start + time_limit, on_improve=improved, stop=reached)
    except KeyboardInterrupt:
        interrupted = True  # the best plan so far is kept in search.best
    seconds = time.perf_counter() - start
    plan = make_plan(scenario, to_assignment(data, search.best), None)
    if not evaluate(scenario, plan, cal).ok or (plan.objective or 0) < (begin.objective or 0):
        plan = begin  # never expected: local search keeps every rule; the evaluator decides
    objective = plan.objective or 0
    stats = {
        "reviews_x_candidates": sum(len(r.candidates) for r in data.reviews),
        "local_search_steps": search.iterations,
        "local_search_improvements": improvements,
    }
    optimal = objective >= bound and not interrupted
    return _result(plan, objective, bound, optimal, seconds, seed, 1, interrupted, first_solution, stats)


def _best_greedy(scenario: Scenario, data: SolverInput, cal: WorkCalendar) -> Plan | None:
    """The best valid plan of the two greedy strategies (None if neither is valid)."""
    best: Plan | None = None
    for marginal in (False, True):
        plan = greedy_plan(scenario, data, marginal=marginal)
        better = best is None or (plan is not None and (plan.objective or 0) > (best.objective or 0))
        if plan is not None and better and evaluate(scenario, plan, cal).ok:
            best = plan
    return best


def _fallback_result(
    plan: Plan,
    watcher: _Watcher,
    seconds: float,
    seed: int,
    workers: int,
    interrupted: bool,
    stats: dict[str, int],
    bound: int | None = None,
    source: str = "greedy",
) -> Result:
    """A plan found outside CP-SAT's last answer: the greedy start when the search found
    nothing better in time, or the local search's plan when that beat CP-SAT's."""
    objective = plan.objective or 0
    known = bound if bound is not None else watcher.bound
    bound = max(objective, known) if known is not None else None
    optimal = bound is not None and objective >= bound and not interrupted
    stats = {**stats, "greedy_fallback" if source == "greedy" else "local_search": 1}
    return _result(plan, objective, bound, optimal, seconds, seed, workers, interrupted, watcher.first, stats)


class _Assist:
    """Local search in the main thread while CP-SAT searches in its own.

    CP-SAT proves bounds; on medium-size models its plans improve slowly, and local
    search (local.py) finds better ones sooner. It starts after ASSIST_DELAY seconds
    (small models are proven by then), reports its plans as progress, stops when CP-SAT
    is done, and stops CP-SAT when its plan reaches CP-SAT's bound (that plan is then
    proven optimal). It runs to the end: stopping it after 4 s without a better plan, to
    leave CP-SAT the machine, cost more plan quality than it gained in bound (medium
    tier: 1,243 instead of 1,247, and the same bound).
    """

    def __init__(
        self,
        data: SolverInput,
        groups: Groups,
        seed: int,
        deadline: float,
        watcher: _Watcher,
        gap: float | None,
    ):
        self.data, self.groups, self.seed = data, groups, seed
        self.deadline, self.watcher, self.gap = deadline, watcher, gap
        self.search: LocalSearch | None = None

    def reached(self) -> bool:
        bound, search = self.watcher.bound, self.search
        if bound is None or search is None:
            return False
        return search.best_value >= bound or bool(
            self.gap and (relative_gap(search.best_value, bound) or 0.0) <= self.gap
        )

    def __call__(self, done: threading.Event, stop_search: Callable[[], None]) -> None:
        if done.wait(max(min(ASSIST_DELAY, self.deadline - time.perf_counter()), 0.0)):
            return  # proven (or stopped) before local search was needed
        self.search = LocalSearch(self.data, self.groups, self.seed)
        self.search.run(
            self.deadline,
            on_improve=self.watcher.offer,
            stop=lambda: done.is_set() or self.reached(),
        )
        if self.reached():
            stop_search()

    def plan(self, scenario: Scenario) -> Plan:
        assert self.search is not None
        return make_plan(scenario, to_assignment(self.data, self.search.best), None)


def _solver(
    workers: int,
    seed: int,
    time_limit: float,
    gap: float | None,
    large: bool = False,
    deterministic: bool = False,
    bound_focus: bool = False,
) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = workers
    if bound_focus:
        params.num_workers = len(BOUND_SUBSOLVERS)
        params.subsolvers.extend(BOUND_SUBSOLVERS)
    params.random_seed = seed
    # Ctrl-C is handled in Python (see _run): CP-SAT's own handler would kill the process.
    params.catch_sigint_signal = False
    if deterministic:
        # Deterministic: the limit is in deterministic time, wall time only as a backstop.
        params.max_deterministic_time = time_limit
        params.max_time_in_seconds = max(10 * time_limit, time_limit + 30)
    else:
        params.max_time_in_seconds = time_limit
    if gap:
        params.relative_gap_limit = gap
    if large:
        # On national-size models a full presolve takes most of a minute; search sooner.
        params.symmetry_level = 0
        params.cp_model_probing_level = 0
        params.max_presolve_iterations = 1
    return solver


def _run(
    solver: cp_model.CpSolver, model: cp_model.CpModel, watcher: _Watcher, assist: _Assist | None = None
) -> tuple[int, bool]:
    """Solve in a worker thread so that Ctrl-C (or SIGTERM) in the main thread can stop the search.

    The main thread waits on an Event, not Thread.join: on Python <= 3.11 a join that a
    KeyboardInterrupt breaks can leave the thread looking finished while it still runs.
    """
    box: dict[str, object] = {}
    done = threading.Event()

    def work() -> None:
        try:
            box["status"] = solver.solve(model, watcher)
        except BaseException as exc:  # pragma: no cover - surfaced below
            box["error"] = exc
        finally:
            done.set()

    thread = threading.Thread(target=work, name="cp-sat", daemon=True)
    thread.start()
    interrupted = False
    if assist is not None:
        try:
            assist(done, solver.stop_search)
        except KeyboardInterrupt:
            interrupted = True
            solver.stop_search()
    while not done.is_set():
        try:
            done.wait(0.1)
        except KeyboardInterrupt:
            interrupted = True
            solver.stop_search()
    thread.join()
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
    """Hint the solver with a plan's dates and groups; returns the number of reviews hinted.

    When every review is hinted, the hint is completed to every auxiliary variable:
    CP-SAT then starts from the plan itself instead of trying to repair a partial hint.
    """
    by_id = plan.review
    person = {p.id: i for i, p in enumerate(data.people)}
    values: dict[int, int] = {}
    hinted = 0
    for ri, r in enumerate(data.reviews):
        pr = by_id.get(r.id)
        if pr is None or pr.date.toordinal() not in r.dates:
            continue
        k = r.dates.index(pr.date.toordinal())
        for j, y in enumerate(model.y[ri]):
            values[y.index] = int(j == k)
        members = {person[m.participant]: m for m in pr.members if m.participant in person}
        for p, lit in model.x[ri].items():
            values[lit.index] = int(p in members)
            for f, v in model.fn[ri].get(p, {}).items():
                values[v.index] = int(p in members and data.functions[f] in members[p].functions)
        hinted += 1
    if hinted == len(data.reviews):
        values = model.complete_hint(values)
    for index in sorted(values):
        model.m.proto.solution_hint.vars.append(index)
        model.m.proto.solution_hint.values.append(values[index])
    return hinted
