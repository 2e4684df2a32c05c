"""Choices for a board: alternatives whose first plan is `solve`'s, ordered best first,
ties named, differences named; a sweep whose table opens in Dutch Excel and names ties."""

from __future__ import annotations

import io
from pathlib import Path

import python_calamine
from helpers import TINY, run_cli

from opr_planner.analysis.choice import apart, people_and_seats, ties
from opr_planner.plan import read_plan
from opr_planner.scenario import load_scenario
from opr_planner.sweep.report import best, verdict
from opr_planner.sweep.run import Outcome
from opr_planner.sweep.variants import Vary


def _groups(path: Path) -> list[tuple[str, str, list[str]]]:
    plan, _ = read_plan(path)
    return [(r.id, r.date.isoformat(), sorted(m.participant for m in r.members)) for r in plan.reviews]


def test_alt_1_is_the_plan_solve_makes_and_the_rest_come_best_first(tmp_path: Path) -> None:
    solved = run_cli("solve", TINY, "-o", tmp_path / "solve.plan.yaml", "--workers", "1", "--seed", "3", "-q")
    assert solved.exit_code == 0, solved.output
    run = run_cli("alternatives", TINY, "-n", "3", "-o", tmp_path / "alts", "--workers", "1", "--seed", "3")
    assert run.exit_code == 0, run.output
    assert _groups(tmp_path / "alts" / "alt-1.plan.yaml") == _groups(tmp_path / "solve.plan.yaml")
    objectives = [read_plan(tmp_path / "alts" / f"alt-{i}.plan.yaml")[0].objective for i in (1, 2, 3)]
    assert objectives[0] >= objectives[1] >= objectives[2]  # best first (solve's plan is proven optimal here)
    for i in (1, 2, 3):
        plan, _ = read_plan(tmp_path / "alts" / f"alt-{i}.plan.yaml")
        assert plan.solver is not None and plan.solver.variant["alternative"] == i


def test_alternatives_name_ties_and_what_differs(tmp_path: Path) -> None:
    run = run_cli("alternatives", TINY, "-n", "3", "-o", tmp_path, "--workers", "1")
    assert run.exit_code == 0, run.output
    plans = [read_plan(tmp_path / f"alt-{i}.plan.yaml")[0] for i in (1, 2, 3)]
    objectives = [p.objective for p in plans]
    for group in ties([f"alt-{i}" for i in (1, 2, 3)], objectives):
        assert f"{', '.join(group[:-1])} and {group[-1]} tie at objective" in run.stdout
    assert "people taking part" in run.stdout and "seats (memberships)" in run.stdout
    tiny = load_scenario(TINY)
    for i, plan in ((2, plans[1]), (3, plans[2])):
        a = apart(tiny, plans[0], plan)
        line = next(x for x in run.stdout.splitlines() if x.startswith(f"  alt-{i}: objective"))
        assert f"({a.delta:+d})" in line
        if a.joins:
            assert f"takes part only here: {a.joins[0]} " in run.stdout
        for review, old, new in a.moved:
            assert f"date of {review}: {old} -> {new}" in run.stdout
        assert a.groups  # they differ in memberships, so some group changes
        assert (a.people, a.seats) == people_and_seats(plan)


def test_apart_names_meetings_people_and_dates(tmp_path: Path) -> None:
    tiny = load_scenario(TINY)
    base, _ = read_plan(TINY.parent / "tiny.plan.yaml")
    other = base.model_copy(deep=True)
    review = other.reviews[0]
    leaver = review.members[0].participant
    review.members[0] = review.members[0].model_copy(update={"participant": "zz-not-in-base"})
    a = apart(tiny, base, other)
    assert leaver in a.leaves or any(leaver in out for _, _, out in a.groups)
    assert a.groups[0][0] == review.id


def _outcome(name: str, objective: int | None, status: str = "optimal") -> Outcome:
    return Outcome(name, {"rules.min_regions": 1}, status, objective=objective, people=10, seats=12)


def test_sweep_names_a_tie_and_refuses_to_compare_across_weights() -> None:
    outcomes = [_outcome("a", 100), _outcome("b", 102), _outcome("c", 102), _outcome("d", None, "infeasible")]
    assert [o.name for o in best(outcomes)] == ["b", "c"]
    rules = [Vary("rules.min_regions", (1, 2))]
    assert verdict(rules, outcomes).startswith("highest objective 102: b and c tie")
    assert verdict(rules, outcomes[:2]) == "highest objective 102: b"
    weights = [Vary("objectives.inclusion", (5, 50))]
    assert "do not compare" in verdict(weights, outcomes) and "highest" not in verdict(weights, outcomes)


def test_sweep_table_opens_in_dutch_excel_and_as_a_workbook(tmp_path: Path) -> None:
    run = run_cli(
        "sweep",
        TINY,
        "--vary",
        "rules.group_size.max=4,5",
        "-o",
        tmp_path,
        "--time-limit",
        "10",
        "--jobs",
        "1",
    )
    assert run.exit_code == 0, run.output
    raw = (tmp_path / "sweep.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    header = raw[3:].split(b"\r\n")[0].decode()
    assert header.split(";")[:3] == ["variant", "group_size.max", "feasible"]
    assert "people" in header.split(";") and "seats" in header.split(";")
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO((tmp_path / "sweep.xlsx").read_bytes()))
    rows = book.get_sheet_by_name("sweep").to_python()
    assert rows[0][0] == "variant" and len(rows) == 3
    people = rows[0].index("people")
    for row in rows[1:]:
        plan, _ = read_plan(tmp_path / row[-1])
        assert row[people] == people_and_seats(plan)[0]
