"""Solutions into and out of CP-SAT: hints (warm starts) and extraction."""

from __future__ import annotations

from ortools.sat.python import cp_model

from ..plan import Plan
from .compile import SolverInput
from .model import PlanModel
from .solution import NOT_PLANNED, Solution, from_plan
from .symmetry import canonical


def add_hint(model: PlanModel, solution: Solution) -> int:
    """Hint the solver with a solution's dates and groups; returns the number of reviews hinted.

    When the solution is complete, the hint is completed to every auxiliary variable:
    CP-SAT then starts from the plan itself instead of trying to repair a partial hint.
    Interchangeable participants are first put in the model's order, else that order
    would make the hint no solution at all.
    """
    data = model.data
    if solution.complete and model.ordered:
        solution = canonical(data, solution)
    values: dict[int, int] = {}
    hinted = 0
    for ri in range(len(data.reviews)):
        k = solution.date[ri]
        if k == NOT_PLANNED:
            continue
        for j, y in enumerate(model.y[ri]):
            values[y.index] = int(j == k)
        members = solution.members[ri]
        for p, lit in model.x[ri].items():
            values[lit.index] = int(p in members)
            for f, v in model.fn[ri].get(p, {}).items():
                values[v.index] = int(p in members and members[p] == f)
        hinted += 1
    if hinted == len(data.reviews):
        values = model.complete_hint(values)
    for index in sorted(values):
        model.m.proto.solution_hint.vars.append(index)
        model.m.proto.solution_hint.values.append(values[index])
    return hinted


def hint_plan(model: PlanModel, data: SolverInput, plan: Plan) -> int:
    """Hint the solver with what `plan` says about the model's reviews (it may be partial)."""
    return add_hint(model, from_plan(data, plan))


def extract(model: PlanModel, data: SolverInput, solver: cp_model.CpSolver) -> Solution:
    """The solution CP-SAT found (call only after a FEASIBLE or OPTIMAL status)."""
    dates: list[int] = []
    members: list[dict[int, int | None]] = []
    for ri in range(len(data.reviews)):
        dates.append(next(k for k, y in enumerate(model.y[ri]) if solver.boolean_value(y)))
        group: dict[int, int | None] = {}
        for p, lit in model.x[ri].items():
            if solver.boolean_value(lit):
                held = [f for f, v in model.fn[ri].get(p, {}).items() if solver.boolean_value(v)]
                group[p] = held[0] if held else None
        members.append(group)
    return Solution(dates, members)
