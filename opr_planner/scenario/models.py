"""The scenario (`opr-scenario/1`, SPEC section 2) as frozen pydantic models.

Field-level validation lives here; references between entities are checked in
`checks.py` so that every problem in a file is reported at once.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, model_validator

from .types import (
    MAX_OFFSET,
    Count,
    Day,
    Email,
    Id,
    IdList,
    LongText,
    Offset,
    Text,
    Time,
    WeekdayList,
    _list,
)

HolidayRegion = Literal["noord", "midden", "zuid"]

DEFAULT_ROLES: tuple[tuple[str, str], ...] = (
    ("student", "student / zij-instromer"),
    ("school_educator", "schoolopleider / werkplekbegeleider"),
    ("institute_educator", "instituutsopleider"),
    ("board", "bestuurder"),
    ("programme_lead", "programmaleider"),
    ("other", "overig"),
)
KNOWN_FUNCTIONS = ("chair", "secretary")
METRICS = (
    "partnership_links",
    "co_member_links",
    "region_links",
    "inclusion",
    "diversity",
    "preferences",
    "load_sumsq",
)


def _shifted(day: dt.date, days: int) -> dt.date:
    """`day` moved by `days`, kept within the dates Python can represent."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.min if days < 0 else dt.date.max


def _lower(value: object) -> object:
    return value.strip().lower() if isinstance(value, str) else value


def _country(value: object) -> object:
    """`public_holidays: false` switches them off, like `none`."""
    return None if value is False else _lower(value)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, str_strip_whitespace=True)


class Organiser(_Model):
    name: Text
    email: Email | None = None


class DateRange(_Model):
    from_: Day = Field(alias="from")
    to: Day

    def __contains__(self, day: dt.date) -> bool:
        return self.from_ <= day <= self.to


class ClosedPeriod(_Model):
    name: Text = "closed"
    from_: Day = Field(alias="from")
    to: Day
    holiday_region: Annotated[HolidayRegion | None, BeforeValidator(_lower)] = None


class CalendarConfig(_Model):
    start: Day
    deadline: Day
    weekdays: WeekdayList = Field(default_factory=lambda: ["mon", "tue", "wed", "thu", "fri"])
    public_holidays: Annotated[str | None, BeforeValidator(_country)] = "nl"
    school_holidays: bool = True
    closed: Annotated[list[ClosedPeriod], BeforeValidator(_list)] = Field(default_factory=list)

    @property
    def public_holiday_country(self) -> str | None:
        value = self.public_holidays
        return None if value in (None, "", "none", "false") else value.upper()


class Region(_Model):
    id: Id
    name: Text | None = None


class Partnership(_Model):
    id: Id
    name: Text | None = None
    regions: IdList
    holiday_region: Annotated[HolidayRegion | None, BeforeValidator(_lower)] = None


class Role(_Model):
    id: Id
    label: Text | None = None


Unavailable = Annotated[list[Day | DateRange], BeforeValidator(_list)]


def _one_partnership(value: object) -> object:
    """A participant belongs to one partnership; a list of several gets a message that says
    how to write it (SPEC 2: one `partnership`, the others under `conflicts`)."""
    if not isinstance(value, list | tuple):
        return value
    items = [str(v).strip() for v in value if v is not None and str(v).strip()]
    if len(items) <= 1:
        return items[0] if items else None
    others = ", ".join(items[1:])
    raise ValueError(
        f"lists {len(items)} partnerships ({', '.join(items)}), but a participant has one; "
        f"write the main one as partnership ({items[0]}) and the other(s) under conflicts ({others}): "
        "then they review none of them (independence, H5), and count for their main partnership "
        "in the groups and metrics"
    )


class Participant(_Model):
    id: Id
    name: Text
    email: Email | None = None
    role: Id
    partnership: Annotated[Id | None, BeforeValidator(_one_partnership)] = None
    region: Id
    organisation: Text | None = None
    functions: IdList = Field(default_factory=list)
    max_reviews: Count | None = None
    unavailable: Unavailable = Field(default_factory=list)
    weekdays: WeekdayList | None = None
    conflicts: IdList = Field(default_factory=list)
    avoid: IdList = Field(default_factory=list)
    prefer_subjects: IdList = Field(default_factory=list)

    @cached_property
    def unavailable_days(self) -> frozenset[dt.date]:
        """Every single unavailable date (ranges expanded; in a Scenario, only the dates a
        session can fall on, so that `{from: 1900-01-01, to: 2999-12-31}` costs no memory)."""
        return self.unavailable_between(dt.date.min, dt.date.max)

    def unavailable_between(self, lo: dt.date, hi: dt.date) -> frozenset[dt.date]:
        """The unavailable dates in [lo, hi], ranges expanded."""
        days: set[dt.date] = set()
        for item in self.unavailable:
            if isinstance(item, DateRange):
                first, last = max(item.from_, lo), min(item.to, hi)
                days.update(first + dt.timedelta(days=i) for i in range((last - first).days + 1))
            elif lo <= item <= hi:
                days.add(item)
        return frozenset(days)


class Bounds(_Model):
    min: Count | None = None
    max: Count | None = None

    @property
    def lo(self) -> int:
        return self.min or 0

    @property
    def hi(self) -> int | None:
        return self.max or None


class Session(_Model):
    name: Text
    offset_days: Offset
    start: Time
    end: Time
    location: Text | None = None
    description: LongText | None = None  # what to do or prepare: shown in the invitation


DEFAULT_SESSIONS = (Session(name="Bezoek", offset_days=0, start="09:00", end="16:00"),)


class Review(_Model):
    id: Id
    subject: Id
    earliest: Day | None = None
    latest: Day | None = None
    fixed_date: Day | None = None
    name: Text | None = None  # "OPR ronde 1 — ...": shown in calendars, the report and tables
    location: Text | None = None
    group_size: Bounds | None = None
    sessions: Annotated[list[Session], BeforeValidator(_list)] | None = None


class Rules(_Model):
    group_size: Bounds = Bounds(min=4, max=6)
    composition: dict[Id, Bounds] = Field(default_factory=dict)
    functions: dict[Id, Count | None] = Field(default_factory=dict)
    min_partnerships: Count | None = 2
    max_per_partnership: Count | None = 3
    max_per_organisation: Count | None = 2
    min_regions: Count | None = 2
    min_outside_subject_regions: Count | None = 1
    max_reviews_per_participant: Count | None = 2
    min_days_between_reviews: Count | None = 28
    max_reviews_per_week: Count | None = 2
    min_reviews_per_partnership: Count | None = 0
    sessions: Annotated[list[Session], BeforeValidator(_list)] = Field(
        default_factory=lambda: list(DEFAULT_SESSIONS)
    )

    def on(self, name: str) -> int:
        """The value of a numeric rule, 0 when it is off (0 or null)."""
        return getattr(self, name) or 0


class Objectives(_Model):
    partnership_links: Count = 10
    co_member_links: Count = 5
    region_links: Count = 2
    inclusion: Count = 5
    diversity: Count = 1
    preferences: Count = 1
    load_sumsq: Count = 1


class Scenario(_Model):
    """A validated scenario. Derived look-ups are cached properties."""

    format: Literal["opr-scenario/1"]
    name: Text
    language: Annotated[Literal["nl", "en"], BeforeValidator(_lower)] = "nl"
    timezone: Text = "Europe/Amsterdam"
    organiser: Organiser | None = None
    calendar: CalendarConfig
    regions: list[Region]
    partnerships: list[Partnership]
    roles: list[Role] | None = None
    participants: list[Participant] = Field(default_factory=list)
    participants_file: Text | None = None
    reviews: list[Review]
    rules: Rules = Rules()
    objectives: Objectives = Objectives()

    # Where the scenario came from (set by the loader; not part of the file).
    _path: str | None = PrivateAttr(default=None)
    _sha256: str | None = PrivateAttr(default=None)
    _data_sha256: str | None = PrivateAttr(default=None)
    _warnings: tuple[str, ...] = PrivateAttr(default=())
    _detail_warnings: tuple[str, ...] = PrivateAttr(default=())

    @model_validator(mode="after")
    def _bounded_unavailability(self) -> Scenario:
        """Expand unavailable ranges only over the dates a session can fall on.

        Sessions lie within MAX_OFFSET days of a review date inside the calendar, so
        dates further out never matter; a wild range then costs no time or memory.
        """
        lo, hi = _shifted(self.calendar.start, -MAX_OFFSET), _shifted(self.calendar.deadline, MAX_OFFSET)
        for p in self.participants:
            if any(isinstance(item, DateRange) for item in p.unavailable):
                p.__dict__["unavailable_days"] = p.unavailable_between(lo, hi)  # fills the cached_property
        return self

    @property
    def path(self) -> str | None:
        return self._path

    @property
    def sha256(self) -> str | None:
        """sha256 of the scenario file's bytes (SPEC section 5)."""
        return self._sha256

    @property
    def data_sha256(self) -> str | None:
        """sha256 over the scenario file's bytes followed by those of every participants
        file it reads (SPEC section 5): changes when any of the data changes."""
        return self._data_sha256

    @property
    def warnings(self) -> tuple[str, ...]:
        return self._warnings

    @property
    def detail_warnings(self) -> tuple[str, ...]:
        """What `warnings` only counts (people who merely share a name): for --all-warnings."""
        return self._detail_warnings

    # -- derived look-ups ---------------------------------------------------------
    @cached_property
    def role_ids(self) -> tuple[str, ...]:
        if self.roles is not None:
            return tuple(r.id for r in self.roles)
        return tuple(r for r, _ in DEFAULT_ROLES)

    @cached_property
    def role_labels(self) -> dict[str, str]:
        if self.roles is not None:
            return {r.id: r.label or r.id for r in self.roles}
        return dict(DEFAULT_ROLES)

    @cached_property
    def participant(self) -> dict[str, Participant]:
        return {p.id: p for p in self.participants}

    @cached_property
    def partnership(self) -> dict[str, Partnership]:
        return {p.id: p for p in self.partnerships}

    @cached_property
    def region(self) -> dict[str, Region]:
        return {r.id: r for r in self.regions}

    @cached_property
    def review(self) -> dict[str, Review]:
        return {r.id: r for r in self.reviews}

    def sessions_of(self, review: Review) -> list[Session]:
        return list(review.sessions) if review.sessions is not None else list(self.rules.sessions)

    def group_size_of(self, review: Review) -> Bounds:
        return review.group_size if review.group_size is not None else self.rules.group_size

    def window_of(self, review: Review) -> tuple[dt.date, dt.date]:
        """[earliest, latest] of the review date, clipped to the calendar."""
        lo = max(review.earliest or self.calendar.start, self.calendar.start)
        hi = min(review.latest or self.calendar.deadline, self.calendar.deadline)
        return lo, hi

    def max_reviews_of(self, participant: Participant) -> int | None:
        """The participant's load limit, or None when unlimited."""
        if participant.max_reviews is not None:
            return participant.max_reviews
        return self.rules.max_reviews_per_participant or None

    def subject_regions(self, review: Review) -> frozenset[str]:
        subject = self.partnership.get(review.subject)
        return frozenset(subject.regions) if subject else frozenset()

    def location_of(self, review: Review, session: Session) -> str | None:
        return session.location or review.location

    def review_title(self, review: Review) -> str:
        """What people see as the review's name: its `name`, else the subject partnership's name."""
        if review.name:
            return review.name
        subject = self.partnership.get(review.subject)
        return (subject.name or subject.id) if subject else review.subject
