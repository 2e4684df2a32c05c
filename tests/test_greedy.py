"""The greedy on arrays (solver/greedy.py) makes the same plan, seat for seat, as the
greedy it replaced: one Python question per candidate and seat, kept here as the oracle
(with the marginal greedy's stop fixed as in issue #14: it reads the gain, not -p)."""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opr_planner.scenario.generate import generate
from opr_planner.scenario.load import scenario_from_data
from opr_planner.solver.attendance import dates_of
from opr_planner.solver.compile import SolverInput, compile_scenario
from opr_planner.solver.greedy import greedy_solution
from opr_planner.solver.solution import Solution


class ReferenceGreedy:
    def __init__(self, data: SolverInput, marginal: bool = False):
        self.d = data
        self.marginal = marginal
        # Pairs already met anywhere in the plan (for the marginal-gain variant).
        self.links: set[tuple[int, int]] = set()
        self.co_members: set[tuple[int, int]] = set()
        self.region_pairs: set[tuple[int, int]] = set()
        self.load = Counter[int]()
        self.days: dict[int, list[int]] = {}  # person -> review dates (ordinals)
        self.week = Counter[tuple[int, int]]()
        self.partnership_reviews = Counter[int]()

    def fits(self, p: int, ri: int, k: int, group: list[int]) -> bool:
        """Can p join review ri's group on its k-th date (given the group so far)?"""
        d, person, r = self.d, self.d.people[p], self.d.reviews[ri]
        if p in group or not r.available[p] >> k & 1 or self.load[p] >= person.max_reviews:
            return False
        day = r.dates[k]
        if d.min_days_between and any(
            abs(day - other) < d.min_days_between for other in self.days.get(p, [])
        ):
            return False
        if any(q in person.avoid for q in group):
            return False
        same_partnership = sum(1 for q in group if d.people[q].partnership == person.partnership)
        if d.max_per_partnership and person.partnership >= 0 and same_partnership >= d.max_per_partnership:
            return False
        same_org = sum(1 for q in group if d.people[q].organisation == person.organisation)
        if d.max_per_organisation and person.organisation >= 0 and same_org >= d.max_per_organisation:
            return False
        hi = d.composition.get(person.role, (0, None))[1]
        return not (hi is not None and sum(1 for q in group if d.people[q].role == person.role) >= hi)

    def gain(self, p: int, ri: int, group: list[int]) -> int:
        """How much adding p to the group raises the objective (SPEC 4), given the plan so far."""
        d, person, r, w = self.d, self.d.people[p], self.d.reviews[ri], self.d.weights
        parts = {d.people[q].partnership for q in group if d.people[q].partnership >= 0}
        regions = {d.people[q].region for q in group}
        a, g = person.partnership, person.region
        total = 0
        if a >= 0 and a not in parts:
            total += w["partnership_links"] * ((a, r.subject) not in self.links)
            total += w["co_member_links"] * sum(
                1 for b in parts if (min(a, b), max(a, b)) not in self.co_members
            )
        if g not in regions:
            total += w["diversity"]
            total += w["region_links"] * sum(
                1 for h in regions if (min(g, h), max(g, h)) not in self.region_pairs
            )
        if a < 0 and self.load[p] == 0:
            total += w["inclusion"]
        total += w["preferences"] * (r.subject in person.prefer)
        total -= w["load_sumsq"] * (2 * self.load[p] + 1)
        return total

    def score(self, p: int, ri: int, group: list[int]) -> tuple:
        """Higher is better: new partnership, new region, outside the subject's regions."""
        d, person, r = self.d, self.d.people[p], self.d.reviews[ri]
        if self.marginal:
            need = self.partnership_reviews[person.partnership] < d.min_reviews_per_partnership
            return (
                self.gain(p, ri, group) + (50 if need and person.partnership >= 0 else 0),
                -self.load[p],
                -p,
            )
        parts = {d.people[q].partnership for q in group}
        regions = {d.people[q].region for q in group}
        need_partnership = self.partnership_reviews[person.partnership] < d.min_reviews_per_partnership
        return (
            person.partnership >= 0 and person.partnership not in parts,
            need_partnership,
            person.region not in regions,
            person.region not in r.subject_regions,
            person.partnership < 0,
            r.subject in person.prefer,
            -self.load[p],
            -p,
        )

    def pick(self, ri: int, k: int, group: list[int], pool: list[int]) -> int | None:
        options = [p for p in pool if self.fits(p, ri, k, group)]
        return max(options, key=lambda p: self.score(p, ri, group)) if options else None

    def review(self, ri: int) -> tuple[int, list[int], dict[int, int]] | None:
        d, r = self.d, self.d.reviews[ri]
        if not r.dates:
            return None
        free = [
            k for k in range(len(r.dates)) if not d.max_per_week or self.week[r.weeks[k]] < d.max_per_week
        ]
        if not free:
            return None
        # People without date limits share one set of dates: count per distinct set.
        sets = Counter(r.available[p] for p in r.candidates if self.load[p] < d.people[p].max_reviews)
        count = Counter[int]()
        for dates, n in sets.items():
            for k in dates_of(dates):
                count[k] += n
        k = max(free, key=lambda k: (count[k], -k))
        group: list[int] = []
        functions: dict[int, int] = {}
        for f, n in sorted(d.function_counts.items()):
            for _ in range(n):
                p = self.pick(ri, k, group, [p for p in r.candidates if f in d.people[p].functions])
                if p is None:
                    return None
                group.append(p)
                functions[p] = f
        for role, (lo, _hi) in sorted(d.composition.items()):
            while sum(1 for q in group if d.people[q].role == role) < lo:
                p = self.pick(ri, k, group, [p for p in r.candidates if d.people[p].role == role])
                if p is None:
                    return None
                group.append(p)
        while len(group) < r.size_max:
            pool = list(r.candidates)
            if self.marginal and self.missing(ri, group) >= r.size_max - len(group):
                # Only as many seats left as the minimums need: fill them with who helps.
                pool = [q for q in pool if self.missing(ri, [*group, q]) < self.missing(ri, group)]
            p = self.pick(ri, k, group, pool)
            if p is None:
                break
            if len(group) >= r.size_min and not self.adds(p, ri, group):
                break  # a coordinator stops once the group gains nothing more
            group.append(p)
        return k, group, functions

    def adds(self, p: int, ri: int, group: list[int]) -> bool:
        """Worth a seat beyond the minimum size? The marginal greedy: when it raises the
        objective, brings a partnership that still needs reviews (H18) or a minimum (H8,
        H11, H12) calls for more; the spreadsheet coordinator: a new partnership or region."""
        d, a = self.d, self.d.people[p].partnership
        if self.marginal:
            needed = a >= 0 and self.partnership_reviews[a] < d.min_reviews_per_partnership
            needed = needed and all(d.people[q].partnership != a for q in group)
            return self.gain(p, ri, group) > 0 or needed or self.missing(ri, group) > 0
        key = self.score(p, ri, group)
        return bool(key[0] or key[2])

    def missing(self, ri: int, group: list[int]) -> int:
        d, r = self.d, self.d.reviews[ri]
        people = [d.people[q] for q in group]
        return max(
            d.min_partnerships - len({q.partnership for q in people if q.partnership >= 0}),
            d.min_regions - len({q.region for q in people}),
            d.min_outside - sum(1 for q in people if q.region not in r.subject_regions),
            0,
        )

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
            r = d.reviews[ri]
            self.week[r.weeks[k]] += 1
            for p in group:
                self.load[p] += 1
                self.days.setdefault(p, []).append(r.dates[k])
            parts = sorted({d.people[p].partnership for p in group if d.people[p].partnership >= 0})
            regions = sorted({d.people[p].region for p in group})
            for a in parts:
                self.partnership_reviews[a] += 1
                self.links.add((a, r.subject))
            self.co_members.update(combinations(parts, 2))
            self.region_pairs.update(combinations(regions, 2))
            out.date[ri] = k
            out.members[ri] = {p: functions.get(p) for p in group}
        return out


def scenario_of(seed: int, busy: bool, size: int) -> object:
    return scenario_from_data(
        generate(
            partnerships=3 + size,
            regions=4 + size,
            participants_per_partnership=8 + 3 * size,
            unaffiliated=2 + size,
            reviews_per_partnership=1 + seed % 2,
            seed=seed,
            calendars="busy" if busy else "light",
        )
    )


def same(a: Solution | None, b: Solution | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.date == b.date and [list(m.items()) for m in a.members] == [list(m.items()) for m in b.members]


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 10_000), busy=st.booleans(), size=st.integers(0, 5), marginal=st.booleans())
def test_the_array_greedy_seats_whom_the_reference_seats(
    seed: int, busy: bool, size: int, marginal: bool
) -> None:
    data = compile_scenario(scenario_of(seed, busy, size))
    assert same(greedy_solution(data, marginal=marginal), ReferenceGreedy(data, marginal).run())


@pytest.mark.parametrize("marginal", [False, True])
def test_the_same_plan_on_a_region_of_busy_calendars(marginal: bool) -> None:
    data = compile_scenario(scenario_of(11, True, 6))
    found = greedy_solution(data, marginal=marginal)
    assert found is not None and same(found, ReferenceGreedy(data, marginal).run())
