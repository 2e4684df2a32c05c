"""`Swapper.appraise` (a swap's effect from the plan's counters) agrees with `Swapper.judge`
(the evaluator on the whole swapped plan) for every candidate that passes the screen: on
valid plans and on plans the scenario broke since, with H18 and the metrics that count
pairs across the whole plan. `suggest` and the backups rely on it at national size."""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

from opr_planner.analysis.suggest import StandIn, Swapper
from opr_planner.plan import Plan
from opr_planner.scenario.generate import generate
from opr_planner.scenario.load import scenario_from_data
from opr_planner.scenario.models import Scenario
from opr_planner.solver.greedy import greedy_plan


def _same(a: StandIn | set[str], b: StandIn | set[str]) -> bool:
    if isinstance(a, set) or isinstance(b, set):
        return a == b
    fields = ("participant", "role", "functions", "handover", "objective", "delta", "metrics")
    return all(getattr(a, f) == getattr(b, f) for f in fields)


def _check_every_swap(scenario: Scenario, plan: Plan, reviews: int = 3, members: int = 3) -> Counter[str]:
    """How many swaps were compared, and how many of them broke H18."""
    seen: Counter[str] = Counter()
    for pr in plan.reviews[:reviews]:
        swapper = Swapper(scenario, plan, pr.id)
        for member in sorted(pr.member_ids)[:members]:
            for p in swapper.candidates(member):
                if swapper.screen(member, p):
                    continue
                judged, appraised = swapper.judge(member, p), swapper.appraise(member, p)
                assert _same(judged, appraised), (pr.id, member, p.id, judged, appraised)
                seen["compared"] += 1
                seen["H18"] += isinstance(judged, set) and "H18" in judged
    return seen


def _data(seed: int, busy: bool, **rules: Any) -> dict[str, Any]:
    data = generate(
        partnerships=5,
        regions=7,
        participants_per_partnership=9,
        unaffiliated=6,
        reviews_per_partnership=2,
        seed=seed,
        calendars="busy" if busy else "light",
    )
    data["rules"].update(rules)
    return data


def test_appraise_is_judge_on_greedy_plans() -> None:
    seen: Counter[str] = Counter()
    for seed, busy in [(1, False), (2, True), (5, True)]:
        data = _data(seed, busy)
        plan = greedy_plan(scenario_from_data(data), marginal=True)
        assert plan is not None
        # min_reviews_per_partnership as low as the plan's least-seen partnership: taking its
        # only member out of a group breaks H18.
        parts = {p["id"]: p.get("partnership") for p in data["participants"]}
        seen_in = Counter(a for r in plan.reviews for a in {parts[m] for m in r.member_ids} if a)
        data["rules"]["min_reviews_per_partnership"] = min(seen_in.values())
        seen += _check_every_swap(scenario_from_data(data), plan)
    assert seen["compared"] > 200 and seen["H18"] > 0


def test_appraise_is_judge_when_the_scenario_changed_since_the_plan() -> None:
    """A member who left the scenario, one who is now unavailable, changed weights: the plan is
    broken, and a swap is judged on what it adds."""
    data = _data(4, True)
    scenario = scenario_from_data(data)
    plan = greedy_plan(scenario, marginal=True)
    assert plan is not None
    changed = copy.deepcopy(data)
    first, second = plan.reviews[0], plan.reviews[1]
    gone = sorted(first.member_ids)[0]
    changed["participants"] = [p for p in changed["participants"] if p["id"] != gone]
    for p in changed["participants"]:
        p["avoid"] = [a for a in p.get("avoid", []) if a != gone]
        if p["id"] == sorted(second.member_ids)[0]:
            p["unavailable"] = [second.date.isoformat()]
    changed["objectives"] = {"preferences": 7, "inclusion": 9, "load_sumsq": 3, "region_links": 4}
    later = scenario_from_data(changed)
    assert _check_every_swap(later, plan, reviews=2, members=6)["compared"] > 50
