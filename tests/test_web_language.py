"""Every word the coordinator sees follows the scenario's language: each page of a Dutch and
of an English scenario, with violations, a repair, a sweep and a comparison on it, shows no
word key, no rule text of the other language and none of the other language's common words
outside the scenario's own names (people, partnerships, sessions)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml
from test_web_pages import _workspace, post, wait_for_job
from web_helpers import PLAN, SCENARIO, client_for, planning_folder

from opr_planner.export.i18n.rules import REASONS_NL, RULE_TITLES
from opr_planner.plan import read_plan
from opr_planner.rules import RULES

# Words of one language that the other never uses in its sentences (ids and names aside).
ENGLISH = {
    "the", "and", "not", "are", "with", "must", "may", "has", "have", "cannot", "this", "from",
    "for", "should", "which", "none", "true", "false", "yes", "no", "mon", "tue", "wed", "thu",
    "fri", "sat", "sun", "edit", "save", "delete", "cancel", "error", "review's", "participant",
    "participants", "partnership", "partnerships", "region", "regions", "member", "members",
    "chair", "secretary", "found", "plans", "compare", "changes",
}  # fmt: skip
DUTCH = {
    "de", "het", "een", "niet", "en", "van", "voor", "heeft", "moet", "mag", "ja", "nee",
    "bewerken", "opslaan", "groep", "deelnemer", "deelnemers", "geen", "zijn", "wordt", "ma", "di",
    "wo", "vr", "za", "zo", "voorzitter", "secretaris", "partnerschap", "partnerschappen",
    "onderwijsregio", "plannen", "vergelijken", "wijzigingen", "gegevens", "nodig", "minstens",
}  # fmt: skip
KEY = re.compile(r"\b(field|cmp|nav|part|sweep|stage|diff|made|notice|state|job|dl|add)_[a-z_]+\b")


def visible_text(page: str) -> str:
    """What a reader sees: the text between tags and the texts of title, placeholder,
    aria-label and alt (scripts and styles left out)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    attributes = re.findall(r'\s(?:title|placeholder|aria-label|alt)="([^"]*)"', page)
    text = re.sub(r"<[^>]+>", "\n", page)
    return html.unescape("\n".join([text, *attributes]))


def names_of(folder: Path) -> set[str]:
    """Words of the scenario's own names (people, partnerships, sessions, ...), never translated."""
    data = yaml.safe_load((folder / SCENARIO).read_text(encoding="utf-8"))
    text = " ".join(
        str(v)
        for item in [data, *[(folder / "participants.csv").read_text(encoding="utf-8")]]
        for v in _values(item)
    )
    return {w.lower() for w in re.findall(r"[\w']+", text)}


def _values(item: object) -> list[object]:
    if isinstance(item, dict):
        return [v for x in item.values() for v in _values(x)]
    if isinstance(item, list):
        return [v for x in item for v in _values(x)]
    return [item]


def pages_of(folder: Path, lang: str) -> dict[str, str]:
    """Every page of a folder whose scenario speaks `lang`, with a second plan, a drop-out,
    a repair, a sweep and hand edits that break rules on it."""
    data = yaml.safe_load((folder / SCENARIO).read_text(encoding="utf-8"))
    data["name"] = "OPR 2028"  # the example's own name is English; the pages' words are what counts
    data["language"] = lang
    (folder / SCENARIO).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    client = client_for(folder)
    plan, _ = read_plan(folder / PLAN)
    # a second plan: another chair in the first review (a function change to compare)
    page = client.get(f"/plan?s={SCENARIO}&p={PLAN}").text
    chair = next(i for i, m in enumerate(plan.reviews[0].members) if "chair" in m.functions)
    r = post(client, "/plan/edit", **_workspace(page), op=f"function 0 {1 - min(chair, 1)} chair")
    assert post(client, "/plan/edit", **_workspace(r.text), op="save", save_name="ander").status_code == 303
    # a drop-out and a repair
    leaver = plan.reviews[0].members[0].participant
    post(client, "/changes/unavailable", p=PLAN, who=leaver, kind="dropout", **{"from": "2028-01-10"})
    assert post(client, "/changes/repair", p=PLAN, name="hersteld", time_limit="2").status_code == 303
    assert wait_for_job(client)["state"] == "done"
    # a sweep of two variants
    sweep = {"key-1": "rules.group_size.max", "values-1": "4, 5"}
    assert post(client, "/compare/sweep", **sweep, name="wat", time_limit="1").status_code == 303
    assert wait_for_job(client)["state"] == "done"
    urls = {
        "data": f"/data?s={SCENARIO}",
        "form": f"/data/edit?s={SCENARIO}&part=participants&i=1",
        "general": f"/data/edit?s={SCENARIO}&part=general",
        "plans": f"/plans?s={SCENARIO}",
        "plan": f"/plan?s={SCENARIO}&p={PLAN}",
        "compare": f"/compare?s={SCENARIO}&p={PLAN}&p=tiny.ander.plan.yaml",
        "changes": f"/changes?s={SCENARIO}&p={PLAN}",
        "updates": f"/changes?s={SCENARIO}&p={PLAN}&to=tiny.hersteld.plan.yaml",
        "downloads": f"/downloads?s={SCENARIO}&p=tiny.hersteld.plan.yaml",
        "missing": "/nothing-here",
    }
    shown = {name: client.get(url).text for name, url in urls.items()}
    # hand edits: a member of the reviewed partnership (H5), a date on a public holiday (H2)
    r = post(client, "/plan/edit", **_workspace(shown["plan"]), op="replace 0 0", **{"by-0-0": "a1"})
    shown["edit"] = post(
        client, "/plan/edit", **_workspace(r.text), op="date 0", **{"date-0": "27-04-2028"}
    ).text
    return {name: visible_text(text) for name, text in shown.items()}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """The pages of a Dutch and of an English scenario, and the words of the scenario's own names."""
    out = {}
    for lang in ("nl", "en"):
        folder = planning_folder(tmp_path_factory.mktemp(lang) / "planning")
        out[lang] = pages_of(folder, lang)
    out["names"] = {"": " ".join(names_of(folder))}
    return out


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_page_speaks_one_language(pages: dict[str, dict[str, str]], lang: str) -> None:
    names = set(pages["names"][""].split())
    foreign = ENGLISH if lang == "nl" else DUTCH
    for name, text in pages[lang].items():
        assert not KEY.search(text), (lang, name, KEY.search(text))
        words = {w.lower() for w in re.findall(r"[A-Za-z][\w']*", text) if not w.isupper()}  # NL | EN
        leaked = sorted((words & foreign) - names)
        where = [
            " ".join(text[max(0, m.start() - 60) : m.end() + 30].split())
            for w in leaked
            for m in re.finditer(rf"(?i)\b{w}\b", text)
        ]
        assert not leaked, (lang, name, leaked, where)


def test_rule_texts_are_the_reports_in_each_language(pages: dict[str, dict[str, str]]) -> None:
    nl, en = pages["nl"], pages["en"]
    for name in ("edit", "changes"):
        shown = set(re.findall(r"\bH\d{1,2} – ([^:]+):", nl[name]))
        assert shown and shown <= set(RULE_TITLES["nl"].values()), (name, shown)
        assert not {t for t in RULES.values() if t in nl[name]}, name
        shown = set(re.findall(r"\bH\d{1,2} – ([^:]+):", en[name]))
        assert shown and shown <= set(RULES.values()), (name, shown)
    # a holiday by its name, in the sentence of the page's language
    assert "valt op een feestdag (Koningsdag)" in nl["edit"]
    assert "is a public holiday (King's Day)" in en["edit"]
    assert REASONS_NL["public_holiday"].split(" (")[0] not in en["edit"]


def test_tables_show_values_in_words(pages: dict[str, dict[str, str]]) -> None:
    """Yes/no, weekdays, dates and roles in the page's language, not as the file stores them."""
    nl, en = pages["nl"]["data"], pages["en"]["data"]
    assert "\nja\n" in nl and "\ntrue\n" not in nl and "\nyes\n" in en
    assert "\ndi, do\n" in nl and "\nTue, Thu\n" in en  # a participant's weekdays (tue, thu)
    assert "\n10-01-2028\n" in nl and "\n2028-01-10\n" in en  # calendar.start
    assert "\nNederlands\n" in nl and "schoolopleider / werkplekbegeleider" in nl
    assert "schoolopleider / werkplekbegeleider" not in en
