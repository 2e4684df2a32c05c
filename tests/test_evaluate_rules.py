"""One test per hard rule H1–H18 (SPEC section 3).

Each case starts from tests/data/tiny.yaml and its valid plan tests/data/tiny.plan.yaml
(documented in tests/data/conformance/README.md), changes the plan so that it breaks
exactly one rule, and checks that `evaluate` and `opr-planner check` report exactly
that rule id, while the unchanged plan passes under the same scenario. Where tiny.yaml's
own rules make a single break impossible, the case changes the scenario's rules first.

Who is who in the valid plan (role, partnership, region, organisation):
  opr-pa (subject pa; regions r-a r-b; midden) 2028-06-29:
      b2 school_educator pb r-c B1 (avoids c2), c3 institute pc r-d (chair),
      c4 programme_lead pc r-d C2, u1 board - r-a Los, u3 student - r-c
  opr-pb (subject pb; regions r-b r-c; midden) 2028-09-28:
      a2 school_educator pa r-a A1, a3 institute pa r-b (chair), c1 student pc r-d C1,
      c5 school_educator pc r-c C2
  opr-pc (subject pc; regions r-c r-d; noord) 2028-11-29:
      a1 student pa r-a A1, b1 student pb r-b B1, b3 institute pb r-c (chair),
      u2 school_educator - r-d Los
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from helpers import TINY, read_yaml_data, rule_ids_in, run_cli, save_plan, write_yaml_data

from opr_planner.evaluate import RULES, evaluate
from opr_planner.plan import Plan, plan_to_data, sessions_for
from opr_planner.scenario import Scenario, load_scenario

PlanData = dict[str, Any]


# -- plan edits ------------------------------------------------------------------------


def _review(data: PlanData, rid: str) -> dict[str, Any]:
    return next(r for r in data["reviews"] if r["id"] == rid)


def replace(rid: str, old: str, new: str, role: str, functions: list[str] | None = None) -> Callable:
    def edit(data: PlanData, s: Scenario) -> None:
        members = _review(data, rid)["members"]
        i = next(i for i, m in enumerate(members) if m["participant"] == old)
        members[i] = {"participant": new, "role": role, "functions": functions or []}

    return edit


def add(rid: str, pid: str, role: str, functions: list[str] | None = None) -> Callable:
    def edit(data: PlanData, s: Scenario) -> None:
        _review(data, rid)["members"].append({"participant": pid, "role": role, "functions": functions or []})

    return edit


def set_member(rid: str, pid: str, **changes: Any) -> Callable:
    def edit(data: PlanData, s: Scenario) -> None:
        member = next(m for m in _review(data, rid)["members"] if m["participant"] == pid)
        member.update(changes)

    return edit


def move(rid: str, day: str) -> Callable:
    """Move a review to another date, with the sessions that follow from it."""

    def edit(data: PlanData, s: Scenario) -> None:
        review = _review(data, rid)
        date = dt.date.fromisoformat(day)
        review["date"] = day
        review["sessions"] = [x.model_dump() for x in sessions_for(s, rid, date)]

    return edit


def extra_review(data: PlanData, s: Scenario) -> None:
    data["reviews"].append({**_review(data, "opr-pc"), "id": "opr-extra"})


def twice(data: PlanData, s: Scenario) -> None:
    data["reviews"].append(dict(_review(data, "opr-pb")))


def other_subject(data: PlanData, s: Scenario) -> None:
    _review(data, "opr-pb")["subject"] = "pa"


# -- scenario edits --------------------------------------------------------------------


def rules(**values: Any) -> Callable[[dict[str, Any]], None]:
    def edit(scenario: dict[str, Any]) -> None:
        scenario["rules"].update(values)

    return edit


def participant(pid: str, **values: Any) -> Callable[[dict[str, Any]], None]:
    def edit(scenario: dict[str, Any]) -> None:
        person = next(p for p in scenario["participants"] if p["id"] == pid)
        person.update(values)
        for key, value in values.items():
            if value is None:
                del person[key]

    return edit


def review(rid: str, **values: Any) -> Callable[[dict[str, Any]], None]:
    def edit(scenario: dict[str, Any]) -> None:
        next(r for r in scenario["reviews"] if r["id"] == rid).update(values)

    return edit


@dataclass
class Case:
    rule: str
    name: str
    edits: list[Callable[[PlanData, Scenario], None]]
    scenario: list[Callable[[dict[str, Any]], None]] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.rule}-{self.name}"


# fmt: off
CASES = [
    Case("H1", "unknown-review", [extra_review]),
    Case("H1", "review-twice", [twice]),
    Case("H1", "wrong-subject", [other_subject]),
    Case("H2", "saturday", [move("opr-pc", "2028-11-25")]),
    Case("H2", "kings-day", [move("opr-pa", "2028-04-27")]),
    # the visit (2028-05-11) is fine; the preparation a week before is in the May holiday
    Case("H2", "preparation-in-school-holiday", [move("opr-pa", "2028-05-11")]),
    # "Toetsweek noord" closes 2028-06-12..16 for pc (holiday_region noord) only
    Case("H2", "closed-for-noord", [move("opr-pc", "2028-06-14")]),
    Case("H2", "before-earliest", [move("opr-pb", "2028-02-24")]),
    Case("H2", "not-the-fixed-date", [move("opr-pc", "2028-11-28")], [review("opr-pc", fixed_date="2028-11-29")]),
    Case("H3", "too-large", [add("opr-pa", "b1", "student")]),
    Case("H3", "too-large-for-review-override", [add("opr-pb", "u3", "student")], [review("opr-pb", group_size={"min": 4, "max": 4})]),
    Case("H4", "wrong-role", [set_member("opr-pa", "b2", role="board")]),
    Case("H4", "unknown-participant", [add("opr-pb", "zz9", "board")]),
    Case("H4", "listed-twice", [add("opr-pb", "a2", "school_educator")]),
    Case("H5", "own-partnership", [replace("opr-pc", "u2", "c2", "school_educator")]),
    Case("H5", "declared-conflict", [replace("opr-pa", "c4", "b4", "board")]),
    Case("H6", "three-students", [add("opr-pc", "u3", "student")]),
    Case("H6", "no-school-educator", [replace("opr-pa", "b2", "b5", "student")]),
    Case("H7", "no-chair", [set_member("opr-pa", "c3", functions=[])]),
    Case("H7", "chair-who-cannot-chair", [set_member("opr-pa", "c3", functions=[]), set_member("opr-pa", "u1", functions=["chair"])]),
    Case("H7", "two-functions", [set_member("opr-pa", "c3", functions=["chair", "secretary"])]),
    Case("H8", "one-partnership", [replace("opr-pb", "c1", "u3", "student"), replace("opr-pb", "c5", "u2", "school_educator")], [rules(min_reviews_per_partnership=1)]),
    Case("H9", "three-of-pc", [add("opr-pb", "c2", "school_educator")]),
    # every organisation in tiny.yaml has two people, so allow only one per group
    Case("H10", "two-of-stichting-c1", [replace("opr-pb", "c5", "c2", "school_educator")], [rules(max_per_organisation=1)]),
    Case("H11", "two-regions", [replace("opr-pa", "u1", "u2", "school_educator")], [rules(min_regions=3)]),
    Case("H12", "one-from-outside", [replace("opr-pb", "c1", "u3", "student")], [rules(min_outside_subject_regions=2)]),
    Case("H13", "weekday", [replace("opr-pc", "a1", "a5", "school_educator")]),
    # a1 can make the visit on 2028-11-28 but not the preparation a week before
    Case("H13", "unavailable-on-preparation-day", [move("opr-pc", "2028-11-28")], [participant("a1", unavailable=["2028-11-21"])]),
    Case("H14", "three-reviews", [add("opr-pb", "u1", "board"), add("opr-pc", "u1", "board")]),
    Case("H14", "own-max-reviews", [add("opr-pb", "u1", "board")], [participant("u1", max_reviews=1)]),
    Case("H15", "fourteen-days", [add("opr-pb", "u2", "school_educator"), move("opr-pc", "2028-10-12")]),
    Case("H16", "avoid", [replace("opr-pa", "c4", "c2", "school_educator")]),
    Case("H16", "avoid-other-direction", [replace("opr-pa", "c4", "c2", "school_educator")], [participant("b2", avoid=None), participant("c2", avoid=["b2"])]),
    Case("H17", "same-week", [move("opr-pc", "2028-09-27")]),
    Case("H17", "three-in-a-week", [move("opr-pa", "2028-06-26"), move("opr-pb", "2028-06-28"), move("opr-pc", "2028-06-30")], [rules(max_reviews_per_week=2)]),
    Case("H18", "pa-in-one-review", [replace("opr-pc", "a1", "u3", "student")], [rules(min_partnerships=1)]),
]
# fmt: on


def test_every_rule_has_a_case() -> None:
    assert sorted({c.rule for c in CASES}, key=lambda r: int(r[1:])) == list(RULES)
    assert list(RULES) == [f"H{i}" for i in range(1, 19)]


def _scenario_file(case: Case, tmp_path: Path) -> Path:
    if not case.scenario:
        return TINY
    data = read_yaml_data(TINY)
    for edit in case.scenario:
        edit(data)
    return write_yaml_data(tmp_path / "tiny-variant.yaml", data)


def _broken(case: Case, s: Scenario, plan: Plan) -> Plan:
    data = plan_to_data(plan)
    for edit in case.edits:
        edit(data, s)
    return Plan.model_validate(data)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_rule_is_reported_alone(case: Case, tmp_path: Path, tiny_plan: Plan) -> None:
    scenario_path = _scenario_file(case, tmp_path)
    s = load_scenario(scenario_path)
    base = tiny_plan.model_copy(
        update={"scenario": tiny_plan.scenario.model_copy(update={"sha256": s.sha256})}
    )
    broken = _broken(case, s, base)

    fixed = evaluate(s, base)
    assert fixed.ok, [v.message for v in fixed.violations]
    result = evaluate(s, broken)
    assert result.rule_ids == [case.rule], [v.message for v in result.violations]
    assert all(v.message for v in result.violations)

    ok = run_cli("check", scenario_path, save_plan(base, tmp_path / "fixed.plan.yaml"))
    assert ok.exit_code == 0, ok.output
    assert rule_ids_in(ok.output) == []
    bad = run_cli("check", scenario_path, save_plan(broken, tmp_path / "broken.plan.yaml"))
    assert bad.exit_code == 1, bad.output
    assert rule_ids_in(bad.output) == [case.rule], bad.output
    assert "Traceback" not in bad.output


def test_violation_names_review_and_people(tiny: Scenario, tiny_plan: Plan) -> None:
    """A violation says where (review) and who (participants), for the coordinator."""
    broken = _broken(
        Case("H16", "avoid", [replace("opr-pa", "c4", "c2", "school_educator")]), tiny, tiny_plan
    )
    (violation,) = evaluate(tiny, broken).violations
    assert violation.rule == "H16"
    assert violation.review == "opr-pa"
    assert violation.participants == ("b2", "c2")
    assert "Gijs B" in violation.message and "Lars C" in violation.message


def test_rule_off_when_zero_or_null(tmp_path: Path, tiny_plan: Plan) -> None:
    """SPEC 2: a rule with value 0 or null is off."""
    s_off = load_scenario(
        write_yaml_data(
            tmp_path / "off.yaml",
            {
                **read_yaml_data(TINY),
                "rules": {
                    **read_yaml_data(TINY)["rules"],
                    "max_reviews_per_week": 0,
                    "min_days_between_reviews": None,
                },
            },
        )
    )
    broken = _broken(
        Case("H17", "x", [add("opr-pb", "u2", "school_educator"), move("opr-pc", "2028-09-27")]),
        s_off,
        tiny_plan,
    )
    assert evaluate(s_off, broken).ok
    s_on = load_scenario(TINY)
    assert evaluate(s_on, broken).rule_ids == ["H15", "H17"]
