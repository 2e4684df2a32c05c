"""A sheet as read from a CSV file or a workbook: the `Table` both spreadsheet readers
produce, and the few facts about workbook files they share (how Excel names a column,
how a workbook is recognised by its name or first bytes).

Its own module so that the readers (`csvfile`, `xlsxfile`, `sections`) and the module that
turns a table into participants (`spreadsheet`) depend on it, never on each other.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
ZIP_MAGIC, OLE_MAGIC = b"PK\x03\x04", b"\xd0\xcf\x11\xe0"

Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | None


@dataclass
class Table:
    """A sheet as read: the header row and the data rows, each cell with its place."""

    label: str  # the file, as messages name it
    header: list[str]
    rows: list[tuple[int, list[Cell]]]  # (line or row number, cells)
    header_row: int = 1
    sheet: str | None = None  # the worksheet's name (workbooks only)
    notes: list[str] = field(default_factory=list)

    def where(self, row: int, column: int | None = None) -> tuple[str, int | None]:
        """(file label, line) of a cell: CSV as file:line; a workbook as sheet, row, column."""
        if self.sheet is None:
            return self.label, row
        place = f"{self.label}, sheet {self.sheet!r}, row {row}"
        if column is not None:
            header = self.header[column] if column < len(self.header) else ""
            place += f", column {column_letter(column)}" + (f" ({header})" if header else "")
        return place, None

    def problem(self, row: int, column: int | None, path: str, message: str, hint: str = "") -> Problem:
        file, line = self.where(row, column)
        return Problem(file, line, path, message, hint)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how Excel names a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def is_workbook(path: Path, head: bytes = b"") -> bool:
    """A workbook by its name or, whatever its name, by its first bytes (zip or OLE container)."""
    return path.suffix.lower() in WORKBOOK_SUFFIXES or head.startswith((ZIP_MAGIC, OLE_MAGIC))
