"""Interrupted runs (SPEC 6: "No command ever writes half a file"): Ctrl-C (SIGINT),
`kill` (SIGTERM) or `kill -9` during `solve` or `export` leave either the previous file
or a complete new one, never a half-written one and no temporary file.

These tests run the real `opr-planner` command in a subprocess on a generated scenario
that is large enough (12 partnerships, 330 participants) for the search to take a while.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from opr_planner.io.fileio import write_atomic
from opr_planner.plan import read_plan
from opr_planner.scenario.generate import generate

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

EXE = shutil.which("opr-planner") or ""
BEST = re.compile(r"\bbest\s+(-?\d+)")  # any progress line with a plan (greedy start or search)
SEARCH = re.compile(r"plans\s+(\d+)\s+best\s+(-?\d+)")  # a progress line of the CP-SAT search
WAIT = 90.0  # seconds to wait for a progress line on a slow machine


def _command(*args: object) -> list[str]:
    if EXE:
        return [EXE, *map(str, args)]
    return [sys.executable, "-c", "from opr_planner.cli import main; main()", *map(str, args)]


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = generate(partnerships=12, regions=14, participants_per_partnership=25, unaffiliated=30, seed=0)
    path = tmp_path_factory.mktemp("big") / "big.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def big_plan(big: Path) -> Path:
    """A plan of the big scenario (short search; it only needs to be exportable)."""
    path = big.with_name("big.plan.yaml")
    subprocess.run(
        _command("solve", big, "-o", path, "--time-limit", "2", "--workers", "2", "-q"),
        check=True,
        timeout=300,
    )
    return path


class Run:
    """A running command; threads collect its stdout and its stderr lines as they come."""

    def __init__(self, *args: object, cwd: Path | None = None):
        self.proc = subprocess.Popen(
            _command(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.err: list[str] = []
        self.out: list[str] = []
        self._readers = [
            threading.Thread(target=self._read_err, daemon=True),
            threading.Thread(target=self._read_out, daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def _read_err(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.err.append(line)
            self.lines.put(line)

    def _read_out(self) -> None:
        assert self.proc.stdout is not None
        self.out.extend(self.proc.stdout)

    def wait_for(
        self, pattern: re.Pattern[str], accept: Callable[[re.Match[str]], bool] = lambda m: True
    ) -> re.Match[str]:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.proc.poll() is not None and self.lines.empty():
                    break
                continue
            match = pattern.search(line)
            if match and accept(match):
                return match
        self.proc.kill()
        pytest.fail(f"no progress line matching {pattern.pattern!r}; stderr:\n{''.join(self.err)}")

    def finish(self, timeout: float = 120) -> tuple[int, str, str]:
        """Exit code, all of stdout and all of stderr, once the process has ended."""
        code = self.proc.wait(timeout=timeout)
        for reader in self._readers:
            reader.join(timeout=10)
        return code, "".join(self.out), "".join(self.err)


def _no_temp_files(folder: Path) -> None:
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []


def _assert_complete_interrupted_plan(path: Path, code: int, out: str, err: str) -> None:
    assert code == 0, f"exit {code}\nstdout:\n{out[-2000:]}\nstderr:\n{err[-2000:]}"
    assert "Traceback" not in err
    plan, warnings = read_plan(path)  # complete: parses and validates
    assert warnings == []
    assert plan.solver is not None and plan.solver.status == "feasible"
    assert plan.reviews and all(r.members for r in plan.reviews)
    assert "interrupted" in out
    _no_temp_files(path.parent)


# -- solve ----------------------------------------------------------------------------


def test_sigint_after_the_first_best_line_writes_a_complete_plan(big: Path, tmp_path: Path) -> None:
    """Wait for the first progress line with a best objective (the greedy start, before the
    search), press Ctrl-C at once: the plan shown must be written, complete."""
    target = tmp_path / "big.plan.yaml"
    run = Run("solve", big, "-o", target, "--time-limit", "300", "--workers", "2")
    run.wait_for(BEST)
    run.proc.send_signal(signal.SIGINT)
    _assert_complete_interrupted_plan(target, *run.finish())


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_during_the_search_writes_the_best_plan_so_far(big: Path, tmp_path: Path, sig: int) -> None:
    target = tmp_path / "big.plan.yaml"
    target.write_text("previous plan\n", encoding="utf-8")
    run = Run("solve", big, "-o", target, "--time-limit", "300", "--workers", "2")
    run.wait_for(SEARCH, accept=lambda m: int(m.group(1)) >= 1)  # CP-SAT found a plan
    run.proc.send_signal(sig)
    _assert_complete_interrupted_plan(target, *run.finish())


def test_a_previous_plan_survives_a_run_killed_before_writing(big: Path, tmp_path: Path) -> None:
    target = tmp_path / "big.plan.yaml"
    target.write_text("previous plan\n", encoding="utf-8")
    run = Run("solve", big, "-o", target, "--time-limit", "300", "--workers", "2")
    run.wait_for(BEST)
    run.proc.send_signal(signal.SIGKILL)
    code, _, _ = run.finish()
    assert code == -signal.SIGKILL
    assert target.read_text(encoding="utf-8") == "previous plan\n"
    _no_temp_files(tmp_path)


def test_an_early_interrupt_keeps_the_previous_plan_or_writes_a_complete_one(
    big: Path, tmp_path: Path
) -> None:
    """Ctrl-C while the scenario is still being read and the model built."""
    target = tmp_path / "big.plan.yaml"
    target.write_text("previous plan\n", encoding="utf-8")
    run = Run("solve", big, "-o", target, "--time-limit", "300", "--workers", "2")
    run.wait_for(re.compile(r"^Solving "))
    run.proc.send_signal(signal.SIGINT)
    code, _, err = run.finish()
    assert "Traceback" not in err
    text = target.read_text(encoding="utf-8")
    if text != "previous plan\n":
        assert code == 0
        assert read_plan(target)[0].solver is not None
    _no_temp_files(tmp_path)


# -- export ---------------------------------------------------------------------------


def _while_python_starts(err: str) -> bool:
    """Ctrl-C before the console script can hold it back (Python itself still starting):
    Python's own traceback, nothing read or written yet. Later (click choosing the command,
    a command's module loading, the command running) a traceback is a bug."""
    return err.rstrip().endswith("KeyboardInterrupt") and f"click{os.sep}" not in err


@pytest.mark.parametrize("kind", ["csv", "html"])
def test_an_interrupted_export_leaves_the_old_file_or_the_whole_new_one(
    kind: str, big: Path, big_plan: Path, tmp_path: Path
) -> None:
    """Four exports at once, each interrupted at its own moment of its run: the moments are
    shares of how long one export takes now (measured first), so a loaded machine moves
    them later instead of crowding them all into Python's start."""
    reference = tmp_path / f"reference.{kind}"
    began = time.monotonic()
    subprocess.run(_command("export", kind, big, big_plan, "-o", reference), check=True, timeout=120)
    took = time.monotonic() - began
    new = reference.read_bytes()
    shares = [0.2, 0.45, 0.7, 0.95]
    # All four run at once on the machine's cores: each lasts about `took` x runs per core.
    lifetime = took * max(1.0, len(shares) / (os.cpu_count() or 1))
    runs = []
    for i, share in enumerate(shares):
        folder = tmp_path / f"run{i}"
        folder.mkdir()
        target = folder / f"plan.{kind}"
        target.write_bytes(b"previous export\n")
        runs.append((share * lifetime, folder, target, Run("export", kind, big, big_plan, "-o", target)))
    started = time.monotonic()
    for i, (delay, _, _, run) in enumerate(runs):
        time.sleep(max(0.0, started + delay - time.monotonic()))
        run.proc.send_signal(signal.SIGINT if i % 2 else signal.SIGTERM)
    for _, folder, target, run in runs:
        code, _, err = run.finish()
        if "Traceback" in err:
            assert _while_python_starts(err) and code != 0, err
            assert target.read_bytes() == b"previous export\n"
        assert target.read_bytes() in (b"previous export\n", new)
        if code == 0:
            assert target.read_bytes() == new
        _no_temp_files(folder)


_PRESS_WHILE_LOADING = textwrap.dedent(
    """
    import os, signal, sys
    module = sys.argv.pop(1)

    class Press:
        def find_spec(self, name, path=None, target=None):
            if name == module:
                os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C just as this module starts loading
            return None

    sys.meta_path.insert(0, Press())
    from opr_planner.entry import run
    run()
    """
)


@pytest.mark.parametrize(
    "module",
    ["opr_planner.cli", "opr_planner.cli.validate", "opr_planner.scenario.load"],
    ids=["the command line", "the command's module", "what the command imports"],
)
def test_ctrl_c_while_modules_load_prints_no_traceback(module: str, tmp_path: Path) -> None:
    """Ctrl-C the moment a module starts loading (an import hook presses it, so the moment
    is exact, not a guess by sleeping): a short note and exit 130, never a traceback."""
    result = subprocess.run(
        [sys.executable, "-c", _PRESS_WHILE_LOADING, module, "validate", str(tmp_path / "s.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stderr == "interrupted; nothing was done\n"
    assert result.returncode == 130


def test_an_interrupted_calendar_export_leaves_only_complete_calendars(
    big: Path, big_plan: Path, tmp_path: Path
) -> None:
    from icalendar import Calendar

    for delay in (0.8, 1.6):
        folder = tmp_path / f"ics-{delay}"
        run = Run("export", "ics", big, big_plan, "-o", folder)
        time.sleep(delay)
        run.proc.send_signal(signal.SIGTERM)
        run.finish()
        if folder.exists():
            _no_temp_files(folder)
            for path in folder.glob("*.ics"):
                data = path.read_bytes()
                assert data.rstrip().endswith(b"END:VCALENDAR"), path.name
                Calendar.from_ical(data)


# -- the atomic write itself -----------------------------------------------------------


def test_write_atomic_finishes_before_a_sigint_takes_effect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.yaml"
    target.write_text("old\n", encoding="utf-8")
    real_fsync = os.fsync

    def interrupted_fsync(fd: int) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C in the middle of the write
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", interrupted_fsync)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new and complete\n")
    assert target.read_text(encoding="utf-8") == "new and complete\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]


def test_write_atomic_finishes_before_a_sigterm_ends_the_process(tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    target.write_text("old\n", encoding="utf-8")
    script = textwrap.dedent(
        f"""
        import os, signal
        from opr_planner.io.fileio import write_atomic
        real = os.fsync
        def fsync(fd):
            os.kill(os.getpid(), signal.SIGTERM)  # `kill` in the middle of the write
            real(fd)
        os.fsync = fsync
        write_atomic({str(target)!r}, "new and complete\\n")
        print("not reached: SIGTERM ends the process once the write is done")
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == -signal.SIGTERM, result.stderr
    assert "not reached" not in result.stdout
    assert target.read_text(encoding="utf-8") == "new and complete\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]
