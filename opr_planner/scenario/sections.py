"""Regions, partnerships and reviews from the participants workbook (SPEC 2.2, optional).

A coordinator's workbook often holds more than people: a sheet of partnerships, one of
regions, one of the reviews to plan. When `participants_file` is a workbook with a sheet
named (any case) `regions` / `regio's` / `onderwijsregio's`, `partnerships` /
`partnerschappen` or `reviews`, its rows are added to that list of the scenario, after
the entries the scenario file itself has; the scenario file may then leave the list
out. Columns are the keys of the list's entries, in English or Dutch; a partnership's
`regions` separate items with `|`; review dates are read like participants' dates
(`15-01-2028`, `2028-01-15` or a date cell). Group sizes and sessions stay in the
scenario file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..io.yamlio import LineMap, YamlError
from .columns import Vocabulary, fold
from .spreadsheet import spreadsheet_date
from .table import Table, is_workbook


@dataclass(frozen=True)
class Section:
    """One optional sheet: its names, its columns (key -> header names) and which are lists or dates."""

    key: str  # the scenario list it adds to
    sheets: tuple[str, ...]
    columns: dict[str, tuple[str, ...]]
    required: tuple[str, ...]
    lists: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()

    def column(self, header: str) -> str | None:
        folded = fold(header)
        return next(
            (k for k, names in self.columns.items() if folded in {fold(n) for n in (k, *names)}), None
        )


SECTIONS = (
    Section(
        "regions",
        ("regions", "regio's", "regios", "onderwijsregio's", "onderwijsregios"),
        {"id": ("regio", "onderwijsregio", "region"), "name": ("naam",)},
        ("id",),
    ),
    Section(
        "partnerships",
        ("partnerships", "partnerschappen"),
        {
            "id": ("partnerschap", "partnership"),
            "name": ("naam",),
            "regions": ("regio's", "regios", "onderwijsregio's", "onderwijsregios"),
            "holiday_region": ("vakantieregio", "vakantie-regio", "schoolvakantieregio"),
        },
        ("id", "regions"),
        lists=("regions",),
    ),
    Section(
        "reviews",
        ("reviews",),
        {
            "id": ("review", "review-id"),
            "subject": ("partnerschap onder review", "partnerschap", "onderwerp"),
            "name": ("naam", "reviewnaam"),
            "earliest": ("vroegst", "vanaf", "niet voor"),
            "latest": ("uiterlijk", "laatst", "niet na"),
            "fixed_date": ("vaste datum",),
            "location": ("locatie", "plaats", "adres"),
        },
        ("id", "subject"),
        dates=("earliest", "latest", "fixed_date"),
    ),
)


def workbook_sections(
    path: Path, label: str, data: dict[str, Any], lines: LineMap
) -> tuple[dict[str, Any], list[Problem]]:
    """`data` with the rows of the workbook's region, partnership and review sheets added
    (see the module doc), and the problems found; a CSV file or a workbook without such
    sheets leaves `data` as it is. Raises YamlError when a sheet cannot be read at all."""
    from ..io.reader import read_bytes
    from .xlsxfile import find_sheet, open_workbook, sheet_table

    raw = read_bytes(path, label=label)
    if not is_workbook(path, raw[:8]):
        return data, []
    book = open_workbook(raw, label)
    problems: list[Problem] = []
    for section in SECTIONS:
        sheet = find_sheet(book, section.sheets)
        if sheet is None:
            continue
        table = sheet_table(book, sheet, label, section.column, ", ".join(section.required))
        existing = data.get(section.key)
        existing = existing if isinstance(existing, list) else []
        vocabulary = Vocabulary.of(data)
        rows = _rows(table, section, len(existing), lines, vocabulary, problems)
        data = {**data, section.key: [*existing, *rows]}
    return data, problems


def _rows(
    table: Table,
    section: Section,
    first_index: int,
    lines: LineMap,
    vocabulary: Vocabulary,
    problems: list[Problem],
) -> list[dict[str, Any]]:
    keys: dict[int, str] = {}
    for col, header in enumerate(table.header):
        if not header or header.startswith("#"):
            continue
        key = section.column(header)
        if key is None or key in keys.values():
            what = "is not a key of" if key is None else "repeats a column of"
            problems.append(
                table.problem(
                    table.header_row,
                    col,
                    f"column {header!r}",
                    f"{what} {section.key}",
                    f"use {', '.join(section.columns)}; start the header with '#' for a column of notes",
                )
            )
            continue
        keys[col] = key
    missing = [k for k in section.required if k not in keys.values()]
    if missing:
        raise YamlError(
            [table.problem(table.header_row, None, "header", f"missing column(s): {', '.join(missing)}")]
        )
    out: list[dict[str, Any]] = []
    for row_no, cells in table.rows:
        row: dict[str, Any] = {}
        places: dict[str, int] = {}
        for col, key in keys.items():
            cell = cells[col] if col < len(cells) else None
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                continue
            row[key] = _value(section, key, cell, vocabulary)
            places[key] = col
        if not row:
            continue
        loc = (section.key, first_index + len(out))
        for key, col in places.items():
            file, line = table.where(row_no, col)
            lines.set((*loc, key), line, file)  # type: ignore[arg-type]
        file, line = table.where(row_no)
        lines.set(loc, line, file)  # type: ignore[arg-type]
        out.append(row)
    return out


def _value(section: Section, key: str, cell: Any, vocabulary: Vocabulary) -> Any:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, str):
        cell = cell.strip()
    if key in section.dates:
        return spreadsheet_date(cell) or cell  # an unreadable date is named by the validator
    if key in section.lists:
        items = [x.strip() for x in str(cell).split("|") if x.strip()]
        return [vocabulary.value("region", x) for x in items] if key == "regions" else items
    if section.key == "reviews" and key == "subject":
        return vocabulary.value("partnership", cell)
    if key == "holiday_region" and isinstance(cell, str):
        return cell.lower()
    return cell
