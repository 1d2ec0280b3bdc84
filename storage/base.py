"""The base of every repository: plain parameterised SQL on the transaction's connection.

Each helper is one round trip to the database thread (a statement and its result together):
with aiosqlite every `await` on the connection is a hop to its thread, and on the hot path
those hops, not SQLite, are the cost.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import aiosqlite

Row = aiosqlite.Row


class Repo:
    """One aggregate's SQL. Repositories never commit: the transaction they belong to does."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._c = conn

    async def _one(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        rows = await self._c.execute_fetchall(sql, tuple(params))
        for row in rows:
            return row
        return None

    async def _all(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        return list(await self._c.execute_fetchall(sql, tuple(params)))

    async def _insert(self, sql: str, params: Iterable[Any]) -> int:
        cursor = await self._c.execute(sql, tuple(params))
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def _insert_or_ignore(self, sql: str, params: Iterable[Any]) -> int | None:
        """The new row's id, or None when a UNIQUE key already held it."""
        cursor = await self._c.execute(sql, tuple(params))
        return cursor.lastrowid if cursor.rowcount == 1 else None

    async def _exec(self, sql: str, params: Iterable[Any] = ()) -> int:
        cursor = await self._c.execute(sql, tuple(params))
        return cursor.rowcount

    async def _many(self, sql: str, rows: Iterable[Iterable[Any]]) -> None:
        await self._c.executemany(sql, [tuple(r) for r in rows])


def marks(values: Iterable[Any]) -> str:
    """`?, ?, ?` for an IN (...) list."""
    return ",".join("?" for _ in values)
