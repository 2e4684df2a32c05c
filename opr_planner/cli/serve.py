"""`opr-planner serve [FOLDER]`: the coordinator's workbench in the browser."""

from __future__ import annotations

import logging
import socket
import threading
import webbrowser
from pathlib import Path

import click

from ..errors import InputError, Problem
from .common import echo_err, handle_errors

LOOPBACK = "127.0.0.1"


def _socket(host: str, port: int) -> socket.socket:
    """Bind first, so that the printed address is the one listened on (port 0: a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise InputError(
            [
                Problem(
                    f"{host}:{port}",
                    None,
                    "",
                    f"cannot listen there ({exc.strerror or exc})",
                    "choose another --port, or leave it out for a free one",
                )
            ]
        ) from None
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


@click.command("serve")
@click.argument("folder", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--port", type=click.IntRange(0, 65535), default=0, show_default="a free port", help="Port to listen on."
)
@click.option(
    "--host",
    default=None,
    help="Address to listen on instead of 127.0.0.1 (this machine only). Any other address "
    "lets others on the network reach the folder's personal data: see the warning it prints.",
)
@click.option("--no-browser", is_flag=True, help="Do not open the browser; just print the address.")
@click.option(
    "--workers", type=click.IntRange(min=1, max=64), default=None, help="CP-SAT workers per search."
)
@handle_errors
def serve_command(folder: Path, port: int, host: str | None, no_browser: bool, workers: int | None) -> None:
    """Open the workbench for FOLDER (default: here): data, plans, hand edits, comparison,
    changes and downloads in the browser, on the same files the commands use.

    The printed address holds a random access token; the browser keeps it in a cookie.
    Stop with Ctrl-C: every file is written whole, so stopping never damages one.
    """
    import uvicorn

    from ..web.app import create_app
    from ..web.security import Access

    if not folder.exists():
        folder.mkdir(parents=True)
    if not folder.is_dir():
        raise InputError([Problem(str(folder), None, "", "is not a folder", "name a planning folder")])
    listen = host or LOOPBACK
    sock = _socket(listen, port)
    port = sock.getsockname()[1]
    access = Access(port=port, host=listen)
    app = create_app(folder, access, solve_workers=workers)
    everywhere = listen in ("0.0.0.0", "::")
    shown = LOOPBACK if everywhere else (f"[{listen}]" if ":" in listen else listen)
    url = f"http://{shown}:{port}/?token={access.token}"
    if host is not None and host not in (LOOPBACK, "localhost", "::1"):
        echo_err(
            f"WARNING: listening on {listen}:{port}, not only on this machine. Anyone on the network who "
            f"gets the address below (with its token) can read and change the personal data in {folder.resolve()} "
            "(names, e-mail addresses, availability) and the plans. The connection is not encrypted (http): "
            "use this only on a network you trust, and stop the server when you are done."
        )
    click.echo(f"opr-planner workbench for {folder.resolve()}")
    click.echo(f"Open: {url}")
    if everywhere:
        click.echo(
            "From another machine: the same address with this machine's IP address instead of 127.0.0.1."
        )
    click.echo("Stop with Ctrl-C.")
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s")
    if not no_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        app.state.jobs.shutdown()
        sock.close()
