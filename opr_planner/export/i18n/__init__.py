"""Words in Dutch and English (SPEC 2: `language: nl | en`) for everything people read.

Calendars, spreadsheets, the board report and the workbench are read by participants,
boards and the coordinator, so their fixed words follow the scenario's `language`.
Names, session names and locations come from the scenario and are never translated.
Command-line messages stay in English and do not use this package.

The words live by audience, one source per text:

- `calendars`: invitations and their updates, spreadsheets, the list of files to resend;
- `report`: the board report, and the metrics in words;
- `rules`: the hard rules and their violations (the English is the evaluator's own);
- `fields`, `workbench`, `planning`: the workbench's pages (`workbench.workbench_words`).
- `problems`: the messages of `validate` in Dutch, where the workbench shows them.

This module holds what every audience shares: the language, fixed words (`word`),
labels of roles and functions, and dates (worded here, not with the machine's `locale`).
tests/test_i18n.py holds every table to the same keys in both languages and no key in
two tables.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ...scenario.columns import FUNCTION_LABELS, ROLE_LABELS
from ...scenario.models import DEFAULT_ROLES, Scenario
from .calendars import CALENDARS
from .dates import MONTHS, MONTHS_SHORT, WEEKDAYS_LONG, WEEKDAYS_SHORT
from .report import METRIC_MEANINGS, METRIC_NAMES, REPORT

Language = Literal["nl", "en"]
LANGUAGES: tuple[Language, ...] = ("nl", "en")

# The words of the files people receive; the workbench adds its own (workbench.py).
WORDS: dict[str, dict[str, str]] = {lang: {**CALENDARS[lang], **REPORT[lang]} for lang in LANGUAGES}


def lang_of(scenario: Scenario) -> Language:
    """The participant-facing language of a scenario (nl when unknown)."""
    return "en" if scenario.language == "en" else "nl"


def word(lang: Language, key: str, **values: object) -> str:
    """A fixed word or phrase in `lang`, with `{placeholders}` filled in."""
    text = WORDS[lang][key]
    return text.format(**values) if values else text


def words(lang: Language) -> dict[str, str]:
    """Every fixed word of `lang` (for templates)."""
    return dict(WORDS[lang])


def metric_name(lang: Language, metric: str) -> str:
    """A metric of SPEC 4 in words ('Partnerschappen die elkaar bezoeken'), not its id."""
    return METRIC_NAMES[lang].get(metric, metric)


def metric_meaning(lang: Language, metric: str) -> str:
    """One line saying what a metric of SPEC 4 measures."""
    return METRIC_MEANINGS[lang].get(metric, "")


# Role and function labels live with the spreadsheet columns, which read them back.


def role_label(scenario: Scenario, role: str, lang: Language) -> str:
    """The role's label: the scenario's own label when it declares roles, else the default in `lang`."""
    if scenario.roles is not None:
        return scenario.role_labels.get(role, role)
    if lang == "en":
        return ROLE_LABELS["en"].get(role, role)
    return dict(DEFAULT_ROLES).get(role, role)


def function_label(function: str, lang: Language) -> str:
    """A group function (chair, secretary) in `lang`; unknown functions as written."""
    return FUNCTION_LABELS[lang].get(function, function)


def long_date(day: dt.date, lang: Language) -> str:
    """'do 29 juni 2028' / 'Thu 29 June 2028'."""
    return f"{WEEKDAYS_SHORT[lang][day.weekday()]} {day.day} {MONTHS[lang][day.month - 1]} {day.year}"


def weekday(day: dt.date, lang: Language) -> str:
    """'zaterdag' / 'Saturday'."""
    return WEEKDAYS_LONG[lang][day.weekday()]


def short_month(month: int, lang: Language) -> str:
    """Abbreviated month name (1 = January)."""
    return MONTHS_SHORT[lang][month - 1]


def short_date(day: dt.date, lang: Language) -> str:
    """'29 jun' / '29 Jun'."""
    return f"{day.day} {short_month(day.month, lang)}"
