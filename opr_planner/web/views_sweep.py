"""Vergelijken: a sweep (what if a rule or a weight took other values?), one plan per
variant, solved by the sweep library (opr_planner.sweep) in the worker process, and its
table of trade-offs as `opr-planner sweep` prints it."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..errors import ScenarioError
from ..export.i18n.problems import problem_text
from ..io.reader import InputFileError, read_bytes
from ..sweep import build_variants, parse_varies, scenario_data, tasks_for
from . import forms, workspace
from .folder import OutsideFolder
from .pages import folder_of, language, protected, scenario_key
from .responses import CSV, XLSX, attachment
from .views_plans import _time_limit, refuse, start_job

MAX_VARIANTS = 12
ROWS = 2  # keys varied at once in the form


def sweep_keys() -> list[str]:
    """The keys a sweep may vary, as the form offers them: the rules, then the weights."""
    rules = [f"rules.{f.key}" for f in forms.PARTS["rules"].fields]
    weights = [f"objectives.{f.key}" for f in forms.PARTS["objectives"].fields]
    return rules + weights


@protected
async def start_sweep(request: Request) -> Response:
    form = await request.form()
    folder = folder_of(request)
    loaded = workspace.load(folder, scenario_key(request, form))
    chosen = "".join(f"&p={quote(str(p))}" for p in form.getlist("p"))
    back = f"/compare?s={quote(loaded.key)}{chosen}"  # refusals show at the top of the page
    if not loaded.valid or loaded.scenario is None:
        return refuse(request, loaded, back, "solve_invalid")
    options = []
    for i in range(1, ROWS + 1):
        key, values = str(form.get(f"key-{i}", "")).strip(), str(form.get(f"values-{i}", "")).strip()
        if key and values:
            if key not in sweep_keys():
                return refuse(request, loaded, back, "sweep_bad", why=key)
            options.append(f"{key}={values}")
    if not options:
        return refuse(request, loaded, back, "sweep_none")
    try:
        varies = parse_varies(options)
        variants = build_variants(loaded.scenario, scenario_data(loaded.path), varies)
    except ScenarioError as exc:
        lang = language(request, loaded)
        why = "; ".join(problem_text(p, lang) for p in exc.problems[:3])
        return refuse(request, loaded, back, "sweep_bad", why=why)
    if len(variants) > MAX_VARIANTS:
        return refuse(request, loaded, back, "sweep_many", count=len(variants), most=MAX_VARIANTS)
    prefix = str(form.get("name") or default_name())
    try:
        table = folder.new_plan_path(loaded.key, prefix)  # <scenario>.<prefix>: the table's name
    except OutsideFolder:
        return refuse(request, loaded, back, "bad_name")
    stem = table.name.removesuffix(".plan.yaml")
    files = {"csv": table.with_name(f"{stem}.sweep.csv"), "xlsx": table.with_name(f"{stem}.sweep.xlsx")}
    per_variant = _time_limit(form.get("time_limit"), 10)
    tasks = tasks_for(loaded.scenario, variants, seed=0, time_limit=per_variant)
    numbers = range(1, len(tasks) + 1)
    args = {
        "tasks": tasks,
        "varies": options,
        "stems": [f"{stem}-{i}" for i in numbers],  # the plan files' names, less .plan.yaml
        "time_limit": per_variant * len(tasks),
    }
    names = [f"{prefix}-{i}" for i in numbers]
    return start_job(request, loaded, back, "sweep", args, names, done=f"{back}#sweep", files=files)


def default_name() -> str:
    return f"watals-{dt.datetime.now():%Y%m%d-%H%M%S}"


async def sweep_table(request: Request) -> Response:
    """A sweep's table as written beside the scenario (`<scenario>.<name>.sweep.csv|xlsx`)."""
    folder = folder_of(request)
    scenario = folder.scenario_path(scenario_key(request))
    name = request.query_params.get("f", "")
    if not re.fullmatch(rf"{re.escape(scenario.stem)}\.[A-Za-z0-9_.-]+\.sweep\.(csv|xlsx)", name):
        raise OutsideFolder(f"{name!r} is not a sweep table of this scenario")
    try:
        data = read_bytes(folder.inside(scenario.parent / name))
    except InputFileError as exc:
        raise OutsideFolder(f"{name!r} cannot be read") from exc
    return attachment(data, CSV if name.endswith(".csv") else XLSX, name)


ROUTES = [
    Route("/compare/sweep", start_sweep, methods=["POST"]),
    Route("/download/sweep", sweep_table),
]
