"""`opr-planner export ics|csv|html SCENARIO PLAN -o OUT`: the plan for the people in it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ..errors import InputError
from ..export import check_exportable, write_csv, write_html, write_ics
from ..export.ics import ALL_FILE
from ..export.ics_sent import read_sent
from ..export.ics_update import CHANGES_CSV, CHANGES_TEXT, write_update
from ..export.participants import write_participants
from ..export.view import ExportRefused
from ..export.xlsx import write_xlsx
from ..io.reader import list_folder
from ..plan import Plan, made_for
from ..scenario import Scenario
from .common import (
    echo_err,
    handle_errors,
    load,
    load_plan,
    out,
    plan_argument,
    pseudonymised,
    scenario_argument,
)

F = TypeVar("F", bound=Callable[..., Any])


anonymise_option = click.option(
    "--anonymise",
    "--anonymize",
    "anonymise",
    is_flag=True,
    help="Replace participants' names, e-mail addresses, ids and organisations by stable pseudonyms "
    "(for sharing outside the region; see docs/privacy.md).",
)


def export_options(func: F) -> F:
    """SCENARIO PLAN -o OUT --force --anonymise, shared by every export command."""
    func = anonymise_option(func)
    func = click.option(
        "--force",
        is_flag=True,
        help="Export even if PLAN was made for another version of SCENARIO or its participants file "
        "(the plan's fingerprints differ).",
    )(func)
    func = plan_argument(func)
    func = scenario_argument(func)
    return func


def output_file(help: str) -> Callable[[F], F]:
    """`-o/--output FILE`, required, a file (not a folder)."""
    return click.option(
        "-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help=help
    )


def _prepare(
    scenario_path: str, plan_path: str, force: bool, anonymise: bool = False, previous: Plan | None = None
) -> tuple[Scenario, Plan, Plan | None]:
    """Load both files and refuse (exit 2) or warn as `check_exportable` decides;
    with `anonymise`, return them with every participant pseudonymised."""
    scenario = load(scenario_path)
    plan = load_plan(plan_path)
    for warning in check_exportable(scenario, plan, plan_label=plan_path, force=force):
        echo_err(f"warning: {warning}")
    origin = made_for(plan, scenario)
    if force and origin.same is False:
        echo_err(
            f"warning: {plan_path} was made for another version of {scenario_path} ({origin.what_changed}); "
            "exported anyway (--force)"
        )
    if anonymise:
        plans = [plan] if previous is None else [plan, previous]
        scenario, plans = pseudonymised(scenario, plans)
        plan, previous = plans[0], (plans[1] if previous is not None else None)
    return scenario, plan, previous


def _writing(func: F) -> F:
    """Turn a failed write (no permission, disk full) into a clear message with exit 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except OSError as exc:
            where = f" {exc.filename}" if exc.filename else ""
            raise ExportRefused(f"cannot write{where}: {exc.strerror or exc}") from None

    return wrapper  # type: ignore[return-value]


@click.group()
def export() -> None:
    """Export a plan: calendars (ics), a spreadsheet (csv), a workbook (xlsx) or a board
    report (html); or the scenario's participants as a spreadsheet (participants).

    Refuses (exit 2) a plan that names reviews or participants the scenario does not
    know, or that breaks H1; warns but exports when other rules are broken.
    """


@export.command()
@export_options
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for all.ics and one <participant id>.ics per member (created if needed).",
)
@click.option(
    "--previous",
    "previous_path",
    type=click.Path(path_type=str),
    default=None,
    help="The plan whose calendars were sent before: keep its UIDs, raise SEQUENCE of changed "
    "events, send cancellations to people who no longer attend, and write changes.txt/.csv: "
    "which files to send again.",
)
@handle_errors
@_writing
def ics(
    scenario: str, plan: str, output: Path, force: bool, anonymise: bool, previous_path: str | None
) -> None:
    """Calendars: OUTPUT/all.ics with every session, OUTPUT/<participant id>.ics per member.

    Event UIDs depend only on the review and the session (not the scenario's name or the
    order of reviews), so importing a later export updates the events. DTSTAMP is the
    export time (set SOURCE_DATE_EPOCH for reproducible files). With --previous OLD_PLAN
    the calendars update those sent for OLD_PLAN: every event whose attendees would see a
    change gets a higher SEQUENCE and says at the top what changed; people no longer in a
    session get a cancellation; OUTPUT/changes.txt and changes.csv list which personal
    calendars changed and must be sent again. SEQUENCE and what was sent are read back
    from the .ics files already in OUTPUT.
    """
    # The previous plan was made for an older scenario: that is expected, so no warning.
    previous = load_plan(previous_path, quiet=True) if previous_path is not None else None
    s, p, old = _prepare(scenario, plan, force, anonymise, previous)
    if old is not None:
        update = write_update(s, p, old, output, previous_label=Path(previous_path or "").name)
        written = [output / name for name in update.files]
        click.echo(
            f"Updating the calendars of {previous_path}: {update.changed_events} changed event(s) get a "
            f"higher SEQUENCE, {update.new_events} new event(s), {update.cancellations} cancellation(s) "
            "for people who no longer attend"
        )
        overview = " and all.ics" if any(r.send for r in update.recipients if r.participant is None) else ""
        click.echo(
            f"Re-send list: send {len(update.to_send)} of {len(update.personal)} personal calendar(s) again"
            f"{overview}; the others are unchanged. What changed for whom: {output / CHANGES_TEXT} "
            f"(and {CHANGES_CSV})"
        )
    else:
        if _holds_calendars(output):
            echo_err(
                f"note: {output} already holds calendars of an earlier plan; to update calendars people "
                "already have, pass --previous OLD_PLAN (changed events then get a higher SEQUENCE, "
                "cancellations are sent and changes.txt lists the files to send again)"
            )
        written = write_ics(s, p, output)
    names = {path.name for path in written}
    stale = [f.name for f in list_folder(output, "*.ics") if f.name not in names]
    con = out()
    events = sum(
        len(r.sessions) if r.sessions is not None else len(s.sessions_of(s.review[r.id])) for r in p.reviews
    )
    con.print(
        f"Wrote {len(written)} calendars to {output}: {ALL_FILE} ({events} events) and {len(written) - 1} personal calendars"
    )
    if stale:
        shown = ", ".join(stale[:8]) + (" …" if len(stale) > 8 else "")
        click.echo(
            f"note: {output} also holds {len(stale)} older calendar(s) not in this plan, left as they are: {shown}",
            err=True,
        )


def _holds_calendars(folder: Path) -> bool:
    """Whether `folder` holds calendars opr-planner wrote (a damaged one does not count here)."""
    try:
        return bool(read_sent(folder))
    except InputError:
        return False


@export.command(name="csv")
@export_options
@output_file("The spreadsheet to write (UTF-8 with BOM, ';'-separated, for Excel).")
@handle_errors
@_writing
def csv_command(scenario: str, plan: str, output: Path, force: bool, anonymise: bool) -> None:
    """Spreadsheet: one row per (review, member) with dates, sessions, role and partnership."""
    s, p, _ = _prepare(scenario, plan, force, anonymise)
    write_csv(s, p, output)
    rows = sum(len({m.participant for m in r.members}) for r in p.reviews)
    out().print(f"Wrote {output}: {rows} rows (one per review and member)")


@export.command()
@export_options
@output_file("The HTML report to write (one self-contained file).")
@handle_errors
@_writing
def html(scenario: str, plan: str, output: Path, force: bool, anonymise: bool) -> None:
    """Board report: timeline with holidays, groups, metrics and the connection network."""
    s, p, _ = _prepare(scenario, plan, force, anonymise)
    write_html(s, p, output, plan_label=Path(plan).name)
    out().print(f"Wrote {output}")


@export.command()
@export_options
@output_file("The workbook to write (.xlsx).")
@handle_errors
@_writing
def xlsx(scenario: str, plan: str, output: Path, force: bool, anonymise: bool) -> None:
    """Workbook: an overview of the reviews, one sheet per review, every member's dates, and
    the participant list (so the workbook reads back as a participants_file)."""
    s, p, _ = _prepare(scenario, plan, force, anonymise)
    write_xlsx(s, p, output)
    out().print(
        f"Wrote {output}: overview, {len(p.reviews)} review sheet(s), dates per participant, "
        f"{len(s.participants)} participants"
    )


@export.command(name="participants")
@scenario_argument
@anonymise_option
@output_file("The spreadsheet to write: .xlsx for a workbook, anything else for CSV (UTF-8 with BOM, ';').")
@handle_errors
@_writing
def participants_command(scenario: str, output: Path, anonymise: bool) -> None:
    """The scenario's participants (from the scenario and its participants_file) as a
    spreadsheet in the participants-file format, with headers in the scenario's language.

    Name it as participants_file to keep the participants in Excel from now on.
    """
    s = load(scenario)
    if anonymise:
        s, _ = pseudonymised(s, [])
    write_participants(s, output)
    out().print(f"Wrote {output}: {len(s.participants)} participants")
