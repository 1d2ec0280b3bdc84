"""The loop's connection never checkpoints; the worker thread does, so the log stays bounded.

Only a checkpoint writes pages into the database file itself (until then they live in the
write-ahead log), so the file's growth shows that the checkpoints happen.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from storage.db import CHECKPOINT_EVERY, Database


def _size(path: str) -> int:
    return Path(path).stat().st_size


async def test_commits_reach_the_database_file_through_checkpoints(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    before = await asyncio.to_thread(_size, db.path)
    value = "x" * 4000
    for n in range(2 * CHECKPOINT_EVERY):
        async with db.transaction() as tx:
            await tx.kv.set(f"k{n}", value)
        if db._checkpointing is not None:
            await asyncio.wait([db._checkpointing])
    grown = await asyncio.to_thread(_size, db.path) - before
    assert grown >= CHECKPOINT_EVERY * len(value), grown
    await db.close()


async def test_the_loop_connection_never_waits_for_a_lock(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    assert db._loop_conn.execute("PRAGMA busy_timeout").fetchone()[0] == 0
    assert db._loop_conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    await db.close()
