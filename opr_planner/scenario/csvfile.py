"""Participants from a spreadsheet (SPEC 2.2): UTF-8 CSV, comma or semicolon separated."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..io.validation import did_you_mean
from ..io.yamlio import LineMap, YamlError, read_text
from .models import Participant

LIST_COLUMNS = ("functions", "weekdays", "conflicts", "avoid", "prefer_subjects", "unavailable")
COLUMNS = tuple(Participant.model_fields)
REQUIRED = tuple(name for name, f in Participant.model_fields.items() if f.is_required())


def _delimiter(header: str) -> str:
    return ";" if header.count(";") > header.count(",") else ","


def read_participants_csv(path: Path, label: str, first_index: int, lines: LineMap) -> list[dict[str, Any]]:
    """Rows of the CSV as participant mappings; records each row's line in `lines`.

    `first_index` is the position the first row takes in the scenario's participant
    list, so that later validation messages can point at the CSV row.
    """
    try:
        text, _ = read_text(path, label=label)
    except YamlError as exc:
        raise exc from None
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
                    "save the sheet as CSV (in Excel: 'CSV UTF-8')",
                )
            ]
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(header_line))
    problems: list[Problem] = []
    try:
        header = [h.strip().lower() for h in next(reader)]
    except csv.Error as exc:
        raise YamlError([Problem(label, 1, "", f"cannot read the header row ({exc})")]) from None
    for col in header:
        if col and col not in COLUMNS:
            problems.append(
                Problem(label, 1, f"column {col!r}", "is not a participant key", did_you_mean(col, COLUMNS))
            )
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        hint = "is the file separated by ',' or ';'? the header must name these columns"
        problems.append(Problem(label, 1, "header", f"missing column(s): {', '.join(missing)}", hint))
    if problems:
        raise YamlError(problems)

    rows: list[dict[str, Any]] = []
    row_no = 0
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            loc = ("participants", first_index + row_no)
            if len(cells) > len(header):
                problems.append(
                    Problem(
                        label,
                        line,
                        f"row {line}",
                        f"has {len(cells)} cells but the header has {len(header)} columns",
                        "check for an unquoted separator inside a cell",
                    )
                )
            row: dict[str, Any] = {}
            for col, cell in zip(header, cells, strict=False):
                cell = cell.strip()
                if not col or cell == "":
                    continue
                row[col] = _cell(col, cell)
                lines.set((*loc, col), line, label)
            lines.set(loc, line, label)
            rows.append(row)
            row_no += 1
    except csv.Error as exc:
        problems.append(
            Problem(
                label, reader.line_num, "", f"cannot read this row ({exc})", "check the quotes in this row"
            )
        )
    if problems:
        raise YamlError(problems)
    return rows


def _cell(col: str, cell: str) -> Any:
    if col not in LIST_COLUMNS:
        return cell
    items = [x.strip() for x in cell.split("|") if x.strip()]
    if col == "unavailable":
        return [_range(x) for x in items]
    return items


def _range(item: str) -> Any:
    if ".." in item:
        lo, _, hi = item.partition("..")
        return {"from": lo.strip(), "to": hi.strip()}
    return item
