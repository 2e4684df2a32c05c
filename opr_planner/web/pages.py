"""What every page shares: the request's folder, scenario, jobs and language, rendering
a template with the page's words, and the error pages."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.templating import Jinja2Templates

from .. import __version__
from ..export.i18n import LANGUAGES, Language
from ..export.i18n.explain import explain_text
from ..export.i18n.problems import problem_line, problem_text
from ..export.i18n.rules import violation_text
from ..export.i18n.workbench import workbench_words
from ..export.participant_rows import spreadsheet_date as shown_date
from . import workspace
from .folder import Folder
from .jobs import Jobs
from .security import Access, csrf_protected

log = logging.getLogger("opr_planner.web")

STATIC = Path(__file__).parent / "static"
LANG_COOKIE = "opr_planner_lang"


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("opr_planner.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


TEMPLATES = Jinja2Templates(env=_environment())


def access_of(request: Request) -> Access:
    access: Access = request.app.state.access
    return access


protected = csrf_protected(access_of)


def folder_of(request: Request) -> Folder:
    folder: Folder = request.app.state.folder
    return folder


def jobs_of(request: Request) -> Jobs:
    jobs: Jobs = request.app.state.jobs
    return jobs


def job_for(request: Request, key: str, *kinds: str) -> dict[str, Any] | None:
    """The scenario's search as this page shows it: any that runs (one at a time), and
    one that ended only when it is this page's kind (a finished solve is not news on
    the Vergelijken page)."""
    job = jobs_of(request).get(key)
    if job is None or not (job.running or job.kind in kinds):
        return None
    return job.snapshot()


def scenario_key(request: Request, form: Any = None) -> str:
    """The scenario the page is about (`s`), or the folder's only scenario."""
    key = (form.get("s") if form is not None else None) or request.query_params.get("s")
    if key:
        return str(key)
    scenarios = folder_of(request).scenarios()
    if len(scenarios) == 1:
        return scenarios[0]
    raise HTTPException(404, "no scenario chosen")


def language(request: Request, loaded: workspace.Loaded | None = None) -> Language:
    """The page language: the one chosen in this browser, else the scenario's, else Dutch."""
    chosen = request.cookies.get(LANG_COOKIE)
    for lang in LANGUAGES:
        if chosen == lang:
            return lang
    if loaded is not None and loaded.scenario is not None and loaded.scenario.language == "en":
        return "en"
    if loaded is not None and isinstance(loaded.data, dict) and loaded.data.get("language") == "en":
        return "en"
    return "nl"


def render(
    request: Request,
    template: str,
    *,
    loaded: workspace.Loaded | None = None,
    page: str = "",
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    lang = language(request, loaded)
    words = workbench_words(lang)

    def t(key: str, **values: Any) -> str:
        text = words.get(key, key)
        return text.format(**values) if values else text

    common = {
        "t": t,
        "day": lambda d: shown_date(d, lang) if d else "",
        "violation": lambda v: (
            violation_text(loaded.scenario, v, lang)
            if loaded and loaded.scenario
            else f"{v.rule}: {v.message}"
        ),
        "problem": lambda p: problem_text(p, lang),
        "explain": lambda text: explain_text(text, lang, loaded.scenario if loaded else None),
        "problem_line": lambda p: problem_line(p, lang),
        "lang": lang,
        "csrf": access_of(request).csrf,
        "version": __version__,
        "page": page,
        "loaded": loaded,
        "s": loaded.key if loaded else "",
        "scenarios": folder_of(request).scenarios(),
        "folder_name": folder_of(request).root.name,
        "path": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
    }
    response = TEMPLATES.TemplateResponse(request, template, {**common, **context}, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    return response


def no_plans_page(request: Request, loaded: workspace.Loaded, page: str) -> HTMLResponse:
    """A page about one plan, while the scenario has none yet: where to make one."""
    words = workbench_words(language(request, loaded))
    return render(
        request,
        "message.html",
        loaded=loaded,
        page=page,
        title=words[f"nav_{page}"],
        text=words["no_plans"],
        back=f"/plans?s={loaded.key}",
    )


def message_page(request: Request, status: int, title: str, text: str) -> HTMLResponse:
    """An error page in the language of the scenario it is about, when there is one."""
    return render(request, "message.html", loaded=_about(request), status=status, title=title, text=text)


def _about(request: Request) -> workspace.Loaded | None:
    try:
        return workspace.load(folder_of(request), scenario_key(request))
    except Exception:  # an error page must not fail in turn: no scenario, Dutch or the browser's choice
        return None


def page_language(request: Request) -> Language:
    return language(request, _about(request))


async def not_found(request: Request, exc: Exception) -> Response:
    log.info("not found: %s %s", request.url.path, getattr(exc, "detail", ""))  # the detail is English
    words = workbench_words(page_language(request))
    return message_page(request, 404, words["not_found"], words["not_found_text"])


async def outside(request: Request, exc: Exception) -> Response:
    log.warning("refused: %s", exc)
    words = workbench_words(page_language(request))
    return message_page(request, 404, words["not_found"], words["outside_folder"])


async def server_error(request: Request, exc: Exception) -> Response:
    """A clear message in the page; the traceback goes to the log only."""
    log.error("error while answering %s %s", request.method, request.url.path, exc_info=exc)
    words = workbench_words(page_language(request))
    return message_page(request, 500, words["error"], words["error_text"])


async def choose_language(request: Request) -> Response:
    to = request.query_params.get("to", "nl")
    back = request.query_params.get("back", "/")
    if not back.startswith("/") or back.startswith("//"):
        back = "/"
    response = RedirectResponse(back, status_code=303)
    if to in LANGUAGES:
        response.set_cookie(LANG_COOKIE, to, httponly=True, samesite="strict", path="/")
    return response
