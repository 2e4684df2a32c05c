"""Helpers shared by the tests: paths to the test data and the conformance kit, an
in-process CLI runner, and small functions that write scenario and plan variants."""

from __future__ import annotations

import contextlib
import os
import re
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from opr_planner.cli import main
from opr_planner.plan import Plan, write_plan

TESTS = Path(__file__).resolve().parent
DATA = TESTS / "data"
REPO = TESTS.parent

# The shared conformance kit sits beside the repository (../shared/conformance);
# tests/data/conformance is a copy so that the suite also runs without it.
SHARED_KIT = REPO.parent / "shared" / "conformance"
BUNDLED_KIT = DATA / "conformance"
KIT = SHARED_KIT if (SHARED_KIT / "expected.yaml").is_file() else BUNDLED_KIT

TINY = DATA / "tiny.yaml"
TINY_PLAN = DATA / "tiny.plan.yaml"  # the kit's valid.plan.yaml (test_conformance checks the copy)

# Numbers from the conformance kit, read rather than copied: the verdicts of an independent
# checker (expected.yaml) and the proven optimum of tiny.yaml (stated in its README).
KIT_EXPECTED: dict[str, Any] = yaml.safe_load((KIT / "expected.yaml").read_text(encoding="utf-8"))
VALID_OBJECTIVE: int = KIT_EXPECTED["valid.plan.yaml"]["objective"]
_OPTIMUM = re.search(
    r"best objective of `tiny\.yaml` is \*\*(\d+)\*\*", (KIT / "README.md").read_text(encoding="utf-8")
)
assert _OPTIMUM is not None, "the kit's README no longer states the optimum of tiny.yaml"
KIT_OPTIMUM = int(_OPTIMUM.group(1))

RULE_ID = re.compile(r"\bH\d+\b")

# Debian's Chromium (apt-get install -y chromium chromium-driver) for the browser tests.
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def needs_chromium() -> None:
    """Skip a browser test where Chromium is missing, except in CI (CI=true): there it must run."""
    if CHROMIUM.exists():
        return
    if IN_CI:
        pytest.fail("CI=true but there is no Chromium at /usr/bin/chromium: browser tests must run in CI")
    pytest.skip("needs Chromium at /usr/bin/chromium (apt-get install -y chromium chromium-driver)")


def rule_ids_in(text: str) -> list[str]:
    """Distinct rule ids (H1..H18) mentioned in `text`, in rule order."""
    return sorted(set(RULE_ID.findall(text)), key=lambda r: int(r[1:]))


@dataclass(frozen=True)
class Run:
    """What one command run printed, and its exit code."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


# Issue 17: every hostile case answers within this many seconds, or the test fails.
CASE_SECONDS = 10.0


class Hung(Exception):
    """Raised by `deadline` (not an OSError, which commands would report as a message)."""


@contextlib.contextmanager
def deadline(seconds: float = CASE_SECONDS) -> Iterator[None]:
    """Fail (instead of hanging the suite) when the block takes longer than `seconds`.

    SIGALRM interrupts a blocking system call (an open of a FIFO, a read) as well as
    Python code; main thread only, as the tests run."""

    def expired(signum: int, frame: object) -> None:
        raise Hung(f"still running after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _runner() -> CliRunner:
    try:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]  # click < 8.2
    except TypeError:
        return CliRunner()  # click >= 8.2 keeps stderr apart by itself


def run_cli(*args: str | Path) -> Run:
    """Run `opr-planner ARGS` in-process (an unexpected exception fails the test)."""
    result = _runner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


def read_yaml_data(path: Path) -> Any:
    """A fixture file as plain data (for editing before it is written back)."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write_yaml_data(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def scenario_variant(tmp_path: Path, base: Path = TINY, name: str = "scenario.yaml", **rules: Any) -> Path:
    """A copy of `base` in tmp_path with some `rules` changed."""
    data = read_yaml_data(base)
    data.setdefault("rules", {}).update(rules)
    return write_yaml_data(tmp_path / name, data)


def save_plan(plan: Plan, path: Path) -> Path:
    write_plan(plan, path)
    return path
