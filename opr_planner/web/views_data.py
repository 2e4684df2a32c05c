"""Gegevens: the scenario's parts as tables and forms, participants imported and exported.

A save is judged by the scenario loader before it is written: an edit that adds a
problem is refused and the problems are shown at the fields they concern; an edit that
removes problems (or leaves others unchanged) is written whole. Two tabs: every form
carries the fingerprint of the files and of the row it showed; when the files changed
meanwhile, the edit is merged if its row is still as shown, and refused otherwise.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ..errors import Problem
from ..io.fileio import write_atomic
from ..scenario.table import WORKBOOK_SUFFIXES
from . import forms, workspace
from .folder import OutsideFolder
from .pages import folder_of, language, protected, render, scenario_key
from .tables import cell, choices, row_of, rows_of, with_row

UPLOAD_TYPES = (".csv", *WORKBOOK_SUFFIXES)
NEW_PARTICIPANTS = "participants.csv"


async def home(request: Request) -> Response:
    folder = folder_of(request)
    scenarios = folder.scenarios()
    if len(scenarios) == 1:
        return RedirectResponse(f"/data?s={scenarios[0]}", status_code=303)
    return render(request, "home.html", empty=not scenarios, scenarios=scenarios)


@protected
async def new_scenario(request: Request) -> Response:
    """An empty folder: the bundled Midden-Nederland example, or a blank start."""
    form = await request.form()
    folder = folder_of(request)
    if folder.scenarios():
        return RedirectResponse("/", status_code=303)
    templates = resources.files("opr_planner") / "templates"
    if form.get("kind") == "blank":
        write_atomic(folder.root / "participants.csv", workspace.participants_csv([], ";"))
        write_atomic(folder.root / "scenario.yaml", _blank(language(request)))
    else:
        for name in ("participants.csv", "scenario.yaml"):
            write_atomic(folder.root / name, (templates / name).read_bytes())  # package data, not the folder
    return RedirectResponse("/data?s=scenario.yaml", status_code=303)


def _blank(lang: str) -> str:
    year = dt.date.today().year + 1
    data: dict[str, Any] = {
        "format": "opr-scenario/1",
        "name": "Nieuwe OPR-planning" if lang == "nl" else "New OPR planning",
        "language": lang,
        "calendar": {"start": dt.date(year, 1, 4), "deadline": dt.date(2029, 12, 31)},
        "regions": [],
        "partnerships": [],
        "participants_file": "participants.csv",
        "reviews": [],
    }
    return workspace.scenario_text("# Scenario made with the opr-planner workbench (opr-planner serve)", data)


async def data_page(request: Request) -> Response:
    key = scenario_key(request)
    loaded = workspace.load(folder_of(request), key)
    lang = language(request, loaded)
    labels = {name: dict(pairs) for name, pairs in choices(loaded, lang).items()}
    tables = {}
    for name in ("regions", "partnerships", "reviews", "closed", "sessions", "participants"):
        part = forms.PARTS[name]
        rows = rows_of(loaded, part)
        tables[name] = [
            {
                "index": i,
                "cells": [cell(f, forms.get(row, f.key), labels, lang) for f in part.fields],
                "problems": sum(len(v) for v in forms.problems_at(loaded.problems, part, i, row).values()),
                "source": "file" if name == "participants" and i >= len(loaded.inline) else "yaml",
            }
            for i, row in enumerate(rows)
        ]
    singles = {
        name: [
            (f.key, cell(f, forms.get(row_of(loaded, forms.PARTS[name], None), f.key), labels, lang))
            for f in forms.PARTS[name].fields
        ]
        for name in ("general", "rules", "objectives")
    }
    return render(
        request,
        "data.html",
        loaded=loaded,
        page="data",
        parts=forms.PARTS,
        tables=tables,
        singles=singles,
        people_file=_relative(request, loaded.participants_path),
        notice=request.query_params.get("notice", ""),
    )


def _relative(request: Request, path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return folder_of(request).relative(path)
    except OutsideFolder:
        return path.name


# -- editing ---------------------------------------------------------------------------------


def _part(name: str | None) -> forms.Part:
    if name not in forms.PARTS:
        raise OutsideFolder(f"{name!r} is not a part of a scenario")
    return forms.PARTS[name]


def _index(text: Any) -> int | None:
    return int(text) if isinstance(text, str) and text.isdigit() else None


def edit_form(
    request: Request,
    loaded: workspace.Loaded,
    part: forms.Part,
    index: int | None,
    *,
    values: dict[str, str] | None = None,
    problems: list[Problem] | None = None,
    refusal: str = "",
    status: int = 200,
) -> Response:
    row = row_of(loaded, part, index)
    lang = language(request, loaded)
    shown = values or {
        f.key: cell(f, forms.get(row, f.key), {}, lang)
        if f.key.endswith("weekdays")
        else forms.shown(f, forms.get(row, f.key))
        for f in part.fields
    }
    at = forms.problems_at(problems if problems is not None else loaded.problems, part, index, row)
    elsewhere = [] if problems is None else [p for p in problems if not any(p in v for v in at.values())]
    return render(
        request,
        "edit.html",
        loaded=loaded,
        page="data",
        part=part,
        index=index,
        values=shown,
        at=at,
        elsewhere=elsewhere,
        choices=choices(loaded, lang),
        original=forms.fingerprint(row),
        refusal=refusal,
        status=status,
    )


async def edit_page(request: Request) -> Response:
    loaded = workspace.load(folder_of(request), scenario_key(request))
    part = _part(request.query_params.get("part"))
    return edit_form(request, loaded, part, _index(request.query_params.get("i")))


async def _current(
    request: Request, form: Any, part: forms.Part, index: int | None
) -> tuple[workspace.Loaded, str]:
    """The scenario as it is now, and a note when another tab changed it meanwhile.

    Raises _Conflict when the row this form showed was changed (or removed) elsewhere."""
    loaded = workspace.load(folder_of(request), scenario_key(request, form))
    if form.get("version") == loaded.version:
        return loaded, ""
    if index is not None or not part.is_list:
        try:
            now = row_of(loaded, part, index)
        except OutsideFolder:
            raise _Conflict(loaded) from None
        if forms.fingerprint(now) != form.get("original"):
            raise _Conflict(loaded)
    return loaded, "merged"


class _Conflict(Exception):
    def __init__(self, loaded: workspace.Loaded):
        self.loaded = loaded


def _refuse_conflict(
    request: Request, exc: _Conflict, part: forms.Part, index: int | None, values: dict[str, str]
) -> Response:
    from ..export.i18n.workbench import workbench_words

    words = workbench_words(language(request, exc.loaded))
    try:
        return edit_form(
            request, exc.loaded, part, index, values=values, refusal=words["conflict"], status=409
        )
    except OutsideFolder:
        return render(
            request,
            "message.html",
            loaded=exc.loaded,
            status=409,
            title=words["conflict_title"],
            text=words["conflict"],
        )


@protected
async def save_row(request: Request) -> Response:
    form = await request.form()
    part = _part(form.get("part"))  # type: ignore[arg-type]
    index = _index(form.get("i"))
    values = {f.key: str(form.get(f"f.{f.key}", "")) for f in part.fields}
    try:
        loaded, note = await _current(request, form, part, index)
    except _Conflict as exc:
        return _refuse_conflict(request, exc, part, index, values)
    row = forms.apply(
        part, row_of(loaded, part, index) if (index is not None or not part.is_list) else {}, form
    )
    data, rows = with_row(loaded, part, index, row)
    problems = workspace.check_candidate(folder_of(request), loaded, data, rows)
    before = {forms.problem_key(p) for p in loaded.problems}
    new_index = index if index is not None else len(rows_of(loaded, part))
    added = [p for p in problems if forms.problem_key(p) not in before]
    own = forms.problems_at(problems, part, new_index if part.is_list else None, row)
    if added or any(own.values()):
        return edit_form(request, loaded, part, index, values=values, problems=problems, status=422)
    workspace.save(loaded, data, rows)
    anchor = part.name
    return RedirectResponse(
        f"/data?s={loaded.key}&notice=saved{'-' + note if note else ''}#{anchor}", status_code=303
    )


@protected
async def delete_row(request: Request) -> Response:
    form = await request.form()
    part = _part(form.get("part"))  # type: ignore[arg-type]
    index = _index(form.get("i"))
    if not part.is_list or index is None:
        raise OutsideFolder("only rows of a list can be removed")
    try:
        loaded, _ = await _current(request, form, part, index)
    except _Conflict as exc:
        return _refuse_conflict(request, exc, part, index, {})
    data, rows = with_row(loaded, part, index, None)
    problems = workspace.check_candidate(folder_of(request), loaded, data, rows)
    before = {forms.problem_key(p) for p in loaded.problems}
    added = [p for p in problems if forms.problem_key(p) not in before]
    if added:
        from ..export.i18n.workbench import workbench_words

        words = workbench_words(language(request, loaded))
        return edit_form(
            request, loaded, part, index, problems=added, refusal=words["delete_refused"], status=422
        )
    workspace.save(loaded, data, rows)
    return RedirectResponse(f"/data?s={loaded.key}&notice=deleted#{part.name}", status_code=303)


ROUTES = [
    Route("/data", data_page),
    Route("/data/edit", edit_page),
    Route("/data/save", save_row, methods=["POST"]),
    Route("/data/delete", delete_row, methods=["POST"]),
]
