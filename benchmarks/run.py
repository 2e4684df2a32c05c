"""Benchmark the planner on generated scenarios of growing size (not part of the test run).

    python benchmarks/run.py                          # regional, medium, national
    python benchmarks/run.py --tiers regional --seeds 0,1,2
    python benchmarks/run.py --tiers smoke --markdown /tmp/bench.md

Every tier and seed runs in a fresh Python process, so that its peak memory (RSS) is
its own. The parent generates the scenario (the seed is also the solver's seed) and
writes it to a file; the child does what `opr-planner solve` does: load the file, solve,
write the plan, timing each stage; then it checks the plan with the evaluator and runs
the greedy baseline. Times are seconds since the scenario file began to load. Tiers
with promise limits are also solved by the real command line (`opr-planner solve`, a
new process per limit) and timed from start to exit: the time-limit promise. The exit
code is 0 when every plan is valid, 1 otherwise; targets met or not do not change it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from tiers import DEFAULT_TIERS, GAPS, PROMISE_SLACK, TIERS, Tier, select

from opr_planner.solver.params import DEFAULT_WORKERS

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
STAGE_COLUMNS = ("load", "compile", "greedy", "model", "search", "write")


# -- one tier, in a child process ------------------------------------------------------------


def run_one(tier: Tier, seed: int, time_limit: float, workers: int | None, path: Path) -> dict[str, Any]:
    """Solve the tier's scenario file, evaluate the plan and run the greedy baseline; a JSON-able row."""
    from opr_planner.errors import InfeasibleError, NoSolutionError
    from opr_planner.evaluate import evaluate
    from opr_planner.plan import write_plan
    from opr_planner.scenario import load_scenario
    from opr_planner.solver.solve import Progress, solve
    from opr_planner.timing import Clock

    row: dict[str, Any] = {"tier": tier.name, "seed": seed, "time_limit": time_limit}
    with tempfile.TemporaryDirectory(prefix="opr-bench-") as tmp:
        events: list[Progress] = []
        clock = Clock()  # as `solve` on the command line, without the imports
        with clock.stage("load"):
            scenario = load_scenario(path)
        row.update(people=len(scenario.participants), reviews=len(scenario.reviews))
        try:
            result = solve(
                scenario,
                time_limit=time_limit,
                seed=seed,
                workers=workers,
                on_progress=events.append,
                clock=clock,
            )
            with clock.stage("write"):
                write_plan(result.plan, Path(tmp) / "plan.yaml")
        except InfeasibleError as exc:
            row.update(status="infeasible", valid="-", note="; ".join(exc.reasons)[:300])
            result = None
        except NoSolutionError:
            row.update(status="no plan", valid="-", seconds=clock.elapsed())
            result = None
        row.update(stages=clock.stages, wall=clock.elapsed())
    if result is not None:
        fallback = result.statistics.source == "greedy"
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
            variables=result.statistics.variables,
            constraints=result.statistics.constraints,
            best_time=_time_to_best(events, exact, result) if not fallback else result.first_solution_seconds,
            time_to_gap={str(g): _time_to_gap(trusted, g, result) if known_bound else None for g in GAPS},
            progress="greedy fallback" if fallback else "exact" if exact else "final result only",
            method=str(result.statistics.method),
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


def scenario_file(tier: Tier, seed: int, folder: Path) -> Path:
    """The tier's generated scenario as a YAML file in `folder` (as `opr-planner generate` writes it)."""
    from opr_planner.scenario.generate import generate, scenario_yaml

    path = folder / f"{tier.name}-{seed}.yaml"
    path.write_text(scenario_yaml(generate(**tier.generate, seed=seed)), encoding="utf-8")
    return path


def run_command(tier: Tier, seed: int, limit: float, workers: int | None) -> dict[str, Any]:
    """`opr-planner solve` in a new process, as a user runs it: wall time from start to exit."""
    from opr_planner.evaluate import evaluate
    from opr_planner.plan import read_plan
    from opr_planner.scenario import load_scenario

    row: dict[str, Any] = {"tier": tier.name, "seed": seed, "limit": limit}
    with tempfile.TemporaryDirectory(prefix="opr-bench-") as tmp:
        path = scenario_file(tier, seed, Path(tmp))
        plan_path = Path(tmp) / "plan.yaml"
        cmd = [sys.executable, "-c", "from opr_planner.entry import run; run()", "solve", str(path)]
        cmd += ["--time-limit", f"{limit:g}", "--seed", str(seed), "-o", str(plan_path), "--verbose"]
        cmd += ["--workers", str(workers)] if workers else []
        print(f"  opr-planner solve --time-limit {limit:g} ...", file=sys.stderr, flush=True)
        with open(Path(tmp) / "out", "w+b") as out, open(Path(tmp) / "err", "w+") as err:
            began = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=out, stderr=err)
            _, status, usage = os.wait4(proc.pid, 0)
            row["wall"] = time.perf_counter() - began
            proc.returncode = os.waitstatus_to_exitcode(status)
            err.seek(0)
            stderr = err.read()
        row["peak_mib"] = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
        row["exit"] = proc.returncode
        stages = next((line for line in stderr.splitlines() if line.startswith("stages: ")), "")
        row["stages"] = _parse_stages(stages)
        row["first"] = _first_plan(stderr)
        if proc.returncode == 0 and plan_path.exists():
            scenario = load_scenario(path)
            plan, _ = read_plan(plan_path)
            evaluation = evaluate(scenario, plan)
            row.update(objective=evaluation.objective, valid="yes" if evaluation.ok else "no")
            row["status"] = plan.solver.status if plan.solver else "-"
            row["gap"] = plan.solver.gap if plan.solver else None
        else:
            row.update(
                valid="-", status=f"exit {proc.returncode}", note=stderr.strip().splitlines()[-1:] or ""
            )
    return row


def _parse_stages(line: str) -> dict[str, float]:
    """'stages: load 1.20 s, compile 0.41 s; total 9.87 s' -> {'load': 1.2, 'compile': 0.41}"""
    body = line.removeprefix("stages: ").split(";")[0]
    out = {}
    for part in body.split(","):
        words = part.split()
        if len(words) == 3 and words[2] == "s":
            out[words[0]] = float(words[1])
    return out


def _first_plan(stderr: str) -> float | None:
    """Seconds from the program's start to its first plan: the first progress line with a
    best objective ('   1.23s  greedy start  best  12907  bound ...')."""
    for line in stderr.splitlines():
        words = line.split()
        if words and words[0].endswith("s") and "best" in words and words[words.index("best") + 1] != "-":
            try:
                return float(words[0][:-1])
            except ValueError:
                continue
    return None


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
    """One tier and seed in a fresh process, on a scenario file generated here (so that the
    child's stage times and memory are those of loading a file, as `solve` does)."""
    limit = tier.time_limit * scale
    print(f"running {tier.name} (seed {seed}, time limit {limit:g} s) ...", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(prefix="opr-bench-") as tmp:
        path = scenario_file(tier, seed, Path(tmp))
        cmd = [sys.executable, __file__, "--child", tier.name, "--seeds", str(seed), "--scenario", str(path)]
        cmd += ["--time-limit-scale", repr(scale)] + (["--workers", str(workers)] if workers else [])
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


def stage_cells(row: dict[str, Any]) -> list[str]:
    stages = row.get("stages") or {}

    def sec(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f}"

    peak = row.get("peak_mib")
    return [
        row["tier"],
        str(row["seed"]),
        *(sec(stages.get(name)) for name in STAGE_COLUMNS),
        sec(row.get("wall")),
        "-" if peak is None else f"{peak:,.0f}",
    ]


STAGE_HEADERS = ["tier", "seed", *(f"{name} s" for name in STAGE_COLUMNS), "total s", "peak MiB"]


def promise_cells(row: dict[str, Any]) -> list[str]:
    stages = row.get("stages") or {}
    wall = row.get("wall")
    over = "-" if wall is None else f"{wall - row['limit']:+.2f}"
    objective = row.get("objective")
    return [
        row["tier"],
        str(row["seed"]),
        f"{row['limit']:g}",
        *("-" if stages.get(n) is None else f"{stages[n]:.2f}" for n in STAGE_COLUMNS),
        "-" if wall is None else f"{wall:.2f}",
        over,
        "-" if row.get("first") is None else f"{row['first']:.2f}",
        "-" if row.get("peak_mib") is None else f"{row['peak_mib']:,.0f}",
        str(row.get("status", "-")),
        "-" if objective is None else f"{objective:,}",
        "-" if row.get("gap") is None else f"{100 * row['gap']:.2f}%",
        str(row.get("valid", "-")),
    ]


PROMISE_HEADERS = [
    "tier", "seed", "--time-limit", *(f"{n} s" for n in STAGE_COLUMNS),
    "wall s", "over limit s", "first plan s", "peak MiB", "status", "objective", "gap", "valid",
]  # fmt: skip


def target_rows(rows: list[dict[str, Any]], promises: list[dict[str, Any]] | None = None) -> list[list[str]]:
    out = []
    for row in rows:
        for target in TIERS[row["tier"]].targets:
            measured, met = target.check(row)
            out.append([row["tier"], str(row["seed"]), target.name, measured, "met" if met else "NOT MET"])
        for p in (p for p in promises or [] if p["tier"] == row["tier"] and p["seed"] == row["seed"]):
            name = f"wall time < {p['limit']:g} + {PROMISE_SLACK:g} s (valid plan written)"
            wall = p.get("wall")
            met = wall is not None and wall < p["limit"] + PROMISE_SLACK and p.get("valid") == "yes"
            measured = "-" if wall is None else f"{wall:.1f} s, valid {p.get('valid', '-')}"
            out.append([row["tier"], str(row["seed"]), name, measured, "met" if met else "NOT MET"])
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


TIMES = (
    "Times in seconds since the scenario file began to load (as `solve` after its imports); "
    "the promise runs are timed from the start of the `opr-planner` process to its exit, and "
    "their first plan from that start too."
)


def tables(
    rows: list[dict[str, Any]], promises: list[dict[str, Any]]
) -> list[tuple[str, list[str], list[list[str]], tuple[int, ...]]]:
    """(title, headers, rows, left-aligned columns) of every table, in print order."""
    left = tuple(i for i, (key, _) in enumerate(COLUMNS) if key in ("tier", "method", "status", "valid"))
    out = [("Benchmark", [h for _, h in COLUMNS], [cells(r) for r in rows], left)]
    out.append(("Stages", [*STAGE_HEADERS, "load avg"], [[*stage_cells(r), _load(r)] for r in rows], (0,)))
    if promises:
        body = [[*promise_cells(p), _load(p)] for p in promises]
        out.append(
            ("Time-limit promise (opr-planner solve)", [*PROMISE_HEADERS, "load avg"], body, (0, 13, 16))
        )
    trows = target_rows(rows, promises)
    if trows:
        out.append(("Targets", TARGET_HEADERS, trows, (0, 2, 3, 4)))
    return out


def _load(row: dict[str, Any]) -> str:
    """The machine's 1-minute load average when the run began and ended ('-' if unknown)."""
    before, after = row.get("loadavg_before"), row.get("loadavg_after")
    return "-" if before is None else f"{before:.1f}-{after:.1f}" if after is not None else f"{before:.1f}"


def print_tables(rows: list[dict[str, Any]], promises: list[dict[str, Any]], env: str) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console(width=None if sys.stdout.isatty() else 240, highlight=False, markup=False, emoji=False)

    def table(title: str, headers: list[str], body: list[list[str]], left: tuple[int, ...]) -> Table:
        t = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", show_edge=False, pad_edge=False)
        for i, h in enumerate(headers):
            t.add_column(h, justify="left" if i in left else "right", no_wrap=True)
        for b in body:
            t.add_row(*b)
        return t

    for n, (title, headers, body, left) in enumerate(tables(rows, promises)):
        console.print(table(title, headers, body, left))
        if n == 0:
            console.print(env)
            console.print(TIMES)
            console.print(
                "greedy: objective of the greedy baseline plan by the evaluator ('-' no baseline yet, "
                "'none' it found no plan); ratio = objective / greedy objective."
            )
            for note in notes(rows):
                console.print(note)
        console.print()


def markdown(rows: list[dict[str, Any]], promises: list[dict[str, Any]], env: str) -> str:
    def md(headers: list[str], body: list[list[str]]) -> list[str]:
        lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
        return lines + ["| " + " | ".join(b) + " |" for b in body]

    lines: list[str] = []
    for n, (title, headers, body, _) in enumerate(tables(rows, promises)):
        if n:
            lines += [f"{title}:", ""]
        lines += md(headers, body)
        if n == 0:
            lines += ["", env + ". " + TIMES, ""]
            lines += [*notes(rows), *([""] if notes(rows) else [])]
        else:
            lines += [""]
    return "\n".join(lines).rstrip("\n") + "\n"


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
    parser.add_argument(
        "--no-promise",
        action="store_true",
        help="skip the runs of `opr-planner solve` at the tiers' promise limits (wall time from start to exit)",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--scenario", type=Path, help=argparse.SUPPRESS)  # the child's scenario file
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
            limit = tiers[0].time_limit * args.time_limit_scale
            row = run_one(tiers[0], seeds[0], limit, args.workers, args.scenario)
        except Exception:
            traceback.print_exc()
            return 1
        print(MARK + json.dumps(row), flush=True)
        return 0

    rows, promises = [], []
    for t in tiers:
        for seed in seeds:
            rows.append(_with_load(run_child, t, seed, args.time_limit_scale, args.workers))
            if not args.no_promise:
                for limit in t.promise:
                    promises.append(_with_load(run_command, t, seed, limit, args.workers))
    env = environment(args.workers, args.time_limit_scale)
    print_tables(rows, promises, env)
    if args.markdown:
        from opr_planner.io.fileio import write_atomic

        write_atomic(args.markdown, markdown(rows, promises, env))
    return 0 if all(r.get("valid") == "yes" for r in [*rows, *promises]) else 1


def _with_load(run: Any, *args: Any) -> dict[str, Any]:
    """run(*args) with the machine's load average before and after (timings on a busy machine are noisy)."""
    before = os.getloadavg()[0]
    row = run(*args)
    return {**row, "loadavg_before": before, "loadavg_after": os.getloadavg()[0]}


if __name__ == "__main__":
    sys.exit(main())
