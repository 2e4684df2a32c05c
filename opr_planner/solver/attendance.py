"""Who can attend when, as arrays: the person x day and review x date tables of compile.py.

SPEC 2.3 says a participant can attend a review on a date when every session of it falls
on a day they are not unavailable and, if they list weekdays, on one of those. A national
scenario asks that for ~2,600 people x 80 reviews x ~60 dates x 3 sessions; a Python loop
per question took 10-40 s there (issue #15). Here it is one boolean array of people x
days, filled from each person's unavailable dates and weekdays, and per review the AND of
its columns shifted by each session offset: milliseconds.

What leaves this module is, per review, one bitmask per person: bit k set when they can
attend on the review's k-th possible date (`can(mask, k)`), and the same for whole
people x dates tables where a caller works on arrays (`date_table`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from operator import itemgetter

import numpy as np

from ..calendar import WorkCalendar
from ..scenario.models import DateRange, Review, Scenario
from ..scenario.types import WEEKDAYS


def can(mask: int, k: int) -> bool:
    """Does `mask` (an `available` bitmask) have date index k?"""
    return bool(mask >> k & 1)


def dates_of(mask: int) -> list[int]:
    """The date indices in a bitmask, ascending."""
    out = []
    k = 0
    while mask:
        if mask & 1:
            out.append(k)
        mask >>= 1
        k += 1
    return out


class DayAxis:
    """Days lo..hi as array positions."""

    def __init__(self, lo: dt.date, hi: dt.date):
        self.lo, self.hi = lo, hi
        self.size = max((hi - lo).days + 1, 0)

    def index(self, day: dt.date) -> int:
        return (day - self.lo).days

    def days(self) -> list[dt.date]:
        return [self.lo + dt.timedelta(days=i) for i in range(self.size)]


class Attendance:
    """days x people: True where a person is free (not unavailable, an allowed weekday).

    Days are rows, so that the days of a review's sessions are whole rows to gather.
    """

    def __init__(self, scenario: Scenario, axis: DayAxis):
        self.axis = axis
        people = scenario.participants
        free = np.ones((axis.size, len(people)), dtype=bool)
        if axis.size:
            weekday = (np.arange(axis.size) + axis.lo.weekday()) % 7
            for i, p in enumerate(people):
                for item in p.unavailable:
                    first, last = (item.from_, item.to) if isinstance(item, DateRange) else (item, item)
                    first, last = max(first, axis.lo), min(last, axis.hi)
                    if first <= last:
                        free[axis.index(first) : axis.index(last) + 1, i] = False
                if p.weekdays is not None:
                    allowed = np.array([WEEKDAYS[w] in p.weekdays for w in range(7)])
                    free[:, i] &= allowed[weekday]
        self.free = free

    def on(self, dates: Sequence[dt.date], offsets: Iterable[int]) -> np.ndarray:
        """dates x people: free on the day of every session (offset) of a review on that date."""
        at = np.array([self.axis.index(d) for d in dates], dtype=np.int64)
        out = np.ones((len(dates), self.free.shape[1]), dtype=bool)
        for offset in offsets:
            out &= self.free[at + offset]
        return out


class ReviewDates:
    """The possible dates of reviews (H2: the review's window, every session on a working
    day), from one table of working days per holiday region instead of a question per day."""

    def __init__(self, scenario: Scenario, calendar: WorkCalendar, axis: DayAxis):
        self.scenario, self.cal, self.axis = scenario, calendar, axis
        self._working: dict[str | None, np.ndarray] = {}

    def working(self, holiday_region: str | None) -> np.ndarray:
        if holiday_region not in self._working:
            self._working[holiday_region] = np.array(
                [self.cal.is_working_day(day, holiday_region) for day in self.axis.days()], dtype=bool
            )
        return self._working[holiday_region]

    def of(self, review: Review) -> list[dt.date]:
        """The same dates as `WorkCalendar.candidate_dates(review)`, in order."""
        lo, hi = self.scenario.window_of(review)
        if review.fixed_date is not None:
            lo = hi = review.fixed_date if lo <= review.fixed_date <= hi else dt.date.max
        if lo > hi:
            return []
        offsets = sorted({x.offset_days for x in self.scenario.sessions_of(review)})
        first, last = self.axis.index(lo), self.axis.index(hi)
        if first + min(offsets) < 0 or last + max(offsets) >= self.axis.size:
            return self.cal.candidate_dates(review)  # sessions beyond the axis: ask day by day
        working = self.working(self.cal.holiday_region(review))
        ok = np.ones(last - first + 1, dtype=bool)
        for offset in offsets:
            ok &= working[first + offset : last + offset + 1]
        return [lo + dt.timedelta(days=int(i)) for i in np.flatnonzero(ok)]


def day_axis(scenario: Scenario) -> DayAxis:
    """Every day a session of a review inside the calendar can fall on."""
    offsets = [x.offset_days for r in scenario.reviews for x in scenario.sessions_of(r)] or [0]
    start, deadline = scenario.calendar.start, scenario.calendar.deadline
    lo = _shift(start, min(min(offsets), 0))
    hi = _shift(deadline, max(max(offsets), 0))
    return DayAxis(lo, hi)


def _shift(day: dt.date, days: int) -> dt.date:
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.min if days < 0 else dt.date.max


def masks(table: np.ndarray) -> list[int]:
    """Each column of a boolean dates x people table as a bitmask (bit k: row k)."""
    width, rows = table.shape
    if rows == 0:
        return []
    if width == 0:
        return [0] * rows
    chunks = -(-width // 64)
    packed = np.packbits(table, axis=0, bitorder="little")  # bytes x people
    padded = np.zeros((rows, chunks * 8), dtype=np.uint8)
    padded[:, : packed.shape[0]] = packed.T
    words = padded.view("<u8")  # people x chunks, little-endian 64-bit words
    out = words[:, 0].tolist()
    for j in range(1, chunks):
        out = [m | w << (64 * j) for m, w in zip(out, words[:, j].tolist(), strict=True)]
    return out


def date_table(available: Sequence[int], people: Sequence[int], dates: int) -> np.ndarray:
    """people x dates booleans from the bitmasks `available[p]` (the inverse of `masks`)."""
    out = np.zeros((len(people), dates), dtype=bool)
    if not len(people) or not dates:
        return out
    picked = itemgetter(*people)(available)
    ints = np.array(picked if len(people) > 1 else (picked,), dtype=object)
    for j in range(-(-dates // 64)):
        word = ((ints >> (64 * j)) & 0xFFFF_FFFF_FFFF_FFFF).astype(np.uint64)
        width = min(64, dates - 64 * j)
        out[:, 64 * j : 64 * j + width] = (word[:, None] >> np.arange(width, dtype=np.uint64)) & 1
    return out
