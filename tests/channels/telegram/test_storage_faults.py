"""The first promise when storage fails: the 1-1-2 answer goes out while the database is
locked or full, exactly once, and what arrived meanwhile is handled when storage is back.
Real SQLite files: another connection holds the lock; SQLite's own page limit fills it."""

from __future__ import annotations

import contextlib
import sqlite3

from bot.root import Runtime
from tests.conftest import OFFICERS_CHAT
from tests.fakes.telegram_api import FakeBotApi
from tests.helpers import onboard, said, text_of

ANNA = 5001
ACUTE = "Der er en mand med en kniv i opgangen, han truer min nabo lige nu"
ROUTINE = "Hvornår er næste borgermøde?"
# Well below the database's 5-second busy wait: the answer must not wait for storage.
WHILE_STORAGE_FAILS = 4.0


def answers(fake: FakeBotApi) -> list[str]:
    return [text_of(m) for m in fake.sent_messages(ANNA) if "Ring 1-1-2 nu" in text_of(m)]


async def test_database_locked_the_112_answer_goes_out_and_the_rest_follows(
    app: Runtime, fake: FakeBotApi
) -> None:
    await onboard(app, fake, ANNA, "Anna")
    assert app.db is not None
    locker = sqlite3.connect(app.db.path, timeout=30)
    locker.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
    try:
        fake.push_update(fake.make_private_message(ANNA, ACUTE))
        fake.push_update(fake.make_private_message(ANNA, ROUTINE))
        await fake.wait_for(lambda f: len(answers(f)) == 1, timeout=WHILE_STORAGE_FAILS)
    finally:
        locker.rollback()
        locker.close()
    alert = (await said(fake, OFFICERS_CHAT, "AKUT", count=1))[0]
    assert "kniv" in text_of(alert)
    await said(fake, OFFICERS_CHAT, "borgermøde")
    assert len(answers(fake)) == 1, "answered once, not again when the arrival was stored"


async def test_disk_full_the_112_answer_goes_out_and_the_rest_follows(
    app: Runtime, fake: FakeBotApi
) -> None:
    await onboard(app, fake, ANNA, "Anna")
    assert app.db is not None
    # SQLite's own limit on the file's size: a full disk, as the connection that writes sees it.
    conn = app.db._loop_conn
    conn.execute("CREATE TABLE filler (x BLOB)")
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    with contextlib.suppress(sqlite3.OperationalError):  # fill the last free pages
        for _ in range(10_000):
            conn.execute("INSERT INTO filler VALUES (zeroblob(2000))")
    try:
        fake.push_update(fake.make_private_message(ANNA, ROUTINE))
        fake.push_update(fake.make_private_message(ANNA, ACUTE))
        await fake.wait_for(lambda f: len(answers(f)) == 1, timeout=WHILE_STORAGE_FAILS + 10)
        health = await app.health()
        assert health["ok"] is False and "reason" in health
    finally:
        conn.execute("PRAGMA max_page_count = 1073741823")
    await said(fake, OFFICERS_CHAT, "AKUT")
    await said(fake, OFFICERS_CHAT, ROUTINE)
    assert len(answers(fake)) == 1


async def test_a_lone_surrogate_does_not_stop_the_messages_behind_it(
    app: Runtime, fake: FakeBotApi
) -> None:
    """A broken emoji (half a UTF-16 pair) cannot be stored as UTF-8; it is shown as �."""
    await onboard(app, fake, ANNA, "Anna")
    fake.push_update(fake.make_private_message(ANNA, "Kommer I til mødet? \ud83d"))
    fake.push_update(fake.make_private_message(ANNA, ACUTE))
    await said(fake, ANNA, "Ring 1-1-2 nu")
    relay = (await said(fake, OFFICERS_CHAT, "Kommer I til mødet?"))[0]
    assert "\ufffd" in text_of(relay)


async def test_an_arrival_that_cannot_be_stored_is_kept_aside_and_blocks_nothing(
    app: Runtime, fake: FakeBotApi
) -> None:
    """Malformed input that the database will never take (here a language code holding half a
    UTF-16 pair) goes to the quarantine after a few attempts; the messages with it and after it
    are handled."""
    await onboard(app, fake, ANNA, "Anna")
    poison = fake.make_private_message(7007, "hej")
    poison["message"]["from"]["language_code"] = "da\ud83d"
    fake.push_update(poison)
    fake.push_update(fake.make_private_message(ANNA, ACUTE))
    await said(fake, ANNA, "Ring 1-1-2 nu")
    await said(fake, OFFICERS_CHAT, "AKUT")
    assert app.db is not None and app.inbox is not None
    inbox = app.inbox

    async def kept_aside() -> list[dict[str, str]]:
        assert app.db is not None
        async with app.db.read() as tx:
            return await tx.inbox.quarantined()

    await fake.wait_for(lambda _: inbox.quarantined == 1, timeout=10)
    [kept] = await kept_aside()
    assert kept["dedupe_key"].startswith("tg:7007:") and "UnicodeEncodeError" in kept["reason"]
    fake.push_update(fake.make_private_message(ANNA, ROUTINE))
    await said(fake, OFFICERS_CHAT, ROUTINE)
    assert (await app.health())["inbox"]["quarantined"] == 1  # type: ignore[index]
