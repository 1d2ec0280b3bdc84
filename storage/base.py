"""The base of every repository: plain parameterised SQL on the transaction's connection."""

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
        async with self._c.execute(sql, tuple(params)) as cur:
            return await cur.fetchone()

    async def _all(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        async with self._c.execute(sql, tuple(params)) as cur:
            return list(await cur.fetchall())

    async def _insert(self, sql: str, params: Iterable[Any]) -> int:
        async with self._c.execute(sql, tuple(params)) as cur:
            assert cur.lastrowid is not None
            return cur.lastrowid

    async def _insert_or_ignore(self, sql: str, params: Iterable[Any]) -> int | None:
        """The new row's id, or None when a UNIQUE key already held it."""
        async with self._c.execute(sql, tuple(params)) as cur:
            return cur.lastrowid if cur.rowcount == 1 else None

    async def _exec(self, sql: str, params: Iterable[Any] = ()) -> int:
        async with self._c.execute(sql, tuple(params)) as cur:
            return cur.rowcount


def marks(values: Iterable[Any]) -> str:
    """`?, ?, ?` for an IN (...) list."""
    return ",".join("?" for _ in values)
