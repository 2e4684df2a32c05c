"""The one way opr-planner reads JSON: JSON plans, the workbench's drafts, sweep records.

`load_json(text, label)` gives plain data or raises `InputFileError` naming the file (and
the line, where there is one):

- a key twice in one mapping is refused (Python's json would keep the last one: a second
  `"members"` once replaced a group without a word);
- an integer of more than `MAX_NUMBER_CHARS` digits stays text (the field then refuses
  it) instead of costing a quadratic conversion;
- nesting deeper than Python's recursion allows is a message, not a RecursionError;
- `\\ud800`, an escape of half a character pair, is refused: it is no character, cannot
  be written as UTF-8 and would crash every export.

With `lines` (files people edit: plans) the YAML reader reads the text first: it enforces
the node and depth limits while parsing and knows the line of every field. Without it
(text the program wrote itself: drafts, records) only JSON's own parser runs, which is
several times faster; the line map is then empty.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..errors import InputFileError, Problem
from .reader import lone_surrogate, surrogates_in
from .yamlio import MAX_NUMBER_CHARS, LineMap, format_loc, load_yaml

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _json_int(text: str) -> int | str:
    """A JSON integer, or its text when it is absurdly long (the field then refuses it)."""
    return int(text) if len(text) <= MAX_NUMBER_CHARS else text


class _DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def load_json(text: str, label: str, *, lines: bool = True) -> tuple[Any, LineMap]:
    """JSON data, with the line of every field when `lines` (JSON is YAML: the YAML reader
    knows them); InputFileError when the text is not acceptable JSON."""
    where = LineMap(label)
    if lines:
        try:
            _, where = load_yaml(text, label)
        except InputFileError as exc:
            if any(_refused_by_yaml_too(p.message) for p in exc.problems):
                raise
            # valid JSON that YAML 1.1 reads otherwise: no line numbers
    try:
        data = json.loads(text, parse_int=_json_int, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        raise InputFileError([Problem(label, exc.lineno, "", f"JSON syntax error: {exc.msg}")]) from None
    except _DuplicateKey as exc:
        raise InputFileError(
            [Problem(label, None, "", f"key {exc.key!r} appears twice in one mapping", "keep one of them")]
        ) from None
    except RecursionError:
        raise InputFileError([Problem(label, None, "", "the document is nested too deeply")]) from None
    if not (_SURROGATE_ESCAPE.search(text) or lone_surrogate(text)):
        return data, where  # the walk below costs more than parsing; most texts need none
    for loc, escape in surrogates_in(data):
        at = re.search(re.escape(escape), text, re.IGNORECASE)
        line = text[: at.start()].count("\n") + 1 if at else where.line(loc)
        raise InputFileError(
            [
                Problem(
                    label,
                    line,
                    format_loc(loc),
                    f"contains the escape {escape}, half of a character pair and no character",
                    "write the character itself",
                )
            ]
        )
    return data, where


def _refused_by_yaml_too(message: str) -> bool:
    """Problems the JSON reading must not pass over: limits and duplicate keys."""
    return "nested more than" in message or "holds more than" in message or "appears twice" in message
