#!/usr/bin/env python3
"""The first lines `opr-planner serve` prints, run for real, as docs/workbench.md shows them.

Usage: python3 scripts/serve_example.py

Starts `opr-planner serve mijn-regio/ --no-browser` in a temporary folder, reads its
lines up to "Stop with Ctrl-C.", stops the server (SIGINT, as Ctrl-C does) and prints
the command and those lines. The random token and the free port are masked (they differ
on every start), and the temporary folder is shown as /home/kwartiermaker.
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

COMMAND = ["opr-planner", "serve", "mijn-regio/", "--no-browser"]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp).resolve()
        (home / "mijn-regio").mkdir()
        server = subprocess.Popen(
            COMMAND, cwd=home, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        lines: list[str] = []
        try:
            assert server.stdout is not None
            for line in server.stdout:
                lines.append(line.rstrip("\n"))
                if line.startswith("Stop with Ctrl-C.") or len(lines) > 20:
                    break
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    print("$ " + " ".join(COMMAND))
    for line in lines:
        line = line.replace(str(home), "/home/kwartiermaker")
        line = re.sub(r"token=[A-Za-z0-9_\-]+", "token=<random token>", line)
        line = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:<free port>", line)
        print(line)
    return 0 if lines and lines[-1].startswith("Stop with Ctrl-C.") else 1


if __name__ == "__main__":
    sys.exit(main())
