"""`opr-planner explain SCENARIO PLAN` and `opr-planner compare SCENARIO PLAN PLAN [...]`."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console

from ..analysis.compare import Comparison, table_rows
from ..analysis.compare import compare as compare_plans
from ..analysis.disruption import change_lines, summary_line, who_in
from ..analysis.explain import Explanation
from ..analysis.explain import explain as explain_plan
from ..analysis.network import NetworkFigures
from ..evaluate import RULES
from ..scenario import Scenario
from .common import (
    handle_errors,
    load,
    load_plan,
    out,
    plan_argument,
    pseudonymised,
    scenario_argument,
    table,
)
from .export import anonymise_option

MAX_DETAIL = 160


def _short(items: tuple[str, ...] | list[str], limit: int = MAX_DETAIL) -> str:
    """Items joined by commas, cut off with a count of the rest when the line gets long."""
    text = ""
    for i, item in enumerate(items):
        candidate = f"{text}, {item}" if text else item
        if len(candidate) > limit:
            return f"{text}, … (+{len(items) - i} more)"
        text = candidate
    return text


def _deltas(adds: dict[str, int]) -> str:
    """'partnership_links +1, diversity +1; costs load_sumsq +3' from leave-one-out differences."""
    gains = ", ".join(f"{m} {d:+d}" for m, d in adds.items() if m != "load_sumsq") or "no metric"
    cost = adds.get("load_sumsq")
    return gains + (f"; costs load_sumsq {cost:+d}" if cost else "")


def _network_lines(con: Console, s: Scenario, figures: NetworkFigures) -> None:
    con.print("Connections (who meets whom):")
    con.print(
        f"  partnership pairs that meet: {figures.partnership_pairs_meeting} of {figures.partnership_pairs} "
        f"({figures.partnership_share:.0%}); region pairs: {figures.region_pairs_meeting} of {figures.region_pairs} "
        f"({figures.region_share:.0%})"
    )
    isolated = ", ".join(figures.isolated) or "none"
    con.print(
        f"  clusters: {figures.components} (1 = all connected); partnerships meeting nobody: {isolated}; "
        f"organisations without a partnership taking part: {figures.organisations}"
    )


def _print_explanation(con: Console, s: Scenario, plan_path: str, e: Explanation) -> None:
    verdict = (
        "obeys every hard rule"
        if e.evaluation.ok
        else f"breaks {len(e.evaluation.violations)} hard rule(s): {', '.join(e.evaluation.rule_ids)}"
    )
    con.print(f"Plan {plan_path} under {s.path}: objective {e.objective}; the plan {verdict}")
    con.print()
    rows = []
    for line in e.metrics:
        rows.append(
            [
                line.metric,
                line.value,
                "" if line.weight is None else line.weight,
                "" if line.contribution is None else line.contribution,
                _short(line.details, 90),
            ]
        )
    rows.append(["objective", "", "", e.objective, "sum of the contributions"])
    con.print(
        table(
            ["metric", "value", "weight", "contribution", "what counts"],
            rows,
            title="Objective = sum of weight × metric (load_sumsq counts negatively)",
            right=(1, 2, 3),
        )
    )
    for r in e.reviews:
        subject = s.partnership.get(r.subject)
        con.print()
        con.print(
            f"Review {r.id}: subject {r.subject} ({subject.name if subject and subject.name else r.subject}) on {r.date} ({r.date.strftime('%a')}), {len(r.members)} members"
        )
        if r.resilience is None:
            con.print(f"  Resilience: not worked out for {r.too_large}")
        else:
            covered, size = r.resilience
            con.print(
                f"  Resilience: {covered} of {size} members have at least one valid stand-in on this date"
                + ("" if covered == size else " (see `opr-planner suggest` and `solve --backups N`)")
            )
        if r.violations:
            con.print("  Broken rules:")
            for v in r.violations:
                con.print(f"    - {v}")
        con.print(
            "  Binding constraints (no slack left):"
            if r.binding
            else "  Binding constraints: none, every rule has slack"
        )
        for b in r.binding:
            con.print(f"    - {b}")
        if r.too_large:
            con.print(f"  Members ({len(r.members)}; what each adds is not worked out for {r.too_large}):")
            for m in r.members:
                con.print(
                    f"    {m.participant} {m.name}: {m.role}, {m.partnership or 'no partnership'}, region {m.region}"
                )
            continue
        con.print("  Members (adds / needed for: what changes if the member is taken out, all else equal):")
        for m in r.members:
            chair = f" [{', '.join(m.functions)}]" if m.functions else ""
            con.print(
                f"    {m.participant} {m.name}{chair}: {m.role}, {m.partnership or 'no partnership'}, region {m.region}; "
                f"worth {m.objective_delta:+d} to the objective"
            )
            helps = "; ".join(m.helps) or "—"
            if len(helps) <= 100:
                con.print(f"        helps satisfy: {helps}")
            else:
                con.print("        helps satisfy: " + f"\n{' ' * 23}".join(m.helps))
            con.print(f"        adds: {_deltas(m.adds)}")
            needed = ", ".join(f"{rule} ({RULES.get(rule, '')})" for rule in m.needed_for)
            con.print(f"        needed for: {needed or 'none (no rule breaks without them)'}")
    con.print()
    busy = [line for line in e.loads if line.load]
    rows = [
        [
            line.participant,
            line.name,
            line.partnership or "(none)",
            line.role,
            line.load,
            "" if line.limit is None else line.limit,
            ", ".join(line.reviews),
        ]
        for line in busy
    ]
    con.print(
        table(
            ["participant", "name", "partnership", "role", "reviews", "max", "which"],
            rows,
            title="Load per participant (in at least one review)",
            right=(4, 5),
        )
    )
    idle = [line.participant for line in e.loads if not line.load]
    if idle:
        con.print(f"{len(idle)} participant(s) in no review: {_short(idle)}")
    con.print()
    _network_lines(con, s, e.network)


@click.command()
@scenario_argument
@plan_argument
@handle_errors
def explain(scenario: str, plan: str) -> None:
    """Why PLAN scores as it does under SCENARIO: per metric its contribution to the
    objective, per review the binding constraints and what each member brings (the
    rules they help satisfy, the rules that break and the metrics lost without them),
    per participant their load, and who meets whom.

    Exit 0 (also for a plan that breaks rules; `check` judges), 2 on bad input.
    """
    s = load(scenario)
    p = load_plan(plan, s)
    _print_explanation(out(), s, plan, explain_plan(s, p))


def _print_comparison(con: Console, s: Scenario, c: Comparison) -> None:
    headers = ["", *[p.label if p.ok else f"{p.label} (!)" for p in c.plans]]
    rows = [[name, *cells] for name, cells in table_rows(c)]
    con.print(
        table(
            headers,
            rows,
            title=f"Plans judged under {s.path} ((!) = breaks hard rules)",
            right=range(1, len(headers)),
        )
    )
    for p in c.plans:
        if not p.ok:
            con.print(
                f"(!) {p.label} breaks {', '.join(f'{r} ({RULES[r]})' for r in p.evaluation.rule_ids)}; `opr-planner check` lists every violation"
            )
    who = who_in(s)
    for d in c.diffs:
        con.print()
        con.print(f"{d.other} against {d.baseline}: {summary_line(d.disruption)}", soft_wrap=True)
        for line in change_lines(d.disruption, who):
            con.print(f"  {line}", soft_wrap=True)


@click.command()
@scenario_argument
@click.argument("plans", nargs=-1, required=True, type=click.Path(path_type=str))
@anonymise_option
@handle_errors
def compare(scenario: str, plans: tuple[str, ...], anonymise: bool) -> None:
    """Judge two or more PLANS under SCENARIO and show them side by side: every
    metric, the objective, hard-rule violations (plans that break rules stay in the
    table, marked (!)), connections; then what differs from the first plan, per review and
    per participant: dates, members in and out, functions (chair) and confirmations.

    Plans solved from other variants of the scenario are judged under SCENARIO as
    given. With --anonymise, participants appear as stable pseudonyms. Exit 0, or 2 on
    bad input.
    """
    if len(plans) < 2:
        raise click.UsageError("compare needs at least two plans")
    s = load(scenario)
    names = [Path(path).name for path in plans]
    labels = names if len(set(names)) == len(names) else list(plans)
    loaded = [(label, load_plan(path)) for label, path in zip(labels, plans)]
    if anonymise:
        s, hidden = pseudonymised(s, [plan for _, plan in loaded])
        loaded = list(zip(labels, hidden))
    con = out()
    if labels != list(plans):
        for label, path in zip(labels, plans):
            con.print(f"{label}: {path}")
        con.print()
    _print_comparison(con, s, compare_plans(s, loaded))
