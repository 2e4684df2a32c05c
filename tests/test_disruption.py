"""The one diff of two plans (analysis.disruption): what `compare`, `repair` and the calendar
updates all report. Checked against an oracle written here from the plain plan data, so
that every difference between two plan files is shown and counted as SPEC 5 defines it.

Issue #12, finding 1: a chair handed to someone else was reported by neither `compare`
nor `repair`; finding 2: the disruption measure counted only memberships the new plan
lacks, so additions and function changes cost nothing.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

from helpers import TINY, TINY_PLAN, read_yaml_data, run_cli, write_yaml_data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opr_planner.analysis.disruption import change_lines, disruption, who_in
from opr_planner.plan import Plan
from opr_planner.scenario import Scenario, load_scenario

SCENARIO = load_scenario(TINY)
BASE = read_yaml_data(TINY_PLAN)


def _plan(data: dict[str, Any]) -> Plan:
    return Plan.model_validate(data)


def _review(data: dict[str, Any], rid: str) -> dict[str, Any]:
    return next(r for r in data["reviews"] if r["id"] == rid)


# -- the oracle: differences straight from the plan data ----------------------------------


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def oracle(old: dict[str, Any], new: dict[str, Any]) -> tuple[set[tuple[str, ...]], tuple[int, int, int]]:
    """Every difference as (review, kind, detail...) and SPEC 5's three figures."""
    before = {r["id"]: r for r in old["reviews"]}
    after = {r["id"]: r for r in new["reviews"]}
    items: set[tuple[str, ...]] = set()
    moved = memberships = functions = 0
    for rid in set(before) | set(after):
        a, b = before.get(rid), after.get(rid)
        if a is None or b is None:
            items.add((rid, "added" if a is None else "removed"))
        elif _day(a["date"]) != _day(b["date"]):
            items.add((rid, "date", str(_day(a["date"])), str(_day(b["date"]))))
            moved += 1
        ma = {m["participant"]: m for m in (a or {}).get("members", [])}
        mb = {m["participant"]: m for m in (b or {}).get("members", [])}
        items |= {(rid, "in", p) for p in set(mb) - set(ma)}
        items |= {(rid, "out", p) for p in set(ma) - set(mb)}
        memberships += len(set(ma) ^ set(mb))
        fa = {(f, p) for p, m in ma.items() for f in m.get("functions", [])}
        fb = {(f, p) for p, m in mb.items() for f in m.get("functions", [])}
        for f in {f for f, _ in fa | fb}:
            lost = {p for g, p in fa - fb if g == f}
            gained = {p for g, p in fb - fa if g == f}
            functions += max(len(lost), len(gained))
            items |= {(rid, "function", f, p) for p in lost | gained}
        if a is not None and b is not None:
            if bool(a.get("confirmed")) != bool(b.get("confirmed")):
                items.add((rid, "confirmed"))
            for p in set(ma) & set(mb):
                if bool(ma[p].get("confirmed")) != bool(mb[p].get("confirmed")):
                    items.add((rid, "member confirmed", p))
            sa = {s["name"]: s for s in a.get("sessions", [])}
            sb = {s["name"]: s for s in b.get("sessions", [])}
            for name in set(sa) | set(sb):
                x, y = sa.get(name), sb.get(name)
                if x is None or y is None:
                    items.add((rid, "session", name))
                    continue
                shift = (_day(y["date"]) - _day(b["date"])) != (_day(x["date"]) - _day(a["date"]))
                if shift or (x["start"], x["end"], x.get("location")) != (
                    y["start"],
                    y["end"],
                    y.get("location"),
                ):
                    items.add((rid, "session", name))
    return items, (moved, memberships, functions)


def shown(items: set[tuple[str, ...]], lines: list[str], scenario: Scenario) -> list[tuple[str, ...]]:
    """The items the printed lines do not show (empty when every difference is there)."""
    who = who_in(scenario)
    blocks: dict[str, list[str]] = {}
    current = None
    for line in lines:
        text = line.strip()
        if line.startswith("  ") and not line.startswith("    ") and ": " in text and current != "people":
            current = text.split(":")[0]
            blocks.setdefault(current, []).append(text)
        elif text == "Per participant:":
            current = "people"
        elif current and current != "people":
            blocks[current].append(text)
    return [item for item in sorted(items) if not _is_shown(item, blocks.get(item[0], []), who)]


def _is_shown(item: tuple[str, ...], block: list[str], who: Callable[[str], str]) -> bool:
    """Whether the lines of one review's block show one difference."""
    _, kind, *rest = item
    if kind == "added":
        return any("new review" in t for t in block)
    if kind == "removed":
        return any("removed (was on" in t for t in block)
    if kind == "date":
        return any(f"date {rest[0]} -> {rest[1]}" in t for t in block)
    if kind in ("in", "out"):
        return any(t.startswith(f"{kind}:") and who(rest[0]) in t for t in block)
    if kind == "function":
        return any(t.startswith(f"{rest[0]}:") and who(rest[1]) in t for t in block)
    if kind == "confirmed":
        return any("review now confirmed" in t or "review no longer" in t for t in block)
    if kind == "member confirmed":
        return any("confirmed:" in t and who(rest[0]) in t for t in block)
    return any(t.startswith(f"session {rest[0]}:") for t in block)


def per_participant(old: dict[str, Any], new: dict[str, Any]) -> dict[str, set[str]]:
    """What each participant's line under `Per participant:` must say, from the plan data:
    into/out of a review, a review they stay in moved, a function gained or lost."""
    before = {r["id"]: r for r in old["reviews"]}
    after = {r["id"]: r for r in new["reviews"]}
    want: dict[str, set[str]] = {}
    for rid in set(before) | set(after):
        a, b = before.get(rid, {}), after.get(rid, {})
        ma = {m["participant"]: m for m in a.get("members", [])}
        mb = {m["participant"]: m for m in b.get("members", [])}
        for pid in set(mb) - set(ma):
            want.setdefault(pid, set()).add(f"into {rid}")
        for pid in set(ma) - set(mb):
            want.setdefault(pid, set()).add(f"out of {rid}")
        if a and b and _day(a["date"]) != _day(b["date"]):
            for pid in set(ma) & set(mb):
                want.setdefault(pid, set()).add(f"{rid} moved {_day(a['date'])} -> {_day(b['date'])}")
        for pid in set(ma) | set(mb):
            fa = set(ma.get(pid, {}).get("functions", []))
            fb = set(mb.get(pid, {}).get("functions", []))
            want.setdefault(pid, set()).update(f"now {f} of {rid}" for f in fb - fa)
            want.setdefault(pid, set()).update(f"no longer {f} of {rid}" for f in fa - fb)
    return {pid: parts for pid, parts in want.items() if parts}


def participant_parts(lines: list[str], scenario: Scenario) -> dict[str, set[str]]:
    """The parts of each line under `Per participant:`, by participant id."""
    who = who_in(scenario)
    by_text = {who(pid): pid for pid in scenario.participant}
    out: dict[str, set[str]] = {}
    if "Per participant:" not in lines:
        return out
    for line in lines[lines.index("Per participant:") + 1 :]:
        name, _, parts = line.strip().partition(": ")
        out[by_text.get(name, name)] = set(parts.split("; "))
    return out


# -- edits to a plan, for the property test -------------------------------------------------

PEOPLE = sorted(SCENARIO.participant)
EDITS = st.lists(
    st.tuples(
        st.sampled_from(["move", "join", "leave", "chair", "confirm", "confirm member", "session", "drop"]),
        st.sampled_from(["opr-pa", "opr-pb", "opr-pc"]),
        st.sampled_from(PEOPLE),
        st.integers(min_value=-30, max_value=30),
    ),
    max_size=6,
)


def edited(edits: list[tuple[str, str, str, int]]) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    for kind, rid, pid, days in edits:
        reviews = {r["id"]: r for r in data["reviews"]}
        if rid not in reviews:
            continue
        r = reviews[rid]
        members = r["members"]
        if kind == "move" and days:
            shift = dt.timedelta(days=days)
            r["date"] = str(_day(r["date"]) + shift)
            for s in r.get("sessions", []):
                s["date"] = str(_day(s["date"]) + shift)
        elif kind == "join" and pid not in {m["participant"] for m in members}:
            members.append({"participant": pid, "role": SCENARIO.participant[pid].role})
        elif kind == "leave":
            r["members"] = [m for m in members if m["participant"] != pid]
        elif kind == "chair" and members:
            for m in members:
                m.pop("functions", None)
            members[days % len(members)]["functions"] = ["chair"]
        elif kind == "confirm":
            r["confirmed"] = not r.get("confirmed", False)
        elif kind == "confirm member" and members:
            m = members[days % len(members)]
            m["confirmed"] = not m.get("confirmed", False)
        elif kind == "session" and r.get("sessions"):
            r["sessions"][days % len(r["sessions"])]["start"] = "08:00" if days % 2 else "10:15"
        elif kind == "drop":
            data["reviews"] = [x for x in data["reviews"] if x["id"] != rid]
    return data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(EDITS, EDITS)
def test_every_difference_between_two_plans_is_shown_and_counted(a: list, b: list) -> None:
    old, new = edited(a), edited(b)
    d = disruption(_plan(old), _plan(new), SCENARIO)
    items, figures = oracle(old, new)
    assert d.figures == figures
    lines = change_lines(d, who_in(SCENARIO))
    assert shown(items, lines, SCENARIO) == []
    assert d.empty == (not items), "no difference is reported that the plan files do not have"
    assert participant_parts(lines, SCENARIO) == per_participant(old, new), (
        "per participant: every join, leave, move and function, and nothing else"
    )


def test_a_chair_handed_over_is_a_changed_function() -> None:
    new = copy.deepcopy(BASE)
    pa = _review(new, "opr-pa")
    for m in pa["members"]:
        m["functions"] = ["chair"] if m["participant"] == "b2" else []
    d = disruption(_plan(BASE), _plan(new), SCENARIO)
    assert d.figures == (0, 0, 1)
    [change] = d.reviews
    [f] = change.functions
    assert (f.function, f.old, f.new, f.count) == ("chair", ("c3",), ("b2",), 1)
    people = {p.participant: p for p in d.participants}
    assert people["b2"].gained == (("opr-pa", "chair"),) and people["c3"].lost == (("opr-pa", "chair"),)
    lines = change_lines(d, who_in(SCENARIO))
    assert "    chair: c3 (Maud C) -> b2 (Gijs B)" in [line.strip("\n")[2:] for line in lines]


def test_a_stand_in_counts_two_and_an_addition_counts_one() -> None:
    new = copy.deepcopy(BASE)
    pa = _review(new, "opr-pa")
    pa["members"] = [m for m in pa["members"] if m["participant"] != "u3"]
    pa["members"].append({"participant": "a1", "role": "student"})
    assert disruption(_plan(BASE), _plan(new)).figures == (0, 2, 0)
    pb = _review(new, "opr-pb")
    pb["members"].append({"participant": "u3", "role": "student"})
    assert disruption(_plan(BASE), _plan(new)).figures == (0, 3, 0)


def test_moving_a_review_moves_its_sessions_without_listing_them() -> None:
    new = edited([("move", "opr-pb", "a1", 7)])
    d = disruption(_plan(BASE), _plan(new), SCENARIO)
    [change] = d.reviews
    assert change.moved and change.days == 7 and change.sessions == ()
    assert {p.participant for p in d.participants} == set(_plan(BASE).review["opr-pb"].member_ids)


def test_a_location_left_out_is_where_the_scenario_puts_it() -> None:
    # tiny.plan.yaml lists no locations; a solved plan writes them: not a difference.
    new = copy.deepcopy(BASE)
    for r in new["reviews"]:
        review = SCENARIO.review[r["id"]]
        for s in r["sessions"]:
            s["location"] = "online" if s["name"] == "Voorbereiding" else review.location
    assert disruption(_plan(BASE), _plan(new), SCENARIO).empty


def test_compare_shows_function_changes_on_the_command_line(tmp_path: Any) -> None:
    new = copy.deepcopy(BASE)
    for m in _review(new, "opr-pa")["members"]:
        m["functions"] = ["chair"] if m["participant"] == "b2" else []
    other = write_yaml_data(tmp_path / "other.plan.yaml", new)
    run = run_cli("compare", TINY, TINY_PLAN, other)
    assert run.exit_code == 0, run.output
    assert "0 review(s) moved, 0 membership(s) changed, 1 function(s) changed" in run.stdout
    assert "chair: c3 (Maud C) -> b2 (Gijs B)" in run.stdout
    assert "b2 (Gijs B): now chair of opr-pa" in run.stdout
    assert "c3 (Maud C): no longer chair of opr-pa" in run.stdout
