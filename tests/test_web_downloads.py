"""Downloads: every file the page offers is downloaded, parsed, and found to be what the
command line's export writes for the same plan (calendars, spreadsheet, workbook, board
report, participants list)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import icalendar
import pytest
import python_calamine
from helpers import run_cli
from web_helpers import PLAN, SCENARIO, client_for, planning_folder

from opr_planner.plan import read_plan
from opr_planner.scenario import load_scenario
from opr_planner.scenario.columns import Vocabulary
from opr_planner.scenario.spreadsheet import read_participants_bytes


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return planning_folder(tmp_path_factory.mktemp("downloads") / "planning")


@pytest.fixture(scope="module")
def exported(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What `opr-planner export ...` writes for the same plan."""
    out = tmp_path_factory.mktemp("cli")
    scenario, plan = folder / SCENARIO, folder / PLAN
    for args in (
        ("ics", scenario, plan, "-o", out / "agenda"),
        ("csv", scenario, plan, "-o", out / "plan.csv"),
        ("xlsx", scenario, plan, "-o", out / "plan.xlsx"),
        ("html", scenario, plan, "-o", out / "report.html"),
    ):
        assert run_cli("export", *args).exit_code == 0, args
    return out


def links(folder: Path) -> dict[str, str]:
    """The page's download links by id (what a coordinator clicks)."""
    page = client_for(folder).get(f"/downloads?s={SCENARIO}&p={PLAN}").text
    found = dict(re.findall(r'<a class="button[^"]*" id="(dl-[a-z-]+)" href="([^"]+)"', page))
    return {k: v.replace("&amp;", "&") for k, v in found.items()}


def get(folder: Path, url: str) -> bytes:
    r = client_for(folder).get(url)
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"], url
    return r.content


def events_of(data: bytes) -> list[tuple[str, str, str]]:
    """The events of a calendar, parsed: (uid, start, summary)."""
    calendar = icalendar.Calendar.from_ical(data)
    return sorted(
        (str(e["uid"]), str(e.decoded("dtstart")), str(e["summary"])) for e in calendar.walk("VEVENT")
    )


def test_the_page_offers_every_download(folder: Path) -> None:
    assert set(links(folder)) == {
        "dl-calendars",
        "dl-all",
        "dl-xlsx",
        "dl-csv",
        "dl-report",
        "dl-people-xlsx",
        "dl-people-csv",
    }


def test_calendars_all_per_participant_and_zip_are_the_exports(folder: Path, exported: Path) -> None:
    plan, _ = read_plan(folder / PLAN)
    files = zipfile.ZipFile(io.BytesIO(get(folder, links(folder)["dl-calendars"])))
    written = {p.name: p.read_bytes() for p in (exported / "agenda").iterdir()}
    assert sorted(files.namelist()) == sorted(written)
    members = {m.participant for r in plan.reviews for m in r.members}
    assert {f"{pid}.ics" for pid in members} <= set(files.namelist())  # one per participant
    for name in files.namelist():
        if name.endswith(".ics"):
            assert events_of(files.read(name)) == events_of(written[name]), name
    everyone = events_of(get(folder, links(folder)["dl-all"]))
    assert everyone == events_of(written["all.ics"])
    assert len(everyone) == sum(len(r.sessions or []) for r in plan.reviews)
    # one participant's calendar: the sessions of exactly the reviews they sit in
    pid = plan.reviews[0].members[0].participant
    own = events_of(get(folder, f"/download/person.ics?s={SCENARIO}&p={PLAN}&who={pid}"))
    assert own == events_of(written[f"{pid}.ics"])
    assert len(own) == sum(len(r.sessions or []) for r in plan.reviews if pid in r.member_ids)


def test_the_spreadsheet_and_the_workbook_are_the_exports(folder: Path, exported: Path) -> None:
    rows = list(csv.reader(io.StringIO(get(folder, links(folder)["dl-csv"]).decode("utf-8-sig"), newline="")))
    expected = list(csv.reader(io.StringIO((exported / "plan.csv").read_text("utf-8-sig"), newline="")))
    assert rows == expected and len(rows) > 1

    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(get(folder, links(folder)["dl-xlsx"])))
    cli = python_calamine.CalamineWorkbook.from_path(str(exported / "plan.xlsx"))
    plan, _ = read_plan(folder / PLAN)
    assert book.sheet_names == cli.sheet_names and len(book.sheet_names) >= 1 + len(plan.reviews)
    for name in book.sheet_names:
        assert book.get_sheet_by_name(name).to_python() == cli.get_sheet_by_name(name).to_python(), name


def test_the_board_report_is_the_export(folder: Path, exported: Path) -> None:
    report = get(folder, links(folder)["dl-report"]).decode("utf-8")
    cli = (exported / "report.html").read_text(encoding="utf-8")
    scenario = load_scenario(folder / SCENARIO)
    assert "<svg" in report and report.count("<svg") == cli.count("<svg")  # timeline and network
    for review in scenario.reviews:
        assert scenario.review_title(review) in report
    assert _tables(cli) and _tables(report) == _tables(cli)  # the same groups and figures


def _tables(report: str) -> list[str]:
    return [re.sub(r"\s+", " ", t) for t in re.findall(r"<table.*?</table>", report, flags=re.S)]


def test_the_participants_list_reads_back(folder: Path) -> None:
    scenario = load_scenario(folder / SCENARIO)
    for key, suffix in (("dl-people-xlsx", "xlsx"), ("dl-people-csv", "csv")):
        rows, _, _ = read_participants_bytes(
            get(folder, links(folder)[key]), f"list.{suffix}", Vocabulary.of({})
        )
        assert [row["id"] for row in rows] == [p.id for p in scenario.participants]
        assert [row["name"] for row in rows] == [p.name for p in scenario.participants]
