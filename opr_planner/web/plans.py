"""Plans of a scenario as the pages need them: read, judged by the evaluator, cached."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from ..errors import PlanError
from ..evaluate import Evaluation, evaluate
from ..plan import MadeFor, Plan, read_plan
from ..plan import made_for as _made_for
from . import workspace
from .folder import Folder, PlanFile


@dataclass(frozen=True)
class Judged:
    file: PlanFile
    plan: Plan | None
    evaluation: Evaluation | None
    error: str = ""
    modified: float = 0.0

    @property
    def status(self) -> str:
        if self.plan is None:
            return "unreadable"
        return self.plan.solver.status if self.plan.solver else "manual"


_cache: OrderedDict[tuple[str, int, int, str], Judged] = OrderedDict()
_lock = threading.Lock()


def judge(loaded: workspace.Loaded, file: PlanFile) -> Judged:
    """Read `file` and judge it under the scenario (cached while neither changes)."""
    try:
        stat = file.path.stat()
    except OSError as exc:
        return Judged(file, None, None, str(exc.strerror or exc))
    key = (str(file.path), stat.st_mtime_ns, stat.st_size, loaded.version)
    with _lock:
        if key in _cache:
            return _cache[key]
    try:
        plan, _ = read_plan(file.path)
    except PlanError as exc:
        judged = Judged(file, None, None, "; ".join(p.message for p in exc.problems), stat.st_mtime)
    else:
        evaluation = evaluate(loaded.scenario, plan, loaded.calendar) if loaded.scenario is not None else None
        judged = Judged(file, plan, evaluation, "", stat.st_mtime)
    with _lock:
        _cache[key] = judged
        while len(_cache) > 64:
            _cache.popitem(last=False)
    return judged


def judged_plans(folder: Folder, loaded: workspace.Loaded) -> list[Judged]:
    """Every plan of the scenario, newest first."""
    out = [judge(loaded, f) for f in folder.plans(loaded.key)]
    return sorted(out, key=lambda j: (-j.modified, j.file.name))


def made_for(loaded: workspace.Loaded, plan: Plan) -> MadeFor | None:
    """Whether the plan was made for the scenario's data as they are now (SPEC 5 fingerprints)."""
    return _made_for(plan, loaded.scenario) if loaded.scenario is not None else None


def latest(folder: Folder, loaded: workspace.Loaded) -> str | None:
    plans = judged_plans(folder, loaded)
    return plans[0].file.name if plans else None


def stem_name(path: Path) -> str:
    name = path.name
    for suffix in (".plan.yaml", ".plan.yml", ".plan.json"):
        name = name.removesuffix(suffix)
    return name
