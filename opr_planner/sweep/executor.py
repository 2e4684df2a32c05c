"""Where sweep variants run: a `concurrent.futures` executor, local or on a Dask cluster.

`local` (the default) is a ProcessPoolExecutor with the *spawn* start method, so that a
variant never inherits the parent's threads or OR-Tools state, and it works the same on
Linux, macOS and Windows. `dask` hands the variants to an existing Dask distributed
cluster (`--scheduler tcp://host:8786`) through `Client.get_executor()`; Dask is an
optional dependency (`pip install "opr-planner[dask]"`), imported only when asked for.
The workers of that cluster must have opr-planner installed; the variants travel as
plain data and come back as values, so the workers need no access to the scenario or
output folder.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor

from ..errors import InputError, Problem

EXECUTORS = ("local", "dask")


def default_jobs() -> int:
    """Variants at a time by default: the number of cores."""
    return max(1, os.cpu_count() or 1)


def detach() -> None:
    """Pool process initializer: leave the terminal's process group.

    Ctrl-C then reaches only the sweep itself, which stops the pool (`_stop_now`); a
    search hit by the terminal's signal half-way would leave noise instead of a result.
    """
    if hasattr(os, "setpgrp"):
        os.setpgrp()


@contextlib.contextmanager
def interrupts_ignored() -> Iterator[None]:
    """Ignore Ctrl-C for a moment (main thread only): processes started meanwhile inherit
    that, so a Ctrl-C while they import cannot kill them with a traceback."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _stop_now(pool: ProcessPoolExecutor) -> None:
    """Cancel what is queued and end the running pool processes at once."""
    terminate = getattr(pool, "terminate_workers", None)  # Python >= 3.14
    if terminate is not None:
        terminate()
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())  # gone after shutdown
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()


def _usage(message: str, hint: str = "", option: str = "--executor dask") -> InputError:
    return InputError([Problem(option, None, "", message, hint)])


@contextlib.contextmanager
def make_executor(
    kind: str = "local", *, jobs: int | None = None, scheduler: str | None = None
) -> Iterator[Executor]:
    """An executor for `kind`; shut down (pending variants cancelled) when the block ends.

    Raises InputError (exit 2) for an unknown kind, a missing Dask installation or an
    unreachable scheduler.
    """
    if kind == "local":
        if scheduler:
            raise _usage("only applies to --executor dask", option="--scheduler")
        pool = ProcessPoolExecutor(
            max_workers=jobs or default_jobs(),
            mp_context=multiprocessing.get_context("spawn"),
            initializer=detach,
        )
        try:
            yield pool
        except BaseException:
            _stop_now(pool)
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        return
    if kind == "dask":
        with _dask_executor(scheduler) as executor:
            yield executor
        return
    raise _usage(f"unknown executor {kind!r}", f"use one of {', '.join(EXECUTORS)}", option="--executor")


@contextlib.contextmanager
def _dask_executor(scheduler: str | None) -> Iterator[Executor]:
    if not scheduler:
        raise _usage("needs --scheduler ADDRESS", "e.g. --scheduler tcp://127.0.0.1:8786")
    try:
        from distributed import Client
    except ImportError:
        raise _usage(
            "needs the optional Dask dependency",
            'install it with: pip install "opr-planner[dask]"',
        ) from None
    try:
        client = Client(scheduler, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise _usage(
            f"cannot reach the Dask scheduler at {scheduler} ({exc})", "is the cluster running?"
        ) from None
    try:
        executor = client.get_executor(pure=False)
        try:
            yield executor
        except BaseException:
            executor.shutdown(wait=False)  # cancels what is still queued or running
            raise
        executor.shutdown(wait=True)
    finally:
        client.close()
