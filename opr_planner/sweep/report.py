"""The trade-off table of a sweep: per variant its values, feasibility, objective, metrics, time.

Pure functions of the outcomes; the CLI prints them and `write_summary` saves the same
table as CSV (DIR/sweep.csv) for a spreadsheet.
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


FOOTNOTE = "yes* = a plan, not proven the best within the time limit; ? = no plan found in time"


def feasibility(outcome: Outcome) -> str:
    """`yes` (best plan proven), `yes*` (a plan, not proven best), `no` (none possible), `?`, `error`."""
    if outcome.feasible:
        return "yes" if outcome.status == "optimal" else "yes*"
    return {"infeasible": "no", "no_solution": "?", "interrupted": "?"}.get(outcome.status, "error")


def tradeoff_rows(varies: Sequence[Vary], outcomes: Sequence[Outcome]) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows: one column per varied key, then the figures of each variant."""
    headers = [v.short for v in varies] + ["feasible", "objective", *METRIC_KEYS, "seconds"]
    rows = []
    for o in outcomes:
        values = [format_value(o.values[v.key]) for v in varies]
        figures = [o.metrics.get(k) if o.feasible else None for k in METRIC_KEYS]
        rows.append(
            [*values, feasibility(o), o.objective if o.feasible else None, *figures, f"{o.seconds:.2f}"]
        )
    return headers, rows


def right_aligned(varies: Sequence[Vary]) -> tuple[int, ...]:
    """Column numbers of the figures (right-aligned in the printed table)."""
    first = len(varies) + 1
    return tuple(range(first, first + 2 + len(METRIC_KEYS)))


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


def best(outcomes: Sequence[Outcome]) -> Outcome | None:
    """The feasible variant with the highest objective (first in order on a tie)."""
    feasible = [o for o in outcomes if o.feasible and o.objective is not None]
    return max(feasible, key=lambda o: o.objective or 0, default=None)


def summary_csv(varies: Sequence[Vary], outcomes: Sequence[Outcome], out_dir: Path) -> str:
    """The trade-off table as CSV, with each variant's plan file (empty when it has none)."""
    headers, rows = tradeoff_rows(varies, outcomes)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["variant", *headers, "plan"])
    for o, row in zip(outcomes, rows):
        plan = plan_path(out_dir, o.name).name if o.feasible else ""
        writer.writerow([o.name, *("" if v is None else v for v in row), plan])
    return buffer.getvalue()


def write_summary(varies: Sequence[Vary], outcomes: Sequence[Outcome], out_dir: Path) -> Path:
    path = out_dir / SUMMARY_FILE
    write_atomic(path, summary_csv(varies, outcomes, out_dir))
    return path
