"""Backups and resilience: every backup is a valid stand-in for at least one member."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import TINY, TINY_PLAN, read_yaml_data, run_cli, write_yaml_data

from opr_planner.analysis.backups import Cover, choose_backups, rank_backups, resilience, with_backups
from opr_planner.analysis.suggest import suggest, swap
from opr_planner.evaluate import evaluate
from opr_planner.plan import Plan, read_plan
from opr_planner.scenario import load_scenario
from opr_planner.scenario.models import Scenario


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(TINY)


@pytest.fixture(scope="module")
def plan() -> Plan:
    return read_plan(TINY_PLAN)[0]


def _stands_in_for(scenario: Scenario, plan: Plan, review_id: str, backup: str) -> list[str]:
    out = []
    for member in plan.review[review_id].member_ids:
        trial, _, _ = swap(scenario, plan, review_id, member, backup)
        if evaluate(scenario, trial).ok:
            out.append(member)
    return out


def test_every_backup_is_a_valid_stand_in_for_some_member(scenario: Scenario, plan: Plan) -> None:
    backed = with_backups(scenario, plan, 3)
    assert any(r.backups for r in backed.reviews)
    for r in backed.reviews:
        assert len(r.backups) <= 3
        ids = [b.participant for b in r.backups]
        assert len(set(ids)) == len(ids) and not set(ids) & set(r.member_ids)
        for b in r.backups:
            assert b.role == scenario.participant[b.participant].role
            assert _stands_in_for(scenario, plan, r.id, b.participant), (r.id, b.participant)
    assert evaluate(scenario, backed).ok, "backups change no group"
    assert with_backups(scenario, backed, 0).reviews == [
        r.model_copy(update={"backups": []}) for r in backed.reviews
    ]


def test_resilience_counts_members_with_a_valid_stand_in(scenario: Scenario, plan: Plan) -> None:
    figures = resilience(scenario, plan)
    assert list(figures) == [r.id for r in plan.reviews]
    for r in plan.reviews:
        covered = sum(
            1
            for member in r.member_ids
            if any(
                evaluate(scenario, swap(scenario, plan, r.id, member, p.id)[0]).ok
                for p in scenario.participants
                if p.id not in r.member_ids
            )
        )
        assert figures[r.id] == (covered, len(r.members))


def test_resilience_drops_when_nobody_can_come(tmp_path: Path, plan: Plan) -> None:
    data = read_yaml_data(TINY)
    group = set(plan.review["opr-pa"].member_ids)
    for p in data["participants"]:
        if p["id"] not in group:
            p["unavailable"] = [*p.get("unavailable", []), "2028-06-29"]
    scenario = load_scenario(write_yaml_data(tmp_path / "tiny.yaml", data))
    assert resilience(scenario, plan)["opr-pa"] == (0, 5)
    assert with_backups(scenario, plan, 2).review["opr-pa"].backups == []


def test_ranking_covers_uncovered_members_first() -> None:
    candidates = {
        "a": Cover("a", "student", frozenset({"m1", "m2"}), 5),
        "b": Cover("b", "student", frozenset({"m1", "m2"}), 9),
        "c": Cover("c", "board", frozenset({"m3"}), -4),
    }
    assert [c.participant for c in rank_backups(candidates, 2)] == ["b", "c"]
    assert [c.participant for c in rank_backups(candidates, 5)] == ["b", "c", "a"]


def test_cli_solve_with_backups_writes_them_and_the_plan_still_checks(tmp_path: Path) -> None:
    out = tmp_path / "tiny.plan.yaml"
    run = run_cli("solve", TINY, "-o", out, "--time-limit", 20, "--backups", 2, "-q")
    assert run.exit_code == 0, run.output
    written, _ = read_plan(out)
    assert all(0 < len(r.backups) <= 2 for r in written.reviews)
    assert "backups:" in out.read_text()
    assert run_cli("check", TINY, out).exit_code == 0


def test_lazy_choice_equals_ranking_every_evaluated_cover(scenario: Scenario, plan: Plan) -> None:
    for r in plan.reviews:
        found: dict[str, tuple[str, set[str], int]] = {}
        for member in r.member_ids:
            for s in suggest(scenario, plan, r.id, member).stand_ins:
                role, members, best = found.get(s.participant, (s.role, set(), s.delta))
                members.add(member)
                found[s.participant] = (role, members, max(best, s.delta))
        covers = {p: Cover(p, role, frozenset(ms), best) for p, (role, ms, best) in found.items()}
        for n in (1, 3, 10):
            assert choose_backups(scenario, plan, r.id, n) == rank_backups(covers, n)
