"""Plans side by side, all judged under one scenario.

A coordinator compares alternatives ("groups of 5 instead of 4?") before boards
decide. Every plan is judged by `evaluate` under the scenario given, also plans solved
from another variant of it, so the figures are comparable; a plan that breaks rules
stays in the comparison, marked with the rules it breaks. What differs is reported
against the first plan (the baseline): reviews whose date moved, members added and
removed per review, and the disruption figures of SPEC 5.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..calendar import WorkCalendar
from ..evaluate import Evaluation, evaluate
from ..plan import Plan
from ..scenario.models import METRICS, Scenario
from .disruption import disruption
from .network import NetworkFigures, network_figures

METRIC_ROWS = (*METRICS, "max_load")


@dataclass(frozen=True)
class JudgedPlan:
    """One plan and what the scenario says about it."""

    label: str
    plan: Plan
    evaluation: Evaluation
    network: NetworkFigures
    same_scenario: bool | None  # None when the plan does not say which scenario file it was made for

    @property
    def ok(self) -> bool:
        return self.evaluation.ok


@dataclass(frozen=True)
class ReviewChange:
    """How one review differs between the baseline and another plan."""

    review: str
    old_date: dt.date | None  # None: the review is missing from the baseline
    new_date: dt.date | None  # None: the review is missing from the other plan
    added: tuple[str, ...]  # members the other plan has and the baseline lacks
    removed: tuple[str, ...]  # members the baseline has and the other plan lacks

    @property
    def moved(self) -> bool:
        return self.old_date is not None and self.new_date is not None and self.old_date != self.new_date

    @property
    def days(self) -> int | None:
        """How many days the review moved (negative: earlier), None unless it moved."""
        if self.old_date is None or self.new_date is None or not self.moved:
            return None
        return (self.new_date - self.old_date).days


@dataclass(frozen=True)
class PlanDiff:
    """Everything that differs between the baseline and one other plan."""

    baseline: str
    other: str
    changes: tuple[ReviewChange, ...]  # only reviews that differ, in scenario order
    moved_reviews: int  # SPEC 5: reviews whose date differs
    changed_memberships: int  # SPEC 5: memberships of the baseline the other plan lacks


@dataclass(frozen=True)
class Comparison:
    plans: tuple[JudgedPlan, ...]
    diffs: tuple[PlanDiff, ...]


def diff_plans(scenario: Scenario, baseline: tuple[str, Plan], other: tuple[str, Plan]) -> PlanDiff:
    """What changed from `baseline` to `other`, reviews in scenario order.

    The figures come from `analysis.disruption`, so `compare` and `repair` count
    `moved_reviews` and `changed_memberships` (SPEC 5) the same way.
    """
    d = disruption(baseline[1], other[1])
    order = {r.id: i for i, r in enumerate(scenario.reviews)}
    changes = [
        ReviewChange(c.review, c.old_date, c.new_date, c.joined, c.left)
        for c in sorted(d.reviews, key=lambda c: (order.get(c.review, len(order)), c.review))
    ]
    return PlanDiff(baseline[0], other[0], tuple(changes), d.moved_reviews, d.changed_memberships)


def compare(scenario: Scenario, plans: list[tuple[str, Plan]]) -> Comparison:
    """Judge every plan under `scenario` and diff each against the first."""
    cal = WorkCalendar(scenario)
    plans = unique_labels(plans)
    judged = []
    for label, plan in plans:
        sha = plan.scenario.sha256
        same = None if not sha or not scenario.sha256 else sha == scenario.sha256
        judged.append(
            JudgedPlan(label, plan, evaluate(scenario, plan, cal), network_figures(scenario, plan), same)
        )
    diffs = tuple(diff_plans(scenario, plans[0], other) for other in plans[1:]) if plans else ()
    return Comparison(tuple(judged), diffs)


def unique_labels(plans: list[tuple[str, Plan]]) -> list[tuple[str, Plan]]:
    """The same plans with labels made unique (`plan.yaml`, `plan.yaml (2)`, ...)."""
    seen: dict[str, int] = {}
    out = []
    for label, plan in plans:
        seen[label] = seen.get(label, 0) + 1
        out.append((label if seen[label] == 1 else f"{label} ({seen[label]})", plan))
    return out


def table_rows(comparison: Comparison) -> list[tuple[str, list[str]]]:
    """The side-by-side table: (row name, one cell per plan)."""
    plans = comparison.plans
    rows: list[tuple[str, list[str]]] = []
    for m in METRIC_ROWS:
        rows.append((m, [str(p.evaluation.metrics[m]) for p in plans]))
    rows.append(("objective", [str(p.evaluation.objective) for p in plans]))
    best = max(p.evaluation.objective for p in plans) if plans else 0
    rows.append(("objective gap to best", [str(best - p.evaluation.objective) for p in plans]))
    rows.append(
        (
            "hard-rule violations",
            [
                "0" if p.ok else f"{len(p.evaluation.violations)} ({', '.join(p.evaluation.rule_ids)})"
                for p in plans
            ],
        )
    )
    rows.append(
        (
            "partnership pairs meeting",
            [f"{p.network.partnership_pairs_meeting}/{p.network.partnership_pairs}" for p in plans],
        )
    )
    rows.append(
        (
            "region pairs meeting",
            [f"{p.network.region_pairs_meeting}/{p.network.region_pairs}" for p in plans],
        )
    )
    rows.append(("network clusters", [str(p.network.components) for p in plans]))
    by_other = {d.other: d for d in comparison.diffs}
    rows.append(
        (
            "moved reviews vs first",
            ["—" if i == 0 else str(by_other[p.label].moved_reviews) for i, p in enumerate(plans)],
        )
    )
    rows.append(
        (
            "changed memberships vs first",
            ["—" if i == 0 else str(by_other[p.label].changed_memberships) for i, p in enumerate(plans)],
        )
    )
    rows.append(("solver status", [p.plan.solver.status if p.plan.solver else "manual" for p in plans]))
    rows.append(
        (
            "made for this scenario file",
            [
                "?" if p.same_scenario is None else ("yes" if p.same_scenario else "no (variant)")
                for p in plans
            ],
        )
    )
    return rows
