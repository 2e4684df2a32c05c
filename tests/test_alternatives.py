"""`alternatives`: K good plans that pairwise differ in at least M memberships.

Difference (the one definition, also in docs/alternatives.md): the number of
(review, participant) memberships in plan A and not in B plus those in B and not in A.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

import pytest
from helpers import KIT_OPTIMUM, TINY, read_yaml_data, run_cli, scenario_variant, write_yaml_data

from opr_planner.calendar import WorkCalendar
from opr_planner.errors import InfeasibleError
from opr_planner.evaluate import evaluate
from opr_planner.plan import Member, Plan, read_plan
from opr_planner.scenario import Scenario, load_scenario
from opr_planner.solver.alternatives import UnbrokenModel, difference, find_alternatives, memberships
from opr_planner.solver.compile import compile_scenario
from opr_planner.solver.model import PlanModel


def pairs(plan: Plan) -> set[tuple[str, str]]:
    """The definition, written out independently of the module under test."""
    return {(r.id, m.participant) for r in plan.reviews for m in r.members}


def test_difference_counts_memberships_both_ways(tiny_plan: Plan) -> None:
    first = tiny_plan.reviews[0]
    replaced = first.model_copy(
        update={"members": [*first.members[1:], Member(participant="zz", role="student")]}
    )
    other = tiny_plan.model_copy(update={"reviews": [replaced, *tiny_plan.reviews[1:]]})
    assert difference(tiny_plan, tiny_plan) == 0
    assert difference(tiny_plan, other) == difference(other, tiny_plan) == 2  # one out, one in
    assert memberships(other) == pairs(other)
    dropped = tiny_plan.model_copy(update={"reviews": tiny_plan.reviews[1:]})
    assert difference(tiny_plan, dropped) == len(first.members)


@pytest.mark.parametrize("min_difference", [4, 12])
def test_alternatives_pairwise_differ_and_pass_the_evaluator(tiny: Scenario, min_difference: int) -> None:
    alts = find_alternatives(tiny, 3, min_difference=min_difference, time_limit=20, workers=1)
    plans = alts.plans
    assert len(plans) == 3 and alts.note is None
    for a, b in combinations(plans, 2):
        assert len(pairs(a) ^ pairs(b)) >= min_difference
    for i, plan in enumerate(plans, 1):
        evaluation = evaluate(tiny, plan)
        assert evaluation.ok, evaluation.rule_ids
        assert evaluation.objective == plan.objective
        assert plan.solver is not None and plan.solver.variant is not None
        assert plan.solver.variant["alternative"] == i
        assert plan.solver.variant["min_difference"] == min_difference
    objectives = [p.objective or 0 for p in plans]
    assert objectives == sorted(objectives, reverse=True), "each plan is the best of what is left"
    assert objectives[0] == KIT_OPTIMUM  # the first is the optimum of tiny


def test_fewer_plans_than_requested_is_proven_and_worded(tiny: Scenario) -> None:
    # tiny has 3 groups of 4-5: two plans of at most 15 memberships each differ in at most 30.
    # (28 is possible: alt-1, the plan `solve` makes, has 13 memberships, a disjoint plan 15.)
    alts = find_alternatives(tiny, 3, min_difference=31, time_limit=20, workers=1)
    assert len(alts.plans) == 1 and alts.shortfall == "proven"
    assert alts.note is not None and "only 1 plan of the 3 requested" in alts.note


def test_look_alike_participants_are_not_reduced_to_one(tmp_path: Path) -> None:
    """Swapping two interchangeable people is a real difference, so the model used for
    alternatives must keep both plans (no symmetry breaking), or "no further plan" lies."""
    data = read_yaml_data(TINY)
    twin = next(p for p in data["participants"] if p["id"] == "u3")
    data["participants"].append({**twin, "id": "u4", "name": "Roos twin"})
    scenario = load_scenario(write_yaml_data(tmp_path / "twins.yaml", data))
    compiled = compile_scenario(scenario, WorkCalendar(scenario))
    full, unbroken = PlanModel(compiled), UnbrokenModel(compiled)
    assert len(unbroken.m.proto.constraints) < len(full.m.proto.constraints)


def test_no_plan_at_all_raises_infeasible(tmp_path: Path) -> None:
    scenario = load_scenario(scenario_variant(tmp_path, min_regions=5))
    with pytest.raises(InfeasibleError):
        find_alternatives(scenario, 2, min_difference=4, time_limit=10, workers=1)


def test_cli_writes_plans_with_their_records_and_compares_them(tmp_path: Path) -> None:
    out = tmp_path / "alts"
    out.mkdir()
    (out / "alt-7.plan.yaml").write_text("left by an earlier run\n")
    run = run_cli(
        "alternatives", TINY, "-n", "3", "--min-difference", "6", "-o", out, "--workers", "1", "--seed", "3"
    )
    assert run.exit_code == 0, run.output
    assert sorted(p.name for p in out.iterdir()) == ["alt-1.plan.yaml", "alt-2.plan.yaml", "alt-3.plan.yaml"]
    assert "Alternatives side by side" in run.stdout and "Differences in memberships" in run.stdout
    assert "What sets each apart from alt-1" in run.stdout and "alt-3:" in run.stdout
    scenario = load_scenario(TINY)
    plans = []
    for i in (1, 2, 3):
        plan, warnings = read_plan(out / f"alt-{i}.plan.yaml")
        assert warnings == []
        assert plan.scenario.sha256 == scenario.sha256
        assert plan.solver is not None and plan.solver.seed == 3 and plan.solver.version
        assert plan.solver.variant == {"name": f"alt-{i}", "alternative": i, "of": 3, "min_difference": 6}
        assert evaluate(scenario, plan).ok
        plans.append(plan)
    assert all(difference(a, b) >= 6 for a, b in combinations(plans, 2))
    compared = run_cli("compare", TINY, *(out / f"alt-{i}.plan.yaml" for i in (1, 2, 3)))
    assert compared.exit_code == 0, compared.output
    html = run_cli("export", "html", TINY, out / "alt-2.plan.yaml", "-o", tmp_path / "alt-2.html")
    assert html.exit_code == 0, html.output


def test_cli_says_how_many_exist_and_exits_0(tmp_path: Path) -> None:
    run = run_cli("alternatives", TINY, "-n", "3", "--min-difference", "31", "-o", tmp_path, "--workers", "1")
    assert run.exit_code == 0, run.output
    assert "only 1 plan of the 3 requested" in run.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["alt-1.plan.yaml"]


def test_cli_exit_3_when_no_plan_is_possible(tmp_path: Path) -> None:
    scenario = scenario_variant(tmp_path, min_regions=5)
    out = tmp_path / "alts"
    run = run_cli("alternatives", scenario, "-n", "2", "-o", out, "--workers", "1")
    assert run.exit_code == 3, run.output
    assert "rules.min_regions" in run.stderr
    assert not out.exists() or not any(out.iterdir())


def test_same_seed_one_worker_gives_the_same_alternatives(tmp_path: Path) -> None:
    texts = []
    for name in ("a", "b"):
        run = run_cli("alternatives", TINY, "-n", "2", "-o", tmp_path / name, "--workers", "1", "-q")
        assert run.exit_code == 0, run.output
        texts.append(
            [
                [
                    line
                    for line in (tmp_path / name / f"alt-{i}.plan.yaml").read_text().splitlines()
                    if "seconds:" not in line
                ]
                for i in (1, 2)
            ]
        )
    assert texts[0] == texts[1]
