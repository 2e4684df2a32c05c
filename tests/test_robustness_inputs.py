"""Bad input beyond the corpus: sizes and numbers that would exhaust memory or overflow,
files that cannot be written, text that would garble the terminal, odd environments.

Each case once ended in a traceback (or a hang); now it is exit 2 with a clear message,
or, where the input is legitimate, a quick answer.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import DATA, TINY, TINY_PLAN, read_yaml_data, run_cli, write_yaml_data

from opr_planner.cli.common import printable
from opr_planner.errors import PlanError, ScenarioError
from opr_planner.io.fileio import OutputError, write_atomic
from opr_planner.io.yamlio import load_yaml
from opr_planner.plan import read_plan
from opr_planner.scenario import load_scenario


def _tiny_with(tmp_path: Path, change, name: str = "scenario.yaml") -> Path:
    data = read_yaml_data(TINY)
    change(data)
    return write_yaml_data(tmp_path / name, data)


# -- numbers and dates -----------------------------------------------------------------


def test_long_digit_runs_stay_text_instead_of_crashing_int() -> None:
    data, _ = load_yaml(f"a: {'7' * 5000}\nb: 12\nc: {'1' * 90}.5\n", "f.yaml")
    assert data["a"] == "7" * 5000  # Python refuses int() of more than 4300 digits
    assert data["b"] == 12
    assert isinstance(data["c"], float)


def test_a_json_plan_with_a_huge_number_or_deep_nesting(tmp_path: Path) -> None:
    deep = tmp_path / "deep.plan.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = run_cli("check", TINY, deep)
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {deep}:1: the document is nested more than 64 levels deep; "
        "a scenario or plan needs a handful of levels; is it the right file?\n"
    )


def test_a_range_of_a_thousand_years_costs_no_memory(tmp_path: Path) -> None:
    """Unavailability is expanded only where a session can fall (calendar +- 10 years)."""

    def gone(data: dict) -> None:
        for p in data["participants"][:6]:
            p["unavailable"] = [{"from": "1900-01-01", "to": "2999-12-31"}]

    started = time.perf_counter()
    scenario = load_scenario(_tiny_with(tmp_path, gone))
    days = scenario.participants[0].unavailable_days
    assert len(days) < 2 * 3650 + 366 * 2
    result = run_cli("check", tmp_path / "scenario.yaml", TINY_PLAN)
    assert result.exit_code == 1  # the plan now breaks H13 for those six
    assert "H13" in result.stdout
    assert time.perf_counter() - started < 10


def test_unavailable_days_outside_a_scenario_do_not_overflow() -> None:
    from opr_planner.scenario.models import Participant

    p = Participant.model_validate(
        {
            "id": "x",
            "name": "X",
            "role": "student",
            "region": "r",
            "unavailable": [{"from": "2999-12-30", "to": "2999-12-31"}],
        }
    )
    assert len(p.unavailable_days) == 2


def test_a_calendar_of_centuries_is_refused_before_anything_is_computed(tmp_path: Path) -> None:
    def centuries(data: dict) -> None:
        data["calendar"]["start"] = "1900-01-01"
        data["calendar"]["deadline"] = "2999-12-31"

    started = time.perf_counter()
    result = run_cli("solve", _tiny_with(tmp_path, centuries), "-o", tmp_path / "p.plan.yaml")
    assert result.exit_code == 2
    assert "the calendar spans 1100 years" in result.stderr
    assert time.perf_counter() - started < 5
    assert not (tmp_path / "p.plan.yaml").exists()


@pytest.mark.parametrize("year", ["0001", "1899", "3000", "9999"])
def test_far_years_in_a_plan_are_refused_not_overflowed(year: str, tmp_path: Path) -> None:
    text = TINY_PLAN.read_text(encoding="utf-8").replace("date: '2028-06-29'", f"date: '{year}-06-29'")
    path = tmp_path / "far.plan.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError, match="lies outside the years 1900-2999"):
        read_plan(path)
    commands: list[list[str | Path]] = [
        ["check", TINY, path],
        ["export", "ics", TINY, path, "-o", tmp_path / "ics"],
    ]
    for args in commands:
        result = run_cli(*args)
        assert result.exit_code == 2, result.output


# -- text -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "ok"),
    [
        ("anna.de-vries+opr@school.example.org", True),
        ("zoë@example.org", True),
        ("anna@example", True),
        ("anna at school", False),
        ("anna@example.org\nBcc: x@evil.example", False),
        ("<anna@example.org>", False),
        ("anna@example.org, bram@example.org", False),
        ("n.v.t.", False),
    ],
)
def test_e_mail_addresses(email: str, ok: bool, tmp_path: Path) -> None:
    path = _tiny_with(tmp_path, lambda d: d["participants"][0].__setitem__("email", email))
    if ok:
        assert load_scenario(path).participants[0].email == email
        return
    with pytest.raises(ScenarioError, match="is not an e-mail address") as info:
        load_scenario(path)
    assert info.value.problems[0].path.endswith(".email")


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x9b"])
def test_control_characters_are_refused_in_names_and_ids(char: str, tmp_path: Path) -> None:
    def dirty(data: dict) -> None:
        data["participants"][0]["name"] = f"Anna{char}[2J"
        data["regions"][0]["id"] = f"r{char}"

    with pytest.raises(ScenarioError) as info:
        load_scenario(_tiny_with(tmp_path, dirty))
    assert all("control character" in p.message for p in info.value.problems[:2])


def test_line_breaks_and_tabs_stay_allowed_in_free_text(tmp_path: Path) -> None:
    path = _tiny_with(tmp_path, lambda d: d["reviews"][0].__setitem__("location", "Pabo A\n\tzaal 2"))
    assert load_scenario(path).reviews[0].location == "Pabo A\n\tzaal 2"


def test_messages_never_send_control_characters_to_the_terminal(tmp_path: Path) -> None:
    """YAML's "\\e" escape puts an ESC into a key; the message shows it as text."""
    path = tmp_path / "esc.yaml"
    text = (DATA / "minimal.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("rules:\n", 'rules:\n  "\\e]0;owned\\a\\e[2J": 1\n'), encoding="utf-8")
    result = run_cli("validate", path)
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\\x1b]0;owned\\x07\\x1b[2J" in result.stderr


def test_printable() -> None:
    assert printable("a\x1b[31mb\nc") == "a\\x1b[31mb\nc"
    assert printable("a\nb", lines=False) == "a\\nb"
    assert printable("lone \ud800 surrogate") == "lone \\ud800 surrogate"
    assert printable("Zoë 🙂 مرحبا") == "Zoë 🙂 مرحبا"


# -- CSV --------------------------------------------------------------------------------


def test_a_csv_cell_beyond_the_field_limit_names_its_row(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text(
        'id,name,role,region\nc1,Kim C,student,r-a\nc2,"' + "x" * 200_000 + '",board,r-a\n', encoding="utf-8"
    )
    text = (DATA / "minimal.yaml").read_text(encoding="utf-8")
    (tmp_path / "s.yaml").write_text(
        text.replace("participants:\n", "participants_file: people.csv\nparticipants:\n")
    )
    result = run_cli("validate", tmp_path / "s.yaml")
    assert result.exit_code == 2
    assert (
        f"error: {tmp_path / 'people.csv'}:3: cannot read this row (field larger than field limit"
        in result.stderr
    )


# -- outputs and environment ------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["solve", TINY, "--time-limit", "1", "-o", "{blocked}/plan.yaml"],
        ["repair", TINY, TINY_PLAN, "--time-limit", "1", "-o", "{blocked}/plan.yaml"],
        ["alternatives", TINY, "-n", "1", "--time-limit", "1", "-o", "{blocked}/alts"],
        ["sweep", TINY, "--vary", "rules.group_size.max=5,6", "--time-limit", "1", "-o", "{blocked}/sweep"],
        ["export", "csv", TINY, TINY_PLAN, "-o", "{blocked}/plan.csv"],
        ["export", "html", TINY, TINY_PLAN, "-o", "{blocked}/plan.html"],
        ["export", "ics", TINY, TINY_PLAN, "-o", "{blocked}/ics"],
        ["generate", "-o", "{blocked}/s.yaml"],
    ],
    ids=lambda a: " ".join(str(x) for x in a[:2]),
)
def test_an_output_that_cannot_be_written_is_exit_2(args: list, tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where a folder is needed", encoding="utf-8")
    result = run_cli(*[str(a).format(blocked=blocked) for a in args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert "cannot write" in result.stderr and str(blocked) in result.stderr
    assert blocked.read_text(encoding="utf-8") == "a file where a folder is needed"


def test_write_atomic_names_the_file_in_the_way(tmp_path: Path) -> None:
    (tmp_path / "a").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError) as info:
        write_atomic(tmp_path / "a" / "b" / "c.txt", "data")
    assert (
        str(info.value) == f"{tmp_path / 'a'}: cannot write: is a file, not a folder; check the output path"
    )
    with pytest.raises(OutputError, match="cannot write: is a folder, not a file; name a file"):
        write_atomic(tmp_path, "data")


def test_write_atomic_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    target = tmp_path / "plan.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_atomic(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    fresh = tmp_path / "fresh.csv"
    write_atomic(fresh, "new")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask


@pytest.mark.parametrize("columns", ["abc", "-5", "0", "99999999999999999999", ""])
def test_a_strange_columns_variable_is_ignored(columns: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    result = run_cli("check", TINY, TINY_PLAN)
    assert result.exit_code == 0, result.output


def test_a_participants_file_given_as_a_number_is_read_as_a_name(tmp_path: Path) -> None:
    (tmp_path / "2027").write_text("id,name,role,region\nc9,Kim C,student,r-a\n", encoding="utf-8")
    text = (DATA / "minimal.yaml").read_text(encoding="utf-8")
    (tmp_path / "s.yaml").write_text(
        text.replace("participants:\n", "participants_file: 2027\nparticipants:\n")
    )
    assert "c9" in load_scenario(tmp_path / "s.yaml").participant


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_is_refused_before_it_is_read() -> None:
    result = run_cli("validate", "/dev/zero")
    assert result.exit_code == 2
    assert result.stderr == "error: /dev/zero: is a device, not a regular file; name a file saved on disk\n"


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_a_file_that_fails_to_read_is_named_with_the_reason() -> None:
    """(tests/test_scenario_errors.py checks a file without read permission, unless run as root.)"""
    for args in (["validate", "/proc/self/mem"], ["check", TINY, "/proc/self/mem"]):
        result = run_cli(*args)
        assert result.exit_code == 2
        assert result.stderr.startswith("error: /proc/self/mem: cannot be read (")


def test_mapping_keys_are_names_whatever_they_look_like() -> None:
    data, _ = load_yaml("1: a\n~: b\nyes: c\n2028-01-01: d\n", "f.yaml")
    assert data == {"1": "a", "~": "b", "yes": "c", "2028-01-01": "d"}


def test_an_alias_bomb_is_refused_fast_and_in_little_memory(tmp_path: Path) -> None:
    """30 levels of 9 aliases would expand to 9**30 nodes; the file is refused unexpanded."""
    lines = [
        "format: opr-scenario/1",
        'l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
    ]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 31)]
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines) + "\n", encoding="utf-8")
    script = (
        "import resource, sys, time\n"
        "from opr_planner.errors import ScenarioError\n"
        "from opr_planner.scenario import load_scenario\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "started = time.perf_counter()\n"
        "try:\n"
        "    load_scenario(sys.argv[1])\n"
        "except ScenarioError as exc:\n"
        "    print(exc)\n"
        "print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(bomb)], capture_output=True, text=True, timeout=60
    )
    message, figures = result.stdout.strip().rsplit("\n", 1)
    seconds, grown_kib = figures.split()
    assert "refusing a possible alias bomb" in message
    assert float(seconds) < 2
    assert int(grown_kib) < 50_000  # the composed document only, some KiB
