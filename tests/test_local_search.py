"""Local search and the counting bound, tested against the evaluator and CP-SAT's optimum."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from opr_planner.calendar import WorkCalendar
from opr_planner.errors import InfeasibleError
from opr_planner.evaluate import evaluate
from opr_planner.scenario.generate import generate
from opr_planner.scenario.load import scenario_from_data
from opr_planner.solver.bounds import _spread, upper_bound
from opr_planner.solver.compile import compile_scenario
from opr_planner.solver.greedy import greedy_solution
from opr_planner.solver.local import LocalSearch
from opr_planner.solver.params import BOUND_SUBSOLVERS, Tuning
from opr_planner.solver.result import Method
from opr_planner.solver.solution import score, to_plan
from opr_planner.solver.solve import SolveStatus, solve

LOCAL_ONLY = Tuning(large_candidates=0)  # local search alone, as on national-size scenarios
ASSIST_AT_ONCE = Tuning(assist_delay=0.0)  # CP-SAT and local search side by side from the start

# Weights that make other trade-offs than the defaults (inclusion worth more than a
# partnership link, heavy load penalty, metrics switched off).
WEIGHTS = (
    None,
    {"partnership_links": 2, "co_member_links": 0, "region_links": 7, "inclusion": 30, "load_sumsq": 4},
    {"diversity": 9, "preferences": 12, "load_sumsq": 0, "co_member_links": 1},
)


def scenario_of(
    seed: int, partnerships: int, size: int, weights: dict[str, int] | None, rounds: int = 1
) -> Any:
    data = generate(
        partnerships=partnerships,
        regions=5,
        participants_per_partnership=size,
        unaffiliated=4,
        reviews_per_partnership=rounds,
        seed=seed,
        start=dt.date(2028, 1, 10),
        deadline=dt.date(2028, 9, 29),
    )
    if weights:
        data["objectives"] = {**data.get("objectives", {}), **weights}
    return scenario_from_data(data)


def start_of(scenario: Any) -> tuple[Any, Any, Any] | None:
    """Calendar, solver input and the greedy plan when that is valid (local search needs one)."""
    cal = WorkCalendar(scenario)
    data = compile_scenario(scenario, cal)
    solution = greedy_solution(data, marginal=True)
    if solution is None or not to_plan(scenario, data, solution, cal)[1].ok:
        return None
    return cal, data, solution


def valid_start(scenario: Any) -> tuple[Any, Any, Any]:
    found = start_of(scenario)
    assert found is not None, "the example scenario must have a valid greedy plan"
    return found


def test_every_step_keeps_every_rule_and_the_running_objective_is_exact() -> None:
    checked = 0

    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        seed=st.integers(0, 10_000),
        partnerships=st.integers(3, 6),
        size=st.integers(7, 12),
        weights=st.sampled_from(WEIGHTS),
        rounds=st.integers(1, 2),
    )
    def check(seed: int, partnerships: int, size: int, weights: dict[str, int] | None, rounds: int) -> None:
        nonlocal checked
        scenario = scenario_of(seed, partnerships, size, weights, rounds)
        found = start_of(scenario)
        assume(found is not None)
        assert found is not None
        cal, data, start = found
        search = LocalSearch(data, start, seed)
        before = search.value
        for _ in range(6):
            search.run(time.perf_counter() + 60, steps=400)
            # The current state (not only the best): every rule holds, the incremental
            # objective equals the evaluator's.
            _, evaluation = to_plan(scenario, data, search.solution, cal)
            assert evaluation.violations == ()
            assert search.value == score(data, search.solution) == evaluation.objective
        best, _ = to_plan(scenario, data, search.best, cal)
        assert evaluate(scenario, best, cal).ok
        assert search.best_value == best.objective >= before
        checked += 1

    check()
    # Examples without a valid greedy start are skipped (assume); enough must remain.
    assert checked >= 15, f"only {checked} examples had a valid start"


def test_the_counting_bound_is_never_below_the_proven_optimum() -> None:
    solved = []
    for weights in WEIGHTS:
        for seed in (1, 2):
            scenario = scenario_of(seed, 3, 7, weights)
            try:
                result = solve(scenario, time_limit=20, seed=seed)
            except InfeasibleError:
                continue
            data = compile_scenario(scenario)
            assert result.status is SolveStatus.OPTIMAL
            assert upper_bound(data) >= result.objective
            assert result.bound is not None and result.bound <= upper_bound(data)
            solved.append((seed, weights))
    assert len(solved) >= 4, f"only {len(solved)} of 6 examples were feasible: {solved}"


def test_distinct_pairs_are_capped_by_how_often_each_value_can_appear() -> None:
    assert _spread(6, 6, 6) == 15  # one group of six: C(6, 2)
    assert _spread(12, 6, 6) == 15  # two groups of the same six values meet nothing new
    assert _spread(480, 50, 6) == 1185  # 80 groups of 6 regions out of 50: not 80 x 15 = 1,200
    assert _spread(10, 1, 6) == 0 and _spread(10, 5, 1) == 0


def test_large_scenarios_are_improved_by_local_search_and_bounded_by_counting() -> None:
    scenario = scenario_of(3, 6, 12, None)
    cal, data, start = valid_start(scenario)
    greedy = score(data, start)
    result = solve(scenario, time_limit=2, seed=1, tuning=LOCAL_ONLY)
    assert result.statistics.method is Method.LOCAL_SEARCH and result.statistics.variables is None
    assert result.statistics.local_search_steps > 0
    assert evaluate(scenario, result.plan, cal).ok
    assert result.objective == result.plan.objective >= greedy
    assert result.bound == max(upper_bound(data), result.objective)
    assert result.plan.solver is not None and result.plan.solver.bound == result.bound


def test_local_search_with_one_worker_counts_steps_and_reruns_identically() -> None:
    # No work estimated before the search: the whole limit is counted in steps.
    free = {"fixed_seconds": 0.0, "seconds_per_participant": 0.0, "seconds_per_pair": 0.0}
    tuning = Tuning(large_candidates=0, local_steps_per_second=1_500, **free)
    scenario = scenario_of(4, 6, 12, None)
    plans = [solve(scenario, time_limit=2, seed=7, workers=1, tuning=tuning) for _ in range(2)]
    assert plans[0].statistics.local_search_steps == 3_000
    dump = [[(r.id, r.date, [m.participant for m in r.members]) for r in p.plan.reviews] for p in plans]
    assert dump[0] == dump[1]


def test_one_worker_counts_the_estimated_work_before_the_search_against_the_limit() -> None:
    """The time limit is a promise from Enter: what loading, compiling and the greedy start
    are estimated to cost (by size, not by the clock, so reruns stay identical) is not
    searched; what is estimated to leave nothing is not searched at all."""
    scenario = scenario_of(4, 6, 12, None)
    work = {"seconds_per_participant": 0.0, "seconds_per_pair": 0.0, "second_greedy_share": 1.0}
    half = Tuning(large_candidates=0, local_steps_per_second=1_500, fixed_seconds=1.0, **work)
    assert (
        solve(scenario, time_limit=2, seed=7, workers=1, tuning=half).statistics.local_search_steps == 1_500
    )
    none = Tuning(large_candidates=0, local_steps_per_second=1_500, fixed_seconds=5.0, **work)
    result = solve(scenario, time_limit=2, seed=7, workers=1, tuning=none)
    assert result.statistics.local_search_steps == 0 and evaluate(scenario, result.plan).ok


def test_ctrl_c_during_local_search_returns_the_best_plan_so_far() -> None:
    scenario = scenario_of(5, 6, 12, None)
    calls = []

    def interrupt(progress: Any) -> None:
        calls.append(progress)
        if len(calls) == 3:
            raise KeyboardInterrupt

    result = solve(scenario, time_limit=30, on_progress=interrupt, tuning=LOCAL_ONLY)
    assert result.interrupted and result.status is SolveStatus.FEASIBLE
    assert result.seconds < 30
    assert evaluate(scenario, result.plan).ok
    assert result.objective == result.plan.objective >= max(p.objective for p in calls[:-1])


def test_local_search_assists_cp_sat_on_models_it_does_not_prove_at_once() -> None:
    # No delay: CP-SAT (bound-focused workers) and local search run side by side.
    scenario = scenario_of(6, 8, 12, None)
    cal, data, start = valid_start(scenario)
    result = solve(scenario, time_limit=4, seed=2, tuning=ASSIST_AT_ONCE)
    assert result.statistics.method is Method.CP_SAT_LOCAL and result.statistics.local_search_steps > 0
    assert result.workers == len(BOUND_SUBSOLVERS)
    assert evaluate(scenario, result.plan, cal).ok
    assert result.objective == result.plan.objective >= score(data, start)
    assert result.bound is not None and result.objective <= result.bound <= upper_bound(data)


def test_local_search_starts_from_a_valid_hint_scored_afresh_and_ignores_an_invalid_one() -> None:
    scenario = scenario_of(3, 6, 12, None)
    first = solve(scenario, time_limit=1, seed=1, tuning=LOCAL_ONLY)
    # A hint whose recorded objective is wrong: it is rescored, not trusted.
    stale = first.plan.model_copy(update={"objective": 10**6})
    again = solve(scenario, time_limit=1, seed=2, hint=stale, tuning=LOCAL_ONLY)
    assert evaluate(scenario, again.plan).ok
    assert first.objective <= again.objective == again.plan.objective < 10**6
    # A hint that breaks a rule (an empty group) is not a start: the greedy plan is.
    empty = first.plan.reviews[0].model_copy(update={"members": []})
    broken = first.plan.model_copy(update={"reviews": [empty, *first.plan.reviews[1:]]})
    third = solve(scenario, time_limit=1, seed=3, hint=broken, tuning=LOCAL_ONLY)
    assert evaluate(scenario, third.plan).ok


def test_ctrl_c_while_local_search_assists_cp_sat_keeps_the_best_plan() -> None:
    scenario = scenario_of(6, 8, 12, None)
    offers = []

    def interrupt(progress: Any) -> None:
        # In the main thread: the greedy start, then local search's plans (CP-SAT reports
        # from its own thread). Ctrl-C comes at local search's first plan.
        if threading.current_thread() is threading.main_thread():
            offers.append(progress)
            if len(offers) == 2:
                raise KeyboardInterrupt

    result = solve(scenario, time_limit=30, on_progress=interrupt, tuning=ASSIST_AT_ONCE)
    assert len(offers) == 2, "local search should have offered a plan"
    assert result.interrupted and result.status is SolveStatus.FEASIBLE
    assert result.seconds < 30
    assert evaluate(scenario, result.plan).ok
