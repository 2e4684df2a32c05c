"""Stand-ins for one member of one review, each judged by the evaluator with the whole plan.

A stand-in is valid when swapping them in (on the review's current date) adds no violation
that the plan did not already have: the plan may already be broken because the scenario
changed (the member who drops out is now unavailable), and the swap is judged only on what
it adds. The replaced member's functions (chair, ...) pass to the stand-in when they can
hold them, otherwise to a remaining member who can and holds none.

Judging every candidate of a national scenario with the evaluator on the whole plan took
0.25 s each, ten minutes for one member. A swap changes one group, so `Swapper.appraise`
works out what it changes from counters of the plan instead (the metrics' pairs, loads,
the reviews each partnership is in); tests keep it equal to `Swapper.judge`, the
evaluator, and `suggest` has the evaluator judge again every stand-in it returns.
"""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

from ..calendar import WorkCalendar, can_attend
from ..evaluate import Evaluation, Violation, evaluate
from ..plan import Member, Plan, PlanReview
from ..rules import CHECKS, Context
from ..scenario.models import METRICS, Participant, Scenario

METRIC_KEYS = (*METRICS, "max_load")

Key = tuple[str, str | None, tuple[str, ...]]

# Rules the evaluator judges from one review alone: a swap's violations of these show
# on a plan that holds just the changed review, which is much cheaper to evaluate.
LOCAL_RULES = frozenset({"H3", "H4", "H5", "H6", "H7", "H8", "H9", "H10", "H11", "H12", "H13", "H16"})
LOCAL_CHECKS = tuple(check for check in CHECKS if check.__name__.split("_")[0].upper() in LOCAL_RULES)


@dataclass(frozen=True)
class StandIn:
    """One valid stand-in: who, what they take over, and what the swap does to the objective."""

    participant: str
    role: str
    functions: tuple[str, ...]  # functions the stand-in takes over
    handover: tuple[tuple[str, str], ...]  # (function, member) passed to a remaining member instead
    objective: int
    delta: int  # objective change against the plan as it was
    metrics: dict[str, int]  # metric -> change, only the metrics that change
    plan: Plan = field(repr=False, compare=False)

    def why(self, scenario: Scenario) -> str:
        """The metric changes behind `delta`, each with its weighted contribution."""
        parts = []
        for name, change in self.metrics.items():
            weight = getattr(scenario.objectives, name, None)
            if weight is None:
                parts.append(f"{name} {change:+d}")
                continue
            contribution = (-weight if name == "load_sumsq" else weight) * change
            parts.append(f"{name} {change:+d} ({contribution:+d})")
        for f, member in self.handover:
            parts.append(f"{f} passes to {member}")
        return ", ".join(parts) or "no metric changes"


@dataclass(frozen=True)
class Suggestions:
    """Every valid stand-in, best first, and why the other candidates were turned down."""

    review: str
    replaced: str
    stand_ins: tuple[StandIn, ...]
    considered: int
    rejected: dict[str, int]  # rule id -> candidates that would break it (a candidate may count twice)
    base: Evaluation = field(repr=False, compare=False)
    candidates: int = 0  # everyone who could have been considered (more than `considered`: cut short)
    valid: int = 0  # valid stand-ins found (more than `stand_ins` holds when `top` cut the list)


def _key(v: Violation) -> Key:
    # Messages carry counts ("is in 3 reviews") that a swap elsewhere may change; a rule
    # broken for the same review and the same people is the same violation.
    return (v.rule, v.review, v.participants)


def swap(
    scenario: Scenario, plan: Plan, review_id: str, out: str, stand_in: str
) -> tuple[Plan, tuple[str, ...], tuple[tuple[str, str], ...]]:
    """`plan` with `out` replaced by `stand_in` in one review; functions pass as described above.

    Returns the new plan, the functions the stand-in holds and the hand-overs to others.
    """
    new_review, taken, handover = swapped(scenario, plan.review[review_id], out, stand_in)
    reviews = [new_review if r.id == review_id else r for r in plan.reviews]
    return plan.model_copy(update={"reviews": reviews}), taken, handover


def swapped(
    scenario: Scenario, review: PlanReview, out: str, stand_in: str
) -> tuple[PlanReview, tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The review of `swap`, on its own: the new group, the functions taken, the hand-overs."""
    person = scenario.participant[stand_in]
    gone = next(m for m in review.members if m.participant == out)
    taken = tuple(f for f in gone.functions if f in person.functions)
    members = [m for m in review.members if m.participant != out]
    handover: list[tuple[str, str]] = []
    for f in gone.functions:
        if f in taken:
            continue
        for i, m in enumerate(members):
            p = scenario.participant.get(m.participant)
            if p is not None and not m.functions and f in p.functions:
                members[i] = m.model_copy(update={"functions": [f]})
                handover.append((f, m.participant))
                break
    members.append(Member(participant=stand_in, role=person.role, functions=list(taken)))
    members.sort(key=lambda m: m.participant)
    new_review = review.model_copy(update={"members": members, "backups": []})
    return new_review, taken, tuple(handover)


class _Counts:
    """How often the plan meets each partnership link, partnership pair and region pair,
    includes each participant without a partnership, and has a member of each partnership
    (H18); the loads. Built as the evaluator builds its metrics (rules.Context)."""

    def __init__(self, scenario: Scenario, plan: Plan, loads: dict[str, int]):
        self.links: Counter[tuple[str, str]] = Counter()
        self.co: Counter[tuple[str, str]] = Counter()
        self.regions: Counter[tuple[str, str]] = Counter()
        self.included: Counter[str] = Counter()
        self.reviews_with: Counter[str] = Counter()
        seen: set[str] = set()
        for pr in plan.reviews:
            if pr.id not in scenario.review or pr.id in seen:
                continue
            seen.add(pr.id)
            subject = scenario.review[pr.id].subject
            people = _known(scenario, pr.member_ids)
            parts = sorted({p.partnership for p in people if p.partnership})
            self.links.update((a, subject) for a in parts if a != subject)
            self.co.update(combinations(parts, 2))
            self.regions.update(combinations(sorted({p.region for p in people}), 2))
            self.included.update(p.id for p in people if not p.partnership)
            self.reviews_with.update(parts)
        self.loads = loads
        self.load_values = Counter(loads.values())


def _known(scenario: Scenario, ids: Iterable[str]) -> list[Participant]:
    return [scenario.participant[i] for i in sorted(set(ids)) if i in scenario.participant]


def _gained(counts: Counter, before: set, after: set) -> int:
    """Keys met at all after the change minus before, when `before` keys lose one count each
    and `after` keys gain one (keys in both are unchanged)."""
    lost = sum(1 for k in before - after if counts[k] == 1)
    won = sum(1 for k in after - before if counts[k] == 0)
    return won - lost


class Swapper:
    """Judges stand-ins for the members of one review of one plan; shared work is done once.

    `screen` turns a candidate down cheaply: by the rules on one person (H5, H13, H14,
    H15), checked as the evaluator checks them, and by the evaluator's rules on one
    review, run on a plan that holds only the changed review. `judge` runs the evaluator
    on the whole swapped plan and has the final word.
    """

    def __init__(self, scenario: Scenario, plan: Plan, review_id: str, calendar: WorkCalendar | None = None):
        self.scenario, self.plan, self.cal = scenario, plan, calendar or WorkCalendar(scenario)
        pr = plan.review.get(review_id)
        if pr is None:
            known = ", ".join(r.id for r in plan.reviews)
            raise ValueError(f"review {review_id!r} is not in the plan (it has: {known})")
        if review_id not in scenario.review:
            raise ValueError(f"review {review_id!r} is no longer in the scenario; run `opr-planner repair`")
        self.pr = pr
        # The other reviews' dates of each participant (H15), from the plan once.
        self.elsewhere: dict[str, list[dt.date]] = {}
        for other in plan.reviews:
            if other.id != pr.id:
                for member in set(other.member_ids):
                    self.elsewhere.setdefault(member, []).append(other.date)
        self.base = evaluate(scenario, plan, self.cal)
        self.allowed = {_key(v) for v in self.base.violations}
        self.allowed_here = self._local(pr)
        self._counts: _Counts | None = None
        self._personal_of: dict[str, str | None] = {}

    def _local(self, review: PlanReview) -> set[Key]:
        """The evaluator's rules on one review (LOCAL_RULES), on a plan of that review alone."""
        alone = self.plan.model_copy(update={"reviews": [review]})
        c = Context(self.scenario, alone, self.cal)
        return {_key(v) for check in LOCAL_CHECKS for v in check(c)}

    def check_member(self, replace: str) -> None:
        if replace not in self.pr.member_ids:
            members = ", ".join(sorted(self.pr.member_ids))
            raise ValueError(f"{replace!r} is not a member of {self.pr.id} (members: {members})")

    def candidates(self, replace: str) -> list[Participant]:
        """Everyone outside the group: the replaced member's role first, then by id."""
        gone = self.scenario.participant.get(replace)
        role = gone.role if gone else None
        members = set(self.pr.member_ids)
        people = [p for p in self.scenario.participants if p.id not in members]
        return sorted(people, key=lambda p: (p.role != role, p.id))

    def _personal(self, p: Participant) -> str | None:
        review, pr = self.scenario.review[self.pr.id], self.pr
        if p.partnership == review.subject or review.subject in p.conflicts:
            return "H5"
        if not can_attend(self.scenario, p.id, review, pr.date):
            return "H13"
        limit = self.scenario.max_reviews_of(p)
        if limit is not None and self.base.loads.get(p.id, 0) + 1 > limit:
            return "H14"
        k = self.scenario.rules.on("min_days_between_reviews")
        if k and any(abs((day - pr.date).days) < k for day in self.elsewhere.get(p.id, ())):
            return "H15"
        return None

    def screen(self, replace: str, p: Participant) -> set[str]:
        """Rules the swap would break for sure (empty: `judge` decides)."""
        if p.id not in self._personal_of:  # the same whoever is replaced
            self._personal_of[p.id] = self._personal(p)
        personal = self._personal_of[p.id]
        if personal:
            return {personal}
        trial, _, _ = swapped(self.scenario, self.pr, replace, p.id)
        return {k[0] for k in self._local(trial) - self.allowed_here}

    def judge(self, replace: str, p: Participant) -> StandIn | set[str]:
        """The stand-in, or the rules the whole swapped plan breaks that the plan did not."""
        trial, taken, handover = swap(self.scenario, self.plan, self.pr.id, replace, p.id)
        result = evaluate(self.scenario, trial, self.cal)
        new = {v.rule for v in result.violations if _key(v) not in self.allowed}
        if new:
            return new
        base = self.base
        changes = {
            m: result.metrics[m] - base.metrics[m]
            for m in METRIC_KEYS
            if result.metrics[m] != base.metrics[m]
        }
        delta = result.objective - base.objective
        return StandIn(p.id, p.role, taken, handover, result.objective, delta, changes, trial)

    def appraise(self, replace: str, p: Participant) -> StandIn | set[str]:
        """`judge` for a candidate that passed `screen`, without judging the whole plan.

        After `screen`, only H18 (the reviews each partnership is in) can newly break: the
        other rules concern this group (screened) or the stand-in's own load, spacing and
        date (screened); the metrics change in this group's pairs and in two loads.
        """
        s = self.scenario
        counts = self._counts = self._counts or _Counts(s, self.plan, self.base.loads)
        review, taken, handover = swapped(s, self.pr, replace, p.id)
        subject = s.review[self.pr.id].subject
        before = _known(s, self.pr.member_ids)
        after = _known(s, review.member_ids)
        parts_before = {q.partnership for q in before if q.partnership}
        parts_after = {q.partnership for q in after if q.partnership}
        k = s.rules.on("min_reviews_per_partnership")
        fewer = parts_before - parts_after  # partnerships that leave this group
        if k and ("H18", None, ()) not in self.allowed and any(counts.reviews_with[a] <= k for a in fewer):
            return {"H18"}  # one review fewer than k: the evaluator's H18
        regions_before = {q.region for q in before}
        regions_after = {q.region for q in after}
        gone = s.participant.get(replace)
        changes = {
            "partnership_links": _gained(
                counts.links,
                {(a, subject) for a in parts_before if a != subject},
                {(a, subject) for a in parts_after if a != subject},
            ),
            "co_member_links": _gained(
                counts.co,
                set(combinations(sorted(parts_before), 2)),
                set(combinations(sorted(parts_after), 2)),
            ),
            "region_links": _gained(
                counts.regions,
                set(combinations(sorted(regions_before), 2)),
                set(combinations(sorted(regions_after), 2)),
            ),
            "inclusion": _gained(
                counts.included,
                {q.id for q in before if not q.partnership},
                {q.id for q in after if not q.partnership},
            ),
            "diversity": len(regions_after) - len(regions_before),
            "preferences": sum(subject in q.prefer_subjects for q in after)
            - sum(subject in q.prefer_subjects for q in before),
        }
        loads = counts.loads
        moved = {p.id: loads.get(p.id, 0) + 1}
        if gone is not None and replace in {q.id for q in before}:
            moved[replace] = loads.get(replace, 0) - 1
        changes["load_sumsq"] = sum(n * n - loads.get(i, 0) ** 2 for i, n in moved.items())
        values = Counter(counts.load_values)
        for i, n in moved.items():
            values[loads.get(i, 0)] -= 1
            values[n] += 1
        old_max = max(counts.load_values, default=0)
        changes["max_load"] = max((v for v, c in values.items() if c > 0), default=0) - old_max
        weights = s.objectives
        delta = sum(getattr(weights, m) * changes[m] for m in METRICS if m != "load_sumsq")
        delta -= weights.load_sumsq * changes["load_sumsq"]
        changed = {m: changes[m] for m in METRIC_KEYS if changes[m]}
        objective = self.base.objective + delta
        trial = self.plan.model_copy(
            update={"reviews": [review if r.id == self.pr.id else r for r in self.plan.reviews]}
        )
        return StandIn(p.id, p.role, taken, handover, objective, delta, changed, trial)


def suggest(
    scenario: Scenario,
    plan: Plan,
    review_id: str,
    replace: str,
    *,
    top: int | None = None,
    enough: int | None = None,
    calendar: WorkCalendar | None = None,
    deadline: float | None = None,
) -> Suggestions:
    """Ranked stand-ins for `replace` in review `review_id` on its current date.

    Ranked by objective change (best first), then fewer function hand-overs, then id.
    With `enough`, the search stops once that many valid stand-ins are found (candidates
    of the replaced member's role are tried first): enough to know that someone can come.
    Every candidate is appraised (`Swapper.appraise`); the stand-ins returned are judged
    again by the evaluator, which has the last word. With `deadline` (time.perf_counter())
    the candidates not reached by then are not considered (`considered` says how many were).
    Raises ValueError when the review is not in the plan or `replace` is not one of its members.
    """
    swapper = Swapper(scenario, plan, review_id, calendar)
    swapper.check_member(replace)
    found: list[StandIn] = []
    rejected: Counter[str] = Counter()
    considered = 0
    everyone = swapper.candidates(replace)
    for p in everyone:
        if enough is not None and len(found) >= enough:
            break
        if deadline is not None and considered % 64 == 0 and time.perf_counter() > deadline:
            break
        considered += 1
        outcome = swapper.screen(replace, p) or swapper.appraise(replace, p)
        if isinstance(outcome, StandIn):
            found.append(outcome)
        else:
            rejected.update(outcome)
    found.sort(key=lambda s: (-s.delta, len(s.handover), s.participant))
    ranked: list[StandIn] = []
    valid = len(found)
    for appraised in found:
        if top is not None and len(ranked) >= top:
            break
        judged = swapper.judge(replace, scenario.participant[appraised.participant])
        if isinstance(judged, StandIn):
            ranked.append(judged)
        else:  # never expected: the appraisal and the evaluator are kept equal by tests
            rejected.update(judged)
            valid -= 1
    ranked.sort(key=lambda s: (-s.delta, len(s.handover), s.participant))
    rest = tuple(found[len(ranked) :]) if top is None else ()
    return Suggestions(
        review_id,
        replace,
        (*ranked, *rest),
        considered,
        dict(sorted(rejected.items())),
        swapper.base,
        len(everyone),
        valid,
    )


__all__ = ["LOCAL_RULES", "StandIn", "Suggestions", "Swapper", "suggest", "swap"]
