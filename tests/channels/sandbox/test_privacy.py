"""Erasure reaches the sandbox's page too: it keeps the pretend phones' chats and the group
in its database, so an erased ambassador's words and name must leave them."""

from __future__ import annotations

from pathlib import Path

from tests.channels.sandbox.harness import Sandbox, running_sandbox


async def _bot_said(sb: Sandbox, phone_id: str, needle: str) -> list[list[dict[str, str]]]:
    def found() -> list[list[list[dict[str, str]]]]:
        return [
            m.buttons
            for m in sb.transcript.phones[phone_id].messages
            if m.sender_kind == "bot" and needle in m.text
        ]

    await sb.dispatcher.wait_until(lambda: bool(found()))
    return found()[-1]


async def test_erasure_scrubs_the_sandbox_page(tmp_path: Path) -> None:
    async with running_sandbox(tmp_path) as sb:
        d = sb.devices
        phone = sb.transcript.phones["p1"]
        await d.open_link(phone, sb.transcript.invitations[0]["code"])
        await _bot_said(sb, "p1", "Velkommen")
        await d.press_button(phone, "accept")
        await _bot_said(sb, "p1", "Du er nu tryghedsambassadør")
        await d.phone_sends(phone, "Der holder en mistænkelig bil på Hjortebakken")
        await sb.dispatcher.wait_until(
            lambda: any("Hjortebakken" in m.text for t in sb.transcript.threads.values() for m in t)
        )
        await d.phone_sends(phone, "/mine_data")
        await sb.dispatcher.wait_until(
            lambda: any(m.media and m.media.get("kind") == "document" for m in phone.messages)
        )
        await d.phone_sends(phone, "/slet")
        [[yes, _]] = await _bot_said(sb, "p1", "Vil du have slettet alt")
        await d.press_button(phone, yes["data"])
        erasures = sb.runtime.erasures
        assert erasures is not None
        while True:
            seen = sb.dispatcher.sent
            async with sb.db.read() as tx:
                gone = not await tx.ambassadors.find()
            if gone:
                break
            await sb.dispatcher.wait_until(lambda seen=seen: sb.dispatcher.sent > seen)
        await erasures.wait()
        async with sb.db.read() as tx:
            saved = await tx.kv.get("sandbox.transcript")
        assert saved is not None
        for needle in ("Hjortebakken", "Anna Holm"):  # the pretend phone itself stays
            assert needle not in saved, needle
        assert [m.text for m in sb.transcript.phones["p1"].messages] == ["(data slettet)"]
