"""Repair a plan after the scenario changed, keeping what was confirmed (SPEC 5 and 6).

Lexicographic stages on one CP-SAT model (without symmetry breaking, see FreeModel), each
solved (proven optimal when time allows), its value fixed as a constraint, its solution the
warm start of the next:

0. only when the confirmed items cannot all be kept: keep as many confirmed dates, then
   confirmed memberships, as possible (Pinning.relaxed);
1. fewest `moved_reviews`; 2. fewest `changed_memberships` (both directions); 3. fewest
   `changed_functions`; 4. the best objective; 5. when a review had to move, the fewest
   days moved (after the objective, so it never costs any of it).

The time limit is a promise from Enter to file written: every stage runs against one
deadline (`start + time_limit`, less a reserve for what follows the search), each getting
a share of what is left; time a stage does not use passes on. With one worker the shares
are deterministic time, so reruns give the same plan, and the deadline still stops a stage
on a slow machine. Ctrl-C, or a stage that finds nothing in time, ends the stages: the plan
of the last stage that finished is kept (valid, with every earlier stage's value), and the
stages not run are reported as such.
"""

from __future__ import annotations

import dataclasses
import time

from ortools.sat.python import cp_model

from ..analysis.disruption import disruption
from ..calendar import WorkCalendar
from ..errors import InfeasibleError, NoSolutionError
from ..evaluate import evaluate
from ..plan import Plan
from ..scenario.models import Scenario
from ..wording import Said
from .compile import SolverInput, compile_scenario
from .confirmed import (
    Expr,
    Figure,
    FreeModel,
    Pinning,
    add_pins,
    carry_confirmed,
    disruption_exprs,
    held,
    pins_of,
    review_gone,
    shift_expr,
    why_given_way,
)
from .cpsat import solve_model
from .hints import add_hint, extract, hint_plan
from .model import PlanModel
from .params import SolveParams, Tuning, make_cp_solver
from .repair_local import local_repair, mender_of
from .repair_result import GaveWay, Repair, Stage
from .result import Method, ProgressHook, Result, SolveStatus, Source, Statistics, solver_info
from .runner import Watcher, run_cp_sat
from .solution import to_plan

# What follows the search (the plan built and judged, the diff, the file written) gets
# this share of the time limit, at least MIN_RESERVE seconds.
RESERVE_SHARE = 0.05
MIN_RESERVE = 0.25
# The least a stage after the first gets (seconds), when that much is left.
STAGE_FLOOR = 0.5


class _Stages:
    """Runs optimisation stages on one model against one deadline (time.perf_counter())."""

    def __init__(
        self,
        model: PlanModel,
        time_limit: float,
        seed: int,
        workers: int,
        stages: int,
        gap: float | None = None,
    ):
        self.model, self.seed, self.workers, self.gap = model, seed, workers, gap
        self.deadline = time.perf_counter() + time_limit
        self.remaining, self.left = time_limit, stages  # seconds (deterministic with one worker)
        self.interrupted = False
        self.out_of_time = False
        self.solver: cp_model.CpSolver | None = None  # of the last stage that found a plan

    @property
    def stopped(self) -> bool:
        """Whether no further stage can run (Ctrl-C, or a stage found nothing in time)."""
        return self.interrupted or self.out_of_time

    def wall_left(self) -> float:
        return self.deadline - time.perf_counter()

    def budget(self) -> float:
        """This stage's share of what is left (wall time, or deterministic with one worker):
        an equal share, but half of it all while no stage has found a plan yet (without one
        there is nothing to return)."""
        left = self.remaining if self.workers == 1 else min(self.remaining, self.wall_left())
        if self.left <= 1:
            share = left
        elif self.solver is None:
            share = 0.6 * left
        else:  # at least STAGE_FLOOR: with less, CP-SAT may not even take in its hint
            share = max(left / self.left, min(left, STAGE_FLOOR))
        return max(0.05, share)

    def run(
        self,
        name: str,
        expr: Expr,
        *,
        maximise: bool,
        watcher: Watcher | None = None,
        scale: int = 1,
        gap: bool = False,
    ) -> Stage | None:
        """Optimise `expr`, then fix its value and hint the solution for the next stage.

        With `scale`, `expr` is scale × the figure named plus terms below `scale` (the later
        figures, so that a stage cut short still leaves them small): the stage reports the
        figure, proven only when the bound equals it. `gap`: the stage ends once within
        --gap of its bound (the objective stage). None when the model is infeasible. When
        nothing is found in time: NoSolutionError for the first stage that finds a plan,
        else a stage marked not run (`stopped`).
        """
        m, budget = self.model.m, self.budget()
        constant = isinstance(expr, int)  # nothing to optimise: only find a solution
        if constant:
            m.clear_objective()
        else:
            m.maximize(expr) if maximise else m.minimize(expr)
        params = SolveParams(seed=self.seed, workers=self.workers, gap=self.gap if gap else None)
        solver = make_cp_solver(params, budget, workers=self.workers)
        # The deadline holds also when deterministic time runs slower than the clock.
        wall = max(0.05, self.wall_left())
        solver.parameters.max_time_in_seconds = min(solver.parameters.max_time_in_seconds, wall)
        began = time.perf_counter()
        status, interrupted = run_cp_sat(solver, m, watcher)
        self.interrupted |= interrupted
        used = params.work_seconds(solver) if self.workers == 1 else time.perf_counter() - began
        self.remaining, self.left = max(0.0, self.remaining - used), self.left - 1
        goal = "max" if maximise else "min"
        if status == cp_model.INFEASIBLE:
            return None
        if status == cp_model.MODEL_INVALID:
            raise RuntimeError(f"internal error: CP-SAT rejected the repair model: {m.validate()}")
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            if self.solver is None and not interrupted and self.wall_left() > STAGE_FLOOR:
                self.left = 1  # nothing to return yet: this stage gets all that is left
                return self.run(name, expr, maximise=maximise, watcher=watcher, scale=scale, gap=gap)
            if self.solver is None:
                raise NoSolutionError(
                    Said(
                        "no_repair_in_time",
                        f"no repaired plan found within the time limit (stage {name}); try a longer --time-limit",
                        stage=name,
                    )
                )
            self.out_of_time = True
            return Stage(name, goal, None, None, False, time.perf_counter() - began)
        if isinstance(expr, int):
            value = bound = expr
        else:
            value, bound = round(solver.objective_value), round(solver.best_objective_bound)
            m.add(expr >= value) if maximise else m.add(expr <= value)
        self.solver = solver
        m.clear_hints()
        for i, v in enumerate(solver.response_proto.solution):
            m.add_hint(m.get_int_var_from_proto_index(i), v)
        value, bound = value // scale, bound // scale  # a lower bound of the figure stays one
        # Not CP-SAT's OPTIMAL: with --gap it says so when the gap is reached.
        proven = value == bound and not interrupted
        return Stage(name, goal, value, bound, proven, time.perf_counter() - began)

    def skipped(self, name: str, goal: str) -> Stage:
        return Stage(name, goal, None, None, False, 0.0)


def repair(
    scenario: Scenario,
    previous: Plan,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    workers: int | None = None,
    gap: float | None = None,
    on_progress: ProgressHook | None = None,
    calendar: WorkCalendar | None = None,
    start: float | None = None,
    reserve: float | None = None,
    tuning: Tuning | None = None,
) -> Repair:
    """A plan that obeys every rule of `scenario`, keeps the confirmed items of `previous`
    (unless impossible: they give way, fewest first) and otherwise minimises first
    moved_reviews, then changed_memberships, then changed_functions, then maximises the
    objective; the `confirmed` flags of what did not change carry over.

    `start` (time.perf_counter()) is when the time limit began, by default now: the search
    ends by `start + time_limit - reserve`; `reserve` (default 5% of the limit, at least
    0.25 s) is kept for what the caller still does (backups, writing the file). `gap` ends
    the objective stage once it is within that relative gap of its bound (the disruption
    stages before it are minimised as ever).
    Raises InfeasibleError when no plan exists at all, NoSolutionError when none was found in time.
    """
    from .infeasible import explain_infeasible, precheck

    start = time.perf_counter() if start is None else start
    reserve = max(MIN_RESERVE, RESERVE_SHARE * time_limit) if reserve is None else reserve
    cal = calendar or WorkCalendar(scenario)
    data = compile_scenario(scenario, cal)
    reasons = precheck(scenario, data)
    if reasons:
        raise InfeasibleError(*reasons)
    tuning = tuning or Tuning()
    if tuning.too_large_to_model(data.pairs):
        # National size: no model of the whole plan (repair_local.py).
        until = start + time_limit - reserve - 0.5  # the plan is built, judged and diffed after
        rate, reproducible = tuning.local_steps_per_second, workers == 1
        return local_repair(
            scenario, previous, data, cal, start=start, until=until, seed=seed,
            reproducible=reproducible, steps_per_second=rate, gap=gap,
        )  # fmt: skip
    workers = workers or 2
    model = FreeModel(data)
    pinning = add_pins(model, data, scenario, previous, cal)
    # The old plan mended (repair_local: kept where it still fits, gaps filled) is a whole
    # plan to start from; the old plan itself no longer is one, and finding a first plan
    # from it took the first stage all its time on a busy 250-person scenario.
    mended = mender_of(data, previous, pins_of(previous)).run()
    if mended is not None:
        add_hint(model, mended)
    else:
        hint_plan(model, data, previous)
    moved, changed, functions = disruption_exprs(model, data, previous)
    left = max(0.2, start + time_limit - reserve - time.perf_counter())
    runner = _Stages(model, left, seed, workers, stages=4, gap=gap)
    stages: list[Stage] = []

    # Each stage minimises its figure with the later ones as tie-breakers below it, so that
    # a stage cut short by the time limit still leaves few changes of every kind.
    by_function = functions.upper + 1
    by_membership = (changed.upper + 1) * by_function
    weighted = cp_model.LinearExpr.weighted_sum
    goals: list[tuple[Figure, Expr, int]] = [
        (
            moved,
            weighted([moved.expr, changed.expr, functions.expr], [by_membership, by_function, 1]),
            by_membership,
        ),
        (changed, weighted([changed.expr, functions.expr], [by_function, 1]), by_function),
        (functions, functions.expr, 1),
    ]
    pinning.require(model)
    first = runner.run(moved.name, goals[0][1], maximise=False, scale=goals[0][2])
    if first is None and pinning.keep:
        kept = relax(runner, pinning)
        if kept is None:
            raise InfeasibleError(*explain_infeasible(scenario, data))
        stages.extend(kept)
        first = runner.run(moved.name, goals[0][1], maximise=False, scale=goals[0][2])
    if first is None:
        raise InfeasibleError(*explain_infeasible(scenario, data))
    stages.append(_plus(first, moved.constant))
    for figure, expr, scale in goals[1:]:
        stage = (
            runner.skipped(figure.name, "min")
            if runner.stopped
            else runner.run(figure.name, expr, maximise=False, scale=scale)
        )
        assert stage is not None, "a stage's own solution satisfies the next stage"
        stages.append(_plus(stage, figure.constant))

    objective = model.objective_expr
    moved_total = stages[-3].value if not runner.stopped else None
    shift = shift_expr(model, data, previous) if moved_total else 0
    if not isinstance(shift, int):
        runner.left += 1  # the days-moved stage gets a share too
    watcher = Watcher(on_progress, start)
    last = (
        runner.skipped("objective", "max")
        if runner.stopped
        else runner.run("objective", objective, maximise=True, watcher=watcher, gap=True)
    )
    assert last is not None
    stages.append(last)
    if not isinstance(shift, int):
        days = (
            runner.skipped("days moved", "min")
            if runner.stopped
            else runner.run("days moved", shift, maximise=False)
        )
        assert days is not None
        stages.append(days)

    assert runner.solver is not None
    plan, _ = to_plan(scenario, data, extract(model, data, runner.solver), cal)
    gave_way = _gave_way(scenario, pinning, previous, plan)
    plan = carry_confirmed(previous, plan, {g.pin for g in gave_way})
    proven = all(s.proven for s in stages) and not runner.stopped
    after = evaluate(scenario, plan, cal)
    seconds = time.perf_counter() - start
    status = SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE
    bound = last.bound if last.value is not None else None
    info = solver_info(status, after.objective, bound, seconds, seed, workers)
    plan = plan.model_copy(update={"solver": info})
    statistics = Statistics(
        Method.CP_SAT,
        Source.CP_SAT,
        variables=len(model.m.proto.variables),
        constraints=len(model.m.proto.constraints),
        rounds=sum(s.value is not None for s in stages),
        candidates=data.pairs,
    )
    result = Result(
        status,
        plan,
        after.objective,
        bound,
        seconds,
        seed,
        workers,
        statistics,
        interrupted=runner.interrupted,
        first_solution_seconds=watcher.first,
    )
    return Repair(
        result,
        tuple(stages),
        gave_way,
        disruption(previous, plan, scenario),
        evaluate(scenario, previous, cal),
        after,
    )


def relax(runner: _Stages, pinning: Pinning) -> list[Stage] | None:
    """Let confirmed items give way, fewest first (see Pinning.relaxed); None if even that fails."""
    pinning.require(runner.model, on=False)
    goals = pinning.relaxed()
    runner.left += len(goals)
    stages = []
    for name, expr in goals:
        stage = runner.run(name, expr, maximise=True)
        if stage is None:
            return None
        stages.append(stage)
    return stages


def _plus(stage: Stage, constant: int) -> Stage:
    if stage.value is None or stage.bound is None:
        return stage
    return dataclasses.replace(stage, value=stage.value + constant, bound=stage.bound + constant)


def _gave_way(scenario: Scenario, pinning: Pinning, old: Plan, new: Plan) -> tuple[GaveWay, ...]:
    before = evaluate(scenario, old)
    out: list[GaveWay] = []
    removed: set[str] = set()
    for pin in pinning.pins:
        if held(pin, old, new) or pin.review in removed:
            continue
        if pin.review not in new.review:  # one line for a confirmed review that was removed
            removed.add(pin.review)
            out.append(
                GaveWay(
                    pin,
                    f"confirmed items of {pin.review}",
                    review_gone(pin.review),
                )
            )
            continue
        out.append(GaveWay(pin, pin.describe(scenario), why_given_way(pin, scenario, pinning, before)))
    return tuple(out)


def solve_keeping_confirmed(
    scenario: Scenario,
    data: SolverInput,
    hint: Plan,
    calendar: WorkCalendar,
    **options: object,
) -> Result:
    """`solve(hint=...)` when the hint has confirmed items: they are fixed, the rest is a warm start.

    `options` are those of `solve_model`. When the confirmed items cannot all hold,
    InfeasibleError names the ones that would have to give way (`repair` lets them).
    """
    model = FreeModel(data)
    pinning = add_pins(model, data, scenario, hint, calendar)
    tips = [
        "run `opr-planner repair`, which lets confirmed items give way and says which",
        "or remove `confirmed: true` from these items",
    ]
    if pinning.impossible:
        raise InfeasibleError(
            [
                f"{pin.describe(scenario)} cannot be kept: {why}"
                for pin, why in sorted(pinning.impossible.items())
            ],
            tips,
        )
    pinning.require(model)
    hint_plan(model, data, hint)
    try:
        result = solve_model(scenario, data, model, **options)  # type: ignore[arg-type]
    except InfeasibleError as exc:
        limit = float(options.get("time_limit", 60.0))  # type: ignore[arg-type]
        workers = int(options.get("workers") or 2)  # type: ignore[call-overload]
        runner = _Stages(model, min(limit, 30.0), int(options.get("seed", 0)), workers, stages=0)  # type: ignore[call-overload]
        if relax(runner, pinning) is None or runner.solver is None:
            raise exc from None  # the rules alone leave no plan
        before = evaluate(scenario, hint, calendar)
        best = to_plan(scenario, data, extract(model, data, runner.solver), calendar)[0]
        lost = [pin for pin in pinning.keep if not held(pin, hint, best)]
        raise InfeasibleError(
            [
                "the confirmed items of the plan cannot all be kept; these would have to give way (dates are kept first):",
                *(
                    f"{pin.describe(scenario)}: {why_given_way(pin, scenario, pinning, before)}"
                    for pin in lost
                ),
            ],
            tips,
        ) from None
    return dataclasses.replace(result, plan=carry_confirmed(hint, result.plan))


__all__ = ["GaveWay", "Repair", "Stage", "held", "pins_of", "repair", "solve_keeping_confirmed"]
