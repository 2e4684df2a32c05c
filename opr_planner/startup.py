"""Ctrl-C while modules load: noted, and acted on once they are loaded, without a traceback.

A KeyboardInterrupt raised inside an import (pydantic builds schemas then) would surface
as a confusing traceback, or as a misleading SchemaError. The console script loads the
command line this way (`entry.run`), and the command line each command's module when it
runs (`cli._Commands`). Before the console script gets this far Python itself is still
starting: a Ctrl-C there is Python's own traceback (docs/robustness.md, known gaps).
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator

EXIT_INTERRUPTED = 130


@contextlib.contextmanager
def interrupts_after_loading() -> Iterator[None]:
    """Hold back SIGINT during the block; if it came, say so and exit 130 right after."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set in the main thread (and only it gets SIGINT)
        return
    pressed: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if pressed:
        sys.stderr.write("interrupted; nothing was done\n")
        sys.exit(EXIT_INTERRUPTED)
