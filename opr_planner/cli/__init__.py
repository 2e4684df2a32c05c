"""The `opr-planner` command line: thin click commands over the library."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, MutableMapping

import click

from .. import __version__
from ..startup import interrupts_after_loading

# Each command's module is imported when the command runs (or --help lists it): starting
# `opr-planner solve` then costs the solver's imports only, not the workbench's, the
# exports' and the analyses' (1.5-2.5 s of a 5 s --time-limit on a busy 2-core machine).
COMMANDS = {
    "init": "init:init_command",
    "validate": "validate:validate",
    "check": "check:check",
    "solve": "solve:solve_command",
    "repair": "change:repair_command",
    "suggest": "change:suggest_command",
    "explain": "analyse:explain",
    "compare": "analyse:compare",
    "export": "export:export",
    "alternatives": "alternatives:alternatives_command",
    "sweep": "sweep:sweep_command",
    "generate": "generate:generate_command",
    "serve": "serve:serve_command",
}


class _Commands(MutableMapping[str, click.Command]):
    """The group's commands by name, each imported on first use."""

    def __init__(self, where: dict[str, str]):
        self._where = dict(where)
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            module, attr = self._where[name].split(":")
            with interrupts_after_loading():  # Ctrl-C while it loads: exit 130, no traceback
                self._loaded[name] = getattr(importlib.import_module(f".{module}", __name__), attr)
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._where.setdefault(name, "")
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self._where[name]
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="opr-planner")
def main() -> None:
    """Plan development-oriented peer reviews (OPR) for Samen Opleiden partnerships.

    Typical use: validate a scenario, solve it, check the plan, export it.
    """


main.commands = _Commands(COMMANDS)

__all__ = ["main"]
