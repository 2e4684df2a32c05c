"""`opr-planner check SCENARIO PLAN`: every hard-rule violation and the recomputed metrics."""

from __future__ import annotations

import sys
from collections import defaultdict

import click

from ..evaluate import RULES, evaluate
from ..plan import SessionDateError, sessions_for
from ..scenario.models import METRICS
from .common import (
    EXIT_VIOLATIONS,
    echo_err,
    handle_errors,
    load,
    load_plan,
    out,
    plan_argument,
    scenario_argument,
    table,
)


@click.command()
@scenario_argument
@plan_argument
@handle_errors
def check(scenario: str, plan: str) -> None:
    """Judge PLAN under SCENARIO: list every broken hard rule (H1–H18) by review,
    recompute the metrics and the objective.

    Exit 0 when the plan obeys every rule, 1 when it breaks any, 2 on bad input.
    """
    s = load(scenario)
    p = load_plan(plan, s)
    for r in p.reviews:
        if r.sessions is None or r.id not in s.review:
            continue
        try:
            derived = [(x.name, x.date, x.start, x.end) for x in sessions_for(s, r.id, r.date)]
        except SessionDateError:
            continue  # the date itself breaks H2, reported below
        if [(x.name, x.date, x.start, x.end) for x in r.sessions] != derived:
            echo_err(
                f"warning: review {r.id}: the sessions listed in {plan} do not follow from its date "
                f"{r.date} and the scenario's sessions; the rules are judged on the date"
            )
    result = evaluate(s, p)
    con = out()
    if result.violations:
        by_review: dict[str, list] = defaultdict(list)
        for v in result.violations:
            by_review[v.review or "(whole plan)"].append(v)
        order = [r.id for r in s.reviews]
        keys = sorted(by_review, key=lambda k: (order.index(k) if k in order else len(order), k))
        con.print(
            f"{len(result.violations)} violation(s) of {len(result.rule_ids)} rule(s): {', '.join(result.rule_ids)}"
        )
        for key in keys:
            con.print(f"\n{key}:")
            for v in sorted(by_review[key], key=lambda v: (v.rule_number, v.message)):
                con.print(f"  {v.rule} ({RULES[v.rule]}): {v.message}")
    else:
        con.print("OK: the plan obeys every hard rule")
    con.print()
    weights = s.objectives
    rows = []
    for m in (*METRICS, "max_load"):
        stated = (p.metrics or {}).get(m)
        w = getattr(weights, m, None)
        sign = -1 if m == "load_sumsq" else 1
        rows.append(
            [
                m,
                result.metrics[m],
                "" if w is None else sign * w * result.metrics[m],
                "" if stated is None else stated,
            ]
        )
    rows.append(["objective", "", result.objective, "" if p.objective is None else p.objective])
    con.print(
        table(
            ["metric", "value", "contribution", "in plan file"],
            rows,
            title="Metrics (recomputed)",
            right=(1, 2, 3),
        )
    )
    in_file = {k: v for k, v in (p.metrics or {}).items() if k in result.metrics}
    mismatched = [k for k, v in in_file.items() if v != result.metrics[k]]
    if p.objective is not None and p.objective != result.objective:
        mismatched.append("objective")
    if mismatched:
        con.print(
            f"\nnote: the plan file states other values for: {', '.join(mismatched)} (the recomputed values count)"
        )
    if result.violations:
        sys.exit(EXIT_VIOLATIONS)
