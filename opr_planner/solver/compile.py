"""Scenario -> SolverInput: the one place where dates, ids and names become integers.

Candidate pruning happens here too: a participant is a candidate for a review only if
they are independent of its subject (H5), may take part at all (H14) and can attend on
at least one of the review's possible dates (H2, H13). Who can attend when is worked out
on arrays (attendance.py): people x days, then per review people x dates.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

import numpy as np

from ..calendar import WorkCalendar
from ..scenario.models import METRICS, Scenario
from .attendance import Attendance, ReviewDates, day_axis, masks


@dataclass(frozen=True)
class PersonInput:
    id: str
    role: int
    partnership: int  # -1: none
    region: int
    organisation: int  # -1: none
    functions: frozenset[int]
    max_reviews: int
    avoid: frozenset[int]
    prefer: frozenset[int]  # partnership indices


@dataclass(frozen=True)
class ReviewInput:
    id: str
    subject: int
    dates: tuple[int, ...]  # day numbers (date.toordinal()) of possible review dates
    weeks: tuple[tuple[int, int], ...]  # ISO (year, week) of each date
    size_min: int
    size_max: int
    candidates: tuple[int, ...]  # person indices
    # Per person (index): a bitmask of the indices into `dates` they can attend (bit k:
    # dates[k]; attendance.can), 0 for everyone who is not a candidate.
    available: tuple[int, ...]
    subject_regions: frozenset[int]


@dataclass(frozen=True)
class SolverInput:
    """Everything the CP-SAT model needs, as integers. Built by `compile_scenario`."""

    people: tuple[PersonInput, ...]
    reviews: tuple[ReviewInput, ...]
    roles: tuple[str, ...]
    partnerships: tuple[str, ...]
    regions: tuple[str, ...]
    functions: tuple[str, ...]
    composition: dict[int, tuple[int, int | None]]  # role -> (min, max)
    function_counts: dict[int, int]  # function -> exact count (only those switched on)
    min_partnerships: int
    max_per_partnership: int
    max_per_organisation: int
    min_regions: int
    min_outside: int
    min_days_between: int
    max_per_week: int
    min_reviews_per_partnership: int
    weights: dict[str, int]
    active_partnerships: tuple[int, ...]  # partnerships that have participants (H18)
    excluded: dict[int, dict[int, str]] = field(default_factory=dict)  # review -> person -> why

    @functools.cached_property
    def pairs(self) -> int:
        """(review, candidate) pairs: the size that decides how a plan is searched (Tuning)."""
        return sum(len(r.candidates) for r in self.reviews)

    @staticmethod
    def day(ordinal: int) -> dt.date:
        return dt.date.fromordinal(ordinal)


def compile_scenario(scenario: Scenario, calendar: WorkCalendar | None = None) -> SolverInput:
    cal = calendar or WorkCalendar(scenario)
    s = scenario
    roles = tuple(s.role_ids)
    partnerships = tuple(p.id for p in s.partnerships)
    regions = tuple(r.id for r in s.regions)
    functions = tuple(sorted({f for p in s.participants for f in p.functions} | set(s.rules.functions)))
    organisations = sorted(
        {p.organisation.strip() for p in s.participants if p.organisation and p.organisation.strip()}
    )
    idx = {
        name: {v: i for i, v in enumerate(vals)}
        for name, vals in (
            ("role", roles),
            ("part", partnerships),
            ("region", regions),
            ("func", functions),
            ("org", organisations),
        )
    }
    person_index = {p.id: i for i, p in enumerate(s.participants)}

    people = []
    for p in s.participants:
        limit = s.max_reviews_of(p)
        org = p.organisation.strip() if p.organisation else ""
        people.append(
            PersonInput(
                id=p.id,
                role=idx["role"][p.role],
                partnership=idx["part"][p.partnership] if p.partnership else -1,
                region=idx["region"][p.region],
                organisation=idx["org"][org] if org else -1,
                functions=frozenset(idx["func"][f] for f in p.functions),
                max_reviews=len(s.reviews) if limit is None else min(limit, len(s.reviews)),
                avoid=frozenset(person_index[a] for a in p.avoid if a in person_index),
                prefer=frozenset(idx["part"][x] for x in p.prefer_subjects),
            )
        )
    # avoid is symmetric (H16: either direction)
    sym: dict[int, set[int]] = {i: set(pi.avoid) for i, pi in enumerate(people)}
    for i, pi in enumerate(people):
        for j in pi.avoid:
            sym[j].add(i)
    people = [PersonInput(**{**pi.__dict__, "avoid": frozenset(sym[i])}) for i, pi in enumerate(people)]

    n = len(people)
    part = np.array([pi.partnership for pi in people], dtype=np.int64)
    able = np.array([pi.max_reviews > 0 for pi in people], dtype=bool)
    conflicted = np.zeros((n, max(len(partnerships), 1)), dtype=bool)
    for i, p in enumerate(s.participants):
        for c in p.conflicts:
            if c in idx["part"]:
                conflicted[i, idx["part"][c]] = True
    axis = day_axis(s)
    attendance = Attendance(s, axis)
    possible = ReviewDates(s, cal, axis)
    reviews = []
    excluded: dict[int, dict[int, str]] = {}
    # R x N entries at national size (3.3 million for 320 reviews of 10,320 people): the
    # same int objects for every review's person indices, and one object per distinct
    # availability mask within a review (most people share one), instead of a new object
    # per entry (250 MiB of national-4x's 500; benchmarks/memory.py).
    index = list(range(n))
    for r_index, r in enumerate(s.reviews):
        dates = possible.of(r)
        size = s.group_size_of(r)
        subject = idx["part"][r.subject]
        offsets = sorted({x.offset_days for x in s.sessions_of(r)})
        table = attendance.on(dates, offsets)  # dates x people
        some = table.any(axis=0)
        own, conflict = part == subject, conflicted[:, subject]
        chosen = ~own & ~conflict & able & some
        candidates = [index[i] for i in np.flatnonzero(chosen).tolist()]
        why: dict[int, str] = {}
        for reason, rows in (
            ("belongs to the subject", own),
            ("declared a conflict with the subject", conflict & ~own),
            ("max_reviews is 0", ~able & ~own & ~conflict),
            ("unavailable on every possible date", ~some & able & ~own & ~conflict),
        ):
            for i in np.flatnonzero(rows).tolist():
                why[i] = reason
        excluded[r_index] = dict(sorted(why.items()))
        shared: dict[int, int] = {}
        available = [0] * n
        for i, m in zip(candidates, masks(table[:, chosen]), strict=True):
            available[i] = shared.setdefault(m, m)
        reviews.append(
            ReviewInput(
                id=r.id,
                subject=subject,
                dates=tuple(d.toordinal() for d in dates),
                weeks=tuple((d.isocalendar().year, d.isocalendar().week) for d in dates),
                size_min=size.lo,
                size_max=size.hi if size.hi is not None else len(candidates),
                candidates=tuple(candidates),
                available=tuple(available),
                subject_regions=frozenset(idx["region"][g] for g in s.subject_regions(r)),
            )
        )

    rules = s.rules
    return SolverInput(
        people=tuple(people),
        reviews=tuple(reviews),
        roles=roles,
        partnerships=partnerships,
        regions=regions,
        functions=functions,
        composition={idx["role"][k]: (b.lo, b.hi) for k, b in sorted(rules.composition.items())},
        function_counts={idx["func"][f]: k for f, k in sorted(rules.functions.items()) if k},
        min_partnerships=rules.on("min_partnerships"),
        max_per_partnership=rules.on("max_per_partnership"),
        max_per_organisation=rules.on("max_per_organisation"),
        min_regions=rules.on("min_regions"),
        min_outside=rules.on("min_outside_subject_regions"),
        min_days_between=rules.on("min_days_between_reviews"),
        max_per_week=rules.on("max_reviews_per_week"),
        min_reviews_per_partnership=rules.on("min_reviews_per_partnership"),
        weights={m: getattr(s.objectives, m) for m in METRICS},
        active_partnerships=tuple(
            sorted({people[i].partnership for i in range(len(people)) if people[i].partnership >= 0})
        ),
        excluded=excluded,
    )
