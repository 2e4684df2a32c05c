"""What the workbench hands out and how it shows differences: downloads (workbook,
participants list), the one diff of two plans (with function changes), plans made for
other data."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import python_calamine
from test_web_pages import _workspace, post
from web_helpers import PLAN, SCENARIO, client_for, planning_folder

from opr_planner.analysis.disruption import disruption
from opr_planner.plan import read_plan
from opr_planner.scenario import load_scenario
from opr_planner.scenario.columns import Vocabulary
from opr_planner.scenario.spreadsheet import read_participants_bytes


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return planning_folder(tmp_path / "planning")


def test_the_plan_workbook_and_the_participants_list_download(folder: Path) -> None:
    client = client_for(folder)
    page = client.get(f"/downloads?s={SCENARIO}&p={PLAN}").text
    assert "Werkmap (Excel)" in page and "Deelnemers als Excel" in page
    r = client.get(f"/download/plan.xlsx?s={SCENARIO}&p={PLAN}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(r.content))
    plan, _ = read_plan(folder / PLAN)
    assert len(book.sheet_names) >= 1 + len(plan.reviews)  # overview, one sheet per review, ...
    csv_text = client.get(f"/download/plan.csv?s={SCENARIO}&p={PLAN}").content
    assert csv_text.startswith("\ufeff".encode()) and not csv_text.startswith(("\ufeff" * 2).encode())

    scenario = load_scenario(folder / SCENARIO)
    for suffix in ("xlsx", "csv"):
        r = client.get(f"/data/participants.{suffix}?s={SCENARIO}")
        assert r.status_code == 200 and "tiny-deelnemers" in r.headers["content-disposition"]
        rows, _, _ = read_participants_bytes(r.content, f"deelnemers.{suffix}", Vocabulary.of({}))
        assert [row["id"] for row in rows] == [p.id for p in scenario.participants]
        assert {row["role"] for row in rows} == {p.role for p in scenario.participants}  # labels read back


def test_a_broken_list_still_downloads_as_it_stands(folder: Path) -> None:
    csv_path = folder / "participants.csv"
    csv_path.write_text(csv_path.read_text(encoding="utf-8").replace(",student,", ",studnet,", 1), "utf-8")
    client = client_for(folder)
    r = client.get(f"/data/participants.xlsx?s={SCENARIO}")
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(r.content))
    rows = book.get_sheet_by_index(0).to_python()
    assert "studnet" in [c for row in rows for c in row]


def test_compare_shows_the_one_diff_with_function_changes(folder: Path) -> None:
    client = client_for(folder)
    page = client.get(f"/plan?s={SCENARIO}&p={PLAN}").text
    plan, _ = read_plan(folder / PLAN)
    review = plan.reviews[0]
    chair = next(i for i, m in enumerate(review.members) if "chair" in m.functions)
    other = next(i for i, m in enumerate(review.members) if i != chair)  # may break H7: a diff all the same
    r = post(client, "/plan/edit", **_workspace(page), op=f"function 0 {other} chair")
    post(client, "/plan/edit", **_workspace(r.text), op="save", save_name="andere-voorzitter")
    new, _ = read_plan(folder / "tiny.andere-voorzitter.plan.yaml")
    expected = disruption(plan, new, load_scenario(folder / SCENARIO))
    assert expected.changed_functions == 1 and expected.changed_memberships == 0

    page = client.get(f"/compare?s={SCENARIO}&p={PLAN}&p=tiny.andere-voorzitter.plan.yaml").text
    names = load_scenario(folder / SCENARIO).participant
    old_name = names[review.members[chair].participant].name
    new_name = names[review.members[other].participant].name
    assert f"Voorzitter: {old_name} → {new_name}" in page
    assert "Gewijzigde functies: <strong>1</strong>" in page
    assert "nu voorzitter van" in page and "niet meer voorzitter van" in page  # per participant
    assert "Gemaakt voor deze gegevens" in page and "cmp_" not in page
    rows = re.findall(r'<th scope="row">([^<]+)</th>', page)
    assert len(rows) >= 15 and not [r for r in rows if re.search(r"\b(vs|first|hard|violations|status)\b", r)]


def test_a_plan_made_for_other_data_says_so(folder: Path) -> None:
    client = client_for(folder)
    assert 'id="other-data"' not in client.get(f"/plan?s={SCENARIO}&p={PLAN}").text
    csv_path = folder / "participants.csv"
    csv_path.write_text(csv_path.read_text(encoding="utf-8").replace("Anna A", "Anna Andersen"), "utf-8")
    page = client.get(f"/plan?s={SCENARIO}&p={PLAN}").text
    assert 'id="other-data"' in page and "deelnemerslijst veranderde" in page
    assert "nee (deelnemerslijst gewijzigd)" in client.get(f"/plans?s={SCENARIO}").text
    for url in (f"/changes?s={SCENARIO}&p={PLAN}", f"/downloads?s={SCENARIO}&p={PLAN}"):
        assert 'id="other-data"' in client.get(url).text


def test_violations_and_dates_speak_the_pages_language(folder: Path) -> None:
    """A member from the reviewed partnership: H5 in Dutch with names (the report's words),
    in English the evaluator's sentence; a date typed the Dutch way is understood."""
    client = client_for(folder)
    page = client.get(f"/plan?s={SCENARIO}&p={PLAN}").text
    r = post(client, "/plan/edit", **_workspace(page), op="replace 0 0", **{"by-0-0": "a1"})
    assert "H5 – onafhankelijkheid: Anna A (a1) hoort bij Partnerschap A" in r.text
    assert "belongs to" not in r.text
    r = post(client, "/plan/edit", **_workspace(r.text), op="date 0", **{"date-0": "25-12-2028"})
    assert "ma 25 december 2028" in r.text and 'value="25-12-2028"' in r.text  # H2, and shown as typed
    client.get("/lang?to=en&back=/")
    r = post(client, "/plan/edit", **_workspace(r.text), op="reset")
    r = post(client, "/plan/edit", **_workspace(r.text), op="replace 0 0", **{"by-0-0": "a1"})
    assert "H5 – independence: a1 (Anna A) belongs to pa and may not review it" in r.text


def test_a_sweep_from_vergelijken_shows_its_table_and_saves_its_plans(folder: Path) -> None:
    """Two values of one rule, solved by the sweep library in the worker: a table with a
    row per variant (feasibility, score, metrics in words), the plans and the table saved."""
    from test_web_pages import wait_for_job

    client = client_for(folder)
    page = client.get(f"/compare?s={SCENARIO}").text
    assert 'action="/compare/sweep"' in page and "Groepsgrootte max." in page
    assert page.count('id="sweep"') == 1 and re.search(r"<title>[^<]{1,80}</title>", page)
    r = post(client, "/compare/sweep", **{"key-1": "rules.unknown", "values-1": "1"})
    assert r.status_code == 303 and "refusal=" in r.headers["location"]
    r = post(
        client,
        "/compare/sweep",
        **{"key-1": "rules.group_size.max", "values-1": "4, 5"},
        name="wat",
        time_limit="2",
    )
    assert r.status_code == 303 and "refusal" not in r.headers["location"]
    last = wait_for_job(client)
    assert last["state"] == "done" and last["kind"] == "sweep"
    assert last["written"] == ["tiny.wat-1.plan.yaml", "tiny.wat-2.plan.yaml"]
    assert (folder / "tiny.wat.sweep.csv").read_bytes().startswith("\ufeff".encode())
    page = client.get(f"/compare?s={SCENARIO}").text
    table = page.split('id="sweep-table"')[1].split("</table>")[0]
    assert table.count("<tr") == 3  # the header and one row per variant
    assert "Totaalscore" in table and "Mogelijk" in table and "tiny.wat-2.plan.yaml" in table
    assert 'id="sweep-verdict"' in page and "Hoogste totaalscore" in page
    r = client.get(f"/download/sweep?s={SCENARIO}&f=tiny.wat.sweep.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert client.get(f"/download/sweep?s={SCENARIO}&f=../tiny.yaml").status_code == 404
    for name in last["written"]:
        plan, _ = read_plan(folder / name)
        assert plan.solver is not None and plan.solver.variant  # a sweep variant's plan says so


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_page_is_well_formed(folder: Path, lang: str) -> None:
    """Each page: a short title, no id twice, no word key left untranslated."""
    client = client_for(folder)
    client.get(f"/lang?to={lang}&back=/")
    for url in (
        f"/data?s={SCENARIO}",
        f"/data/edit?s={SCENARIO}&part=participants&i=0",
        f"/plans?s={SCENARIO}",
        f"/plan?s={SCENARIO}&p={PLAN}",
        f"/compare?s={SCENARIO}&p={PLAN}&p={PLAN}",
        f"/changes?s={SCENARIO}&p={PLAN}",
        f"/downloads?s={SCENARIO}&p={PLAN}",
    ):
        page = client.get(url).text
        assert re.search(r"<title>[^<]{1,80}</title>", page), url
        ids = re.findall(r'\sid="([^"]+)"', page)
        assert sorted(i for i in set(ids) if ids.count(i) > 1) == [], url
        assert not re.search(r">\s*(field|cmp|nav|part|sweep|stage|diff|made)_[a-z_]+\s*<", page), url
