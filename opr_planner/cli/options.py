"""Options shared by the commands that search (solve, repair, alternatives, sweep)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..solver.params import DEFAULT_WORKERS

F = TypeVar("F", bound=Callable[..., Any])

MAX_SEED = 2**31 - 1  # CP-SAT's random_seed is a 32-bit integer
MAX_SECONDS = 10_000_000  # 116 days; waits longer than that overflow the system's timers


class FiniteFloat(click.ParamType):
    """A finite number in [low, high]: click's FloatRange lets `nan` through (every
    comparison with nan is false), and `inf` or 1e400 (= inf) break the solver's timers."""

    name = "float"

    def __init__(self, low: float, high: float, what: str):
        self.low, self.high, self.what = low, high, what

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if not math.isfinite(number):
            self.fail(f"{value!r} is not {self.what}", param, ctx)
        if not self.low <= number <= self.high:
            self.fail(f"{number:g} is not in the range {_shown(self.low)} to {_shown(self.high)}", param, ctx)
        return number

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return f"FLOAT RANGE ({_shown(self.low)} to {_shown(self.high)})"


def _shown(x: float) -> str:
    return f"{int(x):,}" if x == int(x) and x >= 1000 else f"{x:g}"


SECONDS = FiniteFloat(0.1, MAX_SECONDS, "a number of seconds")
FRACTION = FiniteFloat(0.0, 1.0, "a fraction from 0 to 1")

WORKERS_HELP = (
    "CP-SAT search workers (default: 4 that work on the bound while local search finds plans; "
    f"{DEFAULT_WORKERS} where there is no local search). Use 1 for byte-identical reruns."
)


GAP_HELP = (
    "Stop once the plan is proven within this relative gap of the bound "
    "(e.g. 0.01 for 1%); status optimal only when the bound is reached."
)


def search_options(
    *,
    time_help: str = "Seconds to search (deterministic time with --workers 1).",
    workers: bool = True,
    gap: bool = False,
) -> Callable[[F], F]:
    """--time-limit, --seed, (unless workers=False) --workers and (with gap=True) --gap,
    the same everywhere."""

    def decorate(func: F) -> F:
        if gap:
            func = click.option("--gap", type=FRACTION, default=None, help=GAP_HELP)(func)
        if workers:
            func = click.option(
                "--workers", type=click.IntRange(min=1, max=64), default=None, help=WORKERS_HELP
            )(func)
        func = click.option(
            "--seed",
            type=click.IntRange(min=0, max=MAX_SEED),
            default=0,
            show_default=True,
            help="Random seed of the search.",
        )(func)
        return click.option("--time-limit", type=SECONDS, default=60.0, show_default=True, help=time_help)(
            func
        )

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
