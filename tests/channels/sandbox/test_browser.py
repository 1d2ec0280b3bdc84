"""The sandbox page in a real headless Chromium, as a police coordinator would use it.

Debian's `chromium` package and Playwright for Python drive the page (no `playwright
install`: it downloads browsers). Without Chromium the browser tests are skipped, and the
skip reason says how to get it. A full-page screenshot of each run is saved under
`artifacts/` (git-ignored) so CI can keep it.

The last test needs no browser: it runs the README's first command's last part,
`tryghedsbot run` with no token and no configuration, and opens the address it prints.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from tests.channels.sandbox.harness import Sandbox, running_sandbox

try:
    from playwright.async_api import Browser, Page, Request, Route, async_playwright, expect
except ImportError:  # the skip below says what is missing
    async_playwright = None  # type: ignore[assignment]

CHROMIUM = Path(os.environ.get("TRYGHEDSBOT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = ROOT / "artifacts"
WAIT_MS = 10_000  # generous for 2 busy CI cores; expect() returns as soon as it holds


def _need_chromium() -> None:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(
            f"no Chromium at {CHROMIUM}: apt-get install chromium to run the browser tests"
            " (or set TRYGHEDSBOT_CHROMIUM to its path)"
        )
    if async_playwright is None:
        pytest.skip("Playwright for Python is missing: pip install '.[test]'")


# -- fixtures ----------------------------------------------------------------------------


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    """The sandbox on a free port, its own database, on a Monday morning (office hours)."""
    _need_chromium()
    async with running_sandbox(tmp_path) as running:
        yield running


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    _need_chromium()
    async with async_playwright() as p:
        chromium = await p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            await chromium.close()


class Session:
    """One open page: its errors, its requests that change something, and a screenshot on the
    way out (failed or not)."""

    def __init__(self, page: Page, name: str) -> None:
        self.page = page
        self.name = name
        self.errors: list[str] = []
        self.posts: list[Request] = []
        page.on("request", self._record)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on(
            "console",
            lambda msg: (
                self.errors.append(f"console.{msg.type}: {msg.text}")
                if msg.type == "error"
                else None
            ),
        )

    def _record(self, request: Request) -> None:
        if request.method != "GET" and "/sandbox/api/" in request.url:
            self.posts.append(request)

    async def check_posts(self, origin: str) -> None:
        """The page's own requests carry what the sandbox's guard asks of them."""
        for request in self.posts:
            headers = await request.all_headers()
            assert headers.get("content-type") == "application/json", (request.url, headers)
            assert headers.get("origin") == origin, (request.url, headers)

    async def screenshot(self, suffix: str = "") -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"sandbox-{self.name}{suffix}.png"
        await self.page.screenshot(path=str(path), full_page=True)
        return path


@contextlib.asynccontextmanager
async def open_page(
    browser: Browser, sandbox: Sandbox, name: str, *, width: int = 1400, height: int = 1000
) -> AsyncIterator[Session]:
    expect.set_options(timeout=WAIT_MS)
    context = await browser.new_context(viewport={"width": width, "height": height}, locale="da-DK")
    page = await context.new_page()
    session = Session(page, name)
    try:
        await page.goto(sandbox.url)
        await expect(
            page.get_by_test_id("connection"), "the page never got the live state stream"
        ).to_have_attribute("data-state", "open")
        yield session
    except BaseException:
        shot = await session.screenshot("-FAILED")
        print(f"\nscreenshot of the failed page: {shot}", file=sys.stderr)
        if session.errors:
            print("errors in the page:\n  " + "\n  ".join(session.errors), file=sys.stderr)
        raise
    else:
        await session.screenshot()
        assert not session.errors, "errors in the page:\n  " + "\n  ".join(session.errors)
        await session.check_posts(sandbox.url.removesuffix("/sandbox/"))
    finally:
        await context.close()


async def onboard(session: Session, phone: str = "p1") -> None:
    """Open the demo invitation on the phone and accept the agreement."""
    page = session.page
    await expect(
        page.get_by_test_id(f"open-link-code-{phone}"),
        "the first phone should offer the demo invitation's code",
    ).not_to_have_value("")
    await page.get_by_test_id(f"open-link-{phone}").click()
    accept = page.get_by_test_id(f"phone-messages-{phone}").get_by_role(
        "button", name="Jeg accepterer"
    )
    await expect(accept, "the welcome should offer the agreement's accept button").to_be_visible()
    await accept.click()
    await expect(
        page.get_by_test_id(f"phone-state-{phone}"), "accepting should make an active ambassador"
    ).to_have_text("Aktiv")


async def phone_sends(session: Session, text: str, phone: str = "p1") -> None:
    page = session.page
    await page.get_by_test_id(f"phone-input-{phone}").fill(text)
    await page.get_by_test_id(f"phone-send-{phone}").click()


# -- the browser tests -------------------------------------------------------------------


@pytest.mark.browser
async def test_onboard_talk_and_answer(sandbox: Sandbox, browser: Browser) -> None:
    async with open_page(browser, sandbox, "dialogue") as session:
        page = session.page
        await onboard(session)
        general = page.get_by_test_id("group-general")
        await expect(general, "the group should be told who joined").to_contain_text(
            "er nu tryghedsambassadør"
        )

        await phone_sends(session, "Gadelygten på Torvet har været slukket i en uge.")
        group = page.get_by_test_id("group-messages")
        relayed = group.locator("article[data-kind=relay]").filter(has_text="Gadelygten")
        await expect(relayed, "the message should reach the officers' thread").to_be_visible()
        await expect(page.get_by_test_id("thread-list")).to_contain_text("Herning")

        await expect(page.get_by_test_id("officer-select")).to_have_value("mj")
        await page.get_by_test_id("group-input").fill("Tak, jeg giver kommunen besked i dag.")
        await page.get_by_test_id("group-send").click()
        await expect(
            page.get_by_test_id("phone-messages-p1"), "the officer's answer should reach the phone"
        ).to_contain_text("Mette Jensen: Tak, jeg giver kommunen besked i dag.")
        answer = group.locator("article[data-from=officer]").filter(has_text="kommunen")
        await expect(answer, "the group should show the answer as delivered").to_have_attribute(
            "data-status", "delivered"
        )
        await expect(answer.locator(".reactions"), "the 👍 reaction").to_contain_text("👍")
        await expect(page.get_by_test_id("group-input")).to_have_value("")


@pytest.mark.browser
async def test_acute_message(sandbox: Sandbox, browser: Browser) -> None:
    async with open_page(browser, sandbox, "acute") as session:
        page = session.page
        await onboard(session)
        await phone_sends(session, "Der er nogen der bryder ind hos naboen lige nu!")
        phone = page.get_by_test_id("phone-messages-p1")
        acute = phone.locator("article[data-kind=acute]")
        await expect(acute, "the phone should be told to call 112 at once").to_contain_text("1-1-2")
        alert = page.get_by_test_id("group-messages").locator("article[data-kind=alert]")
        await expect(alert, "the group should get the alert").to_contain_text("bryder ind")
        await expect(alert.get_by_test_id("badge-acute")).to_have_text("AKUT")
        await expect(
            page.get_by_test_id("thread-list").locator("[data-testid^=thread-alert-]"),
            "the thread list should mark the thread",
        ).to_be_visible()


@pytest.mark.browser
async def test_narrow_screen(sandbox: Sandbox, browser: Browser) -> None:
    async with open_page(browser, sandbox, "narrow", width=400, height=800) as session:
        page = session.page
        card = page.get_by_test_id("phone-p1")
        await expect(card, "the phone should be shown on a narrow screen").to_be_visible()
        box = await card.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 400, (
            f"the phone does not fit a 400 px screen: {box}"
        )
        await onboard(session)
        await phone_sends(session, "Hej, kan man låne en refleksvest?")
        await expect(page.get_by_test_id("phone-messages-p1")).to_contain_text(
            "Hej, kan man låne en refleksvest?"
        )
        await expect(page.get_by_test_id("group-messages")).to_contain_text("refleksvest")
        widths = await page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], f"the page scrolls sideways at 400 px: {widths}"


@pytest.mark.browser
async def test_danish_text_round_trips(sandbox: Sandbox, browser: Browser) -> None:
    text = "Æblerne i Østergårdens have på Ærø er væk – blåbærrene også. ÆØÅ æøå é ü"
    answer = "Tak! Vi kører forbi Østergården på lørdag – hilsen Mette 🙂"
    async with open_page(browser, sandbox, "danish") as session:
        page = session.page
        await onboard(session)
        await phone_sends(session, text)
        await expect(
            page.get_by_test_id("group-messages").locator("article[data-kind=relay]"),
            "æøå should reach the group unchanged",
        ).to_contain_text(text)
        await page.get_by_test_id("group-input").fill(answer)
        await page.get_by_test_id("group-send").click()
        await expect(
            page.get_by_test_id("phone-messages-p1"), "æøå should reach the phone unchanged"
        ).to_contain_text(answer)
        assert await page.evaluate("() => document.documentElement.lang") == "da"
        assert await page.title() == "Tryghedsbot — sandkasse · Demo-distrikt"


@pytest.mark.browser
async def test_coordinator_invites_by_sms_and_pushes(sandbox: Sandbox, browser: Browser) -> None:
    async with open_page(browser, sandbox, "coordinator") as session:
        page = session.page
        await onboard(session)
        await page.get_by_test_id("invite-channel").select_option("sms")
        await page.get_by_test_id("invite-phone").fill("20 12 34 56")
        await page.get_by_test_id("invite-submit").click()
        await expect(page.get_by_test_id("invite-result")).to_contain_text("SMS")
        sms = page.locator("[data-channel=sms]")
        await expect(sms, "the invited number should get a pretend SMS phone").to_have_count(1)
        phone = (await sms.get_attribute("data-testid") or "").removeprefix("phone-")
        await expect(sms, "the SMS invitation").to_contain_text("Svar JA")
        await phone_sends(session, "JA", phone)
        await expect(page.get_by_test_id(f"phone-state-{phone}")).to_have_text("Aktiv")
        await expect(page.get_by_test_id(f"phone-sub-{phone}")).to_have_text(
            "SMS · +4520123456 · Herning · betjent: Mette Jensen"
        )

        text = "Husk at låse cyklen – der er mange tyverier ved banegården."
        as_sms = text.replace("–", "-")  # SMS texts go GSM-friendly
        await page.get_by_test_id("broadcast-text").fill(text)
        await page.get_by_test_id("broadcast-preview").click()
        preview = page.get_by_test_id("broadcast-preview-result")
        signed = f"Demo-distrikt {text} – Koordinator"  # the programme's and author's names
        await expect(preview.locator(".preview__msg--telegram")).to_have_text(signed)
        await expect(preview.locator(".preview__msg--sms"), "as sent").to_have_text(
            f"Demo-distrikt {as_sms} - Koordinator"
        )
        await expect(page.get_by_test_id("broadcast-preview-telegram")).to_have_text("1")
        await expect(page.get_by_test_id("broadcast-preview-sms")).to_have_text("1")
        await expect(page.get_by_test_id("broadcast-preview-held")).to_have_count(0)
        await page.get_by_test_id("broadcast-submit").click()
        await expect(page.get_by_test_id("broadcast-result")).to_contain_text("sendt (nr. 1)")
        for target, shown in (("p1", text), (phone, as_sms)):
            await expect(
                page.get_by_test_id(f"phone-messages-{target}"), f"the push on phone {target}"
            ).to_contain_text(shown)
        await expect(page.get_by_test_id("broadcast-status-1")).to_have_text("Udført")
        await expect(page.get_by_test_id("broadcast-counts-1")).to_contain_text("1 leveret")


def sms_counter(text: str, segments: int, ucs2: bool) -> str:
    """The counter under the push text, in its words."""
    parts = "SMS-del" if segments == 1 else "SMS-dele"
    note = " (emoji eller særtegn: højst 70 tegn pr. del)" if ucs2 else ""
    return f"{len(text)} tegn · {segments} {parts} pr. modtager på SMS{note}"


@pytest.mark.browser
async def test_sms_counter_shows_the_servers_count(sandbox: Sandbox, browser: Browser) -> None:
    async with open_page(browser, sandbox, "sms-counter") as session:
        page = session.page
        box = page.get_by_test_id("broadcast-text")
        counter = page.get_by_test_id("broadcast-text-count")
        await expect(counter).to_have_text(sms_counter("", 0, ucs2=False))
        cases = [
            ("Husk refleksvest og lys på cyklen, når det bliver mørkt i aften. Ses! 🚲", 2, True),
            ("Kære ambassadører: husk at låse døre og vinduer, før I rejser til Ærø.", 1, False),
            # Counted as it goes out by SMS: the en dash becomes "-", the text stays GSM-7.
            ("Mange tyverier ved banegården – husk at låse cyklen.", 1, False),
        ]
        for text, segments, ucs2 in cases:
            await box.fill(text)
            await expect(counter, text).to_have_text(sms_counter(text, segments, ucs2))
        asked = [r.post_data_json for r in session.posts if r.url.endswith("/api/sms/shape")]
        assert asked and asked[-1] == {"text": cases[-1][0]}, asked
        await box.fill("")
        await expect(counter).to_have_text(sms_counter("", 0, ucs2=False))


@pytest.mark.browser
async def test_sms_counter_keeps_the_latest_answer(sandbox: Sandbox, browser: Browser) -> None:
    """An answer that arrives after a newer one is dropped, not shown."""
    first, second, third = "Første udkast", "Andet udkast 🙂", "Tredje og sidste udkast"
    held: list[Route] = []
    first_asked = asyncio.Event()

    async def hold_the_first(route: Route) -> None:
        if route.request.post_data_json == {"text": first} and not held:
            held.append(route)  # answered below, after the second
            first_asked.set()
            return
        await route.continue_()

    async with open_page(browser, sandbox, "sms-counter-latest") as session:
        page = session.page
        await page.route("**/sandbox/api/sms/shape", hold_the_first)
        counter = page.get_by_test_id("broadcast-text-count")
        await page.evaluate(
            """() => {
                const node = document.getElementById("broadcast-text-count");
                window.shownCounts = [];
                new MutationObserver(() => window.shownCounts.push(node.textContent))
                    .observe(node, { childList: true, characterData: true, subtree: true });
            }"""
        )
        box = page.get_by_test_id("broadcast-text")
        await box.fill(first)
        async with asyncio.timeout(WAIT_MS / 1000):
            await first_asked.wait()
        await box.fill(second)
        await expect(counter).to_have_text(sms_counter(second, 1, ucs2=True))
        async with page.expect_event(
            "requestfinished", lambda r: r.post_data_json == {"text": first}
        ):
            await held[0].continue_()
        # An answer after the late one: when it shows, the late one has been handled too.
        await box.fill(third)
        await expect(counter).to_have_text(sms_counter(third, 1, ucs2=False))
        shown = await page.evaluate("() => window.shownCounts")
        assert sms_counter(first, 1, ucs2=False) not in shown, shown
        assert shown[-1] == sms_counter(third, 1, ucs2=False), shown


# -- the README's command, no browser ----------------------------------------------------


async def test_readme_run_starts_the_sandbox(tmp_path: Path) -> None:
    """`tryghedsbot run` with no token and no config file: the sandbox, on 127.0.0.1."""
    env = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN",)}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    stderr_path = tmp_path / "stderr.txt"
    with stderr_path.open("wb") as stderr:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--port", "0",
            cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE, stderr=stderr,
        )  # fmt: skip
    assert proc.stdout is not None

    def log() -> str:
        return stderr_path.read_text("utf-8", errors="replace")[-3000:]

    try:
        url = None
        seen: list[str] = []
        async with asyncio.timeout(30):
            while url is None:
                line = (await proc.stdout.readline()).decode()
                if not line:
                    pytest.fail(f"exited ({await proc.wait()}) before printing its address:\n"
                                f"{''.join(seen)}\n{log()}")  # fmt: skip
                seen.append(line)
                found = re.search(r"open (http://127\.0\.0\.1:(\d+)/sandbox/)", line)
                url = found.group(1) if found else None
        assert found is not None
        port = int(found.group(2))
        assert port != 0, "--port 0 should print the port really bound"

        async with aiohttp.ClientSession() as http:
            async with http.get(url) as r:
                assert r.status == 200 and r.content_type == "text/html"
                page = await r.text()
            assert '<html lang="da">' in page and "Tryghedsbot" in page
            async with http.get(url + "api/state") as r:
                assert r.status == 200
                state = json.loads(await r.text())
        assert state["phones"] and state["phones"][0]["channel"] == "telegram", state["phones"]
        assert state["invitations"] and not state["invitations"][0]["used"]
        assert (tmp_path / "data" / "sandbox.sqlite3").exists(), "the database goes in ./data/"

        # Loopback only: another loopback address of this machine finds nobody listening.
        with pytest.raises(OSError), socket.create_connection(("127.0.0.2", port), timeout=2):
            pass
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGTERM)
        try:
            async with asyncio.timeout(10):
                code = await proc.wait()
        except TimeoutError:
            proc.kill()
            await proc.wait()
            pytest.fail(f"did not stop within 10 s of SIGTERM:\n{log()}")
    assert code == 0, f"exit status {code} after SIGTERM:\n{log()}"


@pytest.mark.browser
async def test_running_the_programme_in_the_page(sandbox: Sandbox, browser: Browser) -> None:
    """✅ Klaret clears the AKUT mark; the register moves an ambassador; the figures show."""
    async with open_page(browser, sandbox, "programme") as session:
        page = session.page
        await onboard(session)
        await phone_sends(session, "Der er nogen der bryder ind hos naboen lige nu!")
        marked = page.get_by_test_id("thread-list").locator("[data-testid^=thread-alert-]")
        await expect(marked, "the thread is marked while the alert is open").to_be_visible()
        done = page.get_by_test_id("group-messages").get_by_role(
            "button", name="✅ Klaret", exact=True
        )
        await done.click()
        await expect(page.get_by_test_id("group-messages")).to_contain_text("Klaret (Mette Jensen)")
        await expect(marked, "handled: the AKUT mark goes").to_have_count(0)
        await expect(done, "and so does the button").to_have_count(0)

        entry = page.get_by_test_id("register-list").locator("li[data-id]").first
        amb = await entry.get_attribute("data-id")
        await expect(page.get_by_test_id(f"register-meta-{amb}")).to_contain_text("Mette Jensen")
        await page.get_by_test_id(f"register-officer-{amb}").select_option("lp")
        await page.get_by_test_id(f"register-move-{amb}").click()
        await expect(page.get_by_test_id(f"register-meta-{amb}")).to_contain_text("Lars Poulsen")
        await expect(page.get_by_test_id("phone-messages-p1")).to_contain_text(
            "ny kontaktbetjent: Lars Poulsen"
        )

        await page.get_by_test_id("figures-refresh").click()
        row = page.get_by_test_id("figures-row-herning")
        await expect(row.locator("[data-key=acute]"), "one diverted to 1-1-2").to_have_text("1")
        await expect(row.locator("[data-key=ambassadors_active]")).to_have_text("1")
        chart = page.get_by_test_id("figures-chart")
        await expect(chart).to_be_visible()
        await page.wait_for_function(
            "() => { const i = document.querySelector('[data-testid=figures-chart]');"
            " return i && i.complete && i.naturalWidth > 0; }",
            timeout=20_000,
        )  # the chart drawn by the server arrived as a picture
