"""The metrics and the objective of SPEC section 4, computed by hand on a small plan.

tests/data/metrics.yaml: regions w x y z; partnerships P [w, x], Q [y], R [z].
People (partnership, region, prefer_subjects):
    p1 (P, w, [Q])   p2 (P, x)   q1 (Q, y, [P, R])   q2 (Q, y, [R])   r1 (R, z, [P])
    u1 (-, w)        u2 (-, z)   u3 (-, x; never placed)
tests/data/metrics.plan.yaml:
    rev-p  (subject P): q1 r1 u1   partnerships {Q, R}  regions {y, z, w}
    rev-q  (subject Q): p1 r1 u2   partnerships {P, R}  regions {w, z}
    rev-r  (subject R): q1 q2      partnerships {Q}     regions {y}
    rev-p2 (subject P): p2 q2 u1   partnerships {P, Q}  regions {x, y, w}

partnership_links, distinct ordered (member partnership a, subject s), a != s:
    rev-p (Q,P) (R,P); rev-q (P,Q) (R,Q); rev-r (Q,R); rev-p2 (Q,P) again, (P,P) excluded
    -> {(Q,P), (R,P), (P,Q), (R,Q), (Q,R)} = 5
co_member_links, distinct unordered pairs of partnerships in one group:
    rev-p {Q,R}; rev-q {P,R}; rev-r none (one partnership); rev-p2 {P,Q}      -> 3
region_links, distinct unordered pairs of regions in one group:
    rev-p {w,y} {w,z} {y,z}; rev-q {w,z} again; rev-r none; rev-p2 {w,x} {w,y} again {x,y}
    -> {w,y} {w,z} {y,z} {w,x} {x,y} = 5   ({x,z} never meet)
inclusion, distinct members without a partnership: u1 (twice), u2; u3 is not placed -> 2
diversity, sum of distinct member regions per review: 3 + 2 + 1 + 3               -> 9
preferences, (member, review) with the subject in the member's prefer_subjects:
    rev-p (P): q1 yes, r1 yes, u1 no -> 2; rev-q (Q): p1 yes -> 1;
    rev-r (R): q1 yes, q2 yes -> 2; rev-p2 (P): p2, q2, u1 no -> 0                 -> 5
loads: p1 1, p2 1, q1 2, q2 2, r1 2, u1 2, u2 1, u3 0
load_sumsq: 1 + 1 + 4 + 4 + 4 + 4 + 1 + 0                                          -> 19
max_load                                                                           -> 2
objective with the file's weights (7, 3, 2, 5, 1, 4; load_sumsq 2):
    7*5 + 3*3 + 2*5 + 5*2 + 1*9 + 4*5 - 2*19 = 35 + 9 + 10 + 10 + 9 + 20 - 38     -> 55
objective with the default weights (10, 5, 2, 5, 1, 1; load_sumsq 1):
    10*5 + 5*3 + 2*5 + 5*2 + 1*9 + 1*5 - 1*19 = 50 + 15 + 10 + 10 + 9 + 5 - 19    -> 80
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import DATA, read_yaml_data, run_cli, write_yaml_data

from opr_planner.evaluate import evaluate, objective_of
from opr_planner.plan import Member, Plan, plan_to_data, read_plan
from opr_planner.scenario import Scenario, load_scenario

SCENARIO = DATA / "metrics.yaml"
PLAN = DATA / "metrics.plan.yaml"

BY_HAND = {
    "partnership_links": 5,
    "co_member_links": 3,
    "region_links": 5,
    "inclusion": 2,
    "diversity": 9,
    "preferences": 5,
    "load_sumsq": 19,
    "max_load": 2,
}
OBJECTIVE = 55
OBJECTIVE_DEFAULT_WEIGHTS = 80
LOADS = {"p1": 1, "p2": 1, "q1": 2, "q2": 2, "r1": 2, "u1": 2, "u2": 1, "u3": 0}


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(SCENARIO)


@pytest.fixture(scope="module")
def plan() -> Plan:
    return read_plan(PLAN)[0]


def test_metrics_by_hand(scenario: Scenario, plan: Plan) -> None:
    result = evaluate(scenario, plan)
    assert result.metrics == BY_HAND
    assert result.loads == LOADS


@pytest.mark.parametrize("metric", list(BY_HAND))
def test_each_metric(scenario: Scenario, plan: Plan, metric: str) -> None:
    assert evaluate(scenario, plan).metrics[metric] == BY_HAND[metric]


def test_objective_by_hand(scenario: Scenario, plan: Plan) -> None:
    result = evaluate(scenario, plan)
    assert result.objective == OBJECTIVE
    assert objective_of(scenario, BY_HAND) == OBJECTIVE


def test_objective_with_default_weights(tmp_path: Path, plan: Plan) -> None:
    data = read_yaml_data(SCENARIO)
    del data["objectives"]
    scenario = load_scenario(write_yaml_data(tmp_path / "defaults.yaml", data))
    assert evaluate(scenario, plan).objective == OBJECTIVE_DEFAULT_WEIGHTS


def test_only_the_self_review_is_a_violation(scenario: Scenario, plan: Plan) -> None:
    # metrics are computed for any plan; this one breaks H5 on purpose (p2 reviews P)
    assert evaluate(scenario, plan).rule_ids == ["H5"]


def test_weight_zero_drops_a_metric(tmp_path: Path, plan: Plan) -> None:
    data = read_yaml_data(SCENARIO)
    data["objectives"]["preferences"] = 0
    scenario = load_scenario(write_yaml_data(tmp_path / "no-prefs.yaml", data))
    assert evaluate(scenario, plan).objective == OBJECTIVE - 4 * 5


def test_member_listed_twice_counts_once(scenario: Scenario, plan: Plan) -> None:
    data = plan_to_data(plan)
    data["reviews"][0]["members"].append({"participant": "q1", "role": "student"})
    doubled = Plan.model_validate(data)
    result = evaluate(scenario, doubled)
    assert result.metrics == BY_HAND
    assert result.rule_ids == ["H4", "H5"]


def test_unknown_member_is_ignored_by_metrics(scenario: Scenario, plan: Plan) -> None:
    first = plan.reviews[0]
    ghost = first.model_copy(update={"members": [*first.members, Member(participant="ghost", role="other")]})
    result = evaluate(scenario, plan.model_copy(update={"reviews": [ghost, *plan.reviews[1:]]}))
    assert result.metrics == BY_HAND


def test_empty_plan(scenario: Scenario) -> None:
    result = evaluate(scenario, Plan(format="opr-plan/1"))
    assert result.metrics == dict.fromkeys(BY_HAND, 0)
    assert result.objective == 0
    assert result.rule_ids == ["H1"]  # every review is missing; nothing else can be wrong


def test_check_prints_the_same_figures() -> None:
    result = run_cli("check", SCENARIO, PLAN)
    assert result.exit_code == 1  # the H5 break
    rows = {cells[0]: cells[1:] for cells in map(str.split, result.stdout.splitlines()) if cells}
    for metric, value in BY_HAND.items():
        assert rows[metric][0] == str(value)
    assert rows["objective"][0] == str(OBJECTIVE)
    assert "states other values" not in result.output  # the plan file states the same figures


def test_check_notes_wrong_figures_in_the_plan_file(tmp_path: Path) -> None:
    data = read_yaml_data(PLAN)
    data["metrics"]["diversity"] = 99
    data["objective"] = 1000
    path = write_yaml_data(tmp_path / "wrong.plan.yaml", data)
    result = run_cli("check", SCENARIO, path)
    assert "states other values for: diversity, objective" in result.stdout
