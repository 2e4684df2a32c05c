"""`opr-planner init DIR` writes a starter that validates, and never overwrites by accident."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from opr_planner.cli import main
from opr_planner.scenario import load_scenario


def test_init_writes_a_valid_commented_starter(tmp_path: Path) -> None:
    target = tmp_path / "regio"
    run = CliRunner().invoke(main, ["init", str(target)])
    assert run.exit_code == 0, run.output
    text = (target / "scenario.yaml").read_text(encoding="utf-8")
    assert text.lstrip().startswith("#") and "participants_file: participants.csv" in text
    scenario = load_scenario(target / "scenario.yaml")
    assert len(scenario.participants) > 50 and len(scenario.reviews) == 3
    assert CliRunner().invoke(main, ["validate", str(target / "scenario.yaml")]).exit_code == 0


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    (tmp_path / "scenario.yaml").write_text("mine", encoding="utf-8")
    run = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert run.exit_code == 2
    assert "already exists" in run.output and "--force" in run.output
    assert (tmp_path / "scenario.yaml").read_text(encoding="utf-8") == "mine"
    assert CliRunner().invoke(main, ["init", str(tmp_path), "--force"]).exit_code == 0
    assert (tmp_path / "scenario.yaml").read_text(encoding="utf-8") != "mine"
