"""Gegevens: the scenario's parts as tables and forms, participants imported and exported.

A save is judged by the scenario loader before it is written: an edit that adds a
problem is refused and the problems are shown at the fields they concern; an edit that
removes problems (or leaves others unchanged) is written whole. Two tabs: every form
carries the fingerprint of the files and of the row it showed; when the files changed
meanwhile, the edit is merged if its row is still as shown, and refused otherwise.
"""

from __future__ import annotations

import copy
import datetime as dt
from importlib import resources
from pathlib import Path
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ..errors import Problem
from ..io.fileio import write_atomic
from ..io.yamlio import YamlError
from ..scenario.columns import Vocabulary
from ..scenario.models import DEFAULT_ROLES
from ..scenario.spreadsheet import WORKBOOK_SUFFIXES, read_participants_bytes
from . import forms, workspace
from .app import folder_of, language, protected, render, scenario_key
from .folder import OutsideFolder

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
            write_atomic(folder.root / name, (templates / name).read_bytes())
    return RedirectResponse("/data?s=scenario.yaml", status_code=303)


def _blank(lang: str) -> str:
    year = dt.date.today().year + 1
    data = {
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


# -- tables ----------------------------------------------------------------------------------


def rows_of(loaded: workspace.Loaded, part: forms.Part) -> list[dict[str, Any]]:
    """The rows of a list part; participants: those in the YAML first, then the file's."""
    if part.name == "participants":
        return [*loaded.inline, *loaded.rows]
    value = forms.get(loaded.data or {}, ".".join(part.path))
    return [r if isinstance(r, dict) else {} for r in value] if isinstance(value, list) else []


def choices(loaded: workspace.Loaded) -> dict[str, list[tuple[str, str]]]:
    data = loaded.data or {}

    def ids(name: str) -> list[tuple[str, str]]:
        items = data.get(name) if isinstance(data.get(name), list) else []
        return [(str(x.get("id")), str(x.get("name") or x.get("id"))) for x in items if isinstance(x, dict)]

    roles = ids("roles") if isinstance(data.get("roles"), list) else list(DEFAULT_ROLES)
    return {
        "roles": roles,
        "partnerships": ids("partnerships"),
        "regions": ids("regions"),
        "holiday_regions": [("noord", "noord"), ("midden", "midden"), ("zuid", "zuid")],
        "languages": [("nl", "Nederlands"), ("en", "English")],
    }


async def data_page(request: Request) -> Response:
    key = scenario_key(request)
    loaded = workspace.load(folder_of(request), key)
    tables = {}
    for name in ("regions", "partnerships", "reviews", "closed", "sessions", "participants"):
        part = forms.PARTS[name]
        rows = rows_of(loaded, part)
        tables[name] = [
            {
                "index": i,
                "cells": [forms.shown(f, forms.get(row, f.key)) for f in part.fields],
                "problems": sum(len(v) for v in forms.problems_at(loaded.problems, part, i, row).values()),
                "source": "file" if name == "participants" and i >= len(loaded.inline) else "yaml",
            }
            for i, row in enumerate(rows)
        ]
    singles = {
        name: [
            (
                f.key,
                forms.shown(
                    f,
                    forms.get(
                        forms.get(loaded.data or {}, ".".join(forms.PARTS[name].path))
                        if forms.PARTS[name].path
                        else (loaded.data or {}),
                        f.key,
                    ),
                ),
            )
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


def _row(loaded: workspace.Loaded, part: forms.Part, index: int | None) -> dict[str, Any]:
    if not part.is_list:
        node = forms.get(loaded.data or {}, ".".join(part.path)) if part.path else loaded.data
        return node if isinstance(node, dict) else {}
    rows = rows_of(loaded, part)
    if index is None:
        return {}
    if not 0 <= index < len(rows):
        raise OutsideFolder(f"{part.name}[{index}] does not exist")
    return rows[index]


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
    row = _row(loaded, part, index)
    shown = values or {f.key: forms.shown(f, forms.get(row, f.key)) for f in part.fields}
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
        choices=choices(loaded),
        original=forms.fingerprint(row),
        refusal=refusal,
        status=status,
    )


async def edit_page(request: Request) -> Response:
    loaded = workspace.load(folder_of(request), scenario_key(request))
    part = _part(request.query_params.get("part"))
    return edit_form(request, loaded, part, _index(request.query_params.get("i")))


def _with_row(
    loaded: workspace.Loaded, part: forms.Part, index: int | None, row: dict[str, Any] | None
) -> tuple[dict[str, Any], list[dict[str, Any]] | None]:
    """The scenario data (and participants file rows, when they change) with one row set
    (None: removed; index None: added)."""
    data = copy.deepcopy(loaded.data or {})
    if not part.is_list:
        assert row is not None
        if part.path:
            forms.put(data, ".".join(part.path), row or None)
        else:
            data = row
        return data, None
    if part.name == "participants" and loaded.participants_path is not None:
        n_inline = len(loaded.inline)
        if index is not None and index < n_inline:
            people = copy.deepcopy(loaded.inline)
            people[index : index + 1] = [] if row is None else [row]
            data["participants"] = people
            return data, None
        rows = copy.deepcopy(loaded.rows)
        if index is None:
            rows.append(row or {})
        else:
            rows[index - n_inline : index - n_inline + 1] = [] if row is None else [row]
        return data, rows
    items = copy.deepcopy(forms.get(data, ".".join(part.path)) or [])
    if index is None:
        items.append(row)
    else:
        items[index : index + 1] = [] if row is None else [row]
    forms.put(data, ".".join(part.path), items)
    return data, None


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
            now = _row(loaded, part, index)
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
    from ..export.i18n import workbench_words

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
        part, _row(loaded, part, index) if (index is not None or not part.is_list) else {}, form
    )
    data, rows = _with_row(loaded, part, index, row)
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
    data, rows = _with_row(loaded, part, index, None)
    problems = workspace.check_candidate(folder_of(request), loaded, data, rows)
    before = {forms.problem_key(p) for p in loaded.problems}
    added = [p for p in problems if forms.problem_key(p) not in before]
    if added:
        from ..export.i18n import workbench_words

        words = workbench_words(language(request, loaded))
        return edit_form(
            request, loaded, part, index, problems=added, refusal=words["delete_refused"], status=422
        )
    workspace.save(loaded, data, rows)
    return RedirectResponse(f"/data?s={loaded.key}&notice=deleted#{part.name}", status_code=303)


# -- participants in and out -----------------------------------------------------------------


@protected
async def import_participants(request: Request) -> Response:
    """Replace the participants by those of an uploaded spreadsheet, read by the loader's reader."""
    form = await request.form()
    loaded = workspace.load(folder_of(request), scenario_key(request, form))
    upload = form.get("file")
    from ..export.i18n import workbench_words

    words = workbench_words(language(request, loaded))
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _import_refused(request, loaded, [words["import_none"]])
    name = Path(upload.filename).name
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_TYPES:
        return _import_refused(request, loaded, [words["import_type"].format(name=name)])
    content = await upload.read()
    try:  # the reader of `participants_file`, on the uploaded bytes
        rows, _, _ = read_participants_bytes(content, name, Vocabulary.of(loaded.data or {}))
    except YamlError as exc:
        return _import_refused(request, loaded, [str(p) for p in exc.problems])
    data = copy.deepcopy(loaded.data or {})
    target = loaded.participants_path
    if target is None or target.suffix.lower() != ".csv":
        data["participants_file"] = NEW_PARTICIPANTS
        target = folder_of(request).inside(loaded.path.parent / NEW_PARTICIPANTS)
    before = {str(r.get("id")) for r in rows_of(loaded, forms.PARTS["participants"])}
    after = {str(r.get("id")) for r in rows}
    data.pop("participants", None)
    write_atomic(target, "\ufeff" + workspace.participants_csv(rows, ";"))
    if data != loaded.data:
        workspace.save(loaded, data)
    notice = words["imported"].format(
        count=len(rows), name=name, added=len(after - before), removed=len(before - after)
    )
    return RedirectResponse(f"/data?s={loaded.key}&notice={_quote(notice)}#participants", status_code=303)


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


def _import_refused(request: Request, loaded: workspace.Loaded, messages: list[str]) -> Response:
    from ..export.i18n import workbench_words

    words = workbench_words(language(request, loaded))
    return render(
        request,
        "message.html",
        loaded=loaded,
        page="data",
        status=422,
        title=words["import_refused"],
        text="",
        items=messages,
        back=f"/data?s={loaded.key}#participants",
    )


async def export_participants(request: Request) -> Response:
    loaded = workspace.load(folder_of(request), scenario_key(request))
    rows = rows_of(loaded, forms.PARTS["participants"])
    body = "\ufeff" + workspace.participants_csv(rows, ";")
    return Response(
        body.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="participants.csv"'},
    )


ROUTES = [
    Route("/data", data_page),
    Route("/data/edit", edit_page),
    Route("/data/save", save_row, methods=["POST"]),
    Route("/data/delete", delete_row, methods=["POST"]),
    Route("/data/import", import_participants, methods=["POST"]),
    Route("/data/participants.csv", export_participants),
]
