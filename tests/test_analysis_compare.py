"""compare: every metric side by side, broken plans marked, what differs, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import KIT, TINY, TINY_PLAN, VALID_OBJECTIVE, read_yaml_data, run_cli, write_yaml_data

from opr_planner.analysis.compare import compare, diff_plans, table_rows
from opr_planner.analysis.disruption import disruption
from opr_planner.cli import main
from opr_planner.plan import Plan, read_plan
from opr_planner.scenario import Scenario
from opr_planner.scenario.models import METRICS

BAD_CLOSE = KIT / "bad-too-close.plan.yaml"  # opr-pc moved to 2028-07-04 and u1 added
BAD_MISSING = KIT / "bad-missing-review.plan.yaml"  # opr-pc left out


def _plan(path: Path) -> Plan:
    return read_plan(path)[0]


def test_every_metric_objective_and_violations_side_by_side(tiny: Scenario, tiny_plan: Plan) -> None:
    c = compare(tiny, [("valid", tiny_plan), ("close", _plan(BAD_CLOSE))])
    rows = dict(table_rows(c))
    for metric in (*METRICS, "max_load"):
        assert metric in rows and len(rows[metric]) == 2
    assert rows["objective"][0] == str(VALID_OBJECTIVE)
    assert rows["hard-rule violations"] == ["0", "1 (H15)"]
    assert rows["moved reviews vs first"] == ["—", "1"]
    assert rows["objective gap to best"][0] == "0"
    assert [p.ok for p in c.plans] == [True, False]


def test_what_differs(tiny: Scenario, tiny_plan: Plan) -> None:
    d = diff_plans(tiny, ("valid", tiny_plan), ("close", _plan(BAD_CLOSE)))
    # SPEC 5 counts memberships both ways: u1 joining is one changed membership.
    assert (d.moved_reviews, d.changed_memberships, d.changed_functions) == (1, 1, 0)
    [change] = d.changes
    assert change.review == "opr-pc" and change.moved and change.days == -148
    assert change.joined == ("u1",) and change.left == ()
    back = diff_plans(tiny, ("close", _plan(BAD_CLOSE)), ("valid", tiny_plan))
    assert (back.moved_reviews, back.changed_memberships) == (1, 1)  # symmetric


def test_a_missing_review_is_reported(tiny: Scenario, tiny_plan: Plan) -> None:
    d = diff_plans(tiny, ("valid", tiny_plan), ("missing", _plan(BAD_MISSING)))
    missing = [ch for ch in d.changes if ch.new_date is None]
    assert [ch.review for ch in missing] == ["opr-pc"]
    assert missing[0].left == ("a1", "b1", "b3", "u2")
    # A review removed counts its members and its chair (SPEC 5).
    assert (d.moved_reviews, d.changed_memberships, d.changed_functions) == (0, 4, 1)
    # The same figures as `repair` reports (one implementation of SPEC 5's disruption).
    same = disruption(tiny_plan, _plan(BAD_MISSING))
    assert (d.moved_reviews, d.changed_memberships) == (same.moved_reviews, same.changed_memberships)


def test_same_labels_are_made_unique(tiny: Scenario, tiny_plan: Plan) -> None:
    c = compare(tiny, [("plan.yaml", tiny_plan), ("plan.yaml", tiny_plan)])
    assert [p.label for p in c.plans] == ["plan.yaml", "plan.yaml (2)"]
    assert dict(table_rows(c))["changed memberships vs first"] == ["—", "0"]


def test_plans_of_a_scenario_variant_are_judged_under_the_given_scenario(
    tmp_path: Path, tiny: Scenario, tiny_plan: Plan
) -> None:
    variant = tiny_plan.model_copy(
        update={"scenario": tiny_plan.scenario.model_copy(update={"sha256": "0" * 64})}
    )
    c = compare(tiny, [("base", tiny_plan), ("variant", variant)])
    assert [p.same_scenario for p in c.plans] == [True, False]
    assert c.plans[1].evaluation.objective == VALID_OBJECTIVE
    assert dict(table_rows(c))["made for these data"] == ["yes", "no (variant)"]


def test_cli_prints_every_metric_for_every_plan_and_the_differences() -> None:
    result = run_cli("compare", TINY, TINY_PLAN, BAD_CLOSE, BAD_MISSING)
    assert result.exit_code == 0, result.output
    text = result.stdout
    lines: dict[str, list[str]] = {}
    for line in text.splitlines():
        words = line.split()
        if words and words[0] in {*METRICS, "max_load", "objective"}:
            lines.setdefault(words[0], words[1:])
    for metric in (*METRICS, "max_load", "objective"):
        assert len(lines[metric]) == 3, metric
    assert lines["objective"] == [str(VALID_OBJECTIVE), "99", "71"]
    assert "bad-too-close.plan.yaml (!)" in text and "H15" in text
    assert "opr-pc: date 2028-11-29 -> 2028-07-04 (-148 days)" in text
    assert "in:  u1 (Pien U)" in text
    assert "u1 (Pien U): into opr-pc" in text
    assert "opr-pc: removed (was on 2028-11-29)" in text
    assert "chair: b3 (Hanna B) -> nobody" in text


def test_cli_needs_two_plans_and_readable_files(tmp_path: Path) -> None:
    assert run_cli("compare", TINY, TINY_PLAN).exit_code == 2
    bad = tmp_path / "broken.plan.yaml"
    bad.write_text("format: opr-plan/1\nreviews: [\n", encoding="utf-8")
    result = run_cli("compare", TINY, TINY_PLAN, bad)
    assert result.exit_code == 2 and "broken.plan.yaml" in result.stderr and "Traceback" not in result.output


@pytest.mark.skipif("solve" not in main.commands, reason="the solver is not registered yet")
def test_cli_compares_two_real_solved_plans(tmp_path: Path) -> None:
    """Two plans solved from variants (groups of at most 4 vs 5), judged under the original."""
    data = read_yaml_data(TINY)
    data["rules"]["group_size"] = {"min": 4, "max": 4}
    small = write_yaml_data(tmp_path / "max4.yaml", data)
    for scenario, out in ((TINY, "max5.plan.yaml"), (small, "max4.plan.yaml")):
        solved = run_cli(
            "solve",
            scenario,
            "-o",
            tmp_path / out,
            "--seed",
            "0",
            "--workers",
            "1",
            "--time-limit",
            "30",
            "--quiet",
        )
        assert solved.exit_code == 0, solved.output
    result = run_cli("compare", TINY, tmp_path / "max5.plan.yaml", tmp_path / "max4.plan.yaml")
    assert result.exit_code == 0, result.output
    for metric in (*METRICS, "max_load", "objective"):
        assert any(line.startswith(metric + " ") for line in result.stdout.splitlines()), metric
    assert "no (variant)" in result.stdout
    assert "max4.plan.yaml against max5.plan.yaml" in result.stdout
