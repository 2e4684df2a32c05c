"""The plan as a spreadsheet: one row per (review, member).

Made for Excel as it is set up in the Netherlands: UTF-8 with a byte-order mark (so
Excel does not read the names as Windows-1252), `;` as separator (the Dutch list
separator; a `,` would split every row into one column) and CRLF line ends. LibreOffice
and Python's csv module read it too. Cells that a spreadsheet would run as a formula
(starting with =, +, -, @, tab, CR or LF) get a leading single quote: names and
locations come from other people and must never execute (CSV injection).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..io.fileio import write_atomic
from ..plan import Plan
from ..scenario.models import Scenario
from .i18n import function_label, lang_of, role_label, word
from .view import partnership_name, region_name, review_views, subject_name

BOM = "\ufeff"
DELIMITER = ";"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value: str) -> str:
    """Prefix a single quote to a cell a spreadsheet would read as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_rows(scenario: Scenario, plan: Plan) -> list[list[str]]:
    """The header and one row per (review, member), reviews in scenario order, members by id."""
    lang = lang_of(scenario)
    header = [
        word(lang, "review_id"),
        word(lang, "review_name"),
        word(lang, "date"),
        word(lang, "sessions"),
        word(lang, "subject"),
        word(lang, "participant"),
        word(lang, "name"),
        word(lang, "role"),
        word(lang, "partnership"),
        word(lang, "region"),
        word(lang, "function_in_group"),
        word(lang, "organisation"),
        word(lang, "email"),
    ]
    rows = [header]
    for view in review_views(scenario, plan):
        sessions = " | ".join(
            f"{s.name} {s.date.isoformat()} {s.start}-{s.end}" + (f" ({s.location})" if s.location else "")
            for s in view.sessions
        )
        for m in view.members:
            p = m.participant
            rows.append(
                [
                    view.id,
                    view.review.name or "",
                    view.date.isoformat(),
                    sessions,
                    subject_name(scenario, view),
                    p.id,
                    p.name,
                    role_label(scenario, p.role, lang),
                    partnership_name(scenario, p.partnership, lang),
                    region_name(scenario, p.region),
                    ", ".join(function_label(f, lang) for f in m.functions),
                    p.organisation or "",
                    p.email or "",
                ]
            )
    return rows


def csv_text(scenario: Scenario, plan: Plan) -> str:
    """The spreadsheet as text: BOM, `;`-separated, CRLF, every risky cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for row in csv_rows(scenario, plan):
        writer.writerow([neutralise(cell) for cell in row])
    return BOM + buffer.getvalue()


def write_csv(scenario: Scenario, plan: Plan, path: str | Path) -> Path:
    """Write the spreadsheet atomically (UTF-8 with BOM)."""
    path = Path(path)
    write_atomic(path, csv_text(scenario, plan).encode("utf-8"))
    return path
