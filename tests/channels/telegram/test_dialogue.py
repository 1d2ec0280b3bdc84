"""The ambassador ↔ officer dialogue end to end: real PTB client, fake Bot API on loopback,
real SQLite."""

from __future__ import annotations

from collections.abc import Callable

from bot.clock import ShiftedClock
from bot.config import Config, Secrets
from bot.root import Runtime
from flows.model import Channel
from tests.conftest import LARS, METTE, OFFICERS_CHAT, STRANGER_OFFICER
from tests.fakes.telegram_api import FakeBotApi
from tests.helpers import group_messages, onboard, said, text_of, thread_of

ANNA = 5001
BO = 5002


async def test_relay_and_reply_in_forum_topics(app: Runtime, fake: FakeBotApi) -> None:
    await onboard(app, fake, ANNA, "Anna")
    fake.push_update(fake.make_private_message(ANNA, "Hej Mette, hvornår er næste borgermøde?"))
    relayed = (await said(fake, OFFICERS_CHAT, "næste borgermøde"))[0]
    thread = thread_of(fake, "Anna Holm · Herning")
    assert relayed["message_thread_id"] == thread
    assert "Anna Holm" in text_of(relayed) and "Herning" in text_of(relayed)
    mentions = [
        e for e in relayed.get("entities", []) if e["type"] in ("text_mention", "text_link")
    ]
    assert mentions, "the assigned officer must be mentioned so Telegram notifies her"

    reply = fake.make_group_message(
        OFFICERS_CHAT, METTE, "Den 3. december kl. 19 <på skolen>", message_thread_id=thread
    )
    fake.push_update(reply)
    answer = (await said(fake, ANNA, "Den 3. december"))[0]
    assert text_of(answer).startswith("Mette Jensen:")
    assert "<på skolen>" in text_of(answer)  # escaped, shown as written
    await fake.wait_for(lambda f: (OFFICERS_CHAT, reply["message"]["message_id"]) in f.reactions)


async def test_one_topic_per_ambassador_reused(app: Runtime, fake: FakeBotApi) -> None:
    await onboard(app, fake, ANNA, "Anna")
    for n in range(3):
        fake.push_update(fake.make_private_message(ANNA, f"besked nummer {n}"))
    await said(fake, OFFICERS_CHAT, "besked nummer 2")
    assert len(fake.calls_of("createForumTopic")) == 1


async def test_reply_mode_in_a_plain_group(
    make_config: Callable[..., Config], secrets: Secrets, clock: ShiftedClock
) -> None:
    async with FakeBotApi(
        token=secrets.telegram_bot_token.get_secret_value()  # type: ignore[union-attr]
    ) as fake:
        fake.add_group(OFFICERS_CHAT, "Betjente", is_forum=False)
        cfg = make_config()
        cfg = cfg.model_copy(
            update={
                "telegram": cfg.telegram.model_copy(
                    update={"base_url": fake.base_url, "base_file_url": fake.base_file_url}
                )
            }
        )
        app = Runtime(cfg, secrets, clock=clock)
        await app.start()
        try:
            telegram = app.telegram
            assert telegram is not None and telegram.officers is not None
            assert telegram.officers.mode == "replies"
            await onboard(app, fake, BO, "Bo", "Berg", area="ikast", officer="lp")
            fake.push_update(
                fake.make_private_message(BO, "Der holder en hvid varevogn ved skolen hver aften")
            )
            relayed = (await said(fake, OFFICERS_CHAT, "hvid varevogn"))[0]
            assert "Bo Berg" in text_of(relayed) and "Lars Poulsen" in text_of(relayed)
            assert not fake.calls_of("createForumTopic")
            fake.push_update(
                fake.make_group_message(
                    OFFICERS_CHAT,
                    LARS,
                    "Tak, vi kigger forbi.",
                    reply_to_message_id=relayed["message_id"],
                )
            )
            await said(fake, BO, "Lars Poulsen: Tak, vi kigger forbi.")
            # A message in the group that answers nothing is officers talking among themselves.
            fake.push_update(fake.make_group_message(OFFICERS_CHAT, LARS, "kaffe nogen?"))
            fake.push_update(
                fake.make_group_message(
                    OFFICERS_CHAT, LARS, "Vi ses.", reply_to_message_id=relayed["message_id"]
                )
            )
            await said(fake, BO, "Vi ses.")
            assert not [m for m in fake.sent_messages(BO) if "kaffe" in text_of(m)]
        finally:
            await app.stop()


async def test_internal_notes_and_non_officers_are_not_relayed(
    app: Runtime, fake: FakeBotApi
) -> None:
    await onboard(app, fake, ANNA, "Anna")
    fake.push_update(fake.make_private_message(ANNA, "Er der nyt om cykeltyverierne?"))
    await said(fake, OFFICERS_CHAT, "cykeltyverierne")
    thread = thread_of(fake, "Anna Holm")
    fake.push_update(
        fake.make_group_message(
            OFFICERS_CHAT, METTE, "#intern hun har skrevet før", message_thread_id=thread
        )
    )
    fake.push_update(
        fake.make_group_message(
            OFFICERS_CHAT, STRANGER_OFFICER, "Hej Anna!", message_thread_id=thread
        )
    )
    refusal = await said(fake, OFFICERS_CHAT, "Kun betjente, der er sat op i Tryghedsbot")
    assert refusal[0]["message_thread_id"] == thread
    fake.push_update(
        fake.make_group_message(
            OFFICERS_CHAT, METTE, "Ja, to anmeldelser i sidste uge.", message_thread_id=thread
        )
    )
    await said(fake, ANNA, "to anmeldelser i sidste uge")
    texts = [text_of(m) for m in fake.sent_messages(ANNA)]
    assert not any("har skrevet før" in t or "Hej Anna!" in t for t in texts)


async def test_media_relayed_and_stickers_answered(app: Runtime, fake: FakeBotApi) -> None:
    await onboard(app, fake, ANNA, "Anna")
    fake.push_update(fake.make_private_message(ANNA, "Graffiti på muren ved stationen", photo=True))
    copy = await fake.wait_for_call(
        "copyMessage", predicate=lambda c: c.params.get("chat_id") == OFFICERS_CHAT
    )
    assert "Graffiti" in copy[0].params["caption"] and "Anna Holm" in copy[0].params["caption"]
    fake.push_update(fake.make_private_message(ANNA, None, voice=True))
    fake.push_update(fake.make_private_message(ANNA, None, location=(56.14, 8.97)))
    await fake.wait_for_call(
        "copyMessage", count=3, predicate=lambda c: c.params.get("chat_id") == OFFICERS_CHAT
    )
    fake.push_update(fake.make_private_message(ANNA, None, sticker=True))
    await said(fake, ANNA, "kan jeg desværre ikke sende videre")

    thread = thread_of(fake, "Anna Holm")
    fake.push_update(
        fake.make_group_message(
            OFFICERS_CHAT, METTE, "Se kortet", photo=True, message_thread_id=thread
        )
    )
    back = await fake.wait_for_call(
        "copyMessage", predicate=lambda c: c.params.get("chat_id") == ANNA
    )
    assert "Mette Jensen" in back[0].params["caption"]


async def test_long_text_is_split_at_telegrams_limit(app: Runtime, fake: FakeBotApi) -> None:
    await onboard(app, fake, ANNA, "Anna")
    long_text = " ".join(f"ord{n}" for n in range(2000))  # about 11,800 characters
    fake.push_update(fake.make_private_message(ANNA, long_text[:4096]))
    parts = await fake.wait_for_sent(
        chat_id=OFFICERS_CHAT, count=2, predicate=lambda m: "ord" in text_of(m)
    )
    assert all(len(text_of(p)) <= 4096 for p in parts)
    joined = " ".join(text_of(p) for p in parts)
    assert "ord0 " in joined and joined.endswith("ord600")


async def test_commands_help_stop_start_language(app: Runtime, fake: FakeBotApi) -> None:
    await onboard(app, fake, ANNA, "Anna")
    fake.push_update(fake.make_private_message(ANNA, "Hej"))
    await said(fake, OFFICERS_CHAT, "Hej")
    fake.push_update(fake.make_private_message(ANNA, "/hjaelp"))
    await said(fake, ANNA, "forbinder dig med din kontaktbetjent, Mette Jensen")
    fake.push_update(fake.make_private_message(ANNA, "/stop"))
    await said(fake, ANNA, "Du holder nu pause")
    await said(fake, OFFICERS_CHAT, "holder pause")
    fake.push_update(fake.make_private_message(ANNA, "hallo"))
    await said(fake, ANNA, "Du holder pause, så din besked er ikke sendt videre")
    thread = thread_of(fake, "Anna Holm")
    fake.push_update(
        fake.make_group_message(OFFICERS_CHAT, METTE, "Er du der?", message_thread_id=thread)
    )
    await said(fake, OFFICERS_CHAT, "ambassadøren holder pause")
    fake.push_update(fake.make_private_message(ANNA, "/start"))
    await said(fake, ANNA, "Velkommen tilbage")
    fake.push_update(fake.make_private_message(ANNA, "/sprog en"))
    await said(fake, ANNA, "The language is now English")
    fake.push_update(fake.make_private_message(ANNA, "/help"))
    await said(fake, ANNA, "connects you with your contact officer")
    assert not [m for m in group_messages(fake) if text_of(m).endswith("hallo")]


async def test_blocked_ambassador_officer_is_told(app: Runtime, fake: FakeBotApi) -> None:
    await onboard(app, fake, ANNA, "Anna")
    fake.push_update(fake.make_private_message(ANNA, "Tak for hjælpen i går"))
    await said(fake, OFFICERS_CHAT, "Tak for hjælpen")
    fake.block_user(ANNA)
    thread = thread_of(fake, "Anna Holm")
    fake.push_update(
        fake.make_group_message(OFFICERS_CHAT, METTE, "Selv tak!", message_thread_id=thread)
    )
    notice = await said(fake, OFFICERS_CHAT, "blev ikke leveret")
    assert "blokeret" in text_of(notice[0])
    assert app.db is not None
    async with app.db.read() as tx:
        amb = await tx.ambassadors.by_address(Channel.TELEGRAM, str(ANNA))
    assert amb is not None and amb.unreachable


async def test_429_and_5xx_are_retried_until_delivered(app: Runtime, fake: FakeBotApi) -> None:
    await onboard(app, fake, ANNA, "Anna")
    fake.push_update(fake.make_private_message(ANNA, "Første besked"))
    await said(fake, OFFICERS_CHAT, "Første besked")
    thread = thread_of(fake, "Anna Holm")
    fake.fail_next("sendMessage", status=429, retry_after=1, chat_id=ANNA)
    fake.push_update(
        fake.make_group_message(OFFICERS_CHAT, METTE, "Svar efter 429", message_thread_id=thread)
    )
    await said(fake, ANNA, "Svar efter 429")
    fake.fail_next("sendMessage", status=502, chat_id=ANNA, count=1)
    fake.push_update(
        fake.make_group_message(OFFICERS_CHAT, METTE, "Svar efter 502", message_thread_id=thread)
    )
    await fake.wait_for_sent(
        chat_id=ANNA, predicate=lambda m: "Svar efter 502" in text_of(m), timeout=10
    )
    assert len([m for m in fake.sent_messages(ANNA) if "Svar efter" in text_of(m)]) == 2
    failures = [c for c in fake.calls_of("sendMessage") if not c.ok]
    assert {c.status for c in failures} >= {429, 502}


async def test_an_edit_is_not_relayed_and_the_ambassador_is_told(
    app: Runtime, fake: FakeBotApi
) -> None:
    await onboard(app, fake, ANNA, "Anna")
    fake.push_update(fake.make_private_message(ANNA, "Mødet er på tirsdag"))
    await said(fake, OFFICERS_CHAT, "Mødet er på tirsdag")
    edit = fake.make_private_message(ANNA, "Mødet er på onsdag")
    message = edit.pop("message")
    edit["edited_message"] = {**message, "edit_date": message["date"] + 60}
    fake.push_update(edit)
    await said(fake, ANNA, "Skriv gerne rettelsen som en ny besked")
    assert not [m for m in group_messages(fake) if "onsdag" in text_of(m)]


async def test_pausing_withdraws_pushes_still_waiting(app: Runtime, fake: FakeBotApi) -> None:
    from datetime import timedelta

    from flows.model import Lane, Outbound, OutKind, Priority

    await onboard(app, fake, ANNA, "Anna")
    assert app.db is not None and app.ctx is not None
    now = app.ctx.clock.now()
    async with app.db.transaction() as tx:
        push = Outbound(
            lane=Lane.AMBASSADOR,
            kind=OutKind.PUSH,
            priority=Priority.PUSH,
            channel=Channel.TELEGRAM,
            address=str(ANNA),
            text="Tip til i morgen",
        )
        push_id = await tx.outbox.add(push, now, not_before=now + timedelta(hours=10))
    fake.push_update(fake.make_private_message(ANNA, "/stop"))
    await said(fake, ANNA, "Du holder nu pause")
    async with app.db.read() as tx:
        row = await tx.outbox._one("SELECT status, last_error FROM outbox WHERE id = ?", (push_id,))
    assert row is not None and (row["status"], row["last_error"]) == ("failed", "paused")
