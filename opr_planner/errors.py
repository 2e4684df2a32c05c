"""One exception hierarchy; the CLI maps each class to an exit code (SPEC section 6)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in an input file: where it is, what is wrong, and how to fix it."""

    file: str
    line: int | None
    path: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.path}:" if self.path else ""
        hint = f"; {self.hint}" if self.hint else ""
        return f"{where}:{field} {self.message}{hint}"


class OprPlannerError(Exception):
    """Base class of every error this package raises on purpose."""

    exit_code = 1


class InputError(OprPlannerError):
    """Bad input (scenario, CSV or plan file): exit 2, one line per problem."""

    exit_code = 2

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ScenarioError(InputError):
    """The scenario file (or its participants CSV) is unreadable or invalid."""


class PlanError(InputError):
    """The plan file is unreadable or invalid."""


class InfeasibleError(OprPlannerError):
    """The scenario has no plan: exit 3, with the reasons in the coordinator's words."""

    exit_code = 3

    def __init__(self, reasons: list[str], suggestions: list[str] | None = None, intro: str = ""):
        self.reasons = reasons
        self.suggestions = suggestions or []
        self.intro = intro or "No plan is possible:"
        super().__init__("\n".join([self.intro, *reasons]))


class NoSolutionError(OprPlannerError):
    """No plan was found within the time limit: exit 4."""

    exit_code = 4
