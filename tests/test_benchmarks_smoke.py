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
