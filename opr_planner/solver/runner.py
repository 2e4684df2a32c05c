"""Running the searches: CP-SAT in a thread that Ctrl-C can stop, progress reports, local
search next to CP-SAT (the assist) or alone.

Every CP-SAT run of the package goes through `run_cp_sat` (with a CpSolver from
`params.make_cp_solver`), so Ctrl-C and SIGTERM stop each of them the same way: the
search ends, the best answer so far is kept and the caller learns it was interrupted.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from .compile import SolverInput
from .local import LocalSearch
from .params import SolveParams
from .result import Progress, ProgressHook, relative_gap
from .solution import Solution


class Watcher(cp_model.CpSolverSolutionCallback):
    """Collects CP-SAT's progress (and plans found elsewhere) and reports it to a hook."""

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


class Assist:
    """Local search in the main thread while CP-SAT searches in its own.

    CP-SAT proves bounds; on medium-size models its plans improve slowly, and local
    search (local.py) finds better ones sooner. It starts after `Tuning.assist_delay`
    seconds (small models are proven by then), reports its plans as progress, stops when
    CP-SAT is done, and stops CP-SAT when its plan reaches CP-SAT's bound (that plan is
    then proven optimal). It runs to the end: stopping it after 4 s without a better plan,
    to leave CP-SAT the machine, cost more plan quality than it gained in bound (medium
    tier: 1,243 instead of 1,247, and the same bound).
    """

    def __init__(
        self, data: SolverInput, start: Solution, params: SolveParams, deadline: float, watcher: Watcher
    ):
        self.data, self.start, self.params = data, start, params
        self.deadline, self.watcher = deadline, watcher
        self.search: LocalSearch | None = None

    def reached(self) -> bool:
        # CP-SAT's bound once it has one, before that the counting bound (Watcher.cap).
        bound = self.watcher.bound if self.watcher.bound is not None else self.watcher.cap
        search, gap = self.search, self.params.gap
        if bound is None or search is None:
            return False
        return search.best_value >= bound or bool(
            gap and (relative_gap(search.best_value, bound) or 0.0) <= gap
        )

    def __call__(self, done: threading.Event, stop_search: Callable[[], None]) -> None:
        delay = self.params.tuning.assist_delay
        if done.wait(max(min(delay, self.deadline - time.perf_counter()), 0.0)):
            return  # proven (or stopped) before local search was needed
        self.search = LocalSearch(self.data, self.start, self.params.seed)
        self.search.run(
            self.deadline,
            on_improve=self.watcher.offer,
            stop=lambda: done.is_set() or self.reached(),
        )
        if self.reached():
            stop_search()


def run_cp_sat(
    solver: cp_model.CpSolver,
    model: cp_model.CpModel,
    watcher: Watcher | None = None,
    assist: Assist | None = None,
) -> tuple[cp_model.CpSolverStatus, bool]:
    """Solve in a worker thread so that Ctrl-C (or SIGTERM) in the main thread can stop the
    search: (status, interrupted). With `assist`, local search runs in the main thread.

    The main thread waits on an Event, not Thread.join: on Python <= 3.11 a join that a
    KeyboardInterrupt breaks can leave the thread looking finished while it still runs.
    """
    box: dict[str, object] = {}
    done = threading.Event()

    def work() -> None:
        try:
            box["status"] = solver.solve(model, watcher) if watcher is not None else solver.solve(model)
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
    return box["status"], interrupted  # type: ignore[return-value]


@dataclass(frozen=True)
class LocalRun:
    """What a local search alone found: its best solution and how it got there."""

    best: Solution
    value: int  # local search's own score of `best`
    steps: int
    improvements: int
    interrupted: bool


def run_local(
    data: SolverInput,
    start: Solution,
    params: SolveParams,
    *,
    started: float,
    bound: int,
    on_progress: ProgressHook | None,
) -> LocalRun:
    """Improve `start` by local search until the search must end (`params.search_until`:
    the time limit counted from `params.started`, less what writing the plan needs).

    Reproducible runs (params.workers == 1) count steps instead of seconds
    (`Tuning.local_steps_per_second` per second left by the work estimate), so that reruns
    give the same plan on any machine. Ctrl-C ends the search; the best solution so far is kept.
    """
    search = LocalSearch(data, start, params.seed)
    improvements = 0

    def improved(value: int) -> None:
        nonlocal improvements
        improvements += 1
        if on_progress:
            on_progress(Progress(time.perf_counter() - started, value, bound, improvements))

    if on_progress:
        on_progress(Progress(time.perf_counter() - started, search.best_value, bound, 0))
    gap = params.gap
    reached = (lambda: (relative_gap(search.best_value, bound) or 0.0) <= gap) if gap else None
    interrupted = False
    try:
        # A start already within the gap is not searched further.
        seconds = 0.0 if reached is not None and reached() else params.search_seconds()
        if params.reproducible and seconds > 0:
            steps = int(seconds * params.tuning.local_steps_per_second)
            backstop = time.perf_counter() + params.backstop(seconds)
            search.run(backstop, on_improve=improved, stop=reached, steps=steps)
        elif seconds > 0:
            search.run(params.search_until, on_improve=improved, stop=reached)
    except KeyboardInterrupt:
        interrupted = True  # the best solution so far is kept in search.best
    return LocalRun(search.best, search.best_value, search.iterations, improvements, interrupted)
