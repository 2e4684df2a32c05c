"""`validate`'s messages in Dutch for the workbench (export/i18n/problems.py): the values
kept, parts without a Dutch wording left in English, and how much of the corpus of broken
scenarios (tests/data/bad) the Dutch wordings cover."""

from __future__ import annotations

from helpers import DATA

from opr_planner.errors import InputError, Problem
from opr_planner.export.i18n.problems import covered, problem_line, problem_text
from opr_planner.scenario import load_scenario


def test_a_problem_in_dutch_keeps_its_values_and_place() -> None:
    p = Problem(
        "participants.csv",
        2,
        "participants[0] (a1).role",
        "'studnet' is not a role",
        "did you mean 'student'?",
    )
    assert problem_text(p, "nl") == "'studnet' is geen rol; bedoelt u 'student'?"
    assert (
        problem_line(p, "nl")
        == "participants.csv:2: participants[0] (a1).role: 'studnet' is geen rol; bedoelt u 'student'?"
    )
    assert problem_line(p, "en") == str(p)  # English: validate's own line
    date = Problem(
        "s.yaml",
        9,
        "reviews[1].earliest",
        "'2028-13-01' is not a date",
        "write it as YYYY-MM-DD, e.g. 2028-03-14",
    )
    assert (
        problem_text(date, "nl")
        == "'2028-13-01' is geen datum; schrijf de datum als JJJJ-MM-DD, bijv. 2028-03-14"
    )


def test_a_part_without_a_dutch_wording_stays_as_validate_words_it() -> None:
    p = Problem("s.yaml", 3, "x", "is required", "something new; add it")
    assert problem_text(p, "nl") == "is verplicht; something new; vul het in"
    assert not covered("something new", "hint") and covered("add it", "hint")


def _corpus() -> list[Problem]:
    problems = []
    for path in sorted((DATA / "bad").glob("*.yaml")):
        try:
            load_scenario(path)
        except InputError as exc:
            problems.extend(exc.problems)
        except Exception:  # files the loader refuses otherwise (not scenario problems) are not counted
            continue
    return problems


def test_the_dutch_wordings_cover_the_problems_of_the_corpus() -> None:
    """Of the corpus's problems at a field (what the workbench shows at a form field),
    nearly all read wholly in Dutch; the share is held here so that it does not slip."""
    at_fields = [p for p in _corpus() if p.path]
    assert len(at_fields) >= 100
    whole = [p for p in at_fields if covered(p.message, "message") and covered(p.hint, "hint")]
    missing = sorted({f"{p.message} / {p.hint}" for p in at_fields if p not in whole})
    assert len(whole) / len(at_fields) >= SHARE, missing


SHARE = 1.0  # every problem of the corpus at a field
