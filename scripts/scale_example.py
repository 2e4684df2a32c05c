#!/usr/bin/env python3
"""The national-size examples of docs/solving.md, run for real: a scenario as busy as real
teachers' calendars generated, validated (the name warnings summarised; then with people
listed twice, one of them in another partnership), solved with a
5-second limit and --verbose (the stage times), and a medium one solved with --gap.
Prints every command and its output as the page shows them, with the machine's load.

Usage: python3 scripts/scale_example.py [FOLDER]   (default: a temporary folder)

The plan's table (one row per member: 480 rows nationally) is left out of the output and
said so (validate's summary too), and long progress is cut to its first and last lines;
everything else is printed as the command wrote it.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ENV = {**os.environ, "COLUMNS": "110"}
NATIONAL = "--partnerships 80 --regions 50 --participants-per-partnership 31 --unaffiliated 120"
MEDIUM = "--partnerships 12 --regions 14 --participants-per-partnership 26 --unaffiliated 18"


def run(folder: Path, command: str, only: str | None = None) -> None:
    """Run an opr-planner command in `folder`; print it, its output (without the plan's
    table; with `only`, just the lines that contain it) and how long it took from start to exit."""
    began = time.perf_counter()
    done = subprocess.run(shlex.split(command), cwd=folder, env=ENV, capture_output=True, text=True)
    wall = time.perf_counter() - began
    print(f"$ {command}" + (f"   (only the lines with {only!r} shown)" if only else ""))
    if only:
        print("\n".join(line for line in (done.stderr + done.stdout).splitlines() if only in line))
        print(f"(wall time from start to exit: {wall:.1f} s)\n")
        return
    print("\n".join(_shorter(done.stderr.splitlines())))
    out = done.stdout.splitlines()
    if len(out) > 3:
        print(f"(... {len(out) - 1} lines: the summary, or the plan's table and metrics ...)")
        out = out[-1:]
    if out:
        print("\n".join(out))
    if done.returncode:
        print(f"(exit code {done.returncode})")
    print(f"(wall time from start to exit: {wall:.1f} s; load average {os.getloadavg()[0]:.1f})\n")


def _shorter(lines: list[str], keep: int = 4) -> list[str]:
    """The progress lines (one per better plan) cut to the first and last few."""
    progress = [i for i, line in enumerate(lines) if "  best " in line]
    if len(progress) <= 3 * keep:
        return lines
    cut = progress[keep:-keep]
    return [*lines[: cut[0]], f"   (... {len(cut)} more progress lines ...)", *lines[cut[-1] + 1 :]]


def merged(folder: Path) -> None:
    """national-busy.yaml as if two spreadsheets were merged: eight people listed twice (same
    email), and one person also listed in another partnership with another email and
    organisation (same name, region and role): the hidden duplicate."""
    data = yaml.safe_load((folder / "national-busy.yaml").read_text(encoding="utf-8"))
    people = data["participants"]
    copies = [{**p, "id": f"kopie-{i}"} for i, p in enumerate(people[:8], 1)]
    twin = next(p for p in people if p.get("partnership") == "ps-03")
    hidden = {**twin, "id": "tweede-lijst-1", "name": twin["name"].upper(), "email": "prive@example.org"}
    hidden.update(partnership="ps-07", organisation="Stichting Elders")
    data["participants"] = [*people, *copies, hidden]
    (folder / "merged.yaml").write_text(
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    print(
        "(merged.yaml: national-busy.yaml with 8 people listed twice and one also in another partnership)\n"
    )


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="opr-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"(2 CPUs here: {os.cpu_count()}; load average at the start {os.getloadavg()[0]:.1f})\n")
    run(folder, f"opr-planner generate {NATIONAL} --calendars busy --seed 0 -o national-busy.yaml")
    run(folder, "opr-planner validate national-busy.yaml")
    merged(folder)
    run(folder, "opr-planner validate merged.yaml")
    run(folder, "opr-planner validate merged.yaml --all-warnings", only="tweede-lijst-1")
    run(folder, "opr-planner solve national-busy.yaml --time-limit 5 --verbose")
    run(folder, f"opr-planner generate {MEDIUM} --calendars busy --seed 0 -o medium-busy.yaml")
    run(folder, "opr-planner solve medium-busy.yaml --time-limit 60 --gap 0.03 --verbose")
    return 0


if __name__ == "__main__":
    sys.exit(main())
