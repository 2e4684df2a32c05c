"""Stand-ins for one member of one review, each judged by the evaluator with the whole plan.

A stand-in is valid when swapping them in (on the review's current date) adds no violation
that the plan did not already have: the plan may already be broken because the scenario
changed (the member who drops out is now unavailable), and the swap is judged only on what
it adds. The replaced member's functions (chair, ...) pass to the stand-in when they can
hold them, otherwise to a remaining member who can and holds none.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..calendar import WorkCalendar, can_attend
from ..evaluate import Evaluation, Violation, evaluate
from ..plan import Member, Plan
from ..scenario.models import METRICS, Participant, Scenario

METRIC_KEYS = (*METRICS, "max_load")

Key = tuple[str, str | None, tuple[str, ...]]

# Rules the evaluator judges from one review alone: a swap's violations of these show
# on a plan that holds just the changed review, which is much cheaper to evaluate.
LOCAL_RULES = frozenset({"H3", "H4", "H5", "H6", "H7", "H8", "H9", "H10", "H11", "H12", "H13", "H16"})


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
    person = scenario.participant[stand_in]
    review = plan.review[review_id]
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
    reviews = [new_review if r.id == review_id else r for r in plan.reviews]
    return plan.model_copy(update={"reviews": reviews}), taken, tuple(handover)


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
        self.base = evaluate(scenario, plan, self.cal)
        self.allowed = {_key(v) for v in self.base.violations}
        self.allowed_here = self._local(plan)

    def _local(self, plan: Plan) -> set[Key]:
        alone = plan.model_copy(update={"reviews": [plan.review[self.pr.id]]})
        return {_key(v) for v in evaluate(self.scenario, alone, self.cal).violations if v.rule in LOCAL_RULES}

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
        for other in self.plan.reviews if k else ():
            if other.id != pr.id and abs((other.date - pr.date).days) < k and p.id in other.member_ids:
                return "H15"
        return None

    def screen(self, replace: str, p: Participant) -> set[str]:
        """Rules the swap would break for sure (empty: `judge` decides)."""
        personal = self._personal(p)
        if personal:
            return {personal}
        trial, _, _ = swap(self.scenario, self.plan, self.pr.id, replace, p.id)
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


def suggest(
    scenario: Scenario,
    plan: Plan,
    review_id: str,
    replace: str,
    *,
    top: int | None = None,
    enough: int | None = None,
    calendar: WorkCalendar | None = None,
) -> Suggestions:
    """Ranked stand-ins for `replace` in review `review_id` on its current date.

    Ranked by objective change (best first), then fewer function hand-overs, then id.
    With `enough`, the search stops once that many valid stand-ins are found (candidates
    of the replaced member's role are tried first): enough to know that someone can come.
    Raises ValueError when the review is not in the plan or `replace` is not one of its members.
    """
    swapper = Swapper(scenario, plan, review_id, calendar)
    swapper.check_member(replace)
    found: list[StandIn] = []
    rejected: Counter[str] = Counter()
    considered = 0
    for p in swapper.candidates(replace):
        if enough is not None and len(found) >= enough:
            break
        considered += 1
        outcome = swapper.screen(replace, p) or swapper.judge(replace, p)
        if isinstance(outcome, StandIn):
            found.append(outcome)
        else:
            rejected.update(outcome)
    found.sort(key=lambda s: (-s.delta, len(s.handover), s.participant))
    ranked = tuple(found if top is None else found[:top])
    return Suggestions(review_id, replace, ranked, considered, dict(sorted(rejected.items())), swapper.base)


__all__ = ["LOCAL_RULES", "StandIn", "Suggestions", "Swapper", "suggest", "swap"]
