"""Working days (SPEC 2.3): weekdays, public holidays, school holidays per holiday region,
closed periods, and the calendar window.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property

import holidays

from .scenario.models import Review, Scenario, Session
from .scenario.types import WEEKDAYS

ONE_DAY = dt.timedelta(days=1)
SCHOOL_SUBDIVISIONS = {"noord": "Noord", "midden": "Midden", "zuid": "Zuid"}


def weekday_name(day: dt.date) -> str:
    return WEEKDAYS[day.weekday()]


def days(lo: dt.date, hi: dt.date) -> list[dt.date]:
    """Every date from lo to hi inclusive."""
    n = (hi - lo).days
    return [lo + dt.timedelta(days=i) for i in range(n + 1)] if n >= 0 else []


class WorkCalendar:
    """Answers 'is this a working day for that review?' and why not."""

    def __init__(self, scenario: Scenario):
        self.scenario = scenario
        cal = scenario.calendar
        self.start, self.deadline = cal.start, cal.deadline
        self.weekdays = frozenset(cal.weekdays)
        self._years = list(range(self.start.year - 1, self.deadline.year + 2))

    @cached_property
    def public(self) -> dict[dt.date, str]:
        country = self.scenario.calendar.public_holiday_country
        if country is None:
            return {}
        return dict(holidays.country_holidays(country, years=self._years, categories=("public",)))

    def school(self, holiday_region: str | None) -> dict[dt.date, str]:
        if holiday_region is None or not self.scenario.calendar.school_holidays:
            return {}
        return self._school[holiday_region]

    @cached_property
    def _school(self) -> dict[str, dict[dt.date, str]]:
        out: dict[str, dict[dt.date, str]] = {}
        for region, subdiv in SCHOOL_SUBDIVISIONS.items():
            try:
                table = holidays.country_holidays(
                    "NL", subdiv=subdiv, years=self._years, categories=("school",)
                )
                out[region] = dict(table)
            except (NotImplementedError, KeyError):
                out[region] = {}
        return out

    def holiday_region(self, review: Review) -> str | None:
        subject = self.scenario.partnership.get(review.subject)
        return subject.holiday_region if subject else None

    def why_not(self, day: dt.date, holiday_region: str | None) -> str | None:
        """Why `day` is not a working day for reviews of that holiday region (None if it is)."""
        if day < self.start:
            return f"before calendar.start ({self.start})"
        if day > self.deadline:
            return f"after calendar.deadline ({self.deadline})"
        if weekday_name(day) not in self.weekdays:
            return f"a {day.strftime('%A')} (not in calendar.weekdays)"
        if day in self.public:
            return f"a public holiday ({self.public[day]})"
        school = self.school(holiday_region)
        if day in school:
            return f"in the school holidays of region {holiday_region} ({school[day]})"
        for period in self.scenario.calendar.closed:
            if period.from_ <= day <= period.to and period.holiday_region in (None, holiday_region):
                return f"in the closed period {period.name!r}"
        return None

    def is_working_day(self, day: dt.date, holiday_region: str | None) -> bool:
        return self.why_not(day, holiday_region) is None

    def session_dates(self, review: Review, date: dt.date) -> list[tuple[Session, dt.date]]:
        return [(s, date + dt.timedelta(days=s.offset_days)) for s in self.scenario.sessions_of(review)]

    def date_problem(self, review: Review, date: dt.date) -> str | None:
        """Why `date` cannot be the review's date (H2), or None."""
        lo, hi = review.earliest or self.start, review.latest or self.deadline
        if review.fixed_date is not None and date != review.fixed_date:
            return f"the review date is fixed at {review.fixed_date}"
        if not lo <= date <= hi:
            return f"{date} lies outside the review's window {lo} to {hi}"
        region = self.holiday_region(review)
        for session, day in self.session_dates(review, date):
            why = self.why_not(day, region)
            if why:
                return f"session {session.name!r} on {day} is {why}"
        return None

    def candidate_dates(self, review: Review) -> list[dt.date]:
        """Every date the review may take (H2), in order."""
        if review.fixed_date is not None:
            window = [review.fixed_date]
        else:
            window = days(*self.scenario.window_of(review))
        return [d for d in window if self.date_problem(review, d) is None]

    def working_days(self, lo: dt.date, hi: dt.date, holiday_region: str | None) -> int:
        return sum(1 for d in days(lo, hi) if self.is_working_day(d, holiday_region))


def can_attend(scenario: Scenario, participant_id: str, review: Review, date: dt.date) -> bool:
    """SPEC 2.3: the participant can attend every session of the review on `date`."""
    p = scenario.participant[participant_id]
    for s in scenario.sessions_of(review):
        day = date + dt.timedelta(days=s.offset_days)
        if day in p.unavailable_days:
            return False
        if p.weekdays is not None and weekday_name(day) not in p.weekdays:
            return False
    return True
