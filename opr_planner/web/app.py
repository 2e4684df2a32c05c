"""The workbench as a Starlette application: routes, error pages, security, state."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from . import (
    views_changes,
    views_compare,
    views_data,
    views_downloads,
    views_people,
    views_plan,
    views_plans,
    views_sweep,
)
from .folder import Folder, OutsideFolder
from .jobs import Jobs
from .pages import STATIC, choose_language, not_found, outside, server_error
from .security import Access, Guard


def routes() -> list[Route | Mount]:
    return [
        Route("/", views_data.home),
        Route("/new", views_data.new_scenario, methods=["POST"]),
        Route("/lang", choose_language),
        *views_data.ROUTES,
        *views_people.ROUTES,
        *views_plans.ROUTES,
        *views_plan.ROUTES,
        *views_compare.ROUTES,
        *views_sweep.ROUTES,
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
