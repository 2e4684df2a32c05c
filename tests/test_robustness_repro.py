"""Every plan says where it came from: the scenario's sha256, the seed and the tool
version, whichever command wrote it; and a plan of another scenario version is
noticed: `check` warns, the exports refuse it unless --force."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from helpers import TINY, TINY_PLAN, read_yaml_data, run_cli, write_yaml_data

from opr_planner import __version__
from opr_planner.plan import Plan, read_plan

TINY_SHA = hashlib.sha256(TINY.read_bytes()).hexdigest()


def _provenance(plan: Plan) -> tuple[str | None, int | None, str | None]:
    assert plan.solver is not None
    return plan.scenario.sha256, plan.solver.seed, plan.solver.version


def test_solve_records_sha256_seed_and_version(tmp_path: Path) -> None:
    out = tmp_path / "p.plan.yaml"
    assert run_cli("solve", TINY, "-o", out, "--seed", "7", "--workers", "1", "-q").exit_code == 0
    assert _provenance(read_plan(out)[0]) == (TINY_SHA, 7, __version__)


def test_repair_records_sha256_seed_and_version(tmp_path: Path) -> None:
    out = tmp_path / "r.plan.yaml"
    result = run_cli("repair", TINY, TINY_PLAN, "-o", out, "--seed", "3", "--workers", "1", "-q")
    assert result.exit_code == 0, result.output
    assert _provenance(read_plan(out)[0]) == (TINY_SHA, 3, __version__)


def test_alternatives_record_sha256_seed_and_version(tmp_path: Path) -> None:
    out = tmp_path / "alts"
    result = run_cli("alternatives", TINY, "-n", "2", "-o", out, "--seed", "5", "--workers", "1", "-q")
    assert result.exit_code == 0, result.output
    plans = sorted(out.glob("alt-*.plan.yaml"))
    assert plans
    for path in plans:
        assert _provenance(read_plan(path)[0]) == (TINY_SHA, 5, __version__)


def test_sweep_plans_record_their_variant_file_seed_and_version(tmp_path: Path) -> None:
    out = tmp_path / "sweep"
    result = run_cli(
        "sweep", TINY, "--vary", "rules.group_size.max=5,6", "-o", out, "--seed", "2", "--jobs", "1", "-q"
    )
    assert result.exit_code == 0, result.output
    plans = sorted(out.glob("*.plan.yaml"))
    assert len(plans) == 2
    for path in plans:
        plan = read_plan(path)[0]
        variant_file = path.with_name(path.name.replace(".plan.yaml", ".scenario.yaml"))
        sha = hashlib.sha256(variant_file.read_bytes()).hexdigest()
        assert _provenance(plan) == (sha, 2, __version__)
        assert plan.solver is not None and plan.solver.variant is not None
        assert plan.solver.variant["base"]["sha256"] == TINY_SHA
        # the variant's scenario file and its plan belong together: check does not warn
        check = run_cli("check", variant_file, path)
        assert check.exit_code == 0 and "warning" not in check.stderr


@pytest.fixture
def changed(tmp_path: Path) -> Path:
    """tiny.yaml with one participant renamed: another sha256, the same plan still fits."""
    data = read_yaml_data(TINY)
    data["participants"][0]["name"] = "Renamed"
    return write_yaml_data(tmp_path / "changed.yaml", data)


def test_check_warns_when_the_scenario_changed_since_the_plan(changed: Path) -> None:
    result = run_cli("check", changed, TINY_PLAN)
    assert result.exit_code == 0
    assert f"warning: {TINY_PLAN} was made for a different version of {changed}" in result.stderr
    same = run_cli("check", TINY, TINY_PLAN)
    assert same.exit_code == 0 and same.stderr == ""


def test_check_does_not_warn_for_a_plan_without_a_sha256(tmp_path: Path) -> None:
    text = TINY_PLAN.read_text(encoding="utf-8")
    path = tmp_path / "manual.plan.yaml"
    path.write_text(text.replace(f"  sha256: {TINY_SHA}\n", ""), encoding="utf-8")
    result = run_cli("check", TINY, path)
    assert result.exit_code == 0 and result.stderr == ""


@pytest.mark.parametrize("kind", ["csv", "html", "ics"])
def test_exports_refuse_a_plan_of_another_version_unless_forced(
    kind: str, changed: Path, tmp_path: Path
) -> None:
    target = tmp_path / ("ics" if kind == "ics" else f"plan.{kind}")
    refused = run_cli("export", kind, changed, TINY_PLAN, "-o", target)
    assert refused.exit_code == 2
    assert "was made for another version" in refused.stderr and "--force" in refused.stderr
    assert not target.exists()
    forced = run_cli("export", kind, changed, TINY_PLAN, "-o", target, "--force")
    assert forced.exit_code == 0, forced.output
    assert "exported anyway (--force)" in forced.stderr
    assert target.exists()
