"""Scenario -> SolverInput: the one place where dates, ids and names become integers.

Candidate pruning happens here too: a participant is a candidate for a review only if
they are independent of its subject (H5), may take part at all (H14) and can attend on
at least one of the review's possible dates (H2, H13).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..calendar import WorkCalendar, weekday_name
from ..scenario.models import METRICS, Participant, Review, Scenario


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
    available: dict[int, frozenset[int]]  # person -> indices into `dates` they can attend
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

    reviews = []
    excluded: dict[int, dict[int, str]] = {}
    for r_index, r in enumerate(s.reviews):
        dates = cal.candidate_dates(r)
        size = s.group_size_of(r)
        subject = idx["part"][r.subject]
        attend = _Attendance(s, r, dates)
        candidates = []
        available: dict[int, frozenset[int]] = {}
        why: dict[int, str] = {}
        for i, p in enumerate(s.participants):
            if p.partnership == r.subject:
                why[i] = "belongs to the subject"
                continue
            if r.subject in p.conflicts:
                why[i] = "declared a conflict with the subject"
                continue
            if people[i].max_reviews <= 0:
                why[i] = "max_reviews is 0"
                continue
            ok = attend.dates_for(p)
            if not ok:
                why[i] = "unavailable on every possible date"
                continue
            candidates.append(i)
            available[i] = ok
        excluded[r_index] = why
        reviews.append(
            ReviewInput(
                id=r.id,
                subject=subject,
                dates=tuple(d.toordinal() for d in dates),
                weeks=tuple((d.isocalendar().year, d.isocalendar().week) for d in dates),
                size_min=size.lo,
                size_max=size.hi if size.hi is not None else len(candidates),
                candidates=tuple(candidates),
                available=available,
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


class _Attendance:
    """Which of a review's possible dates each participant can attend (SPEC 2.3), fast.

    Instead of testing every date, a participant's unavailable days are shifted by each
    session offset into the review dates they rule out.
    """

    def __init__(self, scenario: Scenario, review: Review, dates: list[dt.date]):
        self.offsets = sorted({x.offset_days for x in scenario.sessions_of(review)})
        self.dates = dates
        self.index = {d: k for k, d in enumerate(dates)}
        self.all = frozenset(range(len(dates)))
        # The weekdays each possible date's sessions fall on, and per weekday limit the dates ruled out.
        self.session_weekdays = [
            frozenset(weekday_name(d + dt.timedelta(days=o)) for o in self.offsets) for d in dates
        ]
        self._weekday_bad: dict[frozenset[str], frozenset[int]] = {}

    def dates_for(self, p: Participant) -> frozenset[int]:
        if not p.unavailable_days and p.weekdays is None:
            return self.all
        bad: set[int] = set()
        for day in p.unavailable_days:
            for off in self.offsets:
                k = self.index.get(day - dt.timedelta(days=off))
                if k is not None:
                    bad.add(k)
        if p.weekdays is not None:
            allowed = frozenset(p.weekdays)
            if allowed not in self._weekday_bad:
                self._weekday_bad[allowed] = frozenset(
                    k for k, days in enumerate(self.session_weekdays) if not days <= allowed
                )
            bad |= self._weekday_bad[allowed]
        return self.all - bad if bad else self.all
