"""One exception hierarchy; the CLI maps each class to an exit code (SPEC section 6)."""

from __future__ import annotations

from dataclasses import dataclass

from .wording import Said


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
        self.intro = intro or Said("intro", "No plan is possible:")
        super().__init__("\n".join([self.intro, *reasons]))


class NoSolutionError(OprPlannerError):
    """No plan was found within the time limit: exit 4."""

    exit_code = 4


class InputFileError(InputError):
    """An input file cannot be read or parsed; `problems` say where and why (exit 2).

    Readers of scenarios and plans turn it into their own ScenarioError or PlanError.
    """


class OutputError(InputError):
    """An output cannot be written (exit 2); the problem names the target and why."""


class SessionDateError(OprPlannerError):
    """A review date whose sessions would fall outside the years a plan may hold (exit 2)."""

    exit_code = 2


class ExportRefused(OprPlannerError):
    """The plan cannot be exported as it is (exit 2): the message says why and what to do."""

    exit_code = 2


class SweepInterrupted(OprPlannerError):
    """Ctrl-C during a sweep: finished variants are kept; rerun to resume."""

    exit_code = 130
