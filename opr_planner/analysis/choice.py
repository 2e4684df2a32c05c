"""What sets good plans apart, for a board that must choose between them.

Plans with the same objective are equally good by the scenario's weights (a tie); what a
board can still weigh is what differs in practice: which partnerships meet, who takes
part, which dates move and which groups change. `apart` names those differences between
a baseline plan and another; `ties` groups plans with the same objective.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from ..evaluate import evaluate
from ..plan import Plan
from ..scenario.models import METRICS, Scenario
from .disruption import disruption
from .network import meetings

Pair = tuple[str, str]


@dataclass(frozen=True)
class Apart:
    """How one plan differs from a baseline plan."""

    objective: int
    delta: int  # objective minus the baseline's
    metrics: dict[str, int]  # metric -> difference (only those that differ)
    meet_only_here: tuple[Pair, ...]  # partnership pairs that meet in this plan, not in the baseline
    meet_only_there: tuple[Pair, ...]  # ... and the other way round
    joins: tuple[str, ...]  # participants who take part in this plan, not in the baseline
    leaves: tuple[str, ...]
    moved: tuple[tuple[str, dt.date, dt.date], ...]  # (review, baseline date, this date)
    groups: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]  # (review, in, out) per changed group
    seats: int  # memberships in this plan
    people: int  # distinct participants in this plan


def partnership_pairs(scenario: Scenario, plan: Plan) -> frozenset[Pair]:
    """Unordered pairs of partnerships that meet: in one group, or one visiting the other."""
    found = meetings(scenario, plan)
    return frozenset(tuple(sorted(pair)) for pair in (*found.visits, *found.co_members))  # type: ignore[misc]


def people_and_seats(plan: Plan) -> tuple[int, int]:
    """Distinct participants taking part, and memberships (seats) over all reviews."""
    seats = [(r.id, m.participant) for r in plan.reviews for m in r.members]
    return len({p for _, p in seats}), len(set(seats))


def apart(scenario: Scenario, base: Plan, other: Plan) -> Apart:
    """The differences of `other` from `base` (see the module doc)."""
    a, b = evaluate(scenario, base), evaluate(scenario, other)
    metrics = {m: b.metrics[m] - a.metrics[m] for m in (*METRICS, "max_load") if b.metrics[m] != a.metrics[m]}
    pairs_a, pairs_b = partnership_pairs(scenario, base), partnership_pairs(scenario, other)
    in_a = {m.participant for r in base.reviews for m in r.members}
    in_b = {m.participant for r in other.reviews for m in r.members}
    kept = [c for c in disruption(base, other).reviews if not c.added and not c.removed]
    moved = [(c.review, c.old_date, c.new_date) for c in kept if c.old_date and c.new_date and c.moved]
    groups = [(c.review, c.joined, c.left) for c in kept if c.joined or c.left]
    people, seats = people_and_seats(other)
    return Apart(
        objective=b.objective,
        delta=b.objective - a.objective,
        metrics=metrics,
        meet_only_here=tuple(sorted(pairs_b - pairs_a)),
        meet_only_there=tuple(sorted(pairs_a - pairs_b)),
        joins=tuple(sorted(in_b - in_a)),
        leaves=tuple(sorted(in_a - in_b)),
        moved=tuple(moved),
        groups=tuple(groups),
        seats=seats,
        people=people,
    )


def ties(labels: Sequence[str], objectives: Sequence[int | None]) -> list[list[str]]:
    """Groups of two or more labels whose objectives are equal, best objective first."""
    by: dict[int, list[str]] = {}
    for label, objective in zip(labels, objectives):
        if objective is not None:
            by.setdefault(objective, []).append(label)
    return [group for _, group in sorted(by.items(), key=lambda kv: -kv[0]) if len(group) > 1]
