"""`suggest`: every stand-in shown passes the evaluator with the whole plan; nobody valid is missed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import TINY, TINY_PLAN, read_yaml_data, run_cli, write_yaml_data

from opr_planner.analysis.suggest import suggest, swap
from opr_planner.evaluate import evaluate
from opr_planner.plan import Plan, read_plan
from opr_planner.scenario import load_scenario
from opr_planner.scenario.load import scenario_from_data
from opr_planner.scenario.models import Scenario


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(TINY)


@pytest.fixture(scope="module")
def plan() -> Plan:
    return read_plan(TINY_PLAN)[0]


def _members(plan: Plan) -> list[tuple[str, str]]:
    return [(r.id, m.participant) for r in plan.reviews for m in r.members]


def test_every_stand_in_passes_the_evaluator_and_every_other_candidate_fails(
    scenario: Scenario, plan: Plan
) -> None:
    for review_id, member in _members(plan):
        found = suggest(scenario, plan, review_id, member)
        valid = {s.participant for s in found.stand_ins}
        for s in found.stand_ins:
            result = evaluate(scenario, s.plan)
            assert result.ok, (review_id, member, s.participant, result.violations)
            assert result.objective == s.objective == found.base.objective + s.delta
            assert s.participant in s.plan.review[review_id].member_ids
            assert member not in s.plan.review[review_id].member_ids
        group = set(plan.review[review_id].member_ids)
        for p in scenario.participants:
            if p.id in group or p.id in valid:
                continue
            trial, _, _ = swap(scenario, plan, review_id, member, p.id)
            assert not evaluate(scenario, trial).ok, f"{p.id} for {member} in {review_id} was missed"


def test_stand_ins_are_ranked_by_objective_change(scenario: Scenario, plan: Plan) -> None:
    found = suggest(scenario, plan, "opr-pa", "u3")
    deltas = [s.delta for s in found.stand_ins]
    assert deltas == sorted(deltas, reverse=True)
    assert len(suggest(scenario, plan, "opr-pa", "u3", top=1).stand_ins) == min(1, len(deltas))
    for s in found.stand_ins:
        assert (
            sum(
                (-1 if m == "load_sumsq" else 1) * getattr(scenario.objectives, m) * v
                for m, v in s.metrics.items()
                if m != "max_load"
            )
            == s.delta
        )
        assert s.why(scenario)


def test_the_chair_passes_to_the_stand_in_or_another_member(scenario: Scenario, plan: Plan) -> None:
    chair = next(m.participant for m in plan.review["opr-pa"].members if "chair" in m.functions)
    found = suggest(scenario, plan, "opr-pa", chair)
    assert found.stand_ins
    for s in found.stand_ins:
        holders = [m.participant for m in s.plan.review["opr-pa"].members if "chair" in m.functions]
        assert len(holders) == 1
        if s.functions == ("chair",):
            assert holders == [s.participant]
        else:
            assert s.handover and holders == [s.handover[0][1]]


def test_a_broken_plan_is_judged_on_what_the_swap_adds(plan: Plan) -> None:
    data = read_yaml_data(TINY)
    for p in data["participants"]:
        if p["id"] == "u3":
            p["unavailable"] = ["2028-06-29"]
        if p["id"] == "b3":
            p["unavailable"] = ["2028-11-29"]  # opr-pc stays broken: not the swap's doing
    scenario = scenario_from_data(data)
    before = evaluate(scenario, plan).violations
    assert [(v.rule, v.review) for v in before] == [("H13", "opr-pa"), ("H13", "opr-pc")]
    found = suggest(scenario, plan, "opr-pa", "u3")
    assert found.stand_ins
    for s in found.stand_ins:
        assert evaluate(scenario, s.plan).violations == before[1:]


def test_unknown_review_or_member_is_a_usage_error(scenario: Scenario, plan: Plan) -> None:
    with pytest.raises(ValueError, match="not in the plan"):
        suggest(scenario, plan, "opr-x", "u3")
    with pytest.raises(ValueError, match="not a member"):
        suggest(scenario, plan, "opr-pa", "a1")


# -- command line ------------------------------------------------------------------------


def test_cli_suggest_lists_ranked_stand_ins(plan: Plan) -> None:
    run = run_cli("suggest", TINY, TINY_PLAN, "--review", "opr-pa", "--replace", "u3", "--top", 2)
    assert run.exit_code == 0, run.output
    assert "Stand-ins for u3" in run.stdout and "rank" in run.stdout
    found = suggest(load_scenario(TINY), plan, "opr-pa", "u3")
    assert found.stand_ins[0].participant in run.stdout


def test_cli_suggest_exit_3_without_a_valid_stand_in(tmp_path: Path) -> None:
    data: dict[str, Any] = read_yaml_data(TINY)
    group = {"b2", "c3", "c4", "u1", "u3"}
    for p in data["participants"]:
        if p["id"] not in group:
            p["unavailable"] = [*p.get("unavailable", []), "2028-06-29"]
    path = write_yaml_data(tmp_path / "tiny.yaml", data)
    run = run_cli("suggest", path, TINY_PLAN, "--review", "opr-pa", "--replace", "u3")
    assert run.exit_code == 3
    assert "nobody can stand in for u3" in run.output and "H13" in run.output


def test_cli_suggest_bad_arguments_exit_2() -> None:
    assert run_cli("suggest", TINY, TINY_PLAN, "--review", "nope", "--replace", "u3").exit_code == 2
    assert run_cli("suggest", TINY, TINY_PLAN, "--review", "opr-pa", "--replace", "a1").exit_code == 2
