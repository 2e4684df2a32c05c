"""What takes the memory of `opr-planner solve`, stage by stage (not part of the test run).

    python benchmarks/memory.py                                # national-busy and national-4x
    python benchmarks/memory.py --tiers medium-busy --markdown /tmp/memory.md

Each tier runs in a fresh Python process that does what `solve` does, stage by stage, and
reads its resident memory (VmRSS, and the peak VmHWM, from /proc/self/status) after each:
the imports, loading the scenario file, compiling it (calendar, candidates and dates, the
pre-checks), the greedy start and the search (`--search` seconds of local search). Beside
that it measures the largest values compiling makes: the solver input's per-review
candidate lists and availability bitmasks (R x N entries), each int object counted once.
Linux only.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tiers import select

MARK = "MEMORY-RESULT "
STAGES = ("imports", "load", "compile", "greedy", "search")
DEFAULT_TIERS = "national-busy,national-4x"


def _status() -> tuple[float, float]:
    """(current, peak) resident memory of this process in MiB."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def _deep_ints(tuples: Any) -> float:
    """MiB of tuples of ints and of the int objects they hold, each object counted once
    (ints shared between entries or reviews are one object)."""
    seen: dict[int, int] = {}
    total = 0
    for values in tuples:
        total += sys.getsizeof(values)
        for v in values:
            seen.setdefault(id(v), sys.getsizeof(v))
    return (total + sum(seen.values())) / 2**20


def child(path: Path, search: float) -> dict[str, Any]:
    row: dict[str, Any] = {"stages": {}}

    def mark(stage: str, began: float) -> None:
        rss, peak = _status()
        row["stages"][stage] = {"rss": rss, "peak": peak, "seconds": time.perf_counter() - began}

    began = time.perf_counter()
    from opr_planner.calendar import WorkCalendar
    from opr_planner.scenario import load_scenario
    from opr_planner.solver.compile import compile_scenario
    from opr_planner.solver.greedy import greedy_attempt
    from opr_planner.solver.infeasible import precheck
    from opr_planner.solver.params import SolveParams
    from opr_planner.solver.runner import run_local

    mark("imports", began)
    began = time.perf_counter()
    scenario = load_scenario(path)
    mark("load", began)
    began = time.perf_counter()
    cal = WorkCalendar(scenario)
    data = compile_scenario(scenario, cal)
    precheck(scenario, data, cal)
    mark("compile", began)
    began = time.perf_counter()
    solution, _ = greedy_attempt(data, marginal=True)
    mark("greedy", began)
    began = time.perf_counter()
    if solution is not None:
        params = SolveParams(time_limit=search, started=time.perf_counter())
        run_local(data, solution, params, started=began, bound=10**9, on_progress=None)
    mark("search", began)
    row.update(
        people=len(data.people),
        reviews=len(data.reviews),
        pairs=sum(len(r.candidates) for r in data.reviews),
        candidates_mib=_deep_ints(r.candidates for r in data.reviews),
        available_mib=_deep_ints(r.available for r in data.reviews),
        excluded=sum(len(v) for v in data.excluded.values()),
    )
    return row


def run_tier(name: str, seed: int, search: float) -> dict[str, Any]:
    from opr_planner.scenario.generate import generate, scenario_yaml

    (tier,) = select(name)
    with tempfile.TemporaryDirectory(prefix="opr-memory-") as tmp:
        path = Path(tmp) / f"{name}.yaml"
        path.write_text(scenario_yaml(generate(**tier.generate, seed=seed)), encoding="utf-8")
        size = path.stat().st_size / 2**20
        cmd = [sys.executable, __file__, "--child", str(path), "--search", repr(search)]
        print(f"measuring {name} (seed {seed}) ...", file=sys.stderr, flush=True)
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    for line in proc.stdout.splitlines():
        if line.startswith(MARK):
            return {"tier": name, "seed": seed, "file_mib": size, **json.loads(line[len(MARK) :])}
    sys.stderr.write(proc.stderr)
    raise SystemExit(f"{name}: the child failed (exit {proc.returncode})")


def table(rows: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    headers = ["tier", "people", "reviews", "R x C", "file MiB"]
    headers += [f"after {s} MiB" for s in STAGES]
    headers += ["peak MiB", "candidates MiB", "availability MiB", "load s", "compile s"]
    body = []
    for r in rows:
        stages = r["stages"]
        body.append(
            [
                r["tier"],
                f"{r['people']:,}",
                f"{r['reviews']:,}",
                f"{r['pairs']:,}",
                f"{r['file_mib']:.1f}",
                *(f"{stages[s]['rss']:,.0f}" for s in STAGES),
                f"{max(v['peak'] for v in stages.values()):,.0f}",
                f"{r['candidates_mib']:.1f}",
                f"{r['available_mib']:.1f}",
                f"{stages['load']['seconds']:.2f}",
                f"{stages['compile']['seconds']:.2f}",
            ]
        )
    return headers, body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--tiers", default=DEFAULT_TIERS, help=f"comma list of tiers (default {DEFAULT_TIERS})"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--search", type=float, default=10.0, help="seconds of local search (default 10)")
    parser.add_argument("--markdown", type=Path, help="also write the table as markdown to this file")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(MARK + json.dumps(child(args.child, args.search)), flush=True)
        return 0
    rows = [run_tier(t.name, args.seed, args.search) for t in select(args.tiers)]
    headers, body = table(rows)
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(b) + " |" for b in body]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
