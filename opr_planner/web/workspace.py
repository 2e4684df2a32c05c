"""One scenario of the planning folder as the workbench sees it: raw data, problems, model.

The Gegevens page shows the data even when it is invalid (that is when the coordinator
needs it most), so the raw YAML data and participants rows are kept next to the
validated `Scenario`. Problems come from `load_scenario`, the loader `validate` uses,
so the page shows the same messages. Loaded scenarios are cached by the fingerprint of
their files: a hand edit's verdict does not pay for reading the scenario again.
"""

from __future__ import annotations

import contextlib
import hashlib
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from ..calendar import WorkCalendar
from ..errors import Problem, ScenarioError
from ..io.fileio import write_atomic
from ..io.reader import InputFileError, decode_text, read_bytes
from ..io.yamlio import LineMap, YamlError, dump_yaml, load_yaml, read_text
from ..scenario import Scenario, load_scenario
from ..scenario.columns import Vocabulary
from ..scenario.spreadsheet import read_participants_file
from .folder import Folder, OutsideFolder, version_of


@dataclass
class Loaded:
    """A scenario file with its participants file, read as far as possible."""

    key: str
    path: Path
    data: dict[str, Any] | None
    participants_path: Path | None
    rows: list[dict[str, Any]]  # raw rows of the participants file
    scenario: Scenario | None
    problems: list[Problem]
    version: str
    header: str = ""  # the comment lines that open the YAML file (kept when saving)
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def inline(self) -> list[dict[str, Any]]:
        people = (self.data or {}).get("participants") or []
        return people if isinstance(people, list) else []

    @property
    def valid(self) -> bool:
        return self.scenario is not None and not self.problems

    @cached_property
    def calendar(self) -> WorkCalendar | None:
        """The scenario's working days (holiday tables built once per version of the files)."""
        return WorkCalendar(self.scenario) if self.scenario is not None else None


_cache: OrderedDict[tuple[str, str], Loaded] = OrderedDict()
_lock = threading.Lock()
CACHE_SIZE = 8


def participants_file_of(folder: Folder, path: Path, data: Any) -> Path | None:
    """The participants file a scenario names, inside the folder (else OutsideFolder)."""
    name = data.get("participants_file") if isinstance(data, dict) else None
    if isinstance(name, int | float) and not isinstance(name, bool):
        name = str(name)
    if not isinstance(name, str) or not name.strip():
        return None
    return folder.inside(path.parent / name.strip())


_parsed: OrderedDict[tuple[str, str], tuple[dict[str, Any] | None, str, list[Problem]]] = OrderedDict()


def _raw(path: Path) -> tuple[dict[str, Any] | None, str, list[Problem]]:
    """The scenario file as raw data, its opening comments and its YAML problems; parsed
    once per content (a national file takes ~0.5 s to parse, a hand edit must not pay it)."""
    try:
        raw = read_bytes(path, label=path.name)
    except InputFileError as exc:
        return None, "", list(exc.problems)
    key = (str(path), hashlib.sha256(raw).hexdigest())
    with _lock:
        known = _parsed.get(key)
    if known is not None:
        return known[0], known[1], list(known[2])
    try:
        text = decode_text(raw, path.name)
        data, _ = load_yaml(text, path.name)
    except InputFileError as exc:
        parsed: tuple[dict[str, Any] | None, str, list[Problem]] = (None, "", list(exc.problems))
    else:
        header = []
        for line in text.splitlines():
            if line.startswith("#") or not line.strip():
                header.append(line)
            else:
                break
        parsed = ((data if isinstance(data, dict) else None), "\n".join(header).strip(), [])
    with _lock:
        _parsed[key] = parsed
        while len(_parsed) > CACHE_SIZE:
            _parsed.popitem(last=False)
    return parsed[0], parsed[1], list(parsed[2])


def load(folder: Folder, key: str) -> Loaded:
    """The scenario `key` of `folder`, from the cache when its files did not change."""
    path = folder.scenario_path(key)
    data, header, problems = _raw(path)
    try:
        people_path = participants_file_of(folder, path, data)
    except OutsideFolder:
        people_path = None
        problems.append(
            Problem(
                path.name,
                None,
                "participants_file",
                "names a file outside the planning folder",
                "keep the participants file in the folder (or a folder below it)",
            )
        )
    version = version_of(path, people_path)
    with _lock:
        cached = _cache.get((str(path), version))
        if cached is not None:
            _cache.move_to_end((str(path), version))
            return cached
    rows: list[dict[str, Any]] = []
    if people_path is not None and people_path.is_file():
        with contextlib.suppress(YamlError):
            rows, _ = read_participants_file(
                people_path, people_path.name, 0, LineMap(people_path.name), Vocabulary.of(data or {})
            )
    scenario = None
    if not problems:
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            problems = [_relative(folder, p) for p in exc.problems]
    loaded = Loaded(
        key,
        path,
        data,
        people_path,
        rows,
        scenario,
        problems,
        version,
        header,
        scenario.warnings if scenario else (),
    )
    with _lock:
        _cache[(str(path), version)] = loaded
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return loaded


def _relative(folder: Folder, problem: Problem) -> Problem:
    """Messages name files relative to the folder (never the server's absolute paths)."""
    file = problem.file
    with contextlib.suppress(ValueError, OutsideFolder):
        file = folder.relative(Path(file))
    return replace(problem, file=file)


def check_candidate(
    folder: Folder, loaded: Loaded, data: dict[str, Any], rows: list[dict[str, Any]] | None
) -> list[Problem]:
    """The problems `validate` would report if `data` (and participants `rows`) were saved.

    The candidate files are written to a private temporary folder under the same names
    and read by `load_scenario`, so the messages are exactly those of `validate`.
    """
    with tempfile.TemporaryDirectory(prefix="opr-planner-check-") as tmp:
        target = Path(tmp) / loaded.path.name
        write_atomic(target, scenario_text(loaded.header, data))
        if rows is not None and isinstance(data.get("participants_file"), str):
            data = {
                **data,
                "participants_file": str(Path(data["participants_file"].strip()).with_suffix(".csv")),
            }
        people_name = data.get("participants_file")
        if isinstance(people_name, str) and people_name.strip():
            people = Path(tmp) / people_name.strip()
            try:
                people.resolve().relative_to(Path(tmp).resolve())
            except ValueError:
                return [
                    Problem(loaded.path.name, None, "participants_file", "names a file outside the folder")
                ]
            if rows is not None:
                write_atomic(people, "\ufeff" + participants_csv(rows, ";"))
            elif loaded.participants_path is not None and loaded.participants_path.is_file():
                with contextlib.suppress(InputFileError):  # load_scenario then says why
                    write_atomic(people, read_bytes(loaded.participants_path))
        try:
            load_scenario(target)
        except ScenarioError as exc:
            return [replace(p, file=_strip_tmp(p.file, tmp)) for p in exc.problems]
    return []


def _strip_tmp(file: str, tmp: str) -> str:
    return file[len(tmp) :].lstrip("/\\") if file.startswith(tmp) else file


def scenario_text(header: str, data: dict[str, Any]) -> str:
    """The scenario as YAML text, opened by the comment lines it had."""
    body = dump_yaml(data)
    return f"{header}\n\n{body}" if header else body


def save(
    loaded: Loaded, data: dict[str, Any] | None = None, rows: list[dict[str, Any]] | None = None
) -> None:
    """Write the scenario file and/or its participants file, each whole (atomic)."""
    if rows is not None:
        target = loaded.participants_path
        assert target is not None, "rows are saved only to a named participants file"
        if target.suffix.lower() != ".csv":  # a workbook's rows are kept as CSV beside it
            target = target.with_suffix(".csv")
            data = dict(data if data is not None else loaded.data or {})
            data["participants_file"] = csv_name(loaded)
        write_atomic(target, "\ufeff" + participants_csv(rows, _delimiter_of(target)))
    if data is not None:
        write_atomic(loaded.path, scenario_text(loaded.header, data))


def csv_name(loaded: Loaded) -> str:
    """The participants file name with .csv (a workbook's rows, once edited, are kept as CSV)."""
    name = str((loaded.data or {}).get("participants_file") or "participants.csv").strip()
    return str(Path(name).with_suffix(".csv"))


def _delimiter_of(path: Path) -> str:
    """Keep the separator of an existing CSV; new files use ';' (opens in Dutch Excel)."""
    try:
        first = read_text(path)[0].splitlines()[0]
    except (InputFileError, IndexError):
        return ";"
    return "," if first.count(",") > first.count(";") else ";"


LIST_COLUMNS = ("functions", "weekdays", "conflicts", "avoid", "prefer_subjects", "unavailable")


def participants_csv(rows: list[dict[str, Any]], delimiter: str = ";") -> str:
    """Raw participant rows as CSV text with every column of SPEC 2.2 (no BOM)."""
    import csv
    import io

    from ..scenario.csvfile import COLUMNS

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(participant_cells(rows))
    return buffer.getvalue()


def participant_cells(rows: list[dict[str, Any]]) -> list[list[str]]:
    """Raw participant rows as spreadsheet cells, in the columns of SPEC 2.2."""
    from ..scenario.csvfile import COLUMNS
    from .forms import shown

    return [[shown(None, row.get(c), "|") for c in COLUMNS] for row in rows]


def forget() -> None:
    """Empty the caches (tests)."""
    with _lock:
        _cache.clear()
        _parsed.clear()
