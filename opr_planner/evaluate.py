"""The single source of truth: a plan judged under a scenario, by the hard rules H1–H18
(rules.py) and the metrics and objective of SPEC section 4.

Pure Python, no solver. `check`, `compare`, `explain`, the exports and the solver's
tests all judge plans with `evaluate`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

from .calendar import WorkCalendar
from .plan import Plan
from .rules import CHECKS, RULES, Context, Violation
from .scenario.models import METRICS, Scenario


@dataclass(frozen=True)
class Evaluation:
    violations: tuple[Violation, ...]
    metrics: dict[str, int]
    objective: int
    loads: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def rule_ids(self) -> list[str]:
        return sorted({v.rule for v in self.violations}, key=lambda r: int(r[1:]))


def metrics_of(c: Context) -> dict[str, int]:
    """The metrics of SPEC section 4."""
    partnership_links: set[tuple[str, str]] = set()
    co_member: set[tuple[str, str]] = set()
    region_links: set[tuple[str, str]] = set()
    included: set[str] = set()
    diversity = preferences = 0
    for r, pr in c.reviews:
        members = c.members(pr)
        parts = sorted({p.partnership for p in members if p.partnership})
        regions = sorted({p.region for p in members})
        partnership_links.update((a, r.subject) for a in parts if a != r.subject)
        co_member.update(combinations(parts, 2))
        region_links.update(combinations(regions, 2))
        included.update(p.id for p in members if not p.partnership)
        diversity += len(regions)
        preferences += sum(1 for p in members if r.subject in p.prefer_subjects)
    loads = c.loads.values()
    return {
        "partnership_links": len(partnership_links),
        "co_member_links": len(co_member),
        "region_links": len(region_links),
        "inclusion": len(included),
        "diversity": diversity,
        "preferences": preferences,
        "load_sumsq": sum(n * n for n in loads),
        "max_load": max(loads, default=0),
    }


def objective_of(scenario: Scenario, metrics: dict[str, int]) -> int:
    """Weighted sum of the maximised metrics minus the weighted load_sumsq."""
    weights = scenario.objectives
    total = sum(getattr(weights, m) * metrics[m] for m in METRICS if m != "load_sumsq")
    return total - weights.load_sumsq * metrics["load_sumsq"]


def evaluate(scenario: Scenario, plan: Plan, calendar: WorkCalendar | None = None) -> Evaluation:
    """Judge `plan` under `scenario`: every violation, the metrics and the objective."""
    c = Context(scenario, plan, calendar or WorkCalendar(scenario))
    violations = tuple(v for check in CHECKS for v in check(c))
    metrics = metrics_of(c)
    return Evaluation(violations, metrics, objective_of(scenario, metrics), dict(c.loads))


def scored(scenario: Scenario, plan: Plan, calendar: WorkCalendar | None = None) -> tuple[Plan, Evaluation]:
    """`plan` with the evaluator's metrics and objective written in, and the evaluation."""
    result = evaluate(scenario, plan, calendar)
    return plan.model_copy(update={"metrics": dict(result.metrics), "objective": result.objective}), result


__all__ = ["RULES", "Evaluation", "Violation", "evaluate", "metrics_of", "objective_of", "scored"]
