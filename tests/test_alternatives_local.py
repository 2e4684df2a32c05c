"""`alternatives` at national size (solver/alternatives_local.py): plans 2..K by local search
with every missing membership of difference weighing more than the objective. Forced here by
a threshold of 0 on a region: the plans differ as asked, obey every rule, and are each the
result of their own time limit."""

from __future__ import annotations

import time
from itertools import combinations

from opr_planner.evaluate import evaluate
from opr_planner.scenario.generate import generate
from opr_planner.scenario.load import scenario_from_data
from opr_planner.solver.alternatives import difference, find_alternatives, memberships
from opr_planner.solver.params import Tuning
from opr_planner.solver.result import Method


def test_local_alternatives_differ_enough_and_obey_every_rule() -> None:
    scenario = scenario_from_data(
        generate(
            partnerships=6,
            regions=9,
            participants_per_partnership=14,
            unaffiliated=6,
            seed=4,
            calendars="busy",
        )
    )
    began = time.perf_counter()
    found = find_alternatives(
        scenario, 3, min_difference=6, time_limit=1.5, seed=4, tuning=Tuning(large_candidates=0)
    )
    assert time.perf_counter() - began < 3 * 1.5 + 3
    assert len(found.results) == 3 and found.shortfall is None
    for result in found.results:
        assert evaluate(scenario, result.plan).ok
        assert result.statistics.method is Method.LOCAL_SEARCH
        assert result.bound is not None and result.objective <= result.bound
    for a, b in combinations(found.plans, 2):
        assert difference(a, b) >= 6
    objectives = [r.objective for r in found.results[1:]]
    assert objectives == sorted(objectives, reverse=True)


def test_a_difference_no_plan_can_reach_is_a_shortfall_in_time() -> None:
    scenario = scenario_from_data(generate(partnerships=3, regions=5, participants_per_partnership=8, seed=1))
    found = find_alternatives(
        scenario, 2, min_difference=500, time_limit=1, seed=1, tuning=Tuning(large_candidates=0)
    )
    assert len(found.results) == 1 and found.shortfall == "time"


def test_one_worker_gives_the_same_local_alternatives_twice() -> None:
    """Steps counted from the time limit, not from the clock: a rerun is the same plan
    (the count came from the seconds left on the clock, a few steps more or less each run)."""
    scenario = scenario_from_data(
        generate(partnerships=4, regions=6, participants_per_partnership=10, seed=2)
    )
    tuning = Tuning(large_candidates=0, local_steps_per_second=2_000)
    runs = [
        find_alternatives(scenario, 2, min_difference=4, time_limit=1.5, seed=2, workers=1, tuning=tuning)
        for _ in range(2)
    ]
    steps = [[r.statistics.local_search_steps for r in run.results] for run in runs]
    assert steps[0] == steps[1] and steps[0][1] == 2_000
    dumps = [[sorted(memberships(p)) for p in run.plans] for run in runs]
    assert dumps[0] == dumps[1]
