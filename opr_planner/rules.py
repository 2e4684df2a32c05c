"""The hard rules H1–H18 of SPEC section 3, one check per rule, each worded for a coordinator.

Pure Python, no solver: `evaluate.evaluate` runs every check (and the metrics) and is the
single source of truth that `check`, `compare`, `explain`, the exports and the solver's
tests all use. The CP-SAT model (solver/model.py) states the same rules as constraints;
tests pin plans into it both ways (docs/architecture.md, "adding a rule").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations

from .calendar import WorkCalendar, can_attend
from .plan import Plan, PlanReview
from .scenario.models import Participant, Review, Scenario

RULES: dict[str, str] = {
    "H1": "every review planned exactly once",
    "H2": "dates on working days inside the review's window",
    "H3": "group size",
    "H4": "known members with their own role",
    "H5": "independence",
    "H6": "composition by role",
    "H7": "group functions (chair, ...)",
    "H8": "minimum number of partnerships",
    "H9": "maximum members per partnership",
    "H10": "maximum members per organisation",
    "H11": "minimum number of regions",
    "H12": "members from outside the subject's regions",
    "H13": "availability",
    "H14": "load per participant",
    "H15": "spacing between a participant's reviews",
    "H16": "people who avoid each other",
    "H17": "reviews per ISO week",
    "H18": "reviews per partnership",
}


@dataclass(frozen=True, order=True)
class Violation:
    """One broken hard rule, worded for a coordinator."""

    rule: str
    review: str | None
    participants: tuple[str, ...]
    message: str

    @property
    def rule_number(self) -> int:
        return int(self.rule[1:])


class Context:
    """A plan seen through the scenario: known reviews and their known members."""

    def __init__(self, scenario: Scenario, plan: Plan, calendar: WorkCalendar):
        self.s = scenario
        self.plan = plan
        self.cal = calendar
        seen: set[str] = set()
        self.reviews: list[tuple[Review, PlanReview]] = []
        for pr in plan.reviews:
            if pr.id in scenario.review and pr.id not in seen:
                seen.add(pr.id)
                self.reviews.append((scenario.review[pr.id], pr))

    def members(self, pr: PlanReview) -> list[Participant]:
        """Known participants of a group, each once, sorted by id."""
        ids = sorted({m.participant for m in pr.members if m.participant in self.s.participant})
        return [self.s.participant[i] for i in ids]

    @cached_property
    def loads(self) -> dict[str, int]:
        load: Counter[str] = Counter()
        for _, pr in self.reviews:
            for p in self.members(pr):
                load[p.id] += 1
        return {p.id: load[p.id] for p in self.s.participants}


Check = Callable[[Context], Iterator[Violation]]


def _v(rule: str, review: str | None, people: list[str] | tuple[str, ...], message: str) -> Violation:
    return Violation(rule, review, tuple(sorted(people)), message)


def h1_reviews_once(c: Context) -> Iterator[Violation]:
    counts = Counter(pr.id for pr in c.plan.reviews)
    for r in c.s.reviews:
        if counts[r.id] == 0:
            yield _v("H1", r.id, [], f"review {r.id} (subject {r.subject}) is missing from the plan")
        elif counts[r.id] > 1:
            yield _v("H1", r.id, [], f"review {r.id} appears {counts[r.id]} times in the plan")
    for pr in c.plan.reviews:
        if pr.id not in c.s.review:
            yield _v("H1", pr.id, [], f"review {pr.id} is not in the scenario")
    for r, pr in c.reviews:
        if pr.subject != r.subject:
            yield _v("H1", r.id, [], f"review {r.id} reviews {r.subject} in the scenario, not {pr.subject}")


def h2_dates(c: Context) -> Iterator[Violation]:
    for r, pr in c.reviews:
        why = c.cal.date_problem(r, pr.date)
        if why:
            yield _v("H2", r.id, [], f"review {r.id} on {pr.date}: {why}")


def _size_bounds(c: Context, r: Review) -> tuple[int, int | None]:
    b = c.s.group_size_of(r)
    return b.lo, b.hi


def h3_group_size(c: Context) -> Iterator[Violation]:
    for r, pr in c.reviews:
        n = len({m.participant for m in pr.members})
        lo, hi = _size_bounds(c, r)
        if n < lo or (hi is not None and n > hi):
            want = f"{lo} to {hi}" if hi is not None else f"at least {lo}"
            yield _v("H3", r.id, [], f"review {r.id} has {n} members; the group size must be {want}")


def h4_members(c: Context) -> Iterator[Violation]:
    for r, pr in c.reviews:
        counts = Counter(m.participant for m in pr.members)
        for m in pr.members:
            p = c.s.participant.get(m.participant)
            if p is None:
                yield _v(
                    "H4",
                    r.id,
                    [m.participant],
                    f"{m.participant} in review {r.id} is not a participant of the scenario",
                )
            elif m.role != p.role:
                yield _v(
                    "H4",
                    r.id,
                    [p.id],
                    f"{p.id} ({p.name}) is listed as {m.role} in review {r.id} but is a {p.role}",
                )
        for pid, n in sorted(counts.items()):
            if n > 1:
                yield _v("H4", r.id, [pid], f"{pid} is listed {n} times in review {r.id}")


def h5_independence(c: Context) -> Iterator[Violation]:
    for r, pr in c.reviews:
        for p in c.members(pr):
            if p.partnership == r.subject:
                yield _v(
                    "H5", r.id, [p.id], f"{p.id} ({p.name}) belongs to {r.subject} and may not review it"
                )
            elif r.subject in p.conflicts:
                yield _v(
                    "H5",
                    r.id,
                    [p.id],
                    f"{p.id} ({p.name}) declared a conflict with {r.subject} and may not review it",
                )


def h6_composition(c: Context) -> Iterator[Violation]:
    for r, pr in c.reviews:
        members = c.members(pr)
        for role, bounds in c.s.rules.composition.items():
            people = [p.id for p in members if p.role == role]
            n = len(people)
            if n < bounds.lo:
                yield _v(
                    "H6", r.id, people, f"review {r.id} has {n} {role} member(s); at least {bounds.lo} needed"
                )
            if bounds.hi is not None and n > bounds.hi:
                yield _v(
                    "H6", r.id, people, f"review {r.id} has {n} {role} members; at most {bounds.hi} allowed"
                )


def h7_functions(c: Context) -> Iterator[Violation]:
    for r, pr in c.reviews:
        holders: dict[str, list[str]] = defaultdict(list)
        for m in pr.members:
            p = c.s.participant.get(m.participant)
            if len(m.functions) > 1:
                yield _v(
                    "H7",
                    r.id,
                    [m.participant],
                    f"{m.participant} holds {len(m.functions)} functions in review {r.id}; at most one",
                )
            for f in m.functions:
                holders[f].append(m.participant)
                if p is not None and f not in p.functions:
                    yield _v(
                        "H7",
                        r.id,
                        [p.id],
                        f"{p.id} ({p.name}) is {f} in review {r.id} but cannot hold that function",
                    )
        for f, k in sorted(c.s.rules.functions.items()):
            if not k:
                continue
            n = len(holders.get(f, []))
            if n != k:
                yield _v("H7", r.id, holders.get(f, []), f"review {r.id} has {n} {f}(s); exactly {k} needed")


def h8_min_partnerships(c: Context) -> Iterator[Violation]:
    k = c.s.rules.on("min_partnerships")
    for r, pr in c.reviews:
        found = {p.partnership for p in c.members(pr) if p.partnership}
        if len(found) < k:
            yield _v(
                "H8",
                r.id,
                [],
                f"review {r.id} has members from {len(found)} partnership(s); at least {k} needed",
            )


def h9_max_per_partnership(c: Context) -> Iterator[Violation]:
    k = c.s.rules.on("max_per_partnership")
    if not k:
        return
    for r, pr in c.reviews:
        groups: dict[str, list[str]] = defaultdict(list)
        for p in c.members(pr):
            if p.partnership:
                groups[p.partnership].append(p.id)
        for part, people in sorted(groups.items()):
            if len(people) > k:
                yield _v(
                    "H9",
                    r.id,
                    people,
                    f"review {r.id} has {len(people)} members from {part}; at most {k} allowed",
                )


def h10_max_per_organisation(c: Context) -> Iterator[Violation]:
    k = c.s.rules.on("max_per_organisation")
    if not k:
        return
    for r, pr in c.reviews:
        groups: dict[str, list[str]] = defaultdict(list)
        for p in c.members(pr):
            if p.organisation and p.organisation.strip():
                groups[p.organisation.strip()].append(p.id)
        for org, people in sorted(groups.items()):
            if len(people) > k:
                yield _v(
                    "H10",
                    r.id,
                    people,
                    f"review {r.id} has {len(people)} members from {org}; at most {k} allowed",
                )


def h11_min_regions(c: Context) -> Iterator[Violation]:
    k = c.s.rules.on("min_regions")
    for r, pr in c.reviews:
        found = {p.region for p in c.members(pr)}
        if len(found) < k:
            yield _v(
                "H11", r.id, [], f"review {r.id} has members from {len(found)} region(s); at least {k} needed"
            )


def h12_outside_regions(c: Context) -> Iterator[Violation]:
    k = c.s.rules.on("min_outside_subject_regions")
    for r, pr in c.reviews:
        inside = c.s.subject_regions(r)
        n = sum(1 for p in c.members(pr) if p.region not in inside)
        if n < k:
            yield _v(
                "H12",
                r.id,
                [],
                f"review {r.id} has {n} member(s) from outside {r.subject}'s regions; at least {k} needed",
            )


def h13_availability(c: Context) -> Iterator[Violation]:
    for r, pr in c.reviews:
        for p in c.members(pr):
            if not can_attend(c.s, p.id, r, pr.date):
                yield _v(
                    "H13",
                    r.id,
                    [p.id],
                    f"{p.id} ({p.name}) cannot attend every session of review {r.id} on {pr.date}",
                )


def h14_load(c: Context) -> Iterator[Violation]:
    for p in c.s.participants:
        limit = c.s.max_reviews_of(p)
        n = c.loads.get(p.id, 0)
        if limit is not None and n > limit:
            yield _v("H14", None, [p.id], f"{p.id} ({p.name}) is in {n} reviews; at most {limit} allowed")


def h15_spacing(c: Context) -> Iterator[Violation]:
    k = c.s.rules.on("min_days_between_reviews")
    if not k:
        return
    for (r1, p1), (r2, p2) in combinations(c.reviews, 2):
        gap = abs((p1.date - p2.date).days)
        if gap >= k:
            continue
        shared = sorted({p.id for p in c.members(p1)} & {p.id for p in c.members(p2)})
        if shared:
            yield _v(
                "H15",
                r1.id,
                shared,
                f"{', '.join(shared)} in reviews {r1.id} and {r2.id}, {gap} days apart; at least {k} needed",
            )


def h16_avoid(c: Context) -> Iterator[Violation]:
    for r, pr in c.reviews:
        for a, b in combinations(c.members(pr), 2):
            if b.id in a.avoid or a.id in b.avoid:
                yield _v(
                    "H16",
                    r.id,
                    [a.id, b.id],
                    f"{a.id} ({a.name}) and {b.id} ({b.name}) must not share a group (avoid)",
                )


def h17_per_week(c: Context) -> Iterator[Violation]:
    k = c.s.rules.on("max_reviews_per_week")
    if not k:
        return
    weeks: dict[tuple[int, int], list[str]] = defaultdict(list)
    for r, pr in c.reviews:
        iso = pr.date.isocalendar()
        weeks[(iso.year, iso.week)].append(r.id)
    for (year, week), ids in sorted(weeks.items()):
        if len(ids) > k:
            yield _v(
                "H17",
                ids[0],
                [],
                f"{len(ids)} reviews in ISO week {year}-W{week:02d} ({', '.join(ids)}); at most {k} allowed",
            )


def h18_per_partnership(c: Context) -> Iterator[Violation]:
    k = c.s.rules.on("min_reviews_per_partnership")
    if not k:
        return
    with_people = {p.partnership for p in c.s.participants if p.partnership}
    for part in c.s.partnerships:
        if part.id not in with_people:
            continue
        n = sum(1 for _, pr in c.reviews if any(p.partnership == part.id for p in c.members(pr)))
        if n < k:
            yield _v(
                "H18", None, [], f"partnership {part.id} has members in {n} review(s); at least {k} needed"
            )


CHECKS: tuple[Check, ...] = (
    h1_reviews_once,
    h2_dates,
    h3_group_size,
    h4_members,
    h5_independence,
    h6_composition,
    h7_functions,
    h8_min_partnerships,
    h9_max_per_partnership,
    h10_max_per_organisation,
    h11_min_regions,
    h12_outside_regions,
    h13_availability,
    h14_load,
    h15_spacing,
    h16_avoid,
    h17_per_week,
    h18_per_partnership,
)
