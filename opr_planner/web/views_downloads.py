"""Downloads: the plan's calendars (all, per participant, as a zip), spreadsheet and board report."""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..errors import OprPlannerError
from ..export.csv import csv_text
from ..export.html import html_report
from ..export.i18n.workbench import workbench_words
from ..export.ics import ALL_FILE, ics_calendars
from ..export.xlsx import plan_workbook
from ..plan import Plan
from . import plans, present, workspace
from .folder import OutsideFolder
from .pages import folder_of, language, no_plans_page, render, scenario_key
from .responses import CSV, HTML, ICS, XLSX, attachment, zip_attachment


def _chosen(request: Request) -> tuple[workspace.Loaded, str | None]:
    folder = folder_of(request)
    loaded = workspace.load(folder, scenario_key(request))
    return loaded, request.query_params.get("p") or plans.latest(folder, loaded)


async def downloads_page(request: Request) -> Response:
    loaded, name = _chosen(request)
    words = workbench_words(language(request, loaded))
    if not name:
        return no_plans_page(request, loaded, "downloads")
    judged = plans.judge(loaded, folder_of(request).plan(loaded.key, name))
    members = []
    if judged.plan is not None and loaded.scenario is not None:
        ids = sorted({m.participant for r in judged.plan.reviews for m in r.members})
        members = [
            (pid, loaded.scenario.participant[pid].name) for pid in ids if pid in loaded.scenario.participant
        ]
    return render(
        request,
        "downloads.html",
        loaded=loaded,
        page="downloads",
        plan_name=name,
        judged=judged,
        members=members,
        other_data=present.other_data_note(judged.plan, loaded.scenario, words) if judged.plan else "",
    )


def _plan(request: Request, loaded: workspace.Loaded, name: str | None) -> Plan:
    if not name or loaded.scenario is None:
        raise OutsideFolder("no plan, or the scenario has problems")
    plan = plans.judge(loaded, folder_of(request).plan(loaded.key, name)).plan
    if plan is None:
        raise OutsideFolder(f"{name} cannot be read")
    return plan


def _base(name: str) -> str:
    stem = re.sub(r"\.plan\.(ya?ml|json)$", "", name)
    return re.sub(r"[^A-Za-z0-9_.-]", "_", stem) or "plan"


async def download(request: Request) -> Response:
    loaded, name = _chosen(request)
    what = request.path_params["what"]
    plan = _plan(request, loaded, name)
    scenario = loaded.scenario
    assert scenario is not None and name is not None
    base = _base(name)
    try:
        if what == "calendars.zip":
            return zip_attachment(ics_calendars(scenario, plan), f"{base}-agenda.zip")
        if what == "all.ics":
            return attachment(ics_calendars(scenario, plan)[ALL_FILE], ICS, f"{base}-{ALL_FILE}")
        if what == "person.ics":
            who = request.query_params.get("who", "")
            files = ics_calendars(scenario, plan)
            filename = f"{who}.ics"
            if filename not in files:
                raise OutsideFolder(f"{who!r} has no calendar in this plan")
            return attachment(files[filename], ICS, filename)
        if what == "plan.csv":
            return attachment(csv_text(scenario, plan).encode("utf-8"), CSV, f"{base}.csv")
        if what == "plan.xlsx":
            return attachment(plan_workbook(scenario, plan), XLSX, f"{base}.xlsx")
        if what == "report.html":
            report = html_report(scenario, plan, plan_label=name).encode("utf-8")
            return attachment(report, HTML, f"{base}-rapport.html")
    except OprPlannerError as exc:
        words = workbench_words(language(request, loaded))
        return render(request, "message.html", loaded=loaded, status=422, title=words["error"], text=str(exc))
    raise OutsideFolder(f"{what!r} is not a download")


ROUTES = [
    Route("/downloads", downloads_page),
    Route("/download/{what}", download),
]
