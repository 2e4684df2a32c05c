"""Every command that reads a scenario, CSV or plan answers each broken file of the corpus
(tests/data/bad/ and tests/data/bad/plans/, tables in their expected.yaml) with exit 2, the
expected message naming file, line and field, no traceback and no output file.

tests/test_scenario_errors.py checks the scenario corpus in depth with `validate`; here
the same files go through every other command, and the broken plans through every
command that reads a plan.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import CASE_SECONDS, DATA, TINY, TINY_PLAN, deadline, run_cli

from opr_planner.errors import PlanError
from opr_planner.plan import read_plan

BAD = DATA / "bad"
PLANS = BAD / "plans"
SCENARIOS: dict[str, dict] = yaml.safe_load((BAD / "expected.yaml").read_text(encoding="utf-8"))
BROKEN_PLANS: dict[str, dict] = yaml.safe_load((PLANS / "expected.yaml").read_text(encoding="utf-8"))

Args = Callable[[Path, Path, Path], list[Any]]

# Every command that reads a scenario: (scenario, plan, output folder) -> arguments.
SCENARIO_COMMANDS: dict[str, Args] = {
    "validate": lambda s, p, o: ["validate", s],
    "check": lambda s, p, o: ["check", s, p],
    "explain": lambda s, p, o: ["explain", s, p],
    "compare": lambda s, p, o: ["compare", s, p, p],
    "export csv": lambda s, p, o: ["export", "csv", s, p, "-o", o / "plan.csv"],
    "export ics": lambda s, p, o: ["export", "ics", s, p, "-o", o / "ics"],
    "export html": lambda s, p, o: ["export", "html", s, p, "-o", o / "plan.html"],
    "solve": lambda s, p, o: ["solve", s, "--time-limit", "1", "-o", o / "new.plan.yaml"],
    "repair": lambda s, p, o: ["repair", s, p, "--time-limit", "1", "-o", o / "new.plan.yaml"],
    "suggest": lambda s, p, o: ["suggest", s, p, "--review", "opr-pa", "--replace", "c3"],
    "alternatives": lambda s, p, o: ["alternatives", s, "-n", "2", "--time-limit", "1", "-o", o / "alts"],
    "sweep": lambda s, p, o: [
        "sweep",
        s,
        "--vary",
        "rules.group_size.max=5,6",
        "--time-limit",
        "1",
        "-o",
        o / "sweep",
    ],
}
# Every command that reads a plan: (scenario, plan, output folder) -> arguments.
PLAN_COMMANDS: dict[str, Args] = {
    "check": lambda s, p, o: ["check", s, p],
    "explain": lambda s, p, o: ["explain", s, p],
    "compare (first)": lambda s, p, o: ["compare", s, p, TINY_PLAN],
    "compare (second)": lambda s, p, o: ["compare", s, TINY_PLAN, p],
    "export csv": lambda s, p, o: ["export", "csv", s, p, "-o", o / "plan.csv"],
    "export ics": lambda s, p, o: ["export", "ics", s, p, "-o", o / "ics"],
    "export html": lambda s, p, o: ["export", "html", s, p, "-o", o / "plan.html"],
    "solve --hint": lambda s, p, o: ["solve", s, "--hint", p, "--time-limit", "1", "-o", o / "new.plan.yaml"],
    "repair": lambda s, p, o: ["repair", s, p, "--time-limit", "1", "-o", o / "new.plan.yaml"],
    "suggest": lambda s, p, o: ["suggest", s, p, "--review", "opr-pa", "--replace", "c3"],
}


def _expect_refusal(args: list[Any], file: Path, want: dict, out: Path) -> None:
    """Exit 2, the expected `error:` line, nothing on stdout, no traceback, no output file,
    within CASE_SECONDS (a case that hangs fails instead of blocking the suite)."""
    with deadline(CASE_SECONDS):
        result = run_cli(*args)
    shown = " ".join(str(a) for a in args)
    assert result.exit_code == 2, f"{shown}\n{result.output}"
    assert "Traceback" not in result.output
    assert result.stdout == "", shown
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == want.get("errors", 1), f"{shown}\n{result.stderr}"
    (message,) = [e for e in errors if want["message"] in e] or [f"<no message with {want['message']!r}>"]
    where = f"{file}:{want['line']}: " if want["line"] is not None else f"{file}: "
    assert message.startswith(f"error: {where}"), f"{shown}\n{message}"
    if want["path"] is not None:
        assert f": {want['path']}: " in message, message
    assert list(out.iterdir()) == [], f"{shown} wrote {list(out.iterdir())}"


def test_the_plan_table_covers_every_broken_plan() -> None:
    on_disk = {p.name for p in PLANS.iterdir()} - {"expected.yaml"}
    assert {name for name in BROKEN_PLANS if not (PLANS / name).exists()} == {"does-not-exist.plan.yaml"}
    assert on_disk == set(BROKEN_PLANS) - {"does-not-exist.plan.yaml"}


def test_the_corpus_is_large_enough() -> None:
    """Issue 6: at least 25 malformed inputs, scenarios, CSVs and plans, each with its message."""
    csv_cases = [name for name, want in SCENARIOS.items() if str(want.get("file", "")).endswith(".csv")]
    assert len(SCENARIOS) >= 50
    assert len(csv_cases) >= 10
    assert len(BROKEN_PLANS) >= 20


@pytest.mark.parametrize("name", sorted(BROKEN_PLANS))
def test_read_plan_names_file_line_and_field(name: str) -> None:
    want = BROKEN_PLANS[name]
    with pytest.raises(PlanError) as info:
        read_plan(PLANS / name)
    assert info.value.exit_code == 2
    assert len(info.value.problems) == want.get("errors", 1)
    (problem,) = [p for p in info.value.problems if want["message"] in str(p)]
    assert Path(problem.file).name == name
    assert problem.line == want["line"]
    assert problem.path == (want["path"] or "")


@pytest.mark.parametrize("command", sorted(PLAN_COMMANDS))
def test_every_plan_command_refuses_every_broken_plan(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a refused python tag could not write into the repository
    out = tmp_path / "out"
    out.mkdir()
    for name, want in sorted(BROKEN_PLANS.items()):
        plan = PLANS / name
        _expect_refusal(PLAN_COMMANDS[command](TINY, plan, out), plan, want, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("command", sorted(SCENARIO_COMMANDS))
def test_every_scenario_command_refuses_every_broken_scenario(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    for name, want in sorted(SCENARIOS.items()):
        file = BAD / want.get("file", name)
        _expect_refusal(SCENARIO_COMMANDS[command](BAD / name, TINY_PLAN, out), file, want, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("command", sorted(SCENARIO_COMMANDS))
def test_a_missing_scenario_is_named_with_a_hint(command: str, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "scenario.yaml"
    with deadline(CASE_SECONDS):
        result = run_cli(*SCENARIO_COMMANDS[command](missing, TINY_PLAN, tmp_path))
    assert result.exit_code == 2
    assert result.stderr == f"error: {missing}: no such file; check the path and the working directory\n"


@pytest.mark.parametrize("command", sorted(PLAN_COMMANDS))
def test_a_missing_plan_is_named_with_a_hint(command: str, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.plan.yaml"
    with deadline(CASE_SECONDS):
        result = run_cli(*PLAN_COMMANDS[command](TINY, missing, tmp_path))
    assert result.exit_code == 2
    assert result.stderr == f"error: {missing}: no such file; check the path and the working directory\n"


@pytest.mark.parametrize(
    ("old", "new", "rule", "refusal"),
    [
        (
            "participant: c3\n",
            "participant: nobody\n",
            "H4",
            "names nobody, not participants of the scenario",
        ),
        ("- id: opr-pc\n", "- id: opr-zz\n", "H1", "opr-zz"),
    ],
    ids=["unknown participant", "unknown review"],
)
def test_a_plan_with_dangling_references(old: str, new: str, rule: str, refusal: str, tmp_path: Path) -> None:
    """A plan may name people or reviews the scenario does not know (made by hand, or the
    scenario changed): `check` judges it (exit 1), the exports refuse it (exit 2, nothing
    written), `repair` makes a valid plan of it."""
    plan = tmp_path / "dangling.plan.yaml"
    plan.write_text(TINY_PLAN.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    check = run_cli("check", TINY, plan)
    assert check.exit_code == 1 and f"{rule} (" in check.stdout
    out = tmp_path / "out"
    for kind, target in (("csv", out / "p.csv"), ("html", out / "p.html"), ("ics", out / "ics")):
        refused = run_cli("export", kind, TINY, plan, "-o", target)
        assert refused.exit_code == 2, refused.output
        assert refusal in refused.stderr
        assert not target.exists()
    assert run_cli("explain", TINY, plan).exit_code == 0
    assert run_cli("compare", TINY, TINY_PLAN, plan).exit_code == 0
    repaired = tmp_path / "repaired.plan.yaml"
    result = run_cli("repair", TINY, plan, "-o", repaired, "--time-limit", "5", "--workers", "1", "-q")
    assert result.exit_code == 0, result.output
    assert run_cli("check", TINY, repaired).exit_code == 0


def test_the_robustness_page_shows_every_case_of_the_corpus() -> None:
    """docs/robustness.md's tables are produced by scripts/robustness_table.py; a case added
    to the corpus without running it again is missing there."""
    page = (DATA.parent.parent / "docs" / "robustness.md").read_text(encoding="utf-8")
    tables = page[
        page.index("<!-- robustness-tables:start -->") : page.index("<!-- robustness-tables:end -->")
    ]
    missing = [name for name in [*SCENARIOS, *BROKEN_PLANS] if f"| `{name}` |" not in tables]
    assert missing == [], f"run python3 scripts/robustness_table.py --write ({missing})"
