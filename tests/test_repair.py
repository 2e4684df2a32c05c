"""`repair` (and `solve --hint` with confirmed items): fewest moves, fewest changes, confirmed kept.

Every test changes a copy of tests/data/tiny.yaml and repairs tests/data/tiny.plan.yaml
(opr-pa on 2028-06-29 with b2 c3 c4 u1 u3; opr-pb on 2028-09-28; opr-pc on 2028-11-29).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from helpers import TINY, TINY_PLAN, VALID_OBJECTIVE, read_yaml_data, run_cli, write_yaml_data

from opr_planner.analysis.disruption import disruption
from opr_planner.analysis.suggest import suggest
from opr_planner.cli.change import default_repaired_path
from opr_planner.errors import InfeasibleError
from opr_planner.evaluate import evaluate
from opr_planner.plan import Plan, read_plan, write_plan
from opr_planner.scenario.load import scenario_from_data
from opr_planner.scenario.models import Scenario
from opr_planner.solver.repair import Repair, repair
from opr_planner.solver.solve import solve

LIMIT = 20.0


def tiny_data() -> dict[str, Any]:
    return read_yaml_data(TINY)


def tiny_plan() -> Plan:
    return read_plan(TINY_PLAN)[0]


def unavailable(data: dict[str, Any], pid: str, day: str) -> dict[str, Any]:
    for p in data["participants"]:
        if p["id"] == pid:
            p["unavailable"] = [*p.get("unavailable", []), day]
    return data


def confirm(plan: Plan, *, reviews: tuple[str, ...] = (), members: tuple[str, ...] = ()) -> Plan:
    out = []
    for r in plan.reviews:
        ms = [m.model_copy(update={"confirmed": m.participant in members}) for m in r.members]
        out.append(r.model_copy(update={"confirmed": r.id in reviews, "members": ms}))
    return plan.model_copy(update={"reviews": out})


def fixed(data: dict[str, Any], plan: Plan | None = None, **options: Any) -> tuple[Scenario, Repair]:
    scenario = scenario_from_data(data)
    result = repair(scenario, plan or tiny_plan(), time_limit=LIMIT, **options)
    assert evaluate(scenario, result.plan).ok, "a repaired plan obeys every rule"
    return scenario, result


def memberships(plan: Plan) -> set[tuple[str, str]]:
    return {(r.id, m.participant) for r in plan.reviews for m in r.members}


def test_unchanged_scenario_changes_nothing() -> None:
    _, result = fixed(tiny_data())
    assert (result.disruption.moved_reviews, result.disruption.changed_memberships) == (0, 0)
    assert memberships(result.plan) >= memberships(tiny_plan())
    assert result.after.objective >= result.before.objective == VALID_OBJECTIVE
    assert result.gave_way == ()


def test_member_unavailable_on_the_date_is_replaced_by_one_stand_in() -> None:
    # u3 is opr-pa's only student (composition: at least one): a stand-in must join.
    data = unavailable(tiny_data(), "u3", "2028-06-29")
    scenario = scenario_from_data(data)
    assert suggest(scenario, tiny_plan(), "opr-pa", "u3").stand_ins, "precondition: a valid stand-in exists"
    _, result = fixed(data)
    assert result.disruption.figures == (0, 2, 0), "one out, one in (SPEC 5 counts both)"
    assert ("opr-pa", "u3") not in memberships(result.plan)
    assert len(memberships(result.plan) ^ memberships(tiny_plan())) == 2
    assert [r.date for r in result.plan.reviews] == [r.date for r in tiny_plan().reviews]
    assert [s.value for s in result.stages[:3]] == [0, 2, 0] and result.proven


def test_closed_period_over_one_date_moves_only_that_review_and_nearby() -> None:
    data = tiny_data()
    data["calendar"]["closed"].append({"name": "Extra", "from": "2028-09-25", "to": "2028-09-29"})
    _, result = fixed(data)
    moved = [c.review for c in result.disruption.reviews if c.moved]
    assert moved == ["opr-pb"]
    assert result.disruption.changed_memberships == 0
    change = result.disruption.reviews[0]
    assert change.old_date and change.new_date and abs((change.new_date - change.old_date).days) <= 14
    assert [s.name for s in result.stages][-1] == "days moved"


def test_confirmed_member_is_kept_while_the_review_can_move() -> None:
    data = unavailable(tiny_data(), "u3", "2028-06-29")
    plan = confirm(tiny_plan(), members=("u3", "c3"))
    _, result = fixed(data, plan)
    assert ("opr-pa", "u3") in memberships(result.plan) and ("opr-pa", "c3") in memberships(result.plan)
    assert result.disruption.moved_reviews == 1 and result.disruption.changed_memberships == 0
    assert result.gave_way == ()
    kept = {m.participant for r in result.plan.reviews for m in r.members if m.confirmed}
    assert kept == {"u3", "c3"}, "confirmed flags carry over to the repaired plan"


def test_confirmed_review_keeps_its_date_and_a_stand_in_joins_with_the_reason() -> None:
    data = unavailable(tiny_data(), "u3", "2028-06-29")
    _, result = fixed(data, confirm(tiny_plan(), reviews=("opr-pa",)))
    assert [(g.pin.kind, g.pin.participant) for g in result.gave_way] == [("group", ""), ("member", "u3")]
    assert all("u3" in g.why and "H13" in g.why for g in result.gave_way)
    assert [s.name for s in result.stages][:2] == [
        "confirmed dates kept",
        "confirmed members kept - outsiders joining",
    ]
    pa = result.plan.review["opr-pa"]
    assert pa.date == tiny_plan().review["opr-pa"].date, "a confirmed date outranks a confirmed membership"
    change = result.disruption.reviews[0]
    assert change.left == ("u3",) and len(change.joined) == 1, (
        "exactly one stand-in joins the confirmed group"
    )
    assert not pa.confirmed
    assert {m.participant for m in pa.members if m.confirmed} == {"b2", "c3", "c4", "u1"}


def test_confirmed_date_gives_way_when_its_day_closes() -> None:
    data = tiny_data()
    data["calendar"]["closed"].append({"name": "Extra", "from": "2028-06-26", "to": "2028-06-30"})
    _, result = fixed(data, confirm(tiny_plan(), reviews=("opr-pa",)))
    assert [g.pin.kind for g in result.gave_way] == ["date"]
    assert "Extra" in result.gave_way[0].why
    assert set(result.plan.review["opr-pa"].member_ids) == set(tiny_plan().review["opr-pa"].member_ids)


def test_participant_gone_counts_as_changed() -> None:
    data = tiny_data()
    data["participants"] = [p for p in data["participants"] if p["id"] != "u2"]
    _, result = fixed(data)
    assert result.disruption.figures == (0, 2, 0), "u2 out of opr-pc, one stand-in in"
    [change] = result.disruption.reviews
    assert change.review == "opr-pc" and change.left == ("u2",) and len(change.joined) == 1


def test_confirmed_member_who_is_gone_gives_way_and_is_named() -> None:
    data = tiny_data()
    data["participants"] = [p for p in data["participants"] if p["id"] != "u1"]
    _, result = fixed(data, confirm(tiny_plan(), members=("u1", "u3")))
    assert [(g.pin.participant, g.why) for g in result.gave_way] == [
        ("u1", "u1 is no longer a participant of the scenario")
    ]
    assert ("opr-pa", "u3") in memberships(result.plan)


def test_default_output_sits_beside_the_plan_and_never_replaces_it() -> None:
    assert default_repaired_path("out/plan.yaml") == Path("out/plan.repaired.plan.yaml")
    assert default_repaired_path("mn.plan.yaml") == Path("mn.repaired.plan.yaml")
    assert default_repaired_path("a.plan.json") == Path("a.repaired.plan.json")
    assert default_repaired_path("odd") == Path("odd.repaired.plan.yaml")


def test_review_added_is_not_moved_and_review_removed_is_listed() -> None:
    data = tiny_data()
    data["rules"]["min_reviews_per_partnership"] = 0
    data["reviews"] = [r for r in data["reviews"] if r["id"] != "opr-pc"]
    data["reviews"].append(
        {"id": "opr-pa-2", "subject": "pa", "earliest": "2028-10-02", "latest": "2028-12-15"}
    )
    _, result = fixed(data)
    d = result.disruption
    assert d.added == ("opr-pa-2",) and d.removed == ("opr-pc",)
    # SPEC 5: a review added or removed counts its members (4 + 4) and its chair (1 + 1).
    old_pc = tiny_plan().review["opr-pc"]
    new_pa2 = result.plan.review["opr-pa-2"]
    assert d.moved_reviews == 0
    assert d.changed_memberships == len(old_pc.members) + len(new_pa2.members) == 8
    assert d.changed_functions == 2
    unchanged = {r for r in ("opr-pa", "opr-pb")}
    assert not unchanged & {c.review for c in d.reviews}


def test_rule_change_is_obeyed_with_few_changes() -> None:
    data = tiny_data()
    data["rules"]["group_size"] = {"min": 4, "max": 4}  # opr-pa has five members
    _, result = fixed(data)
    assert result.disruption.moved_reviews == 0
    assert result.disruption.changed_memberships == 1
    assert len(result.plan.review["opr-pa"].members) == 4


def test_interchangeable_twin_does_not_force_a_change() -> None:
    # u0 looks exactly like u3 and comes first: symmetry breaking would prefer u0.
    data = tiny_data()
    twin = {"id": "u0", "name": "Roos Twin", "role": "student", "region": "r-c"}
    data["participants"].insert(len(data["participants"]) - 1, twin)
    _, result = fixed(data)
    assert result.disruption.changed_memberships == 0


def test_nothing_works_raises_infeasible() -> None:
    data = tiny_data()
    data["rules"]["group_size"] = {"min": 19, "max": 20}
    with pytest.raises(InfeasibleError):
        fixed(data)


def test_stage_values_match_the_disruption_of_the_plan() -> None:
    data = unavailable(tiny_data(), "a3", "2028-09-28")
    data["participants"] = [p for p in data["participants"] if p["id"] != "c4"]
    _, result = fixed(data)
    values = {s.name: s.value for s in result.stages}
    d = disruption(tiny_plan(), result.plan)
    assert values["moved_reviews"] == d.moved_reviews
    assert values["changed_memberships"] == d.changed_memberships
    assert values["objective"] == result.plan.objective == result.after.objective


def test_solve_with_a_hint_keeps_its_confirmed_items() -> None:
    scenario = scenario_from_data(tiny_data())
    plan = confirm(tiny_plan(), reviews=("opr-pb",))
    result = solve(scenario, hint=plan, time_limit=LIMIT)
    pb = result.plan.review["opr-pb"]
    assert pb.confirmed and pb.date == plan.review["opr-pb"].date
    assert set(pb.member_ids) == set(plan.review["opr-pb"].member_ids)


def test_solve_with_a_hint_whose_confirmed_items_cannot_hold_says_which() -> None:
    scenario = scenario_from_data(unavailable(tiny_data(), "u3", "2028-06-29"))
    with pytest.raises(InfeasibleError) as info:
        solve(scenario, hint=confirm(tiny_plan(), reviews=("opr-pa",)), time_limit=LIMIT)
    text = "\n".join(info.value.reasons + info.value.suggestions)
    assert "confirmed membership of u3 (Roos U) in opr-pa" in text and "repair" in text


# -- command line ------------------------------------------------------------------------


def _files(tmp_path: Path, data: dict[str, Any], plan: Plan | None = None) -> tuple[Path, Path]:
    scenario = write_yaml_data(tmp_path / "tiny.yaml", data)
    plan_path = tmp_path / "tiny.plan.yaml"
    write_plan(plan or tiny_plan(), plan_path)
    return scenario, plan_path


def test_cli_repair_writes_beside_the_plan_and_prints_the_changes(tmp_path: Path) -> None:
    scenario, plan_path = _files(tmp_path, unavailable(tiny_data(), "u3", "2028-06-29"))
    before = plan_path.read_text()
    run = run_cli("repair", scenario, plan_path, "--time-limit", LIMIT, "--backups", 2)
    assert run.exit_code == 0, run.output
    assert plan_path.read_text() == before, "the input plan is never overwritten"
    target = tmp_path / "tiny.repaired.plan.yaml"
    repaired, _ = read_plan(target)
    assert all(r.backups for r in repaired.reviews)
    assert run_cli("check", scenario, target).exit_code == 0
    for text in (
        "moved_reviews 0",
        "changed_memberships 2",
        "changed_functions 0",
        "out: u3 (Roos U)",
        "Per review:",
        "Per participant:",
        "objective",
    ):
        assert text in run.stdout
    assert "H13" in run.stdout, "what the old plan now breaks"


def test_cli_repair_exit_3_when_no_plan_exists(tmp_path: Path) -> None:
    data = tiny_data()
    data["rules"]["group_size"] = {"min": 19, "max": 20}
    scenario, plan_path = _files(tmp_path, data)
    run = run_cli("repair", scenario, plan_path, "-o", tmp_path / "new.plan.yaml", "--time-limit", LIMIT)
    assert run.exit_code == 3
    assert not (tmp_path / "new.plan.yaml").exists()


def test_cli_repair_reports_what_gave_way(tmp_path: Path) -> None:
    data = unavailable(tiny_data(), "u3", "2028-06-29")
    scenario, plan_path = _files(tmp_path, data, confirm(tiny_plan(), reviews=("opr-pa",)))
    run = run_cli("repair", scenario, plan_path, "-o", tmp_path / "new.plan.yaml", "--workers", 1)
    assert run.exit_code == 0, run.output
    assert (
        "had to give way" in run.stdout and "the confirmed membership of u3 (Roos U) in opr-pa" in run.stdout
    )


def test_cli_repair_is_reproducible_with_one_worker(tmp_path: Path) -> None:
    scenario, plan_path = _files(tmp_path, unavailable(tiny_data(), "b3", "2028-11-29"))
    texts = []
    for i in range(2):
        out = tmp_path / f"r{i}.plan.yaml"
        run = run_cli("repair", scenario, plan_path, "-o", out, "--workers", 1, "--seed", 3, "-q")
        assert run.exit_code == 0, run.output
        texts.append([line for line in out.read_text().splitlines() if "seconds:" not in line])
    assert texts[0] == texts[1]
