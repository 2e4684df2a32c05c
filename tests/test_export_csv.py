"""The spreadsheet: Excel-ready (BOM, `;`, CRLF), one row per (review, member), no formulas."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from helpers import TINY, TINY_PLAN, read_yaml_data, run_cli, write_yaml_data

from opr_planner.export.csv import BOM, csv_text, neutralise
from opr_planner.plan import Plan, read_plan
from opr_planner.scenario import Scenario, load_scenario


def _rows(text: str) -> list[list[str]]:
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text[len(BOM) :], newline=""), delimiter=";"))


def test_excel_format_bom_semicolon_crlf(tiny: Scenario, tiny_plan: Plan) -> None:
    text = csv_text(tiny, tiny_plan)
    raw = text.encode("utf-8")
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = text[len(BOM) :].split("\r\n")
    assert lines[-1] == ""  # every row ends in CRLF
    assert all("\n" not in line for line in lines)
    assert lines[0].split(";")[:5] == [
        "Review-id",
        "Reviewnaam",
        "Datum",
        "Bijeenkomsten",
        "Partnerschap onder review",
    ]


def test_one_row_per_review_and_member(tiny: Scenario, tiny_plan: Plan) -> None:
    header, *rows = _rows(csv_text(tiny, tiny_plan))
    assert len(rows) == sum(len(r.members) for r in tiny_plan.reviews) == 13
    assert all(len(row) == len(header) for row in rows)
    by = {(row[0], row[header.index("Deelnemer")]): dict(zip(header, row)) for row in rows}
    maud = by[("opr-pa", "c3")]
    assert maud["Naam"] == "Maud C"
    assert maud["Datum"] == "2028-06-29"
    assert maud["Rol"] == "instituutsopleider"
    assert maud["Functie in de groep"] == "voorzitter"
    assert maud["Reviewnaam"] == ""  # tiny.yaml names no review
    assert maud["Partnerschap"] == "Partnerschap C"
    assert maud["Onderwijsregio"] == "Regio D"
    assert maud["Partnerschap onder review"] == "Partnerschap A"
    assert "Voorbereiding 2028-06-22 15:30-17:00 (online)" in maud["Bijeenkomsten"]
    assert "Bezoek 2028-06-29 09:00-15:30 (Pabo A)" in maud["Bijeenkomsten"]
    assert by[("opr-pa", "u1")]["Partnerschap"] == "geen partnerschap"
    assert [row[0] for row in rows] == sorted(
        (row[0] for row in rows), key=["opr-pa", "opr-pb", "opr-pc"].index
    )


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+31 6 1234", "'+31 6 1234"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Anna de Vries", "Anna de Vries"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_formula_cells_are_neutralised(cell: str, expected: str) -> None:
    assert neutralise(cell) == expected


HOSTILE = {
    "a1": '=HYPERLINK("http://evil.example","klik")',
    "c3": 'Maud "de Baas"; van C',
    "c4": "Noor\nC; tweede regel",
    "u1": "@Pien",
    "b2": "-Gijs",
}


def _hostile_scenario(tmp_path: Path) -> Path:
    data = read_yaml_data(TINY)
    for p in data["participants"]:
        if p["id"] in HOSTILE:
            p["name"] = HOSTILE[p["id"]]
    data["participants"][0]["organisation"] = "+31 Stichting"
    data["reviews"][0]["location"] = 'Pabo; zaal "A"\nvleugel 2'
    return write_yaml_data(tmp_path / "hostile.yaml", data)


def test_hostile_names_survive_quoting_and_never_start_a_formula(tmp_path: Path) -> None:
    scenario = load_scenario(_hostile_scenario(tmp_path))
    plan, _ = read_plan(TINY_PLAN)
    header, *rows = _rows(csv_text(scenario, plan))
    pid, name = header.index("Deelnemer"), header.index("Naam")
    names = {row[pid]: row[name] for row in rows}
    assert names["c3"] == HOSTILE["c3"]  # quotes and semicolons kept inside one cell
    assert names["c4"] == HOSTILE["c4"]  # a newline kept inside one cell
    assert names["a1"] == "'" + HOSTILE["a1"]
    assert names["u1"] == "'@Pien"
    assert names["b2"] == "'-Gijs"
    organisation = header.index("Organisatie")
    assert {row[organisation] for row in rows if row[pid] == "a1"} == {"'+31 Stichting"}
    for row in rows:
        assert len(row) == len(header)
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_english_headers(tmp_path: Path, tiny_plan: Plan) -> None:
    data = read_yaml_data(TINY)
    data["language"] = "en"
    scenario = load_scenario(write_yaml_data(tmp_path / "en.yaml", data))
    header, *rows = _rows(csv_text(scenario, tiny_plan))
    assert header[:4] == ["Review id", "Review name", "Date", "Sessions"]
    assert "no partnership" in {row[header.index("Partnership")] for row in rows}


def test_cli_writes_the_file_atomically(tmp_path: Path) -> None:
    out = tmp_path / "plan.csv"
    out.write_text("old", encoding="utf-8")
    result = run_cli("export", "csv", TINY, TINY_PLAN, "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert [p.name for p in tmp_path.iterdir()] == ["plan.csv"]


def test_cli_hostile_scenario_with_force(tmp_path: Path) -> None:
    """The edited scenario has another sha256 than the plan records: --force exports it."""
    out = tmp_path / "hostile.csv"
    result = run_cli("export", "csv", _hostile_scenario(tmp_path), TINY_PLAN, "-o", out, "--force")
    assert result.exit_code == 0, result.output
    assert "'=HYPERLINK" in out.read_text(encoding="utf-8-sig")
