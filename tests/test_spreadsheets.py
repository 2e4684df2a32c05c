"""Participants from spreadsheets (SPEC 2.2): CSV and Excel workbooks, Dutch headers, role
names and dates, messages that point at sheet, row and column, and round trips: every
spreadsheet opr-planner writes reads back as a participants file."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
import python_calamine
import xlsxwriter
from helpers import DATA, TINY, TINY_PLAN, read_yaml_data, run_cli, write_yaml_data

from opr_planner.errors import ScenarioError
from opr_planner.export.csv import csv_text
from opr_planner.export.participants import participants_csv_text
from opr_planner.export.xlsx import participants_workbook, plan_workbook
from opr_planner.plan import read_plan
from opr_planner.scenario import Scenario, load_scenario
from opr_planner.scenario.load import with_participants_from

BUNDLED = DATA.parent.parent / "scenarios" / "midden-nederland.yaml"


def _with_file(tmp_path: Path, base: Path, name: str, content: bytes, **changes: Any) -> Path:
    """A copy of scenario `base` whose participants come from `name` (written with `content`)."""
    data = read_yaml_data(base)
    data.pop("participants", None)
    data["participants_file"] = name
    data.update(changes)
    (tmp_path / name).write_bytes(content)
    return write_yaml_data(tmp_path / "scenario.yaml", data)


def _same_participants(a: Scenario, b: Scenario) -> None:
    assert [p.model_dump() for p in a.participants] == [p.model_dump() for p in b.participants]


def _workbook(rows: list[list[Any]], sheet: str = "deelnemers", first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    if first:
        book.add_worksheet(first).write_string(0, 0, "notes, not participants")
    ws = book.add_worksheet(sheet)
    date = book.add_format({"num_format": "dd-mm-yyyy"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date)
            elif isinstance(value, int | float):
                ws.write_number(r, c, value)
            elif value is not None:
                ws.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


# -- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("base", [TINY, BUNDLED], ids=["tiny", "bundled"])
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_participants_export_reads_back_as_the_same_scenario(tmp_path: Path, base: Path, kind: str) -> None:
    original = load_scenario(base)
    content = (
        participants_csv_text(original).encode("utf-8") if kind == "csv" else participants_workbook(original)
    )
    again = load_scenario(_with_file(tmp_path, base, f"deelnemers.{kind}", content))
    _same_participants(original, again)
    assert again.model_dump(exclude={"participants_file"}) == original.model_dump(
        exclude={"participants_file"}
    )


def test_plan_workbook_reads_back_as_the_same_scenario(tmp_path: Path) -> None:
    """The workbook's `Deelnemers` sheet is the participant list: reading the workbook as a
    participants file gives the scenario back, availability and all."""
    tiny = load_scenario(TINY)
    tiny_plan, _ = read_plan(TINY_PLAN)
    again = load_scenario(_with_file(tmp_path, TINY, "plan.xlsx", plan_workbook(tiny, tiny_plan)))
    _same_participants(tiny, again)
    assert again.model_dump(exclude={"participants_file"}) == tiny.model_dump(exclude={"participants_file"})


def test_plan_csv_reads_back_with_the_fields_it_carries(tmp_path: Path) -> None:
    """The plan spreadsheet lists members once per review, with Dutch headers, role and
    partnership names: read back, it gives the plan's members with the same id, name,
    role, partnership, region, organisation and e-mail (no availability: it has none)."""
    tiny = load_scenario(TINY)
    plan, _ = read_plan(TINY_PLAN)
    text = csv_text(tiny, plan)
    assert "instituutsopleider" in text and "Partnerschap C" in text and "geen partnerschap" in text
    again = load_scenario(_with_file(tmp_path, TINY, "plan.csv", text.encode("utf-8")))
    members = sorted({m.participant for r in plan.reviews for m in r.members})
    assert [p.id for p in again.participants] == sorted(members, key=[p.id for p in again.participants].index)
    assert {p.id for p in again.participants} == set(members)
    carried = ("id", "name", "role", "partnership", "region", "organisation", "email")
    for p in again.participants:
        want = tiny.participant[p.id]
        assert {k: getattr(p, k) for k in carried} == {k: getattr(want, k) for k in carried}


def test_english_exports_read_back_too(tmp_path: Path) -> None:
    data = read_yaml_data(TINY)
    data["language"] = "en"
    base = write_yaml_data(tmp_path / "en.yaml", data)
    original = load_scenario(base)
    again = load_scenario(
        _with_file(tmp_path, base, "p.csv", participants_csv_text(original).encode("utf-8"), language="en")
    )
    _same_participants(original, again)


# -- Dutch spreadsheets ----------------------------------------------------------------------


DUTCH_CSV = """\
Deelnemer;Naam;Rol;Partnerschap;Regio;Organisatie;Functies;Niet beschikbaar;Weekdagen;Max. reviews
a1;Anna A;Student;Partnerschap A;Regio A;Stichting A1;;;;
a2;Bram A;schoolopleider;pa;r-a;Stichting A1;;1-4-2028 t/m 30-4-2028;;
a3;Cees A;Instituutsopleider;pa;r-b;Pabo A;voorzitter;;;
a4;Daan A;bestuurder;pa;r-b;Stichting A2;Voorzitter;;;1
a5;Eva A;schoolopleider;pa;r-b;Stichting A2;;;dinsdag|do;
b1;Fleur B;student;pb;r-b;Stichting B1;;;;
b2;Gijs B;werkplekbegeleider;pb;r-c;Stichting B1;;;;
b3;Hanna B;instituutsopleider;pb;r-c;Pabo B;voorzitter;;;
b4;Ilse B;bestuurder;pb;r-b;Stichting B2;;;;
b5;Joost B;zij-instromer;pb;r-c;Stichting B2;;16-05-2028|18-5-2028;;
c1;Kim C;student;pc;r-d;Stichting C1;;;;
c2;Lars C;schoolopleider;pc;r-c;Stichting C1;;;;
c3;Maud C;instituutsopleider;pc;r-d;Pabo C;voorzitter|secretaris;;;
c4;Noor C;programmaleider;pc;r-d;Stichting C2;;;;
c5;Otto C;schoolopleider;pc;r-c;Stichting C2;;;;
u1;Pien U;bestuurder;geen partnerschap;r-a;Stichting Los;;;;
u2;Quinten U;schoolopleider;;r-d;Stichting Los;;;;
u3;Roos U;student;;r-c;;;;;
"""


def test_dutch_headers_role_names_and_dates(tmp_path: Path) -> None:
    s = load_scenario(_with_file(tmp_path, TINY, "deelnemers.csv", DUTCH_CSV.encode("utf-8")))
    tiny = load_scenario(TINY)
    p = s.participant
    assert p["a1"].partnership == "pa" and p["a1"].region == "r-a"  # names stand for ids
    assert p["a3"].role == "institute_educator" and p["a3"].functions == ["chair"]
    assert p["b2"].role == "school_educator" and p["b5"].role == "student"
    assert p["a2"].unavailable_days == tiny.participant["a2"].unavailable_days  # 1-4-2028 t/m 30-4-2028
    assert p["b5"].unavailable == [dt.date(2028, 5, 16), dt.date(2028, 5, 18)]
    assert p["a5"].weekdays == ["tue", "thu"]
    assert p["a4"].max_reviews == 1
    assert p["u1"].partnership is None and p["u2"].partnership is None


def test_a_workbook_with_excel_dates_and_a_notes_sheet(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["Overzicht deelnemers OPR 2028"],  # a title row above the header is fine
        [],
        ["ID", "Naam", "Rol", "Partnerschap", "Onderwijsregio", "Niet beschikbaar", "# opmerking"],
        [101, "Anna A", "student", "pa", "r-a", dt.date(2028, 3, 1), "belt na 16:00"],
        ["a2", "Bram A", "schoolopleider", "pa", "r-a", "02-03-2028|2028-03-05..09-03-2028", None],
    ]
    data = read_yaml_data(TINY)
    data["participants"] = [p for p in data["participants"] if p["id"] not in ("a1", "a2")]
    data["participants_file"] = "deelnemers.xlsx"
    (tmp_path / "deelnemers.xlsx").write_bytes(_workbook(rows, first="Notities"))
    s = load_scenario(write_yaml_data(tmp_path / "s.yaml", data))
    assert s.participant["101"].unavailable == [dt.date(2028, 3, 1)]  # a date cell; 101.0 is id 101
    a2 = s.participant["a2"].unavailable
    assert a2[0] == dt.date(2028, 3, 2)
    assert (a2[1].from_, a2[1].to) == (dt.date(2028, 3, 5), dt.date(2028, 3, 9))


def test_a_workbook_error_points_at_sheet_row_and_column(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["id", "naam", "rol", "partnerschap", "regio"],
        ["x1", "Xander", "student", "pa", "r-a"],
        ["x2", "Yara", "studnet", "pa", "r-a"],
    ]
    path = _with_file(tmp_path, TINY, "deelnemers.xlsx", _workbook(rows))
    result = run_cli("validate", path)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    (line,) = [e for e in result.stderr.splitlines() if "studnet" in e]
    assert line.startswith(
        f"error: {tmp_path / 'deelnemers.xlsx'}, sheet 'deelnemers', row 3, column C (rol): "
    )
    assert "'studnet' is not a role; did you mean 'student'?" in line


def test_a_column_of_dates_in_another_form_is_one_message(tmp_path: Path) -> None:
    lines = ["id;naam;rol;partnerschap;regio;niet beschikbaar"]
    for i in range(40):
        lines.append(f"q{i};Q {i};student;pa;r-a;01/{10 + i % 18}/2028")
    path = _with_file(tmp_path, TINY, "p.csv", "\n".join(lines).encode("utf-8"))
    result = run_cli("validate", path)
    assert result.exit_code == 2
    errors = [e for e in result.stderr.splitlines() if e.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert (
        "40 dates are written in a form that is not read, e.g. '01/10/2028' (rows 2, 3, 4, 5, 6, …)"
        in errors[0]
    )
    assert "dd-mm-jjjj" in errors[0] and "column 'niet beschikbaar'" in errors[0]


@pytest.mark.parametrize("name", ["p.csv", "p.xlsx"])
def test_a_single_odd_date_in_a_spreadsheet_gets_the_spreadsheet_hint(tmp_path: Path, name: str) -> None:
    """One unreadable date is reported at its cell by the validator, with the forms a
    spreadsheet may use (dd-mm-jjjj too), not the scenario file's YYYY-MM-DD only."""
    rows: list[list[Any]] = [["id", "naam", "rol", "partnerschap", "regio", "niet beschikbaar"]]
    rows += [
        ["q1", "Q 1", "student", "pa", "r-a", "15-01-2028"],
        ["q2", "Q 2", "student", "pa", "r-a", "31/12/2028"],
    ]
    if name.endswith(".csv"):
        content = "\n".join(";".join(map(str, r)) for r in rows).encode("utf-8")
    else:
        content = _workbook(rows)
    result = run_cli("validate", _with_file(tmp_path, TINY, name, content))
    assert result.exit_code == 2
    (line,) = [e for e in result.stderr.splitlines() if e.startswith("error:")]
    assert "'31/12/2028' is not a date; write dates as dd-mm-jjjj (15-01-2028) or jjjj-mm-dd" in line
    assert name in line and "YYYY-MM-DD" not in line
    with pytest.raises(ScenarioError) as raised:  # an upload in the workbench: the same words
        with_participants_from(load_scenario(TINY), content, name)
    assert any("write dates as dd-mm-jjjj" in str(p) for p in raised.value.problems)


def test_an_odd_date_in_the_scenario_file_keeps_the_yaml_hint(tmp_path: Path) -> None:
    data = read_yaml_data(TINY)
    data["participants"][0]["unavailable"] = ["31/12/2028"]
    result = run_cli("validate", write_yaml_data(tmp_path / "s.yaml", data))
    assert result.exit_code == 2
    assert "'31/12/2028' is not a date; write it as YYYY-MM-DD" in result.stderr


def test_the_spreadsheet_date_messages_read_wholly_in_dutch() -> None:
    from opr_planner.errors import Problem
    from opr_planner.export.i18n.problems import problem_text
    from opr_planner.scenario.spreadsheet import SHEET_DATE_HINT

    cases = [
        Problem("p.csv", 3, "x", "'31/12/2028' is not a date", SHEET_DATE_HINT),
        Problem(
            "p.csv",
            1,
            "x",
            "3 dates are plain numbers, e.g. 46800 (rows 2, 3, 4)",
            "format these cells as dates in Excel; or " + SHEET_DATE_HINT,
        ),
        Problem(
            "p.csv",
            1,
            "x",
            "40 dates are written in a form that is not read, e.g. '01/10/2028' (rows 2, 3)",
            SHEET_DATE_HINT,
        ),
    ]
    for p in cases:
        text = problem_text(p, "nl")
        assert not any(w in text.split() for w in ("dates", "write", "or", "range", "rows", "format")), text
        assert "dd-mm-jjjj" in text


def test_excel_numbers_in_a_date_column_say_to_format_them_as_dates(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["id", "naam", "rol", "partnerschap", "regio", "onbeschikbaar"]]
    rows += [[f"z{i}", f"Z {i}", "student", "pa", "r-a", 46800 + i] for i in range(3)]
    result = run_cli("validate", _with_file(tmp_path, TINY, "p.xlsx", _workbook(rows)))
    assert result.exit_code == 2
    (line,) = [e for e in result.stderr.splitlines() if e.startswith("error:")]
    assert "3 dates are plain numbers" in line and "format these cells as dates" in line
    assert "sheet 'deelnemers', row 1, column F (onbeschikbaar)" in line


def test_unknown_columns_are_named_with_the_rest_of_the_problems(tmp_path: Path) -> None:
    text = "id;naam;rol;partnershap;regio\nq1;Q;studnet;pa;r-a\n"
    result = run_cli("validate", _with_file(tmp_path, TINY, "p.csv", text.encode("utf-8")))
    assert result.exit_code == 2
    assert "column 'partnershap': is not a participant key; did you mean 'partnership'?" in result.stderr
    assert "'studnet' is not a role" in result.stderr  # reported in the same run


# -- two partnerships ------------------------------------------------------------------------


def test_two_partnerships_in_yaml_say_how_to_write_it(tmp_path: Path) -> None:
    data = read_yaml_data(TINY)
    data["participants"][2]["partnership"] = ["pa", "pc"]
    result = run_cli("validate", write_yaml_data(tmp_path / "s.yaml", data))
    assert result.exit_code == 2
    (line,) = [e for e in result.stderr.splitlines() if e.startswith("error:")]
    assert (
        "participants[2] (a3).partnership: lists 2 partnerships (pa, pc), but a participant has one" in line
    )
    assert "as partnership (pa) and the other(s) under conflicts (pc)" in line
    assert "did you mean" not in line


def test_two_partnerships_in_a_spreadsheet_cell(tmp_path: Path) -> None:
    text = "id;naam;rol;partnerschap;regio\nq1;Q;student;Partnerschap A | pb;r-a\n"
    result = run_cli("validate", _with_file(tmp_path, TINY, "p.csv", text.encode("utf-8")))
    assert result.exit_code == 2
    (line,) = [e for e in result.stderr.splitlines() if e.startswith("error:")]
    assert line.startswith(f"error: {tmp_path / 'p.csv'}:2: participants[0] (q1).partnership: lists 2")
    assert "under conflicts (pb)" in line and "did you mean" not in line


# -- the exports themselves -----------------------------------------------------------------------


def test_plan_workbook_sheets_and_cells(tiny: Scenario, tiny_plan: Any) -> None:
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(plan_workbook(tiny, tiny_plan)))
    assert book.sheet_names == ["Overzicht", "opr-pa", "opr-pb", "opr-pc", "Per deelnemer", "Deelnemers"]
    overview = book.get_sheet_by_name("Overzicht").to_python(skip_empty_area=False)
    assert overview[2][:4] == ["Review-id", "Reviewnaam", "Partnerschap onder review", "Datum"]
    assert overview[3][0] == "opr-pa" and overview[3][3] == dt.date(2028, 6, 29)  # a real date cell
    agenda = book.get_sheet_by_name("Per deelnemer").to_python(skip_empty_area=False)
    sessions = sum(len(tiny.sessions_of(tiny.review[r.id])) * len(r.members) for r in tiny_plan.reviews)
    assert len(agenda) == 1 + sessions
    review = book.get_sheet_by_name("opr-pa").to_python(skip_empty_area=False)
    assert review[0][0] == "Partnerschap A"
    assert any("Maud C" in row and "voorzitter" in row for row in review)


def test_a_formula_in_a_name_is_text_in_the_workbook(tmp_path: Path) -> None:
    data = read_yaml_data(TINY)
    data["participants"][0]["name"] = '=HYPERLINK("http://evil.example","klik")'
    s = load_scenario(write_yaml_data(tmp_path / "s.yaml", data))
    plan, _ = read_plan(TINY_PLAN)
    raw = plan_workbook(s, plan)
    import zipfile

    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in x for x in sheets)  # no formula anywhere
    again = load_scenario(_with_file(tmp_path, TINY, "p.xlsx", raw))
    assert again.participant["a1"].name == data["participants"][0]["name"]


def test_cli_export_xlsx_and_participants(tmp_path: Path) -> None:
    book = tmp_path / "plan.xlsx"
    result = run_cli("export", "xlsx", TINY, TINY_PLAN, "-o", book)
    assert result.exit_code == 0, result.output
    assert book.read_bytes().startswith(b"PK")
    listing = tmp_path / "deelnemers.csv"
    result = run_cli("export", "participants", TINY, "-o", listing)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(listing.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0][:4] == ["Deelnemer", "Naam", "E-mail", "Rol"] and len(rows) == 19


def test_upload_api_for_the_workbench(tiny: Scenario) -> None:
    csv_bytes = participants_csv_text(tiny).encode("utf-8")
    s = with_participants_from(tiny, csv_bytes, "upload.csv")
    _same_participants(tiny, s)
    s = with_participants_from(tiny, participants_workbook(tiny), "upload.xlsx")
    _same_participants(tiny, s)
    bad = DUTCH_CSV.replace("a3;Cees A;Instituutsopleider", "a3;Cees A;instituutsopleidster")
    with pytest.raises(ScenarioError) as info:
        with_participants_from(tiny, bad.encode("utf-8"), "upload.csv")
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.path) == ("upload.csv", 4, "participants[2] (a3).role")


def test_init_xlsx_writes_a_starter_workbook_that_validates(tmp_path: Path) -> None:
    result = run_cli("init", tmp_path / "regio", "--xlsx")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "regio" / "scenario.yaml").read_text(encoding="utf-8")
    assert "participants_file: participants.xlsx" in text and "participants.csv" not in text
    book = python_calamine.CalamineWorkbook.from_path(str(tmp_path / "regio" / "participants.xlsx"))
    assert book.sheet_names == ["Deelnemers", "Toelichting"]
    s = load_scenario(tmp_path / "regio" / "scenario.yaml")
    assert len(s.participants) > 50
    assert run_cli("validate", tmp_path / "regio" / "scenario.yaml").exit_code == 0


# -- many rows, one message -------------------------------------------------------------------


def test_the_same_problem_in_many_rows_is_one_message(tmp_path: Path) -> None:
    lines = ["id;naam;rol;partnerschap;regio"] + [f"q{i};Q {i};studnet;pa;r-a" for i in range(73)]
    result = run_cli("validate", _with_file(tmp_path, TINY, "p.csv", "\n".join(lines).encode("utf-8")))
    assert result.exit_code == 2
    errors = [e for e in result.stderr.splitlines() if e.startswith("error:")]
    assert errors == [
        f"error: {tmp_path / 'p.csv'}:2: participants[0] (q0).role: 'studnet' is not a role; "
        "did you mean 'student'?; and 72 more like it (lines 3, 4, 5, 6, 7, …)"
    ]


def test_a_few_problems_keep_their_own_messages(tmp_path: Path) -> None:
    lines = ["id;naam;rol;partnerschap;regio"] + [f"q{i};Q {i};studnet;pa;r-a" for i in range(3)]
    result = run_cli("validate", _with_file(tmp_path, TINY, "p.csv", "\n".join(lines).encode("utf-8")))
    errors = [e for e in result.stderr.splitlines() if e.startswith("error:")]
    assert [e.split(": ")[2] for e in errors] == [f"participants[{i}] (q{i}).role" for i in range(3)]


def test_many_problems_in_a_workbook_name_the_rows(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["id", "naam", "rol", "partnerschap", "regio"]]
    rows += [[f"q{i}", f"Q {i}", "student", "px", "r-a"] for i in range(10)]
    result = run_cli("validate", _with_file(tmp_path, TINY, "p.xlsx", _workbook(rows)))
    (line,) = [e for e in result.stderr.splitlines() if e.startswith("error:")]
    assert "sheet 'deelnemers', row 2, column D (partnerschap)" in line
    assert "and 9 more like it (rows 3, 4, 5, 6, 7, …)" in line


# -- regions, partnerships and reviews from the workbook ------------------------------------------


def _whole_workbook(tmp_path: Path, review_rows: list[list[Any]]) -> Path:
    """tiny.yaml with its regions, partnerships, reviews and participants in one workbook."""
    tiny = load_scenario(TINY)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    date = book.add_format({"num_format": "dd-mm-yyyy"})

    def sheet(name: str, rows: list[list[Any]]) -> None:
        ws = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    ws.write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date)
                elif value is not None:
                    ws.write_string(r, c, str(value))

    header, *people = list(csv.reader(io.StringIO(participants_csv_text(tiny)[1:]), delimiter=";"))
    sheet("Deelnemers", [header, *people])
    sheet("Regio's", [["Onderwijsregio", "Naam"], *[[r.id, r.name] for r in tiny.regions]])
    sheet(
        "Partnerschappen",
        [["Partnerschap", "Naam", "Regio's", "Vakantieregio"]]
        + [
            [p.id, p.name, "|".join(tiny.region[x].name for x in p.regions), p.holiday_region]
            for p in tiny.partnerships
        ],
    )
    sheet("Reviews", review_rows)
    book.close()
    (tmp_path / "regio.xlsx").write_bytes(buffer.getvalue())
    data = read_yaml_data(TINY)
    for key in ("regions", "partnerships", "reviews", "participants"):
        del data[key]
    data["participants_file"] = "regio.xlsx"
    return write_yaml_data(tmp_path / "scenario.yaml", data)


REVIEWS: list[list[Any]] = [
    ["Overzicht reviews 2028"],
    ["Review", "Partnerschap onder review", "Vroegst", "Uiterlijk", "Locatie"],
    ["opr-pa", "Partnerschap A", "01-02-2028", dt.date(2028, 6, 30), "Pabo A"],
    ["opr-pb", "pb", "2028-03-01", "30-09-2028", "Pabo B"],
    ["opr-pc", "Partnerschap C", dt.date(2028, 4, 1), "30-11-2028", "Pabo C"],
]


def test_regions_partnerships_and_reviews_from_the_workbook(tmp_path: Path) -> None:
    s = load_scenario(_whole_workbook(tmp_path, REVIEWS))
    tiny = load_scenario(TINY)
    rest = {"participants_file"}
    assert s.model_dump(exclude=rest) == tiny.model_dump(exclude=rest)


def test_an_error_in_the_reviews_sheet_points_at_its_cell(tmp_path: Path) -> None:
    rows = [list(r) for r in REVIEWS]
    rows[3][3] = "31-02-2028"
    result = run_cli("validate", _whole_workbook(tmp_path, rows))
    assert result.exit_code == 2
    (line,) = [e for e in result.stderr.splitlines() if e.startswith("error:")]
    assert "regio.xlsx, sheet 'Reviews', row 4, column D (Uiterlijk): reviews[1] (opr-pb).latest:" in line
    assert "'31-02-2028' is not a date" in line
