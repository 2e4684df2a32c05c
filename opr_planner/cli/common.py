"""What every command shares: loading inputs, console output, errors mapped to exit codes."""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click
from rich import box
from rich.console import Console
from rich.table import Table

from ..errors import InfeasibleError, InputError, NoSolutionError, OprPlannerError, OutputError, Problem
from ..plan import Plan, made_for, read_plan
from ..scenario import Scenario, load_scenario

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_VIOLATIONS, EXIT_INPUT, EXIT_INFEASIBLE, EXIT_NO_SOLUTION = 0, 1, 2, 3, 4


def _columns() -> int:
    """Width of output to files and pipes: $COLUMNS when it is a sensible number, else 160."""
    value = os.environ.get("COLUMNS", "").strip()
    return min(max(int(value), 40), 10_000) if value.isdigit() and len(value) < 6 else 160


def _console(stderr: bool) -> Console:
    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else _columns()
    return Console(file=stream, width=width, highlight=False, soft_wrap=False, emoji=False, markup=False)


def out() -> Console:
    return _console(stderr=False)


def err() -> Console:
    return _console(stderr=True)


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    title: str | None = None,
    right: Sequence[int] = (),
) -> Table:
    """A plain text table (no colours in files or pipes)."""
    t = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", show_edge=False, pad_edge=False)
    for i, h in enumerate(headers):
        t.add_column(h, justify="right" if i in right else "left", overflow="fold")
    for row in rows:
        t.add_row(*("" if v is None else str(v) for v in row))
    return t


_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def printable(text: object, *, lines: bool = True) -> str:
    """`text` with control characters shown as escapes (\\x1b), never sent to the terminal.

    Messages quote what people typed; an ESC in a name must not recolour or rewrite the
    screen. With `lines=False` line breaks are escaped too (one message, one line).
    """
    pattern = _CONTROL if lines else re.compile(r"[\x00-\x1f\x7f-\x9f]")
    text = str(text).encode("utf-8", "backslashreplace").decode("utf-8")  # lone surrogates
    return pattern.sub(lambda m: repr(m.group())[1:-1], text)


def echo_err(text: object, *, lines: bool = True) -> None:
    click.echo(printable(text, lines=lines), err=True)


def handle_errors(func: F) -> F:
    """Map the package's exceptions to exit codes with clear messages and no traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            for problem in exc.problems:
                echo_err(f"error: {problem}", lines=False)
            sys.exit(EXIT_INPUT)
        except InfeasibleError as exc:
            echo_err(exc.intro)
            for reason in exc.reasons:
                echo_err(f"  - {reason}", lines=False)
            if exc.suggestions:
                echo_err("What you could relax:")
                for s in exc.suggestions:
                    echo_err(f"  - {s}", lines=False)
            sys.exit(EXIT_INFEASIBLE)
        except NoSolutionError as exc:
            echo_err(f"error: {exc}")
            sys.exit(EXIT_NO_SOLUTION)
        except OprPlannerError as exc:
            echo_err(f"error: {exc}")
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            echo_err("interrupted; nothing was written")
            sys.exit(130)
        except OSError as exc:
            # Inputs go through io.reader and outputs through io.fileio, each with its own
            # message naming the file; this is the last resort for anything else.
            where = f"{exc.filename}: " if exc.filename else ""
            reason = str(exc.strerror or exc)
            echo_err(f"error: {where}{reason[:1].lower()}{reason[1:]}; check the path", lines=False)
            sys.exit(EXIT_INPUT)

    return wrapper  # type: ignore[return-value]


# Warnings listed before the rest are counted ("N more: --all-warnings to see them").
SHOWN_WARNINGS = 5


def load(scenario_path: str, *, quiet: bool = False) -> Scenario:
    """Load a scenario and show its warnings on stderr: the first few, and how many more."""
    scenario = load_scenario(scenario_path)
    if not quiet:
        for line in warning_lines(scenario, everything=all_warnings_asked()):
            echo_err(line, lines=False)
    return scenario


def warning_lines(scenario: Scenario, *, everything: bool = False) -> list[str]:
    """The scenario's warnings as printed: every one with `everything`, else the first
    SHOWN_WARNINGS, a count of the rest, and the count of people who merely share a name."""
    warnings = [f"warning: {w}" for w in scenario.warnings]
    if everything:
        return warnings + [f"warning: {w}" for w in scenario.detail_warnings]
    counts = warnings[-1:] if scenario.detail_warnings else []  # the same-name count comes last
    listed = warnings[: len(warnings) - len(counts)]
    more = len(listed) - SHOWN_WARNINGS
    if more > 0:
        listed = [*listed[:SHOWN_WARNINGS], f"warning: {more:,} more: --all-warnings to see them"]
    return listed + counts


def all_warnings_asked() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx is not None and ctx.find_root().meta.get(ALL_WARNINGS))


def load_plan(path: str, scenario: Scenario | None = None, *, quiet: bool = False) -> Plan:
    """Read a plan; warn about unknown keys and a scenario that changed since the plan was made."""
    plan, warnings = read_plan(path)
    if not quiet:
        for w in warnings:
            echo_err(f"warning: {w} (ignored)", lines=False)
        if scenario is not None:
            origin = made_for(plan, scenario)
            if origin.same is False:
                click.echo(
                    f"warning: {path} was made for a different version of {scenario.path} "
                    f"({origin.what_changed}); it is judged under the scenario as it is now",
                    err=True,
                )
    return plan


def pseudonymised(scenario: Scenario, plans: list[Plan]) -> tuple[Scenario, list[Plan]]:
    """`--anonymise`: the scenario and plans with participants replaced by stable pseudonyms."""
    from ..export.privacy import anonymise, key_path, pseudonym_key

    try:
        key = pseudonym_key()
    except (OSError, OutputError) as exc:
        where, reason = str(key_path()), str(getattr(exc, "strerror", None) or exc)
        if isinstance(exc, OutputError):  # the writer names what stood in the way
            where, reason = (
                exc.problems[0].file,
                exc.problems[0].message.removeprefix("cannot write").strip(": ()"),
            )
        raise InputError(
            [
                Problem(
                    where,
                    None,
                    "",
                    f"cannot read or create the pseudonym key ({reason})",
                    "set OPR_PLANNER_PSEUDONYM_KEY, or OPR_PLANNER_PSEUDONYM_KEY_FILE to a writable path",
                )
            ]
        ) from None
    return anonymise(scenario, plans, key)


ALL_WARNINGS = "opr_planner.all_warnings"


def _remember_all_warnings(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.find_root().meta[ALL_WARNINGS] = True


def scenario_argument(func: F) -> F:
    """The SCENARIO argument, with --all-warnings to list every warning about it."""
    func = click.option(
        "--all-warnings",
        is_flag=True,
        expose_value=False,
        callback=_remember_all_warnings,
        help="List every warning about the scenario, not the first few and a count.",
    )(func)
    return click.argument("scenario", type=click.Path(dir_okay=True, path_type=str))(func)


plan_argument = click.argument("plan", type=click.Path(dir_okay=True, path_type=str))


def default_plan_path(scenario_path: str) -> Path:
    stem = Path(scenario_path).name
    for suffix in (".yaml", ".yml", ".json"):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    return Path.cwd() / f"{stem}.plan.yaml"
