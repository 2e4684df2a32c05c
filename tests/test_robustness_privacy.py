"""`--anonymise`: stable pseudonyms instead of names, e-mail addresses, ids and
organisations, in every export and in `compare` (docs/privacy.md)."""

from __future__ import annotations

import csv
import io
import os
import re
import stat
from pathlib import Path

import pytest
from helpers import TINY, TINY_PLAN, read_yaml_data, run_cli, write_yaml_data
from icalendar import Calendar

from opr_planner.evaluate import evaluate
from opr_planner.export import privacy
from opr_planner.export.csv import BOM
from opr_planner.export.privacy import EMAIL_DOMAIN, KEY_ENV, anonymise, pseudonym_key, pseudonyms
from opr_planner.plan import read_plan
from opr_planner.scenario import Scenario, load_scenario

PSEUDONYM = re.compile(r"Deelnemer [0-9a-f]{6,} \([^)]+\)")


@pytest.fixture(autouse=True)
def _key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(KEY_ENV, "test key")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # never the real home


@pytest.fixture
def with_emails(tmp_path: Path) -> Path:
    """tiny.yaml with an e-mail address and an organisation for everyone."""
    data = read_yaml_data(TINY)
    for p in data["participants"]:
        p["email"] = f"{p['id']}.private@school.example.org"
        p["organisation"] = f"Stichting {p['id'].upper()} Private"
    return write_yaml_data(tmp_path / "people.yaml", data)


def _private_words(scenario: Scenario) -> set[str]:
    words = set()
    for p in scenario.participants:
        words.add(p.name)
        if p.email:
            words.add(p.email)
        if p.organisation:
            words.add(p.organisation)
    return words


def _csv_rows(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text.removeprefix(BOM), newline=""), delimiter=";"))


def test_exports_hold_no_names_emails_or_organisations(with_emails: Path, tmp_path: Path) -> None:
    scenario = load_scenario(with_emails)
    private = _private_words(scenario)
    out = tmp_path / "out"
    for kind, target in (("csv", out / "plan.csv"), ("html", out / "plan.html"), ("ics", out / "ics")):
        result = run_cli("export", kind, with_emails, TINY_PLAN, "-o", target, "--anonymise", "--force")
        assert result.exit_code == 0, result.output
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) > 3
    for path in files:
        text = path.read_text(encoding="utf-8")
        for word in private:
            assert word not in text, f"{word!r} in {path.name}"
        assert ".private@" not in text
    rows = _csv_rows(out / "plan.csv")
    header, body = rows[0], rows[1:]
    assert all(PSEUDONYM.fullmatch(row[header.index("Naam")]) for row in body)
    assert all(row[header.index("E-mail")].endswith(f"@{EMAIL_DOMAIN}") for row in body)
    assert all(row[header.index("Organisatie")].startswith("Organisatie ") for row in body)
    ics_names = sorted(p.name for p in (out / "ics").iterdir())
    assert all(n == "all.ics" or n.startswith("deelnemer-") for n in ics_names)


def test_ids_in_a_plan_never_leak(tmp_path: Path) -> None:
    """Ids can be names too (anna.devries): they are replaced, in file names as well."""
    data = read_yaml_data(TINY)
    plan_text = TINY_PLAN.read_text(encoding="utf-8")
    for p in data["participants"]:
        new = f"{p['id']}.secret-person"
        plan_text = re.sub(rf"participant: {p['id']}\n", f"participant: {new}\n", plan_text)
        for other in data["participants"]:
            other["avoid"] = [new if a == p["id"] else a for a in other.get("avoid", [])]
        p["id"] = new
    scenario_path = write_yaml_data(tmp_path / "s.yaml", data)
    plan_path = tmp_path / "p.plan.yaml"
    plan_path.write_text(plan_text, encoding="utf-8")
    assert run_cli("check", scenario_path, plan_path).exit_code == 0
    out = tmp_path / "ics"
    assert (
        run_cli("export", "ics", scenario_path, plan_path, "-o", out, "--anonymise", "--force").exit_code == 0
    )
    for path in out.iterdir():
        assert "secret-person" not in path.name
        assert "secret-person" not in path.read_text(encoding="utf-8")
    result = run_cli("compare", scenario_path, plan_path, plan_path, "--anonymise")
    assert result.exit_code == 0
    assert "secret-person" not in result.output


def test_same_participant_same_pseudonym_across_runs_and_commands(with_emails: Path, tmp_path: Path) -> None:
    scenario = load_scenario(with_emails)
    ps = pseudonyms(scenario, b"test key")
    maud = ps.names["c3"]
    assert maud == pseudonyms(scenario, b"test key").names["c3"]  # every run
    run_cli("export", "csv", with_emails, TINY_PLAN, "-o", tmp_path / "a.csv", "--anonymise", "--force")
    run_cli("export", "html", with_emails, TINY_PLAN, "-o", tmp_path / "a.html", "--anonymise", "--force")
    run_cli("export", "ics", with_emails, TINY_PLAN, "-o", tmp_path / "ics", "--anonymise", "--force")
    rows = _csv_rows(tmp_path / "a.csv")
    assert maud in {row[rows[0].index("Naam")] for row in rows}
    assert maud in (tmp_path / "a.html").read_text(encoding="utf-8")
    cal = Calendar.from_ical((tmp_path / "ics" / f"{ps.ids['c3']}.ics").read_bytes())
    assert str(cal["X-WR-CALNAME"]).endswith(maud)
    other = tmp_path / "other.plan.yaml"
    other.write_text(
        TINY_PLAN.read_text(encoding="utf-8").replace("participant: c3\n", "participant: b3\n", 1),
        encoding="utf-8",
    )
    result = run_cli("compare", with_emails, TINY_PLAN, other, "--anonymise")
    assert result.exit_code == 0, result.output
    assert maud in result.stdout
    assert "Maud" not in result.stdout and "c3 " not in result.stdout


def test_pseudonyms_do_not_depend_on_the_rest_of_the_scenario(tmp_path: Path) -> None:
    data = read_yaml_data(TINY)
    before = pseudonyms(load_scenario(TINY), b"k")
    data["participants"][0]["name"] = "Someone Else"
    data["participants"].append({"id": "new1", "name": "New", "role": "student", "region": "r-a"})
    after = pseudonyms(load_scenario(write_yaml_data(tmp_path / "s.yaml", data)), b"k")
    assert all(after.names[pid] == name for pid, name in before.names.items())


def test_another_key_gives_other_pseudonyms() -> None:
    scenario = load_scenario(TINY)
    assert pseudonyms(scenario, b"one").ids != pseudonyms(scenario, b"two").ids


def test_the_plan_is_judged_the_same_after_anonymising(tiny: Scenario) -> None:
    plan, _ = read_plan(TINY_PLAN)
    broken = plan.model_copy(update={"reviews": plan.reviews[:2]})
    hidden_scenario, hidden = anonymise(tiny, [plan, broken], b"k")
    for original, copy in zip([plan, broken], hidden):
        a, b = evaluate(tiny, original), evaluate(hidden_scenario, copy)
        assert (a.metrics, a.objective, a.rule_ids) == (b.metrics, b.objective, b.rule_ids)
    assert hidden_scenario.sha256 == tiny.sha256 and hidden_scenario.path == tiny.path


def test_clashing_codes_are_lengthened(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(privacy, "CODE_LENGTH", 1)  # 16 codes for 18 people: clashes for sure
    ps = pseudonyms(load_scenario(TINY), b"k")
    assert len(set(ps.ids.values())) == len(ps.ids) == 18
    assert len(set(ps.names.values())) == 18


def test_unknown_members_of_a_hand_made_plan_get_a_pseudonym_too(tiny: Scenario) -> None:
    ps = pseudonyms(tiny, b"k")
    assert ps.participant_id("stranger").startswith("onbekend-")
    assert "stranger" not in ps.participant_id("stranger")


def test_english_scenario_english_pseudonyms(tmp_path: Path) -> None:
    data = read_yaml_data(TINY)
    data["language"] = "en"
    ps = pseudonyms(load_scenario(write_yaml_data(tmp_path / "en.yaml", data)), b"k")
    assert re.fullmatch(r"Participant [0-9a-f]{6} \(student\)", ps.names["a1"])


def test_the_key_file_is_made_once_private_and_reused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(KEY_ENV)
    key = pseudonym_key()
    path = tmp_path / "config" / "opr-planner" / "pseudonym.key"
    assert path.is_file()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert pseudonym_key() == key
    assert len(key) == 64
    monkeypatch.setenv(KEY_ENV, "shared team key")
    assert pseudonym_key() == b"shared team key"


def test_an_unusable_key_location_is_exit_2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(KEY_ENV)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file", encoding="utf-8")
    monkeypatch.setenv(privacy.KEY_FILE_ENV, str(blocked / "pseudonym.key"))
    result = run_cli("export", "csv", TINY, TINY_PLAN, "-o", tmp_path / "p.csv", "--anonymise")
    assert result.exit_code == 2
    assert "cannot read or create the pseudonym key" in result.stderr
    assert not (tmp_path / "p.csv").exists()


def test_anonymised_export_still_refuses_a_plan_of_another_scenario(
    with_emails: Path, tmp_path: Path
) -> None:
    result = run_cli("export", "csv", with_emails, TINY_PLAN, "-o", tmp_path / "p.csv", "--anonymise")
    assert result.exit_code == 2
    assert "--force" in result.stderr
    assert not (tmp_path / "p.csv").exists()


def test_without_the_flag_nothing_changes(tmp_path: Path) -> None:
    result = run_cli("export", "csv", TINY, TINY_PLAN, "-o", tmp_path / "p.csv")
    assert result.exit_code == 0
    assert "Maud C" in (tmp_path / "p.csv").read_text(encoding="utf-8")
    assert not (tmp_path / "config").exists()  # no key needed, none made
    assert os.environ[KEY_ENV] == "test key"
