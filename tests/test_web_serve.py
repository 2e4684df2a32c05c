"""`opr-planner serve` as a coordinator starts it: a real server process on a free port."""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from helpers import run_cli
from web_helpers import SCENARIO, planning_folder

from opr_planner.plan import read_plan
from opr_planner.scenario import load_scenario

START = "from opr_planner.entry import run; run()"


def start_server(folder: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-c", START, "serve", str(folder), "--no-browser", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    for line in process.stdout:
        if line.startswith("Open: "):
            return process, line.split("Open: ", 1)[1].strip()
        assert time.monotonic() < deadline
    raise AssertionError(f"the server did not start: {process.stderr.read() if process.stderr else ''}")


def browser() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def test_serve_listens_on_loopback_with_a_token(tmp_path: Path) -> None:
    folder = planning_folder(tmp_path / "planning")
    process, url = start_server(folder)
    try:
        parts = urllib.parse.urlsplit(url)
        assert parts.hostname == "127.0.0.1" and parts.port and "token=" in parts.query
        bare = f"http://127.0.0.1:{parts.port}/data?s={SCENARIO}"
        try:
            urllib.request.urlopen(bare, timeout=10)
            raise AssertionError("a request without the token must be refused")
        except urllib.error.HTTPError as exc:
            assert exc.code == 403
        opener = browser()
        page = opener.open(url, timeout=10).read().decode()
        assert "Partnerschap A" in page  # the folder's only scenario, after the token became a cookie
        assert "Gegevens" in opener.open(bare, timeout=10).read().decode()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def test_serve_warns_loudly_when_listening_beyond_this_machine(tmp_path: Path) -> None:
    folder = planning_folder(tmp_path / "planning")
    process, _ = start_server(folder, "--host", "0.0.0.0")
    os.killpg(process.pid, signal.SIGTERM)
    _, err = process.communicate(timeout=20)
    assert "WARNING" in err and "personal data" in err and "not encrypted" in err


def test_a_killed_server_leaves_every_file_whole(tmp_path: Path) -> None:
    folder = planning_folder(tmp_path / "planning")
    process, url = start_server(folder, "--workers", "1")
    port = urllib.parse.urlsplit(url).port
    opener = browser()
    opener.open(url, timeout=10)
    base = f"http://127.0.0.1:{port}"
    page = opener.open(f"{base}/data/edit?s={SCENARIO}&part=participants&i=0", timeout=10).read().decode()
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]

    def post(path: str, **data: str) -> None:
        body = urllib.parse.urlencode({"s": SCENARIO, "csrf": csrf, **data}).encode()
        with contextlib.suppress(urllib.error.URLError, ConnectionError, OSError):  # the server is gone
            opener.open(urllib.request.Request(f"{base}{path}", data=body), timeout=10).read()

    post("/plans/solve", name="bezig", time_limit="30")

    def keep_saving() -> None:
        for i in range(200):
            edit = (
                opener.open(f"{base}/data/edit?s={SCENARIO}&part=participants&i=0", timeout=10)
                .read()
                .decode()
            )
            version = re.search(r'name="version" value="([^"]+)"', edit).group(1)  # type: ignore[union-attr]
            original = re.search(r'name="original" value="([^"]+)"', edit).group(1)  # type: ignore[union-attr]
            post(
                "/data/save",
                part="participants",
                i="0",
                version=version,
                original=original,
                **{
                    "f.id": "a1",
                    "f.name": f"Anna {i}",
                    "f.role": "student",
                    "f.region": "r-a",
                    "f.partnership": "pa",
                },
            )

    saver = threading.Thread(target=lambda: _quietly(keep_saving), daemon=True)
    saver.start()
    time.sleep(3)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=20)
    saver.join(timeout=20)
    assert load_scenario(folder / SCENARIO).participant["a1"].name.startswith("Anna")
    assert run_cli("validate", folder / SCENARIO).exit_code == 0
    for plan in folder.glob("*.plan.yaml"):
        read_plan(plan)  # whole, or not there at all


def _quietly(work) -> None:  # type: ignore[no-untyped-def]
    with contextlib.suppress(urllib.error.URLError, ConnectionError, OSError, AttributeError):
        work()
