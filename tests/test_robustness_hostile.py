"""Hostile content in names, organisations and locations reaches calendars, spreadsheets
and the report as text: never as markup, a formula, an extra calendar event or a broken
file. (test_export_csv.py and test_export_html.py check the basics of each exporter; this
file sends one scenario full of nasty text through all three, by library and CLI.)
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
import vobject
from helpers import TINY, TINY_PLAN, read_yaml_data, run_cli, write_yaml_data
from icalendar import Calendar

from opr_planner.export.csv import BOM, csv_text
from opr_planner.export.html import html_report
from opr_planner.export.ics import ALL_FILE, ics_calendars
from opr_planner.plan import Plan, read_plan
from opr_planner.scenario import Scenario, load_scenario

NAMES = {
    "a1": '=HYPERLINK("http://evil.example","klik")',  # spreadsheet formula
    "a2": "@SUM(A1:A9)",
    "b2": 'Anna";ROLE=CHAIR;X="y',  # tries to add a calendar parameter
    "c3": "Noor\nBEGIN:VEVENT\nUID:evil\nEND:VEVENT",  # tries to add a calendar event
    "c4": "<script>alert(1)</script>",
    "u1": "Zoë 🙂 de Vries, jr.; \\ C:\\temp",  # emoji, comma, semicolon, backslashes
    "u3": "\u202eevil\u202c مريم العلي",  # right-to-left override, then Arabic
    "c1": "-2+3",
    "b1": 'O\'Brien & "Sons" <b>bold</b>',
}
ORGANISATION = '+31 "Stichting" <b>x</b>; =1+1'
LOCATION = 'Pabo; zaal "A",\nBEGIN:VALARM\nTRIGGER:-PT5M'
PARTNERSHIP = "<img src=x onerror=alert(2)>; =1+1"
FORMULA = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = read_yaml_data(TINY)
    for p in data["participants"]:
        if p["id"] in NAMES:
            p["name"] = NAMES[p["id"]]
    data["participants"][0]["organisation"] = ORGANISATION
    data["participants"][0]["email"] = "anna+opr@example.org"
    data["reviews"][0]["location"] = LOCATION
    data["partnerships"][0]["name"] = PARTNERSHIP
    return write_yaml_data(tmp_path_factory.mktemp("hostile") / "hostile.yaml", data)


@pytest.fixture(scope="module")
def scenario(hostile: Path) -> Scenario:
    return load_scenario(hostile)


@pytest.fixture(scope="module")
def plan() -> Plan:
    return read_plan(TINY_PLAN)[0]


def _one_line(text: str) -> str:
    return " ".join(text.split())


# -- calendars ------------------------------------------------------------------------


def test_ics_names_stay_parameters_and_add_no_events(scenario: Scenario, plan: Plan) -> None:
    files = ics_calendars(scenario, plan)
    sessions = sum(len(r.sessions or []) for r in plan.reviews)
    for name, data in files.items():
        assert all(len(line) <= 75 for line in data.split(b"\r\n")), name  # folded lines
        assert not data.replace(b"\r\n", b"").count(b"\n"), name  # only CRLF line ends
        cal = Calendar.from_ical(data)
        assert not list(cal.walk("VALARM")), name
        found = list(cal.walk("VEVENT"))
        assert len({str(e["UID"]) for e in found}) == len(found)
        if name == ALL_FILE:
            assert len(found) == sessions
    events: list[Any] = list(Calendar.from_ical(files[ALL_FILE]).walk("VEVENT"))
    cns = {str(a.params["CN"]) for e in events for a in e.get("ATTENDEE", [])}
    members = {m.participant for r in plan.reviews for m in r.members}
    expected = {_one_line(scenario.participant[pid].name) for pid in members}
    assert cns == expected  # the quote in b2's name did not add a ROLE parameter
    for e in events:
        roles = {a.params["ROLE"] for a in e["ATTENDEE"]}
        assert roles <= {"CHAIR", "REQ-PARTICIPANT"}
    visit = next(e for e in events if "Bezoek" in str(e["SUMMARY"]) and "opr-pa" in str(e["DESCRIPTION"]))
    assert str(visit["LOCATION"]) == LOCATION  # line breaks kept, escaped, inside the property
    description = str(visit["DESCRIPTION"])
    assert NAMES["c3"] in description  # the whole name, line breaks and all, as text
    assert PARTNERSHIP in str(visit["SUMMARY"])


def test_ics_is_read_the_same_by_a_second_parser(scenario: Scenario, plan: Plan) -> None:
    cal = vobject.readOne(ics_calendars(scenario, plan)[ALL_FILE].decode("utf-8"))
    events = cal.vevent_list
    assert len(events) == sum(len(r.sessions or []) for r in plan.reviews)
    visit = next(e for e in events if e.location.value.startswith("Pabo;"))
    assert visit.location.value == LOCATION
    assert not hasattr(visit, "valarm")


def test_ics_personal_file_of_a_right_to_left_name(scenario: Scenario, plan: Plan) -> None:
    files = ics_calendars(scenario, plan)
    cal = Calendar.from_ical(files["u3.ics"])
    assert str(cal["X-WR-CALNAME"]).endswith(_one_line(NAMES["u3"]))


# -- spreadsheet ----------------------------------------------------------------------


def test_csv_cells_keep_the_text_and_never_start_a_formula(scenario: Scenario, plan: Plan) -> None:
    text = csv_text(scenario, plan)
    assert text.startswith(BOM)
    header, *rows = list(csv.reader(io.StringIO(text[len(BOM) :], newline=""), delimiter=";"))
    assert len(rows) == sum(len(r.members) for r in plan.reviews)
    for row in rows:
        assert len(row) == len(header)
        assert not any(cell.startswith(FORMULA) for cell in row), row
    id_col, name_col = header.index("Deelnemer"), header.index("Naam")
    subject, sessions_col = header.index("Partnerschap onder review"), header.index("Bijeenkomsten")
    names = {row[id_col]: row[name_col] for row in rows}
    for pid, name in NAMES.items():
        if pid in names:
            assert names[pid] == ("'" + name if name.startswith(FORMULA) else name)
    organisation = {row[header.index("Organisatie")] for row in rows if row[id_col] == "a1"}
    assert organisation == {"'" + ORGANISATION}
    subjects = {row[subject] for row in rows if row[0] == "opr-pa"}
    assert subjects == {PARTNERSHIP}  # starts with '<', not a formula: as it was written
    sessions = {row[sessions_col] for row in rows if row[0] == "opr-pa"}
    assert all("BEGIN:VALARM" in s for s in sessions)  # kept inside its quoted cell


# -- report ---------------------------------------------------------------------------


def test_html_shows_every_name_as_text(scenario: Scenario, plan: Plan) -> None:
    page = html_report(scenario, plan)
    lowered = page.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<b>" not in lowered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "O&#39;Brien &amp; &#34;Sons&#34; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "Zoë 🙂 de Vries, jr.; \\ C:\\temp" in page
    assert "\u202eevil\u202c مريم العلي" in page  # in its own table cell: bidi cannot leak out
    assert re.search(r"<td>\u202eevil\u202c مريم العلي</td>", page)
    assert "=HYPERLINK(&#34;http://evil.example&#34;,&#34;klik&#34;)" in page


# -- the same through the command line ------------------------------------------------


@pytest.mark.parametrize("kind", ["ics", "csv", "html"])
def test_cli_exports_the_hostile_scenario(kind: str, hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / ("ics" if kind == "ics" else f"plan.{kind}")
    result = run_cli("export", kind, hostile, TINY_PLAN, "-o", out, "--force")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    written = sorted(out.iterdir()) if kind == "ics" else [out]
    assert written and all(p.stat().st_size > 0 for p in written)
    assert not list(tmp_path.rglob(".*.tmp"))


def test_terminal_output_of_hostile_names_is_plain_text(hostile: Path) -> None:
    result = run_cli("explain", hostile, TINY_PLAN)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout
    assert "<script>alert(1)</script>" in result.stdout  # shown as written, it is a terminal
