"""The trade-off table of a sweep: per variant its values, feasibility, objective, metrics,
people and seats, time.

Pure functions of the outcomes; the CLI prints them and `write_summary` saves the same
table for a spreadsheet: DIR/sweep.csv as Dutch Excel opens it (UTF-8 with BOM, `;`) and
DIR/sweep.xlsx. Variants with the same highest objective are a tie, named as such; when
the sweep varies the objective's weights, objectives of different variants do not
compare and no variant is called the best.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..io.fileio import write_atomic
from ..plan import METRIC_KEYS
from .run import Outcome, plan_path
from .variants import Vary, format_value

SUMMARY_FILE = "sweep.csv"
SUMMARY_BOOK = "sweep.xlsx"


FOOTNOTE = "yes* = a plan, not proven the best within the time limit; ? = no plan found in time"


def feasibility(outcome: Outcome) -> str:
    """`yes` (best plan proven), `yes*` (a plan, not proven best), `no` (none possible), `?`, `error`."""
    if outcome.feasible:
        return "yes" if outcome.status == "optimal" else "yes*"
    return {"infeasible": "no", "no_solution": "?", "interrupted": "?"}.get(outcome.status, "error")


def tradeoff_rows(varies: Sequence[Vary], outcomes: Sequence[Outcome]) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows: one column per varied key, then the figures of each variant."""
    headers = [v.short for v in varies] + [
        "feasible",
        "objective",
        *METRIC_KEYS,
        "people",
        "seats",
        "seconds",
    ]
    rows = []
    for o in outcomes:
        values = [format_value(o.values[v.key]) for v in varies]
        figures = [o.metrics.get(k) if o.feasible else None for k in METRIC_KEYS]
        counts = [o.people, o.seats] if o.feasible else [None, None]
        rows.append(
            [
                *values,
                feasibility(o),
                o.objective if o.feasible else None,
                *figures,
                *counts,
                f"{o.seconds:.2f}",
            ]
        )
    return headers, rows


def right_aligned(varies: Sequence[Vary]) -> tuple[int, ...]:
    """Column numbers of the figures (right-aligned in the printed table)."""
    first = len(varies) + 1
    return tuple(range(first, first + 4 + len(METRIC_KEYS)))


def explanations(outcomes: Sequence[Outcome]) -> list[tuple[str, list[str], list[str]]]:
    """(variant, reasons, suggestions) for each variant without a plan, in order."""
    out = []
    for o in outcomes:
        if o.status == "infeasible":
            out.append((o.name, list(o.reasons), list(o.suggestions)))
        elif not o.feasible:
            reason = o.message or {"no_solution": "no plan found within the time limit"}.get(
                o.status, o.status
            )
            out.append((o.name, [reason], []))
    return out


def best(outcomes: Sequence[Outcome]) -> list[Outcome]:
    """The feasible variants with the highest objective: one, or several that tie."""
    feasible = [o for o in outcomes if o.feasible and o.objective is not None]
    if not feasible:
        return []
    top = max(o.objective or 0 for o in feasible)
    return [o for o in feasible if o.objective == top]


def verdict(varies: Sequence[Vary], outcomes: Sequence[Outcome]) -> str:
    """The sentence about the best variant: one, a tie, or no comparison across weights."""
    weighted = [v.key for v in varies if v.key.startswith("objectives.")]
    top = best(outcomes)
    if not top:
        return ""
    if weighted:
        return (
            f"the variants weigh the metrics differently ({', '.join(weighted)} varied), so their objectives "
            "do not compare; compare the metrics, people and seats"
        )
    if len(top) > 1:
        names = ", ".join(o.name for o in top[:-1]) + f" and {top[-1].name}"
        return (
            f"highest objective {top[0].objective}: {names} tie (equally good by the weights; "
            "compare the metrics, people and seats)"
        )
    return f"highest objective {top[0].objective}: {top[0].name}"


def summary_table(varies: Sequence[Vary], outcomes: Sequence[Outcome], out_dir: Path) -> list[list[Any]]:
    """The trade-off table with each variant's name first and its plan file last."""
    headers, rows = tradeoff_rows(varies, outcomes)
    table: list[list[Any]] = [["variant", *headers, "plan"]]
    for o, row in zip(outcomes, rows):
        plan = plan_path(out_dir, o.name).name if o.feasible else ""
        table.append([o.name, *("" if v is None else v for v in row), plan])
    return table


def summary_csv(varies: Sequence[Vary], outcomes: Sequence[Outcome], out_dir: Path) -> str:
    """The trade-off table as CSV for Dutch Excel: BOM, `;`, CRLF, formula cells neutralised."""
    from ..export.csv import BOM, DELIMITER, neutralise

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    for row in summary_table(varies, outcomes, out_dir):
        writer.writerow([neutralise(str(cell)) for cell in row])
    return BOM + buffer.getvalue()


def summary_workbook(varies: Sequence[Vary], outcomes: Sequence[Outcome], out_dir: Path) -> bytes:
    """The trade-off table as an .xlsx workbook (numbers as numbers)."""
    from ..export.xlsx import table_workbook

    header, *rows = summary_table(varies, outcomes, out_dir)
    numeric = [[_number(cell) for cell in row] for row in rows]
    return table_workbook("sweep", header, numeric)


def _number(cell: Any) -> Any:
    if isinstance(cell, str):
        try:
            return float(cell) if "." in cell else int(cell)
        except ValueError:
            return cell
    return cell


def write_summary(varies: Sequence[Vary], outcomes: Sequence[Outcome], out_dir: Path) -> Path:
    """Write DIR/sweep.csv and DIR/sweep.xlsx (atomically); returns the CSV's path."""
    path = out_dir / SUMMARY_FILE
    write_atomic(path, summary_csv(varies, outcomes, out_dir).encode("utf-8"))
    write_atomic(out_dir / SUMMARY_BOOK, summary_workbook(varies, outcomes, out_dir))
    return path
