"""Sweep variants: `--vary KEY=V1,V2` options -> one validated scenario per combination.

A KEY is a dotted path into the scenario's `rules` or `objectives`
(`rules.group_size.max`, `rules.composition.student.min`, `objectives.region_links`).
Values are read like YAML scalars in the scenario file (`4`, `null`, `true`,
`{min: 3, max: 5}`). Each variant is the scenario's data with those values set, checked
exactly like a scenario file, so a bad key or value is reported (exit 2) before any
solving starts.
"""

from __future__ import annotations

import copy
import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Problem, ScenarioError
from ..io.yamlio import YamlError, dump_yaml, load_yaml, read_text
from ..scenario.columns import Vocabulary
from ..scenario.load import scenario_from_data
from ..scenario.models import Scenario
from ..scenario.sections import workbook_sections
from ..scenario.spreadsheet import read_participants_file

VARIABLE_SECTIONS = ("rules", "objectives")
_UNSAFE = re.compile(r"[^A-Za-z0-9._,=+-]+")


@dataclass(frozen=True)
class Vary:
    """One `--vary` option: a dotted key and the values it takes."""

    key: str
    values: tuple[Any, ...]

    @property
    def short(self) -> str:
        """The key as shown in variant names: without the leading `rules.`."""
        return self.key.removeprefix("rules.")


@dataclass(frozen=True)
class Variant:
    """One combination: its file-safe name, the values set, and the scenario data."""

    name: str
    values: dict[str, Any]
    data: dict[str, Any]


def _fail(option: str, message: str, hint: str = "") -> ScenarioError:
    return ScenarioError([Problem(f"--vary {option}", None, "", message, hint)])


def _split(text: str) -> list[str]:
    """Split on commas that are not inside brackets or braces (`{min: 3, max: 5},6`)."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        if ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts]


def parse_vary(option: str) -> Vary:
    """Parse `KEY=V1,V2[,...]`; raise ScenarioError (exit 2) with a clear message."""
    key, sep, rest = option.partition("=")
    key = key.strip()
    if not sep or not key:
        raise _fail(option, "expected KEY=V1,V2,... (e.g. rules.group_size.max=4,5,6)")
    parts = key.split(".")
    if parts[0] not in VARIABLE_SECTIONS or len(parts) < 2 or not all(parts):
        raise _fail(
            option,
            f"{key!r} is not a rule or objective key",
            "write a dotted path starting with rules. or objectives., e.g. rules.min_regions",
        )
    texts = _split(rest)
    if not rest.strip() or any(t == "" for t in texts):
        raise _fail(option, "every value must be non-empty", "e.g. rules.min_regions=2,3")
    values = []
    for text in texts:
        try:
            value, _ = load_yaml(text, f"--vary {option}")
        except YamlError as exc:
            raise ScenarioError(exc.problems) from None
        values.append(value)
    if len({repr(v) for v in values}) != len(values):
        raise _fail(option, "a value is listed twice")
    return Vary(key, tuple(values))


def parse_varies(options: list[str] | tuple[str, ...]) -> list[Vary]:
    """All `--vary` options; each key at most once."""
    if not options:
        raise _fail("", "give at least one --vary KEY=V1,V2", "e.g. --vary rules.group_size.max=4,5,6")
    varies = [parse_vary(o) for o in options]
    keys = [v.key for v in varies]
    for key in keys:
        if keys.count(key) > 1:
            raise _fail(key, "this key is varied twice", "give all its values in one --vary")
    return varies


def scenario_data(path: str | Path) -> dict[str, Any]:
    """The scenario file as plain data, participants from `participants_file` included inline.

    The caller has already loaded (and so validated) the scenario, so reading cannot fail
    for reasons not already reported.
    """
    path = Path(path)
    text, _ = read_text(path)
    data, lines = load_yaml(text, str(path))
    if isinstance(data.get("participants_file"), str):
        inline = data.get("participants") or []
        csv_path = path.parent / data["participants_file"]
        data, _ = workbook_sections(csv_path, str(csv_path), data, lines)
        rows, _ = read_participants_file(csv_path, str(csv_path), len(inline), lines, Vocabulary.of(data))
        data = {k: v for k, v in data.items() if k != "participants_file"}
        data["participants"] = [*inline, *rows]
    return data


def set_path(data: dict[str, Any], base: Scenario, key: str, value: Any) -> dict[str, Any]:
    """A copy of `data` with the dotted `key` set to `value`.

    A missing intermediate mapping starts from the scenario's effective value (its
    default), so that setting `rules.group_size.max` keeps the default `min`.
    """
    out = copy.deepcopy(data)
    parts = key.split(".")
    node: Any = out
    section = getattr(base, parts[0], None)
    effective: Any = {parts[0]: section.model_dump(mode="json", by_alias=True) if section is not None else {}}
    for i, part in enumerate(parts[:-1]):
        effective = effective.get(part) if isinstance(effective, dict) else None
        if not isinstance(node, dict):
            raise _fail(
                key, f"{'.'.join(parts[:i])} is not a mapping of keys", "vary the whole value instead"
            )
        if node.get(part) is None:
            node[part] = copy.deepcopy(effective) if isinstance(effective, dict) else {}
        node = node[part]
    if not isinstance(node, dict):
        raise _fail(key, f"{'.'.join(parts[:-1])} is not a mapping of keys", "vary the whole value instead")
    node[parts[-1]] = value
    return out


def scenario_text(variant: Variant, base_sha256: str | None) -> str:
    """The variant as a scenario file of its own (participants inline, comments not kept).

    Its bytes are what the variant's plan records as `scenario.sha256` (SPEC 5), so that
    `opr-planner check DIR/<variant>.scenario.yaml DIR/<variant>.plan.yaml` judges the plan
    under exactly the rules it was made for.
    """
    values = ", ".join(f"{k}: {format_value(v)}" for k, v in variant.values.items())
    header = (
        f"# Sweep variant {variant.name}: {values}\n"
        f"# of the scenario with sha256 {base_sha256 or 'unknown'}; written by opr-planner sweep.\n"
    )
    return header + dump_yaml(variant.data)


def format_value(value: Any) -> str:
    """A value as written in variant names (YAML spelling for null and booleans)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}:{format_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(format_value(v) for v in value) + "]"
    return str(value)


def safe_name(text: str) -> str:
    """A file-name-safe version of a variant label (letters, digits and `._,=+-`)."""
    name = _UNSAFE.sub("_", text).strip("._") or "variant"
    return name[:150]


def build_variants(base: Scenario, data: dict[str, Any], varies: list[Vary]) -> list[Variant]:
    """Every combination of the values, in the order given; each validated like a scenario.

    First every single value is checked on its own (so a bad value is reported once),
    then every combination; all problems are raised together as one ScenarioError.
    """
    label = base.path or "<scenario>"
    problems: list[Problem] = []
    for vary in varies:
        for value in vary.values:
            problems.extend(
                _check(set_path(data, base, vary.key, value), f"--vary {vary.key}={format_value(value)}")
            )
    if problems:
        raise ScenarioError(_unique(problems))
    variants: list[Variant] = []
    used: set[str] = set()
    for combo in itertools.product(*(v.values for v in varies)):
        values = {v.key: value for v, value in zip(varies, combo)}
        variant_data = data
        for key, value in values.items():
            variant_data = set_path(variant_data, base, key, value)
        label_text = ",".join(f"{v.short}={format_value(x)}" for v, x in zip(varies, combo))
        problems.extend(_check(variant_data, f"{label} (variant {label_text})"))
        name = safe_name(label_text)
        n = 2
        while name.lower() in used:
            name = f"{safe_name(label_text)}-{n}"
            n += 1
        used.add(name.lower())
        variants.append(Variant(name, values, variant_data))
    if problems:
        raise ScenarioError(_unique(problems))
    return variants


def _check(data: dict[str, Any], label: str) -> list[Problem]:
    try:
        scenario_from_data(data, label)
    except ScenarioError as exc:
        return list(exc.problems)
    return []


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))
