"""The board report: one self-contained HTML file (no scripts, no external styles or fonts).

Boards decide on a plan from this page: when the reviews are (a timeline over the
calendar years with school and public holidays shaded), who sits in each group, what
the figures mean, and which partnerships and regions meet (an inline SVG network).
The page is rendered with jinja2 from `templates/report.html` with autoescaping on,
so names with `<`, `&` or quotes are shown, never run. It carries no timestamp: the
same scenario and plan give the same bytes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from .. import __version__
from ..analysis.network import connection_graph, network_figures
from ..evaluate import Evaluation, evaluate
from ..io.fileio import write_atomic
from ..plan import Plan
from ..scenario.models import METRICS, Scenario
from .figures import network_picture, timelines
from .i18n import (
    Language,
    function_label,
    lang_of,
    long_date,
    metric_meaning,
    metric_name,
    role_label,
    word,
    words,
)
from .i18n.rules import violation_text
from .view import ReviewView, partnership_name, region_name, review_views, subject_name


@dataclass(frozen=True)
class MetricRow:
    name: str  # in words, in the report's language
    key: str  # the metric's id (SPEC 4), shown as a tooltip
    value: int
    weight: int | None
    contribution: int | None
    meaning: str


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("opr_planner.export", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _group(scenario: Scenario, view: ReviewView, lang: Language) -> dict[str, Any]:
    return {
        "id": view.id,
        "name": view.review.name or "",
        "fixed": word(lang, "fixed") if view.review.fixed_date is not None else "",
        "subject": subject_name(scenario, view),
        "subject_id": view.review.subject,
        "date": long_date(view.date, lang),
        "confirmed": view.confirmed,
        "sessions": [
            {
                "name": s.name,
                "date": long_date(s.date, lang),
                "time": f"{s.start}–{s.end}",
                "location": s.location or "",
                "description": s.description or "",
                "visit": s.is_visit,
            }
            for s in view.sessions
        ],
        "members": [
            {
                "name": m.participant.name,
                "role": role_label(scenario, m.role, lang),
                "functions": ", ".join(function_label(f, lang) for f in m.functions),
                "partnership": partnership_name(scenario, m.participant.partnership, lang),
                "region": region_name(scenario, m.participant.region),
                "organisation": m.participant.organisation or "",
            }
            for m in view.members
        ],
    }


def _metric_rows(scenario: Scenario, result: Evaluation, lang: Language) -> list[MetricRow]:
    rows = []
    for m in (*METRICS, "max_load"):
        weight = getattr(scenario.objectives, m, None)
        sign = -1 if m == "load_sumsq" else 1
        contribution = None if weight is None else sign * weight * result.metrics[m]
        rows.append(
            MetricRow(
                metric_name(lang, m), m, result.metrics[m], weight, contribution, metric_meaning(lang, m)
            )
        )
    return rows


def _verdict(result: Evaluation, lang: Language) -> str:
    """One line a board reads first: the plan meets every rule, or which it breaks."""
    if result.ok:
        return word(lang, "verdict_ok")
    rules = sorted({v.rule for v in result.violations}, key=lambda r: int(r[1:]))
    return word(lang, "verdict_bad", count=len(rules), rules=", ".join(rules))


def report_context(scenario: Scenario, plan: Plan, *, plan_label: str | None = None) -> dict[str, Any]:
    """Everything the template shows, as plain values (no objects with behaviour)."""
    lang = lang_of(scenario)
    views = review_views(scenario, plan)
    result = evaluate(scenario, plan)
    graph = connection_graph(scenario, plan)
    figures = network_figures(scenario, plan, graph)
    loads = Counter(result.loads.values())
    return {
        "lang": lang,
        "w": words(lang),
        "title": f"{word(lang, 'report_title')}: {scenario.name}",
        "scenario": scenario.name,
        "plan_label": plan_label or "",
        "status": word(lang, f"status_{plan.solver.status if plan.solver else 'manual'}"),
        "verdict": _verdict(result, lang),
        "violations": [violation_text(scenario, v, lang) for v in result.violations],
        "timelines": timelines(scenario, views, lang),
        "groups": [_group(scenario, v, lang) for v in views],
        "metrics": _metric_rows(scenario, result, lang),
        "objective": result.objective,
        "network": network_picture(graph),
        "figures": [
            (
                word(lang, "pair_share"),
                f"{figures.partnership_pairs_meeting} / {figures.partnership_pairs} ({figures.partnership_share:.0%})",
            ),
            (
                word(lang, "region_share"),
                f"{figures.region_pairs_meeting} / {figures.region_pairs} ({figures.region_share:.0%})",
            ),
            (word(lang, "components"), str(figures.components)),
            (
                word(lang, "isolated"),
                ", ".join(partnership_name(scenario, p, lang) for p in figures.isolated) or "—",
            ),
            (word(lang, "orgs_taking_part"), str(figures.organisations)),
        ],
        "loads": sorted(loads.items()),
        "version": word(lang, "generated", version=__version__),
    }


def html_report(scenario: Scenario, plan: Plan, *, plan_label: str | None = None) -> str:
    """The report as one HTML document. Raises ExportRefused if the plan names unknown reviews or people."""
    template = _environment().get_template("report.html")
    return template.render(**report_context(scenario, plan, plan_label=plan_label))


def write_html(scenario: Scenario, plan: Plan, path: str | Path, *, plan_label: str | None = None) -> Path:
    """Write the report atomically (UTF-8)."""
    path = Path(path)
    write_atomic(path, html_report(scenario, plan, plan_label=plan_label))
    return path
