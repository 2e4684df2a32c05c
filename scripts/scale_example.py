#!/usr/bin/env python3
"""The national-size examples of docs/solving.md, run for real: a scenario as busy as real
teachers' calendars generated, validated (the name warnings summarised), solved with a
5-second limit and --verbose (the stage times), and a medium one solved with --gap.
Prints every command and its output as the page shows them, with the machine's load.

Usage: python3 scripts/scale_example.py [FOLDER]   (default: a temporary folder)

The plan's table (one row per member: 480 rows nationally) is left out of the output and
said so; everything else is printed as the command wrote it.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ENV = {**os.environ, "COLUMNS": "110"}
NATIONAL = "--partnerships 80 --regions 50 --participants-per-partnership 31 --unaffiliated 120"
MEDIUM = "--partnerships 12 --regions 14 --participants-per-partnership 26 --unaffiliated 18"


def run(folder: Path, command: str) -> None:
    """Run an opr-planner command in `folder`; print it, its output (without the plan's
    table) and how long it took from start to exit."""
    began = time.perf_counter()
    done = subprocess.run(shlex.split(command), cwd=folder, env=ENV, capture_output=True, text=True)
    wall = time.perf_counter() - began
    print(f"$ {command}")
    print(done.stderr.rstrip("\n"))
    out = done.stdout.splitlines()
    if len(out) > 3:
        print(f"(... the plan's table and metrics: {len(out) - 2} lines ...)")
        out = out[-1:]
    if out:
        print("\n".join(out))
    if done.returncode:
        print(f"(exit code {done.returncode})")
    print(f"(wall time from start to exit: {wall:.1f} s; load average {os.getloadavg()[0]:.1f})\n")


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="opr-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"(2 CPUs here: {os.cpu_count()}; load average at the start {os.getloadavg()[0]:.1f})\n")
    run(folder, f"opr-planner generate {NATIONAL} --calendars busy --seed 0 -o national-busy.yaml")
    run(folder, "opr-planner validate national-busy.yaml")
    run(folder, "opr-planner solve national-busy.yaml --time-limit 5 --verbose")
    run(folder, f"opr-planner generate {MEDIUM} --calendars busy --seed 0 -o medium-busy.yaml")
    run(folder, "opr-planner solve medium-busy.yaml --time-limit 60 --gap 0.02 --verbose")
    return 0


if __name__ == "__main__":
    sys.exit(main())
