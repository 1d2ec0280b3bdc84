"""Queries that run once per batch of a push read only their batch, whatever the audience's
size: checked on SQLite's own query plan, which does not depend on how many rows there are."""

from __future__ import annotations

from pathlib import Path

from flows.model import Channel
from storage.db import Database


async def test_the_next_fan_out_batch_is_read_by_id_range_not_by_sorting_the_area(
    tmp_path: Path,
) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    statements: list[str] = []
    db._loop_conn.set_trace_callback(statements.append)
    try:
        async with db.read() as tx:
            await tx.broadcasts.audience_missing(
                1, areas=["herning", "ikast"], channels=[Channel.TELEGRAM, Channel.SMS], limit=100
            )
    finally:
        db._loop_conn.set_trace_callback(None)
    batch = [s for s in statements if "FROM ambassadors" in s]
    assert len(batch) == 1, statements
    plan = [row[3] for row in db._loop_conn.execute("EXPLAIN QUERY PLAN " + batch[0])]
    assert any("INTEGER PRIMARY KEY" in step for step in plan), plan
    assert not any("TEMP B-TREE" in step for step in plan), plan
    await db.close()
