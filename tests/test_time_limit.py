"""The time limit as a promise (issue #15): stage times, and wall time from start to plan written."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import TINY, run_cli


def test_verbose_prints_the_time_of_every_stage(tmp_path: Path) -> None:
    run = run_cli(
        "solve", TINY, "--time-limit", "2", "--workers", "1", "-o", tmp_path / "p.yaml", "--verbose"
    )
    assert run.exit_code == 0, run.output
    (line,) = [line for line in run.stderr.splitlines() if line.startswith("stages: ")]
    times = {name: float(value) for name, value in re.findall(r"(\w+) ([0-9.]+) s", line)}
    assert {"load", "compile", "greedy", "search", "write", "total"} <= set(times)
    assert times["total"] >= sum(v for k, v in times.items() if k != "total") - 0.01
    assert any(line.startswith("search: ") for line in run.stderr.splitlines())


def test_without_verbose_no_stage_times(tmp_path: Path) -> None:
    run = run_cli("solve", TINY, "--time-limit", "2", "--workers", "1", "-o", tmp_path / "p.yaml")
    assert run.exit_code == 0, run.output
    assert "stages: " not in run.stderr
