"""The conformance kit (shared/conformance): every plan is judged as an independent
checker judged it, by `evaluate` and by `opr-planner check`."""

from __future__ import annotations

import filecmp

import pytest
import yaml
from helpers import BUNDLED_KIT, KIT, SHARED_KIT, TINY, TINY_PLAN, rule_ids_in, run_cli

from opr_planner.evaluate import evaluate
from opr_planner.plan import read_plan
from opr_planner.scenario import load_scenario

EXPECTED: dict = yaml.safe_load((KIT / "expected.yaml").read_text(encoding="utf-8"))
SCENARIO = KIT / EXPECTED["scenario"]
PLANS = sorted(name for name in EXPECTED if name.endswith(".plan.yaml"))


def test_kit_is_complete() -> None:
    on_disk = sorted(p.name for p in KIT.glob("*.plan.yaml"))
    assert on_disk == PLANS
    assert "valid.plan.yaml" in PLANS
    assert len(PLANS) >= 17


@pytest.mark.skipif(
    not (SHARED_KIT / "expected.yaml").is_file(),
    reason=f"shared conformance kit not found at {SHARED_KIT} (the bundled copy in tests/data is used)",
)
def test_bundled_copy_matches_shared_kit() -> None:
    """tests/data/conformance must be a current copy: refresh it with
    `cp ../shared/conformance/*.yaml tests/data/conformance/` when this fails."""
    names = sorted(p.name for p in SHARED_KIT.glob("*.yaml"))
    _same, mismatch, errors = filecmp.cmpfiles(SHARED_KIT, BUNDLED_KIT, names, shallow=False)
    assert (mismatch, errors) == ([], [])


def test_the_tiny_fixtures_are_the_kit_scenario_and_its_valid_plan() -> None:
    """tests/data/tiny.yaml and tiny.plan.yaml stand for the kit's tiny.yaml and
    valid.plan.yaml (helpers.VALID_OBJECTIVE is read from the kit for them)."""
    assert filecmp.cmp(TINY, KIT / "tiny.yaml", shallow=False)
    assert filecmp.cmp(TINY_PLAN, KIT / "valid.plan.yaml", shallow=False)


def test_validate_accepts_the_kit_scenario() -> None:
    result = run_cli("validate", SCENARIO)
    assert result.exit_code == 0, result.output
    assert "OK: the scenario is valid" in result.stdout
    assert "Traceback" not in result.output


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(SCENARIO)


@pytest.mark.parametrize("name", PLANS)
def test_evaluate_matches_expected(scenario, name: str) -> None:
    want = EXPECTED[name]
    plan, warnings = read_plan(KIT / name)
    assert warnings == []
    result = evaluate(scenario, plan)
    assert result.rule_ids == want["breaks"], [v.message for v in result.violations]
    assert result.metrics == want["metrics"]
    assert result.objective == want["objective"]
    if plan.metrics is not None:  # a solver-made plan states its figures; they must be right
        assert plan.metrics == want["metrics"]
        assert plan.objective == want["objective"]


@pytest.mark.parametrize("name", PLANS)
def test_check_command_matches_expected(name: str) -> None:
    want = EXPECTED[name]
    result = run_cli("check", SCENARIO, KIT / name)
    assert "Traceback" not in result.output
    assert rule_ids_in(result.output) == want["breaks"], result.output
    assert result.exit_code == (1 if want["breaks"] else 0), result.output
    shown = _metric_table(result.stdout)
    assert shown == {**want["metrics"], "objective": want["objective"]}


def _metric_table(stdout: str) -> dict[str, int]:
    """The recomputed value column of `check`'s metrics table."""
    names = (*EXPECTED["valid.plan.yaml"]["metrics"], "objective")
    values: dict[str, int] = {}
    for line in stdout.splitlines():
        cells = line.split()
        if cells and cells[0] in names and len(cells) >= 2:
            # metric rows: name, value, contribution, stated; objective row: name, total, stated
            values[cells[0]] = int(cells[1])
    return values
