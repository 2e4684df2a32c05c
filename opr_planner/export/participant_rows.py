"""A participant as the cells of a participants spreadsheet, in the scenario's language:
the one row layout that the CSV (`participants.py`) and the workbook (`xlsx.py`) both write
and that reads back as a `participants_file` (SPEC 2.2).
"""

from __future__ import annotations

import datetime as dt

from ..scenario.columns import FUNCTION_LABELS, PARTICIPANT_HEADERS, ROLE_LABELS, Vocabulary, fold
from ..scenario.models import DateRange, Participant, Scenario
from ..scenario.types import WEEKDAYS
from .i18n import Language, lang_of

KEYS = tuple(PARTICIPANT_HEADERS["nl"])
_WEEKDAYS_NL = ("ma", "di", "wo", "do", "vr", "za", "zo")


def spreadsheet_date(day: dt.date, lang: Language) -> str:
    """15-01-2028 (Dutch, as Dutch Excel writes dates) or 2028-01-15."""
    return f"{day.day:02d}-{day.month:02d}-{day.year}" if lang == "nl" else day.isoformat()


def role_cell(scenario: Scenario, role: str, lang: Language) -> str:
    """The role's label when it reads back as this role, else its id."""
    vocabulary = Vocabulary(roles=scenario.role_labels if scenario.roles is not None else None)
    if scenario.roles is not None:
        label = scenario.role_labels.get(role) or role
    else:
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
        "role": role_cell(scenario, p.role, lang),
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
