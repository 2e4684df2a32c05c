"""`repair` at national size by local search, without a CP-SAT model of the whole plan.

The CP-SAT stages of repair.py need the model of every review x candidate pair: at national
size (~200,000 pairs) many seconds to build and over a GiB to search. Here the same goals,
in the same order -- confirmed items kept, fewest moved reviews, then fewest changed
memberships, then fewest changed functions, then the best objective -- are approached in
two steps, within the same deadline:

1. mend, review by review (those that keep their date first): keep every old member who
   still fits, move a review only when its date is no longer possible (to the date most of
   its members can come on, the nearest to the old one on a tie), and seat newcomers only
   for what the group then lacks (a function, a role minimum, its size and its minimums of
   partnerships, regions and members from outside), the best for the objective first;
2. anneal from there (local.LocalSearch) with the disruption in the objective: a moved
   review, a changed membership and a changed function each weigh more than any change of
   the objective a move can make, so no move that changes more is taken, and among plans
   that change as little the objective decides. Confirmed members stay and confirmed
   dates do not move.

Nothing is proven: the stages report what was reached; the objective's bound is the
counting bound (bounds.py), which --gap is measured against.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..analysis.disruption import disruption
from ..calendar import WorkCalendar
from ..errors import NoSolutionError
from ..evaluate import evaluate
from ..plan import Plan
from ..scenario.models import Scenario
from .bounds import upper_bound
from .compile import SolverInput
from .confirmed import Pin, Pinning, carry_confirmed, held, pins_of, why_given_way
from .greedy import Greedy
from .local import LocalSearch
from .repair_result import GaveWay, Repair, Stage
from .result import Method, Result, SolveStatus, Source, Statistics, relative_gap, solver_info
from .solution import Solution, to_plan

# A moved review outweighs any number of changed memberships, a membership any number of
# changed functions, a function any change of the objective one move can make.
W_FUNCTION = 10**6
W_MEMBER = 10**9
W_MOVE = 10**12


@dataclass(frozen=True)
class Old:
    """A review as the previous plan had it, in the integers of the current scenario."""

    day: int | None  # its date (ordinal); None: not in the previous plan
    members: dict[int, int | None]  # person -> function, participants still in the scenario

    def k(self, dates: tuple[int, ...]) -> int | None:
        """Its date as an index into `dates`, or None when that is no longer possible."""
        return dates.index(self.day) if self.day in dates else None


def old_reviews(data: SolverInput, previous: Plan) -> list[Old]:
    person = {p.id: i for i, p in enumerate(data.people)}
    function = {f: i for i, f in enumerate(data.functions)}
    out = []
    for r in data.reviews:
        pr = previous.review.get(r.id)
        if pr is None:
            out.append(Old(None, {}))
            continue
        group: dict[int, int | None] = {}
        for m in pr.members:
            if m.participant in person:
                held = [
                    function[f] for f in m.functions if f in function and function[f] in data.function_counts
                ]
                group[person[m.participant]] = held[0] if held else None
        out.append(Old(pr.date.toordinal(), group))
    return out


class Mender(Greedy):
    """The greedy, seeded with each review's old group: keeps, moves and fills as little as it can."""

    def __init__(self, data: SolverInput, old: list[Old], pinned: set[tuple[int, int]], fixed: set[int]):
        super().__init__(data, marginal=True)
        self.old, self.pinned, self.fixed = old, pinned, fixed

    def run(self) -> Solution | None:
        d = self.d
        out = Solution([0] * len(d.reviews), [{} for _ in d.reviews])

        def order(ri: int) -> tuple[int, int, int]:
            old = self.old[ri]
            kind = 0 if old.k(d.reviews[ri].dates) is not None else 1 if old.day is not None else 2
            return kind, old.day or 0, ri

        for ri in sorted(range(len(d.reviews)), key=order):
            found = self.mend(ri)
            if found is None:
                return None
            k, group, functions = found
            self.commit(ri, k, group)
            out.date[ri] = k
            out.members[ri] = {p: functions.get(p) for p in group}
        return out

    def mend(self, ri: int) -> tuple[int, list[int], dict[int, int]] | None:
        d, r, old = self.d, self.d.reviews[ri], self.old[ri]
        opened = self.open_dates(ri)
        if opened is None:
            return None
        free, cand, room, table = opened
        kept = np.isin(cand, list(old.members)) & room
        pinned = np.isin(cand, [p for p in old.members if (ri, p) in self.pinned]) & room
        stay = old.k(r.dates)
        held = table[pinned].sum(axis=0)  # confirmed members who can come, per date
        if stay in free and (ri in self.fixed or held[stay] == pinned.sum()):
            k = stay  # a confirmed date, or every confirmed member can still come
        elif old.day is not None:
            # To the date most confirmed, then most old members can come on, the nearest on a tie.
            counts = table[kept].sum(axis=0)
            k = max(free, key=lambda k: (int(held[k]), int(counts[k]), -abs(r.dates[k] - (old.day or 0)), -k))
        else:
            counts = table[room].sum(axis=0)
            k = max(free, key=lambda k: (int(counts[k]), -k))
        ok = room & table[:, k]
        if d.min_days_between:
            ok &= ~(np.abs(self.days[cand] - r.dates[k]) < d.min_days_between).any(axis=1)
        self._open(ri, cand[ok])
        at = {p: i for i, p in enumerate(self.cand.tolist())}
        group: list[int] = []
        functions: dict[int, int] = {}
        # The old members who still fit, as many as the group may hold: confirmed ones first,
        # then function holders, then those of a role the group still needs.
        waiting = [p for p in old.members if p in at]
        while waiting and len(group) < r.size_max:

            def rank(p: int) -> tuple[bool, bool, bool, int]:
                role = d.people[p].role
                needed = int((self.p.role[group] == role).sum()) < d.composition.get(role, (0, None))[0]
                return (ri, p) not in self.pinned, old.members[p] is None, not needed, p

            p = min(waiting, key=rank)
            waiting.remove(p)
            if self._fits(group, None)[at[p]]:
                self._seat(at[p], group)
                f = old.members[p]
                if f is not None and f in d.people[p].functions:
                    functions[p] = f
        for f, n in sorted(d.function_counts.items()):
            while sum(1 for g in functions.values() if g == f) < n:
                # A member already in the group takes it over before anyone new comes in.
                spare = [q for q in group if q not in functions and f in d.people[q].functions]
                if spare:
                    functions[min(spare)] = f
                    continue
                i = self._pick(group, self.p.functions[self.cand, f])
                if i is None:
                    self.stuck = self._short(ri, k, f"who can be {d.functions[f]}")
                    return None
                functions[self._seat(i, group)] = f
        for role, (lo, _hi) in sorted(d.composition.items()):
            while int((self.p.role[group] == role).sum()) < lo:
                i = self._pick(group, self.cand_role == role)
                if i is None:
                    self.stuck = self._short(ri, k, d.roles[role])
                    return None
                self._seat(i, group)
        while len(group) < r.size_min or self._missing(group):
            if len(group) >= r.size_max:
                self.stuck = (
                    f"{r.id}: its group is full but lacks partnerships, regions or members from outside"
                )
                return None
            i = self._pick(group, self._helps(group) if self._missing(group) else None)
            if i is None:
                self.stuck = self._short(ri, k, "member")
                return None
            self._seat(i, group)
        return k, group, functions


class RepairSearch(LocalSearch):
    """Local search whose objective puts the disruption against the previous plan first."""

    def __init__(
        self,
        data: SolverInput,
        start: Solution,
        seed: int,
        old: list[Old],
        pinned: set[tuple[int, int]],
        fixed: set[int],
    ):
        self.old_members = [set(o.members) for o in old]
        self.old_holder = [{f: p for p, f in o.members.items() if f is not None} for o in old]
        self.old_k = [o.k(r.dates) for o, r in zip(old, data.reviews, strict=True)]
        self.in_old = [o.day is not None for o in old]
        self.pinned, self.fixed = pinned, fixed
        super().__init__(data, start, seed)
        self.value -= self.disruption(self.solution)
        self.best, self.best_value = self.solution.copy(), self.value

    def best_objective(self) -> int:
        """The scenario's objective of the best plan so far (its value without the disruption)."""
        return self.best_value + self.disruption(self.best)

    def disruption(self, solution: Solution) -> int:
        """Moved reviews, changed memberships and changed functions, weighted (SPEC 5)."""
        total = 0
        for ri, members in enumerate(solution.members):
            if self.in_old[ri] and solution.date[ri] != self.old_k[ri]:
                total += W_MOVE
            total += W_MEMBER * len(self.old_members[ri] ^ set(members))
            holders = {f: p for p, f in members.items() if f is not None}
            for f in holders.keys() | self.old_holder[ri].keys():
                total += W_FUNCTION * (holders.get(f) != self.old_holder[ri].get(f))
        return total

    def gain_add(self, ri: int, p: int) -> int:
        return super().gain_add(ri, p) + (W_MEMBER if p in self.old_members[ri] else -W_MEMBER)

    def gain_remove(self, ri: int, p: int) -> int:
        return super().gain_remove(ri, p) + (-W_MEMBER if p in self.old_members[ri] else W_MEMBER)

    def removable(self, ri: int, p: int) -> bool:
        return (ri, p) not in self.pinned

    def gain_handover(self, ri: int, f: int, old: int, new: int) -> int:
        before = self.old_holder[ri].get(f)
        return W_FUNCTION * ((old != before) - (new != before))

    def gain_date(self, ri: int, old: int, new: int) -> int | None:
        if ri in self.fixed:
            return None
        if not self.in_old[ri]:
            return 0
        at = self.old_k[ri]
        return W_MOVE * ((old != at) - (new != at))


def mender_of(data: SolverInput, previous: Plan, pins: list[Pin]) -> Mender:
    """The mend of step 1 for `previous` and its confirmed items (`run()` makes the plan)."""
    old = old_reviews(data, previous)
    index = {r.id: i for i, r in enumerate(data.reviews)}
    person = {p.id: i for i, p in enumerate(data.people)}
    pinned = {
        (index[pin.review], person[pin.participant])
        for pin in pins
        if pin.kind == "member" and pin.review in index and pin.participant in person
    }
    fixed = {index[pin.review] for pin in pins if pin.kind == "date" and pin.review in index}
    return Mender(data, old, pinned, fixed)


def repair_locally(
    data: SolverInput,
    previous: Plan,
    pins: list[Pin],
    *,
    seed: int,
    until: float,
    steps: int | None = None,
    within: Callable[[int], bool] | None = None,
) -> tuple[Solution | None, str | None, int]:
    """The repaired solution (None: the mend got stuck, and why), and the search steps made.

    `until` (time.perf_counter()) ends the search; with `steps` (reproducible runs) it ends
    after that many steps, `until` then being only the backstop. `within(objective)`: the
    search also ends once it says the best plan's objective is good enough (--gap).
    """
    mender = mender_of(data, previous, pins)
    old, pinned, fixed = mender.old, mender.pinned, mender.fixed
    start = mender.run()
    if start is None:
        return None, mender.stuck, 0
    # Keep only the pins the mended plan could keep: the search does not undo them.
    pinned = {(ri, p) for ri, p in pinned if p in start.members[ri]}
    fixed = {ri for ri in fixed if start.date[ri] == old[ri].k(data.reviews[ri].dates)}
    search = RepairSearch(data, start, seed, old, pinned, fixed)
    stop = None if within is None else lambda: within(search.best_objective())
    if stop is not None and stop():
        steps = 0  # the mended plan is already good enough
    if steps is None and time.perf_counter() < until:
        search.run(until, stop=stop)
    elif steps:
        search.run(until, steps=steps, stop=stop)
    return search.best, None, search.iterations


def local_repair(
    scenario: Scenario,
    previous: Plan,
    data: SolverInput,
    cal: WorkCalendar,
    *,
    start: float,
    until: float,
    seed: int,
    reproducible: bool,
    steps_per_second: int,
    gap: float | None = None,
) -> Repair:
    """`repair.repair` for a national-size scenario: mend, then anneal until `until`, or
    until the objective is within `gap` of the counting bound."""
    pins = pins_of(previous)
    counted = upper_bound(data)
    within = None if not gap else lambda objective: (relative_gap(objective, counted) or 0.0) <= gap
    seconds = max(0.0, until - time.perf_counter())
    steps = int(seconds * steps_per_second) if reproducible else None
    backstop = time.perf_counter() + (2 * seconds + 5 if reproducible else seconds)
    began = time.perf_counter()
    solution, stuck, made = repair_locally(
        data, previous, pins, seed=seed, until=backstop, steps=steps, within=within
    )
    if solution is None:
        raise NoSolutionError(
            f"no repaired plan found: keeping what still fits and filling the gaps got stuck ({stuck}); "
            "a scenario of this size is repaired without a whole-plan model. Relax the rule this "
            "points at, or plan again with `opr-planner solve`"
        )
    plan, after = to_plan(scenario, data, solution, cal)
    if not after.ok:  # never expected: the mend and the search keep every rule they know
        raise NoSolutionError(
            "no repaired plan found: the plan kept and mended still breaks "
            + ", ".join(after.rule_ids)
            + "; plan again with `opr-planner solve`"
        )
    before = evaluate(scenario, previous, cal)
    pinning = Pinning(pins)
    gave_way = tuple(
        GaveWay(pin, pin.describe(scenario), why_given_way(pin, scenario, pinning, before))
        for pin in pins
        if not held(pin, previous, plan)
    )
    plan = carry_confirmed(previous, plan, {g.pin for g in gave_way})
    after = evaluate(scenario, plan, cal)
    change = disruption(previous, plan, scenario)
    spent = time.perf_counter() - began
    stages = (
        Stage("moved_reviews", "min", change.moved_reviews, None, False, spent),
        Stage("changed_memberships", "min", change.changed_memberships, None, False, 0.0),
        Stage("changed_functions", "min", change.changed_functions, None, False, 0.0),
        Stage("objective", "max", after.objective, None, False, 0.0),
    )
    seconds = time.perf_counter() - start
    bound = max(counted, after.objective)
    info = solver_info(SolveStatus.FEASIBLE, after.objective, bound, seconds, seed, 1)
    plan = plan.model_copy(update={"solver": info})
    statistics = Statistics(
        Method.LOCAL_SEARCH,
        Source.LOCAL_SEARCH,
        candidates=data.pairs,
        local_search_steps=made,
    )
    result = Result(SolveStatus.FEASIBLE, plan, after.objective, bound, seconds, seed, 1, statistics)
    return Repair(result, stages, gave_way, change, before, after)
