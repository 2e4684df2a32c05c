"""Local search on member swaps: the plans for national-size scenarios, and next to CP-SAT.

On a scenario with thousands of people and dozens of reviews, the CP-SAT model is too
large to search well on two cores (and a few reviews re-solved exactly at a time are
slow to improve a good start: the pair metrics give CP-SAT a weak bound); on a few
hundred people CP-SAT proves good bounds but finds good plans slowly. What does
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
from .solution import Solution, score

SAMPLE = 24  # candidates tried per replaced member
# Temperatures in objective points; measured on the national tier (2,600 people): starting
# at 3 wandered for a minute, 0.15-0.3 improved fastest (benchmarks/, docs/performance.md).
START_TEMPERATURE = 0.3
END_TEMPERATURE = 0.03


class LocalSearch:
    """The state of a plan with the counters needed for O(group size) move deltas."""

    def __init__(self, data: SolverInput, start: Solution, seed: int = 0):
        self.d = d = data
        self.rng = random.Random(seed)
        self.w = d.weights
        self.people = d.people
        # Per-person attributes as lists: indexing them is what the inner loops do most.
        self.partnership = [p.partnership for p in d.people]
        self.region = [p.region for p in d.people]
        self.role = [p.role for p in d.people]
        self.organisation = [p.organisation for p in d.people]
        self.solution = start.copy()
        n = len(d.reviews)
        self.subject = [r.subject for r in d.reviews]
        self.parts: list[Counter[int]] = [Counter() for _ in range(n)]
        self.regs: list[Counter[int]] = [Counter() for _ in range(n)]
        self.roles: list[Counter[int]] = [Counter() for _ in range(n)]
        self.orgs: list[Counter[int]] = [Counter() for _ in range(n)]
        self.outside = [0] * n
        # How many groups meet each (partnership, subject), partnership pair and region
        # pair: square tables, pairs stored both ways round.
        np_, ng = len(d.partnerships), len(d.regions)
        self.links = [[0] * np_ for _ in range(np_)]
        self.co = [[0] * np_ for _ in range(np_)]
        self.rl = [[0] * ng for _ in range(ng)]
        self.load = [0] * len(d.people)
        self.days: dict[int, list[int]] = {}
        self.part_reviews: Counter[int] = Counter()
        self.week: Counter[tuple[int, int]] = Counter()
        for ri, r in enumerate(d.reviews):
            self.week[r.weeks[self.solution.date[ri]]] += 1
            members = list(self.solution.members[ri])
            self.solution.members[ri] = {}
            fns = start.members[ri]
            for p in members:
                self._add(ri, p, fns[p])
        self.value = score(d, self.solution)
        self.best, self.best_value = self.solution.copy(), self.value
        self.iterations = 0

    # -- state changes --------------------------------------------------------------
    def _add(self, ri: int, p: int, f: int | None) -> None:
        r = self.d.reviews[ri]
        a, g = self.partnership[p], self.region[p]
        if a >= 0:
            parts = self.parts[ri]
            if not parts[a]:
                self.links[a][r.subject] += 1
                self.part_reviews[a] += 1
                row = self.co[a]
                for b in parts:
                    row[b] += 1
                    self.co[b][a] += 1
            parts[a] += 1
        regs = self.regs[ri]
        if not regs[g]:
            row = self.rl[g]
            for h in regs:
                row[h] += 1
                self.rl[h][g] += 1
        regs[g] += 1
        self.roles[ri][self.role[p]] += 1
        if self.organisation[p] >= 0:
            self.orgs[ri][self.organisation[p]] += 1
        self.outside[ri] += g not in r.subject_regions
        self.load[p] += 1
        self.days.setdefault(p, []).append(r.dates[self.solution.date[ri]])
        self.solution.members[ri][p] = f

    def _remove(self, ri: int, p: int) -> int | None:
        r = self.d.reviews[ri]
        a, g = self.partnership[p], self.region[p]
        f = self.solution.members[ri].pop(p)
        if a >= 0:
            parts = self.parts[ri]
            parts[a] -= 1
            if not parts[a]:
                del parts[a]
                self.links[a][r.subject] -= 1
                self.part_reviews[a] -= 1
                row = self.co[a]
                for b in parts:
                    row[b] -= 1
                    self.co[b][a] -= 1
        regs = self.regs[ri]
        regs[g] -= 1
        if not regs[g]:
            del regs[g]
            row = self.rl[g]
            for h in regs:
                row[h] -= 1
                self.rl[h][g] -= 1
        self.roles[ri][self.role[p]] -= 1
        if self.organisation[p] >= 0:
            self.orgs[ri][self.organisation[p]] -= 1
        self.outside[ri] -= g not in r.subject_regions
        self.load[p] -= 1
        self.days[p].remove(r.dates[self.solution.date[ri]])
        return f

    # -- deltas (pure) --------------------------------------------------------------
    def gain_add(self, ri: int, p: int) -> int:
        """Objective change if p joined review ri now."""
        w = self.w
        a, g = self.partnership[p], self.region[p]
        total = 0
        if a >= 0:
            parts = self.parts[ri]
            if a not in parts:
                total += w["partnership_links"] * (not self.links[a][self.subject[ri]])
                row = self.co[a]
                total += w["co_member_links"] * sum(1 for b in parts if not row[b])
        elif not self.load[p]:
            total += w["inclusion"]
        regs = self.regs[ri]
        if g not in regs:
            row = self.rl[g]
            total += w["diversity"] + w["region_links"] * sum(1 for h in regs if not row[h])
        total += w["preferences"] * (self.subject[ri] in self.people[p].prefer)
        return total - w["load_sumsq"] * (2 * self.load[p] + 1)

    def gain_remove(self, ri: int, p: int) -> int:
        """Objective change if p left review ri now."""
        w = self.w
        a, g = self.partnership[p], self.region[p]
        total = 0
        if a >= 0:
            parts = self.parts[ri]
            if parts[a] == 1:
                total -= w["partnership_links"] * (self.links[a][self.subject[ri]] == 1)
                row = self.co[a]
                total -= w["co_member_links"] * sum(1 for b in parts if b != a and row[b] == 1)
        elif self.load[p] == 1:
            total -= w["inclusion"]
        regs = self.regs[ri]
        if regs[g] == 1:
            row = self.rl[g]
            total -= w["diversity"] + w["region_links"] * sum(1 for h in regs if h != g and row[h] == 1)
        total -= w["preferences"] * (self.subject[ri] in self.people[p].prefer)
        return total + w["load_sumsq"] * (2 * self.load[p] - 1)

    # -- rules ----------------------------------------------------------------------
    def can_join(self, ri: int, p: int, f: int | None) -> bool:
        """May p join review ri now (holding function f)? H4-H16 for one added member."""
        group = self.solution.members[ri]
        person = self.people[p]
        if p in group or self.load[p] >= person.max_reviews:
            return False
        r, k = self.d.reviews[ri], self.solution.date[ri]
        if not r.available[p] >> k & 1 or (f is not None and f not in person.functions):
            return False
        d = self.d
        a, o = self.partnership[p], self.organisation[p]
        if d.max_per_partnership and a >= 0 and self.parts[ri].get(a, 0) >= d.max_per_partnership:
            return False
        if d.max_per_organisation and o >= 0 and self.orgs[ri].get(o, 0) >= d.max_per_organisation:
            return False
        hi = d.composition.get(self.role[p], (0, None))[1]
        if hi is not None and self.roles[ri].get(self.role[p], 0) >= hi:
            return False
        if d.min_days_between and p in self.days:
            day, gap = r.dates[k], d.min_days_between
            if any(abs(day - other) < gap for other in self.days[p]):
                return False
        return not (person.avoid and any(q in person.avoid for q in group))

    def complete(self, ri: int) -> bool:
        """Do the group-level rules hold for review ri (H3, H6, H8, H11, H12)?"""
        d, r = self.d, self.d.reviews[ri]
        n = len(self.solution.members[ri])
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

    # -- hooks for searches with an objective of their own (repair_local.py) --------
    def removable(self, ri: int, p: int) -> bool:
        """May p leave review ri (a confirmed membership may not)?"""
        return True

    def gain_handover(self, ri: int, f: int, old: int, new: int) -> int:
        """Objective change when function f of review ri passes from `old` to `new`."""
        return 0

    def gain_date(self, ri: int, old: int, new: int) -> int | None:
        """Objective change when review ri moves from its old-th to its new-th date; None:
        it may not move (a confirmed date)."""
        return 0

    # -- moves ----------------------------------------------------------------------
    def accept(self, delta: int, temperature: float) -> bool:
        return delta >= 0 or self.rng.random() < math.exp(delta / temperature)

    def replace(self, ri: int, temperature: float) -> None:
        group = self.solution.members[ri]
        if not group:
            return
        p = self.rng.choice(list(group))
        if not self.removable(ri, p):
            return
        out = self.gain_remove(ri, p)
        f = self._remove(ri, p)
        r = self.d.reviews[ri]
        sample = self.rng.choices(r.candidates, k=SAMPLE) if r.candidates else ()
        best, best_gain = None, None
        for q in sample:
            if q == p or not self.can_join(ri, q, f):
                continue
            gain = self.gain_add(ri, q)
            if best_gain is None or gain > best_gain:
                best, best_gain = q, gain
        if best is not None and best_gain is not None and f is not None:
            best_gain += self.gain_handover(ri, f, p, best)
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
        if len(self.solution.members[ri]) >= r.size_max:
            return
        best, best_gain = None, 0
        for q in self.rng.choices(r.candidates, k=SAMPLE) if r.candidates else ():
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
        group = self.solution.members[ri]
        options = [p for p, f in group.items() if f is None and self.removable(ri, p)]
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
        old = self.solution.date[ri]
        k = self.rng.randrange(len(r.dates))
        if k == old:
            return
        if d.max_per_week and r.weeks[k] != r.weeks[old] and self.week[r.weeks[k]] >= d.max_per_week:
            return
        members = list(self.solution.members[ri])
        if any(not r.available[p] >> k & 1 for p in members):
            return
        gain = self.gain_date(ri, old, k)
        if gain is None or gain < 0:
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
        self.solution.date[ri] = k
        self.value += gain

    def run(
        self,
        deadline: float,
        *,
        on_improve: Callable[[int], None] | None = None,
        stop: Callable[[], bool] | None = None,
        steps: int | None = None,
    ) -> tuple[Solution, int]:
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
                self.best, self.best_value = self.solution.copy(), self.value
                if on_improve:
                    on_improve(self.best_value)
        return self.best, self.best_value
