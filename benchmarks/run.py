"""Benchmark the planner on generated scenarios of growing size (not part of the test run).

    python benchmarks/run.py                          # regional, medium, national
    python benchmarks/run.py --tiers regional --seeds 0,1,2
    python benchmarks/run.py --tiers smoke --markdown /tmp/bench.md

Every tier and seed runs in a fresh Python process, so that its peak memory (RSS) is
its own. That process generates the scenario (the seed is also the solver's seed),
solves it, checks the plan with the evaluator and runs the greedy baseline. Times are
seconds since `solve()` was called, so model building is included. The exit code is 0
when every plan is valid, 1 otherwise; targets met or not do not change it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from tiers import DEFAULT_TIERS, GAPS, TIERS, Tier, select

from opr_planner.solver.solve import DEFAULT_WORKERS

MARK = "BENCHMARK-RESULT "
COLUMNS = (
    ("tier", "tier"),
    ("seed", "seed"),
    ("people", "people"),
    ("reviews", "reviews"),
    ("method", "method"),
    ("variables", "variables"),
    ("constraints", "constraints"),
    ("first", "first plan s"),
    ("best_time", "best at s"),
    ("objective", "objective"),
    ("bound", "bound"),
    ("gap", "gap"),
    ("status", "status"),
    ("peak_mib", "peak MiB"),
    ("valid", "valid"),
    ("greedy", "greedy"),
    ("ratio", "ratio"),
)


# -- one tier, in a child process ------------------------------------------------------------


def run_one(tier: Tier, seed: int, time_limit: float, workers: int | None) -> dict[str, Any]:
    """Generate, solve, evaluate and run the greedy baseline for one tier; a JSON-able row."""
    from opr_planner.errors import InfeasibleError, NoSolutionError
    from opr_planner.evaluate import evaluate
    from opr_planner.scenario.generate import generate
    from opr_planner.scenario.load import scenario_from_data
    from opr_planner.solver.solve import Progress, solve

    row: dict[str, Any] = {"tier": tier.name, "seed": seed, "time_limit": time_limit}
    scenario = scenario_from_data(generate(**tier.generate, seed=seed), label=f"<{tier.name}>")
    row.update(people=len(scenario.participants), reviews=len(scenario.reviews))
    events: list[Progress] = []
    start = time.perf_counter()
    try:
        result = solve(scenario, time_limit=time_limit, seed=seed, workers=workers, on_progress=events.append)
    except InfeasibleError as exc:
        row.update(status="infeasible", valid="-", note="; ".join(exc.reasons)[:300])
    except NoSolutionError:
        row.update(status="no plan", valid="-", seconds=time.perf_counter() - start)
    else:
        fallback = bool(result.stats.get("greedy_fallback"))
        # Progress events carry the model's objective. When the model over-counts (relaxed
        # pair links), only the final result, scored by the evaluator, is trusted.
        exact = not fallback and all(e.objective is None or e.objective <= result.objective for e in events)
        trusted = events if exact else []
        known_bound = not fallback or (result.plan.solver is not None and result.plan.solver.gap is not None)
        row.update(
            status=str(result.status) + (" (greedy fallback)" if fallback else ""),
            seconds=result.seconds,
            objective=result.objective,
            bound=result.bound if known_bound else None,
            gap=result.gap if known_bound else None,
            first=result.first_solution_seconds,
            variables=result.stats.get("variables"),
            constraints=result.stats.get("constraints"),
            best_time=_time_to_best(events, exact, result) if not fallback else result.first_solution_seconds,
            time_to_gap={str(g): _time_to_gap(trusted, g, result) if known_bound else None for g in GAPS},
            progress="greedy fallback" if fallback else "exact" if exact else "final result only",
            method=_method(result.stats),
        )
        evaluation = evaluate(scenario, result.plan)
        if not evaluation.ok:
            row["valid"] = "no (" + ", ".join(evaluation.rule_ids[:5]) + ")"
        elif evaluation.objective != result.objective:
            row["valid"] = f"no (evaluator objective {evaluation.objective})"
        else:
            row["valid"] = "yes"
    row.update(_greedy(scenario, evaluate))
    row["peak_mib"] = _peak_rss_mib()
    return row


def _method(stats: dict[str, int]) -> str:
    """How the plan was searched (solver/solve.py): CP-SAT, CP-SAT with local search, or local search."""
    if "variables" not in stats:
        return "local search"
    return "CP-SAT + local search" if "local_search_steps" in stats else "CP-SAT"


def _time_to_best(events: list[Any], exact: bool, result: Any) -> float | None:
    """When the final plan was found: the first event with its objective, or, when the
    events' objectives are not exact, the first event of the last solution."""
    solutions = max((e.solutions for e in events), default=0)
    for e in events:
        if (
            (e.objective is not None and e.objective >= result.objective)
            if exact
            else e.solutions == solutions
        ):
            return e.seconds
    return result.first_solution_seconds


def _time_to_gap(events: list[Any], gap: float, result: Any) -> float | None:
    """The first moment at which the relative gap was below `gap`."""
    for e in events:
        if e.gap is not None and e.gap < gap:
            return e.seconds
    return result.seconds if result.gap < gap else None


def _greedy(scenario: Any, evaluate: Any) -> dict[str, Any]:
    """The spreadsheet-style baseline, judged by the evaluator ('-' while it does not exist)."""
    try:
        from opr_planner.solver.greedy import greedy_plan
    except ImportError:
        return {"greedy": None, "greedy_note": "not available"}
    start = time.perf_counter()
    plan = greedy_plan(scenario)
    seconds = time.perf_counter() - start
    if plan is None:
        return {"greedy": None, "greedy_note": "no plan", "greedy_seconds": seconds}
    evaluation = evaluate(scenario, plan)
    return {"greedy": evaluation.objective, "greedy_valid": evaluation.ok, "greedy_seconds": seconds}


def _peak_rss_mib() -> float:
    """Peak resident memory of this process (ru_maxrss: KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# -- the parent: one child per tier and seed, then the tables -------------------------------


def run_child(tier: Tier, seed: int, scale: float, workers: int | None) -> dict[str, Any]:
    limit = tier.time_limit * scale
    cmd = [sys.executable, __file__, "--child", tier.name, "--seeds", str(seed)]
    cmd += ["--time-limit-scale", repr(scale)] + (["--workers", str(workers)] if workers else [])
    print(f"running {tier.name} (seed {seed}, time limit {limit:g} s) ...", file=sys.stderr, flush=True)
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=3 * limit + 900)
    except subprocess.TimeoutExpired:
        return {"tier": tier.name, "seed": seed, "status": "timeout", "valid": "no"}
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(MARK):
            return json.loads(line[len(MARK) :])
    sys.stderr.write(proc.stderr)
    return {"tier": tier.name, "seed": seed, "status": f"error (exit {proc.returncode})", "valid": "no"}


def cells(row: dict[str, Any]) -> list[str]:
    def num(key: str, fmt: str = "{:,}") -> str:
        value = row.get(key)
        return "-" if value is None else fmt.format(value)

    greedy = row.get("greedy")
    if greedy is None:
        greedy_text, ratio = ("none" if row.get("greedy_note") == "no plan" else "-"), "-"
    else:
        greedy_text = f"{greedy:,}" + ("" if row.get("greedy_valid") else " (invalid)")
        objective = row.get("objective")
        ratio = f"{objective / greedy:.2f}" if objective is not None and greedy > 0 else "-"
    values = {
        **{key: num(key) for key in ("people", "reviews", "variables", "constraints", "objective", "bound")},
        "tier": row["tier"],
        "seed": str(row["seed"]),
        "first": num("first", "{:.2f}"),
        "best_time": num("best_time", "{:.2f}"),
        "gap": "-" if row.get("gap") is None else f"{100 * row['gap']:.2f}%",
        "status": row.get("status", "-"),
        "method": row.get("method", "-"),
        "peak_mib": num("peak_mib", "{:,.0f}"),
        "valid": row.get("valid", "-"),
        "greedy": greedy_text,
        "ratio": ratio,
    }
    return [values[key] for key, _ in COLUMNS]


def target_rows(rows: list[dict[str, Any]]) -> list[list[str]]:
    out = []
    for row in rows:
        for target in TIERS[row["tier"]].targets:
            measured, met = target.check(row)
            out.append([row["tier"], str(row["seed"]), target.name, measured, "met" if met else "NOT MET"])
    return out


TARGET_HEADERS = ["tier", "seed", "target", "measured", "result"]


def notes(rows: list[dict[str, Any]]) -> list[str]:
    """What a reader of the table must know about single rows."""
    out = []
    for row in rows:
        label = f"{row['tier']} (seed {row['seed']})"
        if row.get("progress") == "final result only":
            out.append(
                f"{label}: the model's objective over-counts (relaxed pair links), so progress "
                "events were not used; gap times come from the final result."
            )
        if row.get("progress") == "greedy fallback":
            out.append(
                f"{label}: CP-SAT found no better plan in time; the plan is the greedy warm start"
                + ("." if row.get("bound") is not None else " and no bound is known.")
            )
        if row.get("method") == "local search":
            out.append(
                f"{label}: no CP-SAT model of the whole plan was built (variables '-'): local search "
                "from the greedy plan, bound by counting (solver/bounds.py)."
            )
        if row.get("note"):
            out.append(f"{label}: {row['note']}")
    return out


def environment(workers: int | None, scale: float) -> str:
    from ortools import __version__ as ortools_version

    return (
        f"{platform.python_implementation()} {platform.python_version()}, OR-Tools {ortools_version}, "
        f"{os.cpu_count()} CPUs, --workers {workers or 'default'}, --time-limit-scale {scale:g}"
    )


def print_tables(rows: list[dict[str, Any]], env: str) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console(width=None if sys.stdout.isatty() else 200, highlight=False, markup=False, emoji=False)

    def table(title: str, headers: list[str], body: list[list[str]], left: tuple[int, ...]) -> Table:
        t = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", show_edge=False, pad_edge=False)
        for i, h in enumerate(headers):
            t.add_column(h, justify="left" if i in left else "right", no_wrap=True)
        for b in body:
            t.add_row(*b)
        return t

    left = tuple(i for i, (key, _) in enumerate(COLUMNS) if key in ("tier", "method", "status", "valid"))
    console.print(table("Benchmark", [h for _, h in COLUMNS], [cells(r) for r in rows], left))
    console.print(env)
    console.print("Times in seconds since solve() was called (model building included).")
    console.print(
        "greedy: objective of the greedy baseline plan by the evaluator ('-' no baseline yet, "
        "'none' it found no plan); ratio = objective / greedy objective."
    )
    for note in notes(rows):
        console.print(note)
    trows = target_rows(rows)
    if trows:
        console.print()
        console.print(table("Targets", TARGET_HEADERS, trows, (0, 2, 3, 4)))


def markdown(rows: list[dict[str, Any]], env: str) -> str:
    def md(headers: list[str], body: list[list[str]]) -> list[str]:
        lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
        return lines + ["| " + " | ".join(b) + " |" for b in body]

    lines = md([h for _, h in COLUMNS], [cells(r) for r in rows])
    lines += ["", env + ". Times in seconds since `solve()` was called (model building included).", ""]
    lines += [*notes(rows), *([""] if notes(rows) else [])]
    lines += md(TARGET_HEADERS, target_rows(rows))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--tiers",
        default=DEFAULT_TIERS,
        help=f"comma list of tiers or groups (default {DEFAULT_TIERS}); tiers: {', '.join(TIERS)}; groups: regional, all",
    )
    parser.add_argument("--seeds", default="0", help="comma list of seeds (generator and solver), default 0")
    parser.add_argument(
        "--time-limit-scale", type=float, default=1.0, help="multiply every tier's time limit"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help=f"CP-SAT search workers (default as solve: {DEFAULT_WORKERS}); 1 makes every run reproducible",
    )
    parser.add_argument("--markdown", type=Path, help="also write the tables as markdown to this file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
        tiers = select(args.child or args.tiers)
    except ValueError as exc:
        parser.error(str(exc))
    if args.time_limit_scale <= 0 or (args.workers is not None and args.workers < 1):
        parser.error("--time-limit-scale must be > 0 and --workers >= 1")

    if args.child:  # one tier, one seed, in this (fresh) process
        try:
            row = run_one(tiers[0], seeds[0], tiers[0].time_limit * args.time_limit_scale, args.workers)
        except Exception:
            traceback.print_exc()
            return 1
        print(MARK + json.dumps(row), flush=True)
        return 0

    rows = [run_child(t, seed, args.time_limit_scale, args.workers) for t in tiers for seed in seeds]
    env = environment(args.workers, args.time_limit_scale)
    print_tables(rows, env)
    if args.markdown:
        from opr_planner.io.fileio import write_atomic

        write_atomic(args.markdown, markdown(rows, env))
    return 0 if all(r.get("valid") == "yes" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
