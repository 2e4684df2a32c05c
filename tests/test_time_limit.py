"""The time limit as a promise (issue #15): stage times, and wall time from start to plan written."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import TINY, read_yaml_data, run_cli, write_yaml_data

from opr_planner.errors import NoSolutionError
from opr_planner.plan import read_plan, write_plan
from opr_planner.scenario import load_scenario
from opr_planner.scenario.generate import generate
from opr_planner.solver.params import Tuning
from opr_planner.solver.solve import solve


def test_verbose_prints_the_time_of_every_stage(tmp_path: Path) -> None:
    run = run_cli(
        "solve", TINY, "--time-limit", "2", "--workers", "1", "-o", tmp_path / "p.yaml", "--verbose"
    )
    assert run.exit_code == 0, run.output
    (line,) = [line for line in run.stderr.splitlines() if line.startswith("stages: ")]
    times = {name: float(value) for name, value in re.findall(r"(\w+) ([0-9.]+) s", line)}
    assert {"load", "compile", "greedy", "search", "write", "total"} <= set(times)
    stages = [v for k, v in times.items() if k != "total"]
    # Each figure is rounded to 0.01 s, so the printed parts may exceed the total by half a
    # hundredth each (seen in CI: 0.13 summed against a total of 0.12).
    assert times["total"] >= sum(stages) - 0.005 * (len(stages) + 1)
    assert any(line.startswith("search: ") for line in run.stderr.splitlines())


def test_without_verbose_no_stage_times(tmp_path: Path) -> None:
    run = run_cli("solve", TINY, "--time-limit", "2", "--workers", "1", "-o", tmp_path / "p.yaml")
    assert run.exit_code == 0, run.output
    assert "stages: " not in run.stderr


@pytest.fixture(scope="module")
def busy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A medium scenario with busy calendars (CP-SAT and local search stay busy to the end:
    it is not proven in seconds) and a plan of it, one of whose members fell ill since."""
    folder = tmp_path_factory.mktemp("busy")
    data = generate(
        partnerships=10,
        regions=12,
        participants_per_partnership=24,
        unaffiliated=12,
        seed=3,
        calendars="busy",
    )
    scenario = write_yaml_data(folder / "busy.yaml", data)
    plan = solve(load_scenario(scenario), time_limit=1.5, seed=3, tuning=Tuning(large_candidates=0)).plan
    write_plan(plan, folder / "busy.plan.yaml")
    review = plan.reviews[0]
    ill = sorted(review.member_ids)[0]
    for p in data["participants"]:
        if p["id"] == ill:
            p["unavailable"] = [review.date.isoformat()]
    write_yaml_data(folder / "ill.yaml", data)
    return folder, folder / "busy.plan.yaml"


# command -> (its arguments after the scenario, the seconds promised): alternatives' limit
# is per plan, so two plans are promised twice the limit.
PROMISES = {
    "solve": (["busy.yaml", "-o", "out.plan.yaml", "-q", "--verbose"], 6.0),
    # Reproducible: CP-SAT counts deterministic time, which on this LP-heavy model runs
    # slower than the clock (counted at 1 unit per second, this took ~2x the limit).
    "solve --workers 1": (["busy.yaml", "-o", "out.plan.yaml", "-q", "--workers", "1"], 6.0),
    "repair": (["ill.yaml", "busy.plan.yaml", "-o", "out.plan.yaml", "-q"], 10.0),
    "alternatives": (["busy.yaml", "-n", "2", "-o", "alts", "-q"], 2 * 3.0),
    "suggest": (["busy.yaml", "busy.plan.yaml", "--review", "REVIEW", "--replace", "MEMBER"], 5.0),
}


@pytest.mark.parametrize("command", list(PROMISES))
def test_the_time_limit_holds_from_start_to_plan_written_on_busy_calendars(
    busy: tuple[Path, Path], command: str
) -> None:
    """The command as a user runs it, in a new process: importing, loading, compiling, the
    greedy start, the search and writing all spend from --time-limit. The ratio is generous:
    the machine may be shared; before, the search alone took the whole limit after
    everything else (solve: ~1.6x the limit)."""
    folder, plan_path = busy
    args, promised = PROMISES[command]
    command = command.split()[0]
    if command == "suggest":
        review = read_plan(plan_path)[0].reviews[0]
        args = [*args[:3], review.id, "--replace", sorted(review.member_ids)[0]]
    limit = promised / 2 if command == "alternatives" else promised
    entry = [sys.executable, "-c", "from opr_planner.entry import run; run()", command]
    began = time.perf_counter()
    run = subprocess.run(
        [*entry, *args, "--time-limit", str(limit)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=folder,
    )
    wall = time.perf_counter() - began
    assert run.returncode == 0, run.stderr
    written = {"solve": "out.plan.yaml", "repair": "out.plan.yaml", "alternatives": "alts/alt-1.plan.yaml"}
    if command in written:
        assert (folder / written[command]).exists()
    assert wall / promised < 1.35, f"{command}: {wall:.2f} s for {promised:g} s promised: {run.stderr[-500:]}"


def test_too_many_reviews_for_the_weeks_is_found_before_any_search(tmp_path: Path) -> None:
    """H17 as a counting shortfall: a maximum matching of reviews to week places. Before,
    a national scenario with 320 reviews and two a week searched for 14 minutes and 13 GiB."""
    data = read_yaml_data(TINY)
    for review in data["reviews"]:
        review.update(earliest="2028-02-07", latest="2028-02-25")  # three weeks for three reviews
    data["rules"]["max_reviews_per_week"] = 1
    fits = run_cli("validate", write_yaml_data(tmp_path / "fits.yaml", data))
    assert "must each take a week" not in fits.output
    for review in data["reviews"][1:]:
        review.update(earliest="2028-02-07", latest="2028-02-11")  # two of them in one week
    crowded = run_cli("validate", write_yaml_data(tmp_path / "crowded.yaml", data))
    assert crowded.exit_code == 2
    assert "3 reviews must each take a week of their window, at most 1 a week" in crowded.output
    assert "room for only 2" in crowded.output


def test_a_large_scenario_without_a_greedy_start_is_not_modelled_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without a valid start, national-size scenarios would build a CP-SAT model of many GiB;
    `solve` says instead where the greedy start got stuck (exit 4)."""
    import opr_planner.solver.solve as solve_module

    monkeypatch.setattr(
        solve_module, "greedy_attempt", lambda data, marginal: (None, "review x: no chair left")
    )

    def no_model(*args: object, **kwargs: object) -> None:
        raise AssertionError("the whole model was built")

    monkeypatch.setattr(solve_module, "PlanModel", no_model)
    scenario = load_scenario(TINY)
    with pytest.raises(NoSolutionError, match=r"greedy start found none \(review x: no chair left\)"):
        solve(scenario, time_limit=5, tuning=Tuning(large_candidates=0))


def test_progress_calls_only_the_first_plan_the_greedy_start(capsys: pytest.CaptureFixture[str]) -> None:
    """Local search's plans before CP-SAT has one (its count still 0) were all labelled
    'greedy start'."""
    from opr_planner.cli.solve import ProgressPrinter
    from opr_planner.solver.result import Progress

    printer = ProgressPrinter()
    for seconds, objective in ((0.1, 100), (0.2, 105), (0.3, 110)):
        printer(Progress(seconds, objective, None, 0))
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 3 and "greedy start" in lines[0]
    assert not any("greedy start" in line for line in lines[1:]) and "plans    0" in lines[1]
