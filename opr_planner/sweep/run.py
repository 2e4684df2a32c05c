"""Run a sweep: solve every variant in its own process, write plans and result records.

Each variant is solved with one CP-SAT worker and the given seed, so it is reproducible
on any machine. Workers get plain data (`VariantTask`) and return plain values
(`Outcome`); only this process writes files, each atomically:

    DIR/<variant>.scenario.yaml   the variant as a scenario file (what its plan's sha256 names)
    DIR/<variant>.plan.yaml       the plan (only for a variant that has one)
    DIR/<variant>.infeasible.txt  why there is no plan (only for an infeasible variant)
    DIR/<variant>.result.json     the record of a finished variant, written last

A rerun skips every variant whose record matches the swept scenario's sha256, the variant's
values and the seed (and whose plan file is still there), so an interrupted sweep
resumes where it stopped. Variants that ran out of time or failed are not recorded and
are tried again.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from .. import __version__
from ..analysis.choice import people_and_seats
from ..errors import InfeasibleError, InputError, NoSolutionError, SweepInterrupted
from ..io.fileio import write_atomic
from ..io.jsonio import load_json
from ..io.reader import InputFileError, read_text
from ..io.yamlio import load_yaml
from ..plan import plan_text, read_plan
from ..scenario.load import scenario_from_data
from ..scenario.models import Scenario
from .executor import interrupts_ignored, make_executor
from .variants import Variant, scenario_text

RECORD_FORMAT = "opr-sweep-result/1"
DONE = ("optimal", "feasible", "infeasible")
Log = Callable[[str], None]


@dataclass(frozen=True)
class VariantTask:
    """Everything a worker needs to solve one variant (plain, picklable data)."""

    name: str
    values: dict[str, Any]
    text: str  # the variant's scenario file (`scenario_text`)
    scenario_path: str  # the swept scenario file
    scenario_sha256: str | None  # ... and the sha256 of its bytes
    seed: int
    time_limit: float

    @property
    def variant_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Outcome:
    """What became of one variant; `plan_text` travels back from the worker, unsaved."""

    name: str
    values: dict[str, Any]
    status: str  # optimal | feasible | infeasible | no_solution | interrupted | error
    objective: int | None = None
    bound: int | None = None
    metrics: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    reasons: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    message: str = ""
    plan_text: str | None = None
    skipped: bool = False
    people: int | None = None  # distinct participants in the plan
    seats: int | None = None  # memberships over all reviews

    @property
    def feasible(self) -> bool:
        return self.status in ("optimal", "feasible")


def plain(values: dict[str, Any]) -> dict[str, Any]:
    """Values as JSON would give them back (dates as text), for records and comparisons."""
    return json.loads(json.dumps(values, default=str))


def variant_info(task: VariantTask) -> dict[str, Any]:
    """What a plan records about the sweep variant it is (`solver.variant`); the plan's
    `scenario.sha256` is that of the variant's scenario file, `base` the swept one."""
    return {
        "name": task.name,
        "values": plain(task.values),
        "base": {"path": task.scenario_path, "sha256": task.scenario_sha256},
    }


def solve_variant(task: VariantTask) -> Outcome:
    """Solve one variant (runs in a worker process); never raises for a planning outcome."""
    start = time.perf_counter()
    base = Outcome(task.name, task.values, "error")
    try:
        from ..solver.solve import solve

        label = f"{task.name}.scenario.yaml"
        data, _ = load_yaml(task.text, label)
        scenario = scenario_from_data(data, label)
        scenario._path = label
        scenario._sha256 = task.variant_sha256
        result = solve(scenario, time_limit=task.time_limit, seed=task.seed, workers=1)
    except InfeasibleError as exc:
        return replace(
            base,
            status="infeasible",
            reasons=tuple(exc.reasons),
            suggestions=tuple(exc.suggestions),
            seconds=time.perf_counter() - start,
        )
    except NoSolutionError as exc:
        return replace(base, status="no_solution", message=str(exc), seconds=time.perf_counter() - start)
    except KeyboardInterrupt:
        return replace(base, status="interrupted", seconds=time.perf_counter() - start)
    except Exception as exc:  # reported in the table, never silently dropped
        return replace(base, message=f"{type(exc).__name__}: {exc}", seconds=time.perf_counter() - start)
    if result.interrupted:
        return replace(base, status="interrupted", seconds=result.seconds)
    plan = result.plan
    assert plan.solver is not None
    plan = plan.model_copy(update={"solver": plan.solver.model_copy(update={"variant": variant_info(task)})})
    people, seats = people_and_seats(plan)
    return replace(
        base,
        status=result.status.value,
        objective=plan.objective,
        bound=result.bound,
        metrics=dict(plan.metrics or {}),
        seconds=result.seconds,
        plan_text=plan_text(plan),
        people=people,
        seats=seats,
    )


# -- files ------------------------------------------------------------------------------


def plan_path(out_dir: Path, name: str) -> Path:
    return out_dir / f"{name}.plan.yaml"


def record_path(out_dir: Path, name: str) -> Path:
    return out_dir / f"{name}.result.json"


def infeasible_path(out_dir: Path, name: str) -> Path:
    return out_dir / f"{name}.infeasible.txt"


def variant_scenario_path(out_dir: Path, name: str) -> Path:
    return out_dir / f"{name}.scenario.yaml"


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)


class _Record(BaseModel):
    """What a record must hold to be trusted (a damaged one means: solve the variant again)."""

    model_config = ConfigDict(strict=True, extra="ignore")
    format: str
    scenario: dict[str, Any]
    values: dict[str, Any]
    seed: int
    status: str
    objective: int | None = None
    bound: int | None = None
    metrics: dict[str, int] | None = None
    seconds: float | None = None
    reasons: list[str] | None = None
    suggestions: list[str] | None = None
    people: int | None = None
    seats: int | None = None


def read_record(out_dir: Path, task: VariantTask) -> Outcome | None:
    """The finished outcome recorded for this task, or None if it must be (re)solved.

    The record is read like any input (regular file, size cap, no duplicate keys, no
    half characters); one that is damaged, of the wrong shape or of other values is
    ignored and the variant solved again."""
    path = record_path(out_dir, task.name)
    try:
        data, _ = load_json(read_text(path)[0], str(path), lines=False)
        record = _Record.model_validate(data)
    except (InputFileError, ValidationError):
        return None
    matches = (
        record.format == RECORD_FORMAT
        and record.scenario.get("sha256") == task.scenario_sha256
        and record.values == plain(task.values)
        and record.seed == task.seed
        and record.status in DONE
    )
    if not matches:
        return None
    feasible = record.status in ("optimal", "feasible")
    if feasible and not _readable_plan(plan_path(out_dir, task.name)):
        return None  # missing or damaged since: solve the variant again
    if not variant_scenario_path(out_dir, task.name).is_file():
        return None
    return Outcome(
        task.name,
        task.values,
        record.status,
        objective=record.objective,
        bound=record.bound,
        metrics=dict(record.metrics or {}),
        seconds=float(record.seconds or 0.0),
        reasons=tuple(record.reasons or ()),
        suggestions=tuple(record.suggestions or ()),
        skipped=True,
        people=record.people,
        seats=record.seats,
    )


def store(out_dir: Path, task: VariantTask, outcome: Outcome) -> None:
    """Write the outcome's files, record last; remove files that would now be wrong."""
    plan_file, why_file, record_file = (
        plan_path(out_dir, task.name),
        infeasible_path(out_dir, task.name),
        record_path(out_dir, task.name),
    )
    if outcome.status in ("interrupted", "error"):
        return
    if outcome.status in ("infeasible", "no_solution"):
        _remove(record_file)
        _remove(plan_file)  # a plan from an earlier run would contradict "no plan"
    if outcome.status == "no_solution":
        return
    write_atomic(variant_scenario_path(out_dir, task.name), task.text)
    if outcome.feasible:
        assert outcome.plan_text is not None
        write_atomic(plan_file, outcome.plan_text)
        _remove(why_file)
    else:
        lines = [f"{task.name}: no plan is possible", *(f"  - {r}" for r in outcome.reasons)]
        if outcome.suggestions:
            lines += ["What you could relax:", *(f"  - {s}" for s in outcome.suggestions)]
        write_atomic(why_file, "\n".join(lines) + "\n")
    record = {
        "format": RECORD_FORMAT,
        "variant": task.name,
        "values": plain(task.values),
        "scenario": {"path": task.scenario_path, "sha256": task.scenario_sha256},
        "variant_scenario": {
            "path": variant_scenario_path(out_dir, task.name).name,
            "sha256": task.variant_sha256,
        },
        "seed": task.seed,
        "time_limit": task.time_limit,
        "version": __version__,
        "status": outcome.status,
        "objective": outcome.objective,
        "bound": outcome.bound,
        "metrics": outcome.metrics,
        "people": outcome.people,
        "seats": outcome.seats,
        "seconds": round(outcome.seconds, 2),
        "plan": plan_file.name if outcome.feasible else None,
        "reasons": list(outcome.reasons),
        "suggestions": list(outcome.suggestions),
    }
    write_atomic(record_file, json.dumps(record, indent=2, ensure_ascii=False) + "\n")


# -- the sweep ------------------------------------------------------------------------


def tasks_for(
    scenario: Scenario, variants: Iterable[Variant], *, seed: int, time_limit: float
) -> list[VariantTask]:
    """One task per variant of `scenario` (the loaded, swept scenario file)."""
    return [
        VariantTask(
            v.name,
            v.values,
            scenario_text(v, scenario.sha256),
            scenario.path or "<scenario>",
            scenario.sha256,
            seed,
            time_limit,
        )
        for v in variants
    ]


def describe(outcome: Outcome) -> str:
    """One log line's worth about an outcome."""
    if outcome.skipped:
        return "skipped (done)"
    if outcome.feasible:
        return f"{outcome.status}, objective {outcome.objective}, {outcome.seconds:.2f} s"
    if outcome.status == "infeasible":
        return "infeasible (no plan possible)"
    if outcome.status == "no_solution":
        return "no plan found within the time limit"
    return outcome.status if not outcome.message else f"{outcome.status}: {outcome.message}"


def run_sweep(
    tasks: list[VariantTask],
    out_dir: Path,
    *,
    executor: str = "local",
    jobs: int | None = None,
    scheduler: str | None = None,
    log: Log = lambda line: None,
) -> list[Outcome]:
    """Solve the tasks not finished before, store each outcome as it arrives; outcomes in task order.

    Raises SweepInterrupted on Ctrl-C after keeping every variant that did finish.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    total = len(tasks)
    outcomes: dict[str, Outcome] = {}
    todo = []
    for i, task in enumerate(tasks, 1):
        done = read_record(out_dir, task)
        if done is not None:
            outcomes[task.name] = done
            log(f"[{i}/{total}] {task.name}: skipped (done)")
        else:
            todo.append(task)
    number = {t.name: i for i, t in enumerate(tasks, 1)}

    def finish(future: Future[Outcome], task: VariantTask, interrupted: bool = False) -> None:
        try:
            outcome = future.result()
        except Exception as exc:  # the pool or cluster failed, not the variant's solve
            status, message = (
                ("interrupted", "") if interrupted else ("error", f"{type(exc).__name__}: {exc}")
            )
            outcome = Outcome(task.name, task.values, status, message=message)
        store(out_dir, task, outcome)
        outcomes[task.name] = outcome
        log(f"[{number[task.name]}/{total}] {task.name}: {describe(outcome)}")

    if todo:
        with make_executor(executor, jobs=jobs, scheduler=scheduler) as pool:
            with interrupts_ignored():  # local pool processes start here
                futures = {pool.submit(solve_variant, task): task for task in todo}
            try:
                for future in as_completed(futures):
                    finish(future, futures[future])
            except KeyboardInterrupt:
                # Keep what has finished; leaving the block stops what still runs.
                for future in futures:
                    future.cancel()
                for future, task in futures.items():
                    if future.done() and not future.cancelled() and task.name not in outcomes:
                        finish(future, task, interrupted=True)
                kept = sum(1 for o in outcomes.values() if o.status in DONE)
                raise SweepInterrupted(
                    f"interrupted: {kept} of {total} variants are done; run the same command again to resume"
                ) from None
    return [outcomes[t.name] for t in tasks]


def _readable_plan(path: Path) -> bool:
    try:
        read_plan(path)
    except (InputError, OSError):
        return False
    return True
