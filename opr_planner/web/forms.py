"""The scenario's parts as forms: which fields each part has, and how a form becomes data.

A form field holds what a person would type in a spreadsheet cell (lists separated by
`|` or `,`, date ranges as `2027-05-01..2027-05-10`, SPEC 2.2); the text goes into the
scenario data as typed and the scenario's own validators judge it, so the workbench
reports exactly the messages `validate` gives, at the field they concern.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import Problem
from ..export.i18n.dates import WEEKDAYS_LONG, WEEKDAYS_SHORT
from ..scenario.models import METRICS
from ..scenario.spreadsheet import spreadsheet_date
from ..scenario.types import WEEKDAYS


@dataclass(frozen=True)
class Field:
    key: str  # dotted path inside the part ("group_size.min")
    kind: str = "text"  # text | int | date | list | dates | select | multi | bool | time
    required: bool = False
    choices: str = (
        ""  # select, multi: roles | functions | partnerships | regions | holiday_regions | languages
    )
    labelled: bool = False  # tables show the choice's label (role, function), forms keep the id as value


@dataclass(frozen=True)
class Part:
    """One editable part of a scenario: a list of rows (`path` names the list) or one mapping."""

    name: str
    path: tuple[str, ...]
    fields: tuple[Field, ...]
    is_list: bool = True


PARTS: dict[str, Part] = {
    p.name: p
    for p in (
        Part(
            "general",
            (),
            (
                Field("name", required=True),
                Field("language", "select", choices="languages", labelled=True),
                Field("organiser.name"),
                Field("organiser.email"),
                Field("calendar.start", "date", required=True),
                Field("calendar.deadline", "date", required=True),
                Field("calendar.weekdays", "list"),
                Field("calendar.public_holidays"),
                Field("calendar.school_holidays", "bool"),
            ),
            is_list=False,
        ),
        Part("regions", ("regions",), (Field("id", required=True), Field("name"))),
        Part(
            "partnerships",
            ("partnerships",),
            (
                Field("id", required=True),
                Field("name"),
                Field("regions", "list", required=True),
                Field("holiday_region", "select", choices="holiday_regions"),
            ),
        ),
        Part(
            "participants",
            ("participants",),
            (
                Field("id", required=True),
                Field("name", required=True),
                Field("email"),
                Field("role", "select", required=True, choices="roles", labelled=True),
                Field("partnership", "select", choices="partnerships"),
                Field("region", "select", required=True, choices="regions"),
                Field("organisation"),
                Field("functions", "multi", choices="functions", labelled=True),
                Field("max_reviews", "int"),
                Field("unavailable", "dates"),
                Field("weekdays", "list"),
                Field("conflicts", "list"),
                Field("avoid", "list"),
                Field("prefer_subjects", "list"),
            ),
        ),
        Part(
            "reviews",
            ("reviews",),
            (
                Field("id", required=True),
                Field("subject", "select", required=True, choices="partnerships"),
                Field("name"),
                Field("earliest", "date"),
                Field("latest", "date"),
                Field("fixed_date", "date"),
                Field("location"),
                Field("group_size.min", "int"),
                Field("group_size.max", "int"),
            ),
        ),
        Part(
            "closed",
            ("calendar", "closed"),
            (
                Field("name"),
                Field("from", "date", required=True),
                Field("to", "date", required=True),
                Field("holiday_region", "select", choices="holiday_regions"),
            ),
        ),
        Part(
            "sessions",
            ("rules", "sessions"),
            (
                Field("name", required=True),
                Field("offset_days", "int", required=True),
                Field("start", "time", required=True),
                Field("end", "time", required=True),
                Field("location"),
            ),
        ),
        Part(
            "rules",
            ("rules",),
            (
                Field("group_size.min", "int"),
                Field("group_size.max", "int"),
                Field("min_partnerships", "int"),
                Field("max_per_partnership", "int"),
                Field("max_per_organisation", "int"),
                Field("min_regions", "int"),
                Field("min_outside_subject_regions", "int"),
                Field("max_reviews_per_participant", "int"),
                Field("min_days_between_reviews", "int"),
                Field("max_reviews_per_week", "int"),
                Field("min_reviews_per_partnership", "int"),
                Field("functions.chair", "int"),
                Field("functions.secretary", "int"),
            ),
            is_list=False,
        ),
        Part(
            "objectives",
            ("objectives",),
            tuple(Field(m, "int") for m in METRICS),
            is_list=False,
        ),
    )
}


def get(data: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(data, Mapping):
            return None
        data = data.get(part)
    return data


def put(data: dict[str, Any], dotted: str, value: Any) -> None:
    """Set (or, for None, remove) a dotted key; empty mappings left behind are removed."""
    parts = dotted.split(".")
    node = data
    trail = []
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            if value is None:
                return
            child = {}
            node[part] = child
        trail.append((node, part))
        node = child
    if value is None:
        node.pop(parts[-1], None)
        for parent, key in reversed(trail):
            if parent.get(key) == {}:
                del parent[key]
    else:
        node[parts[-1]] = value


def shown(field: Field | None, value: Any, sep: str = " | ") -> str:
    """A stored value as typed text: lists joined with `sep`, ranges with `..` (SPEC 2.2),
    dates as ISO, booleans as true/false; also a spreadsheet cell (`sep="|"`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return sep.join(shown(field, v, sep) for v in value)
    if isinstance(value, dict) and "from" in value:
        return f"{shown(field, value.get('from'), sep)}..{shown(field, value.get('to'), sep)}"
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


_INT = re.compile(r"[-+]?[0-9]{1,9}")


def parsed(field: Field, text: str) -> Any:
    """What the typed text means as scenario data (None: leave the key out)."""
    text = text.strip()
    if not text:
        return None
    if field.kind == "date":
        return _iso(text)
    if field.kind == "int":
        return int(text) if _INT.fullmatch(text) else text
    if field.kind == "bool":
        return {"true": True, "ja": True, "yes": True, "false": False, "nee": False, "no": False}.get(
            text.lower(), text
        )
    if field.kind in ("list", "dates", "multi"):
        items = [x.strip() for x in re.split(r"[|,]", text) if x.strip()]
        if field.kind == "dates":
            return [
                {"from": _iso(i.partition("..")[0]), "to": _iso(i.partition("..")[2])}
                if ".." in i
                else _iso(i)
                for i in items
            ]
        return [_weekday_id(i) for i in items] if field.key.endswith("weekdays") else items
    return text


# a weekday as typed in either language (ma, maandag, Mon, monday) -> its id in the scenario (mon)
_WEEKDAY_IDS = {
    name.lower(): day
    for names in (WEEKDAYS, *WEEKDAYS_SHORT.values(), *WEEKDAYS_LONG.values())
    for name, day in zip(names, WEEKDAYS, strict=True)
}


def _weekday_id(text: str) -> str:
    """The scenario's id of a weekday typed in Dutch or English; anything else as typed."""
    return _WEEKDAY_IDS.get(text.lower(), text)


def _iso(text: str) -> str:
    """A typed date in the scenario's spelling: 15-01-2028 (as Dutch spreadsheets write it)
    becomes 2028-01-15; anything else stays as typed, for the loader to judge."""
    day = spreadsheet_date(text.strip())
    return day.isoformat() if day is not None else text.strip()


def apply(part: Part, row: dict[str, Any], form: Mapping[str, Any]) -> dict[str, Any]:
    """`row` with every field of `part` replaced by what the form holds (other keys kept)."""
    out = json.loads(json.dumps(row, default=str))
    for field in part.fields:
        name = f"f.{field.key}"
        if field.kind == "multi":  # ticked boxes (several values of one name), or typed text
            values = form.getlist(name) if hasattr(form, "getlist") else [form.get(name, "")]
            put(out, field.key, parsed(field, "|".join(str(v) for v in values)))
        elif name in form:
            put(out, field.key, parsed(field, str(form[name])))
    return out


def fingerprint(value: Any) -> str:
    """A short fingerprint of one row as it was shown, to detect edits made elsewhere."""
    text = json.dumps(value, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def part_prefix(part: Part, index: int | None) -> str:
    base = ".".join(part.path)
    return f"{base}[{index}]" if part.is_list and index is not None else base


def problems_at(problems: list[Problem], part: Part, index: int | None, row: Any) -> dict[str, list[Problem]]:
    """The problems of one row (or mapping) by field key ('' for the row as a whole)."""
    prefix = part_prefix(part, index)
    ident = row.get("id") if isinstance(row, dict) else None
    out: dict[str, list[Problem]] = {}
    for p in problems:
        if not p.path.startswith(prefix):
            continue
        rest = p.path[len(prefix) :]
        if part.is_list and rest[:1] not in ("", " ", "."):
            continue  # participants[1] is not participants[12]
        if ident is not None and rest.startswith(f" ({ident})"):
            rest = rest[len(f" ({ident})") :]
        if not part.is_list and rest and not rest.startswith("."):
            continue
        key = re.sub(r"\[\d+\].*$", "", rest.lstrip("."))
        known = {f.key for f in part.fields}
        key = next((k for k in known if key == k or key.startswith(f"{k}.")), key if key in known else "")
        if not part.path and key == "":
            continue  # the top level: only its own fields (name, calendar.start, ...)
        out.setdefault(key, []).append(p)
    return out


def problem_key(p: Problem) -> tuple[str, str]:
    """A problem without its line number and list positions (rows move when others are removed)."""
    return re.sub(r"\[\d+\]", "[]", p.path), p.message
