"""The planning folder: its scenarios, their participants files and plans, and nothing outside it.

The workbench works on the same files as the command line: a scenario (`*.yaml` with
`format: opr-scenario/1`) at the top of the folder or one folder down, the participants
file it names, and plan files (`*.plan.yaml`, `*.plan.json`) beside it. Every path the
browser names is looked up in these listings and resolved inside the folder; a name
that leaves the folder (`..`, an absolute path, a link pointing out) is refused.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..io.reader import InputFileError, list_folder, read_bytes, read_head

SCENARIO_MARK = re.compile(rb"^format:\s*['\"]?opr-scenario/1", re.MULTILINE)
PLAN_SUFFIXES = (".plan.yaml", ".plan.yml", ".plan.json")
PLAN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,79}")
MAX_SNIFF = 64 * 1024


class OutsideFolder(ValueError):
    """A path that would leave the planning folder, or a name that is not allowed."""


@dataclass(frozen=True)
class PlanFile:
    name: str  # the file name, also its key in URLs
    path: Path


class Folder:
    """One planning folder on disk."""

    def __init__(self, root: str | Path):
        self.root = Path(root).resolve()

    # -- paths -------------------------------------------------------------------------
    def inside(self, path: Path) -> Path:
        """`path` resolved (links followed); refused unless it lies inside the folder."""
        resolved = path.resolve()
        if resolved != self.root and self.root not in resolved.parents:
            raise OutsideFolder(f"{path} lies outside the planning folder")
        return resolved

    def relative(self, path: Path) -> str:
        return self.inside(path).relative_to(self.root).as_posix()

    def is_empty(self) -> bool:
        return not any(p for p in list_folder(self.root) if not p.name.startswith("."))

    def _listed(self, folder: Path) -> list[Path]:
        """A folder's entries through the shared reader (list_folder); an unreadable subfolder has none."""
        try:
            return list_folder(folder)
        except InputFileError:
            if folder == self.root:
                raise
            return []

    # -- scenarios -----------------------------------------------------------------------
    def scenarios(self) -> list[str]:
        """Scenario files (relative paths), at the top of the folder and one folder down."""
        found = []
        top = self._listed(self.root)
        below = [p for d in top if not d.name.startswith(".") and d.is_dir() for p in self._listed(d)]
        for path in sorted(top + below):
            if path.name.startswith(".") or path.name.endswith(PLAN_SUFFIXES) or not path.is_file():
                continue
            if path.suffix not in (".yaml", ".yml"):
                continue
            try:
                path = self.inside(path)
                head = read_head(path, MAX_SNIFF)
            except (InputFileError, OutsideFolder):
                continue
            if SCENARIO_MARK.search(head):
                found.append(path.relative_to(self.root).as_posix())
        return found

    def scenario_path(self, key: str) -> Path:
        """The scenario file named by `key`: only one of the listed scenarios."""
        if key not in self.scenarios():
            raise OutsideFolder(f"{key!r} is not a scenario of this folder")
        return self.inside(self.root / key)

    # -- plans ---------------------------------------------------------------------------
    def plans(self, key: str) -> list[PlanFile]:
        """The plan files of a scenario: beside it; when several scenarios share that
        folder, those whose name starts with the scenario's stem."""
        scenario = self.scenario_path(key)
        folder = scenario.parent
        stem = scenario.stem
        shared = sum(1 for s in self.scenarios() if (self.root / s).parent.resolve() == folder) > 1
        out = []
        for path in self._listed(folder):
            name = path.name
            if name.startswith(".") or not name.endswith(PLAN_SUFFIXES) or not path.is_file():
                continue
            if shared and not name.startswith(f"{stem}."):
                continue
            try:
                out.append(PlanFile(name, self.inside(path)))
            except OutsideFolder:
                continue
        return out

    def plan(self, key: str, name: str) -> PlanFile:
        """One listed plan of the scenario, by file name; anything else is refused."""
        for plan in self.plans(key):
            if plan.name == name:
                return plan
        raise OutsideFolder(f"{name!r} is not a plan of this scenario")

    def calendar_folder(self, key: str) -> Path:
        """Where the calendars sent for a scenario are kept: `<stem>-agenda/` beside it
        (what `export ics -o` is given on the command line)."""
        scenario = self.scenario_path(key)
        return self.inside(scenario.parent / f"{scenario.stem}-agenda")

    def new_plan_path(self, key: str, name: str) -> Path:
        """Where a plan named `name` by the user is saved: `<stem>.<name>.plan.yaml` beside the scenario."""
        name = name.strip()
        for suffix in (*PLAN_SUFFIXES, ".yaml"):
            name = name.removesuffix(suffix)
        if not PLAN_NAME.fullmatch(name) or ".." in name:
            raise OutsideFolder(
                f"{name!r} is not a usable plan name: letters, digits, '-', '_' and '.' only, at most 80"
            )
        scenario = self.scenario_path(key)
        return self.inside(scenario.parent / f"{scenario.stem}.{name}.plan.yaml")


def version_of(*paths: Path | None) -> str:
    """A fingerprint of the files' bytes: forms carry it so that a save can tell whether
    the files changed since the page was shown (another tab, the command line)."""
    digest = hashlib.sha256()
    for path in paths:
        if path is None:
            continue
        try:
            digest.update(read_bytes(path))
        except InputFileError:
            digest.update(b"\0missing\0")
        digest.update(b"\0")
    return digest.hexdigest()[:16]
