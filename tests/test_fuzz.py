"""Fuzzing: mutated scenarios, participant spreadsheets and plans never crash a command.

Hypothesis takes the valid tests/data/tiny.yaml (and its plan, and a participants CSV)
and drops keys, swaps types, puts in random or hostile text, out-of-range dates and huge
numbers, or flips random bytes of the file; then runs the commands in-process. Whatever
the input, a command

- ends with exit 0, 1, 2 or 3 (4 too for `solve`, whose time limit may run out),
- never with an exception (the runner re-raises it: the test fails with the traceback),
- says what is wrong in `error:` lines when it exits 2,
- leaves its output file as it was, or writes it complete, never half, with no
  temporary file left behind.

The default run is bounded (about 20 s in all). For a long run set OPR_FUZZ_EXAMPLES,
e.g. `OPR_FUZZ_EXAMPLES=2000 python3 -m pytest tests/test_fuzz.py` (docs/robustness.md).
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from helpers import DATA, TINY, TINY_PLAN, run_cli
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from opr_planner.export.csv import BOM
from opr_planner.plan import read_plan

LONG_RUN = int(os.environ.get("OPR_FUZZ_EXAMPLES", "0") or 0)


def examples(default: int) -> int:
    """`default` examples, or OPR_FUZZ_EXAMPLES for a long run (a few fewer for solve)."""
    return max(default, LONG_RUN) if LONG_RUN else default


def fuzz_settings(default: int) -> settings:
    return settings(
        max_examples=examples(default),
        deadline=None,
        database=None,  # no .hypothesis folder from a test run
        derandomize=not LONG_RUN,  # the default run is the same every time; a long run explores
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        print_blob=True,
    )


BASE_SCENARIO: dict[str, Any] = yaml.safe_load(TINY.read_text(encoding="utf-8"))
BASE_PLAN: dict[str, Any] = yaml.safe_load(TINY_PLAN.read_text(encoding="utf-8"))
BASE_CSV = (
    "id;name;role;partnership;region;functions;unavailable\n"
    "c1;Kim C;student;pb;r-b;;2028-03-01\n"
    "c2;Lars C;school_educator;pb;r-b;chair|secretary;2028-04-01..2028-04-10\n"
    "c3;Maud C;board;;r-a;;\n"
)

NASTY_TEXT = [
    "",
    " ",
    "studnet",
    "student",
    "opr-scenario/1",
    "opr-plan/1",
    "0001-01-01",
    "9999-12-31",
    "2028-02-30",
    "1899-12-31",
    "3000-01-01",
    "25:00",
    "9:00",
    "yes",
    "no",
    "~",
    "\x1b[31mred",
    "a\nb",
    "\t",
    '=HYPERLINK("http://evil.example")',
    "<script>alert(1)</script>",
    "Zoë 🙂",
    "\u202eevil مريم",
    "../../etc/passwd",
    "con",
    "x" * 600,
    "9" * 5000,
    "*alias",
    "!!python/object/apply:os.system",
]
ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.integers(min_value=10**15, max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(NASTY_TEXT),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2030, 12, 31)),
    st.lists(st.sampled_from(NASTY_TEXT[:12]), max_size=3),
    st.dictionaries(st.sampled_from(["id", "from", "to", "min", "max", "x"]), st.integers(-3, 9), max_size=3),
)
OPERATIONS = ("drop", "replace", "replace", "duplicate", "add_key", "empty")

Path_ = tuple[Any, ...]


def _nodes(data: Any, path: Path_ = ()) -> list[Path_]:
    """Every location in `data` (keys of mappings, positions in lists)."""
    out = [path] if path else []
    if isinstance(data, dict):
        for key, value in data.items():
            out.extend(_nodes(value, (*path, key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out.extend(_nodes(value, (*path, i)))
    return out


def _parent(data: Any, path: Path_) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any]:
    """`base` with one to three mutations at random places."""
    data = copy.deepcopy(base)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        nodes = _nodes(data)
        if not nodes:
            break
        path = draw(st.sampled_from(nodes))
        parent, key = _parent(data, path), path[-1]
        op = draw(st.sampled_from(OPERATIONS))
        if op == "drop":
            del parent[key]
        elif op == "replace":
            parent[key] = draw(ODD_VALUES)
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
        elif op == "add_key" and isinstance(parent[key], dict):
            parent[key][draw(st.sampled_from(["zzz", "Name", "id", "format", "calender", "emial"]))] = draw(
                ODD_VALUES
            )
        elif op == "empty":
            parent[key] = type(parent[key])() if isinstance(parent[key], list | dict | str) else None
    return data


@st.composite
def damaged(draw: st.DrawFn, text: str) -> bytes:
    """`text` as UTF-8 with a few random byte edits (insert, delete, overwrite)."""
    data = bytearray(text.encode("utf-8"))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(data)))
        cut = draw(st.integers(min_value=0, max_value=8))
        new = draw(
            st.one_of(
                st.binary(max_size=6),
                st.sampled_from(
                    [b"\x00", b"\xff\xfe", b"\t", b"&a ", b"*a", b"!!", b": ", b"- ", b"{", b"]", b'"']
                ),
            )
        )
        data[at : at + cut] = new
    return bytes(data)


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


# -- running a command and judging what it left -----------------------------------------

OLD = b"old contents\n"


def _run(args: list[Any], *, allowed: tuple[int, ...] = (0, 1, 2, 3)) -> tuple[int, str]:
    result = run_cli(*args)  # an exception propagates: the example fails with its traceback
    event(f"{args[0]} {args[1] if args[0] == 'export' else ''} exit {result.exit_code}".replace("  ", " "))
    assert result.exit_code in allowed, f"exit {result.exit_code}\n{result.output}"
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert any(line.startswith("error: ") for line in lines) or result.stderr.startswith("Usage:"), (
            result.stderr
        )
    return result.exit_code, result.stderr


def _output_is_old_or_complete(path: Path, code: int, complete: Callable[[Path], None]) -> None:
    assert [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")] == []
    if path.read_bytes() == OLD:
        return
    assert code in (0, 1), f"exit {code} but {path.name} was replaced"
    complete(path)


def _csv_complete(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    assert text.startswith(BOM) and text.endswith("\r\n")
    header, *rows = list(csv.reader(io.StringIO(text[len(BOM) :], newline=""), delimiter=";"))
    assert all(len(row) == len(header) for row in rows)


def _plan_complete(path: Path) -> None:
    read_plan(path)


def _commands_on_scenario(folder: Path, scenario: Path) -> None:
    """validate, check and export csv on one (mutated) scenario."""
    _run(["validate", scenario])
    _run(["check", scenario, TINY_PLAN])
    out = folder / "plan.csv"
    out.write_bytes(OLD)
    code, _ = _run(["export", "csv", scenario, TINY_PLAN, "-o", out, "--force"])
    _output_is_old_or_complete(out, code, _csv_complete)


# -- the fuzz tests ------------------------------------------------------------------


@fuzz_settings(120)
@given(data=mutated(BASE_SCENARIO))
def test_mutated_scenarios(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        scenario = folder / "scenario.yaml"
        scenario.write_text(_dump(data), encoding="utf-8")
        _commands_on_scenario(folder, scenario)


@fuzz_settings(80)
@given(raw=damaged(TINY.read_text(encoding="utf-8")))
def test_scenarios_with_random_bytes(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        scenario = folder / "scenario.yaml"
        scenario.write_bytes(raw)
        _commands_on_scenario(folder, scenario)


@fuzz_settings(60)
@given(
    raw=st.one_of(damaged(BASE_CSV), st.binary(max_size=200)),
    delimiter=st.sampled_from([";", ",", "\t", "|"]),
)
def test_participant_spreadsheets(raw: bytes, delimiter: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "people.csv").write_bytes(raw.replace(b";", delimiter.encode()))
        text = (DATA / "minimal.yaml").read_text(encoding="utf-8")
        scenario = folder / "scenario.yaml"
        scenario.write_text(text.replace("participants:\n", "participants_file: people.csv\nparticipants:\n"))
        _run(["validate", scenario])


@fuzz_settings(120)
@given(data=mutated(BASE_PLAN), as_json=st.booleans())
def test_mutated_plans(data: dict[str, Any], as_json: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plan = folder / ("plan.json" if as_json else "plan.plan.yaml")
        text = json.dumps(data, default=str, ensure_ascii=False) if as_json else _dump(data)
        plan.write_text(text, encoding="utf-8")
        _run(["check", TINY, plan])
        _run(["explain", TINY, plan], allowed=(0, 2))
        out = folder / "plan.csv"
        out.write_bytes(OLD)
        code, _ = _run(["export", "csv", TINY, plan, "-o", out], allowed=(0, 2))
        _output_is_old_or_complete(out, code, _csv_complete)


@fuzz_settings(60)
@given(raw=damaged(TINY_PLAN.read_text(encoding="utf-8")))
def test_plans_with_random_bytes(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        plan = folder / "plan.plan.yaml"
        plan.write_bytes(raw)
        _run(["check", TINY, plan])
        out = folder / "plan.csv"
        out.write_bytes(OLD)
        code, _ = _run(["export", "csv", TINY, plan, "-o", out], allowed=(0, 2))
        _output_is_old_or_complete(out, code, _csv_complete)


@fuzz_settings(12)
@given(data=mutated(BASE_SCENARIO))
def test_solve_on_mutated_scenarios(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        scenario = folder / "scenario.yaml"
        scenario.write_text(_dump(data), encoding="utf-8")
        out = folder / "scenario.plan.yaml"
        out.write_bytes(OLD)
        code, _ = _run(
            ["solve", scenario, "-o", out, "--time-limit", "2", "--workers", "1", "-q"], allowed=(0, 2, 3, 4)
        )
        _output_is_old_or_complete(out, code, _plan_complete)
