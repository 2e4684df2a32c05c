"""The `opr-planner` console script: Ctrl-C while the modules load ends quietly."""

from __future__ import annotations

import signal
import sys


def run() -> None:
    from .timing import mark_process_start

    mark_process_start()  # --time-limit counts from here: from Enter to plan written
    pressed: list[int] = []
    # A KeyboardInterrupt raised inside an import (pydantic builds schemas then) would
    # surface as a confusing traceback: note the signal and act on it after loading.
    previous = signal.signal(signal.SIGINT, lambda signum, frame: pressed.append(signum))
    from .cli import main

    signal.signal(signal.SIGINT, previous)
    if pressed:
        sys.stderr.write("interrupted; nothing was done\n")
        sys.exit(130)
    main()
