"""Retention: the daily purge removes what is older than each kind's `retention_days`, logs
and audits it; the agreement states the configured periods; configuration and role changes
are recorded at start."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import ShiftedClock
from bot.config import Config, ConfigError, Secrets, parse_config
from bot.privacy import RetentionJob
from bot.root import Runtime
from flows.hours import LOCAL_TZ
from tests.conftest import METTE, OFFICERS_CHAT, config_text
from tests.fakes.telegram_api import FakeBotApi
from tests.helpers import onboard, said, thread_of

ANNA = 5001
NOBODY = 6001
KEEP = """
[storage.retention_days]
message_texts = 60
inbox = 10
outbox = 20
strangers = 3
audit = 90
"""


def test_retention_days_one_number_or_per_kind() -> None:
    base = config_text("http://x/bot", "http://x/file/bot", Path("x.sqlite3"))
    one = parse_config(base.replace("[web]", "[storage.retention_days]\n[web]"), "t.toml")
    assert one.storage.retention_days.message_texts == 365  # the defaults
    every = parse_config(
        base.replace('path = "x.sqlite3"', 'path = "x.sqlite3"\nretention_days = 90'), "t"
    )
    assert set(every.storage.retention_days.model_dump().values()) == {90}
    with pytest.raises(ConfigError, match=r"storage\.retention_days\.audit"):
        parse_config(base.replace("[web]", "[storage.retention_days]\naudit = 0\n[web]"), "t")


def test_the_purge_runs_at_half_past_three_copenhagen_time_across_summer_time() -> None:
    job = RetentionJob(None, None)  # type: ignore[arg-type]
    autumn = datetime(2026, 10, 24, 23, 0, tzinfo=UTC)  # the night the clocks go back
    due = job.next_run(autumn)
    assert due.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M %Z") == "2026-10-25 03:30 CET"
    assert job.next_run(due) > due + timedelta(hours=23)


async def test_daily_purge_by_kind_logged_and_audited(
    make_config: Callable[..., Config],
    secrets: Secrets,
    clock: ShiftedClock,
    fake: FakeBotApi,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    app = Runtime(make_config(extra=KEEP), secrets, clock=clock)
    await app.start()
    try:
        assert app.retention is not None and app.db is not None
        await onboard(app, fake, ANNA, "Anna")
        fake.push_update(fake.make_private_message(ANNA, "Lygten på Fasanvej er gået ud"))
        await said(fake, OFFICERS_CHAT, "Fasanvej")
        thread = thread_of(fake, "Anna Holm")
        fake.push_update(
            fake.make_group_message(OFFICERS_CHAT, METTE, "Vi melder det", message_thread_id=thread)
        )
        await said(fake, ANNA, "Vi melder det")
        fake.push_update(fake.make_private_message(NOBODY, "hej?"))
        await said(fake, NOBODY, "kun for ambassadører")

        async def count(sql: str) -> int:
            async with app.db.read() as tx:  # type: ignore[union-attr]
                row = await tx.privacy._one(sql)
            assert row is not None
            return int(row[0])

        texts = "SELECT COUNT(*) FROM messages WHERE text <> ''"
        assert await app.retention.run_once() == {
            "message_texts": 0, "inbox": 0, "outbox": 0, "strangers": 0, "audit": 0}  # fmt: skip
        clock.advance(timedelta(days=4))
        assert (await app.retention.run_once())["strangers"] == 1
        clock.advance(timedelta(days=7))  # 11 days
        purged = await app.retention.run_once()
        assert purged["inbox"] > 0 and purged["outbox"] == 0
        assert await count("SELECT COUNT(*) FROM inbox") == 0
        clock.advance(timedelta(days=10))  # 21 days
        assert (await app.retention.run_once())["outbox"] > 0
        assert await count(texts) == 2
        clock.advance(timedelta(days=40))  # 61 days: the texts go, the rows stay
        assert (await app.retention.run_once())["message_texts"] == 2
        assert await count(texts) == 0
        assert await count("SELECT COUNT(*) FROM messages") == 2
        clock.advance(timedelta(days=30))  # 91 days: the oldest audit entries go
        assert (await app.retention.run_once())["audit"] > 0
        async with app.db.read() as tx:
            entries = await tx.audit.entries()
        assert entries and all(e.action == "retention.purged" for e in entries[:-1])
        assert entries[-1].details["rows"]["audit"] > 0
    finally:
        await app.stop()
    logged = [r.getMessage() for r in caplog.records if r.name == "bot.privacy"]
    assert any(line.startswith("retention purge: message_texts 2") for line in logged)


async def test_the_agreement_states_the_configured_periods(
    make_config: Callable[..., Config], secrets: Secrets, clock: ShiftedClock, fake: FakeBotApi
) -> None:
    app = Runtime(make_config(extra=KEEP), secrets, clock=clock)
    await app.start()
    try:
        await onboard(app, fake, ANNA, "Anna")
        fake.push_update(fake.make_private_message(ANNA, "/aftale"))
        [full] = await said(fake, ANNA, "Dine oplysninger")
        text = full["text"]
        assert "slettes efter 60 dage" in text and "gemmes i 90 dage" in text
        assert "/mine_data" in text and "/slet" in text and "version 2026-2" in text
    finally:
        await app.stop()


async def test_role_changes_are_audited_at_start(
    make_config: Callable[..., Config], secrets: Secrets, clock: ShiftedClock
) -> None:
    async def start(extra: str) -> list[str]:
        app = Runtime(make_config(extra=extra), secrets, clock=clock)
        await app.start()
        try:
            assert app.db is not None
            async with app.db.read() as tx:
                entries = await tx.audit.entries()
        finally:
            await app.stop()
        changed = [e.details["changes"] for e in entries if e.action == "config.changed"]
        return [str(line) for lines in changed for line in lines]  # type: ignore[attr-defined]

    first = await start("")
    assert any(line.startswith("officers: added mj") for line in first)
    limited = '[[coordinators]]\ntelegram_user_id = 555555555\nareas = ["ikast"]\n'
    second = await start(limited)
    assert second[len(first) :] == ["coordinators: added 555555555 ['ikast']"]
    third = await start(limited)
    assert third == second  # nothing changed, nothing recorded
