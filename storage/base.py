"""The base of every repository: plain parameterised SQL on the transaction's connection.

The statements run at once, on the event loop's own SQLite connection (see storage/db.py):
a statement costs a few microseconds, where a hop to a database thread and back cost a
hundred and more. The helpers stay `async` so that the flows do not depend on how.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

Row = sqlite3.Row


class Repo:
    """One aggregate's SQL. Repositories never commit: the transaction they belong to does."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._c = conn

    async def _one(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        row: Row | None = self._c.execute(sql, tuple(params)).fetchone()
        return row

    async def _all(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        return self._c.execute(sql, tuple(params)).fetchall()

    async def _insert(self, sql: str, params: Iterable[Any]) -> int:
        cursor = self._c.execute(sql, tuple(params))
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    async def _insert_or_ignore(self, sql: str, params: Iterable[Any]) -> int | None:
        """The new row's id, or None when a UNIQUE key already held it."""
        cursor = self._c.execute(sql, tuple(params))
        return cursor.lastrowid if cursor.rowcount == 1 else None

    async def _exec(self, sql: str, params: Iterable[Any] = ()) -> int:
        return self._c.execute(sql, tuple(params)).rowcount

    async def _many(self, sql: str, rows: Iterable[Iterable[Any]]) -> None:
        self._c.executemany(sql, [tuple(r) for r in rows])


def marks(values: Iterable[Any]) -> str:
    """`?, ?, ?` for an IN (...) list."""
    return ",".join("?" for _ in values)
