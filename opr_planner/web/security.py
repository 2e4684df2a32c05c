"""Who may use the workbench: the folder holds personal data, so every request is checked.

- A random access token is part of the address `serve` prints; the first visit with it
  sets a cookie (HttpOnly, SameSite=Strict) and redirects to the address without it,
  so the token does not stay in the address bar or the history. Every later request
  needs that cookie. This is how notebook servers guard a local port.
- The Host header must name this server (loopback names, or the address given with
  --host): a page on another site whose name is re-pointed at 127.0.0.1 (DNS
  rebinding) sends its own name and is refused.
- Every request that changes something (any method but GET/HEAD) carries the CSRF
  token of this server run in an `X-CSRF-Token` header or a `csrf` form field, and,
  when the browser sends an Origin header, comes from this server's own origin.
- Request bodies are capped (uploads included): a larger body is refused before it is read.
"""

from __future__ import annotations

import functools
import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY = 10 * 1024 * 1024  # 10 MiB: a workbook of thousands of participants is well below 1 MiB
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]", "::1")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def new_token() -> str:
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class Access:
    """The secrets and names of one server run."""

    port: int
    token: str = field(default_factory=new_token)
    csrf: str = field(default_factory=new_token)
    host: str = "127.0.0.1"  # the address listened on
    extra_hosts: tuple[str, ...] = ()  # further Host names accepted (tests: "testserver")

    @property
    def cookie(self) -> str:
        # Cookies are per host name, not per port: two servers must not overwrite each other's.
        return f"opr_planner_{self.port}"

    def host_ok(self, host_header: str) -> bool:
        """Loopback names, the --host address, or (when listening on every interface) any
        IP address; never another name, whatever it resolves to."""
        host = host_header.strip().lower()
        if not host:
            return False
        name, _, port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
        if not name or "]" in port:
            name, port = host, ""
        if port and port != str(self.port):
            return False
        if name in self.extra_hosts:
            return True
        if name in LOOPBACK_NAMES or name == self.host.lower():
            return True
        if self.host in ("0.0.0.0", "::", ""):
            try:
                ipaddress.ip_address(name.strip("[]"))
                return True
            except ValueError:
                return False
        return False


def _page(status: int, title: str, text: str) -> HTMLResponse:
    body = (
        "<!doctype html><html lang=nl><meta charset=utf-8><title>opr-planner</title>"
        "<body style='font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto'>"
        f"<h1>{escape(title)}</h1><p>{text}</p></body></html>"
    )
    return HTMLResponse(body, status_code=status)


def refused_token() -> HTMLResponse:
    return _page(
        403,
        "Geen toegang / No access",
        "Open de werkbank via het adres dat <code>opr-planner serve</code> in de terminal toont "
        "(met <code>?token=…</code>).<br>Open the workbench with the address "
        "<code>opr-planner serve</code> printed in the terminal (with <code>?token=…</code>).",
    )


class Guard:
    """ASGI middleware: Host check, access token/cookie, Origin check and body cap."""

    def __init__(self, app: ASGIApp, access: Access, max_body: int = MAX_BODY):
        self.app = app
        self.access = access
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        a = self.access
        if not a.host_ok(headers.get("host", "")):
            response: Response = _page(
                400,
                "Onbekend adres / Unknown host",
                "Deze werkbank antwoordt alleen op zijn eigen adres. "
                "This workbench answers only on its own address.",
            )
            await response(scope, receive, send)
            return
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        given = query.get("token")
        if given is not None:
            if not hmac.compare_digest(given.encode(), a.token.encode()):
                await refused_token()(scope, receive, send)
                return
            rest = urlencode([(k, v) for k, v in query.items() if k != "token"])
            target = scope.get("path", "/") + (f"?{rest}" if rest else "")
            response = RedirectResponse(target, status_code=303)
            response.set_cookie(a.cookie, a.token, httponly=True, samesite="strict", path="/")
            await response(scope, receive, send)
            return
        cookie = _cookie(headers, a.cookie)
        if cookie is None or not hmac.compare_digest(cookie.encode(), a.token.encode()):
            await refused_token()(scope, receive, send)
            return
        if scope["method"] not in SAFE_METHODS:
            origin = headers.get("origin")
            if origin and origin != "null" and not a.host_ok(urlsplit(origin).netloc):
                await _page(403, "Geweigerd / Refused", "Verzoek van een andere site.")(scope, receive, send)
                return
            length = headers.get("content-length")
            if length is not None and (not length.isdigit() or int(length) > self.max_body):
                await too_large(self.max_body)(scope, receive, send)
                return
            receive = _capped(receive, self.max_body)
        try:
            await self.app(scope, receive, send)
        except BodyTooLarge:
            await too_large(self.max_body)(scope, receive, send)


class BodyTooLarge(Exception):
    pass


def too_large(limit: int) -> HTMLResponse:
    return _page(
        413,
        "Bestand te groot / File too large",
        f"Een upload mag hoogstens {limit // (1024 * 1024)} MB zijn. "
        f"An upload may be at most {limit // (1024 * 1024)} MB.",
    )


def _capped(receive: Receive, limit: int) -> Receive:
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge
        return message

    return wrapped


def _cookie(headers: Headers, name: str) -> str | None:
    for header in headers.getlist("cookie"):
        for part in header.split(";"):
            key, _, value = part.strip().partition("=")
            if key == name:
                return value
    return None


Endpoint = Callable[[Request], Awaitable[Response]]


def csrf_protected(access_of: Callable[[Request], Access]) -> Callable[[Endpoint], Endpoint]:
    """Route decorator: refuse a state-changing request without this run's CSRF token."""

    def decorate(endpoint: Endpoint) -> Endpoint:
        @functools.wraps(endpoint)
        async def wrapper(request: Request) -> Response:
            expected = access_of(request).csrf
            given = request.headers.get("x-csrf-token")
            if given is None and request.headers.get("content-type", "").startswith(
                ("application/x-www-form-urlencoded", "multipart/form-data")
            ):
                form = await request.form(max_files=2, max_fields=2000, max_part_size=MAX_BODY)
                value: Any = form.get("csrf")
                given = value if isinstance(value, str) else None
            if not given or not hmac.compare_digest(given.encode(), expected.encode()):
                return _page(
                    403,
                    "Verlopen formulier / Expired form",
                    "Dit formulier hoort niet bij deze werkbank of is verlopen (de server is opnieuw "
                    "gestart). Laad de pagina opnieuw. / This form is not from this workbench or has "
                    "expired: reload the page.",
                )
            return await endpoint(request)

        wrapper.csrf_protected = True  # type: ignore[attr-defined]
        return wrapper

    return decorate
