"""Malformed plans and calendars through every command (issue 17, items 1 and 5).

Each case once ended in a traceback or was silently accepted; now `check` reports the
broken rule (exit 1) and every other command refuses with one clear message (exit 2).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import CASE_SECONDS, TINY, TINY_PLAN, deadline, read_yaml_data, run_cli, write_yaml_data

# Every command that reads a plan: (plan, output folder) -> arguments.
PLAN_COMMANDS: dict[str, Any] = {
    "check": lambda p, o: ["check", TINY, p],
    "explain": lambda p, o: ["explain", TINY, p],
    "compare": lambda p, o: ["compare", TINY, TINY_PLAN, p],
    "export csv": lambda p, o: ["export", "csv", TINY, p, "-o", o / "plan.csv"],
    "export html": lambda p, o: ["export", "html", TINY, p, "-o", o / "plan.html"],
    "export ics": lambda p, o: ["export", "ics", TINY, p, "-o", o / "ics"],
    "export ics --previous": lambda p, o: [
        "export",
        "ics",
        TINY,
        TINY_PLAN,
        "--previous",
        p,
        "-o",
        o / "ics",
    ],
    "repair": lambda p, o: [
        "repair",
        TINY,
        p,
        "--time-limit",
        "1",
        "--workers",
        "1",
        "-o",
        o / "r.plan.yaml",
    ],
    "suggest": lambda p, o: ["suggest", TINY, p, "--review", "opr-pa", "--replace", "c3"],
}


def _plan(tmp_path: Path, change, name: str = "plan.yaml") -> Path:
    data = read_yaml_data(TINY_PLAN)
    change(data)
    path = tmp_path / name
    if name.endswith(".json"):
        path.write_text(json.dumps(data, default=str), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _run(args: list[Any]) -> Any:
    with deadline(CASE_SECONDS):  # never a hang
        result = run_cli(*args)
    assert "Traceback" not in result.output
    return result


# -- dates near the year limits (item 1) -------------------------------------------------


def _on(date: str, keep_sessions: bool):
    def change(data: dict) -> None:
        review = data["reviews"][0]
        review["date"] = date
        if keep_sessions:
            for s in review["sessions"]:
                s["date"] = date
        else:
            del review["sessions"]

    return change


@pytest.mark.parametrize("keep_sessions", [True, False], ids=["sessions listed", "sessions derived"])
@pytest.mark.parametrize("command", sorted(PLAN_COMMANDS))
def test_a_date_whose_sessions_leave_the_years_1900_2999(
    command: str, keep_sessions: bool, tmp_path: Path
) -> None:
    """The preparation session lies 7 days before the review: 1900-01-02 puts it in 1899."""
    plan = _plan(tmp_path, _on("1900-01-02", keep_sessions))
    out = tmp_path / "out"
    out.mkdir()
    result = _run(PLAN_COMMANDS[command](plan, out))
    if command == "check":
        assert result.exit_code == 1, result.output
        assert "H2" in result.stdout
        assert "1900-01-02 lies outside the review's window" in result.stdout
        return
    if command in ("explain", "compare", "repair"):
        assert result.exit_code in (0, 1), result.output  # they judge or mend the plan
        return
    if command == "suggest":
        assert result.exit_code in (0, 1, 2, 3), result.output
        return
    if keep_sessions:  # the listed sessions are dates in range: exported with a warning about H2
        assert result.exit_code == 0, result.output
        assert "H2" in result.stderr or "--previous" in command
        return
    assert result.exit_code == 2, result.output
    assert (
        "review opr-pa on 1900-01-02: its session 'Voorbereiding' would fall on 1899-12-26, "
        "outside the years 1900-2999" in result.stderr
    ), result.stderr


def test_a_date_whose_sessions_pass_the_year_2999(tmp_path: Path) -> None:
    """The upper limit: `date: '2999-12-31'` with a session after the visit (3 days later)
    puts that session in 3000. check: H2 (exit 1); every export and `--previous`: exit 2."""
    data = read_yaml_data(TINY)
    data["rules"]["sessions"].append(
        {"name": "Nagesprek", "offset_days": 3, "start": "10:00", "end": "11:00"}
    )
    scenario = write_yaml_data(tmp_path / "s.yaml", data)
    plan = _plan(tmp_path, _on("2999-12-31", keep_sessions=False))
    out = tmp_path / "out"
    checked = _run(["check", scenario, plan])
    assert checked.exit_code == 1, checked.output
    assert "H2" in checked.stdout and "2999-12-31 lies outside the review's window" in checked.stdout
    exports = {
        "csv": ["export", "csv", scenario, plan, "-o", out / "p.csv"],
        "html": ["export", "html", scenario, plan, "-o", out / "p.html"],
        "ics": ["export", "ics", scenario, plan, "-o", out / "ics"],
        "ics --previous": ["export", "ics", scenario, TINY_PLAN, "--previous", plan, "-o", out / "ics"],
    }
    for kind, args in exports.items():
        result = _run([*args, "--force"])  # --force: the plan was made for tiny.yaml itself
        assert result.exit_code == 2, (kind, result.output)
        assert result.stderr.splitlines()[-1] == (
            "error: review opr-pa on 2999-12-31: its session 'Nagesprek' would fall on 3000-01-03, "
            "outside the years 1900-2999; correct the review's date"
        ), kind
        assert not out.exists(), kind


# -- lone surrogates in JSON plans (item 1) ------------------------------------------------


@pytest.mark.parametrize(
    "where",
    [
        lambda d: d["reviews"][0]["members"][0].update(participant="p\ud800"),
        lambda d: d["reviews"][0]["sessions"][0].update(location="Zaal \udc00"),
        lambda d: d["scenario"].update(name="\ud83d"),
    ],
    ids=["participant", "location", "scenario name"],
)
@pytest.mark.parametrize("command", sorted(PLAN_COMMANDS))
def test_a_lone_surrogate_in_a_json_plan_is_refused(where, command: str, tmp_path: Path) -> None:
    plan = _plan(tmp_path, where, "plan.json")
    assert re.search(r"\\ud[8-9a-f][0-9a-f]{2}", plan.read_text(encoding="utf-8"))
    out = tmp_path / "out"
    out.mkdir()
    result = _run(PLAN_COMMANDS[command](plan, out))
    assert result.exit_code == 2, result.output
    (error,) = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert error.startswith(f"error: {plan}:1: ")
    assert "half of a character pair and no character; write the character itself" in error
    assert list(out.iterdir()) == []


def test_a_surrogate_pair_in_json_is_a_character(tmp_path: Path) -> None:
    def emoji(data: dict) -> None:
        data["reviews"][0]["sessions"][0]["location"] = "Zaal \U0001f600"

    plan = tmp_path / "plan.json"
    data = read_yaml_data(TINY_PLAN)
    emoji(data)
    plan.write_text(json.dumps(data), encoding="utf-8")  # ensure_ascii: "\ud83d\ude00"
    assert "\\ud83d\\ude00" in plan.read_text(encoding="utf-8")
    assert _run(["check", TINY, plan]).exit_code == 0


# -- duplicate keys in JSON plans (item 5) -------------------------------------------------


def test_a_json_plan_with_a_duplicate_key_is_refused(tmp_path: Path) -> None:
    """A second "members" replaced the group without a word; YAML plans already refused it."""
    data = read_yaml_data(TINY_PLAN)
    text = json.dumps(data, indent=2)
    first = '"members": ['
    at = text.index(first)
    text = text[:at] + '"members": [],\n      ' + text[at:]
    plan = tmp_path / "plan.json"
    plan.write_text(text, encoding="utf-8")
    line = text[: text.index('"members": [],')].count("\n") + 1
    for command in ("check", "explain"):
        result = _run([command, TINY, plan])
        assert result.exit_code == 2, result.output
        assert result.stderr == (
            f"error: {plan}:{line + 1}: reviews[0].members: key 'members' appears twice in one mapping; "
            "keep one of them\n"
        )


def test_duplicate_keys_deeper_in_json_without_line_numbers_are_still_refused(tmp_path: Path) -> None:
    """A JSON file that YAML cannot read (a tab inside a string) still refuses duplicates."""
    plan = tmp_path / "plan.json"
    plan.write_text('{"format": "opr-plan/1", "format": "opr-plan/1",\t"reviews": []}', encoding="utf-8")
    result = _run(["check", TINY, plan])
    assert result.exit_code == 2
    assert "key 'format' appears twice in one mapping" in result.stderr


# -- SEQUENCE values in the calendars of an earlier export (item 1) -----------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "SEQUENCE 'abc' is not a whole number from 0 to 2147483646"),
        ("1.5", "SEQUENCE '1.5' is not a whole number from 0 to 2147483646"),
        ("-1", "SEQUENCE '-1' is not a whole number from 0 to 2147483646"),
        (
            "2147483647",
            "SEQUENCE 2147483647 leaves no room for an update (RFC 5545 allows at most 2147483647)",
        ),
        ("99999999999999999999999", "SEQUENCE 99999999999999999999… leaves no room for an update"),
    ],
)
def test_a_bad_sequence_in_an_earlier_calendar_is_named(value: str, message: str, tmp_path: Path) -> None:
    out = tmp_path / "ics"
    assert _run(["export", "ics", TINY, TINY_PLAN, "-o", out]).exit_code == 0
    calendar = out / "all.ics"
    text = calendar.read_bytes().decode("utf-8")
    text = text.replace("SEQUENCE:0", f"SEQUENCE:{value}", 1)
    calendar.write_bytes(text.encode("utf-8"))
    line = text[: text.index(f"SEQUENCE:{value}")].count("\n") + 1
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    result = _run(["export", "ics", TINY, TINY_PLAN, "--previous", TINY_PLAN, "-o", out])
    assert result.exit_code == 2, result.output
    (error,) = result.stderr.splitlines()
    assert error.startswith(f"error: {calendar}:{line}: event ")
    assert message in error
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing rewritten


def test_a_calendar_that_is_not_ours_is_skipped(tmp_path: Path) -> None:
    out = tmp_path / "ics"
    out.mkdir()
    (out / "holidays.ics").write_text(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x@elsewhere\r\nSEQUENCE:abc\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8",
    )
    (out / "broken.ics").write_bytes(b"\x00\x01 not a calendar")
    result = _run(["export", "ics", TINY, TINY_PLAN, "--previous", TINY_PLAN, "-o", out])
    assert result.exit_code == 0, result.output
