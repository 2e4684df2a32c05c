"""`opr-planner validate`: the bundled scenarios, the CSV variant, duplicate warnings."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from helpers import DATA, REPO, RULE_ID, rule_ids_in, run_cli, write_yaml_data

from opr_planner.scenario import load_scenario

MIDDEN = REPO / "scenarios" / "midden-nederland.yaml"
MIDDEN_CSV = REPO / "scenarios" / "midden-nederland-csv" / "midden-nederland.yaml"


def _summary_table(stdout: str) -> dict[str, list[int]]:
    """Rows of the 'Participants by role and partnership' table: role -> counts."""
    section = stdout.split("Participants by role and partnership", 1)[1].split("\n\n", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = line.split()
        if len(cells) > 1 and all(c.isdigit() for c in cells[1:]):
            rows[cells[0]] = [int(c) for c in cells[1:]]
    return rows


def test_validate_bundled_scenario() -> None:
    result = run_cli("validate", MIDDEN)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # no warnings
    out = result.stdout
    assert "Scenario: Onderwijsregio Midden-Nederland PO — OPR 2027-2029" in out
    assert "3 partnerships, 8 regions, 73 participants (9 without a partnership), 3 reviews" in out
    assert "Calendar: 2027-01-04 to 2029-12-31" in out
    rows = _summary_table(out)
    assert rows["total"] == [23, 20, 21, 9, 73]
    assert rows["student"][-1] == 20
    for review in ("opr-po-utrecht", "opr-po-eemland", "opr-po-rijn-vallei"):
        assert review in out
    assert out.rstrip().endswith("OK: the scenario is valid")


def test_csv_variant_gives_the_same_summary() -> None:
    yaml_run = run_cli("validate", MIDDEN)
    csv_run = run_cli("validate", MIDDEN_CSV)
    assert csv_run.exit_code == 0, csv_run.output
    assert _summary_table(csv_run.stdout) == _summary_table(yaml_run.stdout)
    strip = lambda out: [x for x in out.splitlines() if not x.startswith("File:")]  # noqa: E731
    assert strip(csv_run.stdout) == strip(yaml_run.stdout)


def test_csv_variant_loads_the_same_participants() -> None:
    a, b = load_scenario(MIDDEN), load_scenario(MIDDEN_CSV)
    assert b.participants_file == "participants.csv"
    assert a.participants == b.participants
    by = lambda s: Counter((p.role, p.partnership) for p in s.participants)  # noqa: E731
    assert by(a) == by(b)
    rest = {"participants", "participants_file"}
    assert a.model_dump(exclude=rest) == b.model_dump(exclude=rest)


def test_warning_for_people_listed_twice() -> None:
    result = run_cli("validate", DATA / "duplicates.yaml")
    assert result.exit_code == 0, result.output
    warnings = [w for w in result.stderr.splitlines() if w.startswith("warning: ")]
    assert len(warnings) == 3, result.stderr
    same_email, hidden, count = warnings
    assert "duplicates.yaml:21: participants[5] (u2)" in same_email
    assert "same email as 'u1'" in same_email
    # The hidden duplicate: a1 listed again in the other partnership, its name spelled differently.
    assert "duplicates.yaml:22: participants[6] (b3)" in hidden
    assert "same name, region and role as 'a1'" in hidden
    assert all("`conflicts`" in w for w in (same_email, hidden))
    # b4 only shares a name with b1: a count, not a listing.
    assert "1 participant(s) share their name" in count and "b4" not in count
    assert "--all-warnings" in count
    assert "(3 warning(s) above)" in result.stdout


def test_all_warnings_lists_the_people_who_only_share_a_name() -> None:
    result = run_cli("validate", "--all-warnings", DATA / "duplicates.yaml")
    assert result.exit_code == 0, result.output
    warnings = [w for w in result.stderr.splitlines() if w.startswith("warning: ")]
    assert len(warnings) == 4, result.stderr
    assert "duplicates.yaml:23: participants[7] (b4)" in warnings[-1]
    assert "same name as 'b1'" in warnings[-1] and "probably two people" in warnings[-1]


def test_duplicate_warnings_name_no_rule_id(tmp_path: Path) -> None:
    """`check` output is scanned for rule ids; a warning must not look like a violation."""
    s = load_scenario(DATA / "duplicates.yaml")
    assert len(s.warnings) == 3 and len(s.detail_warnings) == 1
    assert not any(RULE_ID.search(w) for w in (*s.warnings, *s.detail_warnings))
    plan = {
        "format": "opr-plan/1",
        "reviews": [
            {
                "id": "opr-pa",
                "subject": "pa",
                "date": "2028-03-07",
                "members": [{"participant": "b1", "role": "student"}, {"participant": "u1", "role": "board"}],
            },
            {
                "id": "opr-pb",
                "subject": "pb",
                "date": "2028-04-04",
                "members": [
                    {"participant": "a1", "role": "student"},
                    {"participant": "b1", "role": "student"},
                ],
            },
        ],
    }
    result = run_cli("check", DATA / "duplicates.yaml", write_yaml_data(tmp_path / "p.plan.yaml", plan))
    assert "warning:" in result.stderr
    assert rule_ids_in(result.output) == ["H5"]  # b1 reviews their own partnership
    assert result.exit_code == 1


@pytest.mark.parametrize(
    "path", [MIDDEN, MIDDEN_CSV, DATA / "tiny.yaml", DATA / "minimal.yaml", DATA / "metrics.yaml"]
)
def test_fixture_scenarios_are_valid(path: Path) -> None:
    result = run_cli("validate", path)
    assert result.exit_code == 0, result.output
    assert "OK: the scenario is valid" in result.stdout


def test_validate_summary_counts_possible_dates() -> None:
    out = run_cli("validate", DATA / "tiny.yaml").stdout
    line = next(x for x in out.splitlines() if x.startswith("opr-pa "))
    cells = line.split()
    working, possible = int(cells[-2]), int(cells[-1])
    assert 0 < possible <= working


def test_sha256_of_the_file_bytes() -> None:
    import hashlib

    s = load_scenario(MIDDEN)
    assert s.sha256 == hashlib.sha256(MIDDEN.read_bytes()).hexdigest()
    assert s.path == str(MIDDEN)


def test_check_warns_when_listed_sessions_do_not_follow_from_the_date(tmp_path) -> None:
    from pathlib import Path

    from click.testing import CliRunner

    from opr_planner.cli import main

    kit = Path(__file__).parent / "data" / "conformance"
    text = (kit / "valid.plan.yaml").read_text().replace("date: '2028-06-22'", "date: '2028-06-21'")
    (tmp_path / "odd.plan.yaml").write_text(text)
    run = CliRunner().invoke(main, ["check", str(kit / "tiny.yaml"), str(tmp_path / "odd.plan.yaml")])
    assert run.exit_code == 0
    assert "opr-pa: the sessions listed" in run.output
    clean = CliRunner().invoke(main, ["check", str(kit / "tiny.yaml"), str(kit / "valid.plan.yaml")])
    assert "sessions listed" not in clean.output
