"""Broken scenarios (tests/data/bad/, table in tests/data/bad/expected.yaml): `validate`
exits 2 with one clear message naming file, line and field, and never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from helpers import DATA, run_cli

from opr_planner.errors import ScenarioError
from opr_planner.scenario import load_scenario

BAD = DATA / "bad"
EXPECTED: dict[str, dict] = yaml.safe_load((BAD / "expected.yaml").read_text(encoding="utf-8"))


def test_the_table_covers_every_broken_file() -> None:
    on_disk = {p.name for p in BAD.glob("*.yaml")} - {"expected.yaml"}
    absent = {name for name in EXPECTED if not (BAD / name).exists()}
    assert absent == {"does-not-exist.yaml"}
    assert on_disk == set(EXPECTED) - absent
    assert len(EXPECTED) >= 20


def test_the_base_of_the_broken_files_is_valid() -> None:
    result = run_cli("validate", DATA / "minimal.yaml")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_validate_reports_the_problem(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    want = EXPECTED[name]
    monkeypatch.chdir(tmp_path)  # so that a (refused) python tag could not write into the repo
    result = run_cli("validate", BAD / name)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""  # no summary for a broken scenario
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == want.get("errors", 1), result.stderr
    file = str(BAD / want.get("file", name))
    (message,) = [e for e in errors if want["message"] in e]
    if want["line"] is None:
        assert message.startswith(f"error: {file}: "), message
    else:
        assert message.startswith(f"error: {file}:{want['line']}: "), message
    if want["path"] is not None:
        assert f":{want['line']}: {want['path']}: " in message, message


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_load_scenario_raises_scenario_error(name: str) -> None:
    want = EXPECTED[name]
    with pytest.raises(ScenarioError) as info:
        load_scenario(BAD / name)
    assert info.value.exit_code == 2
    (problem,) = [p for p in info.value.problems if want["message"] in str(p)]
    assert problem.line == want["line"]
    assert Path(problem.file).name == want.get("file", name)
    assert problem.path == (want["path"] or "")


def test_python_tag_is_refused_not_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("validate", BAD / "python-tag.yaml")
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []  # `touch PWNED-BY-YAML` never ran
    assert not (BAD / "PWNED-BY-YAML").exists()


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = (DATA / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("role: student, partnership: pb", "role: studnet, partnership: pb")
    text = text.replace("role: board, region: r-a", "role: board, region: r-z")
    text = text.replace("{id: opr-pb, subject: pb}", "{id: opr-pb, subject: pbb}")
    path = tmp_path / "three.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_cli("validate", path)
    assert result.exit_code == 2
    prefix = f"error: {path}:"
    errors = result.stderr.splitlines()
    assert all(e.startswith(prefix) for e in errors), result.stderr
    assert [e.removeprefix(prefix).split(":")[0] for e in errors] == ["16", "18", "21"]


def test_a_bad_field_does_not_hide_other_problems(tmp_path: Path) -> None:
    """A participant without a name is reported once, not also as 'no participants',
    and reference checks of the rest still run."""
    text = (DATA / "bad" / "missing-name.yaml").read_text(encoding="utf-8")
    text = text.replace("{id: opr-pb, subject: pb}", "{id: opr-pb, subject: pbb}")
    path = tmp_path / "two.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert [(p.line, p.path) for p in info.value.problems] == [
        (15, "participants[1] (a2).name"),
        (21, "reviews[1] (opr-pb).subject"),
    ]


def test_csv_row_with_too_many_cells(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text(
        "id,name,role,region\nc1,Kim C,student,r-a\nc2,Lars, C,board,r-a\n", encoding="utf-8"
    )
    text = (
        (DATA / "minimal.yaml")
        .read_text(encoding="utf-8")
        .replace("participants:\n", "participants_file: people.csv\nparticipants:\n")
    )
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    result = run_cli("validate", tmp_path / "s.yaml")
    assert result.exit_code == 2
    assert f"{tmp_path / 'people.csv'}:3: row 3: has 5 cells but the header has 4 columns" in result.stderr


def test_csv_semicolons_and_bom_are_read(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_bytes(
        "\ufeffid;name;role;partnership;region;functions\nc1;Kim C;student;pb;r-b;\nc2;Lars C;board;;r-a;chair|secretary\n".encode()
    )
    text = (
        (DATA / "minimal.yaml")
        .read_text(encoding="utf-8")
        .replace("participants:\n", "participants_file: people.csv\nparticipants:\n")
    )
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    s = load_scenario(tmp_path / "s.yaml")
    c1, c2 = s.participant["c1"], s.participant["c2"]
    assert (c1.role, c1.partnership, c1.functions) == ("student", "pb", [])
    assert (c2.partnership, c2.functions) == (None, ["chair", "secretary"])


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "locked.yaml"
    path.write_text("format: opr-scenario/1\n", encoding="utf-8")
    path.chmod(0)
    result = run_cli("validate", path)
    assert result.exit_code == 2
    assert "cannot be read" in result.stderr
