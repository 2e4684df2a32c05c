"""explain: contributions add up to the objective, members' reasons, binding constraints."""

from __future__ import annotations

from pathlib import Path

from helpers import KIT, TINY, TINY_PLAN, VALID_OBJECTIVE, read_yaml_data, run_cli, write_yaml_data

from opr_planner.analysis.explain import Explanation, MemberReason, explain
from opr_planner.evaluate import evaluate
from opr_planner.plan import Plan, read_plan
from opr_planner.scenario import Scenario, load_scenario
from opr_planner.scenario.models import METRICS


def _member(e: Explanation, review: str, participant: str) -> MemberReason:
    r = next(r for r in e.reviews if r.id == review)
    return next(m for m in r.members if m.participant == participant)


def test_contributions_add_up_to_the_objective(tiny: Scenario, tiny_plan: Plan) -> None:
    e = explain(tiny, tiny_plan)
    assert e.objective == VALID_OBJECTIVE == evaluate(tiny, tiny_plan).objective
    assert sum(m.contribution for m in e.metrics if m.contribution is not None) == VALID_OBJECTIVE
    by = {m.metric: m for m in e.metrics}
    assert set(by) == {*METRICS, "max_load"}
    assert by["load_sumsq"].contribution == -13
    for link in ("partnership_links", "co_member_links", "region_links", "inclusion", "preferences"):
        assert len(by[link].details) == by[link].value
    assert "pc -> pa" in by["partnership_links"].details


def test_what_each_member_brings(tiny: Scenario, tiny_plan: Plan) -> None:
    e = explain(tiny, tiny_plan)
    chair = _member(e, "opr-pa", "c3")
    assert chair.functions == ("chair",)
    assert "chair (H7)" in chair.helps
    assert "H7" in chair.needed_for
    gijs = _member(e, "opr-pa", "b2")  # the only member from pb: pb -> pa and pb + pc exist thanks to him
    assert "only member from pb (H8)" in gijs.helps
    assert {"H6", "H8"} <= set(gijs.needed_for)
    assert gijs.adds["partnership_links"] == 1 and gijs.adds["co_member_links"] == 1
    assert gijs.objective_delta == 10 + 5 - 1
    pien = _member(e, "opr-pa", "u1")
    assert "no partnership (inclusion)" in pien.helps
    assert pien.adds["inclusion"] == 1
    noor = _member(e, "opr-pa", "c4")
    assert noor.adds.get("preferences") == 1
    assert noor.needed_for == ()


def test_binding_constraints(tiny: Scenario, tiny_plan: Plan) -> None:
    e = explain(tiny, tiny_plan)
    binding = {r.id: " | ".join(r.binding) for r in e.reviews}
    assert "group at its maximum size (5, H3)" in binding["opr-pa"]
    assert "group at its minimum size (4, H3)" in binding["opr-pb"]
    assert "student: 2, the maximum (H6)" in binding["opr-pc"]
    assert "2 members from pc, the maximum (H9)" in binding["opr-pa"]
    assert "the only member(s) of the group who can be chair" in binding["opr-pa"]
    assert "ISO week 2028-W26 holds 1 review(s), the maximum (H17)" in binding["opr-pa"]


def test_the_only_eligible_chair_is_named(tmp_path: Path, tiny_plan: Plan) -> None:
    """Without b3 as a chair, only c3 can chair opr-pa (a3 and a4 belong to pa)."""
    data = read_yaml_data(TINY)
    for p in data["participants"]:
        if p["id"] == "b3":
            p.pop("functions")
    scenario = load_scenario(write_yaml_data(tmp_path / "one-chair.yaml", data))
    e = explain(scenario, tiny_plan)
    binding = next(r for r in e.reviews if r.id == "opr-pa").binding
    assert "c3: the only eligible chair(s) for this review on 2028-06-29" in binding


def test_loads(tiny: Scenario, tiny_plan: Plan) -> None:
    e = explain(tiny, tiny_plan)
    busy = [line for line in e.loads if line.load]
    assert len(busy) == 13 and all(line.load == 1 and line.limit for line in busy)
    assert next(line for line in e.loads if line.participant == "a4").limit == 1  # personal max_reviews
    assert next(line for line in e.loads if line.participant == "c3").reviews == ("opr-pa",)


def test_a_plan_breaking_rules_is_explained_too(tiny: Scenario) -> None:
    plan, _ = read_plan(KIT / "bad-missing-review.plan.yaml")
    e = explain(tiny, plan)
    assert not e.evaluation.ok
    assert [r.id for r in e.reviews] == [r.id for r in plan.reviews]


def test_cli_reads_like_a_score_analysis() -> None:
    result = run_cli("explain", TINY, TINY_PLAN)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert f"objective {VALID_OBJECTIVE}" in text and "obeys every hard rule" in text
    for review in ("opr-pa", "opr-pb", "opr-pc"):
        assert f"Review {review}" in text
    for phrase in (
        "Binding constraints",
        "helps satisfy",
        "needed for",
        "worth +14 to the objective",
        "Load per participant",
        "partnership pairs that meet: 3 of 3",
    ):
        assert phrase in text
    for metric in (*METRICS, "max_load"):
        assert metric in text


def test_cli_exit_codes() -> None:
    assert run_cli("explain", TINY, KIT / "bad-overload.plan.yaml").exit_code == 0
    missing = run_cli("explain", TINY, "no-such.plan.yaml")
    assert missing.exit_code == 2 and "Traceback" not in missing.output
