"""The sandbox reads what its pretend phones send exactly as Telegram and Twilio would be
read, because it goes through the same readers: a slash word does not hide an emergency, and
a pretend SMS phone can be invited by its own number."""

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


async def post(app: Sandbox, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    page = {"Origin": app.url.removesuffix("/sandbox/")}  # as the sandbox's own page sends it
    async with (
        aiohttp.ClientSession(headers=page) as session,
        session.post(app.url + "api" + path, json=body) as r,
    ):
        return r.status, await r.json()


def texts(messages: list[Any]) -> list[str]:
    return [m.text for m in messages]


async def onboarded_phone(sandbox: Sandbox) -> str:
    phone = next(iter(sandbox.transcript.phones.values()))
    code = sandbox.transcript.invitations[0]["code"]
    await post(sandbox, f"/phones/{phone.id}/open_link", {"code": code})
    await sandbox.dispatcher.wait_until(lambda: any(m.buttons for m in phone.messages))
    await post(sandbox, f"/phones/{phone.id}/button", {"data": "accept"})
    await sandbox.dispatcher.wait_until(
        lambda: any(m.text.startswith("Tak, ") for m in phone.messages)
    )
    return phone.id


async def test_a_slash_emergency_is_answered_and_alerted_as_in_telegram(sandbox: Sandbox) -> None:
    phone_id = await onboarded_phone(sandbox)
    phone = sandbox.transcript.phones[phone_id]
    status, _ = await post(
        sandbox, f"/phones/{phone_id}/send", {"text": "/politi der brænder i opgangen lige nu"}
    )
    assert status == 202

    def alerted() -> bool:
        group = [m for t in sandbox.transcript.threads.values() for m in t]
        return any("AKUT" in m.text and "brænder i opgangen" in m.text for m in group)

    await sandbox.dispatcher.wait_until(
        lambda: any("Ring 1-1-2 nu" in t for t in texts(phone.messages)) and alerted()
    )
    status, _ = await post(sandbox, f"/phones/{phone_id}/send", {"text": "/kampagne"})
    await sandbox.dispatcher.wait_until(
        lambda: any("koordinator" in t.lower() for t in texts(phone.messages))
    )


async def test_a_pretend_sms_phone_can_be_invited_by_its_own_number(sandbox: Sandbox) -> None:
    status, made = await post(sandbox, "/phones", {"channel": "sms"})
    assert status == 200
    phone = sandbox.transcript.phones[made["id"]]
    invite = {"channel": "sms", "phone": phone.address, "area": "herning", "officer": "mj"}
    status, answer = await post(sandbox, "/invite", invite)
    assert status == 200, answer
    await sandbox.dispatcher.wait_until(lambda: any("Svar JA" in t for t in texts(phone.messages)))
    assert len(sandbox.transcript.phones) == 2, "the same phone, not a new one"
