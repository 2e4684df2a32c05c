"""Plannen: the scenario's plans, and solving with live progress in a worker process."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator
from typing import Any

from sse_starlette.sse import EventSourceResponse
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ..export.i18n.workbench import workbench_words
from . import plans, present, workspace
from .folder import OutsideFolder
from .jobs import Busy
from .pages import folder_of, job_for, jobs_of, language, protected, render, scenario_key

DEFAULT_TIME_LIMIT = 30
MAX_TIME_LIMIT = 3600


def _time_limit(text: Any, default: float = DEFAULT_TIME_LIMIT) -> float:
    try:
        value = float(str(text).replace(",", "."))
    except ValueError:
        return default
    return min(max(value, 0.5), MAX_TIME_LIMIT)


def default_name(prefix: str = "plan") -> str:
    return f"{prefix}-{dt.datetime.now():%Y%m%d-%H%M%S}"


async def plans_page(request: Request) -> Response:
    folder = folder_of(request)
    loaded = workspace.load(folder, scenario_key(request))
    return render(
        request,
        "plans.html",
        loaded=loaded,
        page="plans",
        plans=plans.judged_plans(folder, loaded),
        made_for=lambda plan: plans.made_for(loaded, plan),
        made_for_text=lambda made: present.made_for_text(made, workbench_words(language(request, loaded))),
        job=job_for(request, loaded.key, "solve"),
        default_name=default_name(),
        time_limit=DEFAULT_TIME_LIMIT,
        refusal=request.query_params.get("refusal", ""),
    )


def refuse(request: Request, loaded: workspace.Loaded, target: str, key: str, **values: Any) -> Response:
    """Back to the page with a refusal in words (a redirect: reloading does not repeat the post)."""
    from urllib.parse import quote

    words = workbench_words(language(request, loaded))
    text = words[key].format(**values) if values else words[key]
    target, hash_, fragment = target.partition("#")
    sep = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{sep}refusal={quote(text, safe='')}{hash_}{fragment}", status_code=303)


@protected
async def start_solve(request: Request) -> Response:
    form = await request.form()
    folder = folder_of(request)
    loaded = workspace.load(folder, scenario_key(request, form))
    back = f"/plans?s={loaded.key}"
    if not loaded.valid:
        return refuse(request, loaded, back, "solve_invalid")
    args = {
        "scenario": str(loaded.path),
        "time_limit": _time_limit(form.get("time_limit")),
        "seed": int(seed) if (seed := str(form.get("seed") or "0")).isdigit() else 0,
    }
    return start_job(request, loaded, back, "solve", args, [str(form.get("name") or default_name())])


def start_job(
    request: Request,
    loaded: workspace.Loaded,
    back: str,
    kind: str,
    args: dict[str, Any],
    names: list[str],
    *,
    done: str | None = None,
    **extra: Any,
) -> Response:
    """Start a search whose plans are saved under `names` (new plan names of this scenario)
    and go to `done` (default: back), or go back saying why not (a bad or taken name, a
    search still running)."""
    folder = folder_of(request)
    try:
        targets = [folder.new_plan_path(loaded.key, name) for name in names]
    except OutsideFolder:
        return refuse(request, loaded, back, "bad_name")
    taken = [t.name for t in targets if t.exists()]
    if taken:
        return refuse(request, loaded, back, "name_taken", name=taken[0])
    try:
        jobs_of(request).start(loaded.key, kind, args, targets, **extra)
    except Busy:
        return refuse(request, loaded, back, "busy")
    return RedirectResponse(done or back, status_code=303)


@protected
async def stop(request: Request) -> Response:
    form = await request.form()
    key = scenario_key(request, form)
    jobs_of(request).stop(key)
    back = str(form.get("back") or f"/plans?s={key}")
    return RedirectResponse(
        back if back.startswith("/") and not back.startswith("//") else "/", status_code=303
    )


async def events(request: Request) -> Response:
    """Server-sent events: the job's state while it runs, then its outcome."""
    key = scenario_key(request)
    jobs = jobs_of(request)

    async def stream() -> AsyncIterator[dict[str, Any]]:
        last = None
        while True:
            job = jobs.get(key)
            if job is None:
                yield {"event": "none", "data": "{}"}
                return
            snapshot = job.snapshot()
            text = json.dumps(snapshot)
            if text != last:
                last = text
                yield {"event": "progress", "data": text}
            if not job.running:
                yield {"event": "finished", "data": text}
                return
            if await request.is_disconnected():
                return
            job.changed.clear()
            await asyncio.get_running_loop().run_in_executor(None, job.changed.wait, 0.5)

    return EventSourceResponse(stream(), ping=15)


async def job_panel(request: Request) -> Response:
    """The job panel alone (htmx reloads it when a job ends)."""
    loaded = workspace.load(folder_of(request), scenario_key(request))
    job = jobs_of(request).get(loaded.key)
    return render(request, "job.html", loaded=loaded, job=job.snapshot() if job else None)


ROUTES = [
    Route("/plans", plans_page),
    Route("/plans/solve", start_solve, methods=["POST"]),
    Route("/jobs/stop", stop, methods=["POST"]),
    Route("/jobs/events", events),
    Route("/jobs/panel", job_panel),
]
