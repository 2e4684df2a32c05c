"""The rules both ways: the CP-SAT model accepts exactly the plans the evaluator accepts.

Every solved plan passing the evaluator (test_solver.py) shows the model is not too loose;
these tests show it is not too strict either, which would lose the optimum silently. A
plan is *pinned* into the model (every date, membership and function fixed): a valid plan
must be feasible with the evaluator's objective, a broken one infeasible, or not even
expressible as the model's variables (a review missing, a non-candidate member, ...), and
then for a reason that is one of the rules it breaks. The same for the searches' own
scoring: greedy's gains, local search's counters and `solution.score` equal the evaluator
on random valid plans.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import yaml
from helpers import KIT
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model
from test_evaluate_rules import CASES, Case, _broken, _scenario_file
from test_local_search import scenario_of, start_of

from opr_planner.calendar import WorkCalendar
from opr_planner.evaluate import evaluate
from opr_planner.plan import Plan, read_plan
from opr_planner.scenario import Scenario, load_scenario
from opr_planner.solver.bounds import upper_bound
from opr_planner.solver.compile import SolverInput, compile_scenario
from opr_planner.solver.greedy import Greedy
from opr_planner.solver.local import LocalSearch
from opr_planner.solver.model import PlanModel
from opr_planner.solver.params import SolveParams, make_cp_solver
from opr_planner.solver.runner import run_cp_sat
from opr_planner.solver.solution import Solution, from_plan, score, to_plan

EXPECTED: dict = yaml.safe_load((KIT / "expected.yaml").read_text(encoding="utf-8"))
KIT_PLANS = sorted(name for name in EXPECTED if name.endswith(".plan.yaml"))
WHY_NOT_A_CANDIDATE = {
    "belongs to the subject": "H5",
    "declared a conflict with the subject": "H5",
    "unavailable on every possible date": "H13",
    "max_reviews is 0": "H14",
}


class Unordered(PlanModel):
    """The model with every spacing clause up front and no symmetry order: the symmetry
    order removes plans on purpose (each has an equivalent that obeys it), see
    test_a_valid_plan_in_symmetry_order_is_a_solution_of_the_full_model."""

    def __init__(self, data: SolverInput):
        super().__init__(data, lazy=False, relaxed=False)

    def symmetry(self) -> None:
        return None


@dataclass(frozen=True)
class Pinned:
    """What the model says about a plan: feasible (with its objective) or not, or why the
    plan cannot be put into the model's variables at all (a rule id)."""

    feasible: bool
    objective: int | None = None
    inexpressible: str | None = None  # the rule that makes the plan no solution of any model


def expressible(scenario: Scenario, data: SolverInput, plan: Plan) -> str | None:
    """The rule id that keeps `plan` out of the model's variables, or None."""
    reviews = Counter(r.id for r in plan.reviews)
    if set(reviews) != {r.id for r in scenario.reviews} or max(reviews.values(), default=0) > 1:
        return "H1"
    person = {p.id: i for i, p in enumerate(data.people)}
    candidates = [set(r.candidates) for r in data.reviews]
    for ri, r in enumerate(data.reviews):
        pr = plan.review[r.id]
        if pr.subject != scenario.review[r.id].subject:
            return "H1"
        if pr.date.toordinal() not in r.dates:
            return "H2"
        ids = Counter(m.participant for m in pr.members)
        for m in pr.members:
            p = person.get(m.participant)
            if p is None or ids[m.participant] > 1 or m.role != scenario.participant[m.participant].role:
                return "H4"
            if p not in candidates[ri]:
                return WHY_NOT_A_CANDIDATE[data.excluded[ri][p]]
            if len(m.functions) > 1 or any(
                f not in scenario.participant[m.participant].functions for f in m.functions
            ):
                return "H7"
    return None


def pin(scenario: Scenario, plan: Plan, model_class: type[PlanModel] = Unordered) -> Pinned:
    """Fix every date, membership and function of `plan` in the model and solve."""
    data = compile_scenario(scenario)
    rule = expressible(scenario, data, plan)
    if rule is not None:
        return Pinned(False, inexpressible=rule)
    solution = from_plan(data, plan)
    return pin_solution(data, solution, model_class)


def pin_solution(data: SolverInput, solution: Solution, model_class: type[PlanModel] = Unordered) -> Pinned:
    model = model_class(data)
    m = model.m
    for ri in range(len(data.reviews)):
        for k, y in enumerate(model.y[ri]):
            m.add(y == int(k == solution.date[ri]))
        group = solution.members[ri]
        for p, x in model.x[ri].items():
            m.add(x == int(p in group))
            for f, v in model.fn[ri].get(p, {}).items():
                m.add(v == int(p in group and group[p] == f))
    solver = make_cp_solver(SolveParams(workers=1), 30.0, workers=1)
    status, _ = run_cp_sat(solver, m)
    if status == cp_model.INFEASIBLE:
        return Pinned(False)
    assert status in (cp_model.FEASIBLE, cp_model.OPTIMAL), (
        f"the pinned model neither solved nor refuted (status {status})"
    )
    return Pinned(True, round(solver.objective_value))


# -- every rule case and every conformance plan --------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_each_rule_case_both_ways(case: Case, tmp_path: Path, tiny_plan: Plan) -> None:
    scenario = load_scenario(_scenario_file(case, tmp_path))
    valid = evaluate(scenario, tiny_plan)
    assert valid.ok
    assert pin(scenario, tiny_plan) == Pinned(True, valid.objective)
    broken = _broken(case, scenario, tiny_plan)
    assert evaluate(scenario, broken).rule_ids == [case.rule]
    verdict = pin(scenario, broken)
    assert not verdict.feasible, f"the model accepts a plan that breaks {case.rule}"
    assert verdict.inexpressible in (None, case.rule)


@pytest.mark.parametrize("name", KIT_PLANS)
def test_each_conformance_plan_both_ways(name: str) -> None:
    scenario = load_scenario(KIT / EXPECTED["scenario"])
    want = EXPECTED[name]
    plan, _ = read_plan(KIT / name)
    verdict = pin(scenario, plan)
    if not want["breaks"]:
        assert verdict == Pinned(True, want["objective"])
    else:
        assert not verdict.feasible, f"the model accepts {name}, which breaks {want['breaks']}"
        assert verdict.inexpressible is None or verdict.inexpressible in want["breaks"]


def test_the_kit_has_valid_and_broken_plans_of_both_kinds() -> None:
    """The checks above are not vacuous: the kit holds valid plans, plans the model refutes
    by search, and plans it cannot even express."""
    scenario = load_scenario(KIT / EXPECTED["scenario"])
    verdicts = [pin(scenario, read_plan(KIT / name)[0]) for name in KIT_PLANS]
    assert sum(v.feasible for v in verdicts) >= 1
    assert sum(not v.feasible and v.inexpressible is None for v in verdicts) >= 5
    assert sum(v.inexpressible is not None for v in verdicts) >= 3


# -- random valid plans: the model, greedy, local search and the bound -------------------------


def random_valid(scenario: Scenario, seed: int, steps: int) -> tuple[SolverInput, Solution] | None:
    """A valid plan away from any optimum: the greedy start after `steps` random moves."""
    found = start_of(scenario)
    if found is None:
        return None
    _, data, start = found
    search = LocalSearch(data, start, seed)
    search.run(time.perf_counter() + 60, steps=steps)
    return data, search.solution.copy()


def greedy_replay(data: SolverInput, solution: Solution) -> int:
    """The objective as greedy's own gains add it up, member by member, review by review."""
    greedy = Greedy(data, marginal=True)
    total = 0
    for ri in range(len(data.reviews)):
        members = np.array(sorted(solution.members[ri]), dtype=np.int64)
        greedy.open(ri, members)
        group: list[int] = []
        for i in range(len(members)):
            total += int(greedy.gain(group, np.array([i]))[0])
            greedy.seat(i, group)
        greedy.commit(ri, solution.date[ri], group)
    return total


WEIGHTS = st.fixed_dictionaries(
    {
        name: st.integers(0, 12)
        for name in ("partnership_links", "co_member_links", "region_links", "inclusion")
    }
    | {name: st.integers(0, 4) for name in ("diversity", "preferences", "load_sumsq")}
)


def test_random_valid_plans_score_the_same_everywhere() -> None:
    checked = 0

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        seed=st.integers(0, 10_000),
        partnerships=st.integers(3, 5),
        size=st.integers(6, 10),
        rounds=st.integers(1, 2),
        weights=WEIGHTS,
        steps=st.integers(0, 3_000),
    )
    def check(
        seed: int, partnerships: int, size: int, rounds: int, weights: dict[str, int], steps: int
    ) -> None:
        nonlocal checked
        scenario = scenario_of(seed, partnerships, size, weights, rounds)
        found = random_valid(scenario, seed, steps)
        assume(found is not None)
        assert found is not None
        data, solution = found
        _, evaluation = to_plan(scenario, data, solution, WorkCalendar(scenario))
        assert evaluation.ok
        objective = evaluation.objective
        assert score(data, solution) == objective
        assert LocalSearch(data, solution).value == objective
        assert greedy_replay(data, solution) == objective
        assert upper_bound(data) >= objective
        assert pin_solution(data, solution) == Pinned(True, objective)
        checked += 1

    check()
    # Examples without a valid greedy start are skipped (assume); enough must remain.
    assert checked >= 15
