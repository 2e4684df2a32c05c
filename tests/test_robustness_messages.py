"""Messages that must name the right thing and nothing more (issue 17, items 1, 5 and 7).

Options out of range, spreadsheets that say less than they seem to, values too long to
echo, files outside the scenario's folder and file names Windows cannot create.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import DATA, TINY, TINY_PLAN, read_yaml_data, run_cli, write_yaml_data

MINIMAL = DATA / "minimal.yaml"


def _minimal(tmp_path: Path, change=None, name: str = "scenario.yaml") -> Path:
    data = read_yaml_data(MINIMAL)
    if change:
        change(data)
    return write_yaml_data(tmp_path / name, data)


def _with_participants_file(tmp_path: Path, file: str, folder: Path | None = None) -> Path:
    def change(data: dict) -> None:
        data.pop("participants")
        data["participants_file"] = file

    folder = folder or tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return _minimal(folder, change)


def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error: ")]


# -- search options out of range (item 1) ------------------------------------------------

SEARCHES = {
    "solve": lambda o, *opts: ["solve", TINY, *opts, "-o", o / "p.plan.yaml"],
    "repair": lambda o, *opts: ["repair", TINY, TINY_PLAN, *opts, "-o", o / "p.plan.yaml"],
    "alternatives": lambda o, *opts: ["alternatives", TINY, "-n", "1", *opts, "-o", o / "alts"],
    "sweep": lambda o, *opts: ["sweep", TINY, "--vary", "rules.group_size.max=5", *opts, "-o", o / "sweep"],
}


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--seed", "2147483648", "2147483648 is not in the range 0<=x<=2147483647"),
        ("--seed", "-1", "-1 is not in the range 0<=x<=2147483647"),
        ("--time-limit", "nan", "'nan' is not a number of seconds"),
        ("--time-limit", "inf", "'inf' is not a number of seconds"),
        ("--time-limit", "1e400", "'1e400' is not a number of seconds"),
    ],
)
@pytest.mark.parametrize("command", sorted(SEARCHES))
def test_search_options_out_of_range_are_exit_2(
    command: str, option: str, value: str, message: str, tmp_path: Path
) -> None:
    result = run_cli(*SEARCHES[command](tmp_path, option, value))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert f"Invalid value for '{option}': {message}" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("value", ["nan", "inf", "1e400"])
def test_suggest_time_limit_out_of_range_is_exit_2(value: str) -> None:
    result = run_cli(
        "suggest", TINY, TINY_PLAN, "--review", "opr-pa", "--replace", "c3", "--time-limit", value
    )
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '--time-limit': '{value}' is not a number of seconds" in result.stderr


@pytest.mark.parametrize("value", ["nan", "inf", "-0.5", "1.5"])
def test_gap_out_of_range_is_exit_2(value: str, tmp_path: Path) -> None:
    result = run_cli("solve", TINY, "--gap", value, "--time-limit", "1", "-o", tmp_path / "p.plan.yaml")
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--gap'" in result.stderr
    assert "internal error" not in result.output


def test_the_largest_seed_is_accepted(tmp_path: Path) -> None:
    result = run_cli(
        "solve",
        TINY,
        "--seed",
        "2147483647",
        "--time-limit",
        "2",
        "--workers",
        "1",
        "-o",
        tmp_path / "p.yaml",
    )
    assert result.exit_code == 0, result.output
    assert "seed: 2147483647" in (tmp_path / "p.yaml").read_text(encoding="utf-8")


# -- spreadsheets that say less than they seem to (item 5) --------------------------------


def test_a_header_only_csv_is_an_error_like_an_empty_list(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text("id,name,role,region\n", encoding="utf-8")
    scenario = _with_participants_file(tmp_path, "people.csv")
    result = run_cli("validate", scenario)
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        f"error: {tmp_path / 'people.csv'}:1: the participants file has a header but no participants; "
        "add one row per participant\n"
    )
    empty = _minimal(tmp_path, lambda d: d.update(participants=[]), "empty.yaml")
    result = run_cli("validate", empty)
    assert result.exit_code == 2
    assert "there are no participants" in result.stderr


def test_a_duplicate_csv_column_is_refused(tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text(
        "id,name,role,region,name\nc9,Kim C,student,r-a,Other name\n", encoding="utf-8"
    )
    scenario = _with_participants_file(tmp_path, "people.csv")
    result = run_cli("validate", scenario)
    assert result.exit_code == 2, result.output
    assert f"error: {tmp_path / 'people.csv'}:1: column 'name': names the key 'name' again" in result.stderr


# -- values too long to echo, odd names (item 7) -------------------------------------------


@pytest.mark.parametrize(
    "zone", ["x" * 300, "Europe/../../etc/passwd", "/etc/localtime", "Europe/Amsterdam/../x"]
)
def test_a_strange_timezone_is_named_without_the_tzdata_path(zone: str, tmp_path: Path) -> None:
    scenario = _minimal(tmp_path, lambda d: d.update(timezone=zone))
    result = run_cli("validate", scenario)
    assert result.exit_code == 2, result.output
    (error,) = _errors(result.stderr)
    assert error.startswith(f"error: {scenario}:")
    assert "timezone: " in error and "is not a known time zone" in error
    assert "tzdata" not in error and "site-packages" not in error
    assert len(error) < 300


def test_a_huge_id_is_not_echoed_whole(tmp_path: Path) -> None:
    def huge(data: dict) -> None:
        data["participants"][0]["id"] = "q" * 1_000_000
        data["participants"][1]["avoid"] = ["z" * 100_000]

    scenario = _minimal(tmp_path, huge)
    result = run_cli("validate", scenario)
    assert result.exit_code == 2
    errors = _errors(result.stderr)
    assert errors
    assert all(len(line) < 600 for line in errors), max(map(len, errors))
    assert "participants[0] (qqqqqqqqqq" in result.stderr and "…)" in result.stderr


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_an_unreadable_participants_file_has_no_empty_hint(tmp_path: Path) -> None:
    """A CSV that fails to read gave `cannot be read (...); ; participants_file in ...`."""
    scenario = _with_participants_file(tmp_path, "/proc/self/mem")
    result = run_cli("validate", scenario)
    assert result.exit_code == 2
    (error,) = _errors(result.stderr)
    assert error.startswith("error: /proc/self/mem: cannot be read (")
    assert "; ;" not in error and not re.search(r";\s*$", error)


def test_no_message_has_an_empty_hint() -> None:
    """Every broken input of the corpus: no `; ;`, no message ending in `; `."""
    for path in sorted((DATA / "bad").glob("*.yaml")):
        if path.name == "expected.yaml":
            continue
        for line in _errors(run_cli("validate", path).stderr):
            assert "; ;" not in line and not line.endswith(";"), line


def test_a_participants_file_outside_the_folder_is_never_echoed(tmp_path: Path) -> None:
    """Issue 17 item 7: `participants_file: /etc/passwd` printed the file's first line."""
    secret = tmp_path / "elsewhere" / "passwd"
    secret.parent.mkdir()
    secret.write_text(
        "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n", encoding="utf-8"
    )
    scenario = _with_participants_file(tmp_path, "../elsewhere/passwd", tmp_path / "scenario")
    result = run_cli("validate", scenario)
    assert result.exit_code == 2, result.output
    shown = result.output.replace(str(tmp_path), "<tmp>")
    for secret_part in ("root:x", "/bin/bash", "daemon", "nologin", "x:0:0"):
        assert secret_part not in shown, secret_part
    errors = _errors(result.stderr)
    assert errors
    for line in errors:
        assert line.startswith(f"error: {scenario.parent / '../elsewhere/passwd'}:"), line
        assert "outside the scenario's folder" in line


def test_a_bad_row_in_a_participants_file_outside_the_folder_names_the_field_only(tmp_path: Path) -> None:
    outside = tmp_path / "shared" / "people.csv"
    outside.parent.mkdir()
    outside.write_text(
        "id,name,role,region\nc1,Secret Name,studnet,r-a\nc2,Other Person,board,nowhere-secret\n",
        encoding="utf-8",
    )
    scenario = _with_participants_file(tmp_path, "../shared/people.csv", tmp_path / "scenario")
    result = run_cli("validate", scenario)
    assert result.exit_code == 2, result.output
    for word in ("Secret", "studnet", "Other Person", "nowhere-secret", "c1", "c2"):
        assert word not in result.stderr.replace(str(scenario.parent), ""), word
    errors = _errors(result.stderr)
    assert any(":2: participants[0].role: " in line for line in errors), errors
    assert any(":3: participants[1].region: " in line for line in errors), errors
    inside = tmp_path / "scenario" / "people.csv"
    inside.write_text(outside.read_text(encoding="utf-8"), encoding="utf-8")
    near = _with_participants_file(tmp_path, "people.csv", tmp_path / "scenario")
    assert "'studnet' is not a role" in run_cli("validate", near).stderr  # inside: the full message


@pytest.mark.parametrize("pid", ["nul.txt", "Prn.ics", "com1.x", "AUX", "lpt9.tar.gz", "con "])
def test_ids_windows_reserves_never_become_file_names(pid: str, tmp_path: Path) -> None:
    from opr_planner.export.ics import participant_filename

    name = participant_filename(pid)
    stem = name.split(".")[0].rstrip(" ").lower()
    assert stem not in {
        "con",
        "prn",
        "aux",
        "nul",
        *(f"com{i}" for i in range(10)),
        *(f"lpt{i}" for i in range(10)),
    }
    assert name.endswith(".ics") and "/" not in name


def test_export_writes_windows_safe_calendar_names(tmp_path: Path) -> None:
    data = read_yaml_data(TINY)
    plan = read_yaml_data(TINY_PLAN)
    renames = {"c3": "nul.txt", "u1": "Prn.ics"}
    for p in data["participants"]:
        p["id"] = renames.get(p["id"], p["id"])
    for r in plan["reviews"]:
        for m in r["members"]:
            m["participant"] = renames.get(m["participant"], m["participant"])
    plan["scenario"].pop("sha256", None)
    scenario = write_yaml_data(tmp_path / "s.yaml", data)
    plan_path = write_yaml_data(tmp_path / "p.yaml", plan)
    result = run_cli("export", "ics", scenario, plan_path, "-o", tmp_path / "ics")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "ics").iterdir())
    assert not [n for n in names if n.split(".")[0].lower() in {"nul", "prn"}], names


@pytest.mark.parametrize(
    "option", ["--unavailable-share", "--unavailable-items", "--range-share", "--part-time-share"]
)
def test_generate_refuses_nan_shares(option: str, tmp_path: Path) -> None:
    result = run_cli("generate", option, "nan", "-o", tmp_path / "s.yaml")
    assert result.exit_code == 2, result.output
    assert f"Invalid value for '{option}': 'nan' is not a" in result.stderr
    assert list(tmp_path.iterdir()) == []
