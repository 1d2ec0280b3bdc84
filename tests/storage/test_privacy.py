"""Export and erasure over every table, on a real SQLite file, without the bot running: a
table that only a later feature knows (here a pulse's answers) is exported and cleared by its
ambassador_id column; the other ambassador's rows are untouched."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import parse_config
from bot.root import build_context
from flows import privacy
from flows.context import FlowContext
from flows.model import Ambassador, AmbassadorState, Channel
from storage.db import Database
from tests.conftest import config_text

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
PHONE = "+4520123456"


class Clock:
    def now(self) -> datetime:
        return NOW


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "db.sqlite3")
    yield database
    await database.close()


@pytest.fixture
def ctx() -> FlowContext:
    config = parse_config(config_text("http://x/bot", "http://x/f", Path("x.db")), "t.toml")
    return build_context(config, Clock())


async def _people(db: Database) -> tuple[Ambassador, Ambassador]:
    async with db.transaction() as tx:
        made = []
        for channel, address, name in (
            (Channel.SMS, PHONE, "Rosalina Vindeløv"),
            (Channel.TELEGRAM, "6123456789", "Bo Berg"),
        ):
            amb = await tx.ambassadors.create(
                channel=channel, address=address, name=name, area_id="herning",
                officer_id="mj", state=AmbassadorState.ACTIVE, language="da", now=NOW,
            )  # fmt: skip
            await tx.messages.add(
                ambassador_id=amb.id, direction="in", channel=channel,
                text=f"{name} skriver om Kragerupvej" if channel == Channel.SMS else "Bo her",
                status="received", now=NOW,
                matched=["kragerupvej"] if channel == Channel.SMS else [],
            )  # fmt: skip
            await tx.audit.add(f"ambassador:{amb.id}", "agreement.accepted", NOW, version="2026-2")
            made.append(amb)
        await tx.invitations.create(
            code_hash="h", area_id="herning", officer_id="mj", channel=Channel.SMS, phone=PHONE,
            created_by="officer:mj", now=NOW, expires_at=NOW,
        )  # fmt: skip
        await tx.privacy._exec(
            "CREATE TABLE later_answers (id INTEGER PRIMARY KEY,"
            " ambassador_id INTEGER NOT NULL REFERENCES ambassadors (id), value INTEGER)"
        )
        for amb in made:
            await tx.privacy._exec(
                "INSERT INTO later_answers (ambassador_id, value) VALUES (?, 4)", (amb.id,)
            )
    return made[0], made[1]


async def test_export_holds_every_aggregate_including_unknown_tables(
    db: Database, ctx: FlowContext
) -> None:
    her, _ = await _people(db)
    async with db.read() as tx:
        data = await privacy.export(ctx, tx, her)
    assert data["profile"]["address"] == PHONE and data["profile"]["area"]["name"] == "Herning"
    assert [m["text"] for m in data["messages"]] == ["Rosalina Vindeløv skriver om Kragerupvej"]
    assert [i["phone"] for i in data["invitations"]] == [PHONE]
    assert [p["value"] for p in data["later_answers"]] == [4]
    [accepted] = data["consents"]["history"]
    assert accepted["agreement_version"] == "2026-2"


async def test_erasure_removes_or_anonymises_her_rows_and_only_hers(
    db: Database, ctx: FlowContext
) -> None:
    her, him = await _people(db)
    async with db.transaction() as tx:
        done = await privacy.erase(ctx, tx, her, by="operator:test")
    assert done.counts["later_answers"] == 1 and done.counts["ambassadors"] == 1
    assert await db.checkpoint()
    async with db.read() as tx:
        left = {
            table: [tuple(r) for r in await tx.privacy._all(f'SELECT * FROM "{table}"')]
            for table in ("ambassadors", "messages", "invitations", "later_answers", "audit")
        }
        his = await privacy.export(ctx, tx, him)
    flat = repr(left)
    for needle in ("Rosalina", PHONE, "20123456", "Kragerupvej", "kragerupvej"):
        assert needle not in flat, flat[flat.find(needle) - 300 : flat.find(needle) + 50]
    assert len(left["messages"]) == 2  # her message stays for the figures, without her
    assert [p["value"] for p in his["later_answers"]] == [4]
    assert [m["text"] for m in his["messages"]] == ["Bo her"]
    actions = {(row[2], row[3], row[4]) for row in left["audit"]}
    assert ("ambassador:erased", "agreement.accepted", None) in actions
    assert ("operator:test", "ambassador.erased", f"ambassador:{her.id}") in actions
    raw = await asyncio.to_thread(Path(db.path).read_bytes)
    assert b"Rosalina" not in raw and b"Kragerupvej" not in raw and PHONE.encode() not in raw
