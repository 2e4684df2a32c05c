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
from dataclasses import dataclass

from ..calendar import WorkCalendar
from ..plan import Backup, Plan
from ..scenario.models import Scenario
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


def resilience(
    scenario: Scenario, plan: Plan, calendar: WorkCalendar | None = None
) -> dict[str, tuple[int, int]]:
    """Per review of the plan that is in the scenario: (members with at least one valid
    stand-in, group size). The stand-ins are checked with the evaluator on the review's
    current date, one dropout at a time; the stored `backups` play no part."""
    cal = calendar or WorkCalendar(scenario)
    out: dict[str, tuple[int, int]] = {}
    for pr in plan.reviews:
        if pr.id in scenario.review and pr.id not in out:
            swapper = Swapper(scenario, plan, pr.id, cal)
            members = sorted(set(pr.member_ids))
            covered = sum(1 for m in members if _someone(swapper, m))
            out[pr.id] = (covered, len(members))
    return out


def _someone(swapper: Swapper, member: str) -> bool:
    """Whether anyone is a valid stand-in for `member` (stops at the first)."""
    for p in swapper.candidates(member):
        if not swapper.screen(member, p) and isinstance(swapper.appraise(member, p), StandIn):
            return True
    return False


__all__ = ["Cover", "backups_until", "choose_backups", "rank_backups", "resilience", "with_backups"]
