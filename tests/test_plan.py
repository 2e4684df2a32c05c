"""Plan files (SPEC 5): YAML and JSON round trips, atomic writes, quoting."""

from __future__ import annotations

import datetime as dt
import json
import os
import string
from pathlib import Path

import pytest
import yaml
from helpers import DATA, TINY_PLAN, VALID_OBJECTIVE, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opr_planner.errors import PlanError
from opr_planner.evaluate import evaluate, scored
from opr_planner.io.fileio import OutputError, write_atomic
from opr_planner.plan import (
    Backup,
    Member,
    Plan,
    PlanReview,
    PlanSession,
    SolverInfo,
    make_plan,
    normalised,
    plan_text,
    read_plan,
    write_plan,
)
from opr_planner.scenario import Scenario


def _rich_plan(tiny_plan: Plan) -> Plan:
    """The valid plan plus every optional field (confirmed, backups, locations)."""
    first = tiny_plan.reviews[0]
    members = [m.model_copy(update={"confirmed": True}) if i == 0 else m for i, m in enumerate(first.members)]
    first = first.model_copy(
        update={"confirmed": True, "members": members, "backups": [Backup(participant="a1", role="student")]}
    )
    return tiny_plan.model_copy(update={"reviews": [first, *tiny_plan.reviews[1:]]})


@pytest.mark.parametrize("suffix", [".yaml", ".json", ".YAML", ".yml"])
def test_round_trip(tiny_plan: Plan, tmp_path: Path, suffix: str) -> None:
    plan = _rich_plan(tiny_plan)
    path = tmp_path / f"out{suffix}"
    write_plan(plan, path)
    again, warnings = read_plan(path)
    assert warnings == []
    assert again == plan


def test_json_when_the_path_ends_in_json(tiny_plan: Plan, tmp_path: Path) -> None:
    write_plan(tiny_plan, tmp_path / "p.json")
    data = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert data["format"] == "opr-plan/1"
    assert data["reviews"][0]["date"] == "2028-06-29"
    assert data["reviews"][0]["sessions"][1]["start"] == "09:00"


def test_write_then_read_the_kit_plan_unchanged(tiny_plan: Plan, tmp_path: Path) -> None:
    write_plan(tiny_plan, tmp_path / "a.plan.yaml")
    write_plan(read_plan(tmp_path / "a.plan.yaml")[0], tmp_path / "b.plan.yaml")
    assert (tmp_path / "a.plan.yaml").read_bytes() == (tmp_path / "b.plan.yaml").read_bytes()


def test_times_and_dates_are_written_quoted(tiny_plan: Plan) -> None:
    text = plan_text(tiny_plan)
    assert "start: '09:00'" in text
    assert "end: '15:30'" in text
    assert "date: '2028-06-29'" in text
    assert "start: 09:00" not in text
    # any YAML 1.1 reader (PyYAML's safe_load) sees text, not a number of minutes
    data = yaml.safe_load(text)
    session = data["reviews"][0]["sessions"][0]
    assert session == {"name": "Voorbereiding", "date": "2028-06-22", "start": "15:30", "end": "17:00"}


@pytest.mark.parametrize(
    "ident", ["no", "yes", "on", "off", "010", "1", "15:00", "1e3", "null", "~", "True", "2028-01-01"]
)
def test_tricky_ids_survive_any_yaml_reader(ident: str, tmp_path: Path) -> None:
    plan = Plan(
        format="opr-plan/1",
        reviews=[
            PlanReview(
                id=ident,
                subject=ident,
                date=dt.date(2028, 3, 7),
                members=[Member(participant=ident, role=ident)],
            )
        ],
    )
    text = plan_text(plan)
    assert yaml.safe_load(text)["reviews"][0]["id"] == ident
    write_plan(plan, tmp_path / "p.yaml")
    assert read_plan(tmp_path / "p.yaml")[0] == plan


def test_field_order_and_optional_fields(tiny_plan: Plan) -> None:
    data = yaml.safe_load(plan_text(tiny_plan))
    assert list(data) == ["format", "scenario", "solver", "reviews", "metrics", "objective"]
    assert list(data["reviews"][0]) == ["id", "subject", "date", "sessions", "members"]
    manual = Plan(format="opr-plan/1", reviews=[PlanReview(id="r", subject="s", date=dt.date(2028, 3, 7))])
    assert list(yaml.safe_load(plan_text(manual))) == ["format", "scenario", "reviews"]


def test_atomic_write_leaves_no_temp_files(tiny_plan: Plan, tmp_path: Path) -> None:
    target = tmp_path / "out" / "p.plan.yaml"  # the folder is made
    write_plan(tiny_plan, target)
    write_plan(tiny_plan, target)  # replaces
    assert sorted(p.name for p in target.parent.iterdir()) == ["p.plan.yaml"]


def test_failed_write_keeps_the_old_file(
    tiny_plan: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "p.plan.yaml"
    target.write_text("old contents\n", encoding="utf-8")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OutputError, match=r"p\.plan\.yaml: cannot write"):
        write_plan(tiny_plan, target)
    assert target.read_text(encoding="utf-8") == "old contents\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.plan.yaml"]


def test_write_atomic_bytes_and_text(tmp_path: Path) -> None:
    write_atomic(tmp_path / "a.bin", b"\x00\x01")
    write_atomic(tmp_path / "b.txt", "Zoë\n")
    assert (tmp_path / "a.bin").read_bytes() == b"\x00\x01"
    assert (tmp_path / "b.txt").read_bytes() == "Zoë\n".encode()


def test_manual_plan_without_sessions_or_metrics(tiny: Scenario, tmp_path: Path) -> None:
    path = tmp_path / "manual.plan.yaml"
    path.write_text(
        "format: opr-plan/1\nreviews:\n"
        "  - {id: opr-pa, subject: pa, date: 2028-06-29, members: [{participant: b2, role: school_educator}]}\n",
        encoding="utf-8",
    )
    plan, _ = read_plan(path)
    assert plan.solver is None and plan.metrics is None and plan.objective is None
    assert plan.reviews[0].sessions is None
    assert plan.reviews[0].members[0].functions == []


def test_unknown_plan_keys_are_warnings(tmp_path: Path) -> None:
    text = TINY_PLAN.read_text(encoding="utf-8").rstrip("\n") + "\nnotes: from a newer tool\n"
    path = tmp_path / "newer.plan.yaml"
    path.write_text(text, encoding="utf-8")
    plan, warnings = read_plan(path)
    assert plan.objective == VALID_OBJECTIVE
    assert len(warnings) == 1 and "unknown key 'notes'" in warnings[0]
    result = run_cli("check", DATA / "tiny.yaml", path)
    assert result.exit_code == 0
    assert "unknown key 'notes'" in result.stderr


@pytest.mark.parametrize(
    ("text", "fragment", "line"),
    [
        ("", "the plan file is empty", 1),
        ("- a\n- b\n", "not a mapping", 1),
        ("format: opr-plan/2\n", "'opr-plan/2' is not allowed", 1),
        (
            "format: opr-plan/1\nreviews:\n  - {id: r, subject: s, date: 2028-02-30}\n",
            "'2028-02-30' is not a date",
            3,
        ),
        ("format: opr-plan/1\nreviews:\n  - {id: r, subject: s}\n", "is required", 3),
        ("format: opr-plan/1\nreviews: [\n", "YAML syntax error", 3),
    ],
)
def test_bad_plan_files(text: str, fragment: str, line: int, tmp_path: Path) -> None:
    path = tmp_path / "bad.plan.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as info:
        read_plan(path)
    problem = next(p for p in info.value.problems if fragment in str(p))
    assert problem.line == line
    result = run_cli("check", DATA / "tiny.yaml", path)
    assert result.exit_code == 2
    assert f"{path}:{line}:" in result.stderr and fragment in result.stderr
    assert "Traceback" not in result.output


def test_bad_json_plan(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"format": "opr-plan/1",\n "reviews": [}\n', encoding="utf-8")
    result = run_cli("check", DATA / "tiny.yaml", path)
    assert result.exit_code == 2
    assert f"{path}:2: JSON syntax error" in result.stderr


def test_make_plan_fills_sessions_roles_and_figures(tiny: Scenario, tiny_plan: Plan) -> None:
    assignment = {
        r.id: (r.date, [(m.participant, list(m.functions)) for m in r.members]) for r in tiny_plan.reviews
    }
    made, _ = scored(
        tiny,
        make_plan(
            tiny,
            assignment,
            SolverInfo(
                status="optimal", objective=VALID_OBJECTIVE, bound=VALID_OBJECTIVE, seconds=0.05, seed=0
            ),
        ),
    )
    assert [(r.id, r.date, r.members) for r in made.reviews] == [
        (r.id, r.date, r.members) for r in tiny_plan.reviews
    ]
    visit = made.reviews[0].sessions[1]
    assert (visit.name, visit.date, visit.start, visit.end) == (
        "Bezoek",
        dt.date(2028, 6, 29),
        "09:00",
        "15:30",
    )
    assert visit.location == "Pabo A"  # the review's location, as the session has none of its own
    assert made.reviews[0].sessions[0].location == "online"
    assert made.metrics == tiny_plan.metrics and made.objective == VALID_OBJECTIVE
    assert made.scenario.sha256 == tiny.sha256 == tiny_plan.scenario.sha256


def test_normalised_orders_reviews_and_members(tiny: Scenario, tiny_plan: Plan) -> None:
    shuffled = tiny_plan.model_copy(
        update={
            "reviews": [r.model_copy(update={"members": r.members[::-1]}) for r in tiny_plan.reviews[::-1]]
        }
    )
    assert normalised(shuffled, tiny) == tiny_plan
    assert evaluate(tiny, shuffled).metrics == evaluate(tiny, tiny_plan).metrics


# -- property: any plan survives a write and a read ------------------------------------

_words = st.text(alphabet=string.ascii_letters + string.digits + ":-._ ~", min_size=1, max_size=12).filter(
    lambda s: s == s.strip()
)
_times = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59))
_dates = st.dates(dt.date(2027, 1, 1), dt.date(2029, 12, 31))
_sessions = st.builds(
    PlanSession, name=_words, date=_dates, start=_times, end=_times, location=st.none() | _words
)
_members = st.builds(
    Member,
    participant=_words,
    role=_words,
    functions=st.lists(_words, max_size=2),
    confirmed=st.booleans(),
)
_reviews = st.builds(
    PlanReview,
    id=_words,
    subject=_words,
    date=_dates,
    sessions=st.none() | st.lists(_sessions, max_size=2),
    members=st.lists(_members, max_size=3),
    confirmed=st.booleans(),
    backups=st.lists(st.builds(Backup, participant=_words, role=_words), max_size=1),
)
_plans = st.builds(
    Plan,
    format=st.just("opr-plan/1"),
    reviews=st.lists(_reviews, max_size=3),
    metrics=st.none() | st.dictionaries(st.sampled_from(["diversity", "max_load"]), st.integers(0, 10**6)),
    objective=st.none() | st.integers(-(10**6), 10**6),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=_plans, as_json=st.booleans())
def test_any_plan_round_trips(plan: Plan, as_json: bool, tmp_path: Path) -> None:
    path = tmp_path / ("p.json" if as_json else "p.plan.yaml")
    write_plan(plan, path)
    assert read_plan(path)[0] == plan
