"""Calendars that real people already have: identity that survives edits, updates that say
what changed, cancellations that name the review, and the list of files to send again.

Issue #12: after renaming the scenario, `export ics --previous` reported "0 changed
event(s)" while every UID was new (finding 3); a new chair's events kept SEQUENCE 0
(finding 1); updated events did not say what changed, cancellations read
"Geannuleerd: Bezoek (opr1-rotterdam)" with no description, and nothing listed which files
must be re-sent (finding 4). Every calendar is read by two independent readers, icalendar
and vobject, and both must agree.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
import vobject
from helpers import TINY, TINY_PLAN, read_yaml_data, run_cli, write_yaml_data
from icalendar import Calendar
from test_export_ics_update import _move

from opr_planner.export.ics import ALL_FILE, write_ics
from opr_planner.export.ics_update import plan_update, write_update
from opr_planner.export.view import legacy_session_uid
from opr_planner.plan import Member, Plan, read_plan, write_plan
from opr_planner.scenario import Scenario, load_scenario

STAMP = dt.datetime(2028, 1, 1, 12, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2028, 2, 1, 12, 0, tzinfo=dt.UTC)
PA = "Partnerschap A"


# -- reading calendars, twice --------------------------------------------------------------


def read_events(path: Path) -> dict[str, dict[str, Any]]:
    """Events by UID as icalendar reads them, checked against what vobject reads."""
    data = path.read_bytes()
    first = {}
    for e in Calendar.from_ical(data).walk("VEVENT"):
        first[str(e["UID"])] = {
            "seq": int(e.get("SEQUENCE", 0)),
            "status": str(e.get("STATUS", "")),
            "start": e.decoded("DTSTART"),
            "summary": str(e.get("SUMMARY", "")),
            "description": str(e.get("DESCRIPTION", "")),
            "location": str(e.get("LOCATION", "")),
            "chairs": sorted(
                str(a.params.get("CN")) for a in _list(e.get("ATTENDEE")) if a.params.get("ROLE") == "CHAIR"
            ),
            "attendees": sorted(str(a.params.get("CN")) for a in _list(e.get("ATTENDEE"))),
        }
    second = {}
    for e in vobject.readOne(data.decode("utf-8")).vevent_list:
        attendees = e.contents.get("attendee", [])
        second[e.uid.value] = {
            "seq": int(e.sequence.value) if hasattr(e, "sequence") else 0,
            "status": e.status.value if hasattr(e, "status") else "",
            "start": e.dtstart.value,
            "summary": e.summary.value if hasattr(e, "summary") else "",
            "description": e.description.value if hasattr(e, "description") else "",
            "location": e.location.value if hasattr(e, "location") else "",
            "chairs": sorted(a.params["CN"][0] for a in attendees if a.params.get("ROLE") == ["CHAIR"]),
            "attendees": sorted(a.params["CN"][0] for a in attendees),
        }
    assert first == second, f"icalendar and vobject disagree on {path.name}"
    return first


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def method_of(path: Path) -> str | None:
    cal = vobject.readOne(path.read_text(encoding="utf-8"))
    method = cal.method.value if hasattr(cal, "method") else None
    assert method == (str(Calendar.from_ical(path.read_bytes()).get("METHOD")) if method else None)
    return method


# -- plans ---------------------------------------------------------------------------------


def tiny_plan() -> Plan:
    return read_plan(TINY_PLAN)[0]


def swap(plan: Plan, review: str, out: str, into: str, role: str) -> Plan:
    reviews = []
    for r in plan.reviews:
        if r.id == review:
            members = [m for m in r.members if m.participant != out] + [Member(participant=into, role=role)]
            r = r.model_copy(update={"members": sorted(members, key=lambda m: m.participant)})
        reviews.append(r)
    return plan.model_copy(update={"reviews": reviews})


def hand_chair(plan: Plan, review: str, to: str) -> Plan:
    reviews = []
    for r in plan.reviews:
        if r.id == review:
            members = [
                m.model_copy(update={"functions": ["chair"] if m.participant == to else []})
                for m in r.members
            ]
            r = r.model_copy(update={"members": members})
        reviews.append(r)
    return plan.model_copy(update={"reviews": reviews})


def move(plan: Plan, scenario: Scenario, review: str, date: dt.date) -> Plan:
    return _move(plan, scenario, review, date)


def confirm(plan: Plan, *reviews: str) -> Plan:
    return plan.model_copy(
        update={"reviews": [r.model_copy(update={"confirmed": r.id in reviews}) for r in plan.reviews]}
    )


def published(tmp_path: Path, scenario: Scenario, plan: Plan) -> Path:
    folder = tmp_path / "ics"
    write_ics(scenario, plan, folder, stamp=STAMP)
    return folder


def changes_csv(folder: Path) -> list[dict[str, str]]:
    text = (folder / "changes.csv").read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


# -- identity ------------------------------------------------------------------------------


def test_renaming_the_scenario_keeps_every_uid_and_raises_no_sequence(tmp_path: Path) -> None:
    data = read_yaml_data(TINY)
    old_scenario = load_scenario(write_yaml_data(tmp_path / "regio.yaml", data))
    plan = tiny_plan()
    folder = published(tmp_path, old_scenario, plan)
    before = read_events(folder / ALL_FILE)
    data["name"] = "Onderwijsregio Voorbeeld — OPR 2028 (nieuwe naam)"
    renamed = load_scenario(write_yaml_data(tmp_path / "hernoemd.yaml", data))
    update = write_update(renamed, plan, plan, folder, stamp=LATER)
    after = read_events(folder / ALL_FILE)
    assert set(after) == set(before), "a renamed scenario keeps every UID (no duplicates)"
    assert {e["seq"] for e in after.values()} == {0}
    assert update.changed_events == update.cancellations == update.new_events == 0
    assert not [r for r in update.recipients if r.send]


def test_reordering_reviews_and_adding_a_participant_keep_every_uid_and_sequence(tmp_path: Path) -> None:
    scenario = load_scenario(TINY)
    plan = tiny_plan()
    folder = published(tmp_path, scenario, plan)
    before = {name: read_events(folder / name) for name in sorted(p.name for p in folder.glob("*.ics"))}
    data = read_yaml_data(TINY)
    data["reviews"].reverse()
    data["participants"].insert(0, {"id": "a0", "name": "Nieuw A", "role": "student", "region": "r-a"})
    edited = load_scenario(write_yaml_data(tmp_path / "edited.yaml", data))
    reordered = plan.model_copy(update={"reviews": list(reversed(plan.reviews))})
    update = write_update(edited, reordered, plan, folder, stamp=LATER)
    after = {name: read_events(folder / name) for name in sorted(p.name for p in folder.glob("*.ics"))}
    assert {n: {u: e["seq"] for u, e in ev.items()} for n, ev in after.items()} == {
        n: {u: e["seq"] for u, e in ev.items()} for n, ev in before.items()
    }
    assert update.changed_events == 0 and not [r for r in update.recipients if r.send]


def test_uids_do_not_depend_on_the_scenario_name(tmp_path: Path) -> None:
    data = read_yaml_data(TINY)
    one = load_scenario(write_yaml_data(tmp_path / "one.yaml", data))
    data["name"] = "Another name"
    two = load_scenario(write_yaml_data(tmp_path / "two.yaml", data))
    a, b = tmp_path / "a", tmp_path / "b"
    write_ics(one, tiny_plan(), a, stamp=STAMP)
    write_ics(two, tiny_plan(), b, stamp=STAMP)
    assert set(read_events(a / ALL_FILE)) == set(read_events(b / ALL_FILE))


def test_calendars_sent_with_the_old_uids_keep_them(tmp_path: Path) -> None:
    """Calendars written before UIDs left out the scenario name: their UIDs are kept, so the
    first update after the upgrade updates instead of duplicating."""
    scenario = load_scenario(TINY)
    plan = tiny_plan()
    folder = published(tmp_path, scenario, plan)
    text = {p: p.read_text(encoding="utf-8") for p in folder.glob("*.ics")}
    sent = read_events(folder / ALL_FILE)
    legacy = {}
    for r in plan.reviews:
        for key in ("Voorbereiding#0", "Bezoek#0"):
            uid = next(
                u
                for u, e in sent.items()
                if e["summary"].endswith(key.split("#")[0])
                and e["start"].date() in {s.date for s in r.sessions or []}
            )
            legacy[uid] = legacy_session_uid(scenario.name, r.id, key)
    for path, content in text.items():
        for new, old in legacy.items():
            content = content.replace(new, old)
        path.write_text(content, encoding="utf-8")
    changed = swap(plan, "opr-pa", "u3", "a1", "student")
    write_update(scenario, changed, plan, folder, stamp=LATER)
    after = read_events(folder / ALL_FILE)
    assert set(after) == set(legacy.values()), "the UIDs in the folder are kept"


# -- what raises SEQUENCE ------------------------------------------------------------------


def test_a_chair_handed_over_raises_sequence_for_that_review_only(tmp_path: Path) -> None:
    scenario = load_scenario(TINY)
    plan = tiny_plan()
    folder = published(tmp_path, scenario, plan)
    new = hand_chair(plan, "opr-pa", "b2")
    update = write_update(scenario, new, plan, folder, stamp=LATER)
    events = read_events(folder / ALL_FILE)
    pa = {u for u, e in events.items() if PA in e["summary"]}
    assert len(pa) == 2
    assert {u: e["seq"] for u, e in events.items()} == {u: (1 if u in pa else 0) for u in events}
    for uid in pa:
        assert events[uid]["chairs"] == ["Gijs B"]
        assert events[uid]["description"].startswith("Gewijzigd:")
        assert "Voorzitter gewijzigd: Gijs B (was Maud C)" in events[uid]["description"].split("\n\n")[0]
    assert read_events(folder / "b2.ics")[next(iter(pa))]["seq"] == 1
    sent = {r.participant for r in update.recipients if r.send and r.participant}
    assert sent == set(plan.review["opr-pa"].member_ids), "the members of that review, nobody else"


def test_any_visible_change_raises_sequence_and_says_what_changed(tmp_path: Path) -> None:
    scenario = load_scenario(TINY)
    plan = tiny_plan()
    folder = published(tmp_path, scenario, plan)
    new = move(swap(plan, "opr-pc", "u2", "c5", "school_educator"), scenario, "opr-pc", dt.date(2028, 11, 30))
    write_update(scenario, new, plan, folder, stamp=LATER)
    events = read_events(folder / ALL_FILE)
    pc = [e for e in events.values() if "Partnerschap C" in e["summary"]]
    assert len(pc) == 2 and {e["seq"] for e in pc} == {1}
    visit = next(e for e in pc if "Bezoek" in e["summary"])
    head = visit["description"].split("\n\n")[0]
    assert head.startswith("Gewijzigd:")
    assert "Nieuwe datum: do 30 november 2028 (was wo 29 november 2028)" in head
    assert "Nieuw lid: Otto C" in head and "Geen lid meer: Quinten U" in head
    unchanged = [e for e in events.values() if "Partnerschap C" not in e["summary"]]
    assert all(e["seq"] == 0 and not e["description"].startswith("Gewijzigd") for e in unchanged)


def reschedule(plan: Plan, review: str, session: str, **changes: str) -> Plan:
    """`plan` with one session of one review at another time or place (as a coordinator
    edits the plan file)."""
    reviews = []
    for r in plan.reviews:
        if r.id == review:
            sessions = [s.model_copy(update=changes) if s.name == session else s for s in r.sessions or []]
            r = r.model_copy(update={"sessions": sessions})
        reviews.append(r)
    return plan.model_copy(update={"reviews": reviews})


def test_a_new_time_or_place_raises_sequence_and_says_so(tmp_path: Path) -> None:
    """Issue #12: any change a participant can see raises SEQUENCE, the time and the place
    of a session too, and the event says what changed; the rest keep SEQUENCE 0."""
    scenario = load_scenario(TINY)
    plan = tiny_plan()
    folder = published(tmp_path, scenario, plan)
    before = read_events(folder / ALL_FILE)
    new = reschedule(plan, "opr-pb", "Bezoek", start="10:00")
    new = reschedule(new, "opr-pc", "Bezoek", location="Vergadercentrum De Brug")
    update = write_update(scenario, new, plan, folder, stamp=LATER)
    events = read_events(folder / ALL_FILE)
    assert set(events) == set(before)
    later = next(u for u, e in events.items() if e["summary"].endswith("Partnerschap B: Bezoek"))
    moved = next(u for u, e in events.items() if e["summary"].endswith("Partnerschap C: Bezoek"))
    # Every event of those two reviews lists all their sessions in its description, so the
    # preparations change too; the events of opr-pa do not.
    touched = {u for u, e in events.items() if "Partnerschap A" not in e["summary"]}
    assert {u: e["seq"] for u, e in events.items()} == {u: int(u in touched) for u in events}
    assert all(events[u]["description"].startswith("Gewijzigd:") for u in touched)
    assert (events[later]["start"].hour, events[later]["start"].minute) == (10, 0)
    assert "Nieuwe tijd: 10:00–15:30 (was 09:00–15:30)" in events[later]["description"].split("\n\n")[0]
    assert events[moved]["location"] == "Vergadercentrum De Brug"
    head = events[moved]["description"].split("\n\n")[0]
    assert head.startswith("Gewijzigd:") and "Nieuwe locatie: Vergadercentrum De Brug (was " in head
    assert f"(was {before[moved]['location']})" in head
    sent = {r.participant for r in update.recipients if r.send and r.participant}
    assert sent == set(plan.review["opr-pb"].member_ids) | set(plan.review["opr-pc"].member_ids)


def test_what_changed_in_english(tmp_path: Path) -> None:
    data = read_yaml_data(TINY)
    data["language"] = "en"
    scenario = load_scenario(write_yaml_data(tmp_path / "en.yaml", data))
    plan = tiny_plan()
    folder = published(tmp_path, scenario, plan)
    new = hand_chair(move(plan, scenario, "opr-pc", dt.date(2028, 11, 30)), "opr-pc", "a1")
    write_update(scenario, new, plan, folder, stamp=LATER)
    visit = next(
        e for e in read_events(folder / ALL_FILE).values() if e["summary"].endswith("Partnerschap C: Bezoek")
    )
    head = visit["description"].split("\n\n")[0]
    assert head.startswith("Changed:")
    assert "New date: Thu 30 November 2028 (was Wed 29 November 2028)" in head
    assert "Chair changed: Anna A (was Hanna B)" in head


def test_unchanged_confirmed_events_stay_confirmed_with_their_sequence(tmp_path: Path) -> None:
    scenario = load_scenario(TINY)
    plan = confirm(tiny_plan(), "opr-pb", "opr-pc")
    folder = published(tmp_path, scenario, plan)
    new = swap(plan, "opr-pa", "u3", "a1", "student")
    write_update(scenario, new, plan, folder, stamp=LATER)
    for e in read_events(folder / ALL_FILE).values():
        if PA in e["summary"]:
            assert (e["seq"], e["status"]) == (1, "TENTATIVE")
        else:
            assert (e["seq"], e["status"]) == (0, "CONFIRMED")
            assert not e["description"].startswith("Gewijzigd")


def test_an_edited_session_description_raises_sequence_when_the_sent_calendars_are_there(
    tmp_path: Path,
) -> None:
    scenario = load_scenario(TINY)
    plan = tiny_plan()
    folder = published(tmp_path, scenario, plan)
    data = read_yaml_data(TINY)
    data["rules"]["sessions"][0]["description"] = "Lees het zelfevaluatierapport"
    edited = load_scenario(write_yaml_data(tmp_path / "edited.yaml", data))
    update = write_update(edited, plan, plan, folder, stamp=LATER)
    events = read_events(folder / ALL_FILE)
    preps = [e for e in events.values() if e["summary"].endswith("Voorbereiding")]
    assert {e["seq"] for e in preps} == {1} and update.changed_events == 3
    assert all("Lees het zelfevaluatierapport" in e["description"] for e in preps)
    assert all(e["seq"] == 0 for e in events.values() if e["summary"].endswith("Bezoek"))


def test_running_the_same_update_twice_changes_nothing_more(tmp_path: Path) -> None:
    scenario = load_scenario(TINY)
    plan = tiny_plan()
    folder = published(tmp_path, scenario, plan)
    new = swap(plan, "opr-pa", "u3", "a1", "student")
    write_update(scenario, new, plan, folder, stamp=LATER)
    first = {p.name: p.read_bytes() for p in folder.iterdir()}
    write_update(scenario, new, plan, folder, stamp=LATER)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == first


# -- cancellations -------------------------------------------------------------------------


def test_a_cancellation_names_the_partnership_and_session_and_says_why(tmp_path: Path) -> None:
    scenario = load_scenario(TINY)
    plan = tiny_plan()
    folder = published(tmp_path, scenario, plan)
    new = swap(plan, "opr-pa", "u3", "a1", "student")
    write_update(scenario, new, plan, folder, stamp=LATER)
    mine = read_events(folder / "u3.ics")
    assert method_of(folder / "u3.ics") == "CANCEL"
    assert {e["status"] for e in mine.values()} == {"CANCELLED"} and len(mine) == 2
    assert {e["seq"] for e in mine.values()} == {1}
    for e in mine.values():
        assert e["summary"] in (
            "Geannuleerd: OPR Partnerschap A: Voorbereiding",
            "Geannuleerd: OPR Partnerschap A: Bezoek",
        )
        assert "opr-pa" not in e["summary"]
        assert "niet meer ingedeeld" in e["description"]
        assert "kwartiermaker@example.org" in e["description"]
    joiner = read_events(folder / "a1.ics")
    assert {e["status"] for u, e in joiner.items() if PA in e["summary"]} == {"TENTATIVE"}


def test_a_review_taken_out_of_the_plan_is_cancelled_for_everyone_with_the_reason(tmp_path: Path) -> None:
    scenario = load_scenario(TINY)
    plan = tiny_plan()
    folder = published(tmp_path, scenario, plan)
    data = read_yaml_data(TINY)
    data["reviews"] = [r for r in data["reviews"] if r["id"] != "opr-pc"]
    data["rules"]["min_reviews_per_partnership"] = 1
    smaller = load_scenario(write_yaml_data(tmp_path / "smaller.yaml", data))
    new = plan.model_copy(update={"reviews": [r for r in plan.reviews if r.id != "opr-pc"]})
    update = write_update(smaller, new, plan, folder, stamp=LATER)
    cancelled = [e for e in read_events(folder / ALL_FILE).values() if e["status"] == "CANCELLED"]
    assert len(cancelled) == 2 and {e["seq"] for e in cancelled} == {1}
    assert all(e["summary"].startswith("Geannuleerd: OPR Partnerschap C") for e in cancelled)
    assert all("uit de planning" in e["description"] for e in cancelled)
    assert update.cancellations == 2 * len(plan.review["opr-pc"].members)


# -- the re-send list ----------------------------------------------------------------------


def test_the_changes_summary_lists_the_files_to_send_and_marks_the_rest(tmp_path: Path) -> None:
    scenario = load_scenario(TINY)
    plan = tiny_plan()
    folder = published(tmp_path, scenario, plan)
    new = swap(plan, "opr-pa", "u3", "a1", "student")
    update = write_update(scenario, new, plan, folder, stamp=LATER)
    rows = {r["Deelnemer"]: r for r in changes_csv(folder)}
    everyone = {m.participant for p in (plan, new) for r in p.reviews for m in r.members}
    assert set(rows) == everyone | {""}, "one row per personal file, and one for all.ics"
    must = {p for p, r in rows.items() if r["Opnieuw sturen"] == "ja"}
    assert must == set(plan.review["opr-pa"].member_ids) | {"a1", ""}
    assert rows["u3"]["Bestand"] == "u3.ics" and "Niet meer in" in rows["u3"]["Wat is er veranderd"]
    assert "Nieuw in" in rows["a1"]["Wat is er veranderd"]
    assert rows["b1"]["Opnieuw sturen"] == "nee" and rows["b1"]["Wat is er veranderd"] == ""
    text = (folder / "changes.txt").read_text(encoding="utf-8")
    listed, _, unchanged = text.partition("Ongewijzigd, niet opnieuw sturen")
    assert "u3.ics — Roos U" in listed and "a1.ics — Anna A" in listed and "b1.ics" not in listed
    assert "b1.ics" in unchanged, "unchanged files are marked, not listed for sending"
    assert f"{len(must) - 1} van de {len(everyone)} persoonlijke agenda" in text
    assert sorted(r.file for r in update.recipients if r.send) == sorted(
        ["all.ics", *(f"{p}.ics" for p in must if p)]
    )


def test_plan_update_is_a_pure_function_of_the_plans_and_what_was_sent(tmp_path: Path) -> None:
    scenario = load_scenario(TINY)
    plan = tiny_plan()
    new = hand_chair(plan, "opr-pa", "b2")
    one = plan_update(scenario, new, plan, stamp=LATER)
    two = plan_update(scenario, new, plan, stamp=LATER)
    assert one.files == two.files and one.recipients == two.recipients
    assert one.changed_events == 2


def test_cli_previous_writes_the_update_and_the_resend_list(tmp_path: Path) -> None:
    plan = tiny_plan()
    old_path = write_plan_to(tmp_path / "old.plan.yaml", plan)
    new_path = write_plan_to(tmp_path / "new.plan.yaml", swap(plan, "opr-pa", "u3", "a1", "student"))
    out = tmp_path / "ics"
    assert run_cli("export", "ics", TINY, old_path, "-o", out).exit_code == 0
    run = run_cli("export", "ics", TINY, new_path, "-o", out, "--previous", old_path)
    assert run.exit_code == 0, run.output
    assert "2 changed event(s)" in run.stdout and "2 cancellation(s)" in run.stdout
    everyone = {m.participant for r in plan.reviews for m in r.members} | {"a1"}
    assert f"send 6 of {len(everyone)} personal calendar(s) again" in run.stdout
    assert (out / "changes.txt").is_file() and (out / "changes.csv").is_file()
    assert f"{out / 'changes.txt'}" in run.stdout


def write_plan_to(path: Path, plan: Plan) -> Path:
    write_plan(plan, path)
    return path


@pytest.fixture(autouse=True)
def _no_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def test_exporting_into_a_folder_of_sent_calendars_without_previous_says_how_to_update(
    tmp_path: Path,
) -> None:
    out = tmp_path / "ics"
    assert run_cli("export", "ics", TINY, TINY_PLAN, "-o", out).exit_code == 0
    again = run_cli("export", "ics", TINY, TINY_PLAN, "-o", out)
    assert again.exit_code == 0
    assert "already holds calendars of an earlier plan" in again.stderr and "--previous" in again.stderr
