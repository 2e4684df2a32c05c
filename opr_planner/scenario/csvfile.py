"""A participants CSV (SPEC 2.2) read into a `Table`: UTF-8, comma or semicolon separated.

What the columns mean and how cells become values is the same for CSV files and
workbooks: see `spreadsheet.py`.
"""

from __future__ import annotations

import csv
import io

from ..errors import Problem
from ..io.yamlio import YamlError
from .models import Participant
from .table import Cell, Table

COLUMNS = tuple(Participant.model_fields)


def _delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def decode_csv(data: bytes, label: str) -> str:
    """The text of an uploaded CSV file (UTF-8, with or without BOM), or YamlError."""
    if b"\x00" in data:
        raise YamlError(
            [Problem(label, None, "", "is a binary file, not text", "save it as CSV UTF-8 or .xlsx")]
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlError(
            [
                Problem(
                    label,
                    line,
                    "",
                    f"is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                    "save the file as UTF-8 (in Excel: 'CSV UTF-8'), or as a workbook (.xlsx)",
                )
            ]
        ) from None


def csv_table_from_text(text: str, label: str) -> Table:
    """A CSV document as a table: the header row and each data row with its line number."""
    if not text.strip():
        raise YamlError(
            [
                Problem(
                    label,
                    None,
                    "",
                    "the participants file is empty",
                    "add a header row and one row per participant",
                )
            ]
        )
    header_line = text.lstrip("\ufeff").splitlines()[0]
    if "\t" in header_line and "," not in header_line and ";" not in header_line:
        raise YamlError(
            [
                Problem(
                    label,
                    1,
                    "header",
                    "the columns are separated by tabs, not by ',' or ';'",
                    "save the sheet as CSV (in Excel: 'CSV UTF-8'), or use the workbook (.xlsx) itself",
                )
            ]
        )
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=_delimiter(header_line))
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise YamlError([Problem(label, 1, "", f"cannot read the header row ({exc})")]) from None
    rows: list[tuple[int, list[Cell]]] = []
    try:
        for cells in reader:
            rows.append((reader.line_num, list(cells)))
    except csv.Error as exc:
        raise YamlError(
            [
                Problem(
                    label,
                    reader.line_num,
                    "",
                    f"cannot read this row ({exc})",
                    "check the quotes in this row",
                )
            ]
        ) from None
    return Table(label, header, rows)
