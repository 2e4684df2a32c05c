"""Disruption between an old and a new plan (SPEC 5): what moved, who is in, who is out.

`moved_reviews` counts the reviews of both plans whose date differs; `changed_memberships`
counts the (review, participant) memberships of the old plan that the new plan lacks, over
the reviews both plans hold. A review that is new (no old date) is never counted as moved;
a review that was removed is listed, but its memberships are not counted as changed: the
spec compares "plans of the same reviews", and nothing could have kept them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from ..plan import Plan
from ..scenario.models import METRICS

METRIC_ORDER = (*METRICS, "max_load")


@dataclass(frozen=True)
class ReviewChange:
    """How one review differs between the old and the new plan."""

    review: str
    old_date: dt.date | None  # None: the review is new
    new_date: dt.date | None  # None: the review was removed
    joined: tuple[str, ...]
    left: tuple[str, ...]

    @property
    def moved(self) -> bool:
        return self.old_date is not None and self.new_date is not None and self.old_date != self.new_date

    @property
    def added(self) -> bool:
        return self.old_date is None

    @property
    def removed(self) -> bool:
        return self.new_date is None

    @property
    def changed(self) -> bool:
        return self.moved or self.added or self.removed or bool(self.joined or self.left)


@dataclass(frozen=True)
class ParticipantChange:
    """How one participant's reviews differ: joined, left, and dates moved of the ones kept."""

    participant: str
    joined: tuple[str, ...]
    left: tuple[str, ...]
    moved: tuple[tuple[str, dt.date, dt.date], ...]  # (review, old date, new date)


@dataclass(frozen=True)
class Disruption:
    """The difference between two plans, in the terms of SPEC 5."""

    moved_reviews: int
    changed_memberships: int
    reviews: tuple[ReviewChange, ...]  # every review that changed, new-plan order, removed last
    participants: tuple[ParticipantChange, ...]  # every participant whose reviews changed, by id

    @property
    def added(self) -> tuple[str, ...]:
        return tuple(c.review for c in self.reviews if c.added)

    @property
    def removed(self) -> tuple[str, ...]:
        return tuple(c.review for c in self.reviews if c.removed)


def _groups(plan: Plan) -> dict[str, tuple[dt.date, set[str]]]:
    return {r.id: (r.date, {m.participant for m in r.members}) for r in plan.reviews}


def disruption(old: Plan, new: Plan) -> Disruption:
    """Compare two plans review by review and participant by participant."""
    before, after = _groups(old), _groups(new)
    order = [r.id for r in new.reviews] + sorted(set(before) - set(after))
    reviews: list[ReviewChange] = []
    moved = changed = 0
    for rid in dict.fromkeys(order):
        old_date, old_members = before.get(rid, (None, set()))
        new_date, new_members = after.get(rid, (None, set()))
        change = ReviewChange(
            review=rid,
            old_date=old_date,
            new_date=new_date,
            joined=tuple(sorted(new_members - old_members)),
            left=tuple(sorted(old_members - new_members)),
        )
        if rid in before and rid in after:
            moved += change.moved
            changed += len(change.left)
        if change.changed:
            reviews.append(change)

    joined: dict[str, list[str]] = defaultdict(list)
    left: dict[str, list[str]] = defaultdict(list)
    shifted: dict[str, list[tuple[str, dt.date, dt.date]]] = defaultdict(list)
    for c in reviews:
        for p in c.joined:
            joined[p].append(c.review)
        for p in c.left:
            left[p].append(c.review)
        if c.moved and c.old_date is not None and c.new_date is not None:
            stayed = before[c.review][1] & after[c.review][1]
            for p in sorted(stayed):
                shifted[p].append((c.review, c.old_date, c.new_date))
    people = sorted(set(joined) | set(left) | set(shifted))
    participants = tuple(
        ParticipantChange(p, tuple(joined[p]), tuple(left[p]), tuple(shifted[p])) for p in people
    )
    return Disruption(moved, changed, tuple(reviews), participants)


def metric_deltas(before: dict[str, int], after: dict[str, int]) -> list[tuple[str, int, int, int]]:
    """(metric, before, after, after - before) for every metric of SPEC 4, in spec order."""
    return [(m, before.get(m, 0), after.get(m, 0), after.get(m, 0) - before.get(m, 0)) for m in METRIC_ORDER]


__all__ = ["Disruption", "ParticipantChange", "ReviewChange", "disruption", "metric_deltas"]
