"""What a solve returns: its status, the plan, the proof (bound) and how it was found.

Values only: the pipeline (solve.py) builds them, the CLI and the benchmarks read them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from .. import __version__
from ..plan import Plan, SolverInfo


class SolveStatus(StrEnum):
    OPTIMAL = "optimal"  # the bound proves that no plan is better
    FEASIBLE = "feasible"  # a valid plan; a better one may exist


class Method(StrEnum):
    """How the plan was searched (chosen by the size of the scenario, see solve.py)."""

    CP_SAT = "CP-SAT"
    CP_SAT_LOCAL = "CP-SAT + local search"
    LOCAL_SEARCH = "local search"


class Source(StrEnum):
    """Where the returned plan came from: the search that found the best valid plan."""

    CP_SAT = "CP-SAT"
    LOCAL_SEARCH = "local search"
    HINT = "hint"
    GREEDY = "greedy"


@dataclass(frozen=True)
class Progress:
    """One progress event: a new best plan or a better bound."""

    seconds: float
    objective: int | None
    bound: int | None
    solutions: int

    @property
    def gap(self) -> float | None:
        return relative_gap(self.objective, self.bound)


ProgressHook = Callable[[Progress], None]


@dataclass(frozen=True)
class Statistics:
    """How a solve went: which method ran, where the plan came from, model size, stage times.

    `stages` maps a stage name (compile, greedy, model, search, choose) to its seconds, in
    the order they ran. `variables` and `constraints` are None when no CP-SAT model was built.
    """

    method: Method
    source: Source
    variables: int | None = None
    constraints: int | None = None
    rounds: int = 0  # CP-SAT runs (more than one when spacing clauses are added lazily)
    candidates: int = 0  # (review, candidate) pairs: what decides the method
    local_search_steps: int = 0
    local_search_improvements: int = 0
    stages: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))

    def summary(self) -> str:
        """One line for people: 'CP-SAT + local search, plan from local search, 7,996 variables, ...'."""
        parts = [str(self.method), f"plan from {self.source}"]
        if self.variables is not None:
            parts.append(f"{self.variables:,} variables, {self.constraints or 0:,} constraints")
            parts.append(f"{self.rounds} CP-SAT run{'s' if self.rounds != 1 else ''}")
        if self.local_search_steps:
            parts.append(f"{self.local_search_steps:,} local search steps")
        return ", ".join(parts)


@dataclass(frozen=True)
class Result:
    """The outcome of one solve: a value, never a side effect."""

    status: SolveStatus
    plan: Plan
    objective: int
    bound: int | None  # None: no bound known (the search found nothing; greedy fallback)
    seconds: float
    seed: int
    workers: int
    statistics: Statistics
    interrupted: bool = False
    first_solution_seconds: float | None = None

    @property
    def gap(self) -> float | None:
        return relative_gap(self.objective, self.bound)


def relative_gap(objective: int | None, bound: int | None) -> float | None:
    if objective is None or bound is None:
        return None
    return abs(bound - objective) / max(1, abs(bound))


def solver_info(
    status: SolveStatus, objective: int, bound: int | None, seconds: float, seed: int, workers: int
) -> SolverInfo:
    """What a plan records about the solve that made it (SPEC 5, `solver:`)."""
    return SolverInfo(
        status=status.value,
        objective=objective,
        bound=bound,
        seconds=round(seconds, 2),
        seed=seed,
        workers=workers,
        gap=None if bound is None else round(relative_gap(objective, bound) or 0.0, 6),
        version=__version__,
    )
