"""The difference between two plans (SPEC 5): one diff for `compare`, `repair` and calendar updates.

Everything a participant can see of a plan is compared: which reviews exist, each
review's date and sessions (time, place), who is in its group, who holds which function
and what is confirmed. Per review and per participant the diff says what changed; the
disruption figures of SPEC 5 are counted from it:

- `moved_reviews`: reviews in both plans whose date differs;
- `changed_memberships`: (review, participant) memberships in one plan and not the
  other, in both directions (a stand-in replacing a leaver counts 2); a review added
  or removed counts all its members;
- `changed_functions`: per (review, function) the larger of the holders lost and the
  holders gained (a new chair replacing the old counts 1).

Metrics, the objective, solver figures and backups are left out: they are not part of
what anyone is invited to. A member's role follows the participant and is not compared.
`change_lines` words the diff for the command line (`compare` and `repair` print it);
`metric_deltas` lines the metrics up.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..plan import Plan, PlanReview, PlanSession, SessionDateError, sessions_for
from ..scenario.models import METRICS, Scenario

METRIC_ORDER = (*METRICS, "max_load")


@dataclass(frozen=True)
class FunctionChange:
    """Who holds one function in one review, before and after (only when that changed)."""

    function: str
    old: tuple[str, ...]  # holders in the old plan, by id
    new: tuple[str, ...]

    @property
    def lost(self) -> tuple[str, ...]:
        """Old holders who do not hold it now."""
        return tuple(p for p in self.old if p not in self.new)

    @property
    def gained(self) -> tuple[str, ...]:
        """New holders who did not hold it before."""
        return tuple(p for p in self.new if p not in self.old)

    @property
    def count(self) -> int:
        """This function's share of `changed_functions` (SPEC 5)."""
        return max(len(self.lost), len(self.gained))


@dataclass(frozen=True)
class SessionChange:
    """A session whose time or place changed other than by the review's date moving,
    or that was added to or dropped from the review."""

    key: str  # the session name, with `#n` for its n-th repetition (n > 0)
    old: PlanSession | None  # None: the session is new
    new: PlanSession | None  # None: the session was dropped

    @property
    def name(self) -> str:
        return (self.new or self.old).name  # type: ignore[union-attr]


@dataclass(frozen=True)
class ReviewChange:
    """How one review differs between the old and the new plan."""

    review: str
    old_date: dt.date | None  # None: the review is new
    new_date: dt.date | None  # None: the review was removed
    joined: tuple[str, ...] = ()
    left: tuple[str, ...] = ()
    functions: tuple[FunctionChange, ...] = ()
    sessions: tuple[SessionChange, ...] = ()
    confirmed: tuple[bool, bool] | None = None  # (old, new) when the review's own flag changed
    members_confirmed: tuple[str, ...] = ()  # members of both plans confirmed only in the new one
    members_unconfirmed: tuple[str, ...] = ()  # members of both plans confirmed only in the old one

    @property
    def moved(self) -> bool:
        return self.old_date is not None and self.new_date is not None and self.old_date != self.new_date

    @property
    def days(self) -> int | None:
        """How many days the review moved (negative: earlier), None unless it moved."""
        if self.old_date is None or self.new_date is None or not self.moved:
            return None
        return (self.new_date - self.old_date).days

    @property
    def added(self) -> bool:
        return self.old_date is None

    @property
    def removed(self) -> bool:
        return self.new_date is None

    @property
    def visible(self) -> bool:
        """Whether the members see a change (confirmation flags alone are the coordinator's)."""
        return bool(
            self.moved
            or self.added
            or self.removed
            or self.joined
            or self.left
            or self.functions
            or self.sessions
        )

    @property
    def changed(self) -> bool:
        return self.visible or bool(self.confirmed or self.members_confirmed or self.members_unconfirmed)


@dataclass(frozen=True)
class ParticipantChange:
    """How one participant's reviews differ: joined, left, moved, functions gained and lost."""

    participant: str
    joined: tuple[str, ...] = ()
    left: tuple[str, ...] = ()
    moved: tuple[tuple[str, dt.date, dt.date], ...] = ()  # (review, old date, new date) of reviews kept
    gained: tuple[tuple[str, str], ...] = ()  # (review, function) held now and not before
    lost: tuple[tuple[str, str], ...] = ()  # (review, function) held before and not now


@dataclass(frozen=True)
class Disruption:
    """The difference between two plans, in the terms of SPEC 5."""

    moved_reviews: int
    changed_memberships: int
    changed_functions: int
    reviews: tuple[ReviewChange, ...]  # every review that changed, in scenario (or new plan) order
    participants: tuple[ParticipantChange, ...] = field(default=())  # every participant affected, by id

    @property
    def added(self) -> tuple[str, ...]:
        return tuple(c.review for c in self.reviews if c.added)

    @property
    def removed(self) -> tuple[str, ...]:
        return tuple(c.review for c in self.reviews if c.removed)

    @property
    def empty(self) -> bool:
        return not self.reviews

    @property
    def review(self) -> dict[str, ReviewChange]:
        return {c.review: c for c in self.reviews}

    @property
    def figures(self) -> tuple[int, int, int]:
        """(moved_reviews, changed_memberships, changed_functions)."""
        return self.moved_reviews, self.changed_memberships, self.changed_functions


# -- computing the diff ------------------------------------------------------------------


def _holders(r: PlanReview | None) -> dict[str, tuple[str, ...]]:
    out: dict[str, set[str]] = defaultdict(set)
    for m in r.members if r is not None else ():
        for f in m.functions:
            out[f].add(m.participant)
    return {f: tuple(sorted(ps)) for f, ps in out.items()}


def _sessions(r: PlanReview, scenario: Scenario | None) -> dict[str, PlanSession] | None:
    """The review's sessions by key, as listed or as they follow from the date; None if unknown.

    A listed session without a location is where the scenario puts it (as in the calendars).
    """
    derived = None
    if scenario is not None and r.id in scenario.review:
        try:
            derived = _keyed(sessions_for(scenario, r.id, r.date))
        except SessionDateError:  # a date near year 1900 or 2999: compare what is listed
            derived = None
    if r.sessions is None:
        return derived
    out = _keyed(list(r.sessions))
    if derived is not None and scenario is not None:
        fallback = scenario.review[r.id].location
        for key, s in out.items():
            if s.location is None:
                where = derived[key].location if key in derived else fallback
                out[key] = s.model_copy(update={"location": where})
    return out


def _keyed(sessions: list[PlanSession]) -> dict[str, PlanSession]:
    seen: Counter[str] = Counter()
    out = {}
    for s in sessions:
        out[s.name if not seen[s.name] else f"{s.name}#{seen[s.name]}"] = s
        seen[s.name] += 1
    return out


def _session_changes(
    old: PlanReview, new: PlanReview, scenario: Scenario | None
) -> tuple[SessionChange, ...]:
    before, after = _sessions(old, scenario), _sessions(new, scenario)
    if before is None or after is None:
        return ()

    def shape(s: PlanSession, day: dt.date) -> tuple:
        return ((s.date - day).days, s.start, s.end, s.location)

    out = []
    for key in dict.fromkeys([*after, *before]):
        a, b = before.get(key), after.get(key)
        if a is None or b is None or shape(a, old.date) != shape(b, new.date):
            out.append(SessionChange(key, a, b))
    return tuple(out)


def _confirmed_members(r: PlanReview | None) -> set[str]:
    return {m.participant for m in r.members if m.confirmed} if r is not None else set()


def _review_change(
    rid: str, old: PlanReview | None, new: PlanReview | None, scenario: Scenario | None
) -> ReviewChange:
    old_members = set(old.member_ids) if old else set()
    new_members = set(new.member_ids) if new else set()
    before, after = _holders(old), _holders(new)
    functions = tuple(
        FunctionChange(f, before.get(f, ()), after.get(f, ()))
        for f in sorted(set(before) | set(after))
        if before.get(f, ()) != after.get(f, ())
    )
    both = old is not None and new is not None
    kept = old_members & new_members
    confirmed_before, confirmed_after = _confirmed_members(old), _confirmed_members(new)
    return ReviewChange(
        review=rid,
        old_date=old.date if old else None,
        new_date=new.date if new else None,
        joined=tuple(sorted(new_members - old_members)),
        left=tuple(sorted(old_members - new_members)),
        functions=functions,
        sessions=_session_changes(old, new, scenario) if old is not None and new is not None else (),
        confirmed=(old.confirmed, new.confirmed)
        if old is not None and new is not None and old.confirmed != new.confirmed
        else None,
        members_confirmed=tuple(sorted(kept & confirmed_after - confirmed_before)) if both else (),
        members_unconfirmed=tuple(sorted(kept & confirmed_before - confirmed_after)) if both else (),
    )


def _participants(reviews: Iterable[ReviewChange], old: Plan, new: Plan) -> tuple[ParticipantChange, ...]:
    joined: dict[str, list[str]] = defaultdict(list)
    left: dict[str, list[str]] = defaultdict(list)
    moved: dict[str, list[tuple[str, dt.date, dt.date]]] = defaultdict(list)
    gained: dict[str, list[tuple[str, str]]] = defaultdict(list)
    lost: dict[str, list[tuple[str, str]]] = defaultdict(list)
    before, after = old.review, new.review
    for c in reviews:
        for p in c.joined:
            joined[p].append(c.review)
        for p in c.left:
            left[p].append(c.review)
        if c.moved and c.old_date is not None and c.new_date is not None:
            for p in sorted(set(before[c.review].member_ids) & set(after[c.review].member_ids)):
                moved[p].append((c.review, c.old_date, c.new_date))
        for f in c.functions:
            for p in f.gained:
                gained[p].append((c.review, f.function))
            for p in f.lost:
                lost[p].append((c.review, f.function))
    people = sorted(set(joined) | set(left) | set(moved) | set(gained) | set(lost))
    return tuple(
        ParticipantChange(
            p, tuple(joined[p]), tuple(left[p]), tuple(moved[p]), tuple(gained[p]), tuple(lost[p])
        )
        for p in people
    )


def disruption(old: Plan, new: Plan, scenario: Scenario | None = None) -> Disruption:
    """Everything that differs from `old` to `new`, and the figures of SPEC 5.

    With `scenario`, reviews come in scenario order and sessions a plan leaves out are
    derived from the date; without it, in the new plan's order with removed reviews last.
    """
    before, after = old.review, new.review
    order = [r.id for r in scenario.reviews] if scenario is not None else []
    order += [r.id for r in new.reviews] + [r.id for r in old.reviews]
    reviews = []
    moved = memberships = functions = 0
    for rid in dict.fromkeys(order):
        if rid not in before and rid not in after:
            continue
        change = _review_change(rid, before.get(rid), after.get(rid), scenario)
        moved += change.moved
        memberships += len(change.joined) + len(change.left)
        functions += sum(f.count for f in change.functions)
        if change.changed:
            reviews.append(change)
    return Disruption(moved, memberships, functions, tuple(reviews), _participants(reviews, old, new))


def metric_deltas(before: dict[str, int], after: dict[str, int]) -> list[tuple[str, int, int, int]]:
    """(metric, before, after, after - before) for every metric of SPEC 4, in spec order."""
    return [(m, before.get(m, 0), after.get(m, 0), after.get(m, 0) - before.get(m, 0)) for m in METRIC_ORDER]


# -- in words (command line) -------------------------------------------------------------


def who_in(scenario: Scenario) -> Callable[[str], str]:
    """`p001 (Anna de Vries)`, or the id with a note when the scenario no longer has them."""

    def who(pid: str) -> str:
        p = scenario.participant.get(pid)
        return f"{pid} ({p.name})" if p else f"{pid} (not in the scenario)"

    return who


def _people(ids: Iterable[str], who: Callable[[str], str]) -> str:
    return ", ".join(who(p) for p in ids) or "nobody"


def _session_text(s: PlanSession) -> str:
    where = f" at {s.location}" if s.location else ""
    return f"{s.date} {s.start}-{s.end}{where}"


def review_lines(c: ReviewChange, who: Callable[[str], str]) -> list[str]:
    """One line per difference of one review (the review's own line first)."""
    if c.added:
        head = f"{c.review}: new review on {c.new_date}"
    elif c.removed:
        head = f"{c.review}: removed (was on {c.old_date})"
    elif c.moved:
        head = f"{c.review}: date {c.old_date} -> {c.new_date} ({c.days:+d} days)"
    else:
        head = f"{c.review}: date {c.new_date} (same)"
    lines = [head]
    if c.joined:
        lines.append(f"    in:  {_people(c.joined, who)}")
    if c.left:
        lines.append(f"    out: {_people(c.left, who)}")
    for f in c.functions:
        lines.append(f"    {f.function}: {_people(f.old, who)} -> {_people(f.new, who)}")
    for s in c.sessions:
        if s.old is None and s.new is not None:
            lines.append(f"    session {s.key}: new, {_session_text(s.new)}")
        elif s.new is None and s.old is not None:
            lines.append(f"    session {s.key}: dropped (was {_session_text(s.old)})")
        elif s.old is not None and s.new is not None:
            lines.append(f"    session {s.key}: {_session_text(s.old)} -> {_session_text(s.new)}")
    if c.confirmed is not None:
        lines.append("    review now confirmed" if c.confirmed[1] else "    review no longer confirmed")
    if c.members_confirmed:
        lines.append(f"    now confirmed: {_people(c.members_confirmed, who)}")
    if c.members_unconfirmed:
        lines.append(f"    no longer confirmed: {_people(c.members_unconfirmed, who)}")
    return lines


def participant_line(p: ParticipantChange, who: Callable[[str], str]) -> str:
    """What changed for one participant, on one line."""
    parts = [f"into {r}" for r in p.joined]
    parts += [f"out of {r}" for r in p.left]
    parts += [f"{r} moved {a} -> {b}" for r, a, b in p.moved]
    parts += [f"now {f} of {r}" for r, f in p.gained]
    parts += [f"no longer {f} of {r}" for r, f in p.lost]
    return f"{who(p.participant)}: " + "; ".join(parts)


def summary_line(d: Disruption) -> str:
    """`2 review(s) moved, 4 membership(s) changed, 1 function(s) changed`."""
    return (
        f"{d.moved_reviews} review(s) moved, {d.changed_memberships} membership(s) changed, "
        f"{d.changed_functions} function(s) changed"
    )


def change_lines(d: Disruption, who: Callable[[str], str]) -> list[str]:
    """The whole diff in words: per review, then per participant (what `compare` and
    `repair` print, so both show the same differences the same way)."""
    if d.empty:
        return ["No differences: the same reviews, dates, groups, functions and confirmations."]
    lines = ["Per review:"]
    for c in d.reviews:
        lines += [f"  {line}" for line in review_lines(c, who)]
    if d.participants:
        lines.append("Per participant:")
        lines += [f"  {participant_line(p, who)}" for p in d.participants]
    return lines


__all__ = [
    "Disruption",
    "FunctionChange",
    "ParticipantChange",
    "ReviewChange",
    "SessionChange",
    "change_lines",
    "disruption",
    "metric_deltas",
    "participant_line",
    "review_lines",
    "summary_line",
    "who_in",
]
