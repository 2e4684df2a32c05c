"""Why no plan is possible (solve's exit 3) and why a confirmed item gave way, in the
scenario's language: every kind the solver builds is worded in Dutch without English,
and the English table says exactly what the command line prints."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from helpers import TINY

from opr_planner.export.i18n import LANGUAGES
from opr_planner.export.i18n.explain import EXPLAIN, explain_text
from opr_planner.scenario import Scenario
from opr_planner.scenario.load import scenario_from_data
from opr_planner.solver.compile import compile_scenario
from opr_planner.solver.infeasible import explain_infeasible, precheck
from opr_planner.wording import Said

# Words of English sentences that no Dutch sentence here uses (settings such as
# rules.min_regions and group_size.min are the file's names and are taken out first).
ENGLISH = re.compile(
    r"\b(the|needs?|but|only|from|with|and|or|each|at most|must|may|no longer|every|seats?|"
    r"participants?|members?|available|window|lower|raise|add|widen|relax|belongs?|which|are)\b",
    re.IGNORECASE,
)
SETTING = re.compile(
    r"`[^`]*`|\b[a-z_]+(\.[a-z_{}]+)+\b|\b(group_size|max_reviews|functions|unavailable|weekdays|avoid)\b"
)


def variant(edit: Any = None, **rules: Any) -> Scenario:
    data = yaml.safe_load(TINY.read_text(encoding="utf-8"))
    data["rules"].update(rules)
    if edit:
        edit(data)
    return scenario_from_data(data)


def _no_functions(data: dict[str, Any]) -> None:
    for p in data["participants"]:
        p.pop("functions", None)


def _no_independent_chair(data: dict[str, Any]) -> None:
    for p in data["participants"]:
        if p["id"] in ("b3", "c3"):
            p.pop("functions", None)


def _fixed_on_a_sunday(data: dict[str, Any]) -> None:
    data["reviews"][0]["fixed_date"] = "2028-03-05"


def _weekend_window(data: dict[str, Any]) -> None:
    data["reviews"][1].update(earliest="2028-03-04", latest="2028-03-05")


def _one_week(data: dict[str, Any]) -> None:
    for r in data["reviews"]:
        r.update(earliest="2028-09-11", latest="2028-09-15")


def _spring_week(data: dict[str, Any]) -> None:
    for r in data["reviews"]:
        r.update(earliest="2028-05-08", latest="2028-05-12")


# Scenarios that tiny.yaml cannot plan, one cause (or two) each.
PRECHECKED = {
    "no independent chair": variant(_no_independent_chair),
    "nobody can chair": variant(_no_functions),
    "five students": variant(composition={"student": {"min": 5}}),
    "two chairs": variant(functions={"chair": 2, "secretary": 1}),
    "nine partnerships": variant(min_partnerships=9, min_regions=9, min_outside_subject_regions=9),
    "many reviews per partnership": variant(min_reviews_per_partnership=9),
    "fixed on a sunday": variant(_fixed_on_a_sunday),
    "a weekend window": variant(_weekend_window),
    "one week for all": variant(_one_week),
    "spring sessions": variant(_spring_week),
    "small groups": variant(group_size={"min": 2, "max": 2}, functions={"chair": 1, "secretary": 2}),
    "crowded": variant(group_size={"min": 8, "max": 8}, max_reviews_per_participant=1),
    "board for all": variant(composition={"board": {"min": 2}}),
}
EXPLAINED = {
    "crowded": variant(group_size={"min": 8, "max": 8}),
    "no independent chair": variant(_no_independent_chair),
}


def _parts(text: Any) -> Iterator[Said]:
    if isinstance(text, Said):
        yield text
        for value in text.values.values():
            yield from _parts(value)
    elif isinstance(text, list):
        for item in text:
            yield from _parts(item)


@pytest.fixture(scope="module")
def built() -> list[tuple[Scenario, Said]]:
    out: list[tuple[Scenario, Said]] = []
    for name, s in PRECHECKED.items():
        found = precheck(s, compile_scenario(s))
        assert found is not None, f"{name}: the pre-checks find nothing"
        out.extend((s, text) for text in [*found[0], *found[1]])
    for s in EXPLAINED.values():
        reasons, tips, *intro = explain_infeasible(s, compile_scenario(s), time_limit=20)
        out.extend((s, text) for text in [*reasons, *tips, *intro])
    return out


def test_both_tables_hold_the_same_kinds() -> None:
    assert set(EXPLAIN["nl"]) == set(EXPLAIN["en"])
    for key in EXPLAIN["nl"]:
        fields = {lang: set(re.findall(r"\{(\w+)", EXPLAIN[lang][key])) for lang in LANGUAGES}
        assert fields["nl"] - {"role_label", "function_label"} <= fields["en"] | {"role", "function"}, key


def test_every_reason_the_solver_builds_has_a_key_of_the_tables(built: list[tuple[Scenario, Said]]) -> None:
    for _s, text in built:
        assert isinstance(text, Said), text
        for part in _parts(text):
            assert part.key in EXPLAIN["nl"], (part.key, str(part))


def test_the_english_table_says_what_the_command_line_prints(built: list[tuple[Scenario, Said]]) -> None:
    for _s, text in built:
        assert explain_text(text, "en") == str(text)


def test_every_reason_reads_wholly_in_dutch(built: list[tuple[Scenario, Said]]) -> None:
    kinds = set()
    for s, text in built:
        dutch = explain_text(text, "nl", s)
        kinds.add(text.key)
        assert dutch != str(text) or text.key == "unknown"
        english = ENGLISH.findall(SETTING.sub("", dutch))
        assert not english, (dutch, english)
    # the kinds the scenarios above reach (a missing one means a case stopped showing it)
    expected = {
        "function_excluded", "function_nobody", "function_short", "role_short_detail", "partnerships_short", "regions_short",
        "outside_short", "partnership_reviews_short", "fixed_impossible", "tip_move_fixed", "no_working_day", "no_session_fit",
        "weeks", "groups_too_small", "groups_too_small_functions", "role_seats", "function_seats", "seats",
        "intro_core", "rule_H3", "rule_H7", "rule_H9",
    }  # fmt: skip
    assert expected <= kinds, expected - kinds


def test_a_text_without_a_key_stays_as_the_command_line_words_it() -> None:
    assert explain_text("No plan is possible:", "nl") == "No plan is possible:"


def _repaired_reasons() -> list[tuple[Scenario, Said]]:
    """Why confirmed items gave way, from the repairs of tests/test_repair.py."""
    from test_repair import confirm, fixed, tiny_data, tiny_plan, unavailable

    cases = [(unavailable(tiny_data(), "u3", "2028-06-29"), confirm(tiny_plan(), reviews=("opr-pa",)))]
    closed = tiny_data()
    closed["calendar"]["closed"].append({"name": "Extra", "from": "2028-06-26", "to": "2028-06-30"})
    cases.append((closed, confirm(tiny_plan(), reviews=("opr-pa",))))
    gone = tiny_data()
    gone["participants"] = [p for p in gone["participants"] if p["id"] != "u1"]
    cases.append((gone, confirm(tiny_plan(), members=("u1", "u3"))))
    out = []
    for data, plan in cases:
        scenario, result = fixed(data, plan)
        out.extend((scenario, g.why) for g in result.gave_way)
    return out


def test_why_a_confirmed_item_gave_way_reads_in_dutch() -> None:
    found = _repaired_reasons()
    kinds = {why.key for _s, why in found}
    assert {"breaks_now", "date_gone", "participant_gone"} <= kinds, kinds
    for scenario, why in found:
        assert isinstance(why, Said) and explain_text(why, "en") == str(why)
        dutch = explain_text(why, "nl", scenario)
        assert not ENGLISH.findall(SETTING.sub("", dutch)), dutch
    date = next(explain_text(w, "nl", s) for s, w in found if w.key == "date_gone")
    assert "kan niet meer voor opr-pa" in date and "Extra" in date


@pytest.mark.parametrize("interrupted", [False, True])
def test_a_search_without_a_plan_says_why_in_dutch(interrupted: bool) -> None:
    """The details under a search that found no plan (NoSolutionError), as check_status
    raises them: the command line's English, and Dutch words for the page."""
    from types import SimpleNamespace

    from ortools.sat.python import cp_model

    from opr_planner.errors import NoSolutionError
    from opr_planner.solver.cpsat import check_status

    run: Any = SimpleNamespace(status=cp_model.UNKNOWN, interrupted=interrupted)
    with pytest.raises(NoSolutionError) as caught:
        check_status(run, None, None, None, 5.0)  # type: ignore[arg-type]
    said = caught.value.args[0]
    assert isinstance(said, Said) and str(caught.value) == str(said)
    assert explain_text(said, "en") == str(said)
    dutch = explain_text(said, "nl")
    assert not ENGLISH.findall(SETTING.sub("", dutch)), dutch
    assert ("onderbroken" if interrupted else "binnen 5 s is geen planning gevonden") in dutch


@pytest.mark.parametrize("shortfall", ["proven", "interrupted", "time"])
@pytest.mark.parametrize("found", [1, 2])
def test_fewer_alternatives_than_asked_reads_in_dutch(shortfall: Any, found: int) -> None:
    """The note of `alternatives` when it finds fewer plans than requested: the command
    line's English unchanged, and wholly Dutch on a Dutch page (it was English there)."""
    from opr_planner.solver.alternatives import Alternatives

    note = Alternatives(results=(None,) * found, requested=3, min_difference=4, shortfall=shortfall).note  # type: ignore[arg-type]
    assert isinstance(note, Said)
    assert explain_text(note, "en") == str(note)
    assert str(note).startswith("interrupted after" if shortfall == "interrupted" else f"only {found} plan")
    dutch = explain_text(note, "nl")
    assert f"{found} van de 3 gevraagde plannen" in dutch
    assert not ENGLISH.findall(SETTING.sub("", dutch)), dutch
