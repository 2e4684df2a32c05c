"""The scenario's parts as rows: read from the raw data (valid or not), shown with labels,
and changed one row at a time (the participants file's rows kept apart from the YAML's)."""

from __future__ import annotations

import copy
from typing import Any

from ..export.i18n import Language, function_label, word
from ..export.i18n.dates import WEEKDAYS_SHORT
from ..export.participant_rows import spreadsheet_date as shown_date
from ..scenario.columns import ROLE_LABELS
from ..scenario.models import KNOWN_FUNCTIONS
from ..scenario.spreadsheet import spreadsheet_date
from ..scenario.types import WEEKDAYS
from . import forms, workspace
from .folder import OutsideFolder


def rows_of(loaded: workspace.Loaded, part: forms.Part) -> list[dict[str, Any]]:
    """The rows of a list part; participants: those in the YAML first, then the file's."""
    if part.name == "participants":
        return [*loaded.inline, *loaded.rows]
    value = forms.get(loaded.data or {}, ".".join(part.path))
    return [r if isinstance(r, dict) else {} for r in value] if isinstance(value, list) else []


def choices(loaded: workspace.Loaded, lang: Language) -> dict[str, list[tuple[str, str]]]:
    """(value, label) of every select and check box: ids as values, labels in `lang`."""
    data = loaded.data or {}

    def ids(name: str, label: str = "name") -> list[tuple[str, str]]:
        items = _list(data.get(name))
        return [(str(x.get("id")), str(x.get(label) or x.get("id"))) for x in items if isinstance(x, dict)]

    roles = ids("roles", "label") if isinstance(data.get("roles"), list) else list(ROLE_LABELS[lang].items())
    asked = _dict(_dict(data.get("rules")).get("functions"))
    held = {str(f) for r in rows_of(loaded, forms.PARTS["participants"]) for f in _items(r.get("functions"))}
    functions = [*KNOWN_FUNCTIONS, *sorted((set(map(str, asked)) | held) - set(KNOWN_FUNCTIONS))]
    return {
        "roles": roles,
        "functions": [(f, function_label(f, lang)) for f in functions],
        "partnerships": ids("partnerships"),
        "regions": ids("regions"),
        "holiday_regions": [("noord", "noord"), ("midden", "midden"), ("zuid", "zuid")],
        "languages": [("nl", "Nederlands"), ("en", "English")],
    }


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _items(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        return [x.strip() for x in value.replace(",", "|").split("|") if x.strip()]
    return []


def cell(field: forms.Field, value: Any, labels: dict[str, dict[str, str]], lang: Language) -> str:
    """A value as a table shows it, in the page's language: roles and functions by their
    label, yes/no, weekdays by name, dates as the spreadsheets write them (15-01-2028);
    anything the reader would not understand as typed."""
    if value is None:
        return ""
    if field.labelled:
        names = labels.get(field.choices, {})
        if field.kind == "multi":
            return ", ".join(names.get(str(v), str(v)) for v in _items(value))
        return names.get(str(value), str(value))
    if field.kind == "bool" and isinstance(value, bool):
        return word(lang, "yes" if value else "no")
    if field.key.endswith("weekdays"):
        return ", ".join(_weekday(v, lang) for v in _items(value))
    if field.kind == "date":
        return _day(value, lang)
    if field.kind == "dates" and isinstance(value, list):  # one date or range a line
        return "\n".join(_span(v, lang) for v in value)
    return forms.shown(field, value)


def _weekday(value: Any, lang: Language) -> str:
    text = str(value).strip().lower()
    return WEEKDAYS_SHORT[lang][WEEKDAYS.index(text)] if text in WEEKDAYS else str(value)


def _day(value: Any, lang: Language) -> str:
    day = spreadsheet_date(value)
    return shown_date(day, lang) if day else forms.shown(None, value)


def _span(value: Any, lang: Language) -> str:
    """One unavailable date or range ({from, to} or '2028-04-01..2028-04-30')."""
    if isinstance(value, dict) and "from" in value:
        return f"{_day(value.get('from'), lang)} – {_day(value.get('to'), lang)}"
    if isinstance(value, str) and ".." in value:
        first, _, last = value.partition("..")
        return f"{_day(first, lang)} – {_day(last, lang)}"
    return _day(value, lang)


def row_of(loaded: workspace.Loaded, part: forms.Part, index: int | None) -> dict[str, Any]:
    if not part.is_list:
        node = forms.get(loaded.data or {}, ".".join(part.path)) if part.path else loaded.data
        return node if isinstance(node, dict) else {}
    rows = rows_of(loaded, part)
    if index is None:
        return {}
    if not 0 <= index < len(rows):
        raise OutsideFolder(f"{part.name}[{index}] does not exist")
    return rows[index]


def with_row(
    loaded: workspace.Loaded, part: forms.Part, index: int | None, row: dict[str, Any] | None
) -> tuple[dict[str, Any], list[dict[str, Any]] | None]:
    """The scenario data (and participants file rows, when they change) with one row set
    (None: removed; index None: added)."""
    data = copy.deepcopy(loaded.data or {})
    if not part.is_list:
        assert row is not None
        if part.path:
            forms.put(data, ".".join(part.path), row or None)
        else:
            data = row
        return data, None
    if part.name == "participants" and loaded.participants_path is not None:
        n_inline = len(loaded.inline)
        if index is not None and index < n_inline:
            people = copy.deepcopy(loaded.inline)
            people[index : index + 1] = [] if row is None else [row]
            data["participants"] = people
            return data, None
        rows = copy.deepcopy(loaded.rows)
        if index is None:
            rows.append(row or {})
        else:
            rows[index - n_inline : index - n_inline + 1] = [] if row is None else [row]
        return data, rows
    items = copy.deepcopy(forms.get(data, ".".join(part.path)) or [])
    if index is None:
        items.append(row)
    else:
        items[index : index + 1] = [] if row is None else [row]
    forms.put(data, ".".join(part.path), items)
    return data, None
