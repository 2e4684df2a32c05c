"""A property of the plan format (issue 17): whatever a plan file holds, every command that
reads it answers within seconds with

- exit 0, or
- exit 1 naming the broken rules (H1-H18), or
- exit 2 with `error:` lines that name the plan file (or, for an export, say why it is
  refused),

and never a traceback (the in-process runner re-raises any exception: the example fails
with it). Hypothesis edits the valid tests/data/tiny.plan.yaml the way people and other
tools break plans: dates near the year limits, unknown or repeated reviews and people,
wrong roles and functions, odd sessions, solver fields of the wrong kind, escapes of half a
character, duplicate keys, and then writes it as YAML or JSON.

The default run is bounded and the same every time; OPR_FUZZ_EXAMPLES makes it longer
(see tests/test_fuzz.py and docs/robustness.md).
"""

from __future__ import annotations

import copy
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from helpers import CASE_SECONDS, TINY, TINY_PLAN, deadline, run_cli
from hypothesis import event, given
from hypothesis import strategies as st
from test_fuzz import fuzz_settings
from test_robustness_plans import PLAN_COMMANDS

BASE: dict[str, Any] = yaml.safe_load(TINY_PLAN.read_text(encoding="utf-8"))
RULE = re.compile(r"\bH([1-9]|1[0-8])\b")

DATES = [
    "1900-01-01",
    "1900-01-02",
    "2999-12-31",
    "2999-12-25",
    "1899-12-31",
    "3000-01-01",
    "2028-02-30",
    "2028-06-29T09:00:00",
    "29-06-2028",
    "2028-06-24",  # a Saturday
    "2028-07-20",  # summer holiday
    "",
]
IDS = ["a1", "b2", "c3", "u1", "zz", "", "p\ud800", "nul.txt", "Prn.ics", "x" * 1000, "a1 ", "A1", "../x"]
VALUES = st.one_of(
    st.sampled_from(DATES),
    st.sampled_from(IDS),
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=12),
    st.sampled_from([2**31, 2**63, 10**30, -(10**9)]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        ["chair", "secretary", "student", "board", "optimal", "feasible", "manual", "opr-plan/2"]
    ),
    st.sampled_from(["09:00", "25:00", "9.30", "17:00", "noon", "Zaal \udc00", "\x1b[31m", "=1+1"]),
    st.lists(st.sampled_from(IDS[:6]), max_size=3),
    st.dictionaries(
        st.sampled_from(["participant", "role", "functions", "x"]), st.sampled_from(IDS[:5]), max_size=3
    ),
)

# (path to a value in the plan, or to a list to grow) -> what to put there
TARGETS = [
    ("format",),
    ("scenario", "sha256"),
    ("scenario", "name"),
    ("solver", "status"),
    ("solver", "seed"),
    ("solver", "gap"),
    ("solver", "objective"),
    ("metrics", "partnership_links"),
    ("objective",),
    ("reviews", 0, "id"),
    ("reviews", 0, "subject"),
    ("reviews", 0, "date"),
    ("reviews", 1, "date"),
    ("reviews", 0, "confirmed"),
    ("reviews", 0, "sessions", 0, "date"),
    ("reviews", 0, "sessions", 0, "start"),
    ("reviews", 0, "sessions", 1, "location"),
    ("reviews", 0, "sessions", 1, "name"),
    ("reviews", 0, "members", 0, "participant"),
    ("reviews", 0, "members", 1, "role"),
    ("reviews", 1, "members", 0, "functions"),
    ("reviews", 1, "members", 2, "confirmed"),
    ("reviews", 2, "members"),
    ("reviews", 2, "backups"),
]


def _set(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for part in path[:-1]:
        if isinstance(data, dict):
            data = data.setdefault(part, {})
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return
    if isinstance(data, dict) or (
        isinstance(data, list) and isinstance(path[-1], int) and path[-1] < len(data)
    ):
        data[path[-1]] = value


@st.composite
def broken_plans(draw: st.DrawFn) -> tuple[str, str]:
    """(file name, text) of a plan with one to four edits, as YAML or JSON."""
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        edit = draw(
            st.sampled_from(["set", "set", "set", "drop", "repeat_review", "repeat_member", "drop_sessions"])
        )
        if edit == "set":
            _set(data, draw(st.sampled_from(TARGETS)), draw(VALUES))
        elif edit == "drop":
            path = draw(st.sampled_from(TARGETS))
            parent: Any = data
            for part in path[:-1]:
                parent = parent.get(part) if isinstance(parent, dict) else None
                if parent is None:
                    break
            if isinstance(parent, dict):
                parent.pop(path[-1], None)
        elif isinstance(data.get("reviews"), list) and data["reviews"]:
            reviews = data["reviews"]
            i = draw(st.integers(min_value=0, max_value=len(reviews) - 1))
            if edit == "repeat_review":
                reviews.append(copy.deepcopy(reviews[i]))
            elif edit == "repeat_member" and isinstance(reviews[i], dict):
                members = reviews[i].get("members")
                if isinstance(members, list) and members:
                    members.append(copy.deepcopy(members[0]))
            elif isinstance(reviews[i], dict):
                reviews[i].pop("sessions", None)
    as_json = draw(st.booleans())
    if as_json:
        text = json.dumps(data, default=str)  # \uXXXX escapes, also of half a character
        if draw(st.booleans()):
            text = text.replace('"format"', '"format": "opr-plan/1", "format"', 1)  # a duplicate key
        return "plan.json", text
    return "plan.yaml", yaml.safe_dump(data, sort_keys=False, allow_unicode=False)


# The commands besides `check` that read a plan (the same as the plan robustness tests).
COMMANDS = {name: args for name, args in PLAN_COMMANDS.items() if name != "check"}


def _answer(args: list[Any], plan: Path) -> int:
    """Run one command; assert the property; return its exit code."""
    with deadline(CASE_SECONDS):  # a hang fails the example instead of blocking the suite
        result = run_cli(*args)
    name = " ".join(str(a) for a in args[:2] if not str(a).startswith("/"))
    event(f"{name}: exit {result.exit_code}")
    assert "Traceback" not in result.output
    if result.exit_code == 1:
        assert RULE.search(result.output), f"{name}: exit 1 without a rule\n{result.output}"
    elif result.exit_code == 2:
        errors = [line for line in result.stderr.splitlines() if line.startswith(("error: ", "Error: "))]
        assert errors, f"{name}: exit 2 without an error line\n{result.stderr}"
        # The plan file named, or why it is refused (an export, an option that does not fit it).
        assert any(str(plan) in line or "cannot be exported" in line or "--" in line for line in errors), (
            errors
        )
    else:
        assert result.exit_code in (0, 3, 4), f"{name}: exit {result.exit_code}\n{result.output}"
    return result.exit_code


@fuzz_settings(40)
@given(plan=broken_plans(), command=st.sampled_from(sorted(COMMANDS)))
def test_every_broken_plan_gets_a_rule_or_a_message(plan: tuple[str, str], command: str) -> None:
    name, text = plan
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / name
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        out = folder / "out"
        out.mkdir()
        code = _answer(["check", TINY, path], path)
        assert code in (0, 1, 2)
        other = _answer(COMMANDS[command](path, out), path)
        if code == 2:  # unreadable for check: unreadable for every command
            assert other == 2, command
        leftovers = [p.name for p in out.rglob("*.tmp")]
        assert leftovers == []
