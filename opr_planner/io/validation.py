"""Shared helpers that turn pydantic errors and unknown keys into line-aware problems."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Problem
from .yamlio import LineMap


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """'did you mean 'x'?' for the closest choice, or a list of the choices."""
    options = sorted(set(choices))
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    if not options:
        return "none are defined"
    shown = ", ".join(options[:8]) + (", ..." if len(options) > 8 else "")
    return f"known: {shown}"


Loc = tuple[str | int, ...]

SHOWN_CHARS = 40  # of a value quoted in a message


def shortened(text: str, limit: int = SHOWN_CHARS) -> str:
    """`text`, or its start and an ellipsis when longer than `limit` (a message quotes what
    was typed, never a million characters of it)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class Describer:
    """Turns a location into a Problem with file, line and a readable path."""

    def __init__(self, data: Any, lines: LineMap):
        self.data = data
        self.lines = lines

    def path(self, loc: Loc) -> str:
        out = ""
        node: Any = self.data
        for part in loc:
            if isinstance(part, int):
                out += f"[{part}]"
                node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
                if (
                    isinstance(node, dict)
                    and isinstance(node.get("id"), str | int)
                    and not isinstance(node.get("id"), bool)
                ):
                    out += f" ({shortened(str(node['id']))})"
            else:
                out += f".{part}" if out else str(part)
                node = node.get(part) if isinstance(node, dict) else None
        return out

    def __call__(self, loc: Loc, message: str, hint: str = "") -> Problem:
        return self.lines.problem(loc, message, hint, path=self.path(loc))


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic model classes an annotation can hold (through list, dict, Optional...)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    for arg in typing.get_args(annotation):
        out.extend(_models_in(arg))
    return out


def _is_dict(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _is_dict(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return any(_is_dict(a) for a in typing.get_args(annotation))
    return origin is dict


def unknown_keys(model: type[BaseModel], data: Any, loc: Loc, describe: Describer) -> list[Problem]:
    """Problems for keys the model does not define, with 'did you mean' hints."""
    if not isinstance(data, dict):
        return []
    fields = model.model_fields
    names = {f.alias or n: n for n, f in fields.items()}
    out: list[Problem] = []
    for key, value in data.items():
        if key not in names:
            out.append(describe((*loc, key), f"unknown key {key!r}", did_you_mean(str(key), names)))
            continue
        field = fields[names[key]]
        for sub in _models_in(field.annotation):
            if _is_dict(field.annotation) and isinstance(value, dict):
                for k, v in value.items():
                    out.extend(unknown_keys(sub, v, (*loc, key, k), describe))
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    out.extend(unknown_keys(sub, item, (*loc, key, i), describe))
            else:
                out.extend(unknown_keys(sub, value, (*loc, key), describe))
    return out


_HINTS = {
    "missing": "add it",
    "int_parsing": "write a whole number",
    "int_type": "write a whole number",
    "greater_than_equal": "use 0 or more",
    "less_than_equal": "that number is far too large",
    "bool_parsing": "write true or false",
    "bool_type": "write true or false",
    "list_type": "write a list, e.g. [a, b]",
    "dict_type": "write a mapping of keys, e.g. {min: 1, max: 2}",
    "model_type": "write it as key: value pairs, e.g. {id: x, name: y}",
    "model_attributes_type": "write it as key: value pairs, e.g. {id: x, name: y}",
    "int_parsing_size": "that number is far too large",
    "string_type": "write text",
    "string_too_short": "it may not be empty",
}


def _a(value: Any) -> str:
    """'a text', 'a list', ... for messages about a value of the wrong kind."""
    if isinstance(value, bool):
        return "true/false"
    kinds = {str: "a text", int: "a number", float: "a number", list: "a list", dict: "a mapping"}
    return kinds.get(type(value), "empty" if value is None else f"a {type(value).__name__}")


def pydantic_problems(exc: ValidationError, describe: Describer) -> list[Problem]:
    out: list[Problem] = []
    seen: set[Loc] = set()
    errors = exc.errors(include_url=False)
    all_locs = {clean_loc(e["loc"]) for e in errors if e["type"] != "extra_forbidden"}
    for err in errors:
        kind = err["type"]
        if kind == "extra_forbidden":
            continue  # reported by unknown_keys with a hint
        loc = clean_loc(err["loc"])
        if loc in seen:
            continue  # one message per field (unions report each branch)
        if any(len(other) > len(loc) and other[: len(loc)] == loc for other in all_locs):
            continue  # a union branch that failed as a whole; another branch names the inner field
        seen.add(loc)
        if kind == "union_tag_invalid" or kind.startswith("union"):
            kind = "union"
        msg = err["msg"]
        hint = _HINTS.get(kind, "")
        if kind == "value_error":
            msg = msg.removeprefix("Value error, ")
            msg, _, hint = msg.partition("; ")
        elif kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            msg = f"{err['input']!r} is not allowed"
            choices = [c.strip(" '") for c in str(expected).replace(" or ", ",").split(",")]
            hint = f"use one of {expected}"
            if isinstance(err["input"], str):
                close = did_you_mean(err["input"], choices)
                hint = close if close.startswith("did") else hint
        elif kind == "missing":
            msg = "is required"
        elif "input" in err and kind != "missing":
            shown = repr(err["input"])
            shown = shown if len(shown) < 60 else shown[:57] + "..."
            if kind in ("model_type", "model_attributes_type", "dict_type"):
                msg = f"is {_a(err['input'])}, not a mapping of keys"  # not "... or instance of PlanReview"
            msg = f"{shown}: {msg[0].lower()}{msg[1:]}"
        out.append(describe(loc, msg, hint))
    return out


def clean_loc(loc: tuple[Any, ...]) -> Loc:
    """Drop pydantic's union/validator branch labels from an error location."""
    out: list[str | int] = []
    for part in loc:
        if isinstance(part, str) and (
            "[" in part or part in {"DateRange", "function-before", "function-after"}
        ):
            continue
        out.append(part)
    return tuple(out)
