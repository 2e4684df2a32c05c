"""A complete plan in integers (what local search changes), and its objective.

The evaluator (evaluate.py) stays the reference for rules and metrics; `score` is the
same objective computed from indices, fast enough to compare plans inside a search.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations

from .compile import SolverInput
from .greedy import Assignment


@dataclass
class Groups:
    """A complete plan in integers: per review, its date index and member -> function."""

    date: list[int]
    members: list[dict[int, int | None]]

    def copy(self) -> Groups:
        return Groups(list(self.date), [dict(m) for m in self.members])


def from_assignment(data: SolverInput, assignment: Assignment) -> Groups:
    person = {p.id: i for i, p in enumerate(data.people)}
    function = {f: i for i, f in enumerate(data.functions)}
    dates, members = [], []
    for r in data.reviews:
        day, group = assignment[r.id]
        dates.append(r.dates.index(day.toordinal()))
        members.append({person[pid]: (function[fs[0]] if fs else None) for pid, fs in group})
    return Groups(dates, members)


def to_assignment(data: SolverInput, groups: Groups) -> Assignment:
    out: Assignment = {}
    for ri, r in enumerate(data.reviews):
        members = [
            (data.people[p].id, [] if f is None else [data.functions[f]])
            for p, f in sorted(groups.members[ri].items())
        ]
        out[r.id] = (SolverInput.day(r.dates[groups.date[ri]]), members)
    return out


def score(data: SolverInput, groups: Groups) -> int:
    """The objective of SPEC 4, from integers (the evaluator remains the reference)."""
    people, w = data.people, data.weights
    links, co, regions, included = set(), set(), set(), set()
    load: Counter[int] = Counter()
    diversity = preferences = 0
    for ri, r in enumerate(data.reviews):
        group = groups.members[ri]
        parts = sorted({people[p].partnership for p in group if people[p].partnership >= 0})
        regs = sorted({people[p].region for p in group})
        links.update((a, r.subject) for a in parts if a != r.subject)
        co.update(combinations(parts, 2))
        regions.update(combinations(regs, 2))
        included.update(p for p in group if people[p].partnership < 0)
        diversity += len(regs)
        preferences += sum(1 for p in group if r.subject in people[p].prefer)
        load.update(list(group))
    return (
        w["partnership_links"] * len(links)
        + w["co_member_links"] * len(co)
        + w["region_links"] * len(regions)
        + w["inclusion"] * len(included)
        + w["diversity"] * diversity
        + w["preferences"] * preferences
        - w["load_sumsq"] * sum(n * n for n in load.values())
    )
