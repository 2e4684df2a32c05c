"""The data fingerprint (SPEC 5, `scenario.data_sha256`): a plan knows which data it was made for.

Issue #12, finding 5: after editing only the participants CSV, `compare` still said the
plan was "made for this scenario file: yes", because the fingerprint covered the YAML only.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from helpers import REPO, TINY, TINY_PLAN, run_cli

from opr_planner.analysis.compare import compare, table_rows
from opr_planner.plan import made_for, read_plan, write_plan
from opr_planner.scenario import load_scenario

CSV_SCENARIO = REPO / "scenarios" / "midden-nederland-csv"


@pytest.fixture
def csv_folder(tmp_path: Path) -> Path:
    """A copy of the bundled scenario that reads its participants from a CSV, with a plan."""
    folder = tmp_path / "mn"
    shutil.copytree(CSV_SCENARIO, folder)
    run = run_cli(
        "solve", folder / "midden-nederland.yaml", "-o", folder / "plan.yaml", "--workers", "1",
        "--time-limit", "5", "-q",
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    return folder


def _edit_csv(folder: Path) -> None:
    """Change one participant's e-mail address: only the CSV changes."""
    path = folder / "participants.csv"
    text = path.read_text(encoding="utf-8")
    assert "lotte.brouwers@example.org" in text
    path.write_text(text.replace("lotte.brouwers@example.org", "l.brouwers@example.org"), encoding="utf-8")


def test_data_sha256_covers_the_scenario_file_and_its_participants_file() -> None:
    s = load_scenario(CSV_SCENARIO / "midden-nederland.yaml")
    yaml_bytes = (CSV_SCENARIO / "midden-nederland.yaml").read_bytes()
    csv_bytes = (CSV_SCENARIO / "participants.csv").read_bytes()
    assert s.sha256 == hashlib.sha256(yaml_bytes).hexdigest(), "sha256 keeps its meaning"
    assert s.data_sha256 == hashlib.sha256(yaml_bytes + csv_bytes).hexdigest()
    inline = load_scenario(TINY)
    assert inline.data_sha256 == inline.sha256, "without a participants file both are the same"


def test_a_solved_plan_records_both_fingerprints(csv_folder: Path) -> None:
    plan, _ = read_plan(csv_folder / "plan.yaml")
    s = load_scenario(csv_folder / "midden-nederland.yaml")
    assert (plan.scenario.sha256, plan.scenario.data_sha256) == (s.sha256, s.data_sha256)
    assert made_for(plan, s).same is True
    text = (csv_folder / "plan.yaml").read_text(encoding="utf-8")
    assert f"data_sha256: {s.data_sha256}" in text


def test_editing_only_the_participants_file_is_noticed_everywhere(csv_folder: Path) -> None:
    scenario, plan = csv_folder / "midden-nederland.yaml", csv_folder / "plan.yaml"
    _edit_csv(csv_folder)
    s = load_scenario(scenario)
    p, _ = read_plan(plan)
    origin = made_for(p, s)
    assert (origin.scenario_file, origin.data, origin.same) == (True, False, False)

    rows = dict(table_rows(compare(s, [("plan", p), ("again", p)])))
    assert rows["made for these data"] == ["no (participants file differs)"] * 2

    checked = run_cli("check", scenario, plan)
    assert checked.exit_code == 0, checked.output
    assert "made for a different version" in checked.stderr
    assert "(the participants file differs)" in checked.stderr

    compared = run_cli("compare", scenario, plan, plan)
    assert "no (participants file differs)" in compared.stdout

    repaired = run_cli(
        "repair", scenario, plan, "-o", csv_folder / "new.plan.yaml", "--workers", "1", "--time-limit", "5"
    )
    assert repaired.exit_code == 0, repaired.output
    assert "(the participants file differs): repairing for the data as they are now" in repaired.stderr
    new, _ = read_plan(csv_folder / "new.plan.yaml")
    assert new.scenario.data_sha256 == s.data_sha256, "the repaired plan is made for the data as they are"

    refused = run_cli("export", "ics", scenario, plan, "-o", csv_folder / "ics")
    assert refused.exit_code == 2 and "the participants file differs" in refused.stderr
    forced = run_cli("export", "ics", scenario, plan, "-o", csv_folder / "ics", "--force")
    assert forced.exit_code == 0 and "exported anyway" in forced.stderr


def test_a_plan_without_data_sha256_is_judged_by_sha256(tmp_path: Path) -> None:
    s = load_scenario(TINY)
    plan, _ = read_plan(TINY_PLAN)
    old = plan.model_copy(update={"scenario": plan.scenario.model_copy(update={"data_sha256": None})})
    assert made_for(old, s).same is True
    other = old.model_copy(update={"scenario": old.scenario.model_copy(update={"sha256": "0" * 64})})
    assert made_for(other, s).label == "no (variant)"
    path = tmp_path / "old.plan.yaml"
    write_plan(old, path)
    assert "data_sha256" not in path.read_text(encoding="utf-8")
