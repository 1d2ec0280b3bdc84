"""The sandbox's coordinator panel API: preview, plan, land on the pretend phones, cancel."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from flows.model import AmbassadorState, Channel
from tests.channels.sandbox.harness import Sandbox, running_sandbox


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    async with running_sandbox(tmp_path) as running:
        yield running


async def post(app: Sandbox, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    page = {"Origin": app.url.removesuffix("/sandbox/")}  # as the sandbox's own page sends it
    async with (
        aiohttp.ClientSession(headers=page) as session,
        session.post(app.url + "api" + path, json=body) as r,
    ):
        return r.status, await r.json()


async def test_panel_previews_plans_delivers_and_cancels(sandbox: Sandbox) -> None:
    assert sandbox.db is not None
    phone = next(iter(sandbox.transcript.phones.values()))
    sms_phone = sandbox.add_phone("sms")
    async with sandbox.db.transaction() as tx:
        for channel, address in (
            (Channel.TELEGRAM, phone.address),
            (Channel.SMS, sms_phone.address),
        ):
            amb = await tx.ambassadors.create(
                channel=channel, address=address, name="Demo", area_id="herning",
                officer_id="mj", state=AmbassadorState.INVITED, language="da",
                now=sandbox.clock.now(),
            )  # fmt: skip
            await tx.ambassadors.accept(amb.id, "2026-2", sandbox.clock.now())
    state = await sandbox.state()
    assert {t["topic"] for t in state["tips"]} >= {"indbrud", "digital", "natteliv", "trafik"}
    assert all({"id", "topic", "title", "text"} <= set(t) for t in state["tips"])

    body = {"audience": {"areas": ["herning"], "channel": "all"}, "text": "Husk lys på cyklen 🚲",
            "tip_topic": None, "at": None, "every": None}  # fmt: skip
    status, dry = await post(sandbox, "/broadcasts?dry_run=1", body)
    assert status == 200 and dry["id"] is None
    assert dry["preview"]["recipients"] == {"telegram": 1, "sms": 1}
    assert dry["preview"]["text"] == "Demo-distrikt\nHusk lys på cyklen 🚲\n– Koordinator"
    assert dry["preview"]["sms_segments"] == 1 and dry["preview"]["sms_total"] == 1
    assert not (await sandbox.state())["broadcasts"]

    status, made = await post(sandbox, "/broadcasts", body)
    assert status == 200 and made["id"] == 1

    def landed() -> bool:
        return all(any("Husk lys" in m.text for m in p.messages) for p in (phone, sms_phone))

    async with asyncio.timeout(10), sandbox.changed:
        await sandbox.changed.wait_for(landed)
    assert sandbox.dispatcher is not None
    progress = sandbox.dispatcher._progress
    async with asyncio.timeout(10):
        while _unsettled((await sandbox.state())["broadcasts"][0]["counts"]):
            async with progress:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(0.5):
                        await progress.wait()
    listed = (await sandbox.state())["broadcasts"][0]
    assert listed["status"] == "done" and listed["text"] == "Husk lys på cyklen 🚲"
    # Telegram reports no delivery (sent); the SMS phone's status report says delivered.
    assert (listed["counts"]["delivered"], listed["counts"]["sent"]) == (1, 1)

    weekly = {**body, "text": None, "tip_topic": "indbrud", "every": "mon 18:00"}
    status, made = await post(sandbox, "/broadcasts", weekly)
    assert status == 200
    items = {b["id"]: b for b in (await sandbox.state())["broadcasts"]}
    assert items[made["id"]]["status"] == "scheduled" and items[made["id"]]["next_run"]
    status, _ = await post(sandbox, f"/broadcasts/{made['id']}/cancel", {})
    assert status == 200
    status, err = await post(sandbox, f"/broadcasts/{made['id']}/cancel", {})
    assert status == 400 and "annulleres" in err["error"]
    status, err = await post(sandbox, "/broadcasts", {**body, "audience": {"areas": ["aarhus"]}})
    assert status == 400 and "ukendt område aarhus" in err["error"]


def _unsettled(counts: dict[str, int]) -> bool:
    return counts["queued"] > 0 or counts["delivered"] < 1
