"""Inputs too large to finish (issue 17, items 4 and 6): refused while they are read,
or before the work starts, with a message that says what was too big.

The YAML reader counts nodes and nesting while libyaml composes the document, so a
plain list of a million items (no aliases) is refused in seconds and bounded memory.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from helpers import TINY, TINY_PLAN, run_cli

from opr_planner.errors import ScenarioError
from opr_planner.io import yamlio
from opr_planner.io.yamlio import YamlError, load_yaml
from opr_planner.scenario import load_scenario

_MEASURE = (
    "import resource, sys, time\n"
    "from opr_planner.errors import InputError\n"
    "from opr_planner.scenario import load_scenario\n"
    "started = time.perf_counter()\n"
    "try:\n"
    "    load_scenario(sys.argv[1])\n"
    "except InputError as exc:\n"
    "    print(exc)\n"
    "print(time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
)


def _measure(path: Path) -> tuple[str, float, int]:
    """(message, seconds, peak resident KiB) of loading `path` in a fresh process."""
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)], capture_output=True, text=True, timeout=120
    )
    message, figures = result.stdout.strip().rsplit("\n", 1)
    seconds, peak = figures.split()
    return message, float(seconds), int(peak)


@pytest.mark.slow
def test_a_plain_list_of_a_million_items_is_refused_in_seconds(tmp_path: Path) -> None:
    """Issue 17 item 4: 2 MB, 1M items took 59 s and 1.1 GB (6 MB: 154 s, 2.1 GB, then
    called an alias bomb). Now refused while parsing: the same message for both sizes."""
    for name, items in (("two-mb.yaml", 1_000_000), ("six-mb.yaml", 3_000_000)):
        path = tmp_path / name
        path.write_text("format: opr-scenario/1\nx:\n" + "- 1\n" * items, encoding="utf-8")
        message, seconds, peak_kib = _measure(path)
        assert message == (
            f"{path}:3: the document holds more than 1,000,000 values (keys, texts, numbers, lists and "
            "mappings); the largest scenario needs well under half of that; is it the right file? the "
            "list that goes over the limit starts on this line"
        )
        assert "alias" not in message
        assert seconds < 10
        assert peak_kib < 700 * 1024


def test_the_node_cap_applies_while_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlio, "MAX_NODES", 50)
    text = "a:\n  b: [" + ", ".join(["1"] * 60) + "]\n"
    with pytest.raises(YamlError) as info:
        load_yaml(text, "f.yaml")
    (problem,) = info.value.problems
    assert (problem.file, problem.line) == ("f.yaml", 2)
    assert problem.message.startswith("the document holds more than 50 values")
    load_yaml("a: [" + ", ".join(["1"] * 40) + "]\n", "f.yaml")  # under the cap: read


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 70 + "]" * 70 + "\n",  # flow
        "".join("  " * i + f"k{i}:\n" for i in range(70)) + "  " * 70 + "v\n",  # block mappings
        "x: " + "[" * 5000 + "\n",  # unbalanced, past libyaml's own limit
        '{"a": ' * 100 + "1" + "}" * 100,  # JSON
    ],
    ids=["flow", "block", "unbalanced", "json"],
)
def test_nesting_is_capped_while_parsing(text: str) -> None:
    with pytest.raises(YamlError) as info:
        load_yaml(text, "f.yaml")
    assert "nested more than 64 levels deep" in info.value.problems[0].message


def test_aliases_cannot_nest_deeper_than_the_cap() -> None:
    text = "a0: &a0 [x]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 80))
    with pytest.raises(YamlError, match="nested more than 64 levels deep"):
        load_yaml(text, "f.yaml")


def test_a_scenario_of_realistic_depth_and_aliases_still_reads() -> None:
    data, _ = load_yaml("base: &b {start: '09:00'}\nsessions:\n  - <<: *b\n    name: x\n", "f.yaml")
    assert data["sessions"] == [{"start": "09:00", "name": "x"}]


def test_libyaml_is_used_and_keeps_lines() -> None:
    assert yamlio.LIBYAML, "PyYAML without libyaml: parsing a national scenario is several times slower"
    _, lines = load_yaml("a:\n  - x\n  - {b: 1}\n", "f.yaml")
    assert lines.line(("a", 1, "b")) == 3


def test_a_lone_surrogate_in_yaml_text_is_refused() -> None:
    with pytest.raises(YamlError, match="contains \\\\ud800, half of a character pair"):
        load_yaml("name: p\ud800\n", "--vary")
    with pytest.raises(YamlError, match=r"YAML syntax error.*write the character itself"):
        load_yaml('name: "p\\ud800"\n', "f.yaml")


def test_a_huge_scenario_file_is_refused_by_validate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlio, "MAX_NODES", 100)
    with pytest.raises(ScenarioError, match="holds more than 100 values"):
        load_scenario(TINY)
    result = run_cli("check", TINY, TINY_PLAN)
    assert result.exit_code == 2
    assert "holds more than 100 values" in result.stderr
