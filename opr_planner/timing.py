"""When a run began and how long each of its stages took (load, compile, greedy, search, write).

The time limit of `solve` is a promise from Enter to plan written, so the clock of a
command-line run starts when the program starts (`entry.run` marks it), not when the
search does; every stage after that spends from the same budget.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

# The stages of a solve, in order (model: building CP-SAT's model; backups: --backups).
STAGES = ("load", "compile", "greedy", "model", "search", "backups", "write")

_process_start: float | None = None


def mark_process_start() -> None:
    """Called first thing by the console script: the moment the user pressed Enter."""
    global _process_start
    _process_start = time.perf_counter()


def process_start() -> float | None:
    return _process_start


class Clock:
    """The start of one run (time.perf_counter()) and the seconds spent in each stage."""

    def __init__(self, start: float | None = None):
        self.start = time.perf_counter() if start is None else start
        self.stages: dict[str, float] = {}

    @classmethod
    def for_command(cls) -> Clock:
        """A clock from the program's start when run as `opr-planner`, else from now."""
        return cls(process_start())

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        began = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - began

    def summary(self) -> str:
        """'load 1.20 s, compile 0.41 s, ...; total 9.87 s' (stages in their usual order)."""
        names = [s for s in STAGES if s in self.stages] + [s for s in self.stages if s not in STAGES]
        parts = ", ".join(f"{name} {self.stages[name]:.2f} s" for name in names)
        return f"{parts}; total {self.elapsed():.2f} s" if parts else f"total {self.elapsed():.2f} s"
