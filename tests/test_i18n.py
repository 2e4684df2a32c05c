"""The words people read, in Dutch and English: every table complete in both languages,
one source per text, and every broken rule worded in Dutch from the evaluator's values."""

from __future__ import annotations

import datetime as dt
import re
import string
from pathlib import Path

import pytest
from helpers import KIT, TINY

from opr_planner.calendar import REASONS, Reason, WorkCalendar
from opr_planner.evaluate import evaluate
from opr_planner.export.i18n import LANGUAGES, WORDS
from opr_planner.export.i18n.calendars import CALENDARS
from opr_planner.export.i18n.fields import FIELDS
from opr_planner.export.i18n.planning import PLANNING
from opr_planner.export.i18n.report import METRIC_MEANINGS, METRIC_NAMES, REPORT
from opr_planner.export.i18n.rules import (
    REASONS_NL,
    RULE_TITLES,
    VIOLATIONS_NL,
    reason_text_nl,
    violation_text,
)
from opr_planner.export.i18n.workbench import WORKBENCH, workbench_words
from opr_planner.plan import read_plan
from opr_planner.rules import MESSAGES, RULES
from opr_planner.scenario import load_scenario
from opr_planner.scenario.columns import PARTICIPANT_HEADERS

TABLES = {
    "calendars": CALENDARS,
    "report": REPORT,
    "metric names": METRIC_NAMES,
    "metric meanings": METRIC_MEANINGS,
    "rule titles": RULE_TITLES,
    "fields": FIELDS,
    "workbench": WORKBENCH,
    "planning": PLANNING,
}


@pytest.mark.parametrize("name", TABLES)
def test_every_table_has_the_same_keys_in_both_languages(name: str) -> None:
    table = TABLES[name]
    assert set(table) == set(LANGUAGES)
    assert set(table["nl"]) == set(table["en"]), name


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_word_has_two_sources(lang: str) -> None:
    """A page's words are merged from several tables: no key may be in two (one would
    silently hide the other)."""
    merged = [CALENDARS[lang], REPORT[lang], WORKBENCH[lang], PLANNING[lang]]
    seen: dict[str, int] = {}
    for i, table in enumerate(merged):
        for key in table:
            assert key not in seen, f"{key!r} is in tables {seen[key]} and {i}"
            seen[key] = i
    headers = {f"field_{k}" for k in PARTICIPANT_HEADERS[lang] if k != "id"}
    fields = {f"field_{k}" for k in FIELDS[lang]} | {f"field_{k}" for k in METRIC_NAMES[lang]}
    assert not fields & headers
    assert not fields & set(seen)
    assert set(WORDS[lang]) == set(CALENDARS[lang]) | set(REPORT[lang])


def test_every_workbench_word_the_templates_use_exists() -> None:
    templates = Path(__file__).resolve().parents[1] / "opr_planner" / "web" / "templates"
    used = set()
    for path in templates.glob("*.html"):
        used |= set(re.findall(r"\bt\('([a-z0-9_.-]+)'", path.read_text(encoding="utf-8")))
    for lang in LANGUAGES:
        words = workbench_words(lang)  # type: ignore[arg-type]
        assert sorted(k for k in used - set(words) if not k.endswith("_")) == [], lang


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_kind_of_violation_and_reason_has_its_dutch_sentence() -> None:
    """Dutch names no value English does not; every rule has its sentences."""
    assert set(VIOLATIONS_NL) == set(MESSAGES)
    assert {k.split(".")[0] for k in MESSAGES} == set(RULES)
    for key, english in MESSAGES.items():
        assert _fields(VIOLATIONS_NL[key]) <= _fields(english), key
    assert set(REASONS_NL) == set(REASONS)
    for key, english in REASONS.items():
        assert _fields(REASONS_NL[key]) == _fields(english), key
    source = (Path(__file__).resolve().parents[1] / "opr_planner" / "rules.py").read_text(encoding="utf-8")
    used = set(re.findall(r'"(H\d+(?:\.[a-z]+)?)"', source.split("MESSAGES = {")[1].split("}")[1]))
    assert used <= set(MESSAGES)


def test_broken_plans_are_worded_in_dutch_with_names() -> None:
    """The conformance kit's broken plans: every violation in Dutch, no English left, names
    for ids; English pages keep the evaluator's own sentence."""
    s = load_scenario(TINY)
    english = re.compile(r"\b(has|members?|needed|allowed|cannot|attend|belongs|apart|days|session)\b")
    seen = set()
    for path in sorted(KIT.glob("bad-*.plan.yaml")):
        plan, _ = read_plan(path)
        for v in evaluate(s, plan).violations:
            seen.add(v.key)
            text = violation_text(s, v, "nl")
            assert text.startswith(f"{v.rule} – {RULE_TITLES['nl'][v.rule]}: "), text
            detail = text.split(": ", 1)[1]
            assert not english.search(detail), text
            assert violation_text(s, v, "en") == f"{v.rule} – {RULES[v.rule]}: {v.message}"
            for pid in v.values.get("people", ()) or [v.values.get("who")] * ("who" in v.values):
                assert f"{s.participant[pid].name} ({pid})" in detail
    assert len(seen) >= 6


def test_a_session_on_a_saturday_in_dutch() -> None:
    s = load_scenario(TINY)
    cal = WorkCalendar(s)
    review = s.reviews[0]
    saturday = next(
        d for d in (dt.date(2028, 3, 4) + dt.timedelta(days=i) for i in range(7)) if d.weekday() == 5
    )
    reason = cal.date_reason(review, saturday)
    assert isinstance(reason, Reason) and reason.key == "session"
    assert "zaterdag" in reason_text_nl(s, reason)
    assert "Saturday" in cal.date_problem(review, saturday)  # type: ignore[operator]
