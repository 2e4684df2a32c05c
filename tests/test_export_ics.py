"""Calendars: files, events, local times, attendees, language, stable UIDs, and refusals."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import vobject
from helpers import KIT, TINY, TINY_PLAN, read_yaml_data, run_cli, write_yaml_data
from icalendar import Calendar

from opr_planner.export.ics import ALL_FILE, ics_calendars, participant_filename, participant_filenames
from opr_planner.plan import Plan, PlanReview
from opr_planner.scenario import Scenario, load_scenario

STAMP = dt.datetime(2027, 12, 1, 8, 0, tzinfo=dt.UTC)


def _events(data: bytes) -> list[Any]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def _uids(files: dict[str, bytes]) -> list[str]:
    return [str(e["UID"]) for e in _events(files[ALL_FILE])]


def test_one_calendar_for_all_and_one_per_member(tiny: Scenario, tiny_plan: Plan) -> None:
    files = ics_calendars(tiny, tiny_plan, stamp=STAMP)
    members = {m.participant for r in tiny_plan.reviews for m in r.members}
    assert set(files) == {ALL_FILE} | {f"{pid}.ics" for pid in members}
    sessions = sum(len(tiny.sessions_of(tiny.review[r.id])) for r in tiny_plan.reviews)
    assert len(_events(files[ALL_FILE])) == sessions == 6
    # a1 sits only in opr-pc: its two sessions and nothing else.
    mine = _events(files["a1.ics"])
    assert len(mine) == 2
    assert all("Partnerschap C" in str(e["SUMMARY"]) for e in mine)


def test_icalendar_reads_local_times_with_tzid_and_vtimezone(tiny: Scenario, tiny_plan: Plan) -> None:
    cal = Calendar.from_ical(ics_calendars(tiny, tiny_plan, stamp=STAMP)[ALL_FILE])
    zones = list(cal.walk("VTIMEZONE"))
    assert [str(z["TZID"]) for z in zones] == ["Europe/Amsterdam"]
    visit = next(
        e
        for e in cal.walk("VEVENT")
        if "Bezoek" in str(e["SUMMARY"]) and "Partnerschap A" in str(e["SUMMARY"])
    )
    assert visit["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    start = visit.decoded("DTSTART")
    assert (start.date(), start.hour, start.minute) == (dt.date(2028, 6, 29), 9, 0)
    assert start.utcoffset() == dt.timedelta(hours=2)  # summer time
    assert visit.decoded("DTEND").hour == 15
    assert str(visit["LOCATION"]) == "Pabo A"
    assert visit.decoded("DTSTAMP") == STAMP
    assert visit.decoded("SEQUENCE") == 0


def test_vobject_reads_the_same_events_and_local_times(tiny: Scenario, tiny_plan: Plan) -> None:
    """A second, independent reader."""
    files = ics_calendars(tiny, tiny_plan, stamp=STAMP)
    cal = vobject.readOne(files[ALL_FILE].decode("utf-8"))
    events = cal.vevent_list
    assert len(events) == 6
    starts = sorted(e.dtstart.value for e in events)
    assert all(s.tzinfo is not None for s in starts)
    winter = next(e for e in events if e.dtstart.value.date() == dt.date(2028, 11, 29))
    assert winter.dtstart.value.hour == 9
    assert winter.dtstart.value.utcoffset() == dt.timedelta(hours=1)  # CET in November
    assert winter.dtstart.value.astimezone(dt.UTC).hour == 8
    prep = next(e for e in events if e.dtstart.value.date() == dt.date(2028, 6, 22))
    assert (prep.dtstart.value.hour, prep.dtstart.value.minute) == (15, 30)
    assert prep.location.value == "online"
    for name, data in files.items():
        assert vobject.readOne(data.decode("utf-8")).vevent_list, name


def test_organiser_and_attendees_with_names_and_roles(tiny: Scenario, tiny_plan: Plan) -> None:
    events = _events(ics_calendars(tiny, tiny_plan, stamp=STAMP)[ALL_FILE])
    visit = next(e for e in events if "Partnerschap A: Bezoek" in str(e["SUMMARY"]))
    organiser = visit["ORGANIZER"]
    assert str(organiser) == "mailto:kwartiermaker@example.org"
    assert organiser.params["CN"] == "Kwartiermaker"
    attendees = visit["ATTENDEE"]
    by_name = {a.params["CN"]: a for a in attendees}
    assert set(by_name) == {"Gijs B", "Maud C", "Noor C", "Pien U", "Roos U"}
    assert by_name["Maud C"].params["ROLE"] == "CHAIR"
    assert by_name["Gijs B"].params["ROLE"] == "REQ-PARTICIPANT"
    assert by_name["Roos U"].params["X-OPR-ROLE"] == "student"
    assert str(by_name["Gijs B"]).startswith("urn:")  # no e-mail address in the scenario
    assert str(visit["STATUS"]) == "TENTATIVE"  # not confirmed in the plan


def test_summary_and_description_in_dutch(tiny: Scenario, tiny_plan: Plan) -> None:
    visit = next(
        e
        for e in _events(ics_calendars(tiny, tiny_plan, stamp=STAMP)[ALL_FILE])
        if "Bezoek" in str(e["SUMMARY"])
    )
    text = str(visit["DESCRIPTION"])
    assert str(visit["SUMMARY"]) == "OPR Partnerschap A: Bezoek"
    for expected in (
        "Voorzitter: Maud C",
        "Reviewgroep:",
        "instituutsopleider",
        "Partnerschap onder review: Partnerschap A (pa)",
        "do 29 juni 2028",
    ):
        assert expected in text


def test_summary_and_description_in_english(tmp_path: Path, tiny_plan: Plan) -> None:
    data = read_yaml_data(TINY)
    data["language"] = "en"
    scenario = load_scenario(write_yaml_data(tmp_path / "en.yaml", data))
    visit = next(
        e
        for e in _events(ics_calendars(scenario, tiny_plan, stamp=STAMP)[ALL_FILE])
        if "Visit" in str(e["SUMMARY"]) or "Bezoek" in str(e["SUMMARY"])
    )
    assert str(visit["SUMMARY"]).startswith("Peer review Partnerschap A")
    text = str(visit["DESCRIPTION"])
    for expected in (
        "Chair: Maud C",
        "Review group:",
        "institute-based teacher educator",
        "Thu 29 June 2028",
    ):
        assert expected in text


def test_uids_are_stable_across_exports_dates_members_and_rule_variants(
    tmp_path: Path, tiny: Scenario, tiny_plan: Plan
) -> None:
    first, second = ics_calendars(tiny, tiny_plan, stamp=STAMP), ics_calendars(tiny, tiny_plan, stamp=STAMP)
    assert first == second  # byte for byte with the same DTSTAMP
    uids = _uids(first)
    assert len(set(uids)) == len(uids) == 6
    # Another plan of the same scenario: other dates and other members, same UIDs.
    moved = [
        r.model_copy(
            update={"date": r.date - dt.timedelta(days=7), "sessions": None, "members": r.members[1:]}
        )
        for r in tiny_plan.reviews
    ]
    other = tiny_plan.model_copy(update={"reviews": moved})
    assert _uids(ics_calendars(tiny, other, stamp=STAMP)) == uids
    # A variant of the scenario (same name, other rules): same UIDs.
    data = read_yaml_data(TINY)
    data["rules"]["group_size"] = {"min": 3, "max": 6}
    variant = load_scenario(write_yaml_data(tmp_path / "variant.yaml", data))
    assert _uids(ics_calendars(variant, tiny_plan, stamp=STAMP)) == uids
    # The same UID appears in the personal calendars.
    assert {str(e["UID"]) for e in _events(first["a1.ics"])} <= set(uids)


def test_sequence_per_event_and_dtstamp(
    monkeypatch: pytest.MonkeyPatch, tiny: Scenario, tiny_plan: Plan
) -> None:
    uid = _uids(ics_calendars(tiny, tiny_plan, stamp=STAMP))[0]
    events = _events(ics_calendars(tiny, tiny_plan, stamp=STAMP, sequences={uid: 3})[ALL_FILE])
    assert {str(e["UID"]): int(e["SEQUENCE"]) for e in events}[uid] == 3
    assert sorted(int(e["SEQUENCE"]) for e in events) == [0, 0, 0, 0, 0, 3]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    events = _events(ics_calendars(tiny, tiny_plan)[ALL_FILE])
    assert events[0].decoded("DTSTAMP") == dt.datetime.fromtimestamp(1800000000, tz=dt.UTC)


@pytest.mark.parametrize(
    ("pid", "safe"),
    [
        ("p001", True),
        ("u-1.x", True),
        ("all", False),
        ("ALL", False),
        ("../etc/passwd", False),
        ("a b", False),
        (".hidden", False),
        ("CON", False),
    ],
)
def test_participant_file_names_are_safe(pid: str, safe: bool) -> None:
    name = participant_filename(pid)
    assert name.endswith(".ics") and "/" not in name and not name.startswith(".")
    assert (name == f"{pid}.ics") is safe
    assert name.lower() != ALL_FILE


def test_participant_file_names_differ_on_case_insensitive_disks() -> None:
    names = participant_filenames(["P1", "p1", "q"])
    assert len({n.lower() for n in names.values()}) == 3
    assert names["q"] == "q.ics"


def test_cli_writes_the_calendars(tmp_path: Path) -> None:
    result = run_cli("export", "ics", TINY, TINY_PLAN, "-o", tmp_path / "cal")
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "cal").iterdir())
    assert ALL_FILE in written and "a1.ics" in written and len(written) == 14
    assert not [p for p in (tmp_path / "cal").iterdir() if p.name.startswith(".")]  # no temporary files left


def _plan_with(tmp_path: Path, edit: Callable[[dict[str, Any]], object]) -> Path:
    data = read_yaml_data(TINY_PLAN)
    edit(data)
    return write_yaml_data(tmp_path / "edited.plan.yaml", data)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["reviews"].append({**d["reviews"][0], "id": "opr-unknown"}), "opr-unknown"),
        (lambda d: d["reviews"][0]["members"].append({"participant": "zz9", "role": "student"}), "zz9"),
        (lambda d: d["reviews"].pop(), "missing"),
    ],
    ids=["unknown-review", "unknown-participant", "missing-review"],
)
def test_cli_refuses_plans_it_cannot_turn_into_invitations(
    tmp_path: Path, edit: Callable[[dict[str, Any]], object], message: str
) -> None:
    plan = _plan_with(tmp_path, edit)
    for kind, out in (("ics", tmp_path / "cal"), ("csv", tmp_path / "x.csv"), ("html", tmp_path / "x.html")):
        result = run_cli("export", kind, TINY, plan, "-o", out)
        assert result.exit_code == 2, result.output
        assert message in result.stderr and "Traceback" not in result.output
        assert not out.exists()


def test_cli_refuses_a_plan_of_another_scenario_version_unless_forced(tmp_path: Path) -> None:
    data = read_yaml_data(TINY)
    data["rules"]["max_reviews_per_week"] = 2
    changed = write_yaml_data(tmp_path / "tiny.yaml", data)
    refused = run_cli("export", "ics", changed, TINY_PLAN, "-o", tmp_path / "cal")
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert not (tmp_path / "cal").exists()
    forced = run_cli("export", "ics", changed, TINY_PLAN, "-o", tmp_path / "cal", "--force")
    assert forced.exit_code == 0, forced.output
    assert (tmp_path / "cal" / ALL_FILE).is_file()


def test_cli_warns_but_exports_a_plan_breaking_other_rules(tmp_path: Path) -> None:
    result = run_cli("export", "ics", TINY, KIT / "bad-too-close.plan.yaml", "-o", tmp_path / "cal")
    assert result.exit_code == 0, result.output
    assert "warning" in result.stderr and "H15" in result.stderr
    assert (tmp_path / "cal" / ALL_FILE).is_file()


def test_confirmed_review_is_confirmed_and_members_accepted(tiny: Scenario, tiny_plan: Plan) -> None:
    first: PlanReview = tiny_plan.reviews[0]
    confirmed = first.model_copy(
        update={
            "confirmed": True,
            "members": [m.model_copy(update={"confirmed": True}) for m in first.members],
        }
    )
    plan = tiny_plan.model_copy(update={"reviews": [confirmed, *tiny_plan.reviews[1:]]})
    event = _events(ics_calendars(tiny, plan, stamp=STAMP)[ALL_FILE])[0]
    assert str(event["STATUS"]) == "CONFIRMED"
    assert {a.params["PARTSTAT"] for a in event["ATTENDEE"]} == {"ACCEPTED"}
