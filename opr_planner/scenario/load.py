"""Read a scenario file (and its participants CSV), validate everything, report all problems."""

from __future__ import annotations

import copy
import hashlib
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import InputError, Problem, ScenarioError
from ..io.validation import Describer, clean_loc, pydantic_problems, unknown_keys
from ..io.yamlio import LineMap, YamlError, load_yaml, read_text
from .checks import check_scenario, duplicate_warnings, summarise_problems
from .columns import Vocabulary
from .models import Scenario
from .sections import workbook_sections
from .spreadsheet import SHEET_DATE_HINT, read_participants_bytes, read_participants_file
from .types import DATE_HINT

Loc = tuple[str | int, ...]


def load_scenario(path: str | Path) -> Scenario:
    """Load and fully validate a scenario; raise ScenarioError listing every problem."""
    path = Path(path)
    label = str(path)
    try:
        text, raw = read_text(path)
        data, lines = load_yaml(text, label)
    except YamlError as exc:
        raise ScenarioError(exc.problems) from None
    if data is None:
        raise ScenarioError(
            [Problem(label, None, "", "the file is empty", "start from `opr-planner init DIR`")]
        )
    if not isinstance(data, dict):
        raise ScenarioError(
            [
                Problem(
                    label,
                    lines.line(()) or 1,
                    "",
                    f"the top level is a {_kind(data)}, not a mapping of keys",
                    "a scenario starts with `format: opr-scenario/1`",
                )
            ]
        )

    problems: list[Problem] = []
    fingerprint = hashlib.sha256(raw)
    participants_file = data.get("participants_file")
    if isinstance(participants_file, int | float) and not isinstance(participants_file, bool):
        participants_file = str(participants_file)  # `participants_file: 2027` names the file "2027"
    csv_label: str | None = None
    if isinstance(participants_file, str) and participants_file.strip():
        csv_path = path.parent / participants_file.strip()
        csv_label = str(csv_path)
        yaml_participants = data.get("participants") or []
        if not isinstance(yaml_participants, list):
            yaml_participants = []
        try:
            data, soft = workbook_sections(
                csv_path, str(csv_path), data, lines
            )  # regions, partnerships, reviews
            problems.extend(soft)
            rows, soft = read_participants_file(
                csv_path, csv_label, len(yaml_participants), lines, Vocabulary.of(data)
            )
            data = {**data, "participants": [*yaml_participants, *rows]}
            problems.extend(soft)
            fingerprint.update(_file_bytes(csv_path))
            if not rows and not yaml_participants and not soft:
                problems.append(
                    Problem(
                        csv_label,
                        1,
                        "",
                        "the participants file has a header but no participants",
                        "add one row per participant",
                    )
                )
        except YamlError as exc:
            problems.extend(_named_by(exc.problems, csv_label, label, lines.line(("participants_file",))))

    scenario, describe = _validated(data, lines, problems)
    if problems and csv_label is not None:
        problems = [_sheet_hint(p, csv_label) for p in problems]
    if problems:
        if csv_label is not None and not _inside(Path(csv_label), path.parent):
            where = lines.line(("participants_file",))
            problems = [_redacted(p, csv_label, f"{label}:{where}" if where else label) for p in problems]
        raise ScenarioError(_unique(problems))
    assert scenario is not None
    scenario._path = label
    scenario._sha256 = hashlib.sha256(raw).hexdigest()
    scenario._data_sha256 = fingerprint.hexdigest()
    # Calendar warnings first (few, and about every review); then the likely duplicates, of
    # which the command line shows the first few; last the count of shared names.
    warnings = [str(describe(loc, msg)) for loc, msg in _calendar_warnings(scenario)]
    found = duplicate_warnings(scenario)
    warnings += [str(describe(("participants", i), msg)) for i, msg in found.likely]
    if found.same_name:
        n = len(found.same_name)
        warnings.append(
            f"{label}: {n:,} participant(s) share their name with an earlier one but not their email, "
            "organisation, or region and role: probably different people (--all-warnings lists them)"
        )
    scenario._warnings = tuple(warnings)
    scenario._detail_warnings = tuple(str(describe(("participants", i), msg)) for i, msg in found.same_name)
    return scenario


def _calendar_warnings(scenario: Scenario) -> list[tuple[Loc, str]]:
    """Holiday data that does not reach the calendar's years (calendar.py)."""
    from ..calendar import holiday_coverage_warnings

    found: list[tuple[Loc, str]] = [
        (("calendar", "deadline"), w) for w in holiday_coverage_warnings(scenario)
    ]
    if scenario.calendar.school_holidays:
        reviewed = {r.subject for r in scenario.reviews}
        without = [
            (i, p.id)
            for i, p in enumerate(scenario.partnerships)
            if p.id in reviewed and not p.holiday_region
        ]
        if without:
            names = ", ".join(pid for _, pid in without[:5]) + (
                f" and {len(without) - 5} more" if len(without) > 5 else ""
            )
            found.append(
                (
                    ("partnerships", without[0][0], "holiday_region"),
                    f"school_holidays is true, but {len(without)} reviewed partnership(s) have no holiday_region "
                    f"({names}): their reviews may fall in the school holidays; add holiday_region: noord, midden "
                    "or zuid (the school-holiday region of their schools)",
                )
            )
    return found


def scenario_from_data(data: dict[str, Any], label: str = "<scenario>") -> Scenario:
    """Validate scenario data built in code (generators, sweeps, tests); no file involved."""
    problems: list[Problem] = []
    scenario, _ = _validated(data, LineMap(label), problems)
    if problems:
        raise ScenarioError(_unique(problems))
    assert scenario is not None
    return scenario


def with_participants_from(scenario: Scenario, data: bytes, filename: str) -> Scenario:
    """`scenario` with its participants replaced by those of a spreadsheet's bytes (a CSV
    file or a workbook, e.g. an upload), validated as `participants_file` would be.

    Raises ScenarioError listing every problem, each at its row (CSV: `name.csv:5`;
    workbook: `name.xlsx, sheet 'deelnemers', row 5, column C (Rol)`).
    """
    raw = scenario.model_dump(mode="json", by_alias=True, exclude_none=True)
    raw.pop("participants_file", None)
    try:
        rows, soft, lines = read_participants_bytes(data, filename, Vocabulary.of(raw))
    except YamlError as exc:
        raise ScenarioError(exc.problems) from None
    raw["participants"] = rows
    problems: list[Problem] = list(soft)
    result, _ = _validated(raw, lines, problems)
    if problems:
        raise ScenarioError(_unique([_sheet_hint(p, filename) for p in problems]))
    assert result is not None
    return result


def _validated(
    data: dict[str, Any], lines: LineMap, problems: list[Problem]
) -> tuple[Scenario | None, Describer]:
    """Field validation, then reference checks (also on a repaired copy), into `problems`."""
    describe = Describer(data, lines)
    problems.extend(unknown_keys(Scenario, data, (), describe))
    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems.extend(pydantic_problems(exc, describe))
        repaired, removed = _without_bad_fields(data, exc)
    else:
        repaired, removed = scenario, set()

    def report(loc: Loc, msg: str, hint: str = "") -> None:
        # A field the repair removed is already reported; its absence is no second problem.
        if not any(loc[: len(r)] == r for r in removed):
            problems.append(describe(loc, msg, hint))

    if repaired is not None:
        # Even when some fields are bad, check the references of the rest so that
        # the user sees every problem in one run.
        check_scenario(repaired, report)
    return scenario, describe


def _without_bad_fields(data: dict[str, Any], exc: ValidationError) -> tuple[Scenario | None, set[Loc]]:
    """The scenario with every optional field that failed validation removed, if that validates,
    and the locations removed."""
    removed: set[Loc] = set()
    for _ in range(4):
        data = copy.deepcopy(data)
        for err in exc.errors(include_url=False):
            loc = clean_loc(err["loc"])
            if err["type"] == "missing":
                loc = loc[:-1]  # drop the optional container that lacks a required key
            while loc and not isinstance(loc[-1], str):
                loc = loc[:-1]
            parent: Any = data
            for part in loc[:-1]:
                try:
                    parent = parent[part]
                except (KeyError, IndexError, TypeError):
                    parent = None
                    break
            if isinstance(parent, dict) and loc and loc[-1] in parent:
                del parent[loc[-1]]
                removed.add(loc)
        try:
            return Scenario.model_validate(data), removed
        except ValidationError as again:
            exc = again
    return None, removed


def _file_bytes(path: Path) -> bytes:
    """A participants file's bytes for the data fingerprint, whatever its format (read again:
    the readers decode what they read)."""
    from ..io.reader import read_bytes

    try:
        return read_bytes(path, label=str(path))
    except (OSError, InputError):  # pragma: no cover - it was read a moment ago
        return b""


def _named_by(problems: list[Problem], csv_label: str, label: str, line: int | None) -> list[Problem]:
    """A CSV that cannot be opened at all: say which scenario line names it."""
    where = f"{label}:{line}" if line else label
    named = f"participants_file in {where} names it, relative to the scenario's folder"
    out = []
    for p in problems:
        if p.file == csv_label and p.line is None:
            hint = named if p.message == "no such file" else "; ".join(filter(None, (p.hint, named)))
            p = replace(p, hint=hint)
        out.append(p)
    return out


def _inside(file: Path, folder: Path) -> bool:
    """Whether `file` (links followed) lies in `folder` or below it."""
    try:
        file.resolve().relative_to(folder.resolve())
    except (ValueError, OSError, RuntimeError):
        return False
    return True


_OWN_WORDS = re.compile(
    r"missing column\(s\): [a-z_, ]+$|has \d+ cells but the header has \d+ columns$"
    r"|the participants file has a header but no participants$"
)


def _redacted(p: Problem, csv_label: str, named_in: str) -> Problem:
    """A problem in a participants file outside the scenario's folder, without its content.

    Such a file may be anything readable (`/etc/passwd`): its lines, names and values are
    never echoed. What stays is the file, the line, and the field or the column's place.
    """
    if not p.file.startswith(csv_label):
        return p
    hint = (
        f"participants_file in {named_in} points outside the scenario's folder, so what the file "
        "holds is not shown; move the file next to the scenario to see the details"
    )
    if p.line is None and p.file == csv_label:  # the file as a whole (missing, binary, too large)
        return replace(p, hint="; ".join(filter(None, (p.hint, hint))))
    if _OWN_WORDS.match(p.message):  # our own words only (the columns we need, counts)
        return replace(p, hint="; ".join(filter(None, (p.hint, hint))))
    file = csv_label + re.sub(r"\s*\([^)]*\)", "", p.file[len(csv_label) :])  # "column C (Naam)"
    path = re.sub(r"\s*\([^)]*\)", "", p.path)  # "participants[3] (id).role": no id
    path = re.sub(r"'.*'|\".*\"", "…", path)  # "column 'root:x:0:0'"
    return Problem(file, p.line, path, "a value here is not accepted", hint)


def _sheet_hint(p: Problem, csv_label: str) -> Problem:
    """A date in the participants spreadsheet may be written the Dutch way too: say so in
    the hint of a date it could not read (a scenario file's hint names YYYY-MM-DD only)."""
    if p.hint == DATE_HINT and p.file.startswith(csv_label):
        return replace(p, hint=SHEET_DATE_HINT)
    return p


def _kind(value: Any) -> str:
    return {list: "list", str: "text", int: "number", float: "number", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def _unique(problems: list[Problem]) -> list[Problem]:
    """Each problem once, and the same problem in many rows as one message."""
    seen: set[Problem] = set()
    out = []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return summarise_problems(out)
