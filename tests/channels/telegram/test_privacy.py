"""An ambassador's own data from Telegram: a copy (/mine_data), erasure (/slet and its
button), a coordinator's erasure (/slet ID) and the audit log (/logbog), end to end against
the fake Bot API with real SQLite."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from datetime import timedelta

from bot.clock import ShiftedClock
from bot.config import Config, Secrets
from bot.root import Runtime
from flows.model import Channel
from tests.conftest import COORDINATOR, LARS, METTE, OFFICERS_CHAT, STRANGER_OFFICER
from tests.fakes.telegram_api import FakeBotApi
from tests.helpers import JSON, group_messages, onboard, said, text_of, thread_of

ANNA = 5001
BO = 5002
LIMITED = 555555555  # a coordinator for Ikast only


async def _exchange(app: Runtime, fake: FakeBotApi) -> int:
    """Anna writes, Mette answers in Anna's topic; returns the topic's thread id."""
    await onboard(app, fake, ANNA, "Anna")
    fake.push_update(fake.make_private_message(ANNA, "Der er knallerter på Kragerupvej hver nat"))
    await said(fake, OFFICERS_CHAT, "Kragerupvej")
    thread = thread_of(fake, "Anna Holm")
    fake.push_update(
        fake.make_group_message(
            OFFICERS_CHAT, METTE, "Tak Anna, vi kører forbi i aften", message_thread_id=thread
        )
    )
    await said(fake, ANNA, "vi kører forbi i aften")
    return thread


def _buttons(message: JSON) -> list[str]:
    markup = message.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


async def _ambassador(app: Runtime, chat_id: int) -> object:
    assert app.db is not None
    async with app.db.read() as tx:
        return await tx.ambassadors.by_address(Channel.TELEGRAM, str(chat_id))


async def test_mine_data_sends_a_json_document_of_everything_held(
    app: Runtime, fake: FakeBotApi
) -> None:
    await _exchange(app, fake)
    fake.push_update(fake.make_private_message(ANNA, "/mine_data"))
    [call] = await fake.wait_for_call("sendDocument")
    assert call.chat_id == ANNA
    [upload] = call.files.values()
    assert upload.filename is not None and upload.filename.endswith(".json")
    data = json.loads(upload.content)
    assert data["profile"]["name"] == "Anna Holm"
    assert data["profile"]["address"] == str(ANNA)
    assert data["consents"]["agreement_version"] == "2026-2"
    assert data["consents"]["history"][0]["agreement_version"] == "2026-2"
    texts = [(m["direction"], m["text"], m["route"]) for m in data["messages"]]
    assert ("in", "Der er knallerter på Kragerupvej hver nat", "officer") in texts
    assert ("out", "Tak Anna, vi kører forbi i aften", None) in texts
    assert any(e["action"] == "agreement.accepted" for e in data["audit"])
    assert "alt, hvad Tryghedsbot har gemt om dig" in str(call.params.get("caption"))
    # The document is made when it is sent: the outbox never held a copy of it.
    assert app.db is not None
    async with app.db.read() as tx:
        rows = await tx.privacy._all("SELECT payload FROM outbox WHERE kind = 'data_export'")
        audit = await tx.audit.entries()
    assert rows and all("Kragerupvej" not in r["payload"] for r in rows)
    assert any(e.action == "data.exported" and e.actor.startswith("ambassador:") for e in audit)


async def test_slet_with_the_button_erases_her_and_closes_her_topic(
    app: Runtime, fake: FakeBotApi
) -> None:
    thread = await _exchange(app, fake)
    await onboard(app, fake, BO, "Bo", "Berg")
    fake.push_update(fake.make_private_message(ANNA, "/slet"))
    [ask] = await said(fake, ANNA, "Vil du have slettet alt")
    yes, no = _buttons(ask)
    fake.push_update(fake.make_callback_query(ANNA, no, ask))
    await said(fake, ANNA, "intet er slettet")
    assert await _ambassador(app, ANNA) is not None
    fake.push_update(fake.make_callback_query(ANNA, yes, ask))
    await said(fake, ANNA, "Dine oplysninger bliver nu slettet")
    await fake.wait_for_call("closeForumTopic")
    [edit] = fake.calls_of("editForumTopic")
    assert edit.params["message_thread_id"] == thread
    assert fake.topics(OFFICERS_CHAT)[thread].startswith("🗑 Slettet ambassadør")
    assert await _ambassador(app, ANNA) is None
    assert app.erasures is not None
    await app.erasures.wait()
    # Bo is still relayed; Anna is now someone the bot does not know.
    fake.push_update(fake.make_private_message(BO, "Bo her, alt vel?"))
    await said(fake, OFFICERS_CHAT, "Bo her, alt vel?")
    fake.push_update(fake.make_private_message(ANNA, "hallo?"))
    await said(fake, ANNA, "kun for ambassadører")
    assert app.db is not None
    async with app.db.read() as tx:
        entries = await tx.audit.entries()
    erased = [e for e in entries if e.action == "ambassador.erased"]
    assert len(erased) == 1 and erased[0].actor == erased[0].subject
    assert "Anna" not in json.dumps([dataclasses.asdict(e) for e in entries], default=str)


async def test_an_old_erase_button_does_nothing(
    app: Runtime, fake: FakeBotApi, clock: ShiftedClock
) -> None:
    await onboard(app, fake, ANNA, "Anna")
    fake.push_update(fake.make_private_message(ANNA, "/slet"))
    [ask] = await said(fake, ANNA, "Vil du have slettet alt")
    clock.advance(timedelta(days=2))
    fake.push_update(fake.make_callback_query(ANNA, _buttons(ask)[0], ask))
    await said(fake, ANNA, "Den knap er for gammel")
    assert await _ambassador(app, ANNA) is not None


async def test_a_coordinator_erases_an_ambassador_with_slet_id(
    app: Runtime, fake: FakeBotApi
) -> None:
    thread = await _exchange(app, fake)
    amb = await _ambassador(app, ANNA)
    assert amb is not None
    fake.add_private_user(COORDINATOR, "Kim", "Koordinator")
    fake.push_update(fake.make_private_message(COORDINATOR, f"/slet {amb.id}"))  # type: ignore[attr-defined]
    [ask] = await said(fake, COORDINATOR, "og alt, hvad der er gemt om ambassadøren")
    assert "Anna Holm" in text_of(ask)
    # Somebody else pressing the coordinator's button gets a refusal and deletes nothing.
    fake.push_update(fake.make_callback_query(LARS, _buttons(ask)[0], ask))
    fake.push_update(fake.make_callback_query(COORDINATOR, _buttons(ask)[0], ask))
    await said(fake, COORDINATOR, "er slettet")
    await fake.wait_for_call("closeForumTopic")
    assert fake.topics(OFFICERS_CHAT)[thread].startswith("🗑")
    assert await _ambassador(app, ANNA) is None
    assert not [m for m in fake.sent_messages(ANNA) if "slettet" in text_of(m)]


async def test_logbog_for_coordinators_only(app: Runtime, fake: FakeBotApi) -> None:
    await _exchange(app, fake)
    fake.add_private_user(COORDINATOR, "Kim", "Koordinator")
    fake.push_update(fake.make_private_message(COORDINATOR, "/logbog"))
    [log] = await said(fake, COORDINATOR, "Logbog")
    assert "agreement.accepted" in text_of(log) and "officer:mj reply.queued" in text_of(log)
    fake.push_update(fake.make_group_message(OFFICERS_CHAT, COORDINATOR, "/logbog"))
    await said(fake, OFFICERS_CHAT, "bruges i en privat chat med botten")
    fake.push_update(fake.make_private_message(METTE, "/logbog"))
    await said(fake, METTE, "Kun koordinatorer for alle områder kan læse logbogen")
    assert len([m for m in group_messages(fake) if "Logbog" in text_of(m)]) == 0


async def test_area_limited_coordinator_erases_only_in_her_areas(
    make_config: Callable[..., Config], secrets: Secrets, clock: ShiftedClock, fake: FakeBotApi
) -> None:
    config = make_config()
    extra = f'\n[[coordinators]]\ntelegram_user_id = {LIMITED}\nareas = ["ikast"]\n'
    from bot.config import parse_config
    from tests.conftest import config_text

    config = parse_config(
        config_text(fake.base_url, fake.base_file_url, config.storage.path) + extra, "t.toml"
    )
    app = Runtime(config, secrets, clock=clock)
    await app.start()
    try:
        await onboard(app, fake, ANNA, "Anna")  # Herning
        amb = await _ambassador(app, ANNA)
        fake.add_private_user(LIMITED, "Karen", "Holt")
        fake.push_update(fake.make_private_message(LIMITED, f"/slet {amb.id}"))  # type: ignore[attr-defined]
        await said(fake, LIMITED, "Kun koordinatorer (i deres egne områder)")
        assert await _ambassador(app, ANNA) is not None
    finally:
        await app.stop()


async def test_invitation_codes_are_never_stored_in_clear(app: Runtime, fake: FakeBotApi) -> None:
    fake.push_update(fake.make_group_message(OFFICERS_CHAT, METTE, "/inviter herning mj"))
    [answer] = await said(fake, OFFICERS_CHAT, "Invitation til")
    found = re.search(r"start=([A-Za-z0-9_-]+)", text_of(answer))
    assert found is not None
    code = found.group(1)
    assert f"Kode: {code}" in text_of(answer)  # the officer gets it
    fake.add_private_user(ANNA, "Anna", "Holm")
    fake.push_update(fake.make_private_message(ANNA, f"/start {code}"))
    await said(fake, ANNA, "Velkommen")
    assert app.db is not None
    async with app.db.read() as tx:
        tables = await tx.privacy._all("SELECT name FROM sqlite_master WHERE type = 'table'")
        for table in tables:
            rows = await tx.privacy._all(f'SELECT * FROM "{table["name"]}"')
            assert code not in repr([tuple(r) for r in rows]), table["name"]


async def test_an_internal_note_is_audited_as_whoever_wrote_it(
    app: Runtime, fake: FakeBotApi
) -> None:
    thread = await _exchange(app, fake)
    for user in (METTE, STRANGER_OFFICER):
        note = fake.make_group_message(
            OFFICERS_CHAT, user, "#intern kender hende", message_thread_id=thread
        )
        fake.push_update(note)
    # Arrivals are handled in order: once this is relayed, both notes have been handled.
    fake.push_update(fake.make_private_message(ANNA, "En besked mere"))
    await said(fake, OFFICERS_CHAT, "En besked mere")
    assert app.db is not None
    async with app.db.read() as tx:
        notes = [e.actor for e in await tx.audit.entries() if e.action == "note.internal"]
    assert notes == ["officer:mj", f"telegram:{STRANGER_OFFICER}"]
    assert not [m for m in fake.sent_messages(ANNA) if "kender hende" in text_of(m)]
