"""Plan: the groups of one plan, edited by hand with the evaluator's verdict at every step."""

from __future__ import annotations

from html import escape
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from ..analysis.suggest import suggest
from ..errors import OprPlannerError
from ..export.html import html_report
from ..export.i18n import Language, function_label, role_label
from ..export.i18n.workbench import workbench_words
from ..export.view import partnership_name, region_name
from ..plan import Plan, write_plan
from ..scenario import Scenario
from . import editing, plans, present, workspace
from .folder import OutsideFolder
from .pages import folder_of, language, no_plans_page, protected, render, scenario_key


def _words(request: Request, loaded: workspace.Loaded) -> dict[str, str]:
    return workbench_words(language(request, loaded))


def workspace_context(
    request: Request,
    loaded: workspace.Loaded,
    base: str,
    draft: Plan,
    *,
    saved: plans.Judged,
    message: str = "",
    suggestions: dict[str, Any] | None = None,
    edited: bool = False,
    open_at: tuple[int, int] | None = None,
) -> dict[str, Any]:
    scenario = loaded.scenario
    assert scenario is not None
    lang: Language = language(request, loaded)
    v = editing.verdict(scenario, draft, loaded.calendar)
    saved_objective = saved.evaluation.objective if saved.evaluation else None  # judged once, cached
    reviews = []
    for ri, r in enumerate(draft.reviews):
        known = scenario.review.get(r.id)
        members = []
        for mi, m in enumerate(r.members):
            p = scenario.participant.get(m.participant)
            members.append(
                {
                    "index": mi,
                    "id": m.participant,
                    "name": p.name if p else m.participant,
                    "role": role_label(scenario, m.role, lang),
                    "partnership": partnership_name(scenario, p.partnership, lang) if p else "?",
                    "region": region_name(scenario, p.region) if p else "?",
                    "functions": [function_label(f, lang) for f in m.functions],
                    "violations": v.by_member.get((r.id, m.participant), []),
                    "confirmed": m.confirmed,
                }
            )
        reviews.append(
            {
                "index": ri,
                "id": r.id,
                "name": scenario.review_title(known) if known else r.id,
                "named": bool(known and known.name),
                "subject": _subject(scenario, r.subject),
                "date": r.date,
                "members": members,
                "violations": v.by_review.get(r.id, []),
                "confirmed": r.confirmed,
            }
        )
    return {
        "base": base,
        "draft": editing.draft_text(draft),
        "reviews": reviews,
        "verdict": v,
        "general": v.general,
        "objective": v.evaluation.objective,
        "saved_objective": saved_objective,
        "metrics": v.evaluation.metrics,
        "functions": [f for f, n in scenario.rules.functions.items() if n],
        "function_label": lambda f: function_label(f, lang),
        "people": sorted(scenario.participants, key=lambda p: p.name.casefold()),
        "message": message,
        "suggestions": suggestions or {},
        "open_at": open_at,
        "edited": edited,
        "plan_name": base,
        "save_name": plans.stem_name(folder_of(request).plan(loaded.key, base).path).removeprefix(
            f"{loaded.path.stem}."
        )
        + "-hand",
    }


def _subject(scenario: Scenario, pid: str) -> str:
    p = scenario.partnership.get(pid)
    return (p.name or p.id) if p else pid


async def plan_page(request: Request) -> Response:
    folder = folder_of(request)
    loaded = workspace.load(folder, scenario_key(request))
    name = request.query_params.get("p") or plans.latest(folder, loaded)
    if not name:
        return no_plans_page(request, loaded, "plan")
    if loaded.scenario is None:
        return render(
            request,
            "message.html",
            loaded=loaded,
            page="plan",
            status=409,
            title=_words(request, loaded)["nav_plan"],
            text=_words(request, loaded)["solve_invalid"],
            back=f"/data?s={loaded.key}",
        )
    judged = plans.judge(loaded, folder.plan(loaded.key, name))
    if judged.plan is None:
        return render(
            request,
            "message.html",
            loaded=loaded,
            page="plan",
            status=422,
            title=name,
            text=judged.error,
            back=f"/plans?s={loaded.key}",
        )
    context = workspace_context(request, loaded, name, judged.plan, saved=judged)
    note = present.other_data_note(judged.plan, loaded.scenario, _words(request, loaded))
    return render(request, "plan.html", loaded=loaded, page="plan", other_data=note, **context)


@protected
async def edit(request: Request) -> Response:
    """One hand edit; answers with the refreshed workspace (htmx) or the whole page."""
    form = await request.form()
    folder = folder_of(request)
    loaded = workspace.load(folder, scenario_key(request, form))
    base = str(form.get("base", ""))
    file = folder.plan(loaded.key, base)
    if loaded.scenario is None:
        raise OutsideFolder("the scenario has problems; fix them on the Gegevens page first")
    words = _words(request, loaded)
    judged = plans.judge(loaded, file)
    saved = judged.plan
    open_at: tuple[int, int] | None = None  # the member whose actions are shown
    message = ""
    suggestions: dict[str, Any] = {}
    op = str(form.get("op", ""))
    try:
        draft = editing.read_draft(str(form.get("draft", "")))
    except editing.EditRefused as exc:
        if saved is None:
            raise OutsideFolder(str(exc)) from None
        draft, op, message = saved, "", f"{words['edit_refused']}: {exc}"
    try:
        if op == "save":
            return _save(request, loaded, draft, str(form.get("save_name", "")))
        if op == "reset" and saved is not None:
            draft = saved
        elif op.startswith("suggest "):
            suggestions = _suggestions(loaded.scenario, draft, op)
            open_at = suggestions["at"]
        elif op.startswith("open "):
            open_at = editing.position(draft, op)
        elif op:
            draft = editing.apply(loaded.scenario, draft, op, form)
    except editing.EditRefused as exc:
        message = f"{words['edit_refused']}: {exc}"
    context = workspace_context(
        request,
        loaded,
        base,
        draft,
        saved=judged,
        message=message,
        suggestions=suggestions,
        edited=True,
        open_at=open_at,
    )
    template = "plan_workspace.html" if request.headers.get("hx-request") else "plan.html"
    note = present.other_data_note(saved, loaded.scenario, words) if saved is not None else ""
    return render(request, template, loaded=loaded, page="plan", other_data=note, **context)


def _suggestions(scenario: Scenario, draft: Plan, op: str) -> dict[str, Any]:
    ri, mi = editing.position(draft, op)
    review = draft.reviews[ri]
    found = suggest(scenario, draft, review.id, review.members[mi].participant, top=8)
    return {
        "at": (ri, mi),
        "stand_ins": [
            {"id": s.participant, "name": scenario.participant[s.participant].name, "delta": s.delta}
            for s in found.stand_ins
        ],
        "considered": found.considered,
    }


def _save(request: Request, loaded: workspace.Loaded, draft: Plan, name: str) -> Response:
    folder = folder_of(request)
    words = _words(request, loaded)
    try:
        target = folder.new_plan_path(loaded.key, name or "hand")
    except OutsideFolder:
        return HTMLResponse(f"<p class='bad'>{words['bad_name']}</p>", status_code=422)
    if target.exists():
        return HTMLResponse(
            f"<p class='bad refusal' role='alert'>{escape(words['name_taken'].format(name=target.name))}</p>",
            status_code=409,
        )
    assert loaded.scenario is not None
    write_plan(editing.as_manual(loaded.scenario, draft), target)
    url = f"/plan?s={loaded.key}&p={target.name}"
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


@protected
async def report(request: Request) -> Response:
    """The board report of the draft (timeline, groups, network), shown in a frame."""
    form = await request.form()
    loaded = workspace.load(folder_of(request), scenario_key(request, form))
    if loaded.scenario is None:
        raise OutsideFolder("the scenario has problems")
    try:
        draft = editing.read_draft(str(form.get("draft", "")))
    except editing.EditRefused as exc:
        return HTMLResponse(str(exc), status_code=422)
    try:
        html = html_report(loaded.scenario, draft, plan_label=str(form.get("base", "")))
    except OprPlannerError as exc:
        return HTMLResponse(f"<p class='bad'>{escape(str(exc))}</p>", status_code=422)
    return render(request, "report_frame.html", loaded=loaded, html=html)


ROUTES = [
    Route("/plan", plan_page),
    Route("/plan/edit", edit, methods=["POST"]),
    Route("/plan/report", report, methods=["POST"]),
]
