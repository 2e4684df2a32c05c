"""`opr-planner init DIR`: a commented starter scenario and participants spreadsheet."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import click

from ..errors import InputError, Problem
from ..io.fileio import write_atomic
from .common import handle_errors

STARTER_FILES = ("scenario.yaml", "participants.csv")


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite scenario.yaml / participants.csv if they exist.")
@handle_errors
def init_command(directory: Path, force: bool) -> None:
    """Write a commented starter scenario (scenario.yaml) and its participants
    spreadsheet (participants.csv) to DIRECTORY.

    The starter is the fictional Midden-Nederland example: edit it, then run
    `opr-planner validate DIRECTORY/scenario.yaml`.
    """
    if directory.exists() and not directory.is_dir():
        raise InputError(
            [Problem(str(directory), None, "", "exists and is not a directory", "name a new or empty folder")]
        )
    existing = [name for name in STARTER_FILES if (directory / name).exists()]
    if existing and not force:
        raise InputError(
            [
                Problem(str(directory / name), None, "", "already exists", "use --force to overwrite it")
                for name in existing
            ]
        )
    templates = resources.files("opr_planner") / "templates"
    for name in STARTER_FILES:
        write_atomic(directory / name, (templates / name).read_bytes())
    click.echo(f"Wrote {directory / 'scenario.yaml'} and {directory / 'participants.csv'}")
    click.echo(f"Next: opr-planner validate {directory / 'scenario.yaml'}")
