"""`repair` a coordinator can trust, on two rounds of reviews with a chair per group.

tests/data/rounds.yaml: 4 partnerships, 8 reviews in two rounds, 54 participants, groups of
4 to 6 with one chair; rounds.plan.yaml is its plan. Issue #12: repair changed chairs of
reviews nobody touched and reported neither that nor the additions (finding 1); one
drop-out added three members and moved another (finding 2); confirmed reviews that did not
change lost `confirmed`, so their events went from CONFIRMED to TENTATIVE (finding 4).
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

import pytest
from helpers import DATA, read_yaml_data, run_cli, write_yaml_data
from test_calendar_updates import read_events
from test_disruption import oracle, participant_parts, per_participant, shown

from opr_planner.analysis.suggest import suggest
from opr_planner.errors import NoSolutionError
from opr_planner.evaluate import evaluate
from opr_planner.plan import Plan, read_plan, write_plan
from opr_planner.scenario import Scenario, load_scenario
from opr_planner.scenario.load import scenario_from_data
from opr_planner.solver.repair import Repair, repair

ROUNDS = DATA / "rounds.yaml"
ROUNDS_PLAN = DATA / "rounds.plan.yaml"
LIMIT = 10.0

# In rounds.plan.yaml: opr-ps-01-1 on 2028-09-19 is los-003, ps-02-003 (chair), ps-02-010 and
# ps-04-001, four: the minimum; opr-ps-03-1 on 2028-05-29 has six members, two students.
DAY = "2028-09-19"


def data() -> dict[str, Any]:
    return read_yaml_data(ROUNDS)


def old_plan() -> Plan:
    return read_plan(ROUNDS_PLAN)[0]


def unavailable(d: dict[str, Any], pid: str, day: str) -> dict[str, Any]:
    for p in d["participants"]:
        if p["id"] == pid:
            p["unavailable"] = [*(p.get("unavailable") or []), day]
    return d


def confirm(plan: Plan, reviews: tuple[str, ...] = (), members: tuple[str, ...] = ()) -> Plan:
    out = []
    for r in plan.reviews:
        ms = [m.model_copy(update={"confirmed": m.participant in members}) for m in r.members]
        out.append(r.model_copy(update={"confirmed": r.id in reviews, "members": ms}))
    return plan.model_copy(update={"reviews": out})


def fixed(d: dict[str, Any], plan: Plan | None = None) -> tuple[Scenario, Repair]:
    scenario = scenario_from_data(d)
    result = repair(scenario, plan or old_plan(), time_limit=LIMIT, seed=0, workers=1)
    assert evaluate(scenario, result.plan).ok, "a repaired plan obeys every rule"
    return scenario, result


def state(plan: Plan) -> dict[str, Any]:
    """Everything a review is in a plan file, except metrics and backups."""
    return {
        r.id: (
            r.date,
            r.confirmed,
            sorted((m.participant, tuple(m.functions), m.confirmed) for m in r.members),
        )
        for r in plan.reviews
    }


def test_one_dropout_with_a_same_date_stand_in_changes_two_memberships_and_nothing_else() -> None:
    before = confirm(old_plan(), reviews=("opr-ps-02-1", "opr-ps-03-2"), members=("los-003", "ps-04-010"))
    scenario, result = fixed(unavailable(data(), "ps-02-010", DAY), before)
    d = result.disruption
    assert d.figures == (0, 2, 0)
    [change] = d.reviews
    assert change.review == "opr-ps-01-1" and change.left == ("ps-02-010",) and len(change.joined) == 1
    [joiner] = change.joined
    assert len(result.plan.review["opr-ps-01-1"].members) == 4, (
        "a group of four (the minimum) needs a stand-in"
    )
    standins = {s.participant for s in suggest(scenario, before, "opr-ps-01-1", "ps-02-010").stand_ins}
    assert joiner in standins, "a stand-in on the same date, as `suggest` lists them"
    after, was = state(result.plan), state(before)
    assert {k: v for k, v in after.items() if k != "opr-ps-01-1"} == {
        k: v for k, v in was.items() if k != "opr-ps-01-1"
    }, "every other review, its chair and its confirmed flags stay as they were"
    kept = {m.participant for m in result.plan.review["opr-ps-01-1"].members if m.confirmed}
    assert kept == {"los-003"}, "the confirmed member of the changed review stays confirmed"
    assert [s.value for s in result.stages] == [0, 2, 0, result.plan.objective]
    assert result.proven


def test_a_chair_who_drops_out_is_replaced_by_someone_who_can_chair_and_it_is_reported(
    tmp_path: Path,
) -> None:
    d = unavailable(data(), "ps-02-003", DAY)
    scenario, result = fixed(d)
    assert result.disruption.figures == (0, 2, 1)
    [change] = result.disruption.reviews
    [f] = change.functions
    assert (f.function, f.old) == ("chair", ("ps-02-003",))
    [chair] = f.new
    assert "chair" in scenario.participant[chair].functions, "the new chair can chair"
    assert {k: v for k, v in state(result.plan).items() if k != "opr-ps-01-1"} == {
        k: v for k, v in state(old_plan()).items() if k != "opr-ps-01-1"
    }
    scenario_path = write_yaml_data(tmp_path / "rounds.yaml", d)
    run = run_cli("repair", scenario_path, ROUNDS_PLAN, "-o", tmp_path / "new.plan.yaml", "--workers", 1)
    assert run.exit_code == 0, run.output
    name, new_name = scenario.participant["ps-02-003"].name, scenario.participant[chair].name
    assert f"chair: ps-02-003 ({name}) -> {chair} ({new_name})" in run.stdout
    assert f"{chair} ({new_name}): " in run.stdout and "now chair of opr-ps-01-1" in run.stdout
    assert "changed_functions 1" in run.stdout


def test_a_group_that_stays_valid_without_the_leaver_loses_one_member_and_the_report_says_so(
    tmp_path: Path,
) -> None:
    """SPEC 5 ranks fewer changed memberships first: a group of six that stays valid without
    the leaver is not given a stand-in (that would be two changes); the report says how to
    add one if the coordinator wants to."""
    d = unavailable(data(), "los-004", "2028-05-29")
    _, result = fixed(d)
    assert result.disruption.figures == (0, 1, 0)
    assert len(result.plan.review["opr-ps-03-1"].members) == 5
    scenario_path = write_yaml_data(tmp_path / "rounds.yaml", d)
    run = run_cli("repair", scenario_path, ROUNDS_PLAN, "-o", tmp_path / "new.plan.yaml", "--workers", 1)
    assert run.exit_code == 0, run.output
    assert "opr-ps-03-1 has 5 members now (6 before)" in run.stdout
    assert "opr-planner suggest" in run.stdout and "--review opr-ps-03-1 --replace los-004" in run.stdout


def test_confirmed_reviews_that_did_not_change_stay_confirmed_in_the_plan_and_the_calendars(
    tmp_path: Path,
) -> None:
    everything = tuple(r.id for r in old_plan().reviews)
    before = confirm(old_plan(), reviews=everything)
    old_path = tmp_path / "old.plan.yaml"
    write_plan(before, old_path)
    scenario_path = write_yaml_data(tmp_path / "rounds.yaml", unavailable(data(), "ps-02-010", DAY))
    new_path = tmp_path / "new.plan.yaml"
    run = run_cli("repair", scenario_path, old_path, "-o", new_path, "--workers", 1, "--backups", 1)
    assert run.exit_code == 0, run.output
    new, _ = read_plan(new_path)
    assert [r.id for r in new.reviews if r.confirmed] == [r for r in everything if r != "opr-ps-01-1"]
    changed = new.review["opr-ps-01-1"]
    assert {m.participant for m in changed.members if m.confirmed} == {"los-003", "ps-02-003", "ps-04-001"}
    assert all(r.backups for r in new.reviews), "--backups computed for the repaired plan"

    out = tmp_path / "ics"
    assert run_cli("export", "ics", ROUNDS, old_path, "-o", out).exit_code == 0
    update = run_cli("export", "ics", scenario_path, new_path, "-o", out, "--previous", old_path)
    assert update.exit_code == 0, update.output
    events = read_events(out / "all.ics")
    changed_uids = {u for u, e in events.items() if e["seq"] > 0}
    assert len(changed_uids) == 3, "the three sessions of the changed review"
    assert {e["status"] for u, e in events.items() if u not in changed_uids} == {"CONFIRMED"}


def _section(text: str, start: str) -> list[str]:
    """The change lines printed after the line starting with `start`, up to a blank line,
    as `change_lines` gives them (both commands indent them by two spaces)."""
    lines = text.splitlines()
    i = next(i for i, line in enumerate(lines) if line.startswith(start))
    out = []
    for line in lines[i + 1 :]:
        if not line.strip():
            break
        assert line.startswith("  "), line
        out.append(line[2:])
    return out


def test_repair_prints_exactly_the_differences_compare_finds_and_every_difference_of_the_files(
    tmp_path: Path,
) -> None:
    d = unavailable(unavailable(data(), "ps-02-003", DAY), "ps-04-002", "2028-05-29")
    d["calendar"].setdefault("closed", []).append(
        {"name": "Verbouwing", "from": "2028-02-14", "to": "2028-02-14"}
    )
    scenario_path = write_yaml_data(tmp_path / "rounds.yaml", d)
    old_path = tmp_path / "old.plan.yaml"
    write_plan(confirm(old_plan(), reviews=("opr-ps-02-1",)), old_path)
    new_path = tmp_path / "new.plan.yaml"
    repaired = run_cli(
        "repair", scenario_path, old_path, "-o", new_path, "--workers", 1, "--time-limit", LIMIT
    )
    assert repaired.exit_code == 0, repaired.output
    compared = run_cli("compare", scenario_path, old_path, new_path)
    assert compared.exit_code == 0, compared.output
    printed = _section(repaired.stdout, "Changes:")
    found = _section(compared.stdout, "new.plan.yaml against old.plan.yaml:")
    assert printed and sorted(printed) == sorted(found), "one diff, worded once"
    summary = re.search(
        r"(\d+) review\(s\) moved, (\d+) membership\(s\) changed, (\d+) function", repaired.stdout
    )
    assert summary is not None and summary.group(0) in compared.stdout
    assert int(summary.group(1)) >= 1 and int(summary.group(3)) == 1  # a moved review, one new chair

    old_data, new_data = read_yaml_data(old_path), read_yaml_data(new_path)
    items, figures = oracle(old_data, new_data)
    scenario = load_scenario(scenario_path)
    assert shown(items, printed, scenario) == [], "every difference of the two files is printed"
    assert participant_parts(printed, scenario) == per_participant(old_data, new_data), (
        "and per participant: each join, leave, move and function, nothing else"
    )
    assert tuple(int(g) for g in summary.groups()) == figures


def test_the_time_limit_holds_from_start_to_result() -> None:
    """Every stage runs against one deadline: with a tight limit the stages that do not fit
    are cut or not run, and the plan of the last stage that finished is returned, valid (or,
    when not even the first stage found a plan, exit 4's error), within the limit."""
    d = unavailable(unavailable(data(), "ps-02-003", DAY), "ps-04-002", "2028-05-29")
    d["calendar"].setdefault("closed", []).append({"name": "Dicht", "from": "2028-02-01", "to": "2028-03-31"})
    scenario = scenario_from_data(d)
    began = time.perf_counter()
    try:
        result = repair(scenario, old_plan(), time_limit=2.0, seed=0, workers=2, start=began)
    except NoSolutionError:
        result = None
    elapsed = time.perf_counter() - began
    # The promise is 2 s; the allowance for stopping (a CP-SAT stage winding down, the last
    # plan judged) is 1 s on a quiet machine and grows with the load: on 2 cores shared by
    # 5 busy processes every step takes some 2.5 times as long. Without the deadline this
    # repair runs all its stages, 4-5 s here.
    load = os.getloadavg()[0] / (os.cpu_count() or 1)
    allowance = 1.0 * max(1.0, load)
    assert elapsed < 2.0 + allowance, f"{elapsed:.2f} s for a 2 s limit (load per core {load:.1f})"
    if result is not None:
        assert evaluate(scenario, result.plan).ok
        assert result.proven == (result.result.status.value == "optimal")
        ran = [s.value is not None for s in result.stages]
        assert ran == sorted(ran, reverse=True), "after a stage that did not run, none ran"


@pytest.mark.parametrize("workers", [1])
def test_repair_is_reproducible_on_two_rounds(tmp_path: Path, workers: int) -> None:
    scenario_path = write_yaml_data(tmp_path / "rounds.yaml", unavailable(data(), "ps-02-003", DAY))
    texts = []
    for i in range(2):
        out = tmp_path / f"r{i}.plan.yaml"
        run = run_cli("repair", scenario_path, ROUNDS_PLAN, "-o", out, "--workers", workers, "-q")
        assert run.exit_code == 0, run.output
        texts.append([line for line in out.read_text().splitlines() if "seconds:" not in line])
    assert texts[0] == texts[1]
