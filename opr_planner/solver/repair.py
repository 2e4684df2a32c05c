"""Repair a plan after the scenario changed, keeping what was confirmed (SPEC 5 and 6).

Lexicographic stages on one CP-SAT model, each fixed as a constraint before the next:
(0. keep as many confirmed items as possible, only when not all of them can be kept)
1. fewest moved reviews, 2. fewest changed memberships, 3. the best objective. Every
stage is warm-started with the previous stage's solution (the first one with the old
plan) and gets a share of the time limit; time a stage does not use passes on.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from ..analysis.disruption import Disruption, disruption
from ..calendar import WorkCalendar
from ..errors import InfeasibleError, NoSolutionError
from ..evaluate import Evaluation, evaluate
from ..plan import Plan
from ..scenario.models import Scenario
from .compile import SolverInput, compile_scenario
from .confirmed import (
    Expr,
    FreeModel,
    Pin,
    Pinning,
    add_pins,
    carry_confirmed,
    disruption_exprs,
    held,
    pins_of,
    shift_expr,
    why_given_way,
)
from .cpsat import solve_model
from .hints import extract, hint_plan
from .model import PlanModel
from .params import SolveParams, make_cp_solver
from .result import ProgressHook, Result, SolveStatus
from .runner import run_cp_sat
from .solution import to_plan


@dataclass(frozen=True)
class Stage:
    """One lexicographic stage: what was optimised, the value fixed, and whether it is proven."""

    name: str
    goal: str  # "min" | "max"
    value: int
    bound: int
    proven: bool
    seconds: float


@dataclass(frozen=True)
class GaveWay:
    """A confirmed item the repaired plan could not keep, and why."""

    pin: Pin
    item: str
    why: str


@dataclass(frozen=True)
class Repair:
    """The outcome of `repair`: the final solve, its stages and what changed."""

    result: Result
    stages: tuple[Stage, ...]
    gave_way: tuple[GaveWay, ...]
    disruption: Disruption
    before: Evaluation  # the old plan, judged under the current scenario
    after: Evaluation

    @property
    def plan(self) -> Plan:
        return self.result.plan

    @property
    def proven(self) -> bool:
        return all(s.proven for s in self.stages)


class _Stages:
    """Runs optimisation stages on one model within one time budget."""

    def __init__(self, model: PlanModel, time_limit: float, seed: int, workers: int, stages: int):
        self.model, self.seed, self.workers = model, seed, workers
        self.remaining, self.left = time_limit, stages
        self.interrupted = False
        self.solver = cp_model.CpSolver()

    def budget(self) -> float:
        if self.interrupted:
            return 1.0
        share = self.remaining if self.left <= 1 else self.remaining / self.left
        return max(0.2, share)

    def run(self, name: str, expr: Expr, *, maximise: bool) -> Stage | None:
        """Optimise `expr`, then fix its value and hint the solution for the next stage.

        None when the model is infeasible; NoSolutionError when nothing was found in time.
        """
        m, budget = self.model.m, self.budget()
        constant = isinstance(expr, int)  # nothing to optimise: only find a solution
        if constant:
            m.clear_objective()
        else:
            m.maximize(expr) if maximise else m.minimize(expr)
        solver = make_cp_solver(
            SolveParams(seed=self.seed, workers=self.workers), budget, workers=self.workers
        )
        status, interrupted = run_cp_sat(solver, m)
        self.interrupted |= interrupted
        used = solver.deterministic_time if self.workers == 1 else solver.wall_time
        self.remaining, self.left = max(0.0, self.remaining - used), self.left - 1
        if status == cp_model.INFEASIBLE:
            return None
        if status == cp_model.MODEL_INVALID:
            raise RuntimeError(f"internal error: CP-SAT rejected the repair model: {m.validate()}")
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            raise NoSolutionError(
                f"no repaired plan found within the time limit (stage {name}); try a longer --time-limit"
            )
        if isinstance(expr, int):
            value = bound = expr
        else:
            value, bound = round(solver.objective_value), round(solver.best_objective_bound)
            m.add(expr >= value) if maximise else m.add(expr <= value)
        self.solver = solver
        m.clear_hints()
        for i, v in enumerate(solver.response_proto.solution):
            m.add_hint(m.get_int_var_from_proto_index(i), v)
        proven = status == cp_model.OPTIMAL and not interrupted
        return Stage(name, "max" if maximise else "min", value, bound, proven, solver.wall_time)


def repair(
    scenario: Scenario,
    previous: Plan,
    *,
    time_limit: float = 60.0,
    seed: int = 0,
    workers: int | None = None,
    on_progress: ProgressHook | None = None,
    calendar: WorkCalendar | None = None,
) -> Repair:
    """A plan that obeys every rule of `scenario`, keeps the confirmed items of `previous`
    (unless impossible: they give way, fewest first) and otherwise minimises first
    moved_reviews, then changed_memberships, then maximises the objective.

    Raises InfeasibleError when no plan exists at all, NoSolutionError when none was found in time.
    """
    from .infeasible import explain_infeasible, precheck

    start = time.perf_counter()
    cal = calendar or WorkCalendar(scenario)
    data = compile_scenario(scenario, cal)
    reasons = precheck(scenario, data)
    if reasons:
        raise InfeasibleError(*reasons)
    workers = workers or 2
    model = FreeModel(data)
    pinning = add_pins(model, data, scenario, previous, cal)
    hint_plan(model, data, previous)
    moved, changed, functions = disruption_exprs(model, data, previous)
    runner = _Stages(model, time_limit, seed, workers, stages=4)
    stages: list[Stage] = []

    pinning.require(model)
    first = runner.run(moved.name, moved.expr, maximise=False)
    if first is None and pinning.keep:
        kept = relax(runner, pinning)
        if kept is None:
            raise InfeasibleError(*explain_infeasible(scenario, data))
        stages.extend(kept)
        first = runner.run(moved.name, moved.expr, maximise=False)
    if first is None:
        raise InfeasibleError(*explain_infeasible(scenario, data))
    stages.append(_plus(first, moved.constant))
    for figure in (changed, functions):
        if runner.interrupted:
            break
        stage = runner.run(figure.name, figure.expr, maximise=False)
        assert stage is not None, "a stage's own solution satisfies the next stage"
        stages.append(_plus(stage, figure.constant))

    objective = model.objective_expr
    model.m.maximize(objective)
    moved_total = next(st.value for st in stages if st.name == "moved_reviews")
    shift = shift_expr(model, data, previous) if moved_total else 0
    reserve = 0.0 if isinstance(shift, int) else max(0.2, 0.2 * runner.remaining)
    began = time.perf_counter()
    result = solve_model(
        scenario,
        data,
        model,
        time_limit=max(0.2, runner.budget() - reserve),
        seed=seed,
        workers=workers,
        on_progress=on_progress,
        start=start,
    )
    optimal = result.status is SolveStatus.OPTIMAL
    stages.append(
        Stage("objective", "max", result.objective, result.bound, optimal, time.perf_counter() - began)
    )
    if not isinstance(shift, int) and not result.interrupted:
        result, last = _nearest_dates(runner, model, data, scenario, result, objective, shift, reserve)
        stages.append(last)
    gave_way = _gave_way(scenario, pinning, previous, result.plan)
    plan = carry_confirmed(previous, result.plan, {g.pin for g in gave_way})
    proven = all(s.proven for s in stages) and not runner.interrupted
    seconds = time.perf_counter() - start
    if plan.solver is not None:
        status = plan.solver.status if proven else "feasible"
        info = plan.solver.model_copy(update={"status": status, "seconds": round(seconds, 2)})
        plan = plan.model_copy(update={"solver": info})
    result = dataclasses.replace(
        result,
        plan=plan,
        seconds=seconds,
        status=SolveStatus.OPTIMAL if proven else SolveStatus.FEASIBLE,
        interrupted=result.interrupted or runner.interrupted,
    )
    return Repair(
        result,
        tuple(stages),
        gave_way,
        disruption(previous, plan, scenario),
        evaluate(scenario, previous, cal),
        evaluate(scenario, plan, cal),
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


def _nearest_dates(
    runner: _Stages,
    model: PlanModel,
    data: SolverInput,
    scenario: Scenario,
    result: Result,
    objective: Expr,
    shift: Expr,
    budget: float,
) -> tuple[Result, Stage]:
    """Last stage: with the objective fixed, move the reviews that must move as little as possible."""
    model.m.add(objective >= result.objective)
    model.m.clear_hints()
    hint_plan(model, data, result.plan)
    runner.remaining, runner.left = budget, 1
    stage = runner.run("days moved", shift, maximise=False)
    if stage is None:  # pragma: no cover - the objective stage's plan satisfies this stage
        raise RuntimeError("internal error: the repaired plan no longer fits its own stages")
    plan = to_plan(scenario, data, extract(model, data, runner.solver), None, result.plan.solver)[0]
    value = plan.objective if plan.objective is not None else result.objective
    if plan.solver is not None:
        plan = plan.model_copy(update={"solver": plan.solver.model_copy(update={"objective": value})})
    return dataclasses.replace(result, plan=plan, objective=value), stage


def _plus(stage: Stage, constant: int) -> Stage:
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
                    f"review {pin.review} is no longer in the scenario",
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
        if relax(runner, pinning) is None:
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
