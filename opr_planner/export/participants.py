"""The scenario's participants as a spreadsheet that reads back as a `participants_file`.

Headers, role and function labels, weekdays and dates are written in the scenario's
language (`Rol: instituutsopleider`, `Niet beschikbaar: 01-04-2028..30-04-2028`); ids are
kept for partnerships, regions and people, as the scenario file writes them. Reading the
file back (CSV or workbook) gives the same participants: tests/test_spreadsheets.py
holds opr-planner to that.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from ..io.fileio import write_atomic
from ..scenario.columns import FUNCTION_LABELS, PARTICIPANT_HEADERS, Vocabulary, fold
from ..scenario.models import DateRange, Participant, Scenario
from ..scenario.types import WEEKDAYS
from .csv import BOM, DELIMITER, neutralise
from .i18n import Language, lang_of

KEYS = tuple(PARTICIPANT_HEADERS["nl"])
_WEEKDAYS_NL = ("ma", "di", "wo", "do", "vr", "za", "zo")


def spreadsheet_date(day: dt.date, lang: Language) -> str:
    """15-01-2028 (Dutch, as Dutch Excel writes dates) or 2028-01-15."""
    return f"{day.day:02d}-{day.month:02d}-{day.year}" if lang == "nl" else day.isoformat()


def _role(scenario: Scenario, role: str, lang: Language) -> str:
    """The role's label when it reads back as this role, else its id."""
    vocabulary = Vocabulary(roles=scenario.role_labels if scenario.roles is not None else None)
    if scenario.roles is not None:
        label = scenario.role_labels.get(role) or role
    else:
        from ..scenario.columns import ROLE_LABELS

        label = ROLE_LABELS[lang].get(role, role)
    return label if vocabulary.roles.get(fold(label)) == role else role


def participant_cells(scenario: Scenario, p: Participant, lang: Language) -> list[str]:
    """One participant as the cells of a participants spreadsheet (columns `KEYS`)."""
    days = _WEEKDAYS_NL if lang == "nl" else WEEKDAYS
    unavailable = [
        f"{spreadsheet_date(item.from_, lang)}..{spreadsheet_date(item.to, lang)}"
        if isinstance(item, DateRange)
        else spreadsheet_date(item, lang)
        for item in p.unavailable
    ]
    values: dict[str, str] = {
        "id": p.id,
        "name": p.name,
        "email": p.email or "",
        "role": _role(scenario, p.role, lang),
        "partnership": p.partnership or "",
        "region": p.region,
        "organisation": p.organisation or "",
        "functions": "|".join(FUNCTION_LABELS[lang].get(f, f) for f in p.functions),
        "max_reviews": "" if p.max_reviews is None else str(p.max_reviews),
        "unavailable": "|".join(unavailable),
        "weekdays": "" if p.weekdays is None else "|".join(days[WEEKDAYS.index(w)] for w in p.weekdays),
        "conflicts": "|".join(p.conflicts),
        "avoid": "|".join(p.avoid),
        "prefer_subjects": "|".join(p.prefer_subjects),
    }
    return [values[k] for k in KEYS]


def participants_table(scenario: Scenario) -> list[list[str]]:
    """The header and one row per participant, in the scenario's order."""
    lang = lang_of(scenario)
    header = [PARTICIPANT_HEADERS[lang][k] for k in KEYS]
    return [header, *(participant_cells(scenario, p, lang) for p in scenario.participants)]


def participants_csv_text(scenario: Scenario) -> str:
    """The participants as CSV for Excel (BOM, `;`, CRLF, formula cells neutralised)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for row in participants_table(scenario):
        writer.writerow([neutralise(cell) for cell in row])
    return BOM + buffer.getvalue()


def write_participants(scenario: Scenario, path: str | Path) -> Path:
    """Write the participants as CSV, or as a workbook when `path` ends in .xlsx (atomically)."""
    from .xlsx import participants_workbook

    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        write_atomic(path, participants_workbook(scenario))
    else:
        write_atomic(path, participants_csv_text(scenario).encode("utf-8"))
    return path
