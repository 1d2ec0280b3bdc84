"""The sandbox over plain HTTP: its page's modules, and the SMS counter's endpoint."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from importlib import resources
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from yarl import URL

from bot.config import SandboxSection, WebSection
from bot.sandbox import SandboxApp, demo_config
from flows.context import ShiftedClock
from flows.sms_text import Encoding, shape, sms_body
from tests.conftest import MONDAY_MORNING

STATIC = Path(str(resources.files("bot").joinpath("sandbox_static")))
MODULES = sorted(p.name for p in STATIC.glob("*.js"))


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[SandboxApp]:
    config = demo_config().model_copy(
        update={
            "sandbox": SandboxSection(path=str(tmp_path / "sandbox.sqlite3")),
            "web": WebSection(host="127.0.0.1", port=0),
        }
    )
    app = SandboxApp(config, clock=ShiftedClock(MONDAY_MORNING))
    await app.start()
    yield app
    await app.stop()


def origin_of(app: SandboxApp) -> str:
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


async def test_modules_are_served(sandbox: SandboxApp, http: aiohttp.ClientSession) -> None:
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
        "%2E%2E%2Fweb_guard.py",
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
    sandbox: SandboxApp, http: aiohttp.ClientSession, name: str
) -> None:
    async with http.get(URL(f"{sandbox.url}static/{name}", encoded=True)) as r:
        assert r.status == 404, name


# -- POST /sandbox/api/sms/shape -----------------------------------------------------------


async def shape_of(
    app: SandboxApp, http: aiohttp.ClientSession, body: Any
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
    sandbox: SandboxApp, http: aiohttp.ClientSession, text: str, encoding: str, segments: int
) -> None:
    status, body = await shape_of(sandbox, http, {"text": text})
    assert status == 200
    assert body == {"chars": len(text), "segments": segments, "encoding": encoding}
    if text:  # the one rule: what the SMS sender and the push preview count
        sent = shape(sms_body(text))
        assert (sent.segments, sent.encoding is Encoding.GSM7) == (segments, encoding == "gsm7")


async def test_sms_shape_refuses_bad_requests(
    sandbox: SandboxApp, http: aiohttp.ClientSession
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
