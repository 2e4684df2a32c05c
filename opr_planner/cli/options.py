"""Options shared by the commands that search (solve, repair, alternatives, sweep)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..solver.params import DEFAULT_WORKERS

F = TypeVar("F", bound=Callable[..., Any])

WORKERS_HELP = (
    "CP-SAT search workers (default: 4 that work on the bound while local search finds plans; "
    f"{DEFAULT_WORKERS} where there is no local search). Use 1 for byte-identical reruns."
)


def search_options(
    *, time_help: str = "Seconds to search (deterministic time with --workers 1).", workers: bool = True
) -> Callable[[F], F]:
    """--time-limit, --seed and (unless workers=False) --workers, the same everywhere."""

    def decorate(func: F) -> F:
        if workers:
            func = click.option(
                "--workers", type=click.IntRange(min=1, max=64), default=None, help=WORKERS_HELP
            )(func)
        func = click.option(
            "--seed",
            type=click.IntRange(min=0),
            default=0,
            show_default=True,
            help="Random seed of the search.",
        )(func)
        return click.option(
            "--time-limit", type=click.FloatRange(min=0.1), default=60.0, show_default=True, help=time_help
        )(func)

    return decorate


# The share of the time limit kept for computing --backups after the search (solve,
# repair); backups not done by the deadline are left out, and the command says so.
BACKUP_SHARE = 0.15

backups_option = click.option(
    "--backups",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Store up to N ranked stand-ins per review in the plan (0: none).",
)
