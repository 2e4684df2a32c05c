"""What `repair` returns: the final result, its lexicographic stages and what gave way
(shared by the CP-SAT stages of repair.py and the local search of repair_local.py)."""

from __future__ import annotations

from dataclasses import dataclass

from ..analysis.disruption import Disruption
from ..evaluate import Evaluation
from ..plan import Plan
from .confirmed import Pin
from .result import Result


@dataclass(frozen=True)
class Stage:
    """One lexicographic stage: what was optimised, the value fixed, and whether it is proven.

    `value` and `bound` are None for a stage that was not run (interrupted, or out of time).
    """

    name: str
    goal: str  # "min" | "max"
    value: int | None
    bound: int | None
    proven: bool
    seconds: float


@dataclass(frozen=True)
class GaveWay:
    """A confirmed item the repaired plan could not keep, and why."""

    pin: Pin
    item: str
    why: str  # a wording.Said: English, with its key and values for the workbench


@dataclass(frozen=True)
class Repair:
    """The outcome of `repair`: the final solve, its stages and what changed."""

    result: Result
    stages: tuple[Stage, ...]
    gave_way: tuple[GaveWay, ...]
    disruption: Disruption
    before: Evaluation  # the old plan, judged under the current scenario
    after: Evaluation

    @property
    def plan(self) -> Plan:
        return self.result.plan

    @property
    def proven(self) -> bool:
        return all(s.proven for s in self.stages)
