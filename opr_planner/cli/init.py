"""`opr-planner init DIR`: a commented starter scenario and participants spreadsheet."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import click

from ..errors import InputError, Problem
from ..io.fileio import write_atomic
from ..scenario import load_scenario
from .common import handle_errors

SCENARIO, CSV, XLSX = "scenario.yaml", "participants.csv", "participants.xlsx"


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite the starter files if they exist.")
@click.option(
    "--xlsx",
    "as_workbook",
    is_flag=True,
    help="Keep the participants in an Excel workbook (participants.xlsx, with a role drop-down "
    "and a sheet explaining the columns) instead of participants.csv.",
)
@handle_errors
def init_command(directory: Path, force: bool, as_workbook: bool) -> None:
    """Write a commented starter scenario (scenario.yaml) and its participants
    spreadsheet (participants.csv, or participants.xlsx with --xlsx) to DIRECTORY.

    The starter is the fictional Midden-Nederland example: edit it, then run
    `opr-planner validate DIRECTORY/scenario.yaml`.
    """
    if directory.exists() and not directory.is_dir():
        raise InputError(
            [Problem(str(directory), None, "", "exists and is not a directory", "name a new or empty folder")]
        )
    sheet = XLSX if as_workbook else CSV
    existing = [name for name in (SCENARIO, sheet) if (directory / name).exists()]
    if existing and not force:
        raise InputError(
            [
                Problem(str(directory / name), None, "", "already exists", "use --force to overwrite it")
                for name in existing
            ]
        )
    templates = resources.files("opr_planner") / "templates"
    scenario_text = (templates / SCENARIO).read_text(encoding="utf-8")
    if as_workbook:
        from ..export.xlsx import starter_workbook

        scenario_text = scenario_text.replace(CSV, XLSX)
        with resources.as_file(templates / SCENARIO) as template:
            starter = starter_workbook(load_scenario(template))
        write_atomic(directory / sheet, starter)
    else:
        write_atomic(directory / sheet, (templates / CSV).read_bytes())
    write_atomic(directory / SCENARIO, scenario_text.encode("utf-8"))
    click.echo(f"Wrote {directory / SCENARIO} and {directory / sheet}")
    click.echo(f"Next: opr-planner validate {directory / SCENARIO}")
