"""The scenario's participants as a spreadsheet that reads back as a `participants_file`.

Headers, role and function labels, weekdays and dates are written in the scenario's
language (`Rol: instituutsopleider`, `Niet beschikbaar: 01-04-2028..30-04-2028`); ids are
kept for partnerships, regions and people, as the scenario file writes them. Reading the
file back (CSV or workbook) gives the same participants: tests/test_spreadsheets.py
holds opr-planner to that.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..io.fileio import write_atomic
from ..scenario.models import Scenario
from .csv import BOM, DELIMITER, neutralise
from .participant_rows import participants_table
from .xlsx import participants_workbook


def participants_csv_text(scenario: Scenario) -> str:
    """The participants as CSV for Excel (BOM, `;`, CRLF, formula cells neutralised)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    for row in participants_table(scenario):
        writer.writerow([neutralise(cell) for cell in row])
    return BOM + buffer.getvalue()


def write_participants(scenario: Scenario, path: str | Path) -> Path:
    """Write the participants as CSV, or as a workbook when `path` ends in .xlsx (atomically)."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        write_atomic(path, participants_workbook(scenario))
    else:
        write_atomic(path, participants_csv_text(scenario).encode("utf-8"))
    return path
