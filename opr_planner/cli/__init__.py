"""The `opr-planner` command line: thin click commands over the library."""

from __future__ import annotations

import click

from .. import __version__
from .alternatives import alternatives_command
from .analyse import compare, explain
from .change import repair_command, suggest_command
from .check import check
from .export import export
from .generate import generate_command
from .init import init_command
from .serve import serve_command
from .solve import solve_command
from .sweep import sweep_command
from .validate import validate


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="opr-planner")
def main() -> None:
    """Plan development-oriented peer reviews (OPR) for Samen Opleiden partnerships.

    Typical use: validate a scenario, solve it, check the plan, export it.
    """


main.add_command(init_command)
main.add_command(validate)
main.add_command(check)
main.add_command(solve_command)
main.add_command(repair_command)
main.add_command(suggest_command)
main.add_command(explain)
main.add_command(compare)
main.add_command(export)
main.add_command(alternatives_command)
main.add_command(sweep_command)
main.add_command(generate_command)
main.add_command(serve_command)

__all__ = ["main"]
