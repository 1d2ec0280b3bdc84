"""The outbox's order and fairness, on a real SQLite file: what a sender may take next."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from flows.model import Channel, Lane, Outbound, OutKind, Priority
from storage.db import Database

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "outbox.sqlite3")
    yield database
    await database.close()


def to_group(amb: int | None, text: str, priority: Priority = Priority.RELAY) -> Outbound:
    kind = OutKind.ALERT if priority == Priority.ACUTE else OutKind.RELAY
    return Outbound(Lane.OFFICERS, kind, priority, Channel.TELEGRAM, text=text, ambassador_id=amb)


def to_chat(chat: str, text: str, priority: Priority = Priority.REPLY) -> Outbound:
    kind = OutKind.ACUTE_ANSWER if priority == Priority.ACUTE else OutKind.ANSWER
    return Outbound(Lane.AMBASSADOR, kind, priority, Channel.TELEGRAM, address=chat, text=text)


async def add(db: Database, *items: Outbound) -> list[int]:
    async with db.transaction() as tx:
        return [await tx.outbox.add(item, NOW) for item in items]


async def claim(
    db: Database, lane: Lane, at: datetime = NOW, max_priority: int | None = None
) -> tuple[int, str] | None:
    async with db.transaction() as tx:
        got = await tx.outbox.claim(lane, Channel.TELEGRAM, at, max_priority=max_priority)
    return (got[0], got[1].text) if got else None


async def done(db: Database, item_id: int) -> None:
    async with db.transaction() as tx:
        await tx.outbox.done(item_id, "sent", NOW)


async def test_a_retry_holds_back_its_own_conversation_only(db: Database) -> None:
    await add(db, to_chat("1", "first to 1"), to_chat("1", "second to 1"), to_chat("2", "to 2"))
    first = await claim(db, Lane.AMBASSADOR)
    assert first is not None and first[1] == "first to 1"
    async with db.transaction() as tx:  # a 5xx: it waits ten seconds
        await tx.outbox.retry_at(first[0], NOW + timedelta(seconds=10), "502")
    nxt = await claim(db, Lane.AMBASSADOR)
    assert nxt is not None and nxt[1] == "to 2"
    assert await claim(db, Lane.AMBASSADOR) is None  # "second to 1" may not overtake
    later = NOW + timedelta(seconds=11)
    again = await claim(db, Lane.AMBASSADOR, later)
    assert again is not None and again[1] == "first to 1"
    assert await claim(db, Lane.AMBASSADOR, later) is None  # one in flight per conversation
    await done(db, again[0])
    last = await claim(db, Lane.AMBASSADOR, later)
    assert last is not None and last[1] == "second to 1"


async def test_an_urgent_item_passes_a_waiting_routine_one_in_the_same_chat(db: Database) -> None:
    [routine] = await add(db, to_chat("1", "routine"))
    taken = await claim(db, Lane.AMBASSADOR)
    assert taken is not None
    async with db.transaction() as tx:
        await tx.outbox.retry_at(routine, NOW + timedelta(minutes=5), "timeout")
    await add(db, to_chat("1", "Ring 1-1-2 nu", Priority.ACUTE))
    urgent = await claim(db, Lane.AMBASSADOR, max_priority=Priority.ACUTE)
    assert urgent is not None and urgent[1] == "Ring 1-1-2 nu"


async def test_one_flooding_sender_does_not_hold_back_another(db: Database) -> None:
    await add(db, *[to_group(1, f"flood {n}") for n in range(200)])
    await add(db, to_group(2, "Bo's relay"))
    order: list[str] = []
    for _ in range(4):
        got = await claim(db, Lane.OFFICERS)
        assert got is not None
        order.append(got[1])
        await done(db, got[0])
    assert "Bo's relay" in order[:2]
    assert order.count("Bo's relay") == 1


async def test_alerts_go_before_relays_and_senders_take_turns(db: Database) -> None:
    await add(db, *[to_group(1, f"alert 1.{n}", Priority.ACUTE) for n in range(50)])
    await add(db, to_group(3, "relay 3"), to_group(2, "alert 2", Priority.ACUTE))
    seen = []
    for _ in range(3):
        got = await claim(db, Lane.OFFICERS)
        assert got is not None
        seen.append(got[1])
        await done(db, got[0])
    assert seen[:2] == ["alert 1.0", "alert 2"] and "relay 3" not in seen


async def test_a_sender_back_after_a_pause_is_not_behind_the_queue(db: Database) -> None:
    """The fair-queueing clock moves with service: an earlier busy period gives no debt."""
    await add(db, *[to_group(1, f"early {n}") for n in range(30)])
    for _ in range(30):
        got = await claim(db, Lane.OFFICERS)
        assert got is not None
        await done(db, got[0])
    await add(db, *[to_group(2, f"flood {n}") for n in range(30)])
    await add(db, to_group(1, "back again"))
    first_two = []
    for _ in range(2):
        got = await claim(db, Lane.OFFICERS)
        assert got is not None
        first_two.append(got[1])
        await done(db, got[0])
    assert "back again" in first_two


async def test_pushes_go_in_order_and_health_counts_what_waits(db: Database) -> None:
    pushes = [
        Outbound(
            Lane.AMBASSADOR,
            OutKind.PUSH,
            Priority.PUSH,
            Channel.TELEGRAM,
            address=str(n),
            text=f"push {n}",
        )
        for n in range(5)
    ]
    await add(db, *pushes)
    got = await claim(db, Lane.AMBASSADOR)
    assert got is not None and got[1] == "push 0"
    async with db.read() as tx:
        waiting, oldest = await tx.outbox.waiting(cap=3)
    assert waiting == 3 and oldest == NOW


async def test_a_sender_who_had_their_share_is_passed_over_until_the_next_window(
    db: Database,
) -> None:
    await add(db, to_group(1, "flood 1", Priority.ACUTE), to_group(2, "Bo's alert", Priority.ACUTE))
    async with db.transaction() as tx:
        got = await tx.outbox.claim(Lane.OFFICERS, Channel.TELEGRAM, NOW, skip={"amb:1"})
        assert got is not None and got[1].text == "Bo's alert"
        assert await tx.outbox.claim(Lane.OFFICERS, Channel.TELEGRAM, NOW, skip={"amb:1"}) is None
        assert await tx.outbox.next_due(Lane.OFFICERS, Channel.TELEGRAM, skip={"amb:1"}) is None
        assert await tx.outbox.next_due(Lane.OFFICERS, Channel.TELEGRAM) == NOW
    assert await claim(db, Lane.OFFICERS) == (1, "flood 1")  # waiting, not lost
