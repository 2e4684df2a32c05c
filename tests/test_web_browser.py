"""The workbench end to end in headless Chromium (Debian's), as a coordinator uses it.

One flow, kept short: open the folder, import a participants list, fix its error in the
form, solve with live progress, see the groups, swap a member by hand and see the
violation come and go, compare two plans, record a drop-out and repair, download the
calendars and parse them. The screenshots in docs/workbench.md come from this test:
set OPR_PLANNER_SCREENSHOTS=docs/img to write them there.
"""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path
from typing import Any

import icalendar
import pytest
from helpers import CHROMIUM, REPO, needs_chromium
from test_web_serve import start_server
from web_helpers import SCENARIO, planning_folder

from opr_planner.plan import read_plan
from opr_planner.scenario import load_scenario

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=nl-NL",  # date fields as a Dutch coordinator's browser shows them (dd-mm-jjjj)
]


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    target = os.environ.get("OPR_PLANNER_SCREENSHOTS")
    folder = (REPO / target) if target else tmp_path / "shots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_the_coordinators_year_in_the_browser(tmp_path: Path, shots: Path) -> None:
    needs_chromium()
    from playwright.sync_api import expect, sync_playwright

    folder = planning_folder(tmp_path / "planning")
    (folder / "participants.csv").unlink()  # the list arrives as a spreadsheet, with one error
    source = planning_folder(tmp_path / "source") / "participants.csv"
    upload = tmp_path / "deelnemers.xlsx"
    _workbook(source.read_text(encoding="utf-8").replace("Anna A,,student", "Anna A,,studnet"), upload)
    process, url = start_server(folder, "--workers", "1")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
            page = browser.new_page(
                viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="nl-NL"
            )
            page.set_default_timeout(30_000)

            # open the folder: the participants file is missing, the page says so
            page.goto(url)
            expect(page.locator("#verdict")).to_contain_text("participants.csv")

            # import the participants list: read, saved, and its one error shown
            page.set_input_files("input[name=file]", str(upload))
            page.click("text=Inlezen")
            expect(page.locator(".notice")).to_contain_text("18 deelnemers ingelezen")
            expect(page.locator("#verdict")).to_contain_text("'studnet' is geen rol; bedoelt u 'student'?")
            page.evaluate("window.scrollTo(0, 0)")  # the notice and the problem, at the top
            page.screenshot(path=str(shots / "workbench-data.png"), full_page=False)
            _fits_the_window(page, 1280)
            page.set_viewport_size({"width": 1024, "height": 768})  # a small laptop: nothing sticks out
            _fits_the_window(page, 1024)
            page.evaluate("document.getElementById('participants').scrollIntoView({block: 'start'})")
            page.screenshot(path=str(shots / "workbench-data-1024.png"))
            page.set_viewport_size({"width": 1280, "height": 900})

            # fix it in the form: the message stands at the field
            page.locator("#table-participants tr.bad a", has_text="bewerken").click()
            expect(page.locator("#e-role")).to_have_text("'studnet' is geen rol; bedoelt u 'student'?")
            page.screenshot(path=str(shots / "workbench-form.png"))
            page.select_option("#f-role", "student")
            page.click("button.primary")
            expect(page.locator("#verdict")).to_contain_text("Het scenario is in orde")

            # solve with live progress; the chart fills while it runs
            page.click("nav >> text=Plannen")
            page.fill("input[name=name]", "eerste")
            page.fill("input[name=time_limit]", "4")
            page.click("#solve-form button.primary")
            # The page shows the job running and is told by server-sent events when it ends
            # (only the 'finished' event turns it to done: nothing else reloads the page).
            expect(page.locator("#job")).to_be_visible()
            expect(page.locator("#job")).to_have_attribute("data-state", "done", timeout=60_000)
            expect(page.locator("#job [data-field=best]")).not_to_have_text("–")
            assert page.locator("svg.chart polyline.best").get_attribute("points")
            expect(page.locator("#plans")).to_contain_text("tiny.eerste.plan.yaml")
            page.screenshot(path=str(shots / "workbench-plans.png"), full_page=True)

            # the groups; a member swapped by hand breaks independence (H5), and the verdict says so at once
            page.click("text=tiny.eerste.plan.yaml >> nth=0")
            expect(page.locator("#verdict")).to_contain_text("Voldoet aan alle regels")
            group = page.locator("#review-0")
            subject = group.get_attribute("data-review")
            first = group.locator("tr.member").first
            was = first.get_attribute("data-member")
            own = _member_of_subject(folder, subject)
            _replace(page, first, own)
            expect(page.locator(f'#review-0 tr.member[data-member="{own}"] .badge.bad')).to_have_text("H5")
            expect(page.locator("#verdict")).to_contain_text("H5 – onafhankelijkheid")
            page.screenshot(path=str(shots / "workbench-plan-violation.png"))
            # swapped back by hand: the violation is gone at the member and in the verdict
            _replace(page, page.locator(f'#review-0 tr.member[data-member="{own}"]'), str(was))
            expect(page.locator("#verdict")).to_contain_text("Voldoet aan alle regels")
            expect(page.locator("#review-0 .badge.bad")).to_have_count(0)
            expect(page.locator(f'#review-0 tr.member[data-member="{was}"]')).to_be_visible()
            page.screenshot(path=str(shots / "workbench-plan.png"))

            # a second plan by hand (one member fewer), then the two side by side
            page.locator("#review-0 tr.member").first.locator("button", has_text="Wijzig").click()
            count = page.locator("#review-0 tr.member").count()
            page.locator("#member-panel button.danger").click()
            expect(page.locator("#review-0 tr.member")).to_have_count(count - 1)
            page.fill("input[name=save_name]", "kleiner")
            page.click("#save-plan")
            page.wait_for_url("**p=tiny.kleiner.plan.yaml")
            page.click("nav >> text=Vergelijken")
            page.locator("#choose-plans input[value='tiny.eerste.plan.yaml']").check()
            page.locator("#choose-plans input[value='tiny.kleiner.plan.yaml']").check()
            page.click("#choose-plans button")
            expect(page.locator("#comparison td.differs").first).to_be_visible()
            # what if the groups were one larger? a sweep of two variants, its table below
            page.select_option("select[name=key-1]", "rules.group_size.max")
            page.fill("input[name=values-1]", "5, 6")
            page.fill("#sweep-form input[name=time_limit]", "1")
            page.click("#sweep-form button")
            expect(page.locator("#sweep-table tbody tr")).to_have_count(2, timeout=60_000)
            expect(page.locator("#comparison")).to_contain_text("tiny.kleiner.plan.yaml")  # kept
            page.screenshot(path=str(shots / "workbench-compare.png"), full_page=True)

            # a drop-out, then repair: every change listed, calendar updates to download
            page.goto(page.url.split("/compare")[0] + f"/changes?s={SCENARIO}&p=tiny.eerste.plan.yaml")
            leaver = read_plan(folder / "tiny.eerste.plan.yaml")[0].reviews[0].members[0].participant
            page.fill("#dropout-form input[name=who]", leaver)
            page.click("#dropout-form button")
            expect(page.locator("#verdict")).to_contain_text("H13")
            page.fill("#repair-form input[name=time_limit]", "4")
            page.click("#repair-form button")
            expect(page.locator("#repair-outcome")).to_be_visible(timeout=60_000)
            expect(page.locator(f'#resend tr[data-participant="{leaver}"]')).to_be_visible()
            page.screenshot(path=str(shots / "workbench-changes.png"), full_page=True)
            with page.expect_download() as update:
                page.click("#download-updates")
            updates = zipfile.ZipFile(update.value.path())
            cancelled = icalendar.Calendar.from_ical(updates.read(f"{leaver}.ics"))
            assert any(str(e.get("status")) == "CANCELLED" for e in cancelled.walk("VEVENT"))

            # the repaired plan's calendars, downloaded and parsed: the leaver is in none of them
            page.locator("#repair-outcome a", has_text="tiny.eerste-hersteld.plan.yaml").last.click()
            expect(page.locator("#verdict")).to_contain_text("Voldoet aan alle regels")
            page.click("nav >> text=Downloads")
            expect(page.locator("h1")).to_contain_text("tiny.eerste-hersteld.plan.yaml")
            with page.expect_download() as download:
                page.click("#dl-calendars")
            calendars = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
            repaired = read_plan(folder / "tiny.eerste-hersteld.plan.yaml")[0]
            members = {m.participant for r in repaired.reviews for m in r.members}
            assert sorted(calendars.namelist()) == sorted(["all.ics", *(f"{pid}.ics" for pid in members)])
            events = icalendar.Calendar.from_ical(calendars.read("all.ics")).walk("VEVENT")
            assert len(events) == sum(len(r.sessions or []) for r in repaired.reviews)
            assert all(e.get("uid") and e.get("dtstart") for e in events)
            assert leaver not in members
            page.screenshot(path=str(shots / "workbench-downloads.png"))
            browser.close()
    finally:
        import signal

        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    assert load_scenario(folder / SCENARIO).participant["a1"].role == "student"
    shutil.rmtree(tmp_path / "source")


def _replace(page: Any, row: Any, by: str) -> None:
    """A member replaced by hand: Wijzig opens this member's actions, Vervang swaps in `by`."""
    row.locator("button", has_text="Wijzig").click()
    panel = page.locator("#member-panel")  # this member's actions, the others stay closed
    panel.locator("input[name^=by-]").fill(by)
    panel.locator("button", has_text="Vervang").first.click()


def _fits_the_window(page: Any, width: int) -> None:
    """The page is no wider than the window: wide tables scroll inside their own box."""
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= width, f"the page is {page_width} px wide in a {width} px window"


def _member_of_subject(folder: Path, review_id: str | None) -> str:
    """Someone of the reviewed partnership itself (never allowed in its own review)."""
    s = load_scenario(folder / SCENARIO)
    subject = s.review[str(review_id)].subject
    plan = read_plan(folder / "tiny.eerste.plan.yaml")[0]
    members = {m.participant for m in plan.review[str(review_id)].members}
    return next(p.id for p in s.participants if p.partnership == subject and p.id not in members)


def _workbook(csv_text: str, path: Path) -> None:
    """The participants as an Excel workbook (sheet 'deelnemers'), as a coordinator keeps them."""
    import csv

    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("deelnemers")
    for r, row in enumerate(csv.reader(io.StringIO(csv_text))):
        for c, cell in enumerate(row):
            if cell:
                sheet.write_string(r, c, cell)
    book.close()
