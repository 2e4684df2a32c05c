"""Interchangeable participants: who they are, and the order the model makes them join in.

Two participants are interchangeable when everything the rules and the objective see of
them is the same (role, partnership, region, organisation, functions, load limit,
preferences, the dates they can attend per review) and neither avoids anyone. Any plan
can be rewritten, by swapping such people, into one where they are used in a fixed
order; the model requires that order, which removes equivalent plans from the search.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise
from typing import TYPE_CHECKING

from .compile import SolverInput
from .solution import Solution

if TYPE_CHECKING:
    from .model import PlanModel

# Up to this many reviews, the order is lexicographic on who is in which review (a
# weighted sum with powers of two); above it only on the number of reviews (the load).
LEXICOGRAPHIC_REVIEWS = 30


def symmetry_classes(data: SolverInput) -> list[list[int]]:
    """Groups of interchangeable participants (person indices, ascending), each of two or more."""
    classes: dict[tuple, list[int]] = defaultdict(list)
    for p, person in enumerate(data.people):
        if person.avoid:
            continue
        pattern = tuple(r.available[p] for r in data.reviews)  # 0: not a candidate
        if not any(pattern):
            continue
        key = (
            person.role,
            person.partnership,
            person.region,
            person.organisation,
            person.functions,
            person.max_reviews,
            person.prefer,
            pattern,
        )
        classes[key].append(p)
    return [members for members in classes.values() if len(members) > 1]


def add_symmetry(model: PlanModel) -> None:
    """Within each class, an earlier participant is used at least as much as a later one."""
    model.ordered = True
    n = len(model.data.reviews)
    for members in symmetry_classes(model.data):
        for p, q in pairwise(members):
            if n <= LEXICOGRAPHIC_REVIEWS:
                weight = [1 << (n - 1 - ri) for ri in range(n)]
                vp = sum(w * model.x[ri][p] for ri, w in enumerate(weight) if p in model.x[ri])
                vq = sum(w * model.x[ri][q] for ri, w in enumerate(weight) if q in model.x[ri])
                model.m.add(vp >= vq)
            else:
                model.m.add(model.load[p] >= model.load[q])


def canonical(data: SolverInput, solution: Solution) -> Solution:
    """The same plan with interchangeable participants swapped into the model's order, so
    that a complete hint is a solution of the model (not cut off by `add_symmetry`)."""
    n = len(data.reviews)
    out = solution.copy()
    for members in symmetry_classes(data):
        # Each person's share of the plan (review -> function) moves whole to another person.
        shares = [{ri: out.members[ri].pop(p) for ri in range(n) if p in out.members[ri]} for p in members]
        if n <= LEXICOGRAPHIC_REVIEWS:
            shares.sort(key=lambda share: [ri in share for ri in range(n)], reverse=True)
        else:
            shares.sort(key=len, reverse=True)
        for p, share in zip(members, shares):
            for ri, f in share.items():
                out.members[ri][p] = f
    return out
