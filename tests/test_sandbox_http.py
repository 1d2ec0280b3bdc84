"""The sandbox over plain HTTP: the page's modules and style sheet, and nothing else."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from importlib import resources
from pathlib import Path

import aiohttp
import pytest
from yarl import URL

from bot.config import SandboxSection, WebSection
from bot.sandbox import SandboxApp, demo_config
from flows.context import ShiftedClock
from tests.conftest import MONDAY_MORNING

STATIC = Path(str(resources.files("bot").joinpath("sandbox_static")))


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


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


# -- the page's modules --------------------------------------------------------------------


def test_every_module_import_resolves() -> None:
    """The page is ES modules with no build step: each `from "./x.js"` must be a file here."""
    modules = sorted(STATIC.glob("*.js"))
    assert len(modules) > 5, "the page should be split into modules"
    for module in modules:
        text = module.read_text("utf-8")
        assert text.startswith("// "), f"{module.name} should open with what it owns"
        for target in re.findall(r'^import .* from "\./([^"]+)";$', text, re.M):
            assert (STATIC / target).is_file(), f"{module.name} imports a missing {target}"
    assert '<script type="module" src="/sandbox/static/app.js">' in (
        STATIC / "index.html"
    ).read_text("utf-8")


MODULES = sorted(p.name for p in STATIC.glob("*.js"))


async def test_modules_are_served(sandbox: SandboxApp, http: aiohttp.ClientSession) -> None:
    names = MODULES
    assert {"app.js", "api.js", "dom.js"} <= set(names)
    for name, kind in [*((n, "text/javascript") for n in names), ("style.css", "text/css")]:
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
