"""JSON the program reads back (issue 17, the shared reader): sweep records beside the
variants and the plan the workbench keeps on its page go through `io.jsonio.load_json`
like JSON plans do. A damaged record once crashed `sweep` with a traceback
(AttributeError, RecursionError); a damaged draft reached the page as a RecursionError or
as a plan holding half a character.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from unittest.mock import ANY

import pytest
from helpers import CASE_SECONDS, TINY, TINY_PLAN, deadline, read_yaml_data, run_cli

from opr_planner.errors import InputFileError
from opr_planner.io.jsonio import load_json
from opr_planner.plan import read_plan
from opr_planner.web.editing import EditRefused, read_draft

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (DEEP, "x.json: the document is nested too deeply"),
        ('{"a": 1, "a": 2}', "x.json: key 'a' appears twice in one mapping; keep one of them"),
        (
            '{"a": ["\\udc00"]}',
            "x.json:1: a[0]: contains the escape \\udc00, half of a character pair and no character; "
            "write the character itself",
        ),
        ('{"a": 1,}', "x.json:1: JSON syntax error: Expecting property name enclosed in double quotes"),
    ],
    ids=["deep", "duplicate key", "half a character", "syntax"],
)
def test_json_the_program_wrote_is_still_read_with_care(text: str, message: str) -> None:
    with pytest.raises(InputFileError) as info:
        load_json(text, "x.json", lines=False)
    assert str(info.value) == message


def test_fast_json_reading_gives_the_same_data() -> None:
    text = json.dumps({"a": ["\U0001f600", 10**99, 1.5, None], "b": {"c": "Zo\u00eb"}})
    data, lines = load_json(text, "x.json", lines=False)
    assert data == json.loads(text)
    assert load_json(text, "x.json")[0] == data
    assert lines.line(("a",)) is None  # no YAML pass: no line numbers
    assert load_json("1" * 200, "x.json", lines=False)[0] == "1" * 200  # too long for int(): text


SWEEP = ["sweep", TINY, "--vary", "rules.group_size.max=5", "--time-limit", "2", "--jobs", "1", "-o"]


@pytest.fixture(scope="module")
def swept(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished one-variant sweep of tiny.yaml (copied by each test that damages it)."""
    out = tmp_path_factory.mktemp("swept") / "sweep"
    assert run_cli(*SWEEP, out).exit_code == 0
    assert "skipped (done)" in run_cli(*SWEEP, out).stderr  # a whole record is trusted
    return out


@pytest.mark.parametrize(
    "damage",
    [
        lambda record: "[]",
        lambda record: DEEP,
        lambda record: json.dumps({**record, "metrics": [1, 2]}),
        lambda record: json.dumps({**record, "reasons": ["\ud800"]}),
    ],
    ids=["a list", "nested deeply", "metrics a list", "half a character"],
)
def test_a_damaged_sweep_record_means_solving_that_variant_again(damage, swept: Path, tmp_path: Path) -> None:
    out = tmp_path / "sweep"
    shutil.copytree(swept, out)
    (path,) = out.glob("*.result.json")
    record = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(damage(record), encoding="utf-8", errors="surrogatepass")
    with deadline(CASE_SECONDS):
        result = run_cli(*SWEEP, out)
    assert result.exit_code == 0, result.output
    assert "skipped" not in result.stderr and "optimal, objective" in result.stderr, result.stderr
    assert json.loads(path.read_text(encoding="utf-8")) == {**record, "seconds": ANY}  # written again, whole


@pytest.mark.parametrize(
    "text",
    [
        DEEP,
        json.dumps({**read_yaml_data(TINY_PLAN), "format": "opr-plan/1"}, default=str).replace(
            '"participant": "c3"', '"participant": "c\\ud800"', 1
        ),
        json.dumps(read_yaml_data(TINY_PLAN), default=str).replace(
            '"reviews": [', '"reviews": [], "reviews": [', 1
        ),
        "not json",
    ],
    ids=["nested deeply", "half a character", "key twice", "not json"],
)
def test_a_damaged_plan_on_the_workbench_page_is_refused(text: str) -> None:
    with pytest.raises(EditRefused, match="the plan on the page is damaged; reload the page"):
        read_draft(text)


def test_the_plan_on_the_page_is_read_back() -> None:
    plan = read_plan(TINY_PLAN)[0]
    assert read_draft(json.dumps(read_yaml_data(TINY_PLAN), default=str)) == plan
