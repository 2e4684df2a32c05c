"""docs/architecture.md stays the map of the package (issue #14): every module is named in
its step, the page names no module or test that is gone, and the places it says a rule or
the CP-SAT solver set-up live in are the only ones."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "opr_planner"
PAGE = REPO / "docs" / "architecture.md"


def _section(title: str) -> str:
    text = PAGE.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def modules_on_disk() -> set[str]:
    """Every module of the package as a path below opr_planner/ (packages' __init__ left out)."""
    return {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if p.name != "__init__.py"}


def test_every_module_is_named_in_its_step_and_no_gone_module_is() -> None:
    index = _section("Modules by step")
    named = {
        path
        for path in re.findall(r"`((?:[a-z_0-9]+/)*[a-z_0-9]+\.py)`", index)
        if not path.startswith("tests/") and not path.endswith("__init__.py")
    }
    on_disk = modules_on_disk()
    assert sorted(on_disk - named) == [], (
        "modules docs/architecture.md does not name (add them to their step)"
    )
    assert sorted(named - on_disk) == [], "docs/architecture.md names modules that no longer exist"


def test_the_files_and_tests_the_page_names_exist() -> None:
    text = PAGE.read_text(encoding="utf-8")
    tests = set(re.findall(r"tests/(test_[a-z_0-9]+\.py)", text))
    assert tests, "the page names the tests that keep the rules agreeing"
    assert sorted(t for t in tests if not (REPO / "tests" / t).is_file()) == []
    paths = set(re.findall(r"`((?:analysis|cli|export|io|scenario|solver|sweep|web)/[a-z_0-9/]+\.py)", text))
    assert sorted(p for p in paths if not (PACKAGE / p).is_file()) == []


def test_every_cp_solver_is_made_in_one_place() -> None:
    """The page: every CP-SAT run gets its CpSolver from params.make_cp_solver (so Ctrl-C and
    the worker policy are the same for solve, repair, alternatives and the explanation)."""
    makers = sorted(
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if re.search(r"\bCpSolver\s*\(", p.read_text(encoding="utf-8"))
    )
    assert makers == ["solver/params.py"]
    runners = sorted(
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if re.search(r"\.(?:solve|Solve|SolveWithSolutionCallback)\(", p.read_text(encoding="utf-8"))
    )
    assert runners == ["solver/runner.py"], "every CP-SAT search runs through runner.run_cp_sat"
    assert "params.make_cp_solver" in PAGE.read_text(encoding="utf-8")


def test_every_module_that_words_a_hard_rule_is_in_the_rule_table() -> None:
    """A module whose code (not only its comments) names a hard rule id, or checks a rule,
    is one of the places a rule lives: the table says which test keeps it honest."""
    table = _section("Where a rule lives, and the tests that keep them agreeing")
    rule_id = re.compile(r"""["']H(?:1[0-8]|[1-9])["']""")
    wording = {"export/i18n/rules.py", "export/i18n/report.py", "export/view.py"}
    places = sorted(
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if rule_id.search(p.read_text(encoding="utf-8"))
        and not p.relative_to(PACKAGE).as_posix().startswith(("cli/", "web/"))
    )
    assert places, "the pattern finds rule ids in code"
    missing = [p for p in places if f"`{p}`" not in table and p not in wording]
    assert missing == [], "modules that name a rule id but are not in the rule table"
