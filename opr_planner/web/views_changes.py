"""Wijzigingen: confirm what is agreed, record a drop-out, repair, and send only the updates."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ..analysis.disruption import disruption
from ..errors import OprPlannerError
from ..export.i18n.workbench import workbench_words
from ..export.ics_sent import read_sent
from ..export.ics_update import CalendarUpdate, plan_update
from ..export.participant_rows import spreadsheet_date as shown_date
from ..io.fileio import write_atomic
from ..plan import Plan, write_plan
from . import editing, forms, plans, present, workspace
from .editing import typed_date
from .folder import Folder, OutsideFolder, version_of
from .pages import folder_of, job_for, jobs_of, language, no_plans_page, protected, render, scenario_key
from .responses import zip_attachment
from .tables import rows_of, with_row
from .views_plans import _time_limit, refuse, start_job


def _plan_name(request: Request, loaded: workspace.Loaded, form: Any = None) -> str | None:
    name = (form.get("p") if form is not None else None) or request.query_params.get("p")
    return str(name) if name else plans.latest(folder_of(request), loaded)


async def changes_page(request: Request) -> Response:
    folder = folder_of(request)
    loaded = workspace.load(folder, scenario_key(request))
    name = _plan_name(request, loaded)
    words = workbench_words(language(request, loaded))
    if not name:
        return no_plans_page(request, loaded, "changes")
    file = folder.plan(loaded.key, name)
    judged = plans.judge(loaded, file)
    job = jobs_of(request).get(loaded.key)
    snapshot = job_for(request, loaded.key, "repair")
    new_name = request.query_params.get("to", "")
    if not new_name and job is not None and job.kind == "repair" and job.state == "done" and job.base == name:
        new_name = job.written[0] if job.written else ""
    updates = _updates(request, loaded, folder, name, new_name) if new_name else None
    scenario = loaded.scenario
    lang = language(request, loaded)
    namer = present.Namer(scenario, lang)
    return render(
        request,
        "changes.html",
        loaded=loaded,
        page="changes",
        plan_name=name,
        judged=judged,
        plan_version=version_of(file.path),
        people=sorted(scenario.participants, key=lambda p: p.name.casefold()) if scenario else [],
        names={p.id: p.name for p in scenario.participants} if scenario else {},
        job=snapshot,
        updates=updates,
        review_title=namer.review,
        person=namer.person,
        day_text=lambda iso: shown_date(dt.date.fromisoformat(iso), lang) if iso else "",
        calendar_folder=folder.relative(folder.calendar_folder(loaded.key)),
        others=[f.name for f in folder.plans(loaded.key) if f.name != name],
        today=dt.date.today(),
        default_name=plans.stem_name(file.path).removeprefix(f"{loaded.path.stem}.") + "-hersteld",
        refusal=request.query_params.get("refusal", ""),
        notice=request.query_params.get("notice", ""),
        other_data=present.other_data_note(judged.plan, scenario, words) if judged.plan else "",
    )


def _updates(
    request: Request, loaded: workspace.Loaded, folder: Folder, old_name: str, new_name: str
) -> dict[str, Any] | None:
    """From the plan whose calendars were sent (`old_name`) to `new_name`: the one diff
    (analysis.disruption, as `repair` and `compare` print it) and the calendar update with
    its re-send list (export.ics_update, as `export ics --previous` writes it)."""
    try:
        old = plans.judge(loaded, folder.plan(loaded.key, old_name)).plan
        new = plans.judge(loaded, folder.plan(loaded.key, new_name)).plan
    except OutsideFolder:
        return None
    if old is None or new is None or loaded.scenario is None:
        return None
    lang = language(request, loaded)
    words = workbench_words(lang)
    view = present.diff_view(disruption(old, new, loaded.scenario), loaded.scenario, lang, words)
    try:
        update: CalendarUpdate | None = _calendar_update(loaded, folder, old, new, old_name)
        refused = ""
    except OprPlannerError as exc:
        update, refused = None, str(exc)
    return {"old": old_name, "new": new_name, "view": view, "calendar": update, "refused": refused}


def _calendar_update(
    loaded: workspace.Loaded, folder: Folder, old: Plan, new: Plan, old_name: str
) -> CalendarUpdate:
    """The update as `export ics --previous OLD -o <scenario>-agenda/` makes it: the
    calendars sent before are read from that folder, so SEQUENCE keeps counting up."""
    assert loaded.scenario is not None
    sent = folder.calendar_folder(loaded.key)
    return plan_update(
        loaded.scenario, new, old, sent=read_sent(sent) if sent.is_dir() else None, previous_label=old_name
    )


async def _posted(request: Request) -> tuple[Any, Folder, workspace.Loaded, str, str]:
    """What every action of this page starts from: the form, the folder, the scenario, the
    plan's name and the page to go back to."""
    form = await request.form()
    folder = folder_of(request)
    loaded = workspace.load(folder, scenario_key(request, form))
    name = str(form.get("p", ""))
    return form, folder, loaded, name, f"/changes?s={loaded.key}&p={name}"


@protected
async def confirm(request: Request) -> Response:
    """Write the confirmed flags of the plan's reviews and members (the plan file, whole)."""
    form, folder, loaded, name, back = await _posted(request)
    file = folder.plan(loaded.key, name)
    if form.get("version") != version_of(file.path):
        return refuse(request, loaded, back, "plan_conflict")
    plan = plans.judge(loaded, file).plan
    if plan is None:
        return refuse(request, loaded, back, "unreadable_plan")
    reviews = []
    for ri, r in enumerate(plan.reviews):
        members = [
            m.model_copy(update={"confirmed": form.get(f"m-{ri}-{mi}") == "on"})
            for mi, m in enumerate(r.members)
        ]
        reviews.append(r.model_copy(update={"confirmed": form.get(f"r-{ri}") == "on", "members": members}))
    write_plan(plan.model_copy(update={"reviews": reviews}), file.path)
    return RedirectResponse(f"{back}&notice=confirmed", status_code=303)


@protected
async def unavailable(request: Request) -> Response:
    """Record a drop-out (from a date to the deadline) or a period someone cannot come."""
    form, folder, loaded, _name, back = await _posted(request)
    if loaded.scenario is None:
        return refuse(request, loaded, back, "solve_invalid")
    try:
        pid = editing._person(loaded.scenario, str(form.get("who", "")))
        start = typed_date(str(form.get("from", "")))
        end_text = str(form.get("to", "")).strip()
        period = end_text and form.get("kind") == "period"
        end = typed_date(end_text) if period else loaded.scenario.calendar.deadline
    except editing.EditRefused:
        return refuse(request, loaded, back, "dropout_bad")
    if start is None or end is None or end < start:
        return refuse(request, loaded, back, "dropout_bad")
    part = forms.PARTS["participants"]
    rows = rows_of(loaded, part)
    index = next(i for i, r in enumerate(rows) if str(r.get("id")) == pid)
    row = copy.deepcopy(rows[index])
    items = row.get("unavailable") or []
    items = items if isinstance(items, list) else [items]
    row["unavailable"] = [*items, {"from": start.isoformat(), "to": end.isoformat()}]
    data, new_rows = with_row(loaded, part, index, row)
    problems = workspace.check_candidate(folder, loaded, data, new_rows)
    if problems:
        return refuse(request, loaded, back, "dropout_bad")
    workspace.save(loaded, data, new_rows)
    return RedirectResponse(f"{back}&notice=unavailable", status_code=303)


@protected
async def start_repair(request: Request) -> Response:
    form, folder, loaded, name, back = await _posted(request)
    file = folder.plan(loaded.key, name)
    if not loaded.valid:
        return refuse(request, loaded, back, "solve_invalid")
    args = {
        "scenario": str(loaded.path),
        "plan": str(file.path),
        "time_limit": _time_limit(form.get("time_limit"), 10),
    }
    return start_job(request, loaded, back, "repair", args, [str(form.get("name") or "hersteld")], base=name)


@protected
async def updates_zip(request: Request) -> Response:
    """The calendars that update those sent for the old plan, with the re-send list
    (changes.txt, changes.csv), as one zip; also written into `<scenario>-agenda/` (as
    `export ics --previous -o` does), so that the next update counts on from them."""
    form = await request.form()
    folder = folder_of(request)
    loaded = workspace.load(folder, scenario_key(request, form))
    if loaded.scenario is None:
        raise OutsideFolder("the scenario has problems")
    old_name = str(form.get("old", ""))
    old, new = _read(loaded, folder, old_name), _read(loaded, folder, str(form.get("new", "")))
    try:
        update = _calendar_update(loaded, folder, old, new, old_name)
        files = {**update.files, **update.extra}
        target = folder.calendar_folder(loaded.key)
        for file_name, data in files.items():
            write_atomic(target / file_name, data)
    except OprPlannerError as exc:
        words = workbench_words(language(request, loaded))
        return render(request, "message.html", loaded=loaded, status=422, title=words["error"], text=str(exc))
    return zip_attachment(files, f"{Path(loaded.key).stem}-agenda-updates.zip")


def _read(loaded: workspace.Loaded, folder: Any, name: str) -> Plan:
    plan = plans.judge(loaded, folder.plan(loaded.key, name)).plan
    if plan is None:
        raise OutsideFolder(f"{name} cannot be read")
    return plan


ROUTES = [
    Route("/changes", changes_page),
    Route("/changes/confirm", confirm, methods=["POST"]),
    Route("/changes/unavailable", unavailable, methods=["POST"]),
    Route("/changes/repair", start_repair, methods=["POST"]),
    Route("/changes/updates.zip", updates_zip, methods=["POST"]),
]
