"""Cross-reference and consistency checks on a parsed scenario, all problems at once."""

from __future__ import annotations

import re
import unicodedata
import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import holidays

from ..errors import Problem
from ..io.validation import did_you_mean, shortened
from .models import KNOWN_FUNCTIONS, DateRange, Scenario

# A review cycle is six years; a calendar of centuries is a typo that would exhaust memory.
MAX_CALENDAR_DAYS = 20 * 365 + 5

Report = Callable[[tuple[str | int, ...], str, str], None]


def check_scenario(s: Scenario, report: Report) -> None:
    """Report every reference or value in `s` that cannot be right."""
    _check_top(s, report)
    _check_calendar(s, report)
    _check_ids(s, report)
    _check_partnerships(s, report)
    _check_participants(s, report)
    _check_reviews(s, report)
    _check_rules(s, report)


def _check_top(s: Scenario, report: Report) -> None:
    if not _known_zone(s.timezone):
        report(
            ("timezone",),
            f"{shortened(s.timezone)!r} is not a known time zone",
            "use an IANA name such as Europe/Amsterdam",
        )
    if not s.participants and not s.participants_file:
        report(("participants",), "there are no participants", "add `participants:` or `participants_file:`")
    if not s.reviews:
        report(("reviews",), "there are no reviews to plan", "add at least one review")


_ZONE = re.compile(r"[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}")


def _known_zone(name: str) -> bool:
    """An IANA zone name that the time zone data knows; checked by form first, so a long or
    path-like value never reaches the file system (and its error, a tzdata path)."""
    if len(name) > 64 or not _ZONE.fullmatch(name):
        return False
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _check_calendar(s: Scenario, report: Report) -> None:
    cal = s.calendar
    if cal.deadline < cal.start:
        report(("calendar", "deadline"), f"deadline {cal.deadline} is before start {cal.start}", "swap them")
    elif (cal.deadline - cal.start).days > MAX_CALENDAR_DAYS:
        years = (cal.deadline - cal.start).days // 365
        report(
            ("calendar", "deadline"),
            f"the calendar spans {years} years ({cal.start} to {cal.deadline}); at most "
            f"{MAX_CALENDAR_DAYS // 365} are supported",
            "is a year mistyped? plan one review cycle at a time",
        )
    country = cal.public_holiday_country
    if country is not None and country not in holidays.list_supported_countries():
        report(
            ("calendar", "public_holidays"),
            f"{cal.public_holidays!r} is not a supported country code",
            "use NL, or none",
        )
    if not cal.weekdays:
        report(
            ("calendar", "weekdays"),
            "no weekday is allowed",
            "list at least one, e.g. [mon, tue, wed, thu, fri]",
        )
    for i, period in enumerate(cal.closed):
        if period.to < period.from_:
            report(
                ("calendar", "closed", i, "to"),
                f"'to' {period.to} is before 'from' {period.from_}",
                "swap them",
            )


def _check_ids(s: Scenario, report: Report) -> None:
    lists: dict[str, list[str]] = {
        "regions": [r.id for r in s.regions],
        "partnerships": [p.id for p in s.partnerships],
        "participants": [p.id for p in s.participants],
        "reviews": [r.id for r in s.reviews],
        "roles": [r.id for r in s.roles or []],
    }
    for key, ids in lists.items():
        seen: set[str] = set()
        for i, ident in enumerate(ids):
            if ident in seen:
                report((key, i, "id"), f"id {ident!r} is used twice", "every id must be unique")
            seen.add(ident)


def _ref(report: Report, loc: tuple[str | int, ...], value: str, known: Iterable[str], what: str) -> None:
    known = set(known)
    if value not in known:
        report(loc, f"{value!r} is not {what}", did_you_mean(value, known))


def _check_partnerships(s: Scenario, report: Report) -> None:
    for i, p in enumerate(s.partnerships):
        if not p.regions:
            report(
                ("partnerships", i, "regions"),
                "a partnership needs at least one region",
                "list the regions its schools lie in",
            )
        for j, region in enumerate(p.regions):
            _ref(report, ("partnerships", i, "regions", j), region, s.region, "a region")


def _check_participants(s: Scenario, report: Report) -> None:
    functions = set(KNOWN_FUNCTIONS) | set(s.rules.functions)
    for i, p in enumerate(s.participants):
        loc = ("participants", i)
        _ref(report, (*loc, "role"), p.role, s.role_ids, "a role")
        if p.partnership is not None:
            _ref(report, (*loc, "partnership"), p.partnership, s.partnership, "a partnership")
        _ref(report, (*loc, "region"), p.region, s.region, "a region")
        for j, f in enumerate(p.functions):
            _ref(report, (*loc, "functions", j), f, functions, "a group function")
        for j, c in enumerate(p.conflicts):
            _ref(report, (*loc, "conflicts", j), c, s.partnership, "a partnership")
        for j, c in enumerate(p.prefer_subjects):
            _ref(report, (*loc, "prefer_subjects", j), c, s.partnership, "a partnership")
        for j, other in enumerate(p.avoid):
            if other == p.id:
                report((*loc, "avoid", j), f"{p.id!r} cannot avoid themselves", "remove this entry")
            else:
                _ref(report, (*loc, "avoid", j), other, s.participant, "a participant")
        for j, item in enumerate(p.unavailable):
            if isinstance(item, DateRange) and item.to < item.from_:
                report(
                    (*loc, "unavailable", j),
                    f"range ends ({item.to}) before it starts ({item.from_})",
                    "swap from and to",
                )
        if p.weekdays is not None and not p.weekdays:
            report(
                (*loc, "weekdays"),
                "an empty weekday list means this person can never attend",
                "remove the key or list their days",
            )


def _check_reviews(s: Scenario, report: Report) -> None:
    cal = s.calendar
    for i, r in enumerate(s.reviews):
        loc = ("reviews", i)
        _ref(report, (*loc, "subject"), r.subject, s.partnership, "a partnership")
        lo, hi = r.earliest or cal.start, r.latest or cal.deadline
        if hi < lo and (r.earliest or r.latest):
            report((*loc, "latest"), f"latest {hi} is before earliest {lo}", "widen the window")
        for key, day in (("earliest", r.earliest), ("latest", r.latest), ("fixed_date", r.fixed_date)):
            if day is not None and not cal.start <= day <= cal.deadline:
                report(
                    (*loc, key),
                    f"{day} lies outside the calendar ({cal.start} to {cal.deadline})",
                    "move it inside calendar.start..deadline",
                )
        if (
            r.fixed_date is not None
            and cal.start <= r.fixed_date <= cal.deadline
            and not lo <= r.fixed_date <= hi
        ):
            report(
                (*loc, "fixed_date"),
                f"{r.fixed_date} lies outside the review's window {lo} to {hi}",
                "move it or widen earliest/latest",
            )
        if r.group_size is not None:
            _check_bounds(report, (*loc, "group_size"), r.group_size.min, r.group_size.max)
        if r.sessions is not None:
            _check_sessions(report, (*loc, "sessions"), r.sessions)


def _check_bounds(report: Report, loc: tuple[str | int, ...], lo: int | None, hi: int | None) -> None:
    if lo and hi and lo > hi:
        report(loc, f"min {lo} is larger than max {hi}", "make min <= max")


def _check_sessions(report: Report, loc: tuple[str | int, ...], sessions: list) -> None:
    if not sessions:
        report(
            loc,
            "a review needs at least one session",
            'add the visit: {name: Bezoek, offset_days: 0, start: "09:00", end: "16:00"}',
        )
        return
    if not any(x.offset_days == 0 for x in sessions):
        report(
            loc,
            "no session has offset_days: 0 (the review date is that session's date)",
            "give the visit offset_days: 0",
        )
    for i, x in enumerate(sessions):
        if x.end <= x.start:
            report(
                (*loc, i, "end"),
                f"session ends ({x.end}) before it starts ({x.start})",
                "make end later than start",
            )


def _check_rules(s: Scenario, report: Report) -> None:
    rules = s.rules
    _check_bounds(report, ("rules", "group_size"), rules.group_size.min, rules.group_size.max)
    for role, bounds in rules.composition.items():
        _ref(report, ("rules", "composition", role), role, s.role_ids, "a role")
        _check_bounds(report, ("rules", "composition", role), bounds.min, bounds.max)
    _check_sessions(report, ("rules", "sessions"), rules.sessions)


def _normal_name(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(folded.lower().replace(".", " ").split())


@dataclass(frozen=True)
class Duplicates:
    """People who look listed twice, and people who merely share a name.

    `likely`: (participant index, message) for entries that share an email address, or a
    name and one more identifying field (organisation, or region and role): probably one
    person listed twice, which would let them review their own partnership.
    `same_name`: the same for entries that share only a name. At national size many
    different people do (Jan de Vries), so these are counted, not listed, unless asked.
    """

    likely: list[tuple[int, str]]
    same_name: list[tuple[int, str]]


_ADVICE = (
    "probably one person listed twice; keep one entry and list the other partnership under "
    "`conflicts`, or the duplicate may review their own partnership"
)


def duplicate_warnings(s: Scenario) -> Duplicates:
    """Entries that are probably one person listed twice, and entries that share a name (SPEC 2.2)."""
    likely: list[tuple[int, str]] = []
    same_name: list[tuple[int, str]] = []
    first: dict[tuple[str, ...], int] = {}  # identifying key -> index of its first entry
    people = s.participants
    for i, p in enumerate(people):
        name = _normal_name(p.name)
        org = " ".join((p.organisation or "").lower().split())
        keys: list[tuple[tuple[str, ...], str]] = []
        if p.email and p.email.strip():
            keys.append((("email", p.email.strip().lower()), "email"))
        if org:
            keys.append((("organisation", name, org), "name and organisation"))
        keys.append((("region-role", name, p.region, p.role), "name, region and role"))
        match = next(((first[key], what) for key, what in keys if key in first), None)
        if match is not None:
            j, what = match
            other = people[j]
            likely.append(
                (i, f"{p.id!r} has the same {what} as {other.id!r} ({p.name} / {other.name}): {_ADVICE}")
            )
        elif ("name", name) in first:
            other = people[first[("name", name)]]
            same_name.append(
                (
                    i,
                    f"{p.id!r} has the same name as {other.id!r} ({p.name}), but another email, "
                    "organisation, region or role: probably two people",
                )
            )
        for key, _ in [*keys, (("name", name), "name")]:
            first.setdefault(key, i)
    return Duplicates(likely, same_name)


# -- many rows, one message -----------------------------------------------------------------

SUMMARY_AFTER = 3  # more problems of one kind than this become one message
_SHOWN = 5
_INDEX = re.compile(r"\[\d+\](?: \([^)]*\))?")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|\d+")
_SHEET_ROW = re.compile(r"^(?P<file>.*?), sheet (?P<sheet>'[^']*'|\"[^\"]*\"), row (?P<row>\d+)(?P<rest>.*)$")


def _kind(p: Problem) -> tuple[str, str, str, str]:
    """What makes problems 'the same': file (and sheet, without row), field without its index,
    message and hint without the values they quote."""
    file = p.file
    match = _SHEET_ROW.match(file)
    if match:
        file = f"{match['file']}, sheet {match['sheet']}{_QUOTED.sub('#', match['rest'])}"
    return file, _INDEX.sub("[*]", p.path), _QUOTED.sub("#", p.message), _QUOTED.sub("#", p.hint)


def _row_of(p: Problem) -> str:
    match = _SHEET_ROW.match(p.file)
    if match:
        return match["row"]
    return str(p.line) if p.line else "?"


def summarise_problems(problems: list[Problem]) -> list[Problem]:
    """The same problem in many rows as one message: the first in full, then the count and
    the first rows (lines) of the others. Order is kept (each group where it first appears)."""
    groups: dict[tuple[str, str, str, str], list[Problem]] = {}
    for p in problems:
        groups.setdefault(_kind(p), []).append(p)
    out = []
    for p in problems:
        group = groups[_kind(p)]
        if len(group) <= SUMMARY_AFTER:
            out.append(p)
        elif p is group[0]:
            rest = group[1:]
            rows = ", ".join(_row_of(q) for q in rest[:_SHOWN]) + (", …" if len(rest) > _SHOWN else "")
            where = "rows" if _SHEET_ROW.match(p.file) else "lines"
            more = f"and {len(rest)} more like it ({where} {rows})"
            out.append(replace(p, hint=f"{p.hint}; {more}" if p.hint else more))
    return out
