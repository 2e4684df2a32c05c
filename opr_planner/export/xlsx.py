"""The plan as an Excel workbook, and the starter workbook of `init --xlsx`.

`plan_workbook(scenario, plan)` gives the bytes of a workbook with, in the scenario's
language:

- **Overzicht / Overview**: one row per review (name, partnership, date, sessions,
  chair, members, location);
- **one sheet per review** (named after its id): its sessions and its group;
- **Per deelnemer / Per participant**: every session of every member, one row each,
  to filter or sort by person or date;
- **Deelnemers / Participants**: the scenario's participant list in the participants-file
  format, so the workbook reads back as a `participants_file` (SPEC 2.2).

Written with xlsxwriter: every text goes in as a text cell (`write_string`), so a name
that starts with `=` is shown, never run as a formula; dates are real date cells.
Like the other exporters it is a pure function; `write_xlsx` writes atomically.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from ..io.fileio import write_atomic
from ..plan import Plan
from ..scenario.columns import PARTICIPANT_HEADERS, PLAN_HEADERS, ROLE_LABELS
from ..scenario.models import Scenario
from .i18n import Language, function_label, lang_of, role_label, word
from .participant_rows import KEYS, participants_table, role_cell, spreadsheet_date
from .view import ReviewView, partnership_name, region_name, review_title, review_views, subject_name

SHEET_NAME_CHARS = 31
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_SHEETS = {
    "nl": {"overview": "Overzicht", "per_person": "Per deelnemer", "participants": "Deelnemers"},
    "en": {"overview": "Overview", "per_person": "Per participant", "participants": "Participants"},
}
_EXTRA = {
    "nl": {"members": "Aantal leden", "chair": "Voorzitter", "session": "Bijeenkomst", "time": "Tijd"},
    "en": {"members": "Members", "chair": "Chair", "session": "Session", "time": "Time"},
}


class _Book:
    """A workbook under construction with the few formats the sheets share."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(
            self.buffer,
            {
                "in_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self.bold = self.book.add_format({"bold": True, "bg_color": "#E6EEF8", "border": 1})
        self.date = self.book.add_format({"num_format": "dd-mm-yyyy", "align": "left"})
        self.wrap = self.book.add_format({"text_wrap": True, "valign": "top"})
        self.title = self.book.add_format({"bold": True, "font_size": 13})
        self.names: set[str] = set()

    def sheet(self, name: str) -> Worksheet:
        """A new sheet; names are cut to Excel's 31 characters, cleaned and kept unique."""
        base = _BAD_SHEET_CHARS.sub("_", name).strip("'") or "sheet"
        base = base[:SHEET_NAME_CHARS]
        candidate, n = base, 2
        while candidate.lower() in self.names:
            suffix = f" ({n})"
            candidate = base[: SHEET_NAME_CHARS - len(suffix)] + suffix
            n += 1
        self.names.add(candidate.lower())
        return self.book.add_worksheet(candidate)

    def table(self, ws: Worksheet, top: int, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> int:
        """Write a header row and rows from row `top`; returns the row after the table."""
        for c, text in enumerate(header):
            ws.write_string(top, c, str(text), self.bold)
        widths = [len(str(h)) for h in header]
        for r, row in enumerate(rows, start=top + 1):
            for c, value in enumerate(row):
                self.cell(ws, r, c, value)
                shown = value.strftime("%d-%m-%Y") if isinstance(value, dt.date) else str(value)
                widths[c] = max(widths[c], min(len(shown), 60))
        for c, width in enumerate(widths):
            ws.set_column(c, c, width + 2)
        if rows:
            ws.autofilter(top, 0, top + len(rows), len(header) - 1)
        return top + len(rows) + 1

    def cell(self, ws: Worksheet, row: int, col: int, value: Any) -> None:
        if value is None or value == "":
            return
        if isinstance(value, bool):
            ws.write_string(row, col, str(value).lower())
        elif isinstance(value, dt.date):
            ws.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), self.date)
        elif isinstance(value, int | float):
            ws.write_number(row, col, value)
        else:
            ws.write_string(row, col, str(value))

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


def _sessions_text(view: ReviewView, lang: Language) -> str:

    return " | ".join(
        f"{s.name} {spreadsheet_date(s.date, lang)} {s.start}-{s.end}"
        + (f" ({s.location})" if s.location else "")
        for s in view.sessions
    )


def _member_header(lang: Language) -> list[str]:
    h = PARTICIPANT_HEADERS[lang]
    return [
        h["id"],
        h["name"],
        h["role"],
        PLAN_HEADERS[lang]["function_in_group"],
        h["partnership"],
        h["region"],
        h["organisation"],
        h["email"],
    ]


def _member_rows(scenario: Scenario, view: ReviewView, lang: Language) -> list[list[Any]]:
    return [
        [
            m.id,
            m.participant.name,
            role_label(scenario, m.role, lang),
            ", ".join(function_label(f, lang) for f in m.functions),
            partnership_name(scenario, m.participant.partnership, lang),
            region_name(scenario, m.participant.region),
            m.participant.organisation or "",
            m.participant.email or "",
        ]
        for m in view.members
    ]


def plan_workbook(scenario: Scenario, plan: Plan) -> bytes:
    """The plan as an .xlsx workbook (see the module doc). Raises ExportRefused on unknown ids."""
    lang = lang_of(scenario)
    views = review_views(scenario, plan)
    names, extra, plan_h = _SHEETS[lang], _EXTRA[lang], PLAN_HEADERS[lang]
    book = _Book()

    overview = book.sheet(names["overview"])
    overview.write_string(0, 0, f"{word(lang, 'report_title')}: {scenario.name}", book.title)
    header = [
        plan_h["review_id"],
        plan_h["review_name"],
        plan_h["subject"],
        plan_h["date"],
        plan_h["sessions"],
        extra["chair"],
        extra["members"],
        word(lang, "location"),
    ]
    rows = [
        [
            v.id,
            review_title(scenario, v),
            subject_name(scenario, v),
            v.date,
            _sessions_text(v, lang),
            ", ".join(m.participant.name for m in v.chairs),
            len(v.members),
            next((s.location for s in v.sessions if s.is_visit and s.location), "") or "",
        ]
        for v in views
    ]
    book.table(overview, 2, header, rows)
    overview.freeze_panes(3, 0)

    for v in views:
        ws = book.sheet(v.id)
        ws.write_string(0, 0, review_title(scenario, v), book.title)
        ws.write_string(1, 0, f"{word(lang, 'subject')}: {subject_name(scenario, v)}")
        session_rows = [
            [s.name, s.date, f"{s.start}-{s.end}", s.location or "", s.description or ""] for s in v.sessions
        ]
        after = book.table(
            ws,
            3,
            [extra["session"], plan_h["date"], extra["time"], word(lang, "location"), word(lang, "todo")],
            session_rows,
        )
        book.table(ws, after + 1, _member_header(lang), _member_rows(scenario, v, lang))

    per_person = book.sheet(names["per_person"])
    h = PARTICIPANT_HEADERS[lang]
    agenda = []
    for v in views:
        for m in v.members:
            for s in v.sessions:
                agenda.append(
                    [
                        m.id,
                        m.participant.name,
                        s.date,
                        f"{s.start}-{s.end}",
                        review_title(scenario, v),
                        s.name,
                        s.location or "",
                    ]
                )
    agenda.sort(key=lambda row: (row[0], row[2], row[3]))
    book.table(
        per_person,
        0,
        [
            h["id"],
            h["name"],
            plan_h["date"],
            extra["time"],
            word(lang, "review"),
            extra["session"],
            word(lang, "location"),
        ],
        agenda,
    )
    per_person.freeze_panes(1, 0)

    _participants_sheet(book, scenario, names["participants"])
    return book.close()


def _participants_sheet(book: _Book, scenario: Scenario, name: str) -> Worksheet:
    header, *rows = participants_table(scenario)
    ws = book.sheet(name)
    book.table(ws, 0, header, rows)
    ws.freeze_panes(1, 0)
    return ws


def participants_workbook(scenario: Scenario) -> bytes:
    """The scenario's participants as a workbook with one sheet, `Deelnemers` (or `Participants`)."""
    book = _Book()
    sheet = _participants_sheet(book, scenario, _SHEETS[lang_of(scenario)]["participants"])
    _role_dropdown(book, sheet, scenario, len(scenario.participants))
    return book.close()


def _role_dropdown(book: _Book, ws: Worksheet, scenario: Scenario, rows: int) -> None:
    """A drop-down list of the roles in the role column (typing another value is refused)."""

    lang = lang_of(scenario)
    choices = [role_cell(scenario, r, lang) for r in scenario.role_ids]
    col = KEYS.index("role")
    ws.data_validation(
        1,
        col,
        max(rows, 1) + 500,
        col,
        {"validate": "list", "source": choices, "error_title": "Rol", "error_message": ", ".join(choices)},
    )


def starter_workbook(scenario: Scenario) -> bytes:
    """The participants workbook of `init --xlsx`: the example participants, a role drop-down,
    and a sheet that explains each column."""
    book = _Book()
    lang = lang_of(scenario)
    sheet = _participants_sheet(book, scenario, _SHEETS[lang]["participants"])
    _role_dropdown(book, sheet, scenario, len(scenario.participants))
    help_sheet = book.sheet("Toelichting" if lang == "nl" else "Help")
    rows = [[PARTICIPANT_HEADERS[lang][k], k, _HELP[k]] for k in PARTICIPANT_HEADERS[lang]]
    book.table(help_sheet, 0, ["Kolom" if lang == "nl" else "Column", "key", "—"], rows)
    help_sheet.set_column(2, 2, 100, book.wrap)
    return book.close()


_ROLES_NL = ", ".join(label for label in ROLE_LABELS["nl"].values())
_HELP = {
    "id": "Verplicht. Korte, unieke code per deelnemer, bijv. p101.",
    "name": "Verplicht. Volledige naam.",
    "email": "E-mailadres voor de agenda-uitnodigingen.",
    "role": f"Verplicht. Een van: {_ROLES_NL} (of de Engelse id, bijv. institute_educator).",
    "partnership": "Id van het eigen partnerschap; leeg = (nog) geen partnerschap. Eén partnerschap; een tweede onder Conflicten.",
    "region": "Verplicht. Id van de onderwijsregio waar de deelnemer werkt.",
    "organisation": "Schoolbestuur of instituut; schrijf het elke keer hetzelfde.",
    "functions": "Groepsfuncties die iemand kan vervullen: voorzitter, secretaris (meerdere met |).",
    "max_reviews": "Hoogstens zoveel reviews voor deze deelnemer (leeg = de regel uit het scenario).",
    "unavailable": "Data waarop iemand niet kan: 15-01-2028, of een periode 01-05-2028..10-05-2028; meerdere met |.",
    "weekdays": "Alleen deze dagen: ma|di|wo|do|vr (leeg = elke werkdag).",
    "conflicts": "Id's van partnerschappen die deze deelnemer niet mag reviewen (meerdere met |).",
    "avoid": "Id's van deelnemers met wie iemand niet in één groep komt (meerdere met |).",
    "prefer_subjects": "Id's van partnerschappen die iemand graag reviewt (meerdere met |).",
}


def table_workbook(sheet: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """One table on one sheet, with a filter row (the sweep's trade-offs, for instance)."""
    book = _Book()
    ws = book.sheet(sheet)
    book.table(ws, 0, header, rows)
    ws.freeze_panes(1, 0)
    return book.close()


def write_xlsx(scenario: Scenario, plan: Plan, path: str | Path) -> Path:
    """Write the plan workbook atomically."""
    path = Path(path)
    write_atomic(path, plan_workbook(scenario, plan))
    return path
