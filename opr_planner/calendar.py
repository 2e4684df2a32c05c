"""Working days (SPEC 2.3): weekdays, public holidays, school holidays per holiday region,
closed periods, and the calendar window.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

import holidays

from .scenario.models import Review, Scenario, Session
from .scenario.types import WEEKDAYS

SCHOOL_SUBDIVISIONS = {"noord": "Noord", "midden": "Midden", "zuid": "Zuid"}


class Reason(NamedTuple):
    """Why a day or date cannot be used: a key of REASONS and the values it names."""

    key: str
    values: dict[str, Any]


# The reasons in English (command-line messages); export/i18n/rules.py words them in Dutch.
REASONS = {
    "before_start": "before calendar.start ({start})",
    "after_deadline": "after calendar.deadline ({deadline})",
    "weekday": "a {weekday} (not in calendar.weekdays)",
    "public_holiday": "a public holiday ({name})",
    "school_holiday": "in the school holidays of region {region} ({name})",
    "closed": "in the closed period {name!r}",
    "fixed": "the review date is fixed at {fixed}",
    "window": "{date} lies outside the review's window {first} to {last}",
    "session": "session {session!r} on {day} is {why}",
}


def reason_text(reason: Reason) -> str:
    """A reason in English, as the command line prints it."""
    values = dict(reason.values)
    if "why" in values:
        values["why"] = reason_text(values["why"])
    if reason.key == "weekday":
        values["weekday"] = values["day"].strftime("%A")
    return REASONS[reason.key].format(**values)


def holiday_language(language: str) -> str:
    """The `holidays` package's language code for holiday names in a scenario's language."""
    return "nl" if language == "nl" else "en_US"


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
        language = holiday_language(self.scenario.language)
        try:
            table = holidays.country_holidays(
                country, years=self._years, categories=("public",), language=language
            )
        except (NotImplementedError, KeyError, ValueError):
            table = holidays.country_holidays(country, years=self._years, categories=("public",))
        return dict(table)

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
                    "NL",
                    subdiv=subdiv,
                    years=self._years,
                    categories=("school",),
                    language=holiday_language(self.scenario.language),
                )
                out[region] = dict(table)
            except (NotImplementedError, KeyError):
                out[region] = {}
        return out

    def holiday_region(self, review: Review) -> str | None:
        subject = self.scenario.partnership.get(review.subject)
        return subject.holiday_region if subject else None

    def day_reason(self, day: dt.date, holiday_region: str | None) -> Reason | None:
        """Why `day` is not a working day for reviews of that holiday region (None if it is),
        as a key of REASONS and its values (worded by `reason_text`, or in Dutch by i18n)."""
        if day < self.start:
            return Reason("before_start", {"start": self.start})
        if day > self.deadline:
            return Reason("after_deadline", {"deadline": self.deadline})
        if weekday_name(day) not in self.weekdays:
            return Reason("weekday", {"day": day})
        if day in self.public:
            return Reason("public_holiday", {"name": self.public[day]})
        school = self.school(holiday_region)
        if day in school:
            return Reason("school_holiday", {"region": holiday_region, "name": school[day]})
        for period in self.scenario.calendar.closed:
            if period.from_ <= day <= period.to and period.holiday_region in (None, holiday_region):
                return Reason("closed", {"name": period.name})
        return None

    def why_not(self, day: dt.date, holiday_region: str | None) -> str | None:
        """Why `day` is not a working day for reviews of that holiday region, in words (None if it is)."""
        reason = self.day_reason(day, holiday_region)
        return reason_text(reason) if reason else None

    def is_working_day(self, day: dt.date, holiday_region: str | None) -> bool:
        return self.day_reason(day, holiday_region) is None

    def session_dates(self, review: Review, date: dt.date) -> list[tuple[Session, dt.date]]:
        return [(s, date + dt.timedelta(days=s.offset_days)) for s in self.scenario.sessions_of(review)]

    def date_reason(self, review: Review, date: dt.date) -> Reason | None:
        """Why `date` cannot be the review's date (H2), or None; see `day_reason`."""
        lo, hi = review.earliest or self.start, review.latest or self.deadline
        if review.fixed_date is not None and date != review.fixed_date:
            return Reason("fixed", {"fixed": review.fixed_date})
        if not lo <= date <= hi:
            return Reason("window", {"date": date, "first": lo, "last": hi})
        region = self.holiday_region(review)
        for session, day in self.session_dates(review, date):
            why = self.day_reason(day, region)
            if why:
                return Reason("session", {"session": session.name, "day": day, "why": why})
        return None

    def date_problem(self, review: Review, date: dt.date) -> str | None:
        """Why `date` cannot be the review's date (H2), in words, or None."""
        reason = self.date_reason(review, date)
        return reason_text(reason) if reason else None

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


# -- coverage of the holiday data ---------------------------------------------------------------

MARGIN = dt.timedelta(days=21)  # how far a holiday may move from one year to the next


@dataclass(frozen=True)
class MissingHoliday:
    """A school holiday the `holidays` package does not list for a year the calendar reaches."""

    region: str  # noord | midden | zuid
    name: str  # in the scenario's language
    first: dt.date  # about: shifted from the same holiday in the last year the data lists
    last: dt.date

    def closed_entry(self) -> str:
        return (
            f'{{name: "{self.name} {self.first.year}", from: {self.first}, to: {self.last}, '
            f"holiday_region: {self.region}}}"
        )


def _runs_by_name(table: dict[dt.date, str]) -> dict[str, list[tuple[dt.date, dt.date]]]:
    runs: dict[str, list[tuple[dt.date, dt.date]]] = {}
    for day in sorted(table):
        name = table[day]
        spans = runs.setdefault(name, [])
        if spans and (day - spans[-1][1]).days == 1:
            spans[-1] = (spans[-1][0], day)
        else:
            spans.append((day, day))
    return runs


def _shift(day: dt.date, years: int) -> dt.date:
    """`day` moved by whole years, then to the nearest same weekday (holidays start on a Saturday)."""
    try:
        moved = day.replace(year=day.year + years)
    except ValueError:  # 29 February
        moved = day.replace(year=day.year + years, day=28)
    delta = (day.weekday() - moved.weekday() + 3) % 7 - 3
    return moved + dt.timedelta(days=delta)


def missing_school_holidays(scenario: Scenario) -> list[MissingHoliday]:
    """School holidays that fall in the calendar but are missing from the holiday data.

    The `holidays` package lists Dutch school holidays for a limited number of years
    (in 0.109: through Christmas 2030, without the autumn holiday of 2030). Each holiday
    is expected once a year, at about the date of its last complete occurrence in the
    data; one the data lacks there (and no `closed` period covers) is missing, so the
    solver would count those days as working days. Only the holiday regions of reviewed
    partnerships are checked.
    """
    cal = scenario.calendar
    if not cal.school_holidays:
        return []
    regions = sorted(
        {
            p.holiday_region
            for r in scenario.reviews
            if (p := scenario.partnership.get(r.subject)) is not None and p.holiday_region
        }
    )
    years = list(range(cal.start.year - 4, cal.deadline.year + 2))
    out: list[MissingHoliday] = []
    for region in regions:
        try:
            table = dict(
                holidays.country_holidays(
                    "NL",
                    subdiv=SCHOOL_SUBDIVISIONS[region],
                    years=years,
                    categories=("school",),
                    language=holiday_language(scenario.language),
                )
            )
        except (NotImplementedError, KeyError, ValueError):
            table = {}
        closed = [
            (c.from_, c.to) for c in cal.closed if c.holiday_region in (None, region) and c.from_ <= c.to
        ]
        out.extend(_missing_in(region, table, closed, cal.start, cal.deadline))
    return out


def _missing_in(
    region: str,
    table: dict[dt.date, str],
    closed: list[tuple[dt.date, dt.date]],
    start: dt.date,
    deadline: dt.date,
) -> list[MissingHoliday]:
    if not table:
        return []
    data_years = {d.year for d in table}
    last_day = max(table)
    found: list[MissingHoliday] = []
    for name, spans in _runs_by_name(table).items():
        complete = [s for s in spans if s[1] != last_day]
        if not complete:
            continue
        ref_first, ref_last = complete[-1]
        for k in range(start.year - ref_first.year - 1, deadline.year - ref_first.year + 2):
            first = _shift(ref_first, k)
            last = first + (ref_last - ref_first)
            if last < start or first > deadline:
                continue
            near = [s for s in spans if s[0] <= last + MARGIN and s[1] >= first - MARGIN]
            if near:
                # Listed; but a part in a year the data does not reach (Christmas 2030-31) is not.
                gap = [d for d in days(first, last) if d.year not in data_years and d > last_day]
                if not gap:
                    continue
                first, last = gap[0], gap[-1]
            if any(a <= last + MARGIN and b >= first - MARGIN for a, b in closed):
                continue  # the coordinator has added it as a closed period
            first, last = max(first, start), min(last, deadline)
            if first <= last:
                found.append(MissingHoliday(region, name, first, last))
    return sorted(found, key=lambda m: (m.first, m.name))


def holiday_coverage_warnings(scenario: Scenario) -> list[str]:
    """One warning per holiday region whose school holidays the data misses (see
    `missing_school_holidays`): which ones, and the `closed` entries that would add them."""
    by_region: dict[str, list[MissingHoliday]] = {}
    for m in missing_school_holidays(scenario):
        by_region.setdefault(m.region, []).append(m)
    out = []
    for region, missing in by_region.items():
        partnerships = sorted(
            {
                r.subject
                for r in scenario.reviews
                if getattr(scenario.partnership.get(r.subject), "holiday_region", None) == region
            }
        )
        shown = ", ".join(f"{m.name} {_about(m)}" for m in missing[:6])
        more = f" and {len(missing) - 6} more" if len(missing) > 6 else ""
        out.append(
            f"the school-holiday data (holidays {holidays.__version__}) lacks {len(missing)} holiday(s) of region "
            f"{region} inside the calendar: {shown}{more}; reviews of {', '.join(partnerships)} could be planned "
            f"in them. Add each as a closed period with the official dates, e.g. under calendar.closed: "
            f"- {missing[0].closed_entry()}"
        )
    return out


def _about(m: MissingHoliday) -> str:
    return f"(about {m.first:%d-%m-%Y} to {m.last:%d-%m-%Y})"
