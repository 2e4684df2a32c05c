"""Duplicate-name warnings that scale (issue #15): the likely duplicates listed, the first few
of them on screen, people who merely share a name only counted, the hidden duplicate found."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from helpers import run_cli, write_yaml_data

from opr_planner.scenario import load_scenario
from opr_planner.scenario.generate import generate


@pytest.fixture(scope="module")
def busy() -> dict[str, Any]:
    """A national-like crowd: 470 people with common names (many shared by different people)."""
    return generate(
        partnerships=15,
        regions=12,
        participants_per_partnership=30,
        unaffiliated=20,
        seed=1,
        calendars="busy",
    )


def warnings_of(run: Any) -> list[str]:
    return [w for w in run.stderr.splitlines() if w.startswith("warning: ")]


def test_people_who_only_share_a_name_are_one_counted_line(tmp_path: Path, busy: dict[str, Any]) -> None:
    path = write_yaml_data(tmp_path / "busy.yaml", busy)
    scenario = load_scenario(path)
    assert len(scenario.detail_warnings) > 20  # common names: many different people share one
    run = run_cli("validate", path)
    assert run.exit_code == 0, run.output
    (line,) = warnings_of(run)
    assert f"{len(scenario.detail_warnings):,} participant(s) share their name" in line
    every = warnings_of(run_cli("validate", "--all-warnings", path))
    assert len(every) == 1 + len(scenario.detail_warnings)


def test_the_hidden_duplicate_is_still_found_among_common_names(tmp_path: Path, busy: dict[str, Any]) -> None:
    """The same person in two partnerships (other email, other organisation) is listed."""
    data = copy.deepcopy(busy)
    original = next(p for p in data["participants"] if p.get("partnership") == "ps-03")
    twin = {
        **original,
        "id": "dubbel-1",
        "name": original["name"].upper(),
        "email": "prive@example.org",
        "partnership": "ps-07",
        "organisation": "Stichting Elders",
    }
    data["participants"].append(twin)
    run = run_cli("validate", write_yaml_data(tmp_path / "twin.yaml", data))
    listed = [w for w in warnings_of(run) if "'dubbel-1'" in w]
    assert len(listed) == 1, run.stderr
    assert f"same name, region and role as {original['id']!r}" in listed[0]
    assert "own partnership" in listed[0]


def test_many_likely_duplicates_show_the_first_few_and_a_count(tmp_path: Path, busy: dict[str, Any]) -> None:
    data = copy.deepcopy(busy)
    people = data["participants"]
    copies = [{**p, "id": f"kopie-{i:03d}", "name": p["name"].lower()} for i, p in enumerate(people[:42])]
    data["participants"] = people + copies  # same email: listed twice
    path = write_yaml_data(tmp_path / "copies.yaml", data)
    run = run_cli("validate", path)
    shown = warnings_of(run)
    listed = [w for w in shown if "same email" in w]
    assert len(listed) == 5
    assert "warning: 37 more: --all-warnings to see them" in shown
    assert any("share their name" in w for w in shown)
    every = warnings_of(run_cli("validate", "--all-warnings", path))
    assert sum("same email" in w for w in every) == 42
