"""The SQLite database: opening, pragmas, migrations and transactions.

One connection serves the whole process; an asyncio lock makes each transaction whole, and
`BEGIN IMMEDIATE` takes SQLite's write lock up front so a transaction never fails half-way on
a busy database.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import aiosqlite

from storage.transaction import Transaction

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class DatabaseTooNew(RuntimeError):
    """The file was written by a newer Tryghedsbot; running older code on it could damage it."""


def migrations() -> list[tuple[int, str, str]]:
    """(number, name, sql) for every shipped migration, in order."""
    found: list[tuple[int, str, str]] = []
    for entry in resources.files("storage.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    for expected, (number, name, _) in enumerate(found, start=1):
        if number != expected:
            raise RuntimeError(f"migration {name} is out of sequence (expected {expected:04d})")
    return found


class Database:
    def __init__(self, conn: aiosqlite.Connection, path: str) -> None:
        self._conn = conn
        self.path = path
        self._lock = asyncio.Lock()
        self._after_commit: list[Callable[[Transaction], None]] = []

    @classmethod
    async def open(cls, path: str | Path) -> Database:
        path = str(path)
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        db = cls(conn, path)
        try:
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute("PRAGMA synchronous = NORMAL")
            await conn.execute("PRAGMA busy_timeout = 5000")
            # Deleted and overwritten content is zeroed, not left in free pages: erased people
            # and purged messages leave no trace in the file (storage/privacy.py).
            await conn.execute("PRAGMA secure_delete = ON")
            await db.migrate()
        except BaseException:
            await conn.close()
            raise
        return db

    async def close(self) -> None:
        await self._conn.close()

    async def schema_version(self) -> int:
        async with self._conn.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        return int(row[0]) if row else 0

    async def migrate(self) -> int:
        """Apply the migrations this file lacks; refuse a file newer than the code."""
        current = await self.schema_version()
        shipped = migrations()
        latest = shipped[-1][0] if shipped else 0
        if current > latest:
            raise DatabaseTooNew(
                f"database {self.path} has schema version {current}, but this Tryghedsbot "
                f"knows only up to {latest}: upgrade Tryghedsbot or restore a matching backup"
            )
        for number, name, sql in shipped:
            if number <= current:
                continue
            log.info("applying migration %s to %s", name, self.path)
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _split_sql(sql):
                    await self._conn.execute(statement)
                await self._conn.execute(f"PRAGMA user_version = {number}")
                await self._conn.execute("COMMIT")
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
        return latest

    async def checkpoint(self) -> bool:
        """Copy the write-ahead log into the database file and empty it, so content deleted
        there (with secure_delete on) is gone from both files. False if another connection
        kept it from finishing (it then finishes at that connection's next checkpoint)."""
        async with self._lock, self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)") as cur:
            row = await cur.fetchone()
        return row is None or int(row[0]) == 0

    def after_commit(self, callback: Callable[[Transaction], None]) -> None:
        """Called after every committed transaction (the outbox uses it to wake senders)."""
        self._after_commit.append(callback)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        async with self._lock:
            committed = False
            try:
                await self._conn.execute("BEGIN IMMEDIATE")
                tx = Transaction(self._conn)
                yield tx
                await self._conn.execute("COMMIT")
                committed = True
            finally:
                if not committed:
                    # Also when the task was cancelled mid-statement: the connection's thread
                    # may still run a queued BEGIN, so settle before the lock is released.
                    await asyncio.shield(self._rollback_if_open())
        for callback in self._after_commit:
            callback(tx)

    async def _rollback_if_open(self) -> None:
        await self._conn.execute("SELECT 1")  # runs after anything already queued
        if self._conn.in_transaction:
            await self._conn.execute("ROLLBACK")

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Transaction]:
        """Reads that must not see another coroutine's half-done transaction."""
        async with self._lock:
            yield Transaction(self._conn)


def _split_sql(sql: str) -> list[str]:
    """Split a migration into statements (our migrations hold no semicolons in literals)."""
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
