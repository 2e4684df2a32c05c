"""The plan as the exports see it: reviews with their concrete sessions and known members.

Every exporter (calendar, spreadsheet, report) reads the plan through `review_views`,
so they agree on which sessions a review has, where they are and who holds which
function. `check_exportable` decides whether a plan may be exported at all: a plan
that names reviews or people the scenario does not know cannot be turned into
invitations, and one made for another version of the scenario needs `--force`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass

from ..errors import ExportRefused
from ..evaluate import Evaluation, evaluate
from ..plan import Plan, PlanReview, made_for, sessions_for
from ..scenario.models import Participant, Partnership, Review, Scenario
from .i18n import Language, word


@dataclass(frozen=True)
class SessionView:
    """One meeting of a review on a concrete date."""

    index: int  # position within the review, from 0
    key: str  # stable within the review: the session name and its occurrence number
    name: str
    date: dt.date
    start: str
    end: str
    location: str | None
    is_visit: bool  # the session on the review date (the peer-review day itself)
    description: str | None = None  # what to do or prepare (the scenario's session description)


@dataclass(frozen=True)
class MemberView:
    """A known participant in a group, with the role the scenario gives them."""

    participant: Participant
    functions: tuple[str, ...]
    confirmed: bool

    @property
    def id(self) -> str:
        return self.participant.id

    @property
    def role(self) -> str:
        return self.participant.role


@dataclass(frozen=True)
class ReviewView:
    """A planned review resolved against the scenario."""

    review: Review
    subject: Partnership | None
    date: dt.date
    sessions: tuple[SessionView, ...]
    members: tuple[MemberView, ...]
    confirmed: bool

    @property
    def id(self) -> str:
        return self.review.id

    @property
    def chairs(self) -> tuple[MemberView, ...]:
        return tuple(m for m in self.members if "chair" in m.functions)


def session_uid(review_id: str, session_key: str) -> str:
    """A calendar UID that depends only on what the event is: the review and the session.

    The scenario's name and file, the order of reviews and participants, dates and members
    are left out on purpose: a re-planned session keeps its UID through every edit, so a
    re-imported calendar updates the event instead of adding a second one.
    """
    digest = hashlib.sha256(f"opr-session\x1f{review_id}\x1f{session_key}".encode()).hexdigest()
    return f"{digest[:32]}@opr-planner"


def legacy_session_uid(scenario_name: str, review_id: str, session_key: str) -> str:
    """The UID calendars had before it left out the scenario's name (they included it). An
    update into a folder that holds such calendars keeps their UIDs."""
    digest = hashlib.sha256(f"{scenario_name}\x1f{review_id}\x1f{session_key}".encode()).hexdigest()
    return f"{digest[:32]}@opr-planner"


def _sessions(scenario: Scenario, review: Review, pr: PlanReview) -> tuple[SessionView, ...]:
    planned = pr.sessions if pr.sessions is not None else sessions_for(scenario, review.id, pr.date)
    defined = {s.name: s for s in scenario.sessions_of(review)}
    seen: Counter[str] = Counter()
    out: list[SessionView] = []
    visit_found = False
    for i, s in enumerate(planned):
        definition = defined.get(s.name)
        location = s.location or (scenario.location_of(review, definition) if definition else review.location)
        is_visit = not visit_found and s.date == pr.date
        visit_found = visit_found or is_visit
        out.append(
            SessionView(
                index=i,
                key=f"{s.name}#{seen[s.name]}",
                name=s.name,
                date=s.date,
                start=s.start,
                end=s.end,
                location=location,
                is_visit=is_visit,
                description=definition.description if definition else None,
            )
        )
        seen[s.name] += 1
    return tuple(out)


def review_views(scenario: Scenario, plan: Plan) -> list[ReviewView]:
    """The plan's reviews in scenario order, resolved; raise ExportRefused on unknown ids."""
    problems = _unknown(scenario, plan)
    if problems:
        raise ExportRefused("the plan cannot be exported:\n" + "\n".join(f"  - {p}" for p in problems))
    order = {r.id: i for i, r in enumerate(scenario.reviews)}
    views = []
    for pr in sorted(plan.reviews, key=lambda r: order[r.id]):
        review = scenario.review[pr.id]
        members: dict[str, MemberView] = {}
        for m in sorted(pr.members, key=lambda m: m.participant):
            if m.participant not in members:
                members[m.participant] = MemberView(
                    scenario.participant[m.participant], tuple(m.functions), m.confirmed
                )
        views.append(
            ReviewView(
                review=review,
                subject=scenario.partnership.get(review.subject),
                date=pr.date,
                sessions=_sessions(scenario, review, pr),
                members=tuple(members.values()),
                confirmed=pr.confirmed,
            )
        )
    return views


def _unknown_reviews(scenario: Scenario, plan: Plan) -> list[str]:
    """Reviews that cannot be turned into events: not in the scenario, or listed twice."""
    problems = []
    counts = Counter(pr.id for pr in plan.reviews)
    for rid in sorted(counts, key=[pr.id for pr in plan.reviews].index):
        if rid not in scenario.review:
            problems.append(f"review {rid} is not in the scenario")
        elif counts[rid] > 1:
            problems.append(f"review {rid} appears {counts[rid]} times in the plan")
    return problems


def _unknown_people(scenario: Scenario, plan: Plan) -> list[str]:
    """Members who are not participants of the scenario (nobody to invite)."""
    problems = []
    for pr in plan.reviews:
        unknown = sorted({m.participant for m in pr.members if m.participant not in scenario.participant})
        if unknown:
            problems.append(f"review {pr.id} names {', '.join(unknown)}, not participants of the scenario")
    return problems


def _unknown(scenario: Scenario, plan: Plan) -> list[str]:
    return _unknown_reviews(scenario, plan) + _unknown_people(scenario, plan)


def check_exportable(
    scenario: Scenario,
    plan: Plan,
    *,
    plan_label: str = "the plan",
    force: bool = False,
    evaluation: Evaluation | None = None,
) -> list[str]:
    """Refuse (ExportRefused) what must not be sent out; return warnings for the rest.

    Refused: a plan made for other data (another version of the scenario file or its
    participants file, by the plan's fingerprints; unless `force`), any
    H1 problem (a review missing, repeated, unknown or with another subject) and
    members who are not participants. Other broken rules only warn: a coordinator
    may need to send a draft that still has a known problem.
    """
    problems: list[str] = []
    origin = made_for(plan, scenario)
    if origin.same is False and not force:
        problems.append(
            f"{plan_label} was made for another version of {scenario.path or 'the scenario'} "
            f"({origin.what_changed}); check or repair it, or pass --force to export it anyway"
        )
    result = evaluation or evaluate(scenario, plan)
    problems.extend(v.message for v in result.violations if v.rule == "H1")
    problems.extend(_unknown_people(scenario, plan))
    if problems:
        raise ExportRefused(f"{plan_label} cannot be exported:\n" + "\n".join(f"  - {p}" for p in problems))
    others = [v for v in result.violations if v.rule != "H1"]
    if not others:
        return []
    rules = sorted({v.rule for v in others}, key=lambda r: int(r[1:]))
    return [
        f"{plan_label} breaks {len(others)} hard rule(s) ({', '.join(rules)}); exporting anyway. "
        "Run `opr-planner check` for the details."
    ]


def partnership_name(scenario: Scenario, partnership_id: str | None, lang: Language) -> str:
    """The partnership's name, or 'no partnership' in `lang`."""
    if not partnership_id:
        return word(lang, "no_partnership")
    p = scenario.partnership.get(partnership_id)
    return (p.name or p.id) if p else partnership_id


def region_name(scenario: Scenario, region_id: str) -> str:
    region = scenario.region.get(region_id)
    return (region.name or region.id) if region else region_id


def subject_name(scenario: Scenario, view: ReviewView) -> str:
    return (view.subject.name or view.subject.id) if view.subject else view.review.subject


def review_title(scenario: Scenario, view: ReviewView) -> str:
    """The review's `name`, or its subject's name when it has none (two rounds of one
    partnership need names to tell them apart)."""
    return scenario.review_title(view.review)
