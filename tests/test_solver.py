"""The CP-SAT model is tested against the evaluator, never the other way round."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import KIT_OPTIMUM
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opr_planner.cli import main
from opr_planner.errors import InfeasibleError
from opr_planner.evaluate import evaluate
from opr_planner.plan import read_plan
from opr_planner.scenario import load_scenario
from opr_planner.scenario.generate import generate
from opr_planner.scenario.load import scenario_from_data
from opr_planner.solver.solve import SolveStatus, solve

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = ROOT / "scenarios" / "midden-nederland.yaml"


def conformance_dir() -> Path:
    shared = ROOT.parent / "shared" / "conformance"
    return shared if (shared / "tiny.yaml").exists() else ROOT / "tests" / "data" / "conformance"


def test_tiny_is_solved_to_the_known_optimum() -> None:
    result = solve(load_scenario(conformance_dir() / "tiny.yaml"), time_limit=30)
    assert result.status is SolveStatus.OPTIMAL
    assert result.objective == result.bound == KIT_OPTIMUM
    assert evaluate(load_scenario(conformance_dir() / "tiny.yaml"), result.plan).ok


def test_bundled_scenario_is_proven_optimal_and_passes_check(tmp_path: Path) -> None:
    out = tmp_path / "mn.plan.yaml"
    run = CliRunner().invoke(main, ["solve", str(BUNDLED), "-o", str(out), "--time-limit", "60"])
    assert run.exit_code == 0, run.output
    plan, _ = read_plan(out)
    assert plan.solver is not None and plan.solver.status == "optimal"
    assert plan.solver.objective == plan.solver.bound == plan.objective
    check = CliRunner().invoke(main, ["check", str(BUNDLED), str(out)])
    assert check.exit_code == 0, check.output
    assert evaluate(load_scenario(BUNDLED), plan).objective == plan.objective


def small_scenario(seed: int, partnerships: int, size: int, unaffiliated: int) -> dict:
    return generate(
        partnerships=partnerships,
        regions=4,
        participants_per_partnership=size,
        unaffiliated=unaffiliated,
        seed=seed,
        start=dt.date(2028, 1, 10),
        deadline=dt.date(2028, 7, 14),
    )


def test_every_solved_plan_passes_the_evaluator_with_the_same_objective() -> None:
    solved = infeasible = 0

    # Derandomized: about half of these small scenarios have no plan, so the number solved
    # is only a fixed, checkable figure when the examples are the same every run.
    @settings(max_examples=24, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
    @given(
        seed=st.integers(0, 10_000),
        partnerships=st.integers(2, 4),
        size=st.integers(5, 9),
        unaffiliated=st.integers(0, 3),
    )
    def check(seed: int, partnerships: int, size: int, unaffiliated: int) -> None:
        nonlocal solved, infeasible
        scenario = scenario_from_data(small_scenario(seed, partnerships, size, unaffiliated))
        try:
            result = solve(scenario, time_limit=10, workers=2, seed=seed % 7)
        except InfeasibleError as exc:
            assert exc.reasons, "an infeasible scenario must come with reasons"
            infeasible += 1
            return
        evaluation = evaluate(scenario, result.plan)
        assert evaluation.violations == ()
        assert evaluation.objective == result.objective == result.plan.objective
        assert evaluation.metrics == result.plan.metrics
        if result.status is SolveStatus.OPTIMAL:
            assert result.bound == result.objective
        solved += 1

    check()
    # Infeasible examples end early; enough must have been solved for the test to mean something.
    assert solved >= 12, f"only {solved} of {solved + infeasible} examples were solved"


def test_same_seed_and_one_worker_give_identical_plans(tmp_path: Path) -> None:
    texts = []
    for i in range(2):
        out = tmp_path / f"p{i}.plan.yaml"
        run = CliRunner().invoke(
            main, ["solve", str(BUNDLED), "-o", str(out), "--workers", "1", "--seed", "5", "-q"]
        )
        assert run.exit_code == 0, run.output
        texts.append([line for line in out.read_text().splitlines() if "seconds:" not in line])
    assert texts[0] == texts[1]


def _infeasible(tmp_path: Path, edit) -> tuple[int, str]:
    import yaml

    data = yaml.safe_load((conformance_dir() / "tiny.yaml").read_text())
    edit(data)
    path = tmp_path / "impossible.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    out = tmp_path / "impossible.plan.yaml"
    out.write_text("keep me")
    run = CliRunner().invoke(main, ["solve", str(path), "-o", str(out), "--time-limit", "20"])
    assert out.read_text() == "keep me", "an infeasible solve must not touch an existing plan"
    return run.exit_code, run.output


def test_no_independent_chair_is_explained(tmp_path: Path) -> None:
    def edit(d: dict) -> None:
        for p in d["participants"]:
            if p["id"] in ("b3", "c3"):  # the only chairs outside pa
                p.pop("functions", None)

    code, output = _infeasible(tmp_path, edit)
    assert code == 3, output
    assert "opr-pa" in output and "chair" in output and "rules.functions.chair" in output


def test_no_working_day_in_the_window_is_explained(tmp_path: Path) -> None:
    def edit(d: dict) -> None:
        d["reviews"][1]["earliest"] = "2028-07-17"  # inside the summer holidays of region midden
        d["reviews"][1]["latest"] = "2028-08-11"

    code, output = _infeasible(tmp_path, edit)
    assert code == 3, output
    assert "opr-pb" in output and "no working day" in output


def test_too_few_independent_students_is_explained(tmp_path: Path) -> None:
    def edit(d: dict) -> None:
        d["rules"]["composition"]["student"] = {"min": 2, "max": 2}
        for p in d["participants"]:
            if p["id"] in ("b1", "b5", "c1"):  # only a1 (pa) and u3 remain students
                p["role"] = "school_educator"

    code, output = _infeasible(tmp_path, edit)
    assert code == 3, output
    assert "opr-pa" in output and "rules.composition.student.min" in output


@pytest.mark.parametrize(
    "rule",
    [
        "min_partnerships",
        "max_per_partnership",
        "max_per_organisation",
        "min_regions",
        "min_outside_subject_regions",
        "max_reviews_per_participant",
        "min_days_between_reviews",
        "max_reviews_per_week",
        "min_reviews_per_partnership",
    ],
)
def test_a_rule_switched_off_is_solved(rule: str) -> None:
    """SPEC 2: 0 or null switches a rule off; the model must then simply leave it out."""
    import yaml

    data = yaml.safe_load((conformance_dir() / "tiny.yaml").read_text())
    data["rules"][rule] = 0 if rule != "max_reviews_per_participant" else None
    scenario = scenario_from_data(data)
    result = solve(scenario, time_limit=10, workers=1)
    assert evaluate(scenario, result.plan).ok
    assert result.objective >= KIT_OPTIMUM  # fewer rules: at least as good
