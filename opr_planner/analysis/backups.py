"""Backups per review and the resilience figure: who could step in if one member dropped out.

A backup of a review is a participant who is a valid stand-in (see analysis/suggest.py:
swapped in on the review's date, the evaluator finds nothing new wrong with the whole plan)
for at least one of its members. Backups are chosen greedily: each next one covers the
most members not yet covered, then the most members in all, then has the best objective
change, then the lowest id.

The greedy choice is lazy: every candidate is first screened cheaply per member (which can
only over-estimate what they cover), and appraised (suggest.Swapper.appraise: the swap's
effect on the whole plan from its counters, kept equal to the evaluator by tests) only for
the candidates that could still be the next choice.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass

from ..calendar import WorkCalendar, can_attend
from ..plan import Backup, Plan
from ..scenario.models import Participant, Scenario
from .profile import avoid_involved, entries_by_person, first_of_each, member_kind
from .suggest import StandIn, Swapper


@dataclass(frozen=True)
class Cover:
    """What one candidate could do for one review."""

    participant: str
    role: str
    members: frozenset[str]  # the members they are a valid stand-in for
    best_delta: int  # the best objective change over those members


class _Candidates:
    """Screened (upper-bound) and, on demand, evaluated covers of one review's candidates."""

    def __init__(self, scenario: Scenario, plan: Plan, review_id: str, cal: WorkCalendar):
        self.swapper = Swapper(scenario, plan, review_id, cal)
        self.people = {p.id: p for p in scenario.participants}
        self.members = sorted(set(self.swapper.pr.member_ids))
        self.maybe: dict[str, set[str]] = {}
        for member in self.members:
            for p in self.swapper.candidates(member):
                if not self.swapper.screen(member, p):
                    self.maybe.setdefault(p.id, set()).add(member)
        self.known: dict[str, Cover] = {}

    def cover(self, pid: str) -> Cover:
        """The evaluated cover of one candidate (cached)."""
        if pid not in self.known:
            p = self.people[pid]
            judged = {m: self.swapper.appraise(m, p) for m in sorted(self.maybe[pid])}
            valid = {m: s for m, s in judged.items() if isinstance(s, StandIn)}
            best = max((s.delta for s in valid.values()), default=0)
            self.known[pid] = Cover(pid, p.role, frozenset(valid), best)
            self.maybe[pid] = set(valid)
        return self.known[pid]


def rank_backups(candidates: dict[str, Cover], n: int) -> list[Cover]:
    """Up to n backups from evaluated covers, in the greedy order of the module docstring."""
    chosen: list[Cover] = []
    covered: set[str] = set()
    left = {p: c for p, c in candidates.items() if c.members}
    while left and len(chosen) < n:
        best = min(
            left.values(),
            key=lambda c: (-len(c.members - covered), -len(c.members), -c.best_delta, c.participant),
        )
        chosen.append(best)
        covered |= best.members
        del left[best.participant]
    return chosen


def choose_backups(
    scenario: Scenario, plan: Plan, review_id: str, n: int, calendar: WorkCalendar | None = None
) -> list[Cover]:
    """Up to n ranked backups for one review; the same as `rank_backups` over every evaluated
    cover, but evaluating only the candidates whose screened cover could still win."""
    pool = _Candidates(scenario, plan, review_id, calendar or WorkCalendar(scenario))
    chosen: list[Cover] = []
    covered: set[str] = set()
    while len(chosen) < n:
        taken = {c.participant for c in chosen}
        left = [p for p, ms in pool.maybe.items() if ms and p not in taken]
        if not left:
            break
        top = max(_bound(pool.maybe[p], covered) for p in left)
        tier = [p for p in left if _bound(pool.maybe[p], covered) == top]
        for p in tier:
            pool.cover(p)  # may shrink pool.maybe[p]; the bound never grows
        winners = [pool.known[p] for p in tier if _bound(pool.maybe[p], covered) == top]
        if not winners:
            continue
        best = min(winners, key=lambda c: (-c.best_delta, c.participant))
        chosen.append(best)
        covered |= best.members
    return chosen


def _bound(members: set[str], covered: set[str]) -> tuple[int, int]:
    return len(members - covered), len(members)


def with_backups(scenario: Scenario, plan: Plan, n: int, calendar: WorkCalendar | None = None) -> Plan:
    """`plan` with up to `n` ranked backups stored on every review of the scenario (0: none)."""
    return backups_until(scenario, plan, n, None, calendar)[0]


def backups_until(
    scenario: Scenario, plan: Plan, n: int, deadline: float | None, calendar: WorkCalendar | None = None
) -> tuple[Plan, list[str]]:
    """`with_backups` for the reviews reached before `deadline` (time.perf_counter(); None:
    all), and the ids of the reviews not reached (they get none)."""
    cal = calendar or WorkCalendar(scenario)
    reviews = []
    left: list[str] = []
    for pr in plan.reviews:
        backups: list[Backup] = []
        if n > 0 and pr.id in scenario.review and pr.members:
            if deadline is not None and time.perf_counter() > deadline:
                left.append(pr.id)
            else:
                chosen = choose_backups(scenario, plan, pr.id, n, cal)
                backups = [Backup(participant=c.participant, role=c.role) for c in chosen]
        reviews.append(pr.model_copy(update={"backups": backups}))
    return plan.model_copy(update={"reviews": reviews}), left


MAX_RESILIENCE_GROUP = 100  # members; groups are a handful, a larger one is a broken plan


def too_large(scenario: Scenario, review_id: str, size: int) -> str:
    """Why a group is too large for the per-member analyses ('' when it is not): more than
    MAX_RESILIENCE_GROUP members, or more than twice the group size the rules allow.
    Such a group breaks H3; trying every outsider for every member would take hours."""
    hi = scenario.group_size_of(scenario.review[review_id]).max
    if size > MAX_RESILIENCE_GROUP:
        return f"a group of more than {MAX_RESILIENCE_GROUP} members"
    if hi and size > 2 * hi:
        return f"a group of {size} members, more than twice the {hi} allowed (H3)"
    return ""


def resilience(
    scenario: Scenario, plan: Plan, calendar: WorkCalendar | None = None
) -> dict[str, tuple[int, int] | None]:
    """Per review of the plan that is in the scenario: (members with at least one valid
    stand-in, group size), or None for a group that is `too_large`. The stand-ins are checked with the evaluator on the review's current date,
    one dropout at a time; the stored `backups` play no part.

    Members the rules cannot tell apart share a verdict, and of the outsiders who could
    stand in only one of each kind is tried (see profile.py): the work grows with the
    kinds of people, not with group size times candidates.
    """
    cal = calendar or WorkCalendar(scenario)
    involved = avoid_involved(scenario)
    reviews_of: dict[str, list[str]] = {}
    for pr in plan.reviews:
        for pid in set(pr.member_ids):
            reviews_of.setdefault(pid, []).append(pr.id)
    out: dict[str, tuple[int, int] | None] = {}
    for pr in plan.reviews:
        if pr.id in scenario.review and pr.id not in out:
            if too_large(scenario, pr.id, len(set(pr.member_ids))):
                out[pr.id] = None
            else:
                out[pr.id] = _cover(Swapper(scenario, plan, pr.id, cal), involved, reviews_of)
    return out


def _cover(swapper: Swapper, involved: frozenset[str], reviews_of: dict[str, list[str]]) -> tuple[int, int]:
    """(members with a valid stand-in, group size) of the swapper's review."""
    scenario, pr = swapper.scenario, swapper.pr
    review = scenario.review[pr.id]
    loads = swapper.base.loads

    organisations = bool(scenario.rules.on("max_per_organisation"))

    def candidate_kind(p: Participant) -> tuple:
        # What decides a stand-in's verdict: preferences only change the score, and the
        # organisation matters only under H10.
        return (
            p.id if p.id in involved else None,
            p.role,
            p.partnership,
            p.region,
            p.organisation if organisations else None,
            tuple(p.functions),
            p.max_reviews,
            tuple(p.conflicts),
            can_attend(scenario, p.id, review, pr.date),
            loads.get(p.id, 0),
            tuple(sorted(reviews_of.get(p.id, []))),
        )

    entries = entries_by_person(pr)
    members = sorted(set(pr.member_ids))
    verdicts: dict[tuple, bool] = {}
    covered = 0
    for m in members:
        person = scenario.participant.get(m)
        kind = (
            ("unknown", m)
            if person is None
            else member_kind(scenario, review, pr, person, entries[m], loads.get(m, 0), involved)
        )
        if kind not in verdicts:
            verdicts[kind] = _someone(swapper, m, first_of_each(swapper.candidates(m), candidate_kind))
        covered += verdicts[kind]
    return covered, len(members)


def _someone(swapper: Swapper, member: str, candidates: Iterable[Participant]) -> bool:
    """Whether anyone is a valid stand-in for `member` (stops at the first)."""
    for p in candidates:
        if not swapper.screen(member, p) and isinstance(swapper.appraise(member, p), StandIn):
            return True
    return False


__all__ = [
    "MAX_RESILIENCE_GROUP",
    "Cover",
    "backups_until",
    "choose_backups",
    "rank_backups",
    "resilience",
    "too_large",
    "with_backups",
]
