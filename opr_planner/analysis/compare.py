"""Plans side by side, all judged under one scenario.

A coordinator compares alternatives ("groups of 5 instead of 4?") before boards
decide. Every plan is judged by `evaluate` under the scenario given, also plans solved
from another variant of it, so the figures are comparable; a plan that breaks rules
stays in the comparison, marked with the rules it breaks. What differs is reported
against the first plan (the baseline): per review and per participant whose date,
group, functions or confirmations differ, and the disruption figures of SPEC 5.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..calendar import WorkCalendar
from ..evaluate import Evaluation, evaluate
from ..plan import MadeFor, Plan, made_for
from ..scenario.models import METRICS, Scenario
from .disruption import Disruption, ReviewChange, disruption
from .network import NetworkFigures, network_figures

METRIC_ROWS = (*METRICS, "max_load")


@dataclass(frozen=True)
class JudgedPlan:
    """One plan and what the scenario says about it."""

    label: str
    plan: Plan
    evaluation: Evaluation
    network: NetworkFigures
    made_for: MadeFor  # whether the plan was made for SCENARIO's data as they are now

    @property
    def same_scenario(self) -> bool | None:
        """None when the plan does not say which data it was made for."""
        return self.made_for.same

    @property
    def ok(self) -> bool:
        return self.evaluation.ok


@dataclass(frozen=True)
class PlanDiff:
    """Everything that differs between the baseline and one other plan (`analysis.disruption`)."""

    baseline: str
    other: str
    disruption: Disruption

    @property
    def changes(self) -> tuple[ReviewChange, ...]:
        """Only the reviews that differ, in scenario order."""
        return self.disruption.reviews

    @property
    def moved_reviews(self) -> int:
        return self.disruption.moved_reviews

    @property
    def changed_memberships(self) -> int:
        return self.disruption.changed_memberships

    @property
    def changed_functions(self) -> int:
        return self.disruption.changed_functions


@dataclass(frozen=True)
class Comparison:
    plans: tuple[JudgedPlan, ...]
    diffs: tuple[PlanDiff, ...]


def diff_plans(scenario: Scenario, baseline: tuple[str, Plan], other: tuple[str, Plan]) -> PlanDiff:
    """What changed from `baseline` to `other`, reviews in scenario order.

    The one diff of `analysis.disruption`, so `compare`, `repair` and the calendar
    updates see and count (SPEC 5) the same differences.
    """
    return PlanDiff(baseline[0], other[0], disruption(baseline[1], other[1], scenario))


def compare(scenario: Scenario, plans: list[tuple[str, Plan]]) -> Comparison:
    """Judge every plan under `scenario` and diff each against the first."""
    cal = WorkCalendar(scenario)
    plans = unique_labels(plans)
    judged = []
    for label, plan in plans:
        judged.append(
            JudgedPlan(
                label,
                plan,
                evaluate(scenario, plan, cal),
                network_figures(scenario, plan),
                made_for(plan, scenario),
            )
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
    rows.append(
        (
            "changed functions vs first",
            ["—" if i == 0 else str(by_other[p.label].changed_functions) for i, p in enumerate(plans)],
        )
    )
    rows.append(("solver status", [p.plan.solver.status if p.plan.solver else "manual" for p in plans]))
    rows.append(
        (
            "made for these data",
            [p.made_for.label for p in plans],
        )
    )
    return rows
