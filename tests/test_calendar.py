"""Working days (SPEC 2.3) on tests/data/tiny.yaml: calendar 2028-01-10..2028-12-22,
mon-fri, NL public holidays, school holidays on; partnerships pa and pb are in holiday
region midden, pc in noord; closed: "Studieweek" 2028-03-20..24 for every review,
"Toetsweek noord" 2028-06-12..16 for noord only; sessions at -7 and 0 days.

School holidays 2028 (the `holidays` package, NL, category school):
    spring: noord 02-19..02-27, midden 02-26..03-05; May: both 04-29..05-07;
    summer: noord 07-15..08-27, midden 07-08..08-20.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from helpers import TINY, read_yaml_data, write_yaml_data

from opr_planner.calendar import WorkCalendar, can_attend, days, weekday_name
from opr_planner.scenario import Scenario, load_scenario

D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def cal(tiny: Scenario) -> WorkCalendar:
    return WorkCalendar(tiny)


def _variant(tmp_path: Path, **calendar: object) -> Scenario:
    data = read_yaml_data(TINY)
    data["calendar"].update(calendar)
    return load_scenario(write_yaml_data(tmp_path / "calendar.yaml", data))


@pytest.mark.parametrize("region", [None, "midden", "noord"])
def test_ordinary_weekday_is_a_working_day(cal: WorkCalendar, region: str | None) -> None:
    assert cal.is_working_day(D("2028-04-26"), region)  # a Wednesday
    assert cal.why_not(D("2028-04-26"), region) is None


@pytest.mark.parametrize("day", ["2028-03-04", "2028-03-05"])
def test_weekend(cal: WorkCalendar, day: str) -> None:
    assert not cal.is_working_day(D(day), None)
    assert "not in calendar.weekdays" in cal.why_not(D(day), None)


def test_calendar_weekdays(tmp_path: Path) -> None:
    cal = WorkCalendar(_variant(tmp_path, weekdays=["tue", "thu"]))
    assert not cal.is_working_day(D("2028-04-24"), None)  # Monday
    assert cal.is_working_day(D("2028-04-25"), None)  # Tuesday
    assert cal.working_days(D("2028-04-10"), D("2028-04-16"), None) == 2


@pytest.mark.parametrize("region", [None, "midden", "noord"])
def test_kings_day(cal: WorkCalendar, region: str | None) -> None:
    assert not cal.is_working_day(D("2028-04-27"), region)
    assert "Koningsdag" in cal.why_not(D("2028-04-27"), region)  # named in the scenario's language


def test_holiday_names_follow_the_scenario_language(tmp_path: Path) -> None:
    data = read_yaml_data(TINY)
    data["language"] = "en"
    cal = WorkCalendar(load_scenario(write_yaml_data(tmp_path / "en.yaml", data)))
    assert "King's Day" in cal.why_not(D("2028-04-27"), None)
    assert "Autumn" in cal.why_not(D("2028-10-24"), "midden")
    dutch = WorkCalendar(load_scenario(TINY))
    assert "Herfstvakantie" in dutch.why_not(D("2028-10-24"), "midden")


def test_public_holidays_can_be_switched_off(tmp_path: Path) -> None:
    cal = WorkCalendar(_variant(tmp_path, public_holidays="none"))
    assert cal.is_working_day(D("2028-04-27"), None)


def test_school_holiday_depends_on_holiday_region(cal: WorkCalendar) -> None:
    noord_only, midden_only = D("2028-02-21"), D("2028-03-01")
    assert not cal.is_working_day(noord_only, "noord")
    assert cal.is_working_day(noord_only, "midden")
    assert "school holidays of region noord" in cal.why_not(noord_only, "noord")
    assert not cal.is_working_day(midden_only, "midden")
    assert cal.is_working_day(midden_only, "noord")
    # a partnership without a holiday_region has no school holidays
    assert cal.is_working_day(noord_only, None) and cal.is_working_day(midden_only, None)


def test_summer_holiday_differs_per_region(cal: WorkCalendar) -> None:
    assert not cal.is_working_day(D("2028-07-10"), "midden")
    assert cal.is_working_day(D("2028-07-10"), "noord")
    assert cal.is_working_day(D("2028-08-22"), "midden")
    assert not cal.is_working_day(D("2028-08-22"), "noord")


def test_school_holidays_can_be_switched_off(tmp_path: Path) -> None:
    cal = WorkCalendar(_variant(tmp_path, school_holidays=False))
    assert cal.is_working_day(D("2028-03-01"), "midden")
    assert cal.is_working_day(D("2028-02-21"), "noord")


@pytest.mark.parametrize("region", [None, "midden", "noord"])
def test_closed_period_for_everyone(cal: WorkCalendar, region: str | None) -> None:
    assert not cal.is_working_day(D("2028-03-22"), region)
    assert "Studieweek" in cal.why_not(D("2028-03-22"), region)
    assert cal.is_working_day(D("2028-03-27"), region)


def test_closed_period_for_one_holiday_region(cal: WorkCalendar) -> None:
    day = D("2028-06-14")
    assert not cal.is_working_day(day, "noord")
    assert "Toetsweek noord" in cal.why_not(day, "noord")
    assert cal.is_working_day(day, "midden")
    assert cal.is_working_day(day, None)


def test_closed_period_bounds_are_inclusive(cal: WorkCalendar) -> None:
    assert not cal.is_working_day(D("2028-03-20"), None)
    assert not cal.is_working_day(D("2028-03-24"), None)
    assert cal.is_working_day(D("2028-03-17"), None)


def test_outside_start_and_deadline(cal: WorkCalendar) -> None:
    assert "before calendar.start" in cal.why_not(D("2028-01-07"), None)
    assert cal.is_working_day(D("2028-01-10"), "midden")  # the start itself
    assert cal.is_working_day(D("2028-12-22"), "midden")  # the deadline itself
    assert "after calendar.deadline" in cal.why_not(D("2028-12-27"), None)


def test_working_days_count(cal: WorkCalendar) -> None:
    # week of King's Day: Mon 24 .. Sun 30 April; 27 is a holiday, 29-30 weekend (and May holiday)
    assert cal.working_days(D("2028-04-24"), D("2028-04-30"), "midden") == 4
    assert cal.working_days(D("2028-03-20"), D("2028-03-24"), None) == 0


def test_candidate_dates_respect_the_preparation_session(tiny: Scenario, cal: WorkCalendar) -> None:
    review = tiny.review["opr-pa"]  # pa, midden, window 2028-02-01..2028-06-30, sessions -7 and 0
    candidates = set(cal.candidate_dates(review))
    # the visit day is a working day in each case; the preparation a week before is not
    assert cal.is_working_day(D("2028-05-11"), "midden")
    assert D("2028-05-11") not in candidates  # preparation 05-04 in the May holiday
    assert D("2028-04-21") not in candidates  # preparation 04-14 is Good Friday
    assert D("2028-03-31") not in candidates  # preparation 03-24 in the Studieweek
    assert D("2028-05-15") in candidates  # preparation 05-08, after the May holiday
    assert "session 'Voorbereiding' on 2028-05-04" in cal.date_problem(review, D("2028-05-11"))


def test_every_candidate_has_every_session_on_a_working_day(tiny: Scenario, cal: WorkCalendar) -> None:
    for review in tiny.reviews:
        lo, hi = tiny.window_of(review)
        region = cal.holiday_region(review)
        candidates = cal.candidate_dates(review)
        assert candidates == sorted(candidates) and candidates
        for day in days(lo, hi):
            sessions_ok = all(cal.is_working_day(s, region) for _, s in cal.session_dates(review, day))
            assert (day in candidates) == sessions_ok, (review.id, day)


def test_candidate_dates_with_a_later_session(tmp_path: Path) -> None:
    data = read_yaml_data(TINY)
    data["rules"]["sessions"].append(
        {"name": "Terugkoppeling", "offset_days": 21, "start": "15:00", "end": "16:30"}
    )
    s = load_scenario(write_yaml_data(tmp_path / "three-sessions.yaml", data))
    cal = WorkCalendar(s)
    candidates = cal.candidate_dates(s.review["opr-pa"])
    assert D("2028-06-22") not in candidates  # feedback 07-13 in the midden summer holiday
    assert D("2028-06-13") in candidates  # feedback 07-04, before it
    assert max(candidates) <= D("2028-06-30")


def test_candidate_dates_of_a_fixed_review(tmp_path: Path) -> None:
    data = read_yaml_data(TINY)
    data["reviews"][0]["fixed_date"] = "2028-06-29"
    data["reviews"][1]["fixed_date"] = "2028-04-27"  # King's Day
    s = load_scenario(write_yaml_data(tmp_path / "fixed.yaml", data))
    cal = WorkCalendar(s)
    assert cal.candidate_dates(s.review["opr-pa"]) == [D("2028-06-29")]
    assert cal.candidate_dates(s.review["opr-pb"]) == []
    assert "fixed at 2028-06-29" in cal.date_problem(s.review["opr-pa"], D("2028-06-28"))


def test_can_attend(tiny: Scenario) -> None:
    pa, pc = tiny.review["opr-pa"], tiny.review["opr-pc"]
    # a5 only on tue/thu: the visit and the preparation must both fall on those days
    assert can_attend(tiny, "a5", pc, D("2028-11-30"))  # Thursday, preparation Thursday 11-23
    assert not can_attend(tiny, "a5", pc, D("2028-11-29"))  # Wednesday
    # a2 is unavailable 2028-04-01..2028-04-30, also for a preparation inside it
    assert not can_attend(tiny, "a2", pa, D("2028-04-04"))
    assert not can_attend(tiny, "a2", pa, D("2028-05-04"))  # preparation 04-27
    assert can_attend(tiny, "a2", pa, D("2028-05-08"))  # preparation 05-01
    # b5 is unavailable on two single days
    assert not can_attend(tiny, "b5", pc, D("2028-05-23"))  # preparation 05-16
    assert can_attend(tiny, "b5", pc, D("2028-05-24"))


def test_helpers() -> None:
    assert weekday_name(D("2028-04-27")) == "thu"
    assert days(D("2028-01-30"), D("2028-02-02")) == [
        D("2028-01-30"),
        D("2028-01-31"),
        D("2028-02-01"),
        D("2028-02-02"),
    ]
    assert days(D("2028-02-02"), D("2028-01-30")) == []
