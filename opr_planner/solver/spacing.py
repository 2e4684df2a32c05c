"""H15 in the CP-SAT model: two reviews that share a member are at least
min_days_between_reviews apart.

One clause per (pair of reviews that can be close, shared candidate). On large scenarios
that is millions of clauses, so the model is then built *lazily*: no clauses up front, and
`add_spacing_cuts` adds those that a solution broke (cpsat.search_model re-solves until
none is broken, so the result is still exact).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from .solution import Solution

if TYPE_CHECKING:
    from .model import PlanModel


def add_spacing(model: PlanModel) -> None:
    """The day variables, the pairs of reviews that can be close, and (unless lazy) their clauses."""
    d, m = model.data, model.m
    k = d.min_days_between
    model.far = {}
    model.spacing_pairs = {}
    model.lazy_spacing = False
    if not k:
        return  # the rule is off (SPEC 2: 0 or null)
    model.day = []
    for ri, r in enumerate(d.reviews):
        if r.dates:
            day = m.new_int_var_from_domain(cp_model.Domain.from_values(r.dates), f"day_{r.id}")
            m.add(day == sum(v * y for v, y in zip(r.dates, model.y[ri])))
            model._derive(day, _chosen([(y.index, v) for v, y in zip(r.dates, model.y[ri])], r.dates[0]))
        else:
            day = m.new_int_var(0, 0, f"day_{r.id}")
        model.day.append(day)
    for r1, r2 in combinations(range(len(d.reviews)), 2):
        a, b = d.reviews[r1], d.reviews[r2]
        shared = [p for p in sorted(set(model.x[r1]) & set(model.x[r2])) if d.people[p].max_reviews >= 2]
        if not shared or not a.dates or not b.dates:
            continue
        if min(a.dates) - max(b.dates) >= k or max(a.dates) - min(b.dates) <= -k:
            continue  # never closer than k days
        model.spacing_pairs[(r1, r2)] = shared
    size = sum(len(v) for v in model.spacing_pairs.values())
    model.lazy_spacing = model.lazy if model.lazy is not None else size > model.tuning.lazy_spacing_clauses
    if not model.lazy_spacing:
        for (r1, r2), shared in model.spacing_pairs.items():
            add_spacing_cuts(model, r1, r2, shared)


def broken_spacing(model: PlanModel, solution: Solution) -> list[tuple[int, int, list[int]]]:
    """(review, review, people) whose spacing a solution breaks (for lazy H15)."""
    d, k = model.data, model.data.min_days_between
    out = []
    for (r1, r2), shared in model.spacing_pairs.items():
        day1 = d.reviews[r1].dates[solution.date[r1]]
        day2 = d.reviews[r2].dates[solution.date[r2]]
        if abs(day1 - day2) < k:
            one, two = solution.members[r1], solution.members[r2]
            if any(p in one and p in two for p in shared):
                out.append((r1, r2, shared))
    return out


def add_spacing_cuts(model: PlanModel, r1: int, r2: int, people: list[int]) -> None:
    """Forbid `people` to be in both reviews unless their dates are far enough apart."""
    d, m, k = model.data, model.m, model.data.min_days_between
    a, b = d.reviews[r1], d.reviews[r2]
    g = model._guard("H15", None, f"{a.id}|{b.id}")
    lo, hi = min(a.dates) - max(b.dates), max(a.dates) - min(b.dates)
    if not (hi >= k or lo <= -k):  # always close: never share a member
        for p in people:
            m.add_bool_or([model.x[r1][p].Not(), model.x[r2][p].Not()]).only_enforce_if(g)
        return
    far = model.far.get((r1, r2))
    if far is None:
        far = m.new_bool_var(f"far_{a.id}_{b.id}")
        after = m.new_bool_var(f"after_{a.id}_{b.id}")
        m.add(model.day[r1] - model.day[r2] >= k).only_enforce_if([far, after])
        m.add(model.day[r2] - model.day[r1] >= k).only_enforce_if([far, after.Not()])
        i1, i2 = model.day[r1].index, model.day[r2].index
        model._derive(far, lambda v: int(abs(v[i1] - v[i2]) >= k))
        model._derive(after, lambda v: int(v[i1] - v[i2] >= k))
        model.far[(r1, r2)] = far
    for p in people:
        m.add_bool_or([model.x[r1][p].Not(), model.x[r2][p].Not(), far]).only_enforce_if(g)


def _chosen(pairs: list[tuple[int, int]], default: int) -> Callable[[dict[int, int]], int]:
    """The value paired with the first set variable (by index) in a hint, else `default`."""
    return lambda v: next((d for i, d in pairs if v.get(i)), default)
