"""A greedy plan, as a coordinator with a spreadsheet would make it.

Review by review: take the date on which most eligible people can come (in a week that
still has room), seat the required functions and role minimums first, then fill the
group with whoever adds a new partnership or region, least-used people first. Used as
the benchmark baseline and as a warm start (solution hint) for CP-SAT.
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import numpy as np

from ..calendar import WorkCalendar
from ..plan import Plan
from ..scenario.models import Scenario
from .attendance import date_table
from .compile import SolverInput, compile_scenario
from .solution import Solution, to_plan

# A candidate's score is one int64, larger is better: the criteria in the high bits, then
# fewer reviews so far, then the lower person index (ties broken as `max` over tuples would).
_PERSON_BITS = 24
_LOAD_BITS = 8
_TAIL = _PERSON_BITS + _LOAD_BITS


class _People:
    """Per-person attributes as arrays (the same for both greedy passes)."""

    def __init__(self, data: SolverInput):
        people = data.people
        self.partnership = np.array([p.partnership for p in people], dtype=np.int64)
        self.region = np.array([p.region for p in people], dtype=np.int64)
        self.organisation = np.array([p.organisation for p in people], dtype=np.int64)
        self.role = np.array([p.role for p in people], dtype=np.int64)
        self.max_reviews = np.array([p.max_reviews for p in people], dtype=np.int64)
        self.prefer = np.zeros((len(people), max(len(data.partnerships), 1)), dtype=bool)
        self.functions = np.zeros((len(people), max(len(data.functions), 1)), dtype=bool)
        for i, p in enumerate(people):
            self.prefer[i, list(p.prefer)] = True
            self.functions[i, list(p.functions)] = True
        if len(people) >= 1 << _PERSON_BITS:
            raise ValueError(f"at most {(1 << _PERSON_BITS) - 1:,} participants")


class Greedy:
    """Review by review, seat by seat: every candidate's fit and score at once, on arrays.

    `run` makes the plan; `open`, `gain`, `seat` and `commit` are its steps, which tests
    also use to replay a plan and compare greedy's own scoring with the evaluator's.
    """

    def __init__(self, data: SolverInput, marginal: bool = False, people: _People | None = None):
        self.d = d = data
        self.marginal = marginal
        self.p = people or _People(data)
        n, parts, regions = len(d.people), max(len(d.partnerships), 1), max(len(d.regions), 1)
        self.load = np.zeros(n, dtype=np.int64)
        # The review days (ordinals) of each person so far, far in the past where none.
        width = max(1, min(len(d.reviews), int(self.p.max_reviews.max(initial=1))))
        self.days = np.full((n, width), -(1 << 40), dtype=np.int64)
        # What the plan so far meets (for the marginal-gain variant), pairs both ways round.
        self.links = np.zeros((parts, parts), dtype=bool)  # (partnership, subject)
        self.co_members = np.zeros((parts, parts), dtype=bool)
        self.region_pairs = np.zeros((regions, regions), dtype=bool)
        self.partnership_reviews = np.zeros(parts + 1, dtype=np.int64)  # [-1]: no partnership, stays 0
        self.week = Counter[tuple[int, int]]()
        self.stuck: str | None = None  # why the last review could not be planned

    # -- one review --------------------------------------------------------------------------
    def open_dates(self, ri: int) -> tuple[list[int], np.ndarray, np.ndarray, np.ndarray] | None:
        """Review `ri`'s dates whose week still has room, its candidates, which of them can
        take one more review, and who can come on which date; None (and `stuck` says why)
        when every week is full."""
        d, r = self.d, self.d.reviews[ri]
        free = [
            k for k in range(len(r.dates)) if not d.max_per_week or self.week[r.weeks[k]] < d.max_per_week
        ]
        if not free:
            self.stuck = f"{r.id}: every week of its possible dates already holds {d.max_per_week} reviews"
            return None
        cand = np.array(r.candidates, dtype=np.int64)
        room = self.load[cand] < self.p.max_reviews[cand]
        return free, cand, room, date_table(r.available, r.candidates, len(r.dates))

    def review(self, ri: int) -> tuple[int, list[int], dict[int, int]] | None:
        d, r = self.d, self.d.reviews[ri]
        opened = self.open_dates(ri)
        if opened is None:
            return None
        free, cand, room, table = opened
        count = table[room].sum(axis=0)
        k = max(free, key=lambda k: (int(count[k]), -k))  # the date most can come on (earliest on a tie)
        ok = room & table[:, k]
        if d.min_days_between:
            near = np.abs(self.days[cand] - r.dates[k]) < d.min_days_between
            ok &= ~near.any(axis=1)
        self._open(ri, cand[ok])
        group: list[int] = []
        functions: dict[int, int] = {}
        for f, n in sorted(d.function_counts.items()):
            able = self.p.functions[self.cand, f]
            for _ in range(n):
                i = self._pick(group, able)
                if i is None:
                    self.stuck = self._short(ri, k, f"who can be {d.functions[f]}")
                    return None
                functions[self._seat(i, group)] = f
        for role, (lo, _hi) in sorted(d.composition.items()):
            while int((self.p.role[group] == role).sum()) < lo:
                i = self._pick(group, self.cand_role == role)
                if i is None:
                    self.stuck = self._short(ri, k, f"{d.roles[role]}")
                    return None
                self._seat(i, group)
        while len(group) < r.size_max:
            pool = None
            if self.marginal and self._missing(group) >= r.size_max - len(group):
                pool = self._helps(group)  # only the seats the minimums need are left
            i = self._pick(group, pool)
            if i is None:
                break
            if len(group) >= r.size_min and self._adds_nothing(i, group):
                break  # a coordinator stops once the group gains nothing more
            self._seat(i, group)
        return k, group, functions

    def open(self, ri: int, cand: np.ndarray) -> None:
        self._open(ri, cand)

    def seat(self, i: int, group: list[int]) -> int:
        return self._seat(i, group)

    def _short(self, ri: int, k: int, who: str) -> str:
        r = self.d.reviews[ri]
        day = SolverInput.day(r.dates[k])
        return f"{r.id} on {day}: no {who} left who can come and fits the group (reviews planned before took them)"

    def _open(self, ri: int, cand: np.ndarray) -> None:
        """The candidates who can come on the chosen date, and what the scores need of them."""
        r, p = self.d.reviews[ri], self.p
        self.ri, self.cand = ri, cand
        self.cand_partnership, self.cand_region = p.partnership[cand], p.region[cand]
        self.cand_organisation, self.cand_role = p.organisation[cand], p.role[cand]
        self.cand_prefers = p.prefer[cand, r.subject]
        outside = np.ones(max(len(self.d.regions), 1), dtype=bool)
        outside[list(r.subject_regions)] = False
        self.cand_outside = outside[self.cand_region]
        self.seated = np.zeros(len(cand), dtype=bool)

    def _seat(self, i: int, group: list[int]) -> int:
        self.seated[i] = True
        person = int(self.cand[i])
        group.append(person)
        return person

    def _fits(self, group: list[int], pool: np.ndarray | None) -> np.ndarray:
        """Who may join the group as it is (H4, H9, H10, H16, role maximums of H6)."""
        d = self.d
        ok = ~self.seated if pool is None else pool & ~self.seated
        if not group:
            return ok
        avoided = sorted(set().union(*(d.people[q].avoid for q in group)))
        if avoided:
            ok &= ~np.isin(self.cand, avoided)
        for limit, mine, theirs in (
            (d.max_per_partnership, self.p.partnership[group], self.cand_partnership),
            (d.max_per_organisation, self.p.organisation[group], self.cand_organisation),
        ):
            if limit:
                values, counts = np.unique(mine[mine >= 0], return_counts=True)
                full = values[counts >= limit]
                if len(full):
                    ok &= ~np.isin(theirs, full)
        roles = self.p.role[group]
        for role, (_lo, hi) in d.composition.items():
            if hi is not None and int((roles == role).sum()) >= hi:
                ok &= self.cand_role != role
        return ok

    def _scores(self, group: list[int], idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(score as one int64, the criterion that decides whether to stop) of candidates idx."""
        d = self.d
        part, region = self.cand_partnership[idx], self.cand_region[idx]
        load = self.load[self.cand[idx]]
        need = self.partnership_reviews[part] < d.min_reviews_per_partnership
        tail = (255 - np.minimum(load, 255)) << _PERSON_BITS | ((1 << _PERSON_BITS) - 1 - self.cand[idx])
        group_parts, group_regions = self.p.partnership[group], self.p.region[group]
        new_region = ~np.isin(region, group_regions)
        if not self.marginal:
            new_partnership = (part >= 0) & ~np.isin(part, group_parts)
            bits = (
                new_partnership.astype(np.int64) << 5
                | need.astype(np.int64) << 4
                | new_region.astype(np.int64) << 3
                | self.cand_outside[idx].astype(np.int64) << 2
                | (part < 0).astype(np.int64) << 1
                | self.cand_prefers[idx].astype(np.int64)
            )
            return bits << _TAIL | tail, new_partnership | new_region
        gain = self.gain(group, idx)
        # A partnership that still needs reviews (H18) and is not in the group yet.
        needed = need & (part >= 0) & ~np.isin(part, group_parts)
        score = gain + (need & (part >= 0)) * 50
        # Worth a seat beyond the minimum size: it gains, or a minimum or H18 calls for it.
        return score << _TAIL | tail, (gain > 0) | needed | (self._missing(group) > 0)

    def gain(self, group: list[int], idx: np.ndarray) -> np.ndarray:
        """How much seating each of candidates idx raises the objective (SPEC 4), given the
        group and the plan so far: exactly the evaluator's difference (tests replay plans)."""
        d = self.d
        part, region = self.cand_partnership[idx], self.cand_region[idx]
        load = self.load[self.cand[idx]]
        group_parts, group_regions = self.p.partnership[group], self.p.region[group]
        w, subject = d.weights, d.reviews[self.ri].subject
        met_parts = np.unique(group_parts[group_parts >= 0])
        met_regions = np.unique(group_regions)
        new_partnership = (part >= 0) & ~np.isin(part, met_parts)
        new_region = ~np.isin(region, met_regions)
        own = np.where(part >= 0, part, 0)
        gain = new_partnership * (w["partnership_links"] * ~self.links[own, subject])
        if len(met_parts):
            gain += new_partnership * (
                w["co_member_links"] * (~self.co_members[np.ix_(own, met_parts)]).sum(axis=1)
            )
        gain += new_region * w["diversity"]
        if len(met_regions):
            gain += new_region * (
                w["region_links"] * (~self.region_pairs[np.ix_(region, met_regions)]).sum(axis=1)
            )
        gain += ((part < 0) & (load == 0)) * w["inclusion"]
        gain += self.cand_prefers[idx] * w["preferences"]
        gain -= w["load_sumsq"] * (2 * load + 1)
        return gain.astype(np.int64)

    def _shortfalls(self, group: list[int], idx: np.ndarray) -> np.ndarray:
        """For each of candidates idx: how many members the group with them added still needs
        at least for its minimums of partnerships, regions and members from outside the
        subject's regions (H8, H11, H12)."""
        d = self.d
        parts = self.p.partnership[group]
        met_parts = np.unique(parts[parts >= 0])
        met_regions = np.unique(self.p.region[group])
        outside = int(self.cand_outside[self.seated].sum())
        part, region = self.cand_partnership[idx], self.cand_region[idx]
        new_part = (part >= 0) & ~np.isin(part, met_parts)
        new_region = ~np.isin(region, met_regions)
        return np.maximum.reduce(
            [
                d.min_partnerships - (len(met_parts) + new_part),
                d.min_regions - (len(met_regions) + new_region),
                d.min_outside - (outside + self.cand_outside[idx]),
                np.zeros(len(idx), dtype=np.int64),
            ]
        )

    def _missing(self, group: list[int]) -> int:
        """Members the group still needs at least for its minimums (H8, H11, H12)."""
        d, r = self.d, self.d.reviews[self.ri]
        parts = {p for p in self.p.partnership[group].tolist() if p >= 0}
        regions = set(self.p.region[group].tolist())
        outside = sum(1 for q in group if d.people[q].region not in r.subject_regions)
        return max(d.min_partnerships - len(parts), d.min_regions - len(regions), d.min_outside - outside, 0)

    def _helps(self, group: list[int]) -> np.ndarray:
        """Which candidates bring the group closer to its minimums (a pool mask)."""
        everyone = np.arange(len(self.cand))
        return self._shortfalls(group, everyone) < self._missing(group)

    def _pick(self, group: list[int], pool: np.ndarray | None) -> int | None:
        """The best candidate who fits (an index into self.cand), or None."""
        idx = np.flatnonzero(self._fits(group, pool))
        if not len(idx):
            return None
        scores, _ = self._scores(group, idx)
        return int(idx[int(np.argmax(scores))])

    def _adds_nothing(self, i: int, group: list[int]) -> bool:
        _, adds = self._scores(group, np.array([i]))
        return not bool(adds[0])

    # -- the whole plan ----------------------------------------------------------------------
    def run(self) -> Solution | None:
        d = self.d
        out = Solution([0] * len(d.reviews), [{} for _ in d.reviews])
        order = sorted(
            range(len(d.reviews)),
            key=lambda ri: (len(d.reviews[ri].dates) * len(d.reviews[ri].candidates), ri),
        )
        for ri in order:
            found = self.review(ri)
            if found is None:
                return None
            k, group, functions = found
            self.commit(ri, k, group)
            out.date[ri] = k
            out.members[ri] = {p: functions.get(p) for p in group}
        return out

    def commit(self, ri: int, k: int, group: list[int]) -> None:
        """Review ri is planned on its k-th date with `group`: count it in the plan so far."""
        d, r = self.d, self.d.reviews[ri]
        self.week[r.weeks[k]] += 1
        for p in group:
            self.days[p, self.load[p]] = r.dates[k]
            self.load[p] += 1
        parts = sorted({d.people[p].partnership for p in group if d.people[p].partnership >= 0})
        regions = sorted({d.people[p].region for p in group})
        for a in parts:
            self.partnership_reviews[a] += 1
            self.links[a, r.subject] = True
        for pairs, values in ((self.co_members, parts), (self.region_pairs, regions)):
            for a, b in combinations(values, 2):
                pairs[a, b] = pairs[b, a] = True


def greedy_solution(data: SolverInput, *, marginal: bool = False) -> Solution | None:
    """The greedy solution, or None when the greedy gets stuck (it may break rules).

    marginal=False is the spreadsheet coordinator (the benchmark baseline); marginal=True
    picks whoever raises the objective most given the plan so far (the warm start).
    """
    return greedy_attempt(data, marginal=marginal)[0]


def greedy_attempt(data: SolverInput, *, marginal: bool = False) -> tuple[Solution | None, str | None]:
    """`greedy_solution`, and where it got stuck when it found none (a review and why)."""
    greedy = Greedy(data, marginal)
    solution = greedy.run()
    return solution, None if solution is not None else greedy.stuck


def greedy_plan(
    scenario: Scenario,
    data: SolverInput | None = None,
    *,
    marginal: bool = False,
    calendar: WorkCalendar | None = None,
) -> Plan | None:
    """A complete greedy plan, scored by the evaluator (not necessarily valid: check it)."""
    cal = calendar or WorkCalendar(scenario)
    data = data or compile_scenario(scenario, cal)
    solution = greedy_solution(data, marginal=marginal)
    return None if solution is None else to_plan(scenario, data, solution, cal)[0]
