#!/usr/bin/env python3
"""The worked example of docs/changes.md, run for real: publish, a drop-out, an illness two
weeks before a visit, a renamed scenario, a confirmed date that must give way. Prints every
command and its output, as the page shows them.

Usage: python3 scripts/changes_example.py [FOLDER]   (default: a temporary folder)

It copies scenarios/midden-nederland.yaml into FOLDER, edits it as a coordinator would
(one line per change) and runs opr-planner there with one worker, so the plans are the
same on every machine; SOURCE_DATE_EPOCH fixes the calendars' DTSTAMP.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
SCENARIO = REPO / "scenarios" / "midden-nederland.yaml"
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1814400000", "COLUMNS": "110"}


def run(folder: Path, command: str, *, show: bool = True) -> str:
    """Run an opr-planner command in `folder`, print it and its output, return the output."""
    done = subprocess.run(
        shlex.split(command), cwd=folder, env=ENV, capture_output=True, text=True, check=False
    )
    text = done.stderr + done.stdout
    if show:
        print(f"$ {command}")
        print(text.rstrip("\n"))
        if done.returncode:
            print(f"(exit code {done.returncode})")
        print()
    if done.returncode not in (0, 1, 3):
        sys.exit(f"{command} failed with exit code {done.returncode}")
    return text


def show(folder: Path, name: str) -> None:
    print(f"$ cat {name}")
    print((folder / name).read_text(encoding="utf-8").rstrip("\n"))
    print()


def add_unavailable(path: Path, pid: str, item: str) -> str:
    """Add `item` (a date or a {from, to} range) to the `unavailable` list of participant
    `pid`, on their one line in the scenario file; return the edited line."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.lstrip().startswith(f"- {{id: {pid},"):
            if "unavailable: [" in line:
                edited = line.replace("unavailable: [", f"unavailable: [{item}, ", 1)
            else:
                head, _, _ = line.rstrip().rpartition("}")
                edited = f"{head}, unavailable: [{item}]}}\n"
            lines[i] = edited
            path.write_text("".join(lines), encoding="utf-8")
            return edited.strip()
    raise SystemExit(f"participant {pid} not found in {path}")


def confirm_all(path: Path) -> None:
    """Mark every review of a plan confirmed (what the coordinator does once it is sent)."""
    text = path.read_text(encoding="utf-8")
    text = text.replace("\n  date: ", "\n  confirmed: true\n  date: ")
    path.write_text(text, encoding="utf-8")
    assert all(r.get("confirmed") for r in yaml.safe_load(text)["reviews"])


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="opr-changes-"))
    folder.mkdir(parents=True, exist_ok=True)
    scenario = folder / "midden-nederland.yaml"
    shutil.copyfile(SCENARIO, scenario)

    print("## 1. Publish\n")
    run(folder, "opr-planner solve midden-nederland.yaml -o plan.yaml --workers 1 -q")
    confirm_all(folder / "plan.yaml")
    run(folder, "opr-planner export ics midden-nederland.yaml plan.yaml -o agenda")

    print("## 2. A drop-out: the chair of opr-po-rijn-vallei stops\n")
    line = add_unavailable(scenario, "p402", "{from: 2027-10-01, to: 2029-12-31}")
    print(f"edited line: {line}\n")
    run(folder, "opr-planner repair midden-nederland.yaml plan.yaml -o plan-2.yaml --workers 1 -q")
    run(folder, "opr-planner export ics midden-nederland.yaml plan-2.yaml -o agenda --previous plan.yaml")
    show(folder, "agenda/changes.txt")

    print("## 3. Ill two weeks before a visit\n")
    line = add_unavailable(scenario, "p304", "{from: 2028-02-04, to: 2028-02-25}")
    print(f"edited line: {line}\n")
    run(folder, "opr-planner repair midden-nederland.yaml plan-2.yaml -o plan-3.yaml --workers 1 -q")
    run(folder, "opr-planner export ics midden-nederland.yaml plan-3.yaml -o agenda --previous plan-2.yaml")
    show(folder, "agenda/changes.txt")
    run(folder, "grep -A4 ^DESCRIPTION agenda/p118.ics")

    print("## 4. A renamed scenario\n")
    renamed = folder / "midden-nederland-2028.yaml"
    text = scenario.read_text(encoding="utf-8")
    text = text.replace(
        'name: "Onderwijsregio Midden-Nederland PO — OPR 2027-2029"',
        'name: "Midden-Nederland PO: ontwikkelingsgerichte peer reviews 2027-2029"',
    )
    renamed.write_text(text, encoding="utf-8")
    run(folder, "opr-planner check midden-nederland-2028.yaml plan-3.yaml")
    run(folder, "opr-planner repair midden-nederland-2028.yaml plan-3.yaml -o plan-4.yaml --workers 1 -q")
    run(
        folder,
        "opr-planner export ics midden-nederland-2028.yaml plan-4.yaml -o agenda --previous plan-3.yaml",
    )
    show(folder, "agenda/changes.txt")

    print("## 5. A confirmed date must give way\n")
    closed = folder / "verbouwing.yaml"
    text = renamed.read_text(encoding="utf-8").replace(
        "  closed:                         # extra closed periods (gesloten periodes), both dates inclusive\n",
        "  closed:                         # extra closed periods (gesloten periodes), both dates inclusive\n"
        '    - {name: "Verbouwing Pabo Domstad", from: 2027-09-13, to: 2027-09-17}\n',
    )
    closed.write_text(text, encoding="utf-8")
    run(folder, "opr-planner repair verbouwing.yaml plan-4.yaml -o plan-5.yaml --workers 1 -q")
    run(folder, "opr-planner solve verbouwing.yaml --hint plan-4.yaml -o hinted.plan.yaml --workers 1 -q")
    run(folder, "opr-planner export ics verbouwing.yaml plan-5.yaml -o agenda --previous plan-4.yaml")
    show(folder, "agenda/changes.txt")
    print(f"(files in {folder})")


if __name__ == "__main__":
    main()
