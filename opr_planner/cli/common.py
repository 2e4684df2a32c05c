"""What every command shares: loading inputs, console output, errors mapped to exit codes."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click
from rich import box
from rich.console import Console
from rich.table import Table

from ..errors import InfeasibleError, InputError, NoSolutionError, OprPlannerError
from ..plan import Plan, read_plan
from ..scenario import Scenario, load_scenario

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_VIOLATIONS, EXIT_INPUT, EXIT_INFEASIBLE, EXIT_NO_SOLUTION = 0, 1, 2, 3, 4


def _console(stderr: bool) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else int(os.environ.get("COLUMNS", "160"))
    return Console(file=stream, width=width, highlight=False, soft_wrap=False, emoji=False, markup=False)


def out() -> Console:
    return _console(stderr=False)


def err() -> Console:
    return _console(stderr=True)


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, title: str | None = None, right: Sequence[int] = ()) -> Table:
    """A plain text table (no colours in files or pipes)."""
    t = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", show_edge=False, pad_edge=False)
    for i, h in enumerate(headers):
        t.add_column(h, justify="right" if i in right else "left", overflow="fold")
    for row in rows:
        t.add_row(*("" if v is None else str(v) for v in row))
    return t


def handle_errors(func: F) -> F:
    """Map the package's exceptions to exit codes with clear messages and no traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            for problem in exc.problems:
                click.echo(f"error: {problem}", err=True)
            sys.exit(EXIT_INPUT)
        except InfeasibleError as exc:
            click.echo("No plan is possible:", err=True)
            for reason in exc.reasons:
                click.echo(f"  - {reason}", err=True)
            if exc.suggestions:
                click.echo("What you could relax:", err=True)
                for s in exc.suggestions:
                    click.echo(f"  - {s}", err=True)
            sys.exit(EXIT_INFEASIBLE)
        except NoSolutionError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(EXIT_NO_SOLUTION)
        except OprPlannerError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


def load(scenario_path: str, *, quiet: bool = False) -> Scenario:
    """Load a scenario and show its warnings on stderr."""
    scenario = load_scenario(scenario_path)
    if not quiet:
        for warning in scenario.warnings:
            click.echo(f"warning: {warning}", err=True)
    return scenario


def load_plan(path: str, scenario: Scenario | None = None, *, quiet: bool = False) -> Plan:
    """Read a plan; warn about unknown keys and a scenario that changed since the plan was made."""
    plan, warnings = read_plan(path)
    if not quiet:
        for w in warnings:
            click.echo(f"warning: {w} (ignored)", err=True)
        if scenario is not None and plan.scenario.sha256 and plan.scenario.sha256 != scenario.sha256:
            click.echo(
                f"warning: {path} was made for a different version of {scenario.path} "
                "(scenario sha256 differs); it is judged under the scenario as it is now",
                err=True,
            )
    return plan


scenario_argument = click.argument("scenario", type=click.Path(dir_okay=True, path_type=str))
plan_argument = click.argument("plan", type=click.Path(dir_okay=True, path_type=str))


def default_plan_path(scenario_path: str) -> Path:
    stem = Path(scenario_path).name
    for suffix in (".yaml", ".yml", ".json"):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    return Path.cwd() / f"{stem}.plan.yaml"
