"""Local search on member swaps, for national-size scenarios.

On a scenario with thousands of people and dozens of reviews, the CP-SAT model is too
large to search well on two cores (and a few reviews re-solved exactly at a time are
slow to improve a good start: the pair metrics give CP-SAT a weak bound). What does
improve such a plan quickly is what a planner would do by hand, only millions of times:
take one member out of a group and put in whoever raises the objective most, among a
sample of the review's candidates; sometimes add a member to a group that has room, or
move a review to another date. Simulated annealing accepts an occasional step down to
leave local optima; the best plan seen is kept.

Every step keeps every hard rule (H2-H18): a move is only made when it is allowed, and
the objective is updated incrementally from counters of what is met how often. Callers
still check the result with the evaluator (`solve` does).
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter
from collections.abc import Callable

from .compile import SolverInput
from .groups import Groups, score

SAMPLE = 24  # candidates tried per replaced member
# Temperatures in objective points; measured on the national tier (2,600 people): starting
# at 3 wandered for a minute, 0.15-0.3 improved fastest (benchmarks/, docs/performance.md).
START_TEMPERATURE = 0.3
END_TEMPERATURE = 0.03


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


class LocalSearch:
    """The state of a plan with the counters needed for O(group size) move deltas."""

    def __init__(self, data: SolverInput, groups: Groups, seed: int = 0):
        self.d = d = data
        self.rng = random.Random(seed)
        self.w = d.weights
        self.people = d.people
        self.groups = groups.copy()
        n = len(d.reviews)
        self.parts: list[Counter[int]] = [Counter() for _ in range(n)]
        self.regs: list[Counter[int]] = [Counter() for _ in range(n)]
        self.roles: list[Counter[int]] = [Counter() for _ in range(n)]
        self.orgs: list[Counter[int]] = [Counter() for _ in range(n)]
        self.outside = [0] * n
        self.links: Counter[tuple[int, int]] = Counter()  # (a, subject) -> groups
        self.co: Counter[tuple[int, int]] = Counter()
        self.rl: Counter[tuple[int, int]] = Counter()
        self.load: Counter[int] = Counter()
        self.days: dict[int, list[int]] = {}
        self.part_reviews: Counter[int] = Counter()
        self.week: Counter[tuple[int, int]] = Counter()
        for ri, r in enumerate(d.reviews):
            self.week[r.weeks[self.groups.date[ri]]] += 1
            members = list(self.groups.members[ri])
            self.groups.members[ri] = {}
            fns = groups.members[ri]
            for p in members:
                self._add(ri, p, fns[p])
        self.value = score(d, self.groups)
        self.best, self.best_value = self.groups.copy(), self.value
        self.iterations = 0

    # -- state changes --------------------------------------------------------------
    def _add(self, ri: int, p: int, f: int | None) -> None:
        person, r = self.people[p], self.d.reviews[ri]
        a, g = person.partnership, person.region
        if a >= 0:
            if not self.parts[ri][a]:
                self.links[(a, r.subject)] += 1
                self.part_reviews[a] += 1
                for b in self.parts[ri]:
                    self.co[_pair(a, b)] += 1
            self.parts[ri][a] += 1
        if not self.regs[ri][g]:
            for h in self.regs[ri]:
                self.rl[_pair(g, h)] += 1
        self.regs[ri][g] += 1
        self.roles[ri][person.role] += 1
        if person.organisation >= 0:
            self.orgs[ri][person.organisation] += 1
        self.outside[ri] += g not in r.subject_regions
        self.load[p] += 1
        self.days.setdefault(p, []).append(r.dates[self.groups.date[ri]])
        self.groups.members[ri][p] = f

    def _remove(self, ri: int, p: int) -> int | None:
        person, r = self.people[p], self.d.reviews[ri]
        a, g = person.partnership, person.region
        f = self.groups.members[ri].pop(p)
        if a >= 0:
            self.parts[ri][a] -= 1
            if not self.parts[ri][a]:
                del self.parts[ri][a]
                self.links[(a, r.subject)] -= 1
                self.part_reviews[a] -= 1
                for b in self.parts[ri]:
                    self.co[_pair(a, b)] -= 1
        self.regs[ri][g] -= 1
        if not self.regs[ri][g]:
            del self.regs[ri][g]
            for h in self.regs[ri]:
                self.rl[_pair(g, h)] -= 1
        self.roles[ri][person.role] -= 1
        if person.organisation >= 0:
            self.orgs[ri][person.organisation] -= 1
        self.outside[ri] -= g not in r.subject_regions
        self.load[p] -= 1
        self.days[p].remove(r.dates[self.groups.date[ri]])
        return f

    # -- deltas (pure) --------------------------------------------------------------
    def gain_add(self, ri: int, p: int) -> int:
        """Objective change if p joined review ri now."""
        w, person, r = self.w, self.people[p], self.d.reviews[ri]
        a, g = person.partnership, person.region
        total = 0
        if a >= 0:
            if not self.parts[ri][a]:
                total += w["partnership_links"] * (not self.links[(a, r.subject)])
                total += w["co_member_links"] * sum(1 for b in self.parts[ri] if not self.co[_pair(a, b)])
        elif not self.load[p]:
            total += w["inclusion"]
        if not self.regs[ri][g]:
            total += w["diversity"]
            total += w["region_links"] * sum(1 for h in self.regs[ri] if not self.rl[_pair(g, h)])
        total += w["preferences"] * (r.subject in person.prefer)
        return total - w["load_sumsq"] * (2 * self.load[p] + 1)

    def gain_remove(self, ri: int, p: int) -> int:
        """Objective change if p left review ri now."""
        w, person, r = self.w, self.people[p], self.d.reviews[ri]
        a, g = person.partnership, person.region
        total = 0
        if a >= 0:
            if self.parts[ri][a] == 1:
                total -= w["partnership_links"] * (self.links[(a, r.subject)] == 1)
                total -= w["co_member_links"] * sum(
                    1 for b in self.parts[ri] if b != a and self.co[_pair(a, b)] == 1
                )
        elif self.load[p] == 1:
            total -= w["inclusion"]
        if self.regs[ri][g] == 1:
            total -= w["diversity"]
            total -= w["region_links"] * sum(
                1 for h in self.regs[ri] if h != g and self.rl[_pair(g, h)] == 1
            )
        total -= w["preferences"] * (r.subject in person.prefer)
        return total + w["load_sumsq"] * (2 * self.load[p] - 1)

    # -- rules ----------------------------------------------------------------------
    def can_join(self, ri: int, p: int, f: int | None) -> bool:
        """May p join review ri now (holding function f)? H4-H16 for one added member."""
        d, person, r = self.d, self.people[p], self.d.reviews[ri]
        group = self.groups.members[ri]
        k = self.groups.date[ri]
        if p in group or k not in r.available.get(p, ()) or self.load[p] >= person.max_reviews:
            return False
        if f is not None and f not in person.functions:
            return False
        if d.min_days_between:
            day = r.dates[k]
            if any(abs(day - other) < d.min_days_between for other in self.days.get(p, ())):
                return False
        if person.avoid and any(q in person.avoid for q in group):
            return False
        a, o = person.partnership, person.organisation
        if d.max_per_partnership and a >= 0 and self.parts[ri][a] >= d.max_per_partnership:
            return False
        if d.max_per_organisation and o >= 0 and self.orgs[ri][o] >= d.max_per_organisation:
            return False
        hi = d.composition.get(person.role, (0, None))[1]
        return hi is None or self.roles[ri][person.role] < hi

    def complete(self, ri: int) -> bool:
        """Do the group-level rules hold for review ri (H3, H6, H8, H11, H12)?"""
        d, r = self.d, self.d.reviews[ri]
        n = len(self.groups.members[ri])
        if not r.size_min <= n <= r.size_max:
            return False
        for role, (lo, _hi) in d.composition.items():
            if self.roles[ri][role] < lo:
                return False
        return (
            len(self.parts[ri]) >= d.min_partnerships
            and len(self.regs[ri]) >= d.min_regions
            and self.outside[ri] >= d.min_outside
        )

    def h18_ok(self, a: int) -> bool:
        return a < 0 or self.part_reviews[a] >= self.d.min_reviews_per_partnership

    # -- moves ----------------------------------------------------------------------
    def accept(self, delta: int, temperature: float) -> bool:
        return delta >= 0 or self.rng.random() < math.exp(delta / temperature)

    def replace(self, ri: int, temperature: float) -> None:
        group = self.groups.members[ri]
        if not group:
            return
        p = self.rng.choice(list(group))
        out = self.gain_remove(ri, p)
        f = self._remove(ri, p)
        r = self.d.reviews[ri]
        pool = r.candidates
        sample = self.rng.sample(pool, min(SAMPLE, len(pool)))
        best, best_gain = None, None
        for q in sample:
            if q == p or not self.can_join(ri, q, f):
                continue
            gain = self.gain_add(ri, q)
            if best_gain is None or gain > best_gain:
                best, best_gain = q, gain
        if best is not None and best_gain is not None and self.accept(out + best_gain, temperature):
            self._add(ri, best, f)
            if self.complete(ri) and self.h18_ok(self.people[p].partnership):
                self.value += out + best_gain
                return
            self._remove(ri, best)
        self._add(ri, p, f)

    def grow(self, ri: int) -> None:
        """Add the best sampled candidate to a group with room, if that gains."""
        r = self.d.reviews[ri]
        if len(self.groups.members[ri]) >= r.size_max:
            return
        best, best_gain = None, 0
        for q in self.rng.sample(r.candidates, min(SAMPLE, len(r.candidates))):
            if self.can_join(ri, q, None):
                gain = self.gain_add(ri, q)
                if gain > best_gain:
                    best, best_gain = q, gain
        if best is not None:
            self._add(ri, best, None)
            if self.complete(ri):
                self.value += best_gain
            else:
                self._remove(ri, best)

    def shrink(self, ri: int) -> None:
        """Drop a member without function when that gains (e.g. a heavily loaded one)."""
        group = self.groups.members[ri]
        options = [p for p, f in group.items() if f is None]
        if not options:
            return
        p = self.rng.choice(options)
        gain = self.gain_remove(ri, p)
        if gain <= 0:
            return
        f = self._remove(ri, p)
        if self.complete(ri) and self.h18_ok(self.people[p].partnership):
            self.value += gain
        else:
            self._add(ri, p, f)

    def move_date(self, ri: int) -> None:
        """Move review ri to another possible date every member can attend (no objective change)."""
        d, r = self.d, self.d.reviews[ri]
        old = self.groups.date[ri]
        k = self.rng.randrange(len(r.dates))
        if k == old:
            return
        if d.max_per_week and r.weeks[k] != r.weeks[old] and self.week[r.weeks[k]] >= d.max_per_week:
            return
        members = list(self.groups.members[ri])
        if any(k not in r.available[p] for p in members):
            return
        if d.min_days_between:
            day, before = r.dates[k], r.dates[old]
            for p in members:
                others = list(self.days[p])
                others.remove(before)
                if any(abs(day - o) < d.min_days_between for o in others):
                    return
        for p in members:
            self.days[p].remove(r.dates[old])
            self.days[p].append(r.dates[k])
        self.week[r.weeks[old]] -= 1
        self.week[r.weeks[k]] += 1
        self.groups.date[ri] = k

    def run(
        self,
        deadline: float,
        *,
        on_improve: Callable[[int], None] | None = None,
        stop: Callable[[], bool] | None = None,
        steps: int | None = None,
    ) -> tuple[Groups, int]:
        """Anneal until `deadline` (time.perf_counter()) or `stop()`: the best plan and its objective.

        With `steps`, the search ends after that many steps instead (the deadline still
        applies): the same data, start, seed and steps give the same plan on any machine.
        The best plan so far is also kept in `self.best` / `self.best_value`, so it
        survives a KeyboardInterrupt raised inside this loop.
        """
        n = len(self.d.reviews)
        if not n:
            return self.best, self.best_value
        start = time.perf_counter()
        span = max(deadline - start, 1e-3)
        temperature = START_TEMPERATURE
        done = 0
        while steps is None or done < steps:
            done += 1
            self.iterations += 1
            if done % 256 == 0:
                now = time.perf_counter()
                if now >= deadline or (stop and stop()):
                    break
                progress = done / steps if steps else (now - start) / span
                temperature = START_TEMPERATURE * (END_TEMPERATURE / START_TEMPERATURE) ** progress
            ri = self.rng.randrange(n)
            roll = self.rng.random()
            if roll < 0.9:
                self.replace(ri, temperature)
            elif roll < 0.95:
                self.move_date(ri)
            elif roll < 0.98:
                self.grow(ri)
            else:
                self.shrink(ri)
            if self.value > self.best_value:
                self.best, self.best_value = self.groups.copy(), self.value
                if on_improve:
                    on_improve(self.best_value)
        return self.best, self.best_value


def anneal(
    data: SolverInput,
    start: Groups,
    *,
    deadline: float,
    seed: int = 0,
    on_improve: Callable[[int], None] | None = None,
    stop: Callable[[], bool] | None = None,
    steps: int | None = None,
) -> tuple[Groups, int]:
    """The best plan simulated annealing finds from `start` before `deadline` (or in `steps`)."""
    return LocalSearch(data, start, seed).run(deadline, on_improve=on_improve, stop=stop, steps=steps)
