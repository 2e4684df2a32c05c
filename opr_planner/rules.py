"""The hard rules H1–H18 of SPEC section 3, one check per rule, each worded for a coordinator.

Pure Python, no solver: `evaluate.evaluate` runs every check (and the metrics) and is the
single source of truth that `check`, `compare`, `explain`, the exports and the solver's
tests all use. The CP-SAT model (solver/model.py) states the same rules as constraints;
tests pin plans into it both ways (docs/architecture.md, "adding a rule").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations
from typing import Any

from .calendar import Reason, WorkCalendar, can_attend, reason_text
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
    """One broken hard rule, worded for a coordinator.

    `message` is the English sentence (the command line's); `key` names which sentence
    of MESSAGES it is and `values` what it names (ids, numbers, dates), so that
    export/i18n/rules.py can word the same violation in the scenario's language.
    """

    rule: str
    review: str | None
    participants: tuple[str, ...]
    message: str
    key: str = field(default="", compare=False)
    values: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def rule_number(self) -> int:
        return int(self.rule[1:])


class Context:
    """A plan seen through the scenario: known reviews and their known members."""

    def __init__(self, scenario: Scenario, plan: Plan, calendar: WorkCalendar):
        self.s = scenario
        self.plan = plan
        self.cal = calendar
        self._members: dict[int, list[Participant]] = {}
        seen: set[str] = set()
        self.reviews: list[tuple[Review, PlanReview]] = []
        for pr in plan.reviews:
            if pr.id in scenario.review and pr.id not in seen:
                seen.add(pr.id)
                self.reviews.append((scenario.review[pr.id], pr))

    def members(self, pr: PlanReview) -> list[Participant]:
        """Known participants of a group, each once, sorted by id (worked out once per group:
        every rule asks, H18 once per partnership)."""
        key = id(pr)
        if key not in self._members:
            ids = sorted({m.participant for m in pr.members if m.participant in self.s.participant})
            self._members[key] = [self.s.participant[i] for i in ids]
        return self._members[key]

    @cached_property
    def loads(self) -> dict[str, int]:
        load: Counter[str] = Counter()
        for _, pr in self.reviews:
            for p in self.members(pr):
                load[p.id] += 1
        return {p.id: load.get(p.id, 0) for p in self.s.participants}


Check = Callable[[Context], Iterator[Violation]]


# Every violation's sentence in English, by key (the rule, and which of its cases). The
# values are ids, numbers and dates; `who`/`whom` are worded as "p001 (Anna de Vries)".
MESSAGES = {
    "H1.missing": "review {review} (subject {subject}) is missing from the plan",
    "H1.repeated": "review {review} appears {count} times in the plan",
    "H1.unknown": "review {review} is not in the scenario",
    "H1.subject": "review {review} reviews {subject} in the scenario, not {planned}",
    "H2": "review {review} on {date}: {why}",
    "H3": "review {review} has {count} members; the group size must be {least} to {most}",
    "H3.open": "review {review} has {count} members; the group size must be at least {least}",
    "H4.unknown": "{who} in review {review} is not a participant of the scenario",
    "H4.role": "{who} is listed as {listed} in review {review} but is a {role}",
    "H4.repeated": "{who} is listed {count} times in review {review}",
    "H5.own": "{who} belongs to {subject} and may not review it",
    "H5.conflict": "{who} declared a conflict with {subject} and may not review it",
    "H6.few": "review {review} has {count} {role} member(s); at least {least} needed",
    "H6.many": "review {review} has {count} {role} members; at most {most} allowed",
    "H7.several": "{who} holds {count} functions in review {review}; at most one",
    "H7.cannot": "{who} is {function} in review {review} but cannot hold that function",
    "H7.count": "review {review} has {count} {function}(s); exactly {exactly} needed",
    "H8": "review {review} has members from {count} partnership(s); at least {least} needed",
    "H9": "review {review} has {count} members from {partnership}; at most {most} allowed",
    "H10": "review {review} has {count} members from {organisation}; at most {most} allowed",
    "H11": "review {review} has members from {count} region(s); at least {least} needed",
    "H12": "review {review} has {count} member(s) from outside {subject}'s regions; at least {least} needed",
    "H13": "{who} cannot attend every session of review {review} on {date}",
    "H14": "{who} is in {count} reviews; at most {most} allowed",
    "H15": "{people} in reviews {review} and {other}, {days} days apart; at least {least} needed",
    "H16": "{who} and {whom} must not share a group (avoid)",
    "H17": "{count} reviews in ISO week {year}-W{week:02d} ({reviews}); at most {most} allowed",
    "H18": "partnership {partnership} has members in {count} review(s); at least {least} needed",
}


def _english(c: Context, values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    for key in ("who", "whom"):
        p = c.s.participant.get(values[key]) if key in values else None
        if p is not None:
            out[key] = f"{p.id} ({p.name})"
    for key in ("people", "reviews"):
        if key in values:
            out[key] = ", ".join(values[key])
    if isinstance(values.get("why"), Reason):
        out["why"] = reason_text(values["why"])
    return out


def _v(
    c: Context, at: str | None, people: list[str] | tuple[str, ...], key: str, /, **values: Any
) -> Violation:
    """Violation `key` of MESSAGES (its rule is the key's first part) at review `at`."""
    message = MESSAGES[key].format(**_english(c, values))
    return Violation(key.partition(".")[0], at, tuple(sorted(people)), message, key, values)


def h1_reviews_once(c: Context) -> Iterator[Violation]:
    counts = Counter(pr.id for pr in c.plan.reviews)
    for r in c.s.reviews:
        if counts[r.id] == 0:
            yield _v(c, r.id, [], "H1.missing", review=r.id, subject=r.subject)
        elif counts[r.id] > 1:
            yield _v(c, r.id, [], "H1.repeated", review=r.id, count=counts[r.id])
    for pr in c.plan.reviews:
        if pr.id not in c.s.review:
            yield _v(c, pr.id, [], "H1.unknown", review=pr.id)
    for r, pr in c.reviews:
        if pr.subject != r.subject:
            yield _v(c, r.id, [], "H1.subject", review=r.id, subject=r.subject, planned=pr.subject)


def h2_dates(c: Context) -> Iterator[Violation]:
    for r, pr in c.reviews:
        why = c.cal.date_reason(r, pr.date)
        if why:
            yield _v(c, r.id, [], "H2", review=r.id, date=pr.date, why=why)


def _size_bounds(c: Context, r: Review) -> tuple[int, int | None]:
    b = c.s.group_size_of(r)
    return b.lo, b.hi


def h3_group_size(c: Context) -> Iterator[Violation]:
    for r, pr in c.reviews:
        n = len({m.participant for m in pr.members})
        lo, hi = _size_bounds(c, r)
        if n < lo or (hi is not None and n > hi):
            key = "H3" if hi is not None else "H3.open"
            yield _v(c, r.id, [], key, review=r.id, count=n, least=lo, most=hi)


def h4_members(c: Context) -> Iterator[Violation]:
    for r, pr in c.reviews:
        counts = Counter(m.participant for m in pr.members)
        for m in pr.members:
            p = c.s.participant.get(m.participant)
            if p is None:
                yield _v(c, r.id, [m.participant], "H4.unknown", review=r.id, who=m.participant)
            elif m.role != p.role:
                yield _v(c, r.id, [p.id], "H4.role", review=r.id, who=p.id, listed=m.role, role=p.role)
        for pid, n in sorted(counts.items()):
            if n > 1:
                yield _v(c, r.id, [pid], "H4.repeated", review=r.id, who=pid, count=n)


def h5_independence(c: Context) -> Iterator[Violation]:
    for r, pr in c.reviews:
        for p in c.members(pr):
            if p.partnership == r.subject:
                yield _v(c, r.id, [p.id], "H5.own", review=r.id, who=p.id, subject=r.subject)
            elif r.subject in p.conflicts:
                yield _v(c, r.id, [p.id], "H5.conflict", review=r.id, who=p.id, subject=r.subject)


def h6_composition(c: Context) -> Iterator[Violation]:
    for r, pr in c.reviews:
        members = c.members(pr)
        for role, bounds in c.s.rules.composition.items():
            people = [p.id for p in members if p.role == role]
            n = len(people)
            if n < bounds.lo:
                yield _v(c, r.id, people, "H6.few", review=r.id, count=n, role=role, least=bounds.lo)
            if bounds.hi is not None and n > bounds.hi:
                yield _v(c, r.id, people, "H6.many", review=r.id, count=n, role=role, most=bounds.hi)


def h7_functions(c: Context) -> Iterator[Violation]:
    for r, pr in c.reviews:
        holders: dict[str, list[str]] = defaultdict(list)
        for m in pr.members:
            p = c.s.participant.get(m.participant)
            if len(m.functions) > 1:
                n = len(m.functions)
                yield _v(c, r.id, [m.participant], "H7.several", review=r.id, who=m.participant, count=n)
            for f in m.functions:
                holders[f].append(m.participant)
                if p is not None and f not in p.functions:
                    yield _v(c, r.id, [p.id], "H7.cannot", review=r.id, who=p.id, function=f)
        for f, k in sorted(c.s.rules.functions.items()):
            if not k:
                continue
            n = len(holders.get(f, []))
            if n != k:
                yield _v(c, r.id, holders.get(f, []), "H7.count", review=r.id, count=n, function=f, exactly=k)


def h8_min_partnerships(c: Context) -> Iterator[Violation]:
    k = c.s.rules.on("min_partnerships")
    for r, pr in c.reviews:
        found = {p.partnership for p in c.members(pr) if p.partnership}
        if len(found) < k:
            yield _v(c, r.id, [], "H8", review=r.id, count=len(found), least=k)


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
                yield _v(c, r.id, people, "H9", review=r.id, count=len(people), partnership=part, most=k)


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
                yield _v(c, r.id, people, "H10", review=r.id, count=len(people), organisation=org, most=k)


def h11_min_regions(c: Context) -> Iterator[Violation]:
    k = c.s.rules.on("min_regions")
    for r, pr in c.reviews:
        found = {p.region for p in c.members(pr)}
        if len(found) < k:
            yield _v(c, r.id, [], "H11", review=r.id, count=len(found), least=k)


def h12_outside_regions(c: Context) -> Iterator[Violation]:
    k = c.s.rules.on("min_outside_subject_regions")
    for r, pr in c.reviews:
        inside = c.s.subject_regions(r)
        n = sum(1 for p in c.members(pr) if p.region not in inside)
        if n < k:
            yield _v(c, r.id, [], "H12", review=r.id, count=n, subject=r.subject, least=k)


def h13_availability(c: Context) -> Iterator[Violation]:
    for r, pr in c.reviews:
        for p in c.members(pr):
            if not can_attend(c.s, p.id, r, pr.date):
                yield _v(c, r.id, [p.id], "H13", review=r.id, who=p.id, date=pr.date)


def h14_load(c: Context) -> Iterator[Violation]:
    for p in c.s.participants:
        n = c.loads.get(p.id, 0)
        if not n:
            continue  # no limit is below 0
        limit = c.s.max_reviews_of(p)
        if limit is not None and n > limit:
            yield _v(c, None, [p.id], "H14", who=p.id, count=n, most=limit)


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
                c, r1.id, shared, "H15", people=tuple(shared), review=r1.id, other=r2.id, days=gap, least=k
            )


def h16_avoid(c: Context) -> Iterator[Violation]:
    for r, pr in c.reviews:
        here = {p.id: p for p in c.members(pr)}
        # Pairs from the avoid lists (not every pair of members: a group may be large).
        pairs = {tuple(sorted((a.id, b))) for a in here.values() for b in a.avoid if b in here and b != a.id}
        for a_id, b_id in sorted(pairs):
            yield _v(c, r.id, [a_id, b_id], "H16", review=r.id, who=a_id, whom=b_id)


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
            n = len(ids)
            yield _v(c, ids[0], [], "H17", count=n, year=year, week=week, reviews=tuple(ids), most=k)


def h18_per_partnership(c: Context) -> Iterator[Violation]:
    k = c.s.rules.on("min_reviews_per_partnership")
    if not k:
        return
    with_people = {p.partnership for p in c.s.participants if p.partnership}
    reviews_of: Counter[str] = Counter()
    for _, pr in c.reviews:
        reviews_of.update({p.partnership for p in c.members(pr) if p.partnership})
    for part in c.s.partnerships:
        if part.id not in with_people:
            continue
        n = reviews_of[part.id]
        if n < k:
            yield _v(c, None, [], "H18", partnership=part.id, count=n, least=k)


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
