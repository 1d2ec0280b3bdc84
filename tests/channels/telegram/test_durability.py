"""Restarts and crashes: nothing lost, nothing handled or sent twice."""

from __future__ import annotations

from collections.abc import Callable

from bot.clock import ShiftedClock
from bot.config import Config, Secrets
from bot.root import Runtime
from flows.model import Channel, Inbound
from storage.db import Database
from storage.queues import dump_inbound
from tests.conftest import METTE, OFFICERS_CHAT
from tests.fakes.telegram_api import FakeBotApi
from tests.helpers import onboard, said, text_of, thread_of

ANNA = 5001


async def test_restart_keeps_ambassadors_threads_and_reply_mapping(
    make_config: Callable[..., Config], secrets: Secrets, clock: ShiftedClock, fake: FakeBotApi
) -> None:
    first = Runtime(make_config(), secrets, clock=clock)
    await first.start()
    await onboard(first, fake, ANNA, "Anna")
    fake.push_update(fake.make_private_message(ANNA, "før genstart"))
    await said(fake, OFFICERS_CHAT, "før genstart")
    await first.stop()

    second = Runtime(make_config(), secrets, clock=clock)
    await second.start()
    try:
        thread = thread_of(fake, "Anna Holm")
        fake.push_update(
            fake.make_group_message(
                OFFICERS_CHAT, METTE, "efter genstart", message_thread_id=thread
            )
        )
        await said(fake, ANNA, "Mette Jensen: efter genstart")
        fake.push_update(fake.make_private_message(ANNA, "også efter genstart"))
        relayed = await said(fake, OFFICERS_CHAT, "også efter genstart")
        assert relayed[0]["message_thread_id"] == thread
        assert len(fake.calls_of("createForumTopic")) == 1
    finally:
        await second.stop()


async def test_a_restart_resumes_the_groups_minute_where_the_last_run_left_it(
    make_config: Callable[..., Config], secrets: Secrets, clock: ShiftedClock, fake: FakeBotApi
) -> None:
    """Telegram counts a group's messages per minute whoever sent them: a bot restarted
    (or crashed and restarted) within the minute may not start a fresh 20."""
    first = Runtime(make_config(), secrets, clock=clock)
    await first.start()
    await onboard(first, fake, ANNA, "Anna")
    for n in range(3):  # one at a time: messages still waiting would join one relay
        fake.push_update(fake.make_private_message(ANNA, f"besked {n}"))
        await said(fake, OFFICERS_CHAT, f"besked {n}")
    await first.stop()
    sent_by_first = len(fake.sent_messages(OFFICERS_CHAT))
    assert sent_by_first >= 4  # who joined, and the three relays

    second = Runtime(make_config(), secrets, clock=clock)
    await second.start()
    try:
        assert second.telegram is not None and second.telegram.group_pacer is not None
        assert second.telegram.group_pacer.used() == sent_by_first
    finally:
        await second.stop()


async def test_arrival_persisted_before_a_crash_is_handled_once_after_restart(
    make_config: Callable[..., Config], secrets: Secrets, clock: ShiftedClock, fake: FakeBotApi
) -> None:
    app = Runtime(make_config(), secrets, clock=clock)
    await app.start()
    await onboard(app, fake, ANNA, "Anna")
    await app.stop()

    # The process received a message, stored it, and died before handling it.
    cfg = make_config()
    db = await Database.open(cfg.storage.path)
    arrival = Inbound(
        channel=Channel.TELEGRAM,
        address=str(ANNA),
        dedupe_key="tg:5001:999",
        received_at=clock.now(),
        text="skrevet lige før nedbruddet",
    )
    async with db.transaction() as tx:
        assert await tx.inbox.add(
            arrival.dedupe_key, "ambassador", dump_inbound(arrival), clock.now()
        )
    await db.close()

    again = Runtime(cfg, secrets, clock=clock)
    await again.start()
    try:
        await said(fake, OFFICERS_CHAT, "skrevet lige før nedbruddet")
        # Telegram delivering the same message again (a retry) is recognised and dropped.
        assert again.inbox is not None
        assert not await again.inbox.receive(arrival)
    finally:
        await again.stop()
    relays = [
        m for m in fake.sent_messages(OFFICERS_CHAT) if "skrevet lige før nedbruddet" in text_of(m)
    ]
    assert len(relays) == 1


async def test_outbox_survives_a_crash_between_receiving_and_sending(
    make_config: Callable[..., Config], secrets: Secrets, clock: ShiftedClock, fake: FakeBotApi
) -> None:
    app = Runtime(make_config(), secrets, clock=clock)
    await app.start()
    await onboard(app, fake, ANNA, "Anna")
    fake.push_update(fake.make_private_message(ANNA, "første"))
    await said(fake, OFFICERS_CHAT, "første")
    thread = thread_of(fake, "Anna Holm")
    # The Bot API is down: the reply is handled and queued, but cannot be sent.
    fake.fail_next("sendMessage", status=500, chat_id=ANNA, count=100)
    fake.push_update(
        fake.make_group_message(OFFICERS_CHAT, METTE, "svar i køen", message_thread_id=thread)
    )
    await fake.wait_for_call(
        "sendMessage", predicate=lambda c: c.params.get("chat_id") == ANNA and c.status == 500
    )
    await app.stop()  # the process goes away with the reply still in the outbox

    fake.clear_failures()  # the Bot API is back
    again = Runtime(make_config(), secrets, clock=clock)
    await again.start()
    try:
        await said(fake, ANNA, "svar i køen")
    finally:
        await again.stop()
    assert len([m for m in fake.sent_messages(ANNA) if "svar i køen" in text_of(m)]) == 1
