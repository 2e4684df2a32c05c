"""Calendar updates: same UIDs, higher SEQUENCE for changed events, cancellations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import vobject
from icalendar import Calendar

from opr_planner.export.ics import write_ics
from opr_planner.export.ics_update import sequences_in, write_update
from opr_planner.plan import Member, Plan, read_plan, sessions_for
from opr_planner.scenario import load_scenario

DATA = Path(__file__).parent / "data" / "conformance"
STAMP = dt.datetime(2028, 1, 1, 12, 0, tzinfo=dt.UTC)


def _events(path: Path) -> dict[str, dict]:
    cal = Calendar.from_ical(path.read_bytes())
    return {
        str(e["uid"]): {
            "seq": int(e.get("sequence", 0)),
            "status": str(e.get("status", "")),
            "start": e.decoded("dtstart"),
        }
        for e in cal.walk("VEVENT")
    }


def _swap(plan: Plan, review: str, out: str, into: str, role: str) -> Plan:
    reviews = []
    for r in plan.reviews:
        if r.id == review:
            members = [m for m in r.members if m.participant != out] + [Member(participant=into, role=role)]
            r = r.model_copy(update={"members": members})
        reviews.append(r)
    return plan.model_copy(update={"reviews": reviews})


def _move(plan: Plan, scenario, review: str, date: dt.date) -> Plan:
    return plan.model_copy(
        update={
            "reviews": [
                r.model_copy(update={"date": date, "sessions": sessions_for(scenario, r.id, date)})
                if r.id == review
                else r
                for r in plan.reviews
            ]
        }
    )


def test_a_dropout_raises_sequence_of_that_review_only_and_cancels_for_the_leaver(tmp_path: Path) -> None:
    scenario = load_scenario(DATA / "tiny.yaml")
    old, _ = read_plan(DATA / "valid.plan.yaml")
    write_ics(scenario, old, tmp_path, stamp=STAMP)
    before = _events(tmp_path / "all.ics")
    assert set(sequences_in(tmp_path).values()) == {0}

    new = _swap(old, "opr-pa", "u1", "a4", "board")  # u1 drops out of opr-pa
    write_update(scenario, new, old, tmp_path, stamp=STAMP)
    after = _events(tmp_path / "all.ics")
    assert set(after) == set(before), "UIDs must stay the same"
    pa_uids = {
        uid for uid, e in before.items() if e["start"].date() in (dt.date(2028, 6, 22), dt.date(2028, 6, 29))
    }
    assert len(pa_uids) == 2
    for uid, e in after.items():
        assert e["seq"] == (1 if uid in pa_uids else 0)

    leaver = _events(tmp_path / "u1.ics")
    assert {e["status"] for e in leaver.values()} == {"CANCELLED"}
    assert set(leaver) == pa_uids
    assert "METHOD:CANCEL" in (tmp_path / "u1.ics").read_text()
    # a second, independent reader agrees
    parsed = vobject.readOne((tmp_path / "u1.ics").read_text())
    assert parsed.method.value == "CANCEL"
    assert all(ev.status.value == "CANCELLED" for ev in parsed.vevent_list)
    joiner = _events(tmp_path / "a4.ics")
    assert pa_uids <= set(joiner) and all(joiner[u]["status"] != "CANCELLED" for u in pa_uids)


def test_a_moved_date_raises_sequence_again_on_each_update(tmp_path: Path) -> None:
    scenario = load_scenario(DATA / "tiny.yaml")
    old, _ = read_plan(DATA / "valid.plan.yaml")
    write_ics(scenario, old, tmp_path, stamp=STAMP)
    moved = _move(old, scenario, "opr-pc", dt.date(2028, 11, 30))
    write_update(scenario, moved, old, tmp_path, stamp=STAMP)
    first = {uid: e["seq"] for uid, e in _events(tmp_path / "all.ics").items()}
    assert sorted(first.values()) == [0, 0, 0, 0, 1, 1]
    again = _move(moved, scenario, "opr-pc", dt.date(2028, 12, 1))
    write_update(scenario, again, moved, tmp_path, stamp=STAMP)
    second = {uid: e["seq"] for uid, e in _events(tmp_path / "all.ics").items()}
    assert sorted(second.values()) == [0, 0, 0, 0, 2, 2]
    starts = [ev.dtstart.value for ev in vobject.readOne((tmp_path / "all.ics").read_text()).vevent_list]
    assert dt.date(2028, 12, 1) in {s.date() for s in starts}


def test_a_review_removed_from_the_scenario_is_cancelled_for_everyone(tmp_path: Path) -> None:
    import yaml

    scenario = load_scenario(DATA / "tiny.yaml")
    old, _ = read_plan(DATA / "valid.plan.yaml")
    write_ics(scenario, old, tmp_path, stamp=STAMP)
    data = yaml.safe_load((DATA / "tiny.yaml").read_text())
    data["reviews"] = [r for r in data["reviews"] if r["id"] != "opr-pc"]
    data["rules"]["min_reviews_per_partnership"] = 1
    (tmp_path / "smaller.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    smaller = load_scenario(tmp_path / "smaller.yaml")
    new = old.model_copy(update={"reviews": [r for r in old.reviews if r.id != "opr-pc"]})
    write_update(smaller, new, old, tmp_path, stamp=STAMP)
    events = _events(tmp_path / "all.ics")
    cancelled = [e for e in events.values() if e["status"] == "CANCELLED"]
    assert len(cancelled) == 2 and all(e["seq"] == 1 for e in cancelled)
    for member in ("a1", "b1", "b3", "u2"):  # the group of opr-pc
        assert {e["status"] for e in _events(tmp_path / f"{member}.ics").values()} >= {"CANCELLED"}


def test_cli_previous_option_updates_the_calendars_in_place(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from opr_planner.cli import main
    from opr_planner.plan import write_plan

    scenario = load_scenario(DATA / "tiny.yaml")
    old, _ = read_plan(DATA / "valid.plan.yaml")
    new = _swap(old, "opr-pa", "u1", "a4", "board")
    write_plan(new, tmp_path / "new.plan.yaml")
    out = tmp_path / "ics"
    first = CliRunner().invoke(
        main, ["export", "ics", str(DATA / "tiny.yaml"), str(DATA / "valid.plan.yaml"), "-o", str(out)]
    )
    assert first.exit_code == 0, first.output
    run = CliRunner().invoke(
        main,
        [
            "export",
            "ics",
            str(DATA / "tiny.yaml"),
            str(tmp_path / "new.plan.yaml"),
            "-o",
            str(out),
            "--previous",
            str(DATA / "valid.plan.yaml"),
        ],
    )
    assert run.exit_code == 0, run.output
    assert "2 changed event(s)" in run.output and "2 cancellation(s)" in run.output
    assert {e["status"] for e in _events(out / "u1.ics").values()} == {"CANCELLED"}
    assert sorted(e["seq"] for e in _events(out / "all.ics").values()) == [0, 0, 0, 0, 1, 1]
    assert scenario.name
