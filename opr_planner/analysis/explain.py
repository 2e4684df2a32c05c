"""Why a plan scores as it does: a score analysis per review, per metric and per person.

For every member the analysis says which rules they help satisfy (chair, role
minimums, outside-region, a partnership or region no one else brings, inclusion) and,
by taking them out of the group and judging the plan again with `evaluate`, which
rules would break and how each metric and the objective would change: the member's
marginal contribution. For every review it lists the binding constraints, the rules
that hold with no slack (group at its maximum, the only eligible chair, a role at its
maximum, a member at their load limit, ...). `evaluate` stays the one judge: nothing
here recounts a rule or a metric on its own.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from ..calendar import WorkCalendar, can_attend
from ..evaluate import Evaluation, Violation, evaluate
from ..plan import Plan
from ..scenario.models import METRICS, Participant, Review, Scenario
from .backups import resilience, too_large
from .network import Meetings, NetworkFigures, meetings, network_figures, planned_groups
from .profile import avoid_involved, entries_by_person, member_kind

NEAR_SPACING_DAYS = 7  # spacing within this many days of the minimum counts as (nearly) binding


@dataclass(frozen=True)
class MemberReason:
    """One member of one group: what they bring and what they are needed for."""

    participant: str
    name: str
    role: str
    partnership: str | None
    region: str
    functions: tuple[str, ...]
    helps: tuple[str, ...]  # rules this member counts towards, worded
    needed_for: tuple[str, ...]  # rule ids that break if the member leaves the group
    adds: dict[str, int]  # metric -> how much lower it would be without this member
    objective_delta: int  # how much lower the objective would be without this member


@dataclass(frozen=True)
class ReviewExplanation:
    id: str
    subject: str
    date: dt.date
    members: tuple[MemberReason, ...]
    binding: tuple[str, ...]
    violations: tuple[str, ...]
    # Resilience: (members with at least one valid stand-in on this date, group size);
    # None for a group too large to work it out (more than MAX_RESILIENCE_GROUP members).
    resilience: tuple[int, int] | None = (0, 0)
    # Why resilience and each member's contribution were not worked out ('' when they were).
    too_large: str = ""


@dataclass(frozen=True)
class MetricLine:
    metric: str
    value: int
    weight: int | None  # None for reported-only figures (max_load)
    contribution: int | None
    details: tuple[str, ...]


@dataclass(frozen=True)
class LoadLine:
    participant: str
    name: str
    partnership: str | None
    role: str
    load: int
    limit: int | None
    reviews: tuple[str, ...]


@dataclass(frozen=True)
class Explanation:
    evaluation: Evaluation
    metrics: tuple[MetricLine, ...]
    reviews: tuple[ReviewExplanation, ...]
    loads: tuple[LoadLine, ...]
    network: NetworkFigures

    @property
    def objective(self) -> int:
        return self.evaluation.objective


def _without(plan: Plan, index: int, participant: str) -> Plan:
    """The plan with one participant taken out of the review at `index`."""
    reviews = list(plan.reviews)
    pr = reviews[index]
    reviews[index] = pr.model_copy(
        update={"members": [m for m in pr.members if m.participant != participant]}
    )
    return plan.model_copy(update={"reviews": reviews})


def _eligible(scenario: Scenario, review: Review, date: dt.date, p: Participant) -> bool:
    """Independent of the subject (H5) and able to attend every session on `date` (H13)."""
    return (
        p.partnership != review.subject
        and review.subject not in p.conflicts
        and can_attend(scenario, p.id, review, date)
    )


def _helps(
    scenario: Scenario, review: Review, members: list[Participant], p: Participant, functions: list[str]
) -> list[str]:
    rules = scenario.rules
    out = [f"{f} (H7)" for f in functions if rules.functions.get(f)]
    bounds = rules.composition.get(p.role)
    if bounds is not None and bounds.lo:
        n = sum(1 for q in members if q.role == p.role)
        out.append(f"{p.role} minimum (H6: {n} of at least {bounds.lo})")
    if rules.on("min_outside_subject_regions") and p.region not in scenario.subject_regions(review):
        n = sum(1 for q in members if q.region not in scenario.subject_regions(review))
        out.append(
            f"from outside {review.subject}'s regions (H12: {n} of at least {rules.min_outside_subject_regions})"
        )
    if (
        rules.on("min_partnerships")
        and p.partnership
        and sum(1 for q in members if q.partnership == p.partnership) == 1
    ):
        out.append(f"only member from {p.partnership} (H8)")
    if rules.on("min_regions") and sum(1 for q in members if q.region == p.region) == 1:
        out.append(f"only member from region {p.region} (H11)")
    if not p.partnership:
        out.append("no partnership (inclusion)")
    if review.subject in p.prefer_subjects:
        out.append("asked to review this partnership (preferences)")
    return out


def _binding(
    scenario: Scenario,
    cal: WorkCalendar,
    review: Review,
    date: dt.date,
    members: list[Participant],
    loads: dict[str, int],
    plan_dates: dict[str, dt.date],
    groups: dict[str, set[str]],
) -> list[str]:
    rules = scenario.rules
    out: list[str] = []
    lo, hi = scenario.window_of(review)
    if review.fixed_date is not None:
        out.append(f"date fixed at {review.fixed_date}")
    else:
        if date == lo:
            out.append(f"date on the first day of its window ({lo})")
        if date == hi:
            out.append(f"date on the last day of its window ({hi})")
        candidates = cal.candidate_dates(review)
        if len(candidates) <= 5:
            out.append(f"only {len(candidates)} possible date(s) in the window (H2)")
    size = scenario.group_size_of(review)
    if size.hi is not None and len(members) == size.hi:
        out.append(f"group at its maximum size ({size.hi}, H3)")
    if size.lo and len(members) == size.lo:
        out.append(f"group at its minimum size ({size.lo}, H3): every member is needed")
    pool = [p for p in scenario.participants if _eligible(scenario, review, date, p)]
    for role, bounds in sorted(rules.composition.items()):
        n = sum(1 for p in members if p.role == role)
        if bounds.hi is not None and n == bounds.hi:
            out.append(f"{role}: {n}, the maximum (H6)")
        elif bounds.lo and n == bounds.lo:
            out.append(f"{role}: {n}, exactly the minimum (H6)")
        available = sum(1 for p in pool if p.role == role)
        if bounds.lo and available <= bounds.lo:
            out.append(
                f"only {available} {role}(s) are independent of {review.subject} and available on {date}"
            )
    for function, k in sorted(rules.functions.items()):
        if not k:
            continue
        able = [p.id for p in members if function in p.functions]
        if len(able) <= k:
            out.append(
                f"{', '.join(able) or 'nobody'}: the only member(s) of the group who can be {function} (H7)"
            )
        eligible = [p.id for p in pool if function in p.functions]
        if len(eligible) <= k:
            out.append(
                f"{', '.join(eligible) or 'nobody'}: the only eligible {function}(s) for this review on {date}"
            )
    parts: dict[str, int] = defaultdict(int)
    orgs: dict[str, int] = defaultdict(int)
    for p in members:
        if p.partnership:
            parts[p.partnership] += 1
        if p.organisation and p.organisation.strip():
            orgs[p.organisation.strip()] += 1
    if rules.on("min_partnerships") and len(parts) == rules.min_partnerships:
        out.append(f"{len(parts)} partnerships, exactly the minimum (H8)")
    for part, n in sorted(parts.items()):
        if rules.on("max_per_partnership") and n == rules.max_per_partnership:
            out.append(f"{n} members from {part}, the maximum (H9)")
    for org, n in sorted(orgs.items()):
        if rules.on("max_per_organisation") and n == rules.max_per_organisation:
            out.append(f"{n} members from {org}, the maximum (H10)")
    regions = {p.region for p in members}
    if rules.on("min_regions") and len(regions) == rules.min_regions:
        out.append(f"{len(regions)} regions, exactly the minimum (H11)")
    outside = sum(1 for p in members if p.region not in scenario.subject_regions(review))
    if rules.on("min_outside_subject_regions") and outside == rules.min_outside_subject_regions:
        out.append(f"{outside} member(s) from outside {review.subject}'s regions, exactly the minimum (H12)")
    for p in members:
        limit = scenario.max_reviews_of(p)
        if limit is not None and loads.get(p.id, 0) == limit:
            out.append(f"{p.id} ({p.name}) is at their maximum of {limit} review(s) (H14)")
    k = rules.on("min_days_between_reviews")
    for p in members:
        for other, other_date in sorted(plan_dates.items()):
            if other != review.id and p.id in groups.get(other, set()):
                gap = abs((other_date - date).days)
                if k and gap < k + NEAR_SPACING_DAYS:
                    out.append(f"{p.id}: {gap} days between {review.id} and {other} (at least {k}, H15)")
    weekly = rules.on("max_reviews_per_week")
    week = date.isocalendar()[:2]
    same_week = sorted(r for r, d in plan_dates.items() if d.isocalendar()[:2] == week)
    if weekly and len(same_week) == weekly:
        out.append(
            f"ISO week {week[0]}-W{week[1]:02d} holds {weekly} review(s), the maximum (H17): {', '.join(same_week)}"
        )
    return out


def _metric_details(
    scenario: Scenario, meet: Meetings, result: Evaluation, groups: dict[str, set[str]]
) -> dict[str, tuple[str, ...]]:
    loads = result.loads
    squares: dict[int, int] = defaultdict(int)
    for n in loads.values():
        if n:
            squares[n] += 1
    top = result.metrics["max_load"]
    return {
        "partnership_links": tuple(f"{a} -> {s}" for a, s in meet.visits),
        "co_member_links": tuple(f"{a} + {b}" for a, b in meet.co_members),
        "region_links": tuple(f"{x} + {y}" for x, y in meet.region_pairs),
        "inclusion": tuple(f"{pid} ({scenario.participant[pid].name})" for pid in meet.included),
        "diversity": tuple(
            f"{rid}: {len({scenario.participant[p].region for p in people})}"
            for rid, people in groups.items()
        ),
        "preferences": tuple(f"{pid} in {rid}" for pid, rid in meet.preferred),
        "load_sumsq": tuple(f"{count} × {n}²" for n, count in sorted(squares.items())),
        "max_load": tuple(sorted(pid for pid, n in loads.items() if n == top and top)),
    }


def explain(scenario: Scenario, plan: Plan) -> Explanation:
    """The score analysis of `plan` under `scenario`."""
    cal = WorkCalendar(scenario)
    base = evaluate(scenario, plan, cal)
    planned = planned_groups(scenario, plan)
    groups = {review.id: {p.id for p in members} for review, _, members in planned}
    plan_dates = {review.id: pr.date for review, pr, _ in planned}
    index: dict[str, int] = {}
    for i, pr in enumerate(plan.reviews):
        index.setdefault(pr.id, i)
    base_keys = {(v.rule, v.review) for v in base.violations}
    cover = resilience(scenario, plan, cal)
    involved = avoid_involved(scenario)
    reviews = []
    for review, pr, members in planned:
        functions = {m.participant: list(m.functions) for m in pr.members}
        reasons = []
        # Members the rules cannot tell apart get the same analysis: one evaluation each kind.
        known: dict[tuple, tuple[tuple[str, ...], tuple[str, ...], dict[str, int], int]] = {}
        entries = entries_by_person(pr)
        too_big = too_large(scenario, review.id, len(members))
        for p in members:
            kind = member_kind(scenario, review, pr, p, entries[p.id], base.loads.get(p.id, 0), involved)
            if too_big:
                known.setdefault(kind, ((), (), {}, 0))
            if kind not in known:
                without = evaluate(scenario, _without(plan, index[review.id], p.id), cal)
                broken = sorted(
                    {
                        v.rule
                        for v in without.violations
                        if (v.rule, v.review) not in base_keys and v.rule != "H3"
                    },
                    key=lambda r: int(r[1:]),
                )
                adds = {
                    m: base.metrics[m] - without.metrics[m]
                    for m in METRICS
                    if base.metrics[m] != without.metrics[m]
                }
                helps = tuple(_helps(scenario, review, members, p, functions.get(p.id, [])))
                known[kind] = (helps, tuple(broken), adds, base.objective - without.objective)
            helps, needed_for, adds, delta = known[kind]
            reasons.append(
                MemberReason(
                    participant=p.id,
                    name=p.name,
                    role=p.role,
                    partnership=p.partnership,
                    region=p.region,
                    functions=tuple(functions.get(p.id, [])),
                    helps=helps,
                    needed_for=needed_for,
                    adds=dict(adds),
                    objective_delta=delta,
                )
            )
        reviews.append(
            ReviewExplanation(
                id=review.id,
                subject=review.subject,
                date=pr.date,
                members=tuple(reasons),
                binding=tuple(
                    _binding(scenario, cal, review, pr.date, members, base.loads, plan_dates, groups)
                ),
                violations=tuple(_violation_text(v) for v in base.violations if v.review == review.id),
                resilience=cover[review.id] if review.id in cover else (0, len(members)),
                too_large=too_big,
            )
        )
    details = _metric_details(scenario, meetings(scenario, plan), base, groups)
    weights = scenario.objectives
    metric_lines = []
    for m in (*METRICS, "max_load"):
        weight = getattr(weights, m, None)
        sign = -1 if m == "load_sumsq" else 1
        contribution = None if weight is None else sign * weight * base.metrics[m]
        metric_lines.append(MetricLine(m, base.metrics[m], weight, contribution, details[m]))
    reviews_of: dict[str, list[str]] = defaultdict(list)
    for rid, people in groups.items():
        for pid in people:
            reviews_of[pid].append(rid)
    loads = tuple(
        LoadLine(
            p.id,
            p.name,
            p.partnership,
            p.role,
            base.loads.get(p.id, 0),
            scenario.max_reviews_of(p),
            tuple(reviews_of[p.id]),
        )
        for p in sorted(scenario.participants, key=lambda p: p.id)
    )
    return Explanation(base, tuple(metric_lines), tuple(reviews), loads, network_figures(scenario, plan))


def _violation_text(v: Violation) -> str:
    return f"{v.rule}: {v.message}"
