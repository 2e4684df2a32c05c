"""The `opr-planner` console script: Ctrl-C while the modules load ends quietly."""

from __future__ import annotations


def run() -> None:
    from .timing import mark_process_start

    mark_process_start()  # --time-limit counts from here: from Enter to plan written
    from .startup import interrupts_after_loading

    with interrupts_after_loading():
        from .cli import main
    main()
