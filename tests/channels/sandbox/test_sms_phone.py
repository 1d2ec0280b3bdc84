"""The sandbox's SMS phone: invited by number from the coordinator panel, it answers JA,
writes, and gets answers shaped as SMS (no markup, segments shown), through the same flows."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.channels.sandbox.harness import Sandbox, running_sandbox


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    async with running_sandbox(tmp_path) as running:
        yield running


async def _bot_says(app: Sandbox, phone_id: str, needle: str) -> dict[str, Any]:
    """Wait (on the outbox's progress, not a clock) for the bot's SMS containing `needle`."""
    assert app.dispatcher is not None

    def found() -> list[Any]:
        phone = app.transcript.phones[phone_id]
        return [m for m in phone.messages if m.sender_kind == "bot" and needle in m.text]

    await app.dispatcher.wait_until(lambda: bool(found()))
    return found()[0].view()  # type: ignore[no-any-return]


async def test_sms_phone_in_the_sandbox(sandbox: Sandbox) -> None:
    origin = f"http://127.0.0.1:{sandbox.port}"
    base = f"{origin}/sandbox/api"
    async with aiohttp.ClientSession(headers={"Origin": origin}) as http:  # as the page sends
        invite = {"channel": "sms", "phone": "20 12 34 56", "area": "herning", "officer": "mj"}
        async with http.post(f"{base}/invite", json=invite) as response:
            assert response.status == 200
        phone_id = next(p.id for p in sandbox.transcript.phones.values() if p.channel == "sms")
        welcome = await _bot_says(sandbox, phone_id, "Svar JA")
        assert welcome["html"] is None and "<" not in welcome["text"]
        assert any(f.startswith("sms:") for f in welcome["flags"])

        async with http.post(f"{base}/phones/{phone_id}/send", json={"text": "Ja tak"}) as r:
            assert r.status == 202
        await _bot_says(sandbox, phone_id, "Du er nu tryghedsambassadør")
        async with http.post(
            f"{base}/phones/{phone_id}/send", json={"text": "Min cykel blev stjålet i går"}
        ) as r:
            assert r.status == 202
        referral = await _bot_says(sandbox, phone_id, "1-1-4")
        assert "<b>" not in referral["text"] and "(https://politi.dk/anmeld)" in referral["text"]
        assert sandbox.dispatcher is not None
        await sandbox.dispatcher.wait_until(
            lambda: any("cykel" in m.text for t in sandbox.transcript.threads.values() for m in t)
        )
        async with http.get(f"{base}/state") as r:
            state = await r.json()
        [sms_phone] = [p for p in state["phones"] if p["channel"] == "sms"]
        assert sms_phone["address"] == "+4520123456"
        assert sms_phone["ambassador"]["state"] == "active"
        thread = next(t for t in state["group"]["threads"] if "+4520123456" in t["title"])
        assert any("cykel" in m["text"] for m in thread["messages"])

        answer = {
            "officer_id": "mj",
            "ambassador_id": thread["ambassador_id"],
            "text": "Tak – vi ser på det 👍",
        }
        async with http.post(f"{base}/group/send", json=answer) as r:
            assert r.status == 202
        reply = await _bot_says(sandbox, phone_id, "Mette Jensen: Tak - vi ser på det")
        assert "sms:1xUCS-2" in reply["flags"]
