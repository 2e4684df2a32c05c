"""benchmarks/run.py works end to end on its tiny tier (no timing assertions)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUN = ROOT / "benchmarks" / "run.py"


def bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(RUN), *args], capture_output=True, text=True, timeout=120, cwd=ROOT
    )


def markdown_rows(text: str) -> list[dict[str, str]]:
    """The first markdown table in `text` as dicts (header -> cell)."""
    lines = [line for line in text.splitlines() if line.startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    rows = []
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) != len(header):
            break  # the next table
        rows.append(dict(zip(header, cells)))
    return rows


def test_smoke_tier_prints_the_table_with_a_valid_plan(tmp_path: Path) -> None:
    md = tmp_path / "bench.md"
    run = bench("--tiers", "smoke", "--seeds", "0", "--workers", "2", "--markdown", str(md))
    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout
    for heading in (
        "tier",
        "people",
        "variables",
        "first plan s",
        "best at s",
        "peak MiB",
        "valid",
        "greedy",
    ):
        assert heading in out
    row = next(line for line in out.splitlines() if line.startswith("smoke"))
    assert " yes " in f"{row} "
    assert "Targets" in out and "valid plan" in out
    # Stage times of the in-process run, and the command line timed from start to exit.
    assert "Stages" in out and "Time-limit promise" in out
    stages_md = md.read_text(encoding="utf-8").split("Stages:", 1)[1]
    (stages,) = markdown_rows(stages_md)
    for stage in ("load s", "compile s", "greedy s", "search s", "write s", "total s"):
        assert float(stages[stage]) >= 0
    assert float(stages["total s"]) >= float(stages["load s"]) + float(stages["compile s"])
    (promise,) = markdown_rows(stages_md.split("Time-limit promise (opr-planner solve):", 1)[1])
    assert promise["--time-limit"] == "2" and promise["valid"] == "yes"
    assert float(promise["wall s"]) > float(promise["search s"])
    assert "wall time < 2 + 5 s" in out

    (result,) = markdown_rows(md.read_text(encoding="utf-8"))
    assert result["tier"] == "smoke"
    assert result["valid"] == "yes"
    assert result["status"] in ("optimal", "feasible")
    assert int(result["people"]) == 30 and int(result["reviews"]) == 3
    assert float(result["peak MiB"].replace(",", "")) > 0
    assert re.fullmatch(r"-|none|-?[0-9,]+( \(invalid\))?", result["greedy"])
    assert re.fullmatch(r"-|[0-9.]+", result["ratio"])


def test_unknown_tier_is_a_usage_error() -> None:
    run = bench("--tiers", "galactic")
    assert run.returncode == 2
    assert "unknown tier 'galactic'" in run.stderr
