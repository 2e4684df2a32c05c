"""Safe, line-aware YAML reading at C speed, with limits enforced while parsing.

PyYAML's loaders follow YAML 1.1, which turns `15:00` into 900, `no` into False and
`010` into 8. Scenario files are typed by people, so plain scalars are resolved here
by a small, predictable rule set instead (see `_plain_scalar`), every node's line is
remembered for error messages, only the standard tags are accepted, duplicate keys and
lone surrogates are refused, and alias expansion is bounded (no "billion laughs").

Parsing and composing run in libyaml (C) when PyYAML has it, which keeps every node's
line and column (a national scenario parses some 10x faster than in pure Python); the
pure-Python parser is the fallback. Either way the number of nodes and the depth of
nesting are counted while the document is composed, so an oversized file is refused
before it costs seconds or gigabytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import re
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from ..errors import Problem
from .reader import MAX_FILE_BYTES, InputFileError, lone_surrogate, read_text

try:  # libyaml, bundled with PyYAML's wheels
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]

    LIBYAML = True
except ImportError:  # pragma: no cover - only without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, Parser, Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str):
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)

    LIBYAML = False

Loc = tuple[str | int, ...]

# A national scenario (2,600 people with busy calendars) has some 100,000 nodes; four
# times the country some 400,000. Each composed node costs about 400 bytes.
MAX_NODES = 1_000_000
MAX_DEPTH = 64  # a scenario nests 6 levels deep, a plan 5
MAX_EXPANDED_NODES = 2_000_000
# Longer runs of digits are kept as text (Python refuses to convert more than 4300
# digits, and no count in a scenario or plan needs more than a handful).
MAX_NUMBER_CHARS = 100

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "false": False}
_SPECIAL_START = frozenset("0123456789+-.~tTfFnN")  # how a null, bool, number or date can start

_TAG = "tag:yaml.org,2002:"
_STR, _SEQ, _MAP = _TAG + "str", _TAG + "seq", _TAG + "map"
_DEFAULT_TAGS = {ScalarNode: _STR, SequenceNode: _SEQ, MappingNode: _MAP}

YamlError = InputFileError  # the name the YAML and CSV readers have always raised


class _TooBig(Exception):
    def __init__(self, message: str, hint: str, node: yaml.Node | None):
        self.message, self.hint = message, hint
        self.line = node.start_mark.line + 1 if node is not None and node.start_mark else None


class _Loader(_Parser):
    """Composes nodes (in C where possible), resolves no plain scalar implicitly, and
    counts nodes and nesting as they are made.

    The composer asks `descend_resolver` before every node it makes and `resolve` for
    the tag of every untagged one; both are the hooks used here.
    """

    def __init__(self, text: str):
        super().__init__(text)
        self.nodes = 0
        self.depth = 0

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        return _DEFAULT_TAGS[kind]

    def descend_resolver(self, parent: yaml.Node | None, index: Any) -> None:
        self.nodes += 1
        self.depth += 1
        if self.depth > MAX_DEPTH:
            problem = _too_deep("")
            raise _TooBig(problem.message, problem.hint, parent)
        if self.nodes > MAX_NODES:
            raise _TooBig(
                f"the document holds more than {MAX_NODES:,} values (keys, texts, numbers, lists "
                "and mappings); the largest scenario needs well under half of that",
                "is it the right file? the list that goes over the limit starts on this line",
                parent,
            )

    def ascend_resolver(self) -> None:
        self.depth -= 1


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


def load_yaml(text: str, file: str) -> tuple[Any, LineMap]:
    """Parse one YAML document into plain Python values plus the line of every node."""
    surrogate = lone_surrogate(text)
    if surrogate:  # only a str made in Python can hold one (UTF-8 files cannot)
        at = text.index(surrogate.encode().decode("unicode_escape"))
        raise YamlError(
            [
                Problem(
                    file,
                    text.count("\n", 0, at) + 1,
                    "",
                    f"contains {surrogate}, half of a character pair and no character",
                    "write the character itself",
                )
            ]
        )
    # The cyclic garbage collector would walk the growing tree again and again (a third
    # of the time on a national scenario); a document makes no garbage cycles.
    with _no_gc():
        return _load(text, file)


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(text: str, file: str) -> tuple[Any, LineMap]:
    lines = LineMap(file)
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except _TooBig as exc:
        raise YamlError([Problem(file, exc.line, "", exc.message, exc.hint)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = str(exc.problem or exc.context or "invalid YAML")
        if "maximum nesting depth" in what:  # libyaml's own limit (1000), met while scanning ahead
            raise YamlError([_too_deep(file, line)]) from None
        hint = _syntax_hint(what, _line_of(text, line))
        raise YamlError([Problem(file, line, "", f"YAML syntax error: {what}", hint)]) from None
    except yaml.YAMLError as exc:
        raise YamlError([Problem(file, None, "", f"YAML error: {exc}")]) from None
    except RecursionError:
        raise YamlError([_too_deep(file)]) from None
    if node is None:
        return None, lines
    builder = _Builder(file, lines)
    try:
        # Without an anchor (`&`) there is no alias and the tree is as large as the text.
        size = builder.size(node, set()) if "&" in text else 0
        if size > MAX_EXPANDED_NODES:
            raise builder.fail(
                node,
                f"aliases expand to {size:,} nodes, far more than the file holds",
                "refusing a possible alias bomb; write the data out without `*alias` repetition",
            )
        return builder.build(node, ()), lines
    except RecursionError:
        raise YamlError([_too_deep(file)]) from None


def _too_deep(file: str, line: int | None = None) -> Problem:
    return Problem(
        file,
        line,
        "",
        f"the document is nested more than {MAX_DEPTH} levels deep",
        "a scenario or plan needs a handful of levels; is it the right file?",
    )


def _line_of(text: str, line: int | None) -> str:
    if line is None:
        return ""
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    end = text.find("\n", start)
    return text[start : end if end >= 0 else len(text)]


def _syntax_hint(what: str, line_text: str = "") -> str:
    indent = line_text[: len(line_text) - len(line_text.lstrip(" \t"))]
    if "\t" in indent:
        return "indent with spaces, not tabs"
    if "escape" in what and "nicode" in what:
        return "a \\uD800-\\uDFFF escape is half of a character; write the character itself"
    if "tab" in what or "'\\t'" in what:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in what:
        return "put quotes around a value that contains ': '"
    if "could not find expected ':'" in what or "expected <block end>" in what:
        return "check the indentation of this line and the one before it"
    return "check quotes, colons and indentation around this line"


def _plain_scalar(text: str) -> Any:
    """Resolve an unquoted scalar: null, true/false, decimal numbers and ISO dates only."""
    if text and text[0] not in _SPECIAL_START:  # most scalars: names and ids
        return text
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
        self._lines = lines._lines  # filled directly: the hot loop of a national scenario
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
        if len(loc) >= MAX_DEPTH:  # aliases can nest deeper than the text does
            raise YamlError([_too_deep(self.file, node.start_mark.line + 1)])
        self._lines.setdefault(loc, (self.file, node.start_mark.line + 1))
        if type(node) is ScalarNode:
            return self._scalar(node, loc)
        if type(node) is SequenceNode:
            if node.tag != _SEQ:
                raise self.fail(node, f"tag {node.tag!r} is not allowed", "remove the tag", loc)
            return [self.build(child, (*loc, i)) for i, child in enumerate(node.value)]
        if node.tag != _MAP:
            raise self.fail(node, f"tag {node.tag!r} is not allowed", "remove the tag", loc)
        out: dict[Any, Any] = {}
        explicit: set[Any] = set()  # keys written here; merged (`<<`) keys may be overridden
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode:
                raise self.fail(key_node, "a key must be a plain word, not a list or mapping")
            if key_node.value == "<<" and not key_node.style:
                self._merge(out, value_node, loc)
                continue
            key = self._scalar(key_node)
            if not isinstance(key, str):
                key = key_node.value  # keys are names: `1:`, `yes:`, `~:` and dates as written
            if key in explicit:
                raise self.fail(
                    key_node, f"key {key!r} appears twice in one mapping", "keep one of them", (*loc, key)
                )
            explicit.add(key)
            where = (*loc, key)
            self._lines.setdefault(where, (self.file, key_node.start_mark.line + 1))
            out[key] = self.build(value_node, where)
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
        tag, text = node.tag, node.value
        if not LIBYAML:  # libyaml itself refuses an escape of half a character pair
            surrogate = lone_surrogate(text)
            if surrogate:
                raise self.fail(
                    node,
                    f"contains the escape {surrogate}, half of a character pair and no character",
                    "write the character itself",
                    loc,
                )
        if tag == _STR:
            return text if node.style else _plain_scalar(text)  # plain style: None in Python, "" in C
        if tag not in _KINDS:
            raise self.fail(
                node,
                f"tag {tag!r} is not allowed",
                "only plain YAML data is read; remove the tag",
                loc,
            )
        value = _plain_scalar(text)
        if not isinstance(value, _KINDS[tag]):
            raise self.fail(node, f"{text!r} does not match its tag {tag!r}", loc=loc)
        return value


# The scalar tags that are read, each with the values it allows.
_KINDS: dict[str, type | tuple[type, ...]] = {
    _TAG + "int": int,
    _TAG + "float": (int, float),
    _TAG + "bool": bool,
    _TAG + "null": type(None),
    _TAG + "timestamp": dt.date,
}


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


__all__ = [
    "LIBYAML",
    "MAX_DEPTH",
    "MAX_EXPANDED_NODES",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "MAX_NUMBER_CHARS",
    "LineMap",
    "YamlError",
    "dump_yaml",
    "format_loc",
    "load_yaml",
    "read_text",
]
