"""Field types that read what a person meant to write in YAML or a spreadsheet."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_ALIASES = {
    **{w: w for w in WEEKDAYS},
    **dict(zip(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"), WEEKDAYS)),
    **dict(zip(("ma", "di", "wo", "do", "vr", "za", "zo"), WEEKDAYS)),
    **dict(zip(("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"), WEEKDAYS)),
}

_TIME = re.compile(r"([01]?[0-9]|2[0-3])[:.]([0-5][0-9])")
MAX_INT = 1_000_000
FIRST_YEAR, LAST_YEAR = 1900, 2999  # of any date in a scenario or plan
MAX_OFFSET = 3650  # days between a session and its review date, either way


def _text(value: Any) -> Any:
    """Ids and names: numbers and booleans typed without quotes become their text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return value.strip()
    return value


# C0 and C1 control characters (and DEL): they garble calendars, spreadsheets and the
# terminal (ESC starts a terminal command). Tab and line breaks are fine in free text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ID_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_EMAIL = re.compile(r"[^\s@<>\"(),;:\[\]\\]+@[^\s@<>\"(),;:\[\]\\]+")


def _printable(value: str, pattern: re.Pattern[str] = _CONTROL) -> str:
    found = pattern.search(value)
    if found:
        raise ValueError(
            f"contains the control character {found.group()!r} at position {found.start() + 1}; remove it"
        )
    return value


def _id_printable(value: str) -> str:
    return _printable(value, _ID_CONTROL)


def _email(value: str) -> str:
    if not _EMAIL.fullmatch(value):
        raise ValueError(
            f"{value!r} is not an e-mail address; write one address like name@example.org, or leave it out"
        )
    return value


DATE_HINT = "write it as YYYY-MM-DD, e.g. 2028-03-14"  # how a scenario file writes a date


def _day(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise ValueError("a date without a time is expected; write it as YYYY-MM-DD")
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a date; {DATE_HINT}") from None
    if not isinstance(value, dt.date):
        raise ValueError(f"{value!r} is not a date; {DATE_HINT}")
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        # Far-off years are typos, and date arithmetic near year 1 or 9999 overflows.
        raise ValueError(
            f"{value.isoformat()} lies outside the years {FIRST_YEAR}-{LAST_YEAR}; is the year mistyped?"
        )
    return value


def _time(value: Any) -> Any:
    if isinstance(value, str):
        match = _TIME.fullmatch(value.strip())
        if match:
            return f"{int(match.group(1)):02d}:{match.group(2)}"
    raise ValueError(f'{value!r} is not a time of day; write it as HH:MM, e.g. "15:00"')


def _weekday(value: Any) -> Any:
    if isinstance(value, str) and value.strip().lower() in _WEEKDAY_ALIASES:
        return _WEEKDAY_ALIASES[value.strip().lower()]
    raise ValueError(f"{value!r} is not a weekday; use mon, tue, wed, thu, fri, sat or sun")


def _int(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a whole number")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*[-+]?[0-9]+\s*", value):
        if len(value.strip()) > 20:
            raise ValueError(f"{value.strip()[:20]}... is far too large a number")
        return int(value)
    return value


def _list(value: Any) -> Any:
    """A single value where a list is expected is read as a list of one."""
    if value is None:
        return []
    if isinstance(value, str | int | float | dt.date) and not isinstance(value, bool):
        return [value]
    return value


Text = Annotated[str, BeforeValidator(_text), Field(min_length=1, max_length=500), AfterValidator(_printable)]
Id = Annotated[
    str, BeforeValidator(_text), Field(min_length=1, max_length=200), AfterValidator(_id_printable)
]
FreeText = Annotated[str, BeforeValidator(_text), Field(max_length=500), AfterValidator(_printable)]
# Instructions for participants (a session's description): a paragraph or a short list.
LongText = Annotated[
    str, BeforeValidator(_text), Field(min_length=1, max_length=4000), AfterValidator(_printable)
]
Email = Annotated[str, BeforeValidator(_text), Field(min_length=1, max_length=320), AfterValidator(_email)]
Day = Annotated[dt.date, BeforeValidator(_day)]
Time = Annotated[str, BeforeValidator(_time)]
Weekday = Annotated[str, BeforeValidator(_weekday)]
Count = Annotated[int, BeforeValidator(_int), Field(ge=0, le=MAX_INT)]
Offset = Annotated[int, BeforeValidator(_int), Field(ge=-MAX_OFFSET, le=MAX_OFFSET)]
IdList = Annotated[list[Id], BeforeValidator(_list)]
WeekdayList = Annotated[list[Weekday], BeforeValidator(_list)]
