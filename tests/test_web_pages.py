"""Every page and action of the workbench at HTTP level (the framework's test client)."""

from __future__ import annotations

import html
import io
import json
import re
import time
import zipfile
from pathlib import Path

import icalendar
import pytest
import yaml
from helpers import run_cli
from web_helpers import PLAN, SCENARIO, client_for, planning_folder

from opr_planner.analysis.disruption import disruption
from opr_planner.errors import InfeasibleError
from opr_planner.export.i18n.explain import explain_text
from opr_planner.plan import read_plan
from opr_planner.scenario import load_scenario
from opr_planner.solver.solve import solve


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return planning_folder(tmp_path / "planning")


def csrf(client) -> str:  # type: ignore[no-untyped-def]
    return client.access.csrf  # type: ignore[no-any-return]


def post(client, url: str, **data: str):  # type: ignore[no-untyped-def]
    return client.post(url, data={"s": SCENARIO, "csrf": csrf(client), **data}, follow_redirects=False)


def wait_for_job(client, timeout: float = 60) -> dict:  # type: ignore[no-untyped-def]
    """Follow the job's server-sent events until it finishes; return the last snapshot."""
    last: dict = {}
    deadline = time.monotonic() + timeout
    with client.stream("GET", f"/jobs/events?s={SCENARIO}") as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        event = ""
        for line in response.iter_lines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:"):
                last = json.loads(line.split(":", 1)[1])
                if event == "finished":
                    return last
            assert time.monotonic() < deadline, "the job did not finish in time"
    return last


# -- the folder --------------------------------------------------------------------------------


def test_an_empty_folder_offers_the_example_and_a_blank_start(tmp_path: Path) -> None:
    for kind in ("example", "blank"):
        folder = tmp_path / kind
        folder.mkdir()
        client = client_for(folder)
        page = client.get("/").text
        assert "Voorbeeld Midden-Nederland" in page and "Lege planning" in page
        r = client.post("/new", data={"kind": kind, "csrf": csrf(client)}, follow_redirects=False)
        assert r.status_code == 303
        page = client.get("/data?s=scenario.yaml").text
        if kind == "blank":  # the page says what is still missing, in the words of `validate`
            assert "add at least one review" in page
            assert "add at least one review" in run_cli("validate", folder / "scenario.yaml").output
    assert len(load_scenario(tmp_path / "example" / "scenario.yaml").participants) == 73


def test_a_folder_with_several_scenarios_lets_one_choose(tmp_path: Path) -> None:
    planning_folder(tmp_path / "f" / "a")
    planning_folder(tmp_path / "f" / "b")
    client = client_for(tmp_path / "f")
    page = client.get("/").text
    assert "a/tiny.yaml" in page and "b/tiny.yaml" in page
    assert "Partnerschap A" in client.get("/data?s=b/tiny.yaml").text


def test_pages_follow_the_language(folder: Path) -> None:
    client = client_for(folder)
    assert "Gegevens" in client.get(f"/data?s={SCENARIO}").text
    client.get("/lang?to=en&back=/data")
    page = client.get(f"/data?s={SCENARIO}").text
    assert "Participants" in page and "Deelnemers" not in page
    assert client.get("/lang?to=nl&back=//evil.example", follow_redirects=False).headers["location"] == "/"


# -- Gegevens ----------------------------------------------------------------------------------


def test_the_data_page_shows_every_part(folder: Path) -> None:
    page = client_for(folder).get(f"/data?s={SCENARIO}").text
    for text in (
        "Partnerschap A",
        "Regio D",
        "Anna A",
        "Maud C",
        "Het scenario is in orde",
        "participants.csv",
    ):
        assert text in page


def _edit(client, part: str, i: int | None, **fields: str):  # type: ignore[no-untyped-def]
    form = client.get(f"/data/edit?s={SCENARIO}&part={part}" + (f"&i={i}" if i is not None else "")).text
    version = form.split('name="version" value="')[1].split('"')[0]
    original = form.split('name="original" value="')[1].split('"')[0]
    data = {"part": part, "i": "" if i is None else str(i), "version": version, "original": original}
    data.update({f"f.{k}": v for k, v in fields.items()})
    return data


def test_a_field_error_is_shown_at_the_field_and_nothing_is_written(folder: Path) -> None:
    client = client_for(folder)
    before = (folder / "participants.csv").read_bytes()
    form = _edit(client, "participants", 0, role="studnet")
    r = post(client, "/data/save", **form)
    assert r.status_code == 422
    assert 'aria-invalid="true" aria-describedby="e-role"' in r.text
    field = r.text.split('id="e-role">')[1].split("</p>")[0]
    assert html.unescape(field) == "'studnet' is geen rol; bedoelt u 'student'?"  # validate's, in Dutch
    assert (folder / "participants.csv").read_bytes() == before
    client.get("/lang?to=en&back=/")
    r = post(client, "/data/save", **form)
    assert (
        "&#39;studnet&#39; is not a role; did you mean &#39;student&#39;?" in r.text
    )  # validate's own words


def test_a_valid_edit_is_written_whole_and_the_cli_reads_it(folder: Path) -> None:
    client = client_for(folder)
    r = post(client, "/data/save", **_edit(client, "participants", 0, name="Anna Andersen", max_reviews="1"))
    assert r.status_code == 303 and "notice=saved" in r.headers["location"]
    s = load_scenario(folder / SCENARIO)
    assert s.participant["a1"].name == "Anna Andersen" and s.participant["a1"].max_reviews == 1
    r = post(client, "/data/save", **_edit(client, "reviews", 0, location="Pabo Utrecht"))
    assert r.status_code == 303
    assert load_scenario(folder / SCENARIO).reviews[0].location == "Pabo Utrecht"
    assert (folder / SCENARIO).read_text(encoding="utf-8").startswith("# tiny")  # the header comment stays
    assert run_cli("validate", folder / SCENARIO).exit_code == 0


def test_weekdays_are_shown_and_typed_in_the_pages_language_and_stored_as_ids(folder: Path) -> None:
    client = client_for(folder)
    form = client.get(f"/data/edit?s={SCENARIO}&part=participants&i=4").text  # a5, weekdays tue, thu
    assert 'value="di, do"' in form and 'placeholder="ma | wo | vr"' in form
    r = post(client, "/data/save", **_edit(client, "participants", 4, weekdays="ma | Woensdag, vr"))
    assert r.status_code == 303
    assert "mon|wed|fri" in (folder / "participants.csv").read_text(encoding="utf-8")  # the file keeps ids
    assert load_scenario(folder / SCENARIO).participant["a5"].weekdays == ["mon", "wed", "fri"]
    post(client, "/data/save", **_edit(client, "general", None, **{"calendar.weekdays": "di, do"}))
    assert yaml.safe_load((folder / SCENARIO).read_text(encoding="utf-8"))["calendar"]["weekdays"] == [
        "tue",
        "thu",
    ]


def test_adding_and_removing_rows(folder: Path) -> None:
    client = client_for(folder)
    r = post(client, "/data/save", **_edit(client, "regions", None, id="r-e", name="Regio E"))
    assert r.status_code == 303
    assert "r-e" in load_scenario(folder / SCENARIO).region
    r = post(
        client,
        "/data/save",
        **_edit(client, "participants", None, id="z1", name="Zoë Z", role="board", region="r-e"),
    )
    assert r.status_code == 303
    assert load_scenario(folder / SCENARIO).participant["z1"].region == "r-e"
    # removing a region still in use is refused: it would add a problem
    form = _edit(client, "regions", 4)
    r = post(
        client, "/data/delete", part="regions", i="4", version=form["version"], original=form["original"]
    )
    assert r.status_code == 422
    assert "r-e" in load_scenario(folder / SCENARIO).region


def test_two_tabs_a_second_save_of_the_same_row_is_refused(folder: Path) -> None:
    client = client_for(folder)
    first = _edit(client, "participants", 1, name="Bram from tab 1")
    second = _edit(client, "participants", 1, name="Bram from tab 2")
    assert post(client, "/data/save", **first).status_code == 303
    r = post(client, "/data/save", **second)
    assert r.status_code == 409
    assert "elders gewijzigd" in r.text and "Bram from tab 2" in r.text  # what they typed is still there
    assert load_scenario(folder / SCENARIO).participant["a2"].name == "Bram from tab 1"


def test_two_tabs_edits_of_different_rows_are_merged(folder: Path) -> None:
    client = client_for(folder)
    first = _edit(client, "participants", 1, name="Bram B1")
    second = _edit(client, "participants", 2, name="Cees C2")
    assert post(client, "/data/save", **first).status_code == 303
    r = post(client, "/data/save", **second)
    assert r.status_code == 303 and "saved-merged" in r.headers["location"]
    s = load_scenario(folder / SCENARIO)
    assert (s.participant["a2"].name, s.participant["a3"].name) == ("Bram B1", "Cees C2")


def test_import_replaces_the_participants_and_shows_their_problems(folder: Path) -> None:
    client = client_for(folder)
    exported = client.get(f"/data/participants.csv?s={SCENARIO}").content
    assert exported.startswith("\ufeff".encode())
    assert exported.decode("utf-8-sig").startswith("Deelnemer;Naam;")  # the exporter's Dutch headers
    text = exported.decode("utf-8-sig").replace("Anna A;;student / zij-instromer", "Anna A;;studnet")
    r = client.post(
        "/data/import",
        data={"s": SCENARIO, "csrf": csrf(client)},
        files={"file": ("deelnemers.csv", text.encode("utf-8"), "text/csv")},
    )
    assert r.status_code == 200
    assert "18 deelnemers ingelezen" in r.text
    assert "participants.csv:2: participants[0] (a1).role: &#39;studnet&#39; is geen rol" in r.text
    validated = run_cli("validate", folder / SCENARIO)  # the same problem on the command line, in English
    assert (
        validated.exit_code == 2
        and "participants.csv:2: participants[0] (a1).role: 'studnet' is not a role"
        in validated.stderr + validated.stdout
    )
    # fixing it in the form makes the scenario valid again
    r = post(client, "/data/save", **_edit(client, "participants", 0, role="student"))
    assert r.status_code == 303
    assert run_cli("validate", folder / SCENARIO).exit_code == 0


# -- Plannen -----------------------------------------------------------------------------------


def test_solve_streams_progress_and_saves_a_named_plan(folder: Path) -> None:
    client = client_for(folder)
    r = post(client, "/plans/solve", name="eerste", time_limit="3")
    assert r.status_code == 303
    busy = post(client, "/plans/solve", name="tweede", time_limit="3")  # one solve per folder at a time
    last = wait_for_job(client)
    assert "refusal=" in busy.headers["location"]
    assert last["state"] == "done" and last["written"] == ["tiny.eerste.plan.yaml"]
    assert last["best"] is not None and last["points"]
    plan, _ = read_plan(folder / "tiny.eerste.plan.yaml")
    assert plan.solver is not None and plan.solver.status in ("optimal", "feasible")
    assert run_cli("check", folder / SCENARIO, folder / "tiny.eerste.plan.yaml").exit_code == 0
    page = client.get(f"/plans?s={SCENARIO}").text
    assert "tiny.eerste.plan.yaml" in page and "Voldoet aan alle regels" in page


def test_stop_keeps_the_best_plan(tmp_path: Path) -> None:
    from helpers import REPO

    folder = tmp_path / "mn"
    folder.mkdir()
    for name in ("midden-nederland.yaml", "participants.csv"):
        (folder / name).write_bytes((REPO / "scenarios" / "midden-nederland-csv" / name).read_bytes())
    client = client_for(folder)
    assert (
        post(client, "/plans/solve", s="midden-nederland.yaml", name="lang", time_limit="120").status_code
        == 303
    )
    job = client.app.state.jobs.get("midden-nederland.yaml")
    deadline = time.monotonic() + 60
    while not any(p[1] is not None for p in job.points):  # a first plan is there
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert post(client, "/jobs/stop", s="midden-nederland.yaml").status_code == 303
    while job.running:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert job.state == "done" and job.stopped
    plan, _ = read_plan(folder / "midden-nederland.lang.plan.yaml")
    assert plan.reviews and job.snapshot()["seconds"] < 60


def test_a_failing_solve_shows_the_same_explanation_as_solve(folder: Path) -> None:
    path = folder / SCENARIO
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["rules"]["min_partnerships"] = 3  # the subject is excluded: only two other partnerships
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    try:
        solve(load_scenario(path), time_limit=5, workers=1)
    except InfeasibleError as exc:
        expected = exc
    else:  # pragma: no cover
        pytest.fail("the variant should have no plan")
    client = client_for(folder)
    assert post(client, "/plans/solve", name="te-groot", time_limit="5").status_code == 303
    last = wait_for_job(client)
    assert last["state"] == "infeasible"
    assert last["reasons"] == list(expected.reasons)
    page = client.get(f"/plans?s={SCENARIO}").text
    assert "Er is geen planning mogelijk" in page
    scenario = load_scenario(path)
    assert scenario.language == "nl"
    for text in [*expected.reasons, *expected.suggestions]:
        dutch = explain_text(text, "nl", scenario)
        assert html.escape(dutch) in page and dutch != text, "the reasons of solve, worded in Dutch"
        assert html.escape(text) not in re.sub(r"data-snapshot='[^']*'", "", page), "no English words shown"
    assert "uit 3 partnerschappen nodig (rules.min_partnerships)" in page
    client.cookies.set("opr_planner_lang", "en")  # NL/EN at the top right
    english = client.get(f"/plans?s={SCENARIO}").text
    for text in expected.reasons:
        assert html.escape(text) in english, "English pages show the command line's words"
    assert not (folder / "tiny.te-groot.plan.yaml").exists()


# -- Plan --------------------------------------------------------------------------------------


def _workspace(page: str) -> dict[str, str]:
    draft = html.unescape(page.split('name="draft" value="')[1].split('"')[0])
    return {"base": PLAN, "draft": draft}


def test_a_hand_edit_shows_the_violation_at_the_member_and_it_goes_away(folder: Path) -> None:
    client = client_for(folder)
    page = client.get(f"/plan?s={SCENARIO}&p={PLAN}").text
    assert "Voldoet aan alle regels" in page
    plan, _ = read_plan(folder / PLAN)
    review = plan.reviews[0]  # subject pa: a member from pa breaks independence (H5)
    mi = 0
    r = post(client, "/plan/edit", **_workspace(page), op=f"replace 0 {mi}", **{f"by-0-{mi}": "a1"})
    assert r.status_code == 200
    assert 'data-rule="H5"' in r.text and 'data-member="a1"' in r.text
    assert r.text.count('class="member bad"') >= 1
    back = review.members[mi].participant
    r = post(
        client,
        "/plan/edit",
        **_workspace(r.text),
        op=f"replace 0 {_index_of(r.text, 'a1')}",
        **{f"by-0-{_index_of(r.text, 'a1')}": back},
    )
    assert "Voldoet aan alle regels" in r.text and 'data-rule="H5"' not in r.text


def _index_of(page: str, pid: str) -> int:
    draft = json.loads(_workspace(page)["draft"])
    return [m["participant"] for m in draft["reviews"][0]["members"]].index(pid)


def test_hand_edits_move_swap_date_function_and_save(folder: Path) -> None:
    client = client_for(folder)
    page = client.get(f"/plan?s={SCENARIO}&p={PLAN}").text
    draft = json.loads(_workspace(page)["draft"])
    other = draft["reviews"][1]["members"][0]["participant"]
    r = post(client, "/plan/edit", **_workspace(page), op="swap 0 0", **{"with-0-0": f"1:{other}"})
    after = json.loads(_workspace(r.text)["draft"])
    assert other in [m["participant"] for m in after["reviews"][0]["members"]]
    r = post(client, "/plan/edit", **_workspace(r.text), op="date 0", **{"date-0": "2028-12-25"})
    assert 'data-rule="H2"' in r.text  # Christmas is no working day
    r = post(client, "/plan/edit", **_workspace(r.text), op="function 0 1 chair")
    assert "voorzitter" in r.text
    r = post(client, "/plan/edit", **_workspace(r.text), op="move 0 0", **{"to-0-0": "1"})
    r = post(client, "/plan/edit", **_workspace(r.text), op="replace 0 0", **{"by-0-0": "nobody"})
    assert "Niet gelukt" in r.text and "nobody" in r.text
    r = post(client, "/plan/edit", **_workspace(r.text), op="save", save_name="mijn-plan")
    assert r.status_code == 303
    saved, _ = read_plan(folder / "tiny.mijn-plan.plan.yaml")
    assert saved.solver is not None and saved.solver.status == "manual"
    check = run_cli("check", folder / SCENARIO, folder / "tiny.mijn-plan.plan.yaml")
    assert check.exit_code == 1 and "H2" in check.output  # the CLI sees what the page showed
    again = post(
        client,
        "/plan/edit",
        **_workspace(r.text if r.status_code == 200 else page),
        op="save",
        save_name="mijn-plan",
    )
    assert again.status_code == 409  # never overwrites another plan


def test_stand_ins_are_suggested_inline(folder: Path) -> None:
    client = client_for(folder)
    page = client.get(f"/plan?s={SCENARIO}&p={PLAN}").text
    r = post(client, "/plan/edit", **_workspace(page), op="suggest 0 0")
    assert "geschikte invallers" in r.text or "Geen geschikte invaller" in r.text
    assert 'value="use 0 0 ' in r.text or "Geen geschikte invaller" in r.text


def test_a_damaged_draft_is_refused_in_words(folder: Path) -> None:
    client = client_for(folder)
    r = post(client, "/plan/edit", base=PLAN, draft="{not json", op="remove 0 0")
    assert r.status_code == 200 and "Niet gelukt" in r.text and "Traceback" not in r.text


def test_the_report_of_the_draft_has_timeline_and_network(folder: Path) -> None:
    client = client_for(folder)
    page = client.get(f"/plan?s={SCENARIO}&p={PLAN}").text
    r = post(client, "/plan/report", **_workspace(page))
    assert r.status_code == 200 and "<iframe" in r.text and "sandbox" in r.text
    assert "Tijdlijn" in r.text and "Verbindingen" in r.text


# -- Vergelijken, Wijzigingen, Downloads -----------------------------------------------------------


def test_compare_shows_metrics_side_by_side_with_differences(folder: Path) -> None:
    client = client_for(folder)
    page = client.get(f"/plan?s={SCENARIO}&p={PLAN}").text
    post(client, "/plan/edit", **_workspace(page), op="save", save_name="kopie")
    r = post(client, "/plan/edit", **_workspace(page), op="remove 0 0")
    post(client, "/plan/edit", **_workspace(r.text), op="save", save_name="kleiner")
    page = client.get(f"/compare?s={SCENARIO}&p={PLAN}&p=tiny.kleiner.plan.yaml").text
    assert "Totaalscore" in page and 'class="differs"' in page
    assert "Verschillen van tiny.kleiner.plan.yaml" in page


def test_alternatives_are_found_and_saved(folder: Path) -> None:
    client = client_for(folder)
    assert (
        post(
            client, "/compare/alternatives", name="alt", count="2", min_difference="2", time_limit="2"
        ).status_code
        == 303
    )
    last = wait_for_job(client)
    assert last["state"] == "done"
    assert last["written"] == ["tiny.alt-1.plan.yaml", "tiny.alt-2.plan.yaml"]
    # Vergelijken says so and links to the two side by side: their table and their one diff
    page = client.get(f"/compare?s={SCENARIO}").text
    link = html.unescape(re.search(r'<a href="([^"]+)">Vergelijk deze plannen</a>', page).group(1))  # type: ignore[union-attr]
    page = client.get(link).text
    header = page.split('id="comparison"')[1].split("</thead>")[0]
    assert "tiny.alt-1.plan.yaml" in header and "tiny.alt-2.plan.yaml" in header
    one, _ = read_plan(folder / "tiny.alt-1.plan.yaml")
    two, _ = read_plan(folder / "tiny.alt-2.plan.yaml")
    d = disruption(one, two, load_scenario(folder / SCENARIO))
    assert d.changed_memberships >= 2  # at least --min-difference apart
    assert f"Gewijzigde lidmaatschappen: <strong>{d.changed_memberships}</strong>" in page


def test_confirm_dropout_repair_and_calendar_updates(folder: Path) -> None:
    client = client_for(folder)
    page = client.get(f"/changes?s={SCENARIO}&p={PLAN}").text
    version = page.split('name="version" value="')[1].split('"')[0]
    r = post(client, "/changes/confirm", p=PLAN, version=version, **{"r-1": "on", "m-1-0": "on"})
    assert r.status_code == 303
    plan, _ = read_plan(folder / PLAN)
    assert (
        plan.reviews[1].confirmed and plan.reviews[1].members[0].confirmed and not plan.reviews[0].confirmed
    )
    leaver = plan.reviews[0].members[0].participant
    r = post(client, "/changes/unavailable", p=PLAN, who=leaver, kind="dropout", **{"from": "2028-01-10"})
    assert r.status_code == 303 and "notice=unavailable" in r.headers["location"]
    assert 'data-rule="H13"' in client.get(f"/changes?s={SCENARIO}&p={PLAN}").text
    assert post(client, "/changes/repair", p=PLAN, name="hersteld", time_limit="5").status_code == 303
    assert wait_for_job(client)["state"] == "done"
    repaired, _ = read_plan(folder / "tiny.hersteld.plan.yaml")
    assert leaver not in {m.participant for r in repaired.reviews for m in r.members}
    assert repaired.reviews[1].confirmed  # confirmed items carry over
    page = client.get(f"/changes?s={SCENARIO}&p={PLAN}").text
    assert 'id="repair-outcome"' in page and leaver in page
    # the changes listed are analysis.disruption's, the diff `repair` prints: every review, no other
    d = disruption(plan, repaired, load_scenario(folder / SCENARIO))
    assert f"Gewijzigde lidmaatschappen: <strong>{d.changed_memberships}</strong>" in page
    assert 'id="repair-stages"' in page and "Gewijzigde functies" in page  # repair's own stages
    assert sorted(re.findall(r'<tr data-review="([^"]+)"', page)) == sorted(c.review for c in d.reviews)
    # the re-send list is the calendar update's (export ics --previous): the leaver's file is in it
    assert f'data-participant="{leaver}"' in page and "persoonlijke agenda" in page
    r = post(client, "/changes/updates.zip", old=PLAN, new="tiny.hersteld.plan.yaml")
    files = zipfile.ZipFile(io.BytesIO(r.content))
    assert {"changes.txt", "changes.csv"} <= set(files.namelist())
    kept = folder / "tiny-agenda"  # kept, so that the next update counts SEQUENCE on
    assert sorted(p.name for p in kept.iterdir()) == sorted(files.namelist())
    cal = icalendar.Calendar.from_ical(files.read(f"{leaver}.ics"))
    assert any(str(e.get("status")) == "CANCELLED" for e in cal.walk("VEVENT"))


def test_downloads_are_the_exports_of_the_plan(folder: Path) -> None:
    client = client_for(folder)
    page = client.get(f"/downloads?s={SCENARIO}&p={PLAN}").text
    assert "Alle agenda" in page
    r = client.get(f"/download/calendars.zip?s={SCENARIO}&p={PLAN}")
    files = zipfile.ZipFile(io.BytesIO(r.content))
    assert "all.ics" in files.namelist() and len(files.namelist()) > 5
    events = icalendar.Calendar.from_ical(files.read("all.ics")).walk("VEVENT")
    assert len(events) == sum(len(r.sessions or []) for r in read_plan(folder / PLAN)[0].reviews)
    assert client.get(f"/download/all.ics?s={SCENARIO}&p={PLAN}").content.startswith(b"BEGIN:VCALENDAR")
    assert b"BEGIN:VCALENDAR" in client.get(f"/download/person.ics?s={SCENARIO}&p={PLAN}&who=c3").content
    assert client.get(f"/download/person.ics?s={SCENARIO}&p={PLAN}&who=../x").status_code == 404
    assert client.get(f"/download/plan.csv?s={SCENARIO}&p={PLAN}").status_code == 200
    assert "<svg" in client.get(f"/download/report.html?s={SCENARIO}&p={PLAN}").text


def test_a_search_that_dies_or_crashes_says_so_in_the_pages_words(folder: Path) -> None:
    """The worker gone without a word, or ending on an unexpected error: the page says what
    happened in its own language, the error's line as a detail, no traceback."""
    import queue

    from opr_planner.web.jobs import Job

    class Gone:
        pid = 0

        def is_alive(self) -> bool:
            return False

        def join(self, timeout: float) -> None:
            return None

    client = client_for(folder)
    jobs = client.app.state.jobs
    for said, words in (
        (None, "Het rekenproces stopte onverwacht; er is niets opgeslagen."),
        (
            ("crashed", "ValueError: boom", "Traceback (most recent call last): ..."),
            "door een fout in opr-planner",
        ),
    ):
        job = Job(SCENARIO, "solve", [], 5.0, process=Gone())
        messages: queue.Queue = queue.Queue()
        if said:
            messages.put(said)
        jobs._jobs[SCENARIO] = job
        jobs._pump(job, messages)
        assert job.state == "failed"
        page = client.get(f"/plans?s={SCENARIO}").text
        panel = page.split('id="job"')[1].split("</div>\n</div>")[0]
        assert words in panel and "Traceback" not in page
        assert ("ValueError: boom" in panel) == bool(said)
        assert "the search process" not in page
