"""What people type in YAML is read as they meant it, not as YAML 1.1 would read it
(`15:00` is not 900, `no` is not false, `010` is not 8), and hostile YAML is refused."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from helpers import DATA, run_cli

from opr_planner.errors import ScenarioError
from opr_planner.io.yamlio import YamlError, load_yaml
from opr_planner.scenario import load_scenario

SURPRISES = """\
format: opr-scenario/1
name: Surprises
calendar:
  start: '2028-01-10'
  deadline: 2028-12-22
  school_holidays: {school_holidays}
  public_holidays: {public_holidays}
regions:
  - {{id: no, name: Noord}}
  - {{id: 010, name: "Zero ten"}}
partnerships:
  - {{id: yes, regions: [no]}}
  - {{id: on, regions: ["010"]}}
participants:
  - {{id: off, name: Off, role: student, partnership: yes, region: 010, unavailable: [2028-03-01, '2028-03-02']}}
  - {{id: 1, name: One, role: board, partnership: on, region: no}}
reviews:
  - {{id: y, subject: yes, earliest: 2028-02-01, latest: "2028-06-30"}}
rules:
  sessions:
    - {{name: Prep, offset_days: -7, start: 9:00, end: 15:00}}
    - {{name: Visit, offset_days: 0, start: "9.30", end: '17:30'}}
"""


def _load(tmp_path: Path, school_holidays: str = "yes", public_holidays: str = "NL"):
    path = tmp_path / "surprises.yaml"
    path.write_text(
        SURPRISES.format(school_holidays=school_holidays, public_holidays=public_holidays), encoding="utf-8"
    )
    return load_scenario(path)


def test_times_stay_times(tmp_path: Path) -> None:
    prep, visit = _load(tmp_path).rules.sessions
    assert (prep.start, prep.end) == ("09:00", "15:00")  # unquoted 9:00 and 15:00
    assert (visit.start, visit.end) == ("09:30", "17:30")


def test_ids_that_yaml_1_1_would_change_stay_text(tmp_path: Path) -> None:
    s = _load(tmp_path)
    assert [r.id for r in s.regions] == ["no", "010"]
    assert [p.id for p in s.partnerships] == ["yes", "on"]
    assert s.partnership["yes"].regions == ["no"]
    assert s.partnership["on"].regions == ["010"]
    assert [(p.id, p.partnership, p.region) for p in s.participants] == [
        ("off", "yes", "010"),
        ("1", "on", "no"),
    ]
    assert s.reviews[0].subject == "yes"


def test_dates_quoted_or_not(tmp_path: Path) -> None:
    s = _load(tmp_path)
    assert s.calendar.start == dt.date(2028, 1, 10)  # quoted
    assert s.calendar.deadline == dt.date(2028, 12, 22)  # plain
    assert s.participant["off"].unavailable == [dt.date(2028, 3, 1), dt.date(2028, 3, 2)]
    assert (s.reviews[0].earliest, s.reviews[0].latest) == (dt.date(2028, 2, 1), dt.date(2028, 6, 30))


@pytest.mark.parametrize(
    ("text", "value"), [("yes", True), ("true", True), ("no", False), ("false", False), ("off", False)]
)
def test_yes_and_no_for_switches(tmp_path: Path, text: str, value: bool) -> None:
    assert _load(tmp_path, school_holidays=text).calendar.school_holidays is value


@pytest.mark.parametrize(
    ("text", "country"), [("NL", "NL"), ("nl", "NL"), ("none", None), ("false", None), ("null", None)]
)
def test_public_holidays_switch(tmp_path: Path, text: str, country: str | None) -> None:
    assert _load(tmp_path, public_holidays=text).calendar.public_holiday_country == country


def test_plain_scalars() -> None:
    data, _ = load_yaml(
        "a: 15:00\nb: no\nc: 010\nd: 0x1F\ne: 1_000\nf: 12:30:45\ng: 1.5\nh: ~\ni: 2028-02-30\nj: True\nk: 7\n",
        "f.yaml",
    )
    assert data == {
        "a": "15:00",
        "b": "no",
        "c": "010",
        "d": "0x1F",
        "e": "1_000",
        "f": "12:30:45",
        "g": 1.5,
        "h": None,
        "i": "2028-02-30",  # not a date: left as text for the field to refuse with a clear message
        "j": True,
        "k": 7,
    }


def test_merge_key_may_be_overridden() -> None:
    data, _ = load_yaml(
        "visit: &v {name: Bezoek, start: '09:00'}\nlate:\n  <<: *v\n  start: '13:00'\n", "f.yaml"
    )
    assert data["late"] == {"name": "Bezoek", "start": "13:00"}


def test_lines_are_remembered() -> None:
    _, lines = load_yaml("a:\n  b:\n    - x\n    - {c: 1}\n", "f.yaml")
    assert lines.where(("a", "b", 1, "c")) == ("f.yaml", 4)
    assert lines.where(("a", "b", 0)) == ("f.yaml", 3)
    assert lines.where(("a", "missing", "deeper")) == ("f.yaml", 1)


def _billion_laughs() -> str:
    lines = [
        "format: opr-scenario/1",
        'lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
    ]
    lines += [f"lol{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(_billion_laughs(), encoding="utf-8")
    started = time.perf_counter()
    result = run_cli("validate", path)
    assert time.perf_counter() - started < 5
    assert result.exit_code == 2
    assert "alias bomb" in result.stderr
    assert "Traceback" not in result.output


def test_recursive_alias_is_refused() -> None:
    with pytest.raises(YamlError, match="cycle"):
        load_yaml("a: &a [1, *a]\n", "f.yaml")


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("format: " + "[" * 1500 + "]" * 1500 + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="nested more than 64 levels deep"):
        load_scenario(path)


def test_aliases_within_reason_are_fine(tmp_path: Path) -> None:
    text = (DATA / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("  - {id: r-a, name", "  - {id: &ra r-a, name").replace(
        "region: r-a}", "region: *ra}"
    )
    path = tmp_path / "aliases.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_scenario(path).participant["u1"].region == "r-a"
