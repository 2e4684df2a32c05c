"""Vergelijken: plans side by side (analysis.compare, as `opr-planner compare`), and alternatives."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..analysis.compare import compare
from ..export.i18n.rules import violation_text
from ..export.i18n.workbench import workbench_words
from . import plans, present, views_sweep, workspace
from .pages import folder_of, job_for, language, protected, render, scenario_key
from .views_plans import _time_limit, default_name, refuse, start_job

MAX_ALTERNATIVES = 10


async def compare_page(request: Request) -> Response:
    folder = folder_of(request)
    loaded = workspace.load(folder, scenario_key(request))
    all_plans = plans.judged_plans(folder, loaded)
    chosen = [p for p in request.query_params.getlist("p") if p]
    if not chosen:
        chosen = [j.file.name for j in all_plans[:2]]
    judged = [plans.judge(loaded, folder.plan(loaded.key, name)) for name in chosen]
    readable = [(j.file.name, j.plan) for j in judged if j.plan is not None]
    lang = language(request, loaded)
    words = workbench_words(lang)
    table: list[present.Row] = []
    diffs: list[tuple[str, str, present.DiffView]] = []
    violations: list[tuple[str, list[str]]] = []
    if loaded.scenario is not None and readable:
        comparison = compare(loaded.scenario, readable)
        table = present.comparison_rows(comparison, words, lang)
        diffs = [
            (d.baseline, d.other, present.diff_view(d.disruption, loaded.scenario, lang, words))
            for d in comparison.diffs
        ]
        violations = [
            (p.label, [violation_text(loaded.scenario, v, lang) for v in p.evaluation.violations])
            for p in comparison.plans
        ]
    job = job_for(request, loaded.key, "alternatives", "sweep")
    sweep = job["sweep"] if job and job["kind"] == "sweep" and job["state"] == "done" else None
    return render(
        request,
        "compare.html",
        loaded=loaded,
        page="compare",
        all_plans=all_plans,
        chosen=chosen,
        labels=[name for name, _ in readable],
        table=table,
        diffs=diffs,
        violations=violations,
        job=job,
        sweep=sweep,
        sweep_keys=views_sweep.sweep_keys(),
        sweep_name=views_sweep.default_name(),
        sweep_files=job["files"] if sweep and job else {},
        sweep_headers=present.sweep_headers(sweep, words) if sweep else [],
        sweep_verdict=present.sweep_verdict(sweep, words) if sweep else "",
        sweep_cell=lambda i, cell: present.sweep_cell(sweep, i, cell, words) if sweep else cell,
        default_name=default_name("alt"),
        refusal=request.query_params.get("refusal", ""),
    )


@protected
async def start_alternatives(request: Request) -> Response:
    form = await request.form()
    folder = folder_of(request)
    loaded = workspace.load(folder, scenario_key(request, form))
    back = f"/compare?s={loaded.key}"
    if not loaded.valid:
        return refuse(request, loaded, back, "solve_invalid")
    count = str(form.get("count", "3"))
    count_n = min(max(int(count), 1), MAX_ALTERNATIVES) if count.isdigit() else 3
    difference = str(form.get("min_difference", "2"))
    args = {
        "scenario": str(loaded.path),
        "count": count_n,
        "min_difference": int(difference) if difference.isdigit() and int(difference) > 0 else 2,
        "time_limit": _time_limit(form.get("time_limit"), 10),
    }
    prefix = str(form.get("name") or default_name("alt"))
    names = [f"{prefix}-{i}" for i in range(1, count_n + 1)]
    return start_job(request, loaded, back, "alternatives", args, names)


ROUTES = [
    Route("/compare", compare_page),
    Route("/compare/alternatives", start_alternatives, methods=["POST"]),
]
