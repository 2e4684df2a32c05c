"""`repair` at national size (solver/repair_local.py: mend, then local search with the
disruption first) on the changes of tests/test_repair.py, forced by a threshold of 0: every
plan obeys every rule, confirmed items are kept where they can be, and the disruption is as
small as the CP-SAT stages prove it can be; the time limit holds on a busy national scenario."""

from __future__ import annotations

import time
from typing import Any

import pytest
from test_repair import confirm, tiny_data, tiny_plan, unavailable

from opr_planner.evaluate import evaluate
from opr_planner.plan import Plan
from opr_planner.scenario.generate import generate
from opr_planner.scenario.load import scenario_from_data
from opr_planner.solver.bounds import upper_bound
from opr_planner.solver.compile import compile_scenario
from opr_planner.solver.params import Tuning
from opr_planner.solver.repair import repair
from opr_planner.solver.result import Method
from opr_planner.solver.solve import solve

LOCAL = Tuning(large_candidates=0)


def closed(data: dict[str, Any], lo: str, hi: str) -> dict[str, Any]:
    data["calendar"]["closed"].append({"name": "Extra", "from": lo, "to": hi})
    return data


def without(data: dict[str, Any], pid: str) -> dict[str, Any]:
    data["participants"] = [p for p in data["participants"] if p["id"] != pid]
    return data


CHANGES = {
    "unchanged": lambda: (tiny_data(), tiny_plan()),
    "unavailable": lambda: (unavailable(tiny_data(), "u3", "2028-06-29"), tiny_plan()),
    "closed date": lambda: (closed(tiny_data(), "2028-09-25", "2028-09-29"), tiny_plan()),
    "gone": lambda: (without(tiny_data(), "u2"), tiny_plan()),
    "confirmed member moves the review": lambda: (
        unavailable(tiny_data(), "u3", "2028-06-29"),
        confirm(tiny_plan(), members=("u3", "c3")),
    ),
    "confirmed review keeps its date": lambda: (
        unavailable(tiny_data(), "u3", "2028-06-29"),
        confirm(tiny_plan(), reviews=("opr-pa",)),
    ),
    "group size": lambda: (_sized(tiny_data()), tiny_plan()),
}


def _sized(data: dict[str, Any]) -> dict[str, Any]:
    data["rules"]["group_size"] = {"min": 4, "max": 4}  # opr-pa has five members
    return data


@pytest.mark.parametrize("change", list(CHANGES))
def test_local_repair_changes_as_little_as_the_proven_stages(change: str) -> None:
    data, plan = CHANGES[change]()
    scenario = scenario_from_data(data)
    proven = repair(scenario, plan, time_limit=20, seed=1)
    local = repair(scenario, plan, time_limit=1, seed=1, tuning=LOCAL)
    assert local.result.statistics.method is Method.LOCAL_SEARCH
    assert evaluate(scenario, local.plan).ok
    assert local.disruption.figures == proven.disruption.figures, change
    assert {g.pin for g in local.gave_way} == {g.pin for g in proven.gave_way}
    # Nothing proven; the objective's bound is the counting one (what --gap measures against).
    assert not local.proven and local.result.status.value == "feasible"
    assert local.result.bound == upper_bound(compile_scenario(scenario))
    gave = {(g.pin.review, g.pin.participant) for g in local.gave_way}
    assert _pins(plan) - gave <= _pins(local.plan), "confirmed flags carry over"


def _pins(plan: Plan) -> set[tuple[str, str]]:
    return {(r.id, m.participant) for r in plan.reviews for m in r.members if m.confirmed or r.confirmed}


def test_local_repair_keeps_its_time_limit_on_a_national_scenario() -> None:
    """A drop-out on a scenario above the threshold of a whole-plan model: a plan in time."""
    data = generate(
        partnerships=40,
        regions=30,
        participants_per_partnership=26,
        unaffiliated=40,
        seed=2,
        calendars="busy",
    )
    scenario = scenario_from_data(data)
    plan = solve(scenario, time_limit=4, seed=2).plan
    leaver = sorted(plan.reviews[0].member_ids)[0]
    for p in data["participants"]:
        if p["id"] == leaver:
            p["unavailable"] = [plan.reviews[0].date.isoformat()]
    changed = scenario_from_data(data)
    began = time.perf_counter()
    fixed = repair(changed, plan, time_limit=4, seed=2)
    assert time.perf_counter() - began < 4 * 1.5
    assert fixed.result.statistics.method is Method.LOCAL_SEARCH
    assert evaluate(changed, fixed.plan).ok
    assert fixed.disruption.moved_reviews == 0 and fixed.disruption.changed_memberships <= 2
