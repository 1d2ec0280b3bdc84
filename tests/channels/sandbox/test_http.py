"""The sandbox over plain HTTP: its page's modules, the SMS counter's endpoint, and the guard
that lets only this machine and the sandbox's own page drive it.

The guard's rule is tested twice: as a table against `refusal()` (fast), and with real
requests against a running sandbox, checking that a refused request changed nothing.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from importlib import resources
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from yarl import URL

from bot.channels.sandbox.guard import FOREIGN_HOST, FOREIGN_ORIGIN, NOT_JSON, Refusal, refusal
from flows.sms_text import Encoding, shape, sms_body
from tests.channels.sandbox.harness import Sandbox, running_sandbox

STATIC = Path(str(resources.files("bot").joinpath("sandbox_static")))
MODULES = sorted(p.name for p in STATIC.glob("*.js"))
EVIL = "http://evil.example"


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    async with running_sandbox(tmp_path) as running:
        yield running


def origin_of(app: Sandbox) -> str:
    return app.url.removesuffix("/sandbox/")


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


# -- the page's modules --------------------------------------------------------------------


def test_every_module_import_resolves() -> None:
    """The page is ES modules with no build step: each `from "./x.js"` must be a file here."""
    assert len(MODULES) > 5, "the page should be split into modules"
    for name in MODULES:
        text = (STATIC / name).read_text("utf-8")
        assert text.startswith("// "), f"{name} should open with what it owns"
        for target in re.findall(r'^import .* from "\./([^"]+)";$', text, re.M):
            assert (STATIC / target).is_file(), f"{name} imports a missing {target}"
    assert '<script type="module" src="/sandbox/static/app.js">' in (
        STATIC / "index.html"
    ).read_text("utf-8")


def test_the_page_has_no_copy_of_the_sms_rule() -> None:
    """One place per rule: the GSM-7 alphabet lives in flows/sms_text.py only."""
    for name in MODULES:
        text = (STATIC / name).read_text("utf-8")
        assert "GSM" not in text and "ΦΓΛΩ" not in text, f"{name} counts SMS itself"


async def test_modules_are_served(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    assert {"app.js", "api.js", "dom.js"} <= set(MODULES)
    for name, kind in [*((n, "text/javascript") for n in MODULES), ("style.css", "text/css")]:
        async with http.get(f"{sandbox.url}static/{name}") as r:
            assert r.status == 200, name
            assert (r.content_type, r.charset) == (kind, "utf-8"), name
            assert r.headers["Cache-Control"] == "no-cache"
            assert await r.text() == (STATIC / name).read_text("utf-8")


@pytest.mark.parametrize(
    "name",
    [
        "..%2Fsandbox.py",  # the module beside the static folder
        "..%2F..%2Fpyproject.toml",
        "%2E%2E%2Fguard.py",
        "..%5Csandbox.py",
        "index.html",  # exists, but not a script or a style sheet
        "nope.js",  # well-formed, but no such file
        "App.js",
        "app.js.map",
        "app.js%0A",
        ".app.js",
        "app.py",
    ],
)
async def test_other_static_names_are_404(
    sandbox: Sandbox, http: aiohttp.ClientSession, name: str
) -> None:
    async with http.get(URL(f"{sandbox.url}static/{name}", encoded=True)) as r:
        assert r.status == 404, name


# -- POST /sandbox/api/sms/shape -----------------------------------------------------------


async def shape_of(
    app: Sandbox, http: aiohttp.ClientSession, body: Any
) -> tuple[int, dict[str, Any]]:
    headers = {"Origin": origin_of(app)}
    async with http.post(f"{app.url}api/sms/shape", json=body, headers=headers) as r:
        return r.status, await r.json()


@pytest.mark.parametrize(
    ("text", "encoding", "segments"),
    [
        ("Kære ambassadører: husk at låse døre og vinduer på Ærø.", "gsm7", 1),
        ("Husk lys på cyklen 🚲", "ucs2", 1),
        ("Husk refleksvest og lys på cyklen, når det bliver mørkt i aften. Vi ses! 🚲", "ucs2", 2),
        # As it goes out: the en dash becomes "-", so the text stays GSM-7.
        ("Tyverier ved banegården – husk at låse cyklen.", "gsm7", 1),
        ("a" * 161, "gsm7", 2),
        ("€" * 80, "gsm7", 1),  # extension characters cost two: 160 septets
        ("€" * 81, "gsm7", 2),
        ("", "gsm7", 0),  # nothing to send
    ],
    ids=["æøå", "emoji", "emoji-2-parts", "en-dash", "161", "euro-80", "euro-81", "empty"],
)
async def test_sms_shape_counts_as_sent(
    sandbox: Sandbox, http: aiohttp.ClientSession, text: str, encoding: str, segments: int
) -> None:
    status, body = await shape_of(sandbox, http, {"text": text})
    assert status == 200
    assert body == {"chars": len(text), "segments": segments, "encoding": encoding}
    if text:  # the one rule: what the SMS sender and the push preview count
        sent = shape(sms_body(text))
        assert (sent.segments, sent.encoding is Encoding.GSM7) == (segments, encoding == "gsm7")


async def test_sms_shape_refuses_bad_requests(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    url = f"{sandbox.url}api/sms/shape"
    page = {"Origin": origin_of(sandbox), "Content-Type": "application/json"}
    async with http.post(url, data=b"{not json", headers=page) as r:
        assert r.status == 400
        assert (await r.json())["error"] == "Forespørgslen er ikke gyldig JSON."
    for body in ([], {"text": 5}, {"text": None}, "tekst"):
        status, answer = await shape_of(sandbox, http, body)
        assert status == 400 and "JSON-objekt med en tekst" in answer["error"], body
    status, answer = await shape_of(sandbox, http, {"text": "a" * 10_001})
    assert status == 400 and "højst 10.000 tegn" in answer["error"]
    status, answer = await shape_of(sandbox, http, {"text": "a" * 10_000})
    assert status == 200 and answer["segments"] == 66


# -- the guard, as a rule ------------------------------------------------------------------

OWN = "http://127.0.0.1:8080"
JSON = "application/json"


def hdr(
    host: str | None = "127.0.0.1:8080",
    origin: str | None = None,
    referer: str | None = None,
    ctype: str | None = None,
) -> dict[str, str]:
    given = {"Host": host, "Origin": origin, "Referer": referer, "Content-Type": ctype}
    return {k: v for k, v in given.items() if v is not None}


@pytest.mark.parametrize(
    ("method", "headers", "expected"),
    [
        ("GET", hdr(), None),
        ("GET", hdr("localhost:8080"), None),
        ("GET", hdr("LOCALHOST"), None),
        ("GET", hdr("[::1]:8080"), None),
        ("GET", hdr("evil.example"), FOREIGN_HOST),
        ("GET", hdr("evil.example:8080"), FOREIGN_HOST),
        ("GET", hdr("127.0.0.1.evil.example:8080"), FOREIGN_HOST),
        ("GET", hdr("localhost.evil.example"), FOREIGN_HOST),
        ("GET", hdr("127.0.0.2:8080"), FOREIGN_HOST),
        ("GET", hdr("0.0.0.0:8080"), FOREIGN_HOST),
        ("GET", hdr("127.0.0.1:99999"), FOREIGN_HOST),
        ("GET", hdr("127.0.0.1:8080 evil"), FOREIGN_HOST),
        ("GET", hdr(""), FOREIGN_HOST),
        ("GET", hdr(None), FOREIGN_HOST),
        ("GET", hdr(origin=EVIL), None),  # reading across sites is the browser's to stop
        ("POST", hdr(origin=OWN, ctype=JSON), None),
        ("POST", hdr(origin=OWN, ctype="application/json; charset=utf-8"), None),
        ("post", hdr(origin=OWN, ctype=JSON), None),
        ("POST", hdr("localhost:8080", origin="http://localhost:8080", ctype=JSON), None),
        ("POST", hdr("[::1]:8080", origin="http://[::1]:8080", ctype=JSON), None),
        ("POST", hdr("localhost", origin="http://localhost:80", ctype=JSON), None),
        ("POST", hdr(referer=f"{OWN}/sandbox/", ctype=JSON), None),
        ("POST", hdr(origin=EVIL, ctype=JSON), FOREIGN_ORIGIN),
        # A present Origin decides: a matching Referer does not rescue a foreign Origin.
        ("POST", hdr(origin=EVIL, referer=f"{OWN}/sandbox/", ctype=JSON), FOREIGN_ORIGIN),
        ("POST", hdr(referer=f"{EVIL}/x", ctype=JSON), FOREIGN_ORIGIN),
        ("POST", hdr(ctype=JSON), FOREIGN_ORIGIN),
        ("POST", hdr(origin="null", ctype=JSON), FOREIGN_ORIGIN),
        ("POST", hdr(origin="http://127.0.0.1:8081", ctype=JSON), FOREIGN_ORIGIN),
        ("POST", hdr(origin="https://127.0.0.1:8080", ctype=JSON), FOREIGN_ORIGIN),
        ("POST", hdr(origin="http://localhost:8080", ctype=JSON), FOREIGN_ORIGIN),
        ("POST", hdr(origin="http://127.0.0.1:bad", ctype=JSON), FOREIGN_ORIGIN),
        ("DELETE", hdr(origin=EVIL), FOREIGN_ORIGIN),
        ("PUT", hdr(origin=EVIL), FOREIGN_ORIGIN),
        ("PATCH", hdr(origin=EVIL), FOREIGN_ORIGIN),
        ("POST", hdr("evil.example", origin=EVIL, ctype=JSON), FOREIGN_HOST),
        ("POST", hdr(origin=OWN), NOT_JSON),
        ("POST", hdr(origin=OWN, ctype="text/plain"), NOT_JSON),
        ("POST", hdr(origin=OWN, ctype="application/x-www-form-urlencoded"), NOT_JSON),
        ("POST", hdr(origin=OWN, ctype="multipart/form-data; boundary=x"), NOT_JSON),
    ],
)
def test_refusal(method: str, headers: dict[str, str], expected: Refusal | None) -> None:
    assert refusal(method, headers) == expected


# -- the guard, on a running sandbox -------------------------------------------------------


def snapshot(app: Sandbox) -> tuple[int, list[str], int]:
    t = app.transcript
    return t.version, sorted(t.phones), len(t.invitations)


async def test_a_foreign_page_cannot_drive_the_sandbox(
    sandbox: Sandbox, http: aiohttp.ClientSession
) -> None:
    api = f"{sandbox.url}api"
    before = snapshot(sandbox)
    attempts: list[tuple[str, dict[str, Any]]] = [
        ("/phones", {"headers": {"Origin": EVIL}, "json": {"channel": "sms"}}),
        ("/reset", {"headers": {"Origin": EVIL}, "json": {}}),
        ("/phones", {"headers": {"Referer": f"{EVIL}/page"}, "json": {"channel": "sms"}}),
        ("/phones", {"json": {"channel": "sms"}}),  # no Origin, no Referer
        ("/phones", {"headers": {"Origin": "null"}, "json": {"channel": "sms"}}),
        # What a plain HTML form can send, even from the sandbox's own origin: not JSON.
        (
            "/phones",
            {"headers": {"Origin": origin_of(sandbox)}, "data": {"channel": "sms"}},
        ),
        (
            "/phones/p1/send",
            {
                "headers": {"Origin": origin_of(sandbox), "Content-Type": "text/plain"},
                "data": '{"text": "Hej"}',
            },
        ),
    ]
    for path, kwargs in attempts:
        async with http.post(api + path, **kwargs) as r:
            assert r.status in (403, 415), (path, kwargs, r.status)
            assert r.content_type == "application/json"
            assert (await r.json())["error"], (path, kwargs)
    assert snapshot(sandbox) == before, "a refused request changed the sandbox"

    # The same request from the sandbox's own page goes through (so the checks above can fail).
    async with http.post(
        api + "/phones", json={"channel": "sms"}, headers={"Origin": origin_of(sandbox)}
    ) as r:
        assert r.status == 200
    assert snapshot(sandbox) != before


async def test_a_foreign_host_is_refused(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    """DNS rebinding: the browser sends the attacker's host name; the sandbox will not answer."""
    for path in ("", "api/state", "static/app.js", "events"):
        async with http.get(sandbox.url + path, headers={"Host": "evil.example"}) as r:
            assert r.status == 403, path
            assert "denne maskine" in (await r.json())["error"]
        async with http.get(sandbox.url + path, headers={"Host": "evil.example:8080"}) as r:
            assert r.status == 403, path
    before = snapshot(sandbox)
    headers = {"Host": "evil.example", "Origin": EVIL}
    async with http.post(f"{sandbox.url}api/reset", json={}, headers=headers) as r:
        assert r.status == 403
    assert snapshot(sandbox) == before
    port = sandbox.url.split(":")[2].split("/")[0]
    for host in (f"localhost:{port}", f"[::1]:{port}", f"127.0.0.1:{port}"):
        async with http.get(f"{sandbox.url}api/state", headers={"Host": host}) as r:
            assert r.status == 200, host
    # Outside /sandbox the guard leaves the server's other routes to their own checks.
    async with http.get(origin_of(sandbox) + "/healthz", headers={"Host": "evil.example"}) as r:
        assert r.status == 200
