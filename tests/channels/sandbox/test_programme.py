"""The sandbox runs the programme through the same flows: the register, ✅ Klaret under a
relayed message, the tryghed pulse on a pretend phone, and the figures with their chart."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.channels.sandbox.transcript import Phone
from tests.channels.sandbox.harness import Sandbox, running_sandbox
from tests.channels.sandbox.test_pushes import post


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    async with running_sandbox(tmp_path) as running:
        yield running


async def get(app: Sandbox, path: str) -> tuple[int, bytes, str]:
    async with aiohttp.ClientSession() as session, session.get(app.url + "api" + path) as r:
        return r.status, await r.read(), r.content_type


async def until(sandbox: Sandbox, seen: Callable[[], bool]) -> None:
    """Wait for the senders to have delivered what `seen` looks for."""
    await sandbox.dispatcher.wait_until(seen)


def texts(phone: Phone) -> list[str]:
    return [m.text for m in phone.messages if m.sender_kind == "bot"]


async def onboarded(sandbox: Sandbox) -> Phone:
    phone = next(iter(sandbox.transcript.phones.values()))
    code = sandbox.transcript.invitations[0]["code"]
    await sandbox.devices.open_link(phone, code)
    await until(sandbox, lambda: any(m.buttons for m in phone.messages))
    await sandbox.devices.press_button(phone, "accept")
    await until(sandbox, lambda: any(t.startswith("Tak, ") for t in texts(phone)))
    return phone


async def test_handled_button_clears_the_case_and_the_alert(sandbox: Sandbox) -> None:
    phone = await onboarded(sandbox)
    await sandbox.devices.phone_sends(phone, "Der er en mand med en kniv ved Netto nu!")
    threads = sandbox.transcript.threads
    await until(sandbox, lambda: any(m.buttons for msgs in threads.values() for m in msgs))
    thread = (await sandbox.state())["group"]["threads"][0]
    assert thread["open_alert"] is True and len(thread["open_cases"]) == 1
    alert = next(m for msgs in threads.values() for m in msgs if m.buttons)
    body = {"officer_id": "mj", "message_id": alert.id, "data": alert.buttons[0][0]["data"]}
    status, _ = await post(sandbox, "/group/button", body)
    assert status == 202
    await until(sandbox, lambda: any("Klaret (Mette Jensen)" in m.text for m in threads[1]))
    thread = (await sandbox.state())["group"]["threads"][0]
    assert thread["open_alert"] is False and thread["open_cases"] == []


async def test_register_moves_and_ends_through_the_flows(sandbox: Sandbox) -> None:
    phone = await onboarded(sandbox)
    listed = (await sandbox.state())["register"]["ambassadors"]
    assert [(a["name"], a["area"], a["officer"], a["state"]) for a in listed] == [
        ("Anna Holm", "herning", "mj", "active")
    ]
    amb = listed[0]["id"]
    status, _ = await post(sandbox, f"/ambassadors/{amb}/move", {"officer": "lp"})
    assert status == 200
    await until(sandbox, lambda: any("Lars Poulsen" in t for t in texts(phone)))
    status, refused = await post(sandbox, f"/ambassadors/{amb}/move", {"officer": "lp"})
    assert status == 400 and "nyt område" in refused["error"]
    status, _ = await post(sandbox, f"/ambassadors/{amb}/end", {})
    assert status == 200
    await until(sandbox, lambda: any("er afsluttet" in t for t in texts(phone)))
    assert (await sandbox.state())["register"]["ambassadors"][0]["state"] == "ended"
    status, _ = await post(sandbox, "/ambassadors/999/pause", {})
    assert status == 400


async def test_pulse_on_a_phone_and_the_figures(sandbox: Sandbox) -> None:
    phone = await onboarded(sandbox)
    await sandbox.devices.phone_sends(phone, "Hvornår er der borgermøde?")
    body: dict[str, Any] = {
        "audience": {"areas": ["herning"], "channel": "all"},
        "kind": "pulse",
        "text": "Hvor tryg føler du dig i dit lokalområde lige nu?",
    }
    status, made = await post(sandbox, "/broadcasts", body)
    assert status == 200 and made["id"]
    await until(sandbox, lambda: any("Tryghedsmåling" in t for t in texts(phone)))
    question = next(m for m in phone.messages if "Tryghedsmåling" in m.text)
    assert [b["text"] for b in question.buttons[0]] == ["1", "2", "3", "4", "5"]
    await sandbox.devices.press_button(phone, question.buttons[0][3]["data"])
    await until(sandbox, lambda: any("Tak for dit svar (4)" in t for t in texts(phone)))
    pushes = (await sandbox.state())["broadcasts"]
    assert pushes[0]["kind"] == "pulse" and pushes[0]["results"]["responses"] == 1
    assert pushes[0]["results"]["mean"] is None  # fewer than three answers: no mean

    status, raw, kind = await get(sandbox, "/figures")
    herning = next(a for a in json.loads(raw)["areas"] if a["id"] == "herning")
    assert status == 200 and kind == "application/json"
    assert (herning["ambassadors_active"], herning["messages_in"], herning["pulse_responses"]) == (
        1, 1, 1)  # fmt: skip
    status, png, kind = await get(sandbox, "/figures/chart.png")
    assert status == 200 and kind == "image/png" and png.startswith(b"\x89PNG")
