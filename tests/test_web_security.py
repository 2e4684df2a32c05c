"""The workbench's security rules at HTTP level: token, Host, CSRF, uploads, paths, errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.routing import Route
from web_helpers import PLAN, SCENARIO, client_for, planning_folder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return planning_folder(tmp_path / "planning")


def test_no_token_is_refused(folder: Path) -> None:
    client = client_for(folder, login=False)
    for url in (
        "/",
        f"/data?s={SCENARIO}",
        "/static/htmx.min.js",
        f"/download/all.ics?s={SCENARIO}&p={PLAN}",
    ):
        r = client.get(url)
        assert r.status_code == 403, url
        assert "opr-planner serve" in r.text


def test_wrong_token_is_refused_and_sets_no_cookie(folder: Path) -> None:
    client = client_for(folder, login=False)
    r = client.get("/?token=guess", follow_redirects=False)
    assert r.status_code == 403
    assert "set-cookie" not in r.headers
    assert client.get(f"/data?s={SCENARIO}").status_code == 403


def test_token_becomes_a_cookie_and_leaves_the_address(folder: Path) -> None:
    client = client_for(folder, login=False)
    token = client.access.token  # type: ignore[attr-defined]
    r = client.get(f"/data?s={SCENARIO}&token={token}", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == f"/data?s={SCENARIO}"
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert client.get(f"/data?s={SCENARIO}").status_code == 200


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:8123", "127.0.0.1.nip.io:8123", "127.0.0.1:9999", ""]
)
def test_wrong_host_is_refused(folder: Path, host: str) -> None:
    """DNS rebinding: a page of another site, re-pointed at 127.0.0.1, sends its own name."""
    client = client_for(folder)
    r = client.get(f"/data?s={SCENARIO}", headers={"host": host})
    assert r.status_code == 400


@pytest.mark.parametrize("host", ["127.0.0.1:8123", "localhost:8123", "[::1]:8123"])
def test_loopback_names_are_accepted(folder: Path, host: str) -> None:
    client = client_for(folder)
    assert client.get(f"/data?s={SCENARIO}", headers={"host": host}).status_code == 200


def _post_routes(client) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.path for r in client.app.routes if isinstance(r, Route) and "POST" in (r.methods or set())]


def test_every_post_needs_the_csrf_token(folder: Path) -> None:
    client = client_for(folder)
    routes = _post_routes(client)
    assert len(routes) >= 10
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    for path in routes:
        r = client.post(path, data={"s": SCENARIO, "p": PLAN, "kind": "example"})
        assert r.status_code == 403, path
        r = client.post(path, data={"s": SCENARIO, "csrf": "wrong"}, headers={"x-csrf-token": "also-wrong"})
        assert r.status_code == 403, path
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # nothing changed


def test_a_post_from_another_origin_is_refused(folder: Path) -> None:
    client = client_for(folder)
    csrf = client.access.csrf  # type: ignore[attr-defined]
    r = client.post(
        "/plans/solve", data={"s": SCENARIO, "csrf": csrf}, headers={"origin": "http://evil.example"}
    )
    assert r.status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/plan?s=tiny.yaml&p=../../etc/passwd",
        "/plan?s=tiny.yaml&p=%2Fetc%2Fpasswd",
        "/download/all.ics?s=tiny.yaml&p=../tiny.start.plan.yaml",
        "/changes?s=tiny.yaml&p=..%2F..%2Fsecret.plan.yaml",
        "/data?s=../outside.yaml",
        "/data?s=%2Fetc%2Fhosts",
        "/static/../web_helpers.py",
        "/data/edit?s=tiny.yaml&part=__class__",
    ],
)
def test_no_path_outside_the_folder(folder: Path, url: str) -> None:
    (folder.parent / "outside.yaml").write_text("format: opr-scenario/1\n", encoding="utf-8")
    client = client_for(folder)
    r = client.get(url)
    assert r.status_code == 404
    assert "root:" not in r.text and "Traceback" not in r.text


def test_a_plan_name_with_a_path_is_refused_when_saving(folder: Path) -> None:
    client = client_for(folder)
    csrf = client.access.csrf  # type: ignore[attr-defined]
    for name in ("../escaped", "/tmp/x", "a/b", ".hidden", "x" * 200):
        r = client.post(
            "/plans/solve",
            data={"s": SCENARIO, "csrf": csrf, "name": name, "time_limit": "1"},
            follow_redirects=False,
        )
        assert r.status_code == 303 and "refusal=" in r.headers["location"], name
    assert not (folder.parent / "escaped.plan.yaml").exists()
    assert sorted(p.name for p in folder.iterdir()) == sorted(["tiny.yaml", "participants.csv", PLAN])


def test_a_plan_file_linking_outside_is_not_listed(folder: Path) -> None:
    secret = folder.parent / "secret.plan.yaml"
    secret.write_text("format: opr-plan/1\nreviews: []\n", encoding="utf-8")
    (folder / "tiny.link.plan.yaml").symlink_to(secret)
    client = client_for(folder)
    assert "tiny.link.plan.yaml" not in client.get(f"/plans?s={SCENARIO}").text
    assert client.get(f"/plan?s={SCENARIO}&p=tiny.link.plan.yaml").status_code == 404


def test_an_upload_of_50_mb_is_refused_before_it_is_read(folder: Path) -> None:
    client = client_for(folder)
    csrf = client.access.csrf  # type: ignore[attr-defined]
    big = b"id,name\n" + b"x" * (50 * 1024 * 1024)
    r = client.post(
        "/data/import",
        data={"s": SCENARIO, "csrf": csrf},
        files={"file": ("deelnemers.csv", big, "text/csv")},
    )
    assert r.status_code == 413
    assert "10 MB" in r.text
    assert (folder / "participants.csv").read_text(encoding="utf-8").startswith("id,name,email")


def test_a_binary_upload_gets_a_clear_refusal(folder: Path) -> None:
    client = client_for(folder)
    csrf = client.access.csrf  # type: ignore[attr-defined]
    before = (folder / "participants.csv").read_bytes()
    r = client.post(
        "/data/import",
        data={"s": SCENARIO, "csrf": csrf},
        files={"file": ("deelnemers.csv", bytes(range(256)) * 40, "text/csv")},
    )
    assert r.status_code == 422
    assert "binary file, not text" in r.text  # the loader's own message
    r = client.post(
        "/data/import",
        data={"s": SCENARIO, "csrf": csrf},
        files={"file": ("programma.exe", b"MZ\x90\x00", "application/octet-stream")},
    )
    assert r.status_code == 422
    assert "programma.exe" in r.text and "CSV" in r.text
    assert (folder / "participants.csv").read_bytes() == before


def test_user_text_is_escaped(folder: Path) -> None:
    text = (folder / "participants.csv").read_text(encoding="utf-8")
    (folder / "participants.csv").write_text(
        text.replace("Anna A", "<script>alert(1)</script>"), encoding="utf-8"
    )
    client = client_for(folder)
    for url in (f"/data?s={SCENARIO}", f"/plan?s={SCENARIO}&p={PLAN}"):
        page = client.get(url).text
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_error_shows_a_clear_page_without_a_traceback(
    folder: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from opr_planner.web import workspace

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internal detail")

    client = client_for(folder, raise_server_exceptions=False)
    monkeypatch.setattr(workspace, "load", broken)
    r = client.get(f"/data?s={SCENARIO}")
    assert r.status_code == 500
    assert "Er ging iets mis" in r.text
    assert "Traceback" not in r.text and "secret internal detail" not in r.text
    assert "secret internal detail" in caplog.text  # the log says more


def test_every_file_goes_through_the_shared_reader_and_writer() -> None:
    """The workbench reads the folder only through opr_planner.io.reader (regular files,
    bounded, named in messages) and writes only through io.fileio.write_atomic (whole or
    not at all); package data (the bundled example) is the one exception, marked so."""
    import opr_planner.web

    direct = re.compile(
        r"\bopen\(|\.(read_text|read_bytes|write_text|write_bytes|iterdir|glob|rglob|unlink|rename|touch|mkdir)\("
        r"|\bos\.(replace|rename|remove|listdir|scandir)\b|\bshutil\."
    )
    found = [
        f"{path.name}:{n}: {line.strip()}"
        for path in sorted(Path(opr_planner.web.__file__).parent.glob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if direct.search(line) and "package data" not in line
    ]
    assert found == []
