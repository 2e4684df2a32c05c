#!/usr/bin/env python3
"""The tables of docs/robustness.md, produced by running the cases for real.

Every broken scenario and plan of the test corpus (tests/data/bad/, with the expected
messages in its expected.yaml) and the hostile cases of issue 17 (files that are not
files, inputs too large to finish, options out of range, ...) are run through the
command line in a temporary folder; the tables show what each gets: the exit code and
the first line it prints. The number of tests per robustness test file comes from
`pytest --collect-only`.

Usage: python3 scripts/robustness_table.py            print the tables
       python3 scripts/robustness_table.py --write    put them into docs/robustness.md
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import yaml
from click.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from opr_planner.cli import main  # noqa: E402
from opr_planner.io.yamlio import dump_yaml  # noqa: E402
from opr_planner.scenario.generate import generate  # noqa: E402

DATA = REPO / "tests" / "data"
BAD = DATA / "bad"
DOC = REPO / "docs" / "robustness.md"
START, END = "<!-- robustness-tables:start -->", "<!-- robustness-tables:end -->"
WIDTH = 150  # characters of a shown message


def run(*args: object) -> tuple[int, str, float]:
    """(exit code, first line printed (errors first), seconds) of one command."""
    runner = CliRunner()
    started = time.perf_counter()
    result = runner.invoke(main, [str(a) for a in args], catch_exceptions=True)
    seconds = time.perf_counter() - started
    if result.exception and not isinstance(result.exception, SystemExit):
        return -1, f"crash: {type(result.exception).__name__}: {result.exception}", seconds
    stderr = result.stderr if hasattr(result, "stderr") else ""
    lines = [line for line in stderr.splitlines() if line.startswith(("error:", "Error:"))]
    lines += [line for line in (result.stdout or "").splitlines() if line.strip()]
    return result.exit_code, lines[0] if lines else "", seconds


def shown(text: str) -> str:
    text = text.replace("|", "\\|")
    return text if len(text) <= WIDTH else text[: WIDTH - 1] + "…"


@contextlib.contextmanager
def folder() -> Iterator[Path]:
    """A fresh folder with tiny.yaml and its plan, as the current directory."""
    with tempfile.TemporaryDirectory(prefix="opr-robustness-") as tmp:
        here = Path(tmp)
        shutil.copy(DATA / "tiny.yaml", here / "tiny.yaml")
        shutil.copy(DATA / "tiny.plan.yaml", here / "tiny.plan.yaml")
        shutil.copy(DATA / "minimal.yaml", here / "minimal.yaml")
        before = Path.cwd()
        os.chdir(here)
        try:
            yield here
        finally:
            os.chdir(before)


# -- the corpus ------------------------------------------------------------------------------


def corpus_rows() -> list[str]:
    expected = yaml.safe_load((BAD / "expected.yaml").read_text(encoding="utf-8"))
    rows = []
    with folder() as here:
        for name in expected:
            for extra in BAD.glob(Path(name).stem + ".*"):
                shutil.copy(extra, here / extra.name) if extra.is_file() else None
            if (BAD / name).is_dir():
                (here / name).mkdir(exist_ok=True)
            code, line, _ = run("validate", name)
            rows.append(f"| `{name}` | {_first_comment(BAD / name)} | {code} | `{shown(line)}` |")
    return rows


def plan_rows() -> list[str]:
    expected = yaml.safe_load((BAD / "plans" / "expected.yaml").read_text(encoding="utf-8"))
    rows = []
    with folder() as here:
        for name in expected:
            source = BAD / "plans" / name
            if source.is_file():
                shutil.copy(source, here / name)
            elif source.is_dir():
                (here / name).mkdir()
            code, line, _ = run("check", "tiny.yaml", name)
            rows.append(f"| `{name}` | {_first_comment(source)} | {code} | `{shown(line)}` |")
    return rows


def _first_comment(path: Path) -> str:
    if not path.is_file():
        return "missing" if not path.exists() else "a folder"
    first = path.read_bytes()[:300].decode("utf-8", "replace").splitlines()[:1]
    text = first[0] if first else ""
    return (
        text.removeprefix("# Broken on purpose:").strip() if text.startswith("#") else path.suffix[1:].upper()
    )


# -- the hostile cases of issue 17 -------------------------------------------------------------

Case = tuple[str, str, Callable[[Path], "list[object] | str"]]


def _plan_with(change: Callable[[dict], None], name: str = "p.yaml") -> Callable[[Path], Path]:
    def make(here: Path) -> Path:
        data = yaml.safe_load((here / "tiny.plan.yaml").read_text(encoding="utf-8"))
        change(data)
        path = here / name
        text = json.dumps(data) if name.endswith(".json") else yaml.safe_dump(data, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return make


def _scenario_with(change: Callable[[dict], None], name: str = "s.yaml") -> Callable[[Path], Path]:
    def make(here: Path) -> Path:
        data = yaml.safe_load((here / "minimal.yaml").read_text(encoding="utf-8"))
        change(data)
        path = here / name
        path.write_text(yaml.safe_dump(data, sort_keys=False, width=10**7), encoding="utf-8")
        return path

    return make


def _fifo(name: str) -> Callable[[Path], Path]:
    def make(here: Path) -> Path:
        os.mkfifo(here / name)
        return here / name

    return make


def _early(data: dict) -> None:
    data["reviews"][0]["date"] = "1900-01-02"
    del data["reviews"][0]["sessions"]


def _late(command: str) -> Callable[[Path], list[object]]:
    """A review on 2999-12-31 of a scenario with a session 3 days after the visit."""

    def args(here: Path) -> list[object]:
        data = yaml.safe_load((here / "tiny.yaml").read_text(encoding="utf-8"))
        data["rules"]["sessions"].append(
            {"name": "Nagesprek", "offset_days": 3, "start": "10:00", "end": "11:00"}
        )
        (here / "late.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

        def change(plan: dict) -> None:
            plan["reviews"][0]["date"] = "2999-12-31"
            del plan["reviews"][0]["sessions"]

        plan = _plan_with(change)(here).name
        if command == "check":
            return ["check", "late.yaml", plan]
        return ["export", command, "late.yaml", plan, "-o", f"late.{command}", "--force"]

    return args


def _sequence_of(value: str) -> Callable[[Path], list[object]]:
    def args(here: Path) -> list[object]:
        run("export", "ics", "tiny.yaml", "tiny.plan.yaml", "-o", "ics")
        calendar = here / "ics" / "all.ics"
        calendar.write_bytes(calendar.read_bytes().replace(b"SEQUENCE:0", f"SEQUENCE:{value}".encode(), 1))
        return ["export", "ics", "tiny.yaml", "tiny.plan.yaml", "--previous", "tiny.plan.yaml", "-o", "ics"]

    return args


def _device(here: Path) -> list[object]:
    os.mknod(here / "out.csv", stat.S_IFCHR | 0o666, os.makedev(1, 3))
    return ["export", "csv", "tiny.yaml", "tiny.plan.yaml", "-o", "out.csv"]


def _damaged_record(here: Path) -> tuple[int, str]:
    args = [
        "sweep",
        "tiny.yaml",
        "--vary",
        "rules.group_size.max=5",
        "--time-limit",
        "2",
        "--jobs",
        "1",
        "-o",
        "sw",
    ]
    run(*args)
    (record,) = (here / "sw").glob("*.result.json")
    record.write_text("[]", encoding="utf-8")
    result = CliRunner().invoke(main, args, catch_exceptions=True)
    if result.exception and not isinstance(result.exception, SystemExit):
        return -1, f"crash: {type(result.exception).__name__}: {result.exception}"
    solved = [line.strip() for line in result.stderr.splitlines() if "group_size.max=5:" in line]
    return result.exit_code, solved[0] if solved else result.stderr.strip()


def _participants_file(content: str, name: str = "people.csv") -> Callable[[Path], Path]:
    def make(here: Path) -> Path:
        (here / name).write_text(content, encoding="utf-8")

        def change(data: dict) -> None:
            data.pop("participants")
            data["participants_file"] = name

        return _scenario_with(change)(here)

    return make


def _outside(here: Path) -> Path:
    (here / "elsewhere").mkdir()
    (here / "elsewhere" / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (here / "scenario").mkdir()

    def change(data: dict) -> None:
        data.pop("participants")
        data["participants_file"] = "../elsewhere/passwd"

    return _scenario_with(change, "scenario/s.yaml")(here)


def _sequence(here: Path) -> list[object]:
    run("export", "ics", "tiny.yaml", "tiny.plan.yaml", "-o", "ics")
    calendar = here / "ics" / "all.ics"
    calendar.write_bytes(calendar.read_bytes().replace(b"SEQUENCE:0", b"SEQUENCE:abc", 1))
    return ["export", "ics", "tiny.yaml", "tiny.plan.yaml", "--previous", "tiny.plan.yaml", "-o", "ics"]


def _huge_group(here: Path) -> list[object]:
    data = generate(partnerships=80, regions=20, participants_per_partnership=26, unaffiliated=40, seed=1)
    (here / "national.yaml").write_text(dump_yaml(data), encoding="utf-8")
    review = data["reviews"][0]
    people = [p for p in data["participants"] if p.get("partnership") != review["subject"]][:2000]
    members = [{"participant": p["id"], "role": p["role"]} for p in people]
    plan = {
        "format": "opr-plan/1",
        "reviews": [{**{k: review[k] for k in ("id", "subject")}, "date": "2028-03-14", "members": members}],
    }
    (here / "huge.plan.yaml").write_text(dump_yaml(plan), encoding="utf-8")
    return ["explain", "national.yaml", "huge.plan.yaml"]


def _key(make: Callable[[Path], Path]) -> Callable[[Path], list[object]]:
    def args(here: Path) -> list[object]:
        os.environ.pop("OPR_PLANNER_PSEUDONYM_KEY", None)
        os.environ["OPR_PLANNER_PSEUDONYM_KEY_FILE"] = str(make(here))
        return ["export", "csv", "tiny.yaml", "tiny.plan.yaml", "--anonymise", "-o", "p.csv"]

    return args


def _empty_key(here: Path) -> Path:
    (here / "pseudonym.key").write_text("\n", encoding="utf-8")
    return here / "pseudonym.key"


def _world_writable(here: Path) -> list[object]:
    (here / "p.csv").write_text("old", encoding="utf-8")
    (here / "p.csv").chmod(0o666)
    return ["export", "csv", "tiny.yaml", "tiny.plan.yaml", "-o", "p.csv"]


def _symlink(here: Path) -> list[object]:
    (here / "secret.txt").write_text("keep", encoding="utf-8")
    (here / "p.csv").symlink_to(here / "secret.txt")
    return ["export", "csv", "tiny.yaml", "tiny.plan.yaml", "-o", "p.csv"]


def _big_list(items: int) -> Callable[[Path], list[object]]:
    def args(here: Path) -> list[object]:
        (here / "big.yaml").write_text("format: opr-scenario/1\nx:\n" + "- 1\n" * items, encoding="utf-8")
        return ["validate", "big.yaml"]

    return args


def _ids_windows_reserves(here: Path) -> list[object]:
    data = yaml.safe_load((here / "tiny.yaml").read_text(encoding="utf-8"))
    plan = yaml.safe_load((here / "tiny.plan.yaml").read_text(encoding="utf-8"))
    renames = {"c3": "nul.txt", "u1": "Prn.ics"}
    for p in data["participants"]:
        p["id"] = renames.get(p["id"], p["id"])
    for r in plan["reviews"]:
        for m in r["members"]:
            m["participant"] = renames.get(m["participant"], m["participant"])
    plan["scenario"].pop("sha256")
    (here / "w.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    (here / "w.plan.yaml").write_text(yaml.safe_dump(plan), encoding="utf-8")
    run("export", "ics", "w.yaml", "w.plan.yaml", "-o", "ics")
    names = sorted(
        p.name for p in (here / "ics").iterdir() if "nul" in p.name.lower() or "prn" in p.name.lower()
    )
    return f"calendars written as {', '.join(names)}"  # type: ignore[return-value]


def _sweep(here: Path) -> list[object]:
    values = [",".join(str(i) for i in range(1, n + 1)) for n in (34, 35, 100)]
    keys = ("rules.group_size.max", "rules.min_regions", "rules.min_partnerships")
    return [
        "sweep",
        "tiny.yaml",
        *[a for k, v in zip(keys, values) for a in ("--vary", f"{k}={v}")],
        "-o",
        "sw",
    ]


CASES: list[Case] = [
    (
        "files that are not files",
        "a FIFO as scenario (`validate`, once blocked forever)",
        lambda h: ["validate", _fifo("pipe.yaml")(h).name],
    ),
    (
        "files that are not files",
        "a FIFO as plan (`check`)",
        lambda h: ["check", "tiny.yaml", _fifo("pipe.plan.yaml")(h).name],
    ),
    ("files that are not files", "a FIFO as `participants_file`", lambda h: _fifo_participants(h)),
    ("files that are not files", "`/dev/zero` as scenario", lambda h: ["validate", "/dev/zero"]),
    ("files that are not files", "pseudonym key file: a FIFO (once blocked)", _key(_fifo("key"))),
    (
        "files that are not files",
        "pseudonym key file: `/dev/zero` (once read 2.7 GB)",
        _key(lambda h: Path("/dev/zero")),
    ),
    (
        "files that are not files",
        "pseudonym key file: empty (once a new random key every run)",
        _key(_empty_key),
    ),
    (
        "outputs",
        "`export csv -o` a FIFO (once replaced by a file)",
        lambda h: ["export", "csv", "tiny.yaml", "tiny.plan.yaml", "-o", _fifo("out.csv")(h).name],
    ),
    ("outputs", "`export csv -o` a symbolic link", _symlink),
    *(
        [("outputs", "`export csv -o` a device node (like `/dev/null`, mode 666; as root)", _device)]
        if hasattr(os, "geteuid") and os.geteuid() == 0
        else []
    ),
    ("outputs", "`export csv -o` a world-writable file (mode after: see the next line)", _world_writable),
    (
        "too large to finish",
        "a plain YAML list of 1,000,000 items, 2 MB (once 59 s, 1.1 GB)",
        _big_list(1_000_000),
    ),
    (
        "too large to finish",
        "the same with 3,000,000 items, 6 MB (once 154 s, 2.1 GB, 'alias bomb')",
        _big_list(3_000_000),
    ),
    ("too large to finish", "`explain` of a plan with 2,000 members in one review (once 99 s)", _huge_group),
    ("too large to finish", "`sweep` of 34 x 35 x 100 = 119,000 combinations", _sweep),
    (
        "too large to finish",
        "`generate --partnerships 999 --participants-per-partnership 10000`",
        lambda h: [
            "generate",
            "--partnerships",
            "999",
            "--participants-per-partnership",
            "10000",
            "-o",
            "g.yaml",
        ],
    ),
    (
        "plans",
        "a review date whose sessions fall in 1899: `check`",
        lambda h: ["check", "tiny.yaml", _plan_with(_early)(h).name],
    ),
    (
        "plans",
        "the same: `export csv`",
        lambda h: ["export", "csv", "tiny.yaml", _plan_with(_early)(h).name, "-o", "e.csv"],
    ),
    (
        "plans",
        'a lone surrogate in a JSON plan (`"p\\ud800"`)',
        lambda h: [
            "check",
            "tiny.yaml",
            _plan_with(lambda d: d["reviews"][0]["members"][0].update(participant="p\ud800"), "p.json")(
                h
            ).name,
        ],
    ),
    (
        "plans",
        'a JSON plan with a second `"members"`',
        lambda h: ["check", "tiny.yaml", BAD / "plans" / "duplicate-key.plan.json"],
    ),
    ("plans", "a review on 2999-12-31 whose last session falls in 3000: `check`", _late("check")),
    ("plans", "the same: `export html`", _late("html")),
    ("plans", "the same: `export ics`", _late("ics")),
    (
        "plans",
        "a lone surrogate in a session `location` of a JSON plan: `export html`",
        lambda h: [
            "export",
            "html",
            "tiny.yaml",
            _plan_with(lambda d: d["reviews"][0]["sessions"][0].update(location="Zaal \udc00"), "p.json")(
                h
            ).name,
            "-o",
            "p.html",
        ],
    ),
    ("plans", "`SEQUENCE:abc` in a calendar of the output folder (`export ics --previous`)", _sequence),
    ("plans", "`SEQUENCE:1.5` (the same)", _sequence_of("1.5")),
    ("plans", "`SEQUENCE:2147483647` (the same)", _sequence_of("2147483647")),
    ("records", "a damaged sweep record (`[]`; once an AttributeError): `sweep` again", _damaged_record),
    ("options", "`solve --seed 2147483648`", lambda h: ["solve", "tiny.yaml", "--seed", "2147483648"]),
    ("options", "`solve --time-limit nan`", lambda h: ["solve", "tiny.yaml", "--time-limit", "nan"]),
    ("options", "`solve --gap nan`", lambda h: ["solve", "tiny.yaml", "--gap", "nan"]),
    (
        "options",
        "`repair --seed 2147483648`",
        lambda h: ["repair", "tiny.yaml", "tiny.plan.yaml", "--seed", "2147483648"],
    ),
    (
        "options",
        "`alternatives --time-limit nan`",
        lambda h: ["alternatives", "tiny.yaml", "--time-limit", "nan", "-o", "alts"],
    ),
    (
        "spreadsheets",
        "a CSV header naming `name` twice",
        lambda h: [
            "validate",
            _participants_file("id,name,role,region,name\nc9,Kim C,student,r-a,X\n")(h).name,
        ],
    ),
    (
        "spreadsheets",
        "a CSV with only a header (like `participants: []`)",
        lambda h: ["validate", _participants_file("id,name,role,region\n")(h).name],
    ),
    (
        "messages",
        "a 300-character `timezone`",
        lambda h: ["validate", _scenario_with(lambda d: d.update(timezone="x" * 300))(h).name],
    ),
    (
        "messages",
        "a participant id of 1,000,000 characters",
        lambda h: [
            "validate",
            _scenario_with(lambda d: d["participants"][0].update(id="q" * 1_000_000))(h).name,
        ],
    ),
    (
        "messages",
        "`participants_file: ../elsewhere/passwd` (its first line was echoed)",
        lambda h: ["validate", str(_outside(h).relative_to(h))],
    ),
    ("messages", "participant ids `nul.txt` and `Prn.ics` (calendar file names)", _ids_windows_reserves),
]


def _fifo_participants(here: Path) -> list[object]:
    _fifo("people.csv")(here)

    def change(data: dict) -> None:
        data.pop("participants")
        data["participants_file"] = "people.csv"

    return ["validate", _scenario_with(change)(here).name]


def hostile_rows() -> list[str]:
    rows = []
    for category, what, make in CASES:
        with folder() as here:
            saved = dict(os.environ)
            try:
                args = make(here)
                if isinstance(args, str):  # the case ran its own commands: what it found
                    rows.append(f"| {category} | {what} | 0 | `{args}` |")
                    continue
                if isinstance(args, tuple):  # the same, with the exit code of the last
                    rows.append(f"| {category} | {what} | {args[0]} | `{shown(args[1])}` |")
                    continue
                code, line, seconds = run(*args)
            finally:
                os.environ.clear()
                os.environ.update(saved)
            line = line.replace(str(here) + "/", "").replace(str(REPO) + "/", "")
            if "world-writable" in what:
                mode = stat.S_IMODE((here / "p.csv").stat().st_mode)
                line = f"{line} (mode now {mode:o})"
            rows.append(f"| {category} | {what} | {code} | `{shown(line)}` ({seconds:.1f} s) |")
    return rows


# -- how many tests ------------------------------------------------------------------------------


def test_counts() -> list[str]:
    files = sorted(
        [
            *REPO.glob("tests/test_robustness_*.py"),
            REPO / "tests" / "test_fuzz.py",
            REPO / "tests" / "test_scenario_errors.py",
        ]
    )
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *map(str, files)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    counts: dict[str, int] = {}
    for line in done.stdout.splitlines():
        match = re.match(r"(tests/[\w.]+\.py)::", line)
        if match:
            counts[match.group(1)] = counts.get(match.group(1), 0) + 1
    return [f"| `{name}` | {n} |" for name, n in sorted(counts.items())] + [
        f"| **all** | **{sum(counts.values())}** |"
    ]


def tables() -> str:
    hostile = hostile_rows()
    scenarios, plans = corpus_rows(), plan_rows()
    return "\n".join(
        [
            START,
            "",
            f"Produced by `python3 scripts/robustness_table.py --write`: every case below was run for this page "
            f"({len(hostile) + len(scenarios) + len(plans)} cases; the columns are the exit code and the first "
            "line printed; the seconds are wall time on a 2-core machine with a load average of "
            f"{os.getloadavg()[0]:.1f} while it ran).",
            "",
            "#### The hostile inputs of issue 17",
            "",
            "| category | what was tried | exit | what it gets |",
            "| --- | --- | --- | --- |",
            *hostile,
            "",
            f"#### Broken scenarios and participant files (tests/data/bad/, {len(scenarios)} cases, `validate`)",
            "",
            "| file | what is wrong | exit | what it gets |",
            "| --- | --- | --- | --- |",
            *scenarios,
            "",
            f"#### Broken plans (tests/data/bad/plans/, {len(plans)} cases, `check tiny.yaml PLAN`)",
            "",
            "| file | what is wrong | exit | what it gets |",
            "| --- | --- | --- | --- |",
            *plans,
            "",
            "#### Tests per file (`pytest --collect-only`; parametrised cases counted one by one)",
            "",
            "| test file | tests |",
            "| --- | --- |",
            *test_counts(),
            "",
            END,
        ]
    )


def main_() -> None:
    text = tables()
    if "--write" in sys.argv[1:]:
        doc = DOC.read_text(encoding="utf-8")
        start, end = doc.index(START), doc.index(END) + len(END)
        DOC.write_text(doc[:start] + text + doc[end:], encoding="utf-8")
        print(f"wrote the tables into {DOC.relative_to(REPO)}")
    else:
        print(text)


if __name__ == "__main__":
    main_()
