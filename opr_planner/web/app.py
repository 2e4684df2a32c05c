"""The workbench as a Starlette application: routes, templates, errors, security."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from .. import __version__
from ..export.i18n import LANGUAGES, Language, workbench_words
from . import workspace
from .folder import Folder, OutsideFolder
from .jobs import Jobs
from .security import Access, Guard, csrf_protected

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
    if chosen in LANGUAGES:
        return chosen  # type: ignore[return-value]
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


def message_page(request: Request, status: int, title: str, text: str) -> HTMLResponse:
    return render(request, "message.html", status=status, title=title, text=text)


async def not_found(request: Request, exc: Exception) -> Response:
    lang = language(request)
    words = workbench_words(lang)
    detail = getattr(exc, "detail", "")
    return message_page(request, 404, words["not_found"], f"{words['not_found_text']} ({detail})")


async def outside(request: Request, exc: Exception) -> Response:
    log.warning("refused: %s", exc)
    words = workbench_words(language(request))
    return message_page(request, 404, words["not_found"], words["outside_folder"])


async def server_error(request: Request, exc: Exception) -> Response:
    """A clear message in the page; the traceback goes to the log only."""
    log.error("error while answering %s %s", request.method, request.url.path, exc_info=exc)
    words = workbench_words(language(request))
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


def routes() -> list[Route | Mount]:
    from . import views_changes, views_compare, views_data, views_downloads, views_plan, views_plans

    return [
        Route("/", views_data.home),
        Route("/new", views_data.new_scenario, methods=["POST"]),
        Route("/lang", choose_language),
        *views_data.ROUTES,
        *views_plans.ROUTES,
        *views_plan.ROUTES,
        *views_compare.ROUTES,
        *views_changes.ROUTES,
        *views_downloads.ROUTES,
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]


def create_app(folder: str | Path, access: Access, *, solve_workers: int | None = None) -> Starlette:
    """The workbench for `folder`, guarded by `access` (token, CSRF, allowed hosts)."""
    app = Starlette(
        routes=routes(),
        middleware=[Middleware(Guard, access=access)],
        exception_handlers={
            404: not_found,
            OutsideFolder: outside,
            Exception: server_error,
            500: server_error,
        },
    )
    app.state.folder = Folder(folder)
    app.state.access = access
    app.state.jobs = Jobs(app.state.folder, workers=solve_workers)
    return app
