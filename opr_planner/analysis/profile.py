"""Interchangeable people: the analyses judge one of each kind, not everyone.

`explain` takes each member out of their group and judges the plan again; `resilience`
tries every outsider as a stand-in for every member. On a group of 2,000 members that
is millions of evaluations. But two people whom the rules cannot tell apart get the
same verdict: the evaluator looks at a participant's role, partnership, region,
organisation, functions, limits, conflicts and preferences, at whether they can attend,
how many reviews they are in, what they hold in the group, and at ids only through the
`avoid` lists. So people are grouped by exactly those; someone named in an `avoid` list
(or with one) is a kind of their own. The verdict of one member of a kind is the verdict
of all, and the evaluator stays the only judge.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator

from ..calendar import can_attend
from ..plan import Member, PlanReview
from ..scenario.models import Participant, Review, Scenario


def avoid_involved(scenario: Scenario) -> frozenset[str]:
    """Ids named in some `avoid` list or having one: the evaluator looks at these ids."""
    named = {a for p in scenario.participants for a in p.avoid}
    return frozenset(named | {p.id for p in scenario.participants if p.avoid})


def person_kind(p: Participant, involved: frozenset[str]) -> tuple[Hashable, ...]:
    """What the rules see of a participant outside any particular group."""
    return (
        p.id if p.id in involved else None,
        p.role,
        p.partnership,
        p.region,
        p.organisation,
        tuple(p.functions),
        p.max_reviews,
        tuple(p.conflicts),
        tuple(p.prefer_subjects),
    )


def entries_by_person(pr: PlanReview) -> dict[str, list[Member]]:
    """The group's plan entries of each participant (normally one; H4 when more)."""
    out: dict[str, list[Member]] = {}
    for m in pr.members:
        out.setdefault(m.participant, []).append(m)
    return out


def member_kind(
    scenario: Scenario,
    review: Review,
    pr: PlanReview,
    p: Participant,
    entries: list[Member],
    load: int,
    involved: frozenset[str],
) -> tuple[Hashable, ...]:
    """What the rules see of a member of the group `pr`: the person, what they hold in the
    group (`entries`: roles and functions as the plan lists them), whether they can attend
    on the group's date and how many reviews they are in."""
    return (
        person_kind(p, involved),
        tuple(sorted(m.role for m in entries)),
        tuple(sorted(tuple(m.functions) for m in entries)),
        can_attend(scenario, p.id, review, pr.date),
        load,
    )


def first_of_each(
    items: Iterable[Participant], kind_of: Callable[[Participant], Hashable]
) -> Iterator[Participant]:
    """The first participant of each kind, in the order given (lazily: the caller often
    stops at the first)."""
    seen: set[Hashable] = set()
    for p in items:
        kind = kind_of(p)
        if kind not in seen:
            seen.add(kind)
            yield p
