"""Hand edits of a plan: swap, move, replace, add or remove a member, change a date, hand
over a function. Each edit returns a new Plan; the evaluator judges it, nothing else.

The plan being edited (the draft) travels with the page as JSON, so two tabs never
share a draft and a server restart loses nothing that was not saved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ..calendar import WorkCalendar
from ..errors import InputFileError
from ..evaluate import Evaluation, Violation, evaluate
from ..io.jsonio import load_json
from ..plan import Member, Plan, PlanReview, plan_to_data, sessions_for
from ..scenario import Scenario
from ..scenario.spreadsheet import spreadsheet_date


class EditRefused(ValueError):
    """An edit that cannot be made (unknown person, a date that is no date, ...)."""


# Drafts this server wrote into a page, by the digest of their text: the next edit sends
# the same text back, and is spared reading and validating it again (a national plan
# takes ~45 ms). Plans are never changed in place (edits make copies), so sharing is safe.
_drafts: OrderedDict[str, Plan] = OrderedDict()
_lock = threading.Lock()
DRAFTS_KEPT = 32


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def draft_text(plan: Plan) -> str:
    text = json.dumps(plan_to_data(plan), ensure_ascii=False, separators=(",", ":"), default=str)
    with _lock:
        _drafts[_digest(text)] = plan
        while len(_drafts) > DRAFTS_KEPT:
            _drafts.popitem(last=False)
    return text


def read_draft(text: str) -> Plan:
    with _lock:
        known = _drafts.get(_digest(text))
    if known is not None:
        return known
    try:  # read like any JSON input: no duplicate keys, no half characters, no RecursionError
        return Plan.model_validate(load_json(text, "the plan on the page", lines=False)[0])
    except (InputFileError, ValidationError) as exc:
        raise EditRefused("the plan on the page is damaged; reload the page") from exc


def _replace_review(plan: Plan, index: int, review: PlanReview) -> Plan:
    reviews = list(plan.reviews)
    reviews[index] = review
    return plan.model_copy(update={"reviews": reviews})


def _review(plan: Plan, index: int) -> PlanReview:
    if not 0 <= index < len(plan.reviews):
        raise EditRefused("no such review in this plan")
    return plan.reviews[index]


def position(plan: Plan, op: str) -> tuple[int, int]:
    """(review, member) named by an operation such as "suggest 2 3"; refused if there is none."""
    parts = op.split()
    if len(parts) != 3 or not all(x.isdigit() for x in parts[1:]):
        raise EditRefused("unknown edit")
    ri, mi = int(parts[1]), int(parts[2])
    _member(_review(plan, ri), mi)
    return ri, mi


def _review_index(plan: Plan, text: str) -> int:
    """The review chosen to move to: its id (as the page offers them) or its position."""
    for i, r in enumerate(plan.reviews):
        if r.id == text:
            return i
    if text.isdigit():
        return int(text)
    raise EditRefused("choose the review to move to")


def _member(review: PlanReview, index: int) -> Member:
    if not 0 <= index < len(review.members):
        raise EditRefused("no such member in this review")
    return review.members[index]


def _person(scenario: Scenario, text: str) -> str:
    """A participant id from what was typed: the id, or a name when it is unique."""
    text = text.strip()
    if " — " in text:  # the datalist shows "id — name"
        text = text.split(" — ", 1)[0].strip()
    if text in scenario.participant:
        return text
    by_name = [p.id for p in scenario.participants if p.name.casefold() == text.casefold()]
    if len(by_name) == 1:
        return by_name[0]
    raise EditRefused(f"{text!r} is not a participant of this scenario")


def typed_date(text: str) -> dt.date | None:
    """A date as a coordinator types it: 15-01-2028, 15-1-2028 or 2028-01-15 (as in spreadsheets)."""
    return spreadsheet_date(text.strip())


def _sorted(members: list[Member]) -> list[Member]:
    return sorted(members, key=lambda m: m.participant)


def replace(scenario: Scenario, plan: Plan, ri: int, mi: int, by: str) -> Plan:
    """Member `mi` of review `ri` out, `by` in, with the same functions (as in `suggest`)."""
    review = _review(plan, ri)
    old = _member(review, mi)
    pid = _person(scenario, by)
    if pid in review.member_ids:
        raise EditRefused(f"{pid} is already in this group")
    new = Member(participant=pid, role=scenario.participant[pid].role, functions=list(old.functions))
    members = [m for i, m in enumerate(review.members) if i != mi] + [new]
    return _replace_review(plan, ri, review.model_copy(update={"members": _sorted(members)}))


def move(scenario: Scenario, plan: Plan, ri: int, mi: int, to: int) -> Plan:
    """Member `mi` of review `ri` moves to review `to` (keeping no function)."""
    review, target = _review(plan, ri), _review(plan, to)
    member = _member(review, mi)
    if member.participant in target.member_ids:
        raise EditRefused(f"{member.participant} is already in that group")
    plan = _replace_review(
        plan, ri, review.model_copy(update={"members": [m for i, m in enumerate(review.members) if i != mi]})
    )
    moved = Member(participant=member.participant, role=member.role)
    return _replace_review(plan, to, target.model_copy(update={"members": _sorted([*target.members, moved])}))


def swap(scenario: Scenario, plan: Plan, ri: int, mi: int, other: str) -> Plan:
    """Exchange member `mi` of review `ri` with `other` ("review index:participant"); each
    takes over the other's functions in the group they join."""
    where, _, pid = other.partition(":")
    if not where.isdigit():
        raise EditRefused("choose a member of another review to swap with")
    rj = int(where)
    a_review, b_review = _review(plan, ri), _review(plan, rj)
    if rj == ri:
        raise EditRefused("choose a member of another review to swap with")
    a = _member(a_review, mi)
    b = next((m for m in b_review.members if m.participant == pid), None)
    if b is None:
        raise EditRefused(f"{pid} is not in that review")
    if b.participant in a_review.member_ids or a.participant in b_review.member_ids:
        raise EditRefused("one of the two is already in the other group")
    a_new = Member(participant=b.participant, role=b.role, functions=list(a.functions))
    b_new = Member(participant=a.participant, role=a.role, functions=list(b.functions))
    plan = _replace_review(
        plan,
        ri,
        a_review.model_copy(
            update={"members": _sorted([*(m for m in a_review.members if m is not a), a_new])}
        ),
    )
    b_review = plan.reviews[rj]
    return _replace_review(
        plan,
        rj,
        b_review.model_copy(
            update={
                "members": _sorted([*(m for m in b_review.members if m.participant != b.participant), b_new])
            }
        ),
    )


def add(scenario: Scenario, plan: Plan, ri: int, who: str) -> Plan:
    review = _review(plan, ri)
    pid = _person(scenario, who)
    if pid in review.member_ids:
        raise EditRefused(f"{pid} is already in this group")
    new = Member(participant=pid, role=scenario.participant[pid].role)
    return _replace_review(plan, ri, review.model_copy(update={"members": _sorted([*review.members, new])}))


def remove(scenario: Scenario, plan: Plan, ri: int, mi: int) -> Plan:
    review = _review(plan, ri)
    _member(review, mi)
    members = [m for i, m in enumerate(review.members) if i != mi]
    return _replace_review(plan, ri, review.model_copy(update={"members": members}))


def set_date(scenario: Scenario, plan: Plan, ri: int, text: str) -> Plan:
    review = _review(plan, ri)
    day = typed_date(text)
    if day is None:
        raise EditRefused(f"{text!r} is not a date (dd-mm-jjjj or YYYY-MM-DD)")
    sessions = sessions_for(scenario, review.id, day) if review.id in scenario.review else None
    return _replace_review(plan, ri, review.model_copy(update={"date": day, "sessions": sessions}))


def hand_function(scenario: Scenario, plan: Plan, ri: int, mi: int, function: str) -> Plan:
    """Member `mi` holds `function`; whoever held it in this group gives it up."""
    review = _review(plan, ri)
    _member(review, mi)
    members = []
    for i, m in enumerate(review.members):
        functions = [f for f in m.functions if f != function]
        if i == mi:
            functions = [function]
        members.append(m.model_copy(update={"functions": functions}))
    return _replace_review(plan, ri, review.model_copy(update={"members": members}))


def apply(scenario: Scenario, plan: Plan, op: str, form: Any) -> Plan:
    """Carry out the edit the pressed button names ("replace 2 3", "date 1", ...)."""
    name, *numbers = op.split()
    if not all(n.isdigit() for n in numbers[:2]):
        raise EditRefused("unknown edit")
    at = [int(n) for n in numbers[:2]]

    def field(prefix: str) -> str:
        return str(form.get(f"{prefix}-{'-'.join(map(str, at))}", "")).strip()

    if name == "replace" and len(at) == 2:
        return replace(scenario, plan, at[0], at[1], field("by"))
    if name == "use" and len(at) == 2 and len(numbers) == 3:
        return replace(scenario, plan, at[0], at[1], numbers[2])
    if name == "move" and len(at) == 2:
        return move(scenario, plan, at[0], at[1], _review_index(plan, field("to")))
    if name == "swap" and len(at) == 2:
        return swap(scenario, plan, at[0], at[1], field("with"))
    if name == "remove" and len(at) == 2:
        return remove(scenario, plan, at[0], at[1])
    if name == "function" and len(at) == 2 and len(numbers) == 3:
        return hand_function(scenario, plan, at[0], at[1], numbers[2])
    if name == "add" and len(at) == 1:
        return add(scenario, plan, at[0], field("add"))
    if name == "date" and len(at) == 1:
        return set_date(scenario, plan, at[0], field("date"))
    raise EditRefused("unknown edit")


@dataclass(frozen=True)
class Verdict:
    """The evaluator's verdict on a draft, arranged for the page."""

    evaluation: Evaluation
    by_review: dict[str, list[Violation]]  # violations that name no member, per review
    by_member: dict[tuple[str, str], list[Violation]]  # (review, participant) -> violations
    general: list[Violation]  # violations of no review (loads, weeks, partnerships)


def verdict(scenario: Scenario, plan: Plan, calendar: WorkCalendar | None = None) -> Verdict:
    """The evaluator's verdict on `plan` (`calendar`: the scenario's working days, if at hand)."""
    evaluation = evaluate(scenario, plan, calendar)
    by_review: dict[str, list[Violation]] = {}
    by_member: dict[tuple[str, str], list[Violation]] = {}
    general: list[Violation] = []
    member_reviews: dict[str, list[str]] = {}
    for r in plan.reviews:
        for m in r.members:
            member_reviews.setdefault(m.participant, []).append(r.id)
    for v in evaluation.violations:
        if v.review is not None and v.participants:
            for pid in v.participants:
                by_member.setdefault((v.review, pid), []).append(v)
        elif v.review is not None:
            by_review.setdefault(v.review, []).append(v)
        else:
            general.append(v)
            for pid in v.participants:
                for rid in member_reviews.get(pid, []):
                    by_member.setdefault((rid, pid), []).append(v)
    return Verdict(evaluation, by_review, by_member, general)


def as_manual(scenario: Scenario, plan: Plan) -> Plan:
    """The draft as a plan file written by hand: status manual, sessions, metrics and
    objective recomputed by the evaluator."""
    from ..plan import ScenarioRef, SolverInfo

    reviews = [
        r.model_copy(update={"sessions": sessions_for(scenario, r.id, r.date)})
        if r.id in scenario.review
        else r
        for r in plan.reviews
    ]
    plan = plan.model_copy(
        update={
            "reviews": reviews,
            "solver": SolverInfo(status="manual"),
            "scenario": ScenarioRef(
                name=scenario.name, sha256=scenario.sha256, data_sha256=scenario.data_sha256
            ),
        }
    )
    result = evaluate(scenario, plan)
    return plan.model_copy(update={"metrics": dict(result.metrics), "objective": result.objective})
