"""Named reviews (`reviews[].name`) and session instructions (`sessions[].description`):
in the calendars (read by two independent readers), the spreadsheet and the report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import vobject
from helpers import TINY, TINY_PLAN, read_yaml_data, run_cli, write_yaml_data
from icalendar import Calendar

from opr_planner.export.csv import csv_rows
from opr_planner.export.html import html_report
from opr_planner.export.ics import ALL_FILE, ics_calendars
from opr_planner.plan import read_plan
from opr_planner.scenario import Scenario, load_scenario

STAMP = dt.datetime(2027, 12, 1, 8, 0, tzinfo=dt.UTC)
PREPARE = "Lees de kritische reflectie van het partnerschap en noteer drie vragen"


def _named(tmp_path: Path, *, organiser: bool = True, language: str = "nl") -> Scenario:
    data = read_yaml_data(TINY)
    data["language"] = language
    data["reviews"][0]["name"] = "OPR ronde 1 — Partnerschap A"
    data["reviews"][1]["name"] = "OPR ronde 2 — Partnerschap B"
    sessions = data["rules"]["sessions"]
    sessions[0]["description"] = PREPARE
    if not organiser:
        del data["organiser"]
    return load_scenario(write_yaml_data(tmp_path / "named.yaml", data))


def test_the_names_and_descriptions_are_scenario_keys(tmp_path: Path) -> None:
    s = _named(tmp_path)
    assert s.reviews[0].name == "OPR ronde 1 — Partnerschap A"
    assert s.reviews[2].name is None
    assert s.rules.sessions[0].description == PREPARE
    assert s.review_title(s.reviews[0]) == "OPR ronde 1 — Partnerschap A"
    assert s.review_title(s.reviews[2]) == "Partnerschap C"  # unnamed: the subject's name


def test_icalendar_shows_the_review_name_the_instructions_and_whom_to_contact(tmp_path: Path) -> None:
    s = _named(tmp_path)
    plan, _ = read_plan(TINY_PLAN)
    events = list(Calendar.from_ical(ics_calendars(s, plan, stamp=STAMP)[ALL_FILE]).walk("VEVENT"))
    summaries = sorted(str(e["SUMMARY"]) for e in events)
    assert "OPR ronde 1 — Partnerschap A: Voorbereiding" in summaries
    assert "OPR ronde 2 — Partnerschap B: Bezoek" in summaries
    assert "OPR Partnerschap C: Bezoek" in summaries  # unnamed review: as before
    prep = next(e for e in events if str(e["SUMMARY"]) == "OPR ronde 1 — Partnerschap A: Voorbereiding")
    text = str(prep["DESCRIPTION"])
    assert f"Wat te doen: {PREPARE}" in text
    assert "Neem contact op met Kwartiermaker <kwartiermaker@example.org>" in text
    visit = next(e for e in events if str(e["SUMMARY"]) == "OPR ronde 1 — Partnerschap A: Bezoek")
    assert "Wat te doen" not in str(visit["DESCRIPTION"])  # the visit has no description
    assert "OPR ronde 1 — Partnerschap A" in str(visit["DESCRIPTION"])


def test_vobject_reads_the_same_names_and_instructions(tmp_path: Path) -> None:
    s = _named(tmp_path, language="en")
    plan, _ = read_plan(TINY_PLAN)
    files = ics_calendars(s, plan, stamp=STAMP)
    cal = vobject.readOne(files[ALL_FILE].decode("utf-8"))
    by_summary = {e.summary.value: e for e in cal.vevent_list}
    prep = by_summary["OPR ronde 2 — Partnerschap B: Voorbereiding"]
    assert f"What to do: {PREPARE}" in prep.description.value
    assert "Please contact Kwartiermaker <kwartiermaker@example.org>" in prep.description.value
    assert "Peer review Partnerschap C: Bezoek" in by_summary


def test_without_an_organiser_the_invitation_names_the_chair(tmp_path: Path) -> None:
    s = _named(tmp_path, organiser=False)
    plan, _ = read_plan(TINY_PLAN)
    events = list(Calendar.from_ical(ics_calendars(s, plan, stamp=STAMP)[ALL_FILE]).walk("VEVENT"))
    review = plan.review["opr-pa"]
    chair = next(m.participant for m in review.members if "chair" in m.functions)
    name = s.participant[chair].name
    text = str(next(e for e in events if "ronde 1" in str(e["SUMMARY"]))["DESCRIPTION"])
    assert f"Neem contact op met de voorzitter, {name}" in text


def test_spreadsheet_and_report_show_the_names(tmp_path: Path) -> None:
    s = _named(tmp_path)
    plan, _ = read_plan(TINY_PLAN)
    header, *rows = csv_rows(s, plan)
    names = {row[0]: row[header.index("Reviewnaam")] for row in rows}
    assert names == {
        "opr-pa": "OPR ronde 1 — Partnerschap A",
        "opr-pb": "OPR ronde 2 — Partnerschap B",
        "opr-pc": "",
    }
    html = html_report(s, plan)
    assert html.count("OPR ronde 1 — Partnerschap A") >= 2  # timeline lane and group card
    assert PREPARE in html


def test_validate_accepts_the_keys_and_rejects_an_empty_name(tmp_path: Path) -> None:
    s = _named(tmp_path)
    assert run_cli("validate", s.path).exit_code == 0
    data = read_yaml_data(Path(s.path))
    data["reviews"][0]["name"] = ""
    bad = write_yaml_data(tmp_path / "bad.yaml", data)
    result = run_cli("validate", bad)
    assert result.exit_code == 2
    assert "reviews[0] (opr-pa).name" in result.stderr
