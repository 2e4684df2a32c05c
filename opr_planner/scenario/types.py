"""Field types that read what a person meant to write in YAML or a spreadsheet."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_ALIASES = {
    **{w: w for w in WEEKDAYS},
    **dict(zip(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"), WEEKDAYS)),
    **dict(zip(("ma", "di", "wo", "do", "vr", "za", "zo"), WEEKDAYS)),
    **dict(zip(("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"), WEEKDAYS)),
}

_TIME = re.compile(r"([01]?[0-9]|2[0-3])[:.]([0-5][0-9])")
MAX_INT = 1_000_000


def _text(value: Any) -> Any:
    """Ids and names: numbers and booleans typed without quotes become their text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _day(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise ValueError("a date without a time is expected; write it as YYYY-MM-DD")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2028-03-14") from None
    raise ValueError(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2028-03-14")


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
        return int(value)
    return value


def _list(value: Any) -> Any:
    """A single value where a list is expected is read as a list of one."""
    if value is None:
        return []
    if isinstance(value, str | int | float | dt.date) and not isinstance(value, bool):
        return [value]
    return value


Text = Annotated[str, BeforeValidator(_text), Field(min_length=1, max_length=500)]
Id = Annotated[str, BeforeValidator(_text), Field(min_length=1, max_length=200)]
Day = Annotated[dt.date, BeforeValidator(_day)]
Time = Annotated[str, BeforeValidator(_time)]
Weekday = Annotated[str, BeforeValidator(_weekday)]
Count = Annotated[int, BeforeValidator(_int), Field(ge=0, le=MAX_INT)]
Offset = Annotated[int, BeforeValidator(_int), Field(ge=-3650, le=3650)]
IdList = Annotated[list[Id], BeforeValidator(_list)]
WeekdayList = Annotated[list[Weekday], BeforeValidator(_list)]
