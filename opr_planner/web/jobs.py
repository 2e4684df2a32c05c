"""Long searches (solve, repair, alternatives, sweeps) in worker processes, one per scenario at a time.

The page stays responsive because the search runs in its own process; a thread of the
server reads the worker's queue, keeps the progress points for the chart and, when
the worker is done, writes each plan it sent atomically under the chosen name. A second
search of the same scenario while one runs is refused (they would compete for the same
cores and the same plan names).
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import queue as queue_module
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..io.fileio import write_atomic
from .folder import Folder
from .worker import run

log = logging.getLogger("opr_planner.web")


class Busy(Exception):
    """A search of this scenario is still running."""


@dataclass
class Job:
    key: str  # the scenario
    kind: str  # solve | repair | alternatives | sweep
    targets: list[Path]  # where the plans go, in the order the worker sends them
    time_limit: float
    started: float = field(default_factory=time.monotonic)
    ended: float | None = None
    state: str = "running"  # running | done | infeasible | nosolution | failed
    points: list[tuple[float, int | None, int | None]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)
    message: str = ""  # the command line's words (English), or a detail of `message_key`
    message_key: str = ""  # the workbench's own words for what happened (workbench_words)
    message_values: dict[str, Any] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    stopped: bool = False
    interrupted: bool = False
    base: str = ""  # repair: the plan repaired
    files: dict[str, Path] = field(default_factory=dict)  # sweep: where its table goes (csv, xlsx)
    step: tuple[int, int] | None = None  # sweep: (variant now solved, variants)
    process: Any = field(default=None, repr=False)
    changed: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def running(self) -> bool:
        return self.state == "running"

    def snapshot(self) -> dict[str, Any]:
        best = next((p[1] for p in reversed(self.points) if p[1] is not None), None)
        bound = next((p[2] for p in reversed(self.points) if p[2] is not None), None)
        gap = None
        if best is not None and bound is not None:
            gap = abs(bound - best) / max(1, abs(bound))
        return {
            "kind": self.kind,
            "state": self.state,
            "seconds": round((self.ended or time.monotonic()) - self.started, 1),
            "time_limit": self.time_limit,
            "best": best,
            "bound": bound,
            "gap": gap,
            "points": self.points[-400:],
            "written": self.written,
            "message": self.message,
            "message_key": self.message_key,
            "message_values": self.message_values,
            "reasons": self.reasons,
            "suggestions": self.suggestions,
            "stopped": self.stopped,
            "interrupted": self.interrupted,
            "step": self.step,
            "sweep": self.summary.get("sweep"),
            "stages": self.summary.get("stages", []),
            "gave_way": self.summary.get("gave_way", []),
            "files": {k: p.name for k, p in self.files.items()},
        }


class Jobs:
    """The searches of one server, at most one running per scenario."""

    def __init__(self, folder: Folder, workers: int | None = None):
        self.folder = folder
        self.workers = workers
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._context = multiprocessing.get_context("spawn")

    def get(self, key: str) -> Job | None:
        with self._lock:
            return self._jobs.get(key)

    def start(self, key: str, kind: str, args: dict[str, Any], targets: list[Path], **extra: Any) -> Job:
        with self._lock:
            current = self._jobs.get(key)
            if current is not None and current.running:
                raise Busy(key)
            job = Job(key, kind, targets, float(args.get("time_limit", 0)), **extra)
            args = {**args, "workers": args.get("workers") or self.workers}
            queue = self._context.Queue()
            process = self._context.Process(target=run, args=(kind, args, queue), daemon=True)
            process.start()
            job.process = process
            self._jobs[key] = job
        threading.Thread(target=self._pump, args=(job, queue), daemon=True).start()
        return job

    def stop(self, key: str) -> bool:
        """Ask the search to stop; it keeps (and saves) the best plan found so far."""
        job = self.get(key)
        if job is None or not job.running or job.process is None:
            return False
        job.stopped = True
        with contextlib.suppress(OSError, TypeError):
            os.kill(job.process.pid, signal.SIGINT)
        job.changed.set()
        return True

    def shutdown(self) -> None:
        with self._lock:
            jobs = list(self._jobs.values())
        for job in jobs:
            if job.running and job.process is not None and job.process.is_alive():
                job.process.terminate()

    def _pump(self, job: Job, queue: Any) -> None:
        """Read the worker's messages until it is done (or gone)."""
        while True:
            try:
                message = queue.get(timeout=0.5)
            except queue_module.Empty:
                if job.process is not None and not job.process.is_alive():
                    try:  # its last words may have arrived just now
                        message = queue.get(timeout=0.5)
                    except queue_module.Empty:
                        self._finish(job, "failed", key="job_gone")
                        return
                else:
                    continue
            kind = message[0]
            if kind == "step":
                job.step = (message[1], message[2])
                job.changed.set()
                continue
            if kind == "progress":
                _, seconds, best, bound, _gap = message
                job.points.append((seconds, best, bound))
                job.changed.set()
                continue
            if kind == "done":
                _, plans, summary, interrupted = message
                job.summary, job.interrupted = summary, interrupted
                if summary.get("objective") is not None:
                    job.points.append((summary["seconds"], summary["objective"], summary.get("bound")))
                try:
                    for text, target in zip(plans, job.targets, strict=False):
                        if text is not None:  # a sweep variant without a plan
                            write_atomic(target, text)
                            job.written.append(target.name)
                    for name, data in summary.pop("files", {}).items():
                        write_atomic(job.files[name], data)
                except OSError as exc:
                    self._finish(job, "failed", key="job_write_failed", why=str(exc.strerror or exc))
                    return
                job.message = summary.get("note", "")
                self._finish(job, "done")
            elif kind == "infeasible":
                _, intro, reasons, suggestions = message
                job.reasons, job.suggestions = reasons, suggestions
                self._finish(job, "infeasible", message=intro)
            elif kind == "nosolution":
                self._finish(job, "nosolution", message=message[1])
            elif kind == "crashed":
                log.error("the search process failed:\n%s", message[2])
                self._finish(job, "failed", message=message[1], key="job_crashed")
            else:
                self._finish(job, "failed", message=str(message[1]))
            return

    def _finish(self, job: Job, state: str, message: str = "", key: str = "", **values: Any) -> None:
        if message:
            job.message = message
        if key:
            job.message_key, job.message_values = key, values
        job.state = state
        job.ended = time.monotonic()
        if job.process is not None:
            job.process.join(timeout=5)
        job.changed.set()
