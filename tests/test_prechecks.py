"""What `validate` finds before any search, in the words `solve` uses: school holidays the
holiday data lacks, a fixed date that is not possible, and counting shortfalls."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from helpers import TINY, read_yaml_data, run_cli, write_yaml_data

from opr_planner.calendar import WorkCalendar, missing_school_holidays
from opr_planner.scenario import load_scenario

BUNDLED = TINY.parent.parent.parent / "scenarios" / "midden-nederland.yaml"


def _late(tmp_path: Path, **calendar: object) -> Path:
    """tiny.yaml with a calendar reaching into 2031, beyond the holiday data."""
    data = read_yaml_data(TINY)
    data["calendar"].update({"start": "2030-01-07", "deadline": "2031-06-27", **calendar})
    for review in data["reviews"]:
        review.pop("earliest", None)
        review.pop("latest", None)
    return write_yaml_data(tmp_path / "late.yaml", data)


def test_a_2031_deadline_warns_which_school_holidays_are_missing(tmp_path: Path) -> None:
    path = _late(tmp_path)
    missing = missing_school_holidays(load_scenario(path))
    midden = [(m.name, m.first.year) for m in missing if m.region == "midden"]
    assert midden == [
        ("Herfstvakantie", 2030),  # the data lists no autumn holiday for 2030
        ("Kerstvakantie", 2031),  # Christmas 2030 is listed only up to 31 December
        ("Voorjaarsvakantie", 2031),
        ("Meivakantie", 2031),
    ]
    autumn = next(m for m in missing if m.name == "Herfstvakantie" and m.region == "midden")
    assert autumn.first.weekday() == 5 and dt.date(2030, 10, 12) <= autumn.first <= dt.date(2030, 10, 26)
    result = run_cli("validate", path)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 2  # midden (pa, pb) and noord (pc)
    assert "calendar.deadline: the school-holiday data" in warnings[0]
    assert "lacks 4 holiday(s) of region midden" in warnings[0] and "Herfstvakantie (about" in warnings[0]
    assert "reviews of pa, pb could be planned in them" in warnings[0]
    assert (
        '{name: "Herfstvakantie 2030", from: 2030-10-' in warnings[0]
        and "holiday_region: midden}" in warnings[0]
    )
    solved = run_cli("solve", path, "-o", tmp_path / "p.yaml", "--workers", "1", "--time-limit", "5")
    assert any("lacks 4 holiday(s) of region midden" in line for line in solved.stderr.splitlines())


def test_the_missing_holidays_are_named_in_the_scenarios_language(tmp_path: Path) -> None:
    """An English scenario is told about the same holidays, in English words: the names in
    the warning and in the `closed:` entry it suggests (issue #13: 'Autumn Break' had
    been the word in a Dutch scenario)."""
    data = read_yaml_data(_late(tmp_path))
    data["language"] = "en"
    path = write_yaml_data(tmp_path / "late-en.yaml", data)
    english = [(m.region, m.first, m.last) for m in missing_school_holidays(load_scenario(path))]
    dutch = [(m.region, m.first, m.last) for m in missing_school_holidays(load_scenario(_late(tmp_path)))]
    assert english == dutch, "the same holidays are missing whatever the language"
    result = run_cli("validate", path)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 2
    for line in warnings:
        assert "Autumn Break (about 19-10-2030" in line and '{name: "Autumn Break 2030"' in line
        for dutch_word in ("vakantie", "Herfst", "Kerst", "Voorjaar", "Mei"):
            assert dutch_word not in line, dutch_word


def test_a_closed_period_for_the_missing_holiday_silences_it(tmp_path: Path) -> None:
    closed = [
        {"name": "Herfstvakantie 2030", "from": "2030-10-19", "to": "2030-10-27", "holiday_region": "midden"},
        {"name": "Kerst", "from": "2030-12-21", "to": "2031-01-05"},
    ]
    missing = missing_school_holidays(load_scenario(_late(tmp_path, closed=closed)))
    names = {(m.region, m.name, m.first.year) for m in missing}
    assert ("midden", "Herfstvakantie", 2030) not in names
    assert ("noord", "Herfstvakantie", 2030) in names  # that closed period is only for midden
    assert not any(m.name == "Kerstvakantie" for m in missing)


def test_the_bundled_scenarios_have_no_holiday_warning() -> None:
    assert missing_school_holidays(load_scenario(BUNDLED)) == []
    assert missing_school_holidays(load_scenario(TINY)) == []


def _fixed_in_the_autumn_holiday(tmp_path: Path) -> Path:
    data = read_yaml_data(TINY)
    data["reviews"][1]["fixed_date"] = "2028-10-24"  # pb is midden: Herfstvakantie 21-29 Oct 2028
    data["reviews"][1]["latest"] = "2028-11-30"
    data["rules"].pop("min_reviews_per_partnership", None)
    return write_yaml_data(tmp_path / "fixed.yaml", data)


def test_a_fixed_date_in_a_holiday_fails_validate_with_the_words_of_solve(tmp_path: Path) -> None:
    path = _fixed_in_the_autumn_holiday(tmp_path)
    checked = run_cli("validate", path)
    assert checked.exit_code == 2
    assert "OK" not in checked.stdout
    reason = (
        "review opr-pb is fixed on 2028-10-24, which is not possible: session 'Bezoek' on 2028-10-24 "
        "is in the school holidays of region midden (Herfstvakantie)"
    )
    assert f"error: {path}: no plan is possible: {reason}" in checked.stderr
    advice = re.search(
        r"move fixed_date of opr-pb to a possible date \(nearest: (\S+) or (\S+)\)", checked.stderr
    )
    assert advice, checked.stderr
    before, after = (dt.date.fromisoformat(d) for d in advice.groups())
    s = load_scenario(path)
    cal, review = WorkCalendar(s), s.review["opr-pb"].model_copy(update={"fixed_date": None})
    assert before < dt.date(2028, 10, 24) < after
    assert cal.date_problem(review, before) is None and cal.date_problem(review, after) is None
    between = [before + dt.timedelta(days=i) for i in range(1, (after - before).days)]
    assert all(cal.date_problem(review, d) is not None for d in between)  # the nearest on each side
    assert "widen the window" not in checked.stderr
    solved = run_cli("solve", path, "-o", tmp_path / "p.yaml", "--workers", "1", "-q")
    assert solved.exit_code == 3
    assert reason in solved.stderr and "move fixed_date of opr-pb" in solved.stderr
    assert "Autumn" not in solved.stderr


def test_a_counting_shortfall_is_named(tmp_path: Path) -> None:
    """Eight reviews that each need 4 board members: 32 seats; 12 board members who may each
    take part once fill 12. A sum shows it; the message says so in numbers."""
    data = read_yaml_data(BUNDLED)
    data["rules"]["composition"]["board"] = {"min": 4}
    data["rules"]["group_size"] = {"min": 4, "max": 8}
    data["rules"]["min_days_between_reviews"] = 0
    data["reviews"] = [
        {**r, "id": f"{r['id']}-{k}", "name": f"ronde {k}"} for k in range(3) for r in data["reviews"]
    ][:8]
    for p in data["participants"]:
        if p["role"] == "board":
            p["max_reviews"] = 1
    path = write_yaml_data(tmp_path / "board.yaml", data)
    want = (
        "32 board seats are needed (8 reviews x 4, rules.composition.board.min), but the 12 board "
        "participants can fill at most 12 (each at most 1 review)"
    )
    checked = run_cli("validate", path)
    assert checked.exit_code == 2 and want in checked.stderr
    solved = run_cli("solve", path, "-o", tmp_path / "p.yaml", "--workers", "1", "-q")
    assert solved.exit_code == 3 and want in solved.stderr
    assert "no small set of causes" not in solved.stderr


def test_a_composition_larger_than_the_group_is_named(tmp_path: Path) -> None:
    data = read_yaml_data(TINY)
    data["rules"]["composition"]["board"] = {"min": 3}  # 1 + 1 + 1 + 3 = 6 > group max 5
    path = write_yaml_data(tmp_path / "big.yaml", data)
    checked = run_cli("validate", path)
    assert checked.exit_code == 2
    assert (
        "the composition asks for at least 6 members per group (student 1 + school_educator 1 + "
        "institute_educator 1 + board 3), but group_size.max is 5 for every review"
    ) in checked.stderr


def test_a_reviewed_partnership_without_holiday_region_is_warned_about(tmp_path: Path) -> None:
    data = read_yaml_data(TINY)
    del data["partnerships"][2]["holiday_region"]
    result = run_cli("validate", write_yaml_data(tmp_path / "s.yaml", data))
    assert result.exit_code == 0, result.output
    (line,) = [w for w in result.stderr.splitlines() if w.startswith("warning:")]
    assert (
        "partnerships[2] (pc).holiday_region: school_holidays is true, but 1 reviewed partnership(s)" in line
    )
    data["calendar"]["school_holidays"] = False
    quiet = run_cli("validate", write_yaml_data(tmp_path / "off.yaml", data))
    assert quiet.stderr == ""


def test_a_partnership_that_can_join_too_few_reviews_is_named(tmp_path: Path) -> None:
    """rules.min_reviews_per_partnership against the reviews each partnership can join."""
    data = read_yaml_data(TINY)
    data.setdefault("rules", {})["min_reviews_per_partnership"] = len(data["reviews"])
    result = run_cli("solve", write_yaml_data(tmp_path / "s.yaml", data), "-o", tmp_path / "p.yaml")
    assert result.exit_code == 3, result.output
    joinable = len(data["reviews"]) - 1  # never their own partnership's review
    assert f"but its participants can join only {joinable}" in result.stderr
