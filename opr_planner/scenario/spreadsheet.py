"""Participants from a spreadsheet (SPEC 2.2): a CSV file or an Excel workbook, read into
the same participant mappings a scenario file holds.

Both readers produce a `Table` (header and rows of cells, each row with its place in the
file); this module turns a table into participant rows:

- headers in Dutch or English (`Naam`, `Rol`, `Partnerschap`, ...) name the keys
  (`columns.py`); the columns opr-planner's plan exports add about the review (date,
  sessions, ...) are skipped, and so is any column whose header starts with `#`;
- role and function labels (`instituutsopleider`, `voorzitter`) and the names of the
  scenario's partnerships and regions stand for their ids;
- dates: `2028-01-15`, `15-01-2028`, `15-1-2028` and Excel's own date cells; a range is
  `15-01-2028..19-01-2028` (or `t/m`); a column whose dates are all in another form gets
  one message, not one per cell;
- rows repeating one participant (a plan export lists a person once per review) are
  merged when they agree.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..io.yamlio import LineMap, YamlError
from .columns import LIST_KEYS, Vocabulary, is_plan_column, participant_key
from .csvfile import csv_table_from_text, decode_csv
from .table import Cell, Table, column_letter, is_workbook
from .xlsxfile import read_workbook_table

REQUIRED = ("id", "name", "role", "region")
SHOWN_ROWS = 5  # rows named in a message about many rows
SHEET_DATE_HINT = (  # how a spreadsheet may write a date (a scenario file: YYYY-MM-DD only)
    "write dates as dd-mm-jjjj (15-01-2028) or jjjj-mm-dd (2028-01-15), a range as 15-01-2028..19-01-2028"
)


def read_participants_file(
    path: Path,
    label: str,
    first_index: int,
    lines: LineMap,
    vocabulary: Vocabulary | None = None,
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Participant rows of a CSV file or a workbook, and the problems that still let them be
    read (see `participant_rows`); records each row's place in `lines`.

    `first_index` is the position the first row takes in the scenario's participant list
    (after those written in the scenario itself), so that validation messages point at
    the spreadsheet's row. Raises YamlError with every problem found.
    """
    from ..io.reader import read_bytes

    data = read_bytes(path, label=label)  # regular files only, bounded: never blocks on a FIFO
    if is_workbook(path, data[:8]):
        table = read_workbook_table(data, label)
    else:
        table = csv_table_from_text(decode_csv(data, label), label)
    return participant_rows(table, first_index, lines, vocabulary or Vocabulary())


def read_participants_bytes(
    data: bytes, filename: str, vocabulary: Vocabulary | None = None
) -> tuple[list[dict[str, Any]], list[Problem], LineMap]:
    """Participant rows of an uploaded spreadsheet (CSV or workbook, told apart by name and
    content), the problems that still let them be read, and where each row came from.
    Raises YamlError when the file cannot be read at all."""

    lines = LineMap(filename)
    if is_workbook(Path(filename), data[:8]):
        table = read_workbook_table(data, filename)
    else:
        table = csv_table_from_text(decode_csv(data, filename), filename)
    rows, problems = participant_rows(table, 0, lines, vocabulary or Vocabulary())
    return rows, problems, lines


# -- table -> participant rows -------------------------------------------------------------


def participant_rows(
    table: Table, first_index: int, lines: LineMap, vocabulary: Vocabulary
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The participant mappings of a table (see the module doc), and the problems found
    that still let the rows be read (an unknown column, a column of unreadable dates), so
    that validation can report the rest in the same run. Raises YamlError when the rows
    cannot be read at all (a required column missing)."""
    keys, problems = _columns(table)
    dates = _DateColumn(table)
    rows: list[tuple[int, dict[str, Any], dict[str, int]]] = []
    for row_no, cells in table.rows:
        if all(_blank(c) for c in cells):
            continue
        if len(cells) > len(table.header) and any(not _blank(c) for c in cells[len(table.header) :]):
            problems.append(
                table.problem(
                    row_no,
                    None,
                    f"row {row_no}",
                    f"has {len(cells)} cells but the header has {len(table.header)} columns",
                    "check for an unquoted separator inside a cell",
                )
            )
            continue  # its cells are shifted: reading them would only add confusing messages
        row: dict[str, Any] = {}
        columns: dict[str, int] = {}
        for col, cell in enumerate(cells[: len(table.header)]):
            key = keys.get(col)
            if key is None or _blank(cell):
                continue
            value = _cell(key, cell, functools.partial(dates.read, row=row_no, col=col))
            row[key] = vocabulary.value(key, value)
            columns[key] = col
        rows.append((row_no, row, columns))
    problems.extend(dates.problems())
    out = []
    for i, (row_no, row, columns) in enumerate(
        _merge_repeated([(n, dates.settle(r), c) for n, r, c in rows])
    ):
        loc = ("participants", first_index + i)
        for key, col in columns.items():
            file, line = table.where(row_no, col)
            lines.set((*loc, key), line, file)  # type: ignore[arg-type]
        file, line = table.where(row_no)
        lines.set(loc, line, file)  # type: ignore[arg-type]
        out.append(row)
    return out, problems


def _blank(cell: Cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _columns(table: Table) -> tuple[dict[int, str], list[Problem]]:
    """Column number -> participant key, and the columns that name no key (skipped);
    raises YamlError when a required column is missing."""
    from ..io.validation import did_you_mean

    problems: list[Problem] = []
    keys: dict[int, str] = {}
    seen: dict[str, int] = {}
    for col, text in enumerate(table.header):
        text = text.strip()
        if not text or text.startswith("#") or is_plan_column(text):
            continue
        key = participant_key(text)
        if key is None:
            from .columns import PARTICIPANT_HEADERS

            known = [*PARTICIPANT_HEADERS["nl"], *PARTICIPANT_HEADERS["nl"].values()]
            problems.append(
                table.problem(
                    table.header_row,
                    col,
                    f"column {text!r}",
                    "is not a participant key",
                    f"{did_you_mean(text, known)}; start the header with '#' to keep a column of notes",
                )
            )
            continue
        if key in seen:
            problems.append(
                table.problem(
                    table.header_row,
                    col,
                    f"column {text!r}",
                    f"names the key {key!r} again (also column {column_letter(seen[key])})",
                    "keep one of the two columns",
                )
            )
            continue
        seen[key] = col
        keys[col] = key
    missing = [k for k in REQUIRED if k not in seen]
    if missing:
        hint = "the header row must name these columns"
        if table.sheet is None:
            hint = "is the file separated by ',' or ';'? " + hint
        problems.append(
            table.problem(table.header_row, None, "header", f"missing column(s): {', '.join(missing)}", hint)
        )
        raise YamlError(problems)
    return keys, problems


def _cell(key: str, cell: Cell, read_date: Callable[[Any], Any]) -> Any:
    """The value of one cell for participant key `key`."""
    if isinstance(cell, dt.datetime):
        cell = cell.date() if cell.time() == dt.time() else cell
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)  # Excel keeps every number as a float: 101.0 is the id 101
    if isinstance(cell, str):
        cell = cell.strip()
        if cell.startswith("'") and cell[1:2] in _FORMULA_START:
            cell = cell[1:]  # the quote opr-planner's exports put before a would-be formula
    if key == "partnership" and isinstance(cell, str) and _SEVERAL.search(cell):
        return [x.strip() for x in _SEVERAL.split(cell) if x.strip()]  # refused with a hint (models.py)
    if key not in LIST_KEYS:
        return cell
    items = [x.strip() for x in cell.split("|") if x.strip()] if isinstance(cell, str) else [cell]
    if key == "unavailable":
        return [_range(x, read_date) for x in items]
    return items


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_SEVERAL = re.compile(r"\s*[|;]\s*")
_RANGE = re.compile(r"\s*(?:\.\.|t/m|tot en met)\s*", re.IGNORECASE)


def _range(item: Any, read_date: Callable[[Any], Any]) -> Any:
    if isinstance(item, str) and _RANGE.search(item):
        lo, hi = _RANGE.split(item, maxsplit=1)
        return {"from": read_date(lo.strip()), "to": read_date(hi.strip())}
    return read_date(item)


# -- dates ---------------------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DUTCH = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")


def spreadsheet_date(value: Any) -> dt.date | None:
    """A date written in a spreadsheet: a date cell, 2028-01-15, 15-01-2028 or 15-1-2028."""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else None
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    iso, dutch = _ISO.fullmatch(text), _DUTCH.fullmatch(text)
    try:
        if iso:
            return dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        if dutch:
            return dt.date(int(dutch.group(3)), int(dutch.group(2)), int(dutch.group(1)))
    except ValueError:
        return None
    return None


def _shape(value: Any) -> str:
    """The form of a date as written: 01/15/2028 -> 'dd/dd/dddd', for grouping messages."""
    if isinstance(value, str):
        return re.sub(r"[a-zA-Z]+", "a", re.sub(r"\d", "d", value.strip()))
    return type(value).__name__


@dataclass(frozen=True)
class _Unread:
    """A date the reader could not read, as written (until it is known whether its column
    gets one summary message or each such cell its own)."""

    value: Any


class _DateColumn:
    """Reads the dates of the `unavailable` column and collects those it cannot read.

    A column in which several dates cannot be read gets one message with the count, the
    form they are written in and the first rows, and those dates are left out; a single
    odd date is left for the validator, which names its row and column.
    """

    def __init__(self, table: Table):
        self.table = table
        self.bad: dict[int, list[tuple[int, Any]]] = {}  # column -> (row, value)
        self.summarised = False

    def read(self, value: Any, row: int, col: int) -> Any:
        day = spreadsheet_date(value)
        if day is not None:
            return day
        self.bad.setdefault(col, []).append((row, value))
        return _Unread(value)

    def problems(self) -> list[Problem]:
        out = []
        for col, bad in sorted(self.bad.items()):
            if len(bad) < 2:
                continue
            self.summarised = True
            shapes = sorted({_shape(v) for _, v in bad})
            example = bad[0][1]
            rows = ", ".join(str(r) for r, _ in bad[:SHOWN_ROWS]) + (", …" if len(bad) > SHOWN_ROWS else "")
            form = "in a form" if len(shapes) == 1 else f"in {len(shapes)} forms"
            numbers = all(isinstance(v, int | float) for _, v in bad)
            if numbers:
                message = f"{len(bad)} dates are plain numbers, e.g. {example!r} (rows {rows})"
            else:
                message = (
                    f"{len(bad)} dates are written {form} that is not read, e.g. {example!r} (rows {rows})"
                )
            hint = (
                "format these cells as dates in Excel; or " + SHEET_DATE_HINT if numbers else SHEET_DATE_HINT
            )
            header = self.table.header[col]
            out.append(self.table.problem(self.table.header_row, col, f"column {header!r}", message, hint))
        return out

    def settle(self, row: dict[str, Any]) -> dict[str, Any]:
        """The row with its unread dates left out (reported in one message) or as written
        (each reported by the validator)."""
        if "unavailable" not in row:
            return row
        items = []
        for item in row["unavailable"]:
            parts = list(item.values()) if isinstance(item, dict) else [item]
            if any(isinstance(p, _Unread) for p in parts) and self.summarised:
                continue
            if isinstance(item, dict):
                item = {k: v.value if isinstance(v, _Unread) else v for k, v in item.items()}
            elif isinstance(item, _Unread):
                item = item.value
            items.append(item)
        return {**row, "unavailable": items}


def _merge_repeated(
    rows: list[tuple[int, dict[str, Any], dict[str, int]]],
) -> list[tuple[int, dict[str, Any], dict[str, int]]]:
    """One row per participant id where a sheet repeats a person in identical rows (as a
    plan export does, once per review); rows that differ are kept, and the scenario
    check reports the id used twice."""
    first: dict[Any, dict[str, Any]] = {}
    out = []
    for row_no, row, columns in rows:
        ident = row.get("id")
        if ident is not None and isinstance(ident, str | int) and ident in first and first[ident] == row:
            continue
        if ident is not None and isinstance(ident, str | int):
            first.setdefault(ident, row)
        out.append((row_no, row, columns))
    return out
