"""What runs in the worker process: solve, repair, alternatives, a sweep, each reporting to a queue.

The server starts one worker process per job (spawned, so it shares no threads or
locks with the server) and reads its queue. The worker never writes into the folder:
it sends the plan text back and the server writes it atomically under the name the
coordinator chose. Stopping sends SIGINT, which the solver answers like Ctrl-C on the
command line: it returns the best plan found so far.
"""

from __future__ import annotations

import time
import traceback
from multiprocessing.queues import Queue
from typing import Any

Message = tuple[Any, ...]


def _progress(queue: Queue[Message]) -> Any:
    last = [0.0]

    def hook(p: Any) -> None:
        now = time.monotonic()
        if now - last[0] < 0.2 and p.objective is None:
            return
        last[0] = now
        queue.put(("progress", round(p.seconds, 2), p.objective, p.bound, p.gap))

    return hook


def run(kind: str, args: dict[str, Any], queue: Queue[Message]) -> None:
    """Entry point of the worker process; every outcome ends as one message on `queue`."""
    from ..errors import InfeasibleError, NoSolutionError, OprPlannerError
    from ..plan import plan_text
    from ..wording import Said

    try:
        from ..scenario import load_scenario

        if kind == "sweep":  # each variant carries its own scenario text
            queue.put(("done", *_sweep(args, queue)))
            return
        scenario = load_scenario(args["scenario"])
        if kind == "solve":
            from ..solver.solve import solve

            result = solve(
                scenario,
                time_limit=args["time_limit"],
                seed=args.get("seed", 0),
                workers=args.get("workers"),
                on_progress=_progress(queue),
            )
            queue.put(("done", [plan_text(result.plan)], _summary(result), result.interrupted))
        elif kind == "repair":
            from ..plan import read_plan
            from ..solver.repair import repair

            previous, _ = read_plan(args["plan"])
            outcome = repair(
                scenario,
                previous,
                time_limit=args["time_limit"],
                seed=args.get("seed", 0),
                workers=args.get("workers"),
                on_progress=_progress(queue),
            )
            result = outcome.result
            summary = {**_summary(result), **_repair_summary(outcome)}
            queue.put(("done", [plan_text(result.plan)], summary, result.interrupted))
        elif kind == "alternatives":
            from ..solver.alternatives import find_alternatives

            found = find_alternatives(
                scenario,
                args["count"],
                min_difference=args.get("min_difference", 1),
                time_limit=args["time_limit"],
                seed=args.get("seed", 0),
                workers=args.get("workers"),
            )
            plans = [plan_text(r.plan) for r in found.results]
            queue.put(("done", plans, {"note": found.note or ""}, False))
        else:  # pragma: no cover - the server names only the kinds above
            raise ValueError(f"unknown job kind {kind!r}")
    except InfeasibleError as exc:
        queue.put(("infeasible", exc.intro, list(exc.reasons), list(exc.suggestions)))
    except NoSolutionError as exc:  # its message keeps its key (wording.Said) for the page's words
        queue.put(("nosolution", exc.args[0] if exc.args and isinstance(exc.args[0], Said) else str(exc)))
    except OprPlannerError as exc:
        queue.put(("failed", str(exc)))
    except KeyboardInterrupt:
        queue.put(("nosolution", Said("stopped_early", "stopped before any plan was found")))
    except BaseException as exc:  # reported to the page in words, the traceback to the log
        queue.put(("crashed", f"{type(exc).__name__}: {exc}", traceback.format_exc()))


def _sweep(args: dict[str, Any], queue: Queue[Message]) -> tuple[list[str | None], dict[str, Any], bool]:
    """The variants one after the other (`sweep.solve_variant`, one search thread each);
    a stop ends the sweep after the variant that runs, keeping those done."""
    import dataclasses
    from pathlib import Path

    from ..sweep import parse_varies, solve_variant
    from ..sweep.report import best, explanations, summary_csv, summary_workbook, tradeoff_rows

    varies = parse_varies(args["varies"])
    outcomes = []
    for i, (task, stem) in enumerate(zip(args["tasks"], args["stems"], strict=True)):
        queue.put(("step", i + 1, len(args["tasks"]), task.name))
        outcome = solve_variant(task)
        if outcome.status == "interrupted":
            break
        outcomes.append(dataclasses.replace(outcome, name=stem))  # named after its plan file
    headers, rows = tradeoff_rows(varies, outcomes)
    here = Path(".")
    summary = {
        "sweep": {
            "keys": [v.key for v in varies],
            "headers": headers,
            "rows": rows,
            "plans": [f"{o.name}.plan.yaml" if o.feasible else "" for o in outcomes],
            "variants": [t.name for t in args["tasks"][: len(outcomes)]],
            "best": [o.name for o in best(outcomes)],
            "weighted": any(v.key.startswith("objectives.") for v in varies),
            "unexplained": [(name, reasons, tips) for name, reasons, tips in explanations(outcomes)],
            "total": len(args["tasks"]),
        },
        "files": {
            "csv": summary_csv(varies, outcomes, here).encode("utf-8"),
            "xlsx": summary_workbook(varies, outcomes, here),
        },
    }
    plans = [o.plan_text if o.feasible else None for o in outcomes]
    return plans, summary, len(outcomes) < len(args["tasks"])


def _repair_summary(outcome: Any) -> dict[str, Any]:
    """How repair decided (its lexicographic stages) and the confirmed items that gave way."""
    return {
        "stages": [
            {"name": st.name, "value": st.value, "bound": st.bound, "proven": st.proven}
            for st in outcome.stages
        ],
        "gave_way": [
            {
                "review": g.pin.review,
                "kind": g.pin.kind,
                "participant": g.pin.participant,
                "date": g.pin.date.isoformat() if g.pin.date else None,
                "why": g.why,
            }
            for g in outcome.gave_way
        ],
    }


def _summary(result: Any) -> dict[str, Any]:
    return {
        "status": result.status.value,
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "seconds": round(result.seconds, 2),
    }
