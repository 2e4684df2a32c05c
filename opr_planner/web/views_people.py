"""Participants in and out: a spreadsheet imported (read by the `participants_file` reader)
and the list exported as CSV or workbook."""

from __future__ import annotations

import copy
from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from ..export.i18n.problems import problem_line
from ..export.i18n.workbench import workbench_words
from ..export.participants import participants_csv_text
from ..export.xlsx import participants_workbook, table_workbook
from ..io.fileio import write_atomic
from ..io.yamlio import YamlError
from ..scenario.columns import Vocabulary
from ..scenario.csvfile import COLUMNS
from ..scenario.spreadsheet import read_participants_bytes
from ..scenario.table import WORKBOOK_SUFFIXES
from . import forms, workspace
from .pages import folder_of, language, protected, render, scenario_key
from .responses import CSV, XLSX, attachment
from .tables import rows_of

UPLOAD_TYPES = (".csv", *WORKBOOK_SUFFIXES)
NEW_PARTICIPANTS = "participants.csv"


@protected
async def import_participants(request: Request) -> Response:
    """Replace the participants by those of an uploaded spreadsheet, read by the loader's reader."""
    form = await request.form()
    loaded = workspace.load(folder_of(request), scenario_key(request, form))
    upload = form.get("file")

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
        lang = language(request, loaded)
        return _import_refused(request, loaded, [problem_line(p, lang) for p in exc.problems])
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
    """The participants as a spreadsheet that reads back as `participants_file`.

    A valid scenario's list is written by the exporter (`export participants`: headers,
    roles and dates in the scenario's language); while the data have problems, the rows
    are given back as they stand, so nothing is lost on the way to Excel and back.
    """
    loaded = workspace.load(folder_of(request), scenario_key(request))
    workbook = request.path_params["suffix"] == "xlsx"
    if loaded.scenario is not None:
        if workbook:
            body = participants_workbook(loaded.scenario)
        else:
            body = participants_csv_text(loaded.scenario).encode("utf-8")
    else:
        rows = rows_of(loaded, forms.PARTS["participants"])
        if workbook:
            body = table_workbook("participants", COLUMNS, workspace.participant_cells(rows))
        else:
            body = ("\ufeff" + workspace.participants_csv(rows, ";")).encode("utf-8")
    name = (
        f"{Path(loaded.key).stem}-deelnemers"
        if language(request, loaded) == "nl"
        else f"{Path(loaded.key).stem}-participants"
    )
    return attachment(body, XLSX if workbook else CSV, f"{name}.{'xlsx' if workbook else 'csv'}")


ROUTES = [
    Route("/data/import", import_participants, methods=["POST"]),
    Route("/data/participants.{suffix:str}", export_participants),
]
