"""Safe, line-aware YAML reading.

PyYAML's loaders follow YAML 1.1, which turns `15:00` into 900, `no` into False and
`010` into 8. Scenario files are typed by people, so plain scalars are resolved here
by a small, predictable rule set instead (see `_plain_scalar`), every node's line is
remembered for error messages, only the standard tags are accepted, duplicate keys are
refused, and alias expansion is bounded (no "billion laughs").
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from ..errors import Problem

Loc = tuple[str | int, ...]

MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_EXPANDED_NODES = 2_000_000
# Longer runs of digits are kept as text (Python refuses to convert more than 4300
# digits, and no count in a scenario or plan needs more than a handful).
MAX_NUMBER_CHARS = 100

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "false": False}

_TAG = "tag:yaml.org,2002:"
_ALLOWED_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}


class _Loader(yaml.SafeLoader):
    """A SafeLoader that composes nodes but resolves no plain scalar implicitly."""


_Loader.yaml_implicit_resolvers = {}


class LineMap:
    """Line numbers (1-based) of the nodes of one document, by path."""

    def __init__(self, file: str):
        self.file = file
        self._lines: dict[Loc, tuple[str, int]] = {}

    def set(self, loc: Loc, line: int, file: str | None = None) -> None:
        self._lines.setdefault(tuple(loc), (file or self.file, line))

    def where(self, loc: Loc) -> tuple[str, int | None]:
        """File and line of `loc`, or of its nearest ancestor that has one."""
        loc = tuple(loc)
        while True:
            if loc in self._lines:
                return self._lines[loc]
            if not loc:
                return self.file, None
            loc = loc[:-1]

    def line(self, loc: Loc) -> int | None:
        return self.where(loc)[1]

    def problem(self, loc: Loc, message: str, hint: str = "", path: str | None = None) -> Problem:
        file, line = self.where(loc)
        return Problem(file, line, format_loc(loc) if path is None else path, message, hint)


def format_loc(loc: Loc) -> str:
    """('participants', 3, 'role') -> 'participants[3].role'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class YamlError(Exception):
    """Raised with the problems that made a document unreadable."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def read_text(path: Path, *, label: str | None = None) -> tuple[str, bytes]:
    """Read a UTF-8 text file, or raise YamlError saying why it cannot be read."""
    name = label or str(path)

    def fail(message: str, hint: str = "", line: int | None = None) -> YamlError:
        return YamlError([Problem(name, line, "", message, hint)])

    if not path.exists():
        raise fail("no such file", "check the path and the working directory")
    if path.is_dir():
        raise fail("is a directory, not a file", "name the file inside it")
    too_large = fail(f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB", "is it the right file?")
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise too_large
        with path.open("rb") as handle:  # read at most the limit: /dev/zero never ends
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise fail(f"cannot be read ({exc.strerror})") from None
    if len(data) > MAX_FILE_BYTES:
        raise too_large
    if b"\x00" in data:
        raise fail("is a binary file, not text", "save it as UTF-8 text (YAML or CSV)")
    try:
        return data.decode("utf-8-sig"), data
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise fail(
            f"is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            "save the file as UTF-8 (in Excel: 'CSV UTF-8')",
            line,
        ) from None


def load_yaml(text: str, file: str) -> tuple[Any, LineMap]:
    """Parse one YAML document into plain Python values plus the line of every node."""
    lines = LineMap(file)
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "invalid YAML"
        raise YamlError(
            [Problem(file, line, "", f"YAML syntax error: {what}", _syntax_hint(str(what)))]
        ) from None
    except yaml.YAMLError as exc:
        raise YamlError([Problem(file, None, "", f"YAML error: {exc}")]) from None
    except RecursionError:
        raise YamlError([Problem(file, None, "", "the document is nested too deeply")]) from None
    if node is None:
        return None, lines
    builder = _Builder(file, lines)
    try:
        size = builder.size(node, set())
        if size > MAX_EXPANDED_NODES:
            raise builder.fail(
                node,
                f"aliases expand to {size:,} nodes, far more than the file holds",
                "refusing a possible alias bomb; write the data out without `*alias` repetition",
            )
        return builder.build(node, ()), lines
    except RecursionError:
        raise YamlError([Problem(file, None, "", "the document is nested too deeply")]) from None


def _syntax_hint(what: str) -> str:
    if "tab" in what or "'\\t'" in what:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in what:
        return "put quotes around a value that contains ': '"
    if "could not find expected ':'" in what or "expected <block end>" in what:
        return "check the indentation of this line and the one before it"
    return "check quotes, colons and indentation around this line"


def _plain_scalar(text: str) -> Any:
    """Resolve an unquoted scalar: null, true/false, decimal numbers and ISO dates only."""
    if text in _NULLS:
        return None
    low = text.lower()
    if low in _BOOLS:
        return _BOOLS[low]
    if len(text) <= MAX_NUMBER_CHARS:
        if _INT.fullmatch(text):
            return int(text)
        if _FLOAT.fullmatch(text):
            return float(text)
    if _DATE.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return text
    return text


class _Builder:
    def __init__(self, file: str, lines: LineMap):
        self.file = file
        self.lines = lines
        self._sizes: dict[int, int] = {}

    def fail(self, node: yaml.Node, message: str, hint: str = "", loc: Loc = ()) -> YamlError:
        return YamlError([Problem(self.file, node.start_mark.line + 1, format_loc(loc), message, hint)])

    def size(self, node: yaml.Node, stack: set[int]) -> int:
        """Number of nodes after alias expansion (memoised, so bombs are measured fast)."""
        key = id(node)
        if key in self._sizes:
            return self._sizes[key]
        if key in stack:
            raise self.fail(node, "an alias refers to the node that contains it (a cycle)")
        stack.add(key)
        total = 1
        for child in self._children(node):
            total += self.size(child, stack)
            if total > MAX_EXPANDED_NODES:
                break
        stack.discard(key)
        self._sizes[key] = total
        return total

    @staticmethod
    def _children(node: yaml.Node) -> Iterator[yaml.Node]:
        if isinstance(node, yaml.SequenceNode):
            yield from node.value
        elif isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                yield k
                yield v

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.lines.set(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, loc)
        if isinstance(node, yaml.SequenceNode):
            if node.tag not in (_TAG + "seq",):
                raise self.fail(node, f"tag {node.tag!r} is not allowed", "remove the tag", loc)
            return [self.build(child, (*loc, i)) for i, child in enumerate(node.value)]
        if node.tag not in (_TAG + "map",):
            raise self.fail(node, f"tag {node.tag!r} is not allowed", "remove the tag", loc)
        out: dict[Any, Any] = {}
        explicit: set[Any] = set()  # keys written here; merged (`<<`) keys may be overridden
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == "<<" and key_node.style is None:
                self._merge(out, value_node, loc)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "a key must be a plain word, not a list or mapping")
            key = self._scalar(key_node)
            if not isinstance(key, str):
                key = key_node.value  # keys are names: `1:`, `yes:`, `~:` and dates as written
            if key in explicit:
                raise self.fail(
                    key_node, f"key {key!r} appears twice in one mapping", "keep one of them", (*loc, key)
                )
            explicit.add(key)
            self.lines.set((*loc, key), key_node.start_mark.line + 1)
            out[key] = self.build(value_node, (*loc, key))
        return out

    def _merge(self, out: dict[Any, Any], node: yaml.Node, loc: Loc) -> None:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        for source in sources:
            value = self.build(source, loc)
            if not isinstance(value, dict):
                raise self.fail(source, "'<<' merges a mapping; this is not a mapping")
            for k, v in value.items():
                out.setdefault(k, v)

    def _scalar(self, node: yaml.ScalarNode, loc: Loc = ()) -> Any:
        tag = node.tag
        if tag not in _ALLOWED_SCALAR_TAGS:
            raise self.fail(
                node,
                f"tag {tag!r} is not allowed",
                "only plain YAML data is read; remove the tag",
                loc,
            )
        text = node.value
        if tag == _TAG + "str":
            return _plain_scalar(text) if node.style is None else text
        value = _plain_scalar(text)
        kinds: dict[str, type | tuple[type, ...]] = {
            _TAG + "int": int,
            _TAG + "float": (int, float),
            _TAG + "bool": bool,
            _TAG + "null": type(None),
            _TAG + "timestamp": dt.date,
        }
        expected = kinds[tag]
        if not isinstance(value, expected):
            raise self.fail(node, f"{text!r} does not match its tag {tag!r}", loc=loc)
        return value


def dump_yaml(data: Any) -> str:
    """Dump plain data as block YAML that keeps key order and quotes what must be quoted."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Quote anything a YAML 1.1 reader could misread (times, yes/no, dates, numbers).
    style = None
    if _plain_scalar(value) != value or re.fullmatch(r"[0-9:._+-]+|yes|no|on|off|y|n", value, re.I):
        style = "'"
    if "\n" in value:
        style = "|"
    return dumper.represent_scalar(_TAG + "str", value, style=style)


_Dumper.add_representer(str, _str_representer)
_Dumper.add_representer(dt.date, lambda d, v: d.represent_scalar(_TAG + "str", v.isoformat(), style="'"))
