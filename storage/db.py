"""The SQLite database: opening, pragmas, migrations, transactions and the storage health.

Transactions run on a connection in the event loop's own thread: a statement takes a few
microseconds there, where a hop to a database thread and back cost a hundred and more (with
twenty statements an arrival, the hops were the pipeline's cost). An asyncio lock makes each
transaction whole, and `BEGIN IMMEDIATE` takes SQLite's write lock up front so a transaction
never fails half-way on a busy database.

Nothing on that connection may wait, so the loop never stalls behind the disk or another
process: it never waits inside SQLite for a lock (busy timeout 0: `transaction()` tries again,
sleeping, until `BUSY_WAIT`, so a caller that puts `asyncio.timeout(1)` around a transaction
gets control back after a second, whatever holds the lock), and it never checkpoints (the one
step that syncs the file to disk). The work that may take long (checkpoints, the quick check,
backups and the rescue copy) runs on a second connection, on aiosqlite's worker thread.

A database is tied to its path by an identity: a random id kept inside the database and in a
small marker file beside it (`<path>-identity`). A database that should be there but is
missing, empty or another one is refused at start, instead of being replaced silently by a new
empty one; `Database.open(..., create_new=True)` is the explicit way to start anew.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import sqlite3
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiosqlite

from storage.health import (
    CORRUPT,
    Fault,
    StorageHealth,
    StorageUnavailable,
    classify,
    describe,
)
from storage.kv import IDENTITY_KEY
from storage.transaction import Transaction

log = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")

STATEMENT_BUSY_MS = 100  # the longest one statement on the worker thread waits for a lock
CHECKPOINT_EVERY = 200  # commits between two checkpoints on the worker thread
BUSY_WAIT = 5.0  # how long `transaction()` keeps trying for the write lock
_RETRY_PAUSE = 0.01
PROBE_KEY = "storage.probe"
MARKER_SUFFIX = "-identity"
SIDE_FILES = ("-wal", "-shm", "-journal")
RESTORE_HINT = (
    "restore the last backup: stop the bot, copy the backup over this file and remove its "
    "-wal and -shm files (README, 'Backup and restore')"
)
NEW_DATABASE_HINT = "tryghedsbot run --config FILE --new-database"


class StorageError(RuntimeError):
    """The database cannot be used as it is; the message names the file and what to do."""


class DatabaseTooNew(StorageError):
    """The file was written by a newer Tryghedsbot; running older code on it could damage it."""


class DatabaseCorrupt(StorageError):
    """The file is damaged or is not a database at all."""


class DatabaseMissing(StorageError):
    """The database this bot used is gone (or an empty file stands in its place)."""


class DatabaseReplaced(StorageError):
    """Another database stands where this bot's database was."""


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


def marker_path(path: str | Path) -> Path:
    return Path(str(path) + MARKER_SUFFIX)


def read_marker(path: str | Path) -> str | None:
    """The identity recorded beside the database at `path`, or None when there is no marker."""
    marker = marker_path(path)
    try:
        text = marker.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise StorageError(f"{marker}: cannot read the database's identity: {exc}") from exc
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key.strip() == "identity" and value.strip():
            return value.strip()
    raise StorageError(
        f"{marker}: holds no database identity; restore it from a backup, or start with "
        f"{NEW_DATABASE_HINT} to take the database now at {path} as this bot's"
    )


def write_marker(path: str | Path, identity: str) -> None:
    """Write the marker atomically (two processes creating the database may both write it)."""
    marker = marker_path(path)
    text = (
        f"# Tryghedsbot: the identity of the database {Path(path).name}, beside this file.\n"
        "# If that database is missing or is another one, the bot refuses to start\n"
        "# (README, 'Backup and restore'). Remove this file only together with the database.\n"
        f"identity = {identity}\n"
    )
    tmp = marker.with_name(f"{marker.name}.{uuid.uuid4().hex}.tmp")
    try:
        # Readable like the database beside it: any user who may read that may read this.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, marker)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def remove_database(path: str | Path) -> None:
    """Delete a database for good: the file, its side files and its identity marker (the
    sandbox's reset). The next `Database.open` then creates a new one."""
    for suffix in ("", *SIDE_FILES, MARKER_SUFFIX):
        with contextlib.suppress(FileNotFoundError):
            Path(str(path) + suffix).unlink()


def _uri(path: str, *, create: bool) -> str:
    return f"file:{quote(os.path.abspath(path))}?mode={'rwc' if create else 'rw'}"


class Database:
    def __init__(
        self, conn: aiosqlite.Connection, path: str, *, now: Callable[[], datetime] | None = None
    ) -> None:
        self._conn = conn
        self._w: sqlite3.Connection | None = None  # the loop's own connection (transactions)
        self.path = path
        self._lock = asyncio.Lock()
        self._commits = 0
        self._checkpointing: asyncio.Task[None] | None = None
        self._rescuing: asyncio.Task[None] | None = None
        self._after_commit: list[Callable[[Transaction], None]] = []
        self._closed = False
        self.health = StorageHealth(path, now=now)
        self.identity: str | None = None

    @classmethod
    async def open(
        cls,
        path: str | Path,
        *,
        create_new: bool = False,
        quick_check: bool = True,
        now: Callable[[], datetime] | None = None,
    ) -> Database:
        """Open (creating on first use), check and migrate the database at `path`.

        Refuses, with a `StorageError` that names the file and what to do: a corrupt file
        (`quick_check`), a file newer than the code, and a database that should be there
        but is missing, empty or another one. `create_new` takes whatever is at `path` as
        this bot's database, creating an empty one if there is none: the explicit way to
        start anew. `now` is the clock for the health's "since".
        """
        path = str(path)
        memory = path == ":memory:"
        expected: str | None = None
        if not memory:
            expected = await asyncio.to_thread(_before_open, path, create_new)
        # Two connections share one database: in memory that takes a named, shared one.
        target = (
            f"file:tryghedsbot-{uuid.uuid4().hex}?mode=memory&cache=shared"
            if memory
            else _uri(path, create=expected is None or create_new)
        )
        try:
            conn = await aiosqlite.connect(
                target, uri=True, isolation_level=None, timeout=STATEMENT_BUSY_MS / 1000
            )
        except sqlite3.Error as exc:
            if expected is not None and not await asyncio.to_thread(os.path.exists, path):
                raise DatabaseMissing(_missing(path, "is missing")) from exc
            raise _start_error(path, exc) from exc
        conn.row_factory = aiosqlite.Row
        db = cls(conn, path, now=now)
        try:
            await db._setup()
            db._w = _loop_connection(target)
            if quick_check and not memory:
                await db._quick_check()
            found = await db._identity()
            if expected is not None and not create_new:
                if found is None and await db._is_empty():
                    raise DatabaseMissing(_missing(path, "is an empty file"))
                if found != expected:
                    raise DatabaseReplaced(
                        f"database {path} is not the one this bot used (identity "
                        f"{found or 'none'}, expected {expected} from {marker_path(path)}): "
                        f"put the right file back ({RESTORE_HINT}), or start with "
                        f"{NEW_DATABASE_HINT} to take the database now at {path} as this bot's"
                    )
            await db.migrate()
            db.identity = await db._identity()
            if not memory:
                assert db.identity is not None
                if db.identity != expected:
                    if create_new and expected is not None:
                        log.warning("starting anew with the database at %s, as asked", path)
                    await asyncio.to_thread(write_marker, path, db.identity)
                opened = await asyncio.to_thread(os.stat, path)
                db.health.attach(db._probe, opened, db._rescue)
        except BaseException as exc:
            if db._w is not None:
                db._w.close()
            await conn.close()
            if isinstance(exc, sqlite3.Error) and classify(exc) is not Fault.ITEM:
                raise _start_error(path, exc) from exc
            raise
        return db

    async def close(self) -> None:
        self._closed = True
        if self._checkpointing is not None:
            await asyncio.wait([self._checkpointing])
        if self._rescuing is not None:
            await asyncio.wait([self._rescuing])
        if self._w is not None:
            self._w.close()
        await self._conn.close()

    async def _setup(self) -> None:
        """Pragmas that hold for the connection. Switching a new file to WAL needs a moment
        alone with it, so a second process opening the same new file waits its turn."""
        await self._execute(f"PRAGMA busy_timeout = {STATEMENT_BUSY_MS}")
        mode = await self._busy_retry(lambda: self._scalar("PRAGMA journal_mode = WAL"), BUSY_WAIT)
        if mode not in ("wal", "memory"):
            log.warning("database %s: journal mode is %s, not WAL", self.path, mode)
        await self._execute("PRAGMA foreign_keys = ON")
        await self._execute("PRAGMA synchronous = NORMAL")
        # Deleted and overwritten content is zeroed, not left in free pages: erased people
        # and purged messages leave no trace in the file (storage/privacy.py).
        await self._execute("PRAGMA secure_delete = ON")

    async def _quick_check(self) -> None:
        started = time.monotonic()
        async with self._conn.execute("PRAGMA quick_check") as cur:
            problems = [str(row[0]) for row in await cur.fetchall()]
        log.debug("quick_check of %s: %.2fs", self.path, time.monotonic() - started)
        if problems != ["ok"]:
            raise DatabaseCorrupt(
                f"database {self.path} is corrupt ({'; '.join(problems[:3])}): {RESTORE_HINT}"
            )

    async def _identity(self) -> str | None:
        try:
            value = await self._scalar("SELECT value FROM kv WHERE key = ?", (IDENTITY_KEY,))
        except sqlite3.OperationalError as exc:
            if classify(exc) is Fault.ITEM:  # no kv table yet: a new database
                return None
            raise
        return None if value is None else str(value)

    async def _is_empty(self) -> bool:
        return bool(await self._scalar("SELECT count(*) FROM sqlite_schema") == 0)

    async def schema_version(self) -> int:
        value = await self._scalar("PRAGMA user_version")
        return int(value or 0)

    async def migrate(self) -> int:
        """Apply the migrations this file lacks; refuse a file newer than the code.

        The version is read again inside the migration's own `BEGIN IMMEDIATE`, so two
        processes opening a new database at once do not both apply the same migration.
        """
        shipped = migrations()
        latest = shipped[-1][0] if shipped else 0
        current = await self.schema_version()
        self._refuse_newer(current, latest)
        if current == latest and await self._identity() is not None:
            return latest
        async with self.transaction():
            current = int(self._loop_conn.execute("PRAGMA user_version").fetchone()[0] or 0)
            self._refuse_newer(current, latest)
            for number, name, sql in shipped:
                if number <= current:
                    continue
                log.info("applying migration %s to %s", name, self.path)
                for statement in _split_sql(sql):
                    self._loop_conn.execute(statement)
                self._loop_conn.execute(f"PRAGMA user_version = {number}")
            self._loop_conn.execute(
                "INSERT OR IGNORE INTO kv (key, value) VALUES (?, ?)",
                (IDENTITY_KEY, uuid.uuid4().hex),
            )
        return latest

    def _refuse_newer(self, current: int, latest: int) -> None:
        if current > latest:
            raise DatabaseTooNew(
                f"database {self.path} has schema version {current}, but this Tryghedsbot "
                f"knows only up to {latest}: upgrade Tryghedsbot or restore a matching backup"
            )

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
        """One write transaction. Waits up to `BUSY_WAIT` for another process's lock.

        Cancelling it (e.g. `asyncio.timeout`) returns at once; the connection finishes what
        its thread was doing and rolls back before the next transaction starts. Cancelled
        while committing, the transaction may still have committed: retry idempotently.
        """
        async with self._write(BUSY_WAIT) as tx:
            yield tx

    @property
    def _loop_conn(self) -> sqlite3.Connection:
        if self._w is None:
            raise StorageUnavailable("database not open", self.path)
        return self._w

    @asynccontextmanager
    async def _write(self, busy_wait: float) -> AsyncIterator[Transaction]:
        await self._lock.acquire()
        try:
            self._usable()
            conn = self._loop_conn
            tx: Transaction | None = None
            try:
                await self._busy_retry(partial(self._begin, conn), busy_wait)
                tx = Transaction(conn)
                yield tx
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:
                    try:
                        conn.execute("ROLLBACK")
                    except sqlite3.Error as undo:
                        if not self._closed:
                            log.warning("database %s: could not roll back: %s", self.path, undo)
                if isinstance(exc, Exception):
                    self._report(exc, wrote=True)
                raise
        finally:
            self._lock.release()
        assert tx is not None
        self.health.succeeded(wrote=True)
        self._committed(tx)

    @staticmethod
    async def _begin(conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")

    def _committed(self, tx: Transaction) -> None:
        self._commits += 1
        if self._commits % CHECKPOINT_EVERY == 0 and self._checkpointing is None:
            self._checkpointing = asyncio.get_running_loop().create_task(
                self._checkpoint_passive(), name="storage-checkpoint"
            )
        for callback in self._after_commit:
            callback(tx)

    async def _checkpoint_passive(self) -> None:
        """Copy the write-ahead log into the file off the loop, without waiting for anyone
        (the loop's connection never checkpoints; the log would grow without end)."""
        try:
            await self._execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error as exc:
            log.debug("database %s: checkpoint skipped: %s", self.path, exc)
        finally:
            self._checkpointing = None

    @asynccontextmanager
    async def read(self) -> AsyncIterator[Transaction]:
        """Reads that must not see another coroutine's half-done transaction."""
        async with self._lock:
            self._usable()
            try:
                yield Transaction(self._loop_conn)
            except Exception as exc:
                self._report(exc, wrote=False)
                raise
        self.health.succeeded(wrote=False)

    def _usable(self) -> None:
        if self._closed:
            raise StorageUnavailable("database closed", self.path)
        gone = self.health.unusable
        if gone is not None:
            raise StorageUnavailable(gone, self.path)

    def _report(self, exc: BaseException, *, wrote: bool) -> None:
        if not self._closed:
            self.health.report(exc, wrote=wrote)

    async def writable(self, within: float) -> bool:
        """Whether storage takes writes now: a commit in the last `within` seconds says so,
        or the trivial write, given at most `within` seconds. False is a storage fault."""
        if self.health.wrote_within(within):
            return True
        try:
            async with asyncio.timeout(within):
                await self._probe()
        except Exception:  # any failure means "not now"; the health has been told
            return False
        return True

    async def _probe(self) -> None:
        """The health's trivial write: one attempt at the lock, a tiny changing value."""
        async with self._write(0.0):
            self._loop_conn.execute(
                "INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)",
                (PROBE_KEY, self.health.since.isoformat() + f" {time.monotonic_ns()}"),
            )

    async def _rescue(self, reason: str) -> None:
        """The file under the open connection was deleted or replaced. Empty our write-ahead
        log (left at the path, it would be replayed into whatever database is put there
        next), and keep what this connection still sees in a copy beside the path.

        The copy runs as a task of its own that a cancel does not stop (the health watch
        stopping, the bot shutting down): stopped halfway, the copy's connection would be
        closed while a worker thread still wrote through it, which crashes the process.
        close() waits for it."""
        if self._rescuing is None or self._rescuing.done():
            self._rescuing = asyncio.get_running_loop().create_task(self._keep_copy(reason))
        await asyncio.shield(self._rescuing)

    async def _keep_copy(self, reason: str) -> None:
        stamp = self.health.since.strftime("%Y%m%dT%H%M%SZ")
        target = f"{self.path}-rescued-{stamp}"
        try:
            async with self._lock:
                await self._execute("PRAGMA wal_checkpoint(TRUNCATE)")
                copy = await asyncio.to_thread(sqlite3.connect, target, check_same_thread=False)
                try:
                    await self._conn.backup(copy)
                    await asyncio.to_thread(copy.execute, "PRAGMA journal_mode = DELETE")
                finally:
                    await asyncio.to_thread(copy.close)
        except Exception as exc:  # any failure: say so, the copy is only a rescue
            log.error("storage: %s %s, and no copy could be kept: %s", self.path, reason, exc)
            return
        log.error(
            "storage: %s: %s. What this bot still had is kept in %s: to go on with it, stop "
            "the bot, move that file to %s, remove its -wal and -shm files, and start",
            self.path,
            reason,
            target,
            self.path,
        )

    async def _busy_retry(self, attempt: Callable[[], Awaitable[Any]], wait: float) -> Any:
        """Run `attempt` again while it finds the database locked, for up to `wait` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while True:
            try:
                return await attempt()
            except sqlite3.Error as exc:
                if classify(exc) is not Fault.BUSY or loop.time() >= deadline:
                    raise
                self.health.busy()
            await asyncio.sleep(_RETRY_PAUSE)

    async def _execute(self, sql: str, params: tuple[Any, ...] = ()) -> None:
        cursor = await self._conn.execute(sql, params)
        await cursor.close()

    async def _scalar(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        async with self._conn.execute(sql, params) as cur:
            row = await cur.fetchone()
        return None if row is None else row[0]


def _loop_connection(target: str) -> sqlite3.Connection:
    """The connection transactions run on, in the event loop's thread: it never waits for a
    lock (busy timeout 0) and never checkpoints (see the module's docstring)."""
    # Opening may meet another process setting up the same new file: a short wait then.
    conn = sqlite3.connect(target, uri=True, isolation_level=None, timeout=BUSY_WAIT)
    try:
        conn.row_factory = sqlite3.Row
        for pragma in (
            "foreign_keys = ON",
            "synchronous = NORMAL",
            "secure_delete = ON",
            "wal_autocheckpoint = 0",
            "busy_timeout = 0",
        ):
            conn.execute(f"PRAGMA {pragma}")
    except BaseException:
        conn.close()
        raise
    return conn


def _before_open(path: str, create_new: bool) -> str | None:
    """The identity expected at `path` (None: none yet); refuses when the file is missing."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    expected = read_marker(path)
    if expected is not None and not create_new and not os.path.exists(path):
        raise DatabaseMissing(_missing(path, "is missing"))
    return expected


def _missing(path: str, what: str) -> str:
    return (
        f"database {path} {what}, but {marker_path(path)} shows that this bot had a database "
        f"there: {RESTORE_HINT}; or, to start anew with an empty database on purpose, "
        f"{NEW_DATABASE_HINT}"
    )


def _start_error(path: str, exc: sqlite3.Error) -> StorageError:
    reason, detail = describe(exc)
    if reason == CORRUPT:
        return DatabaseCorrupt(f"database {path} is corrupt ({detail}): {RESTORE_HINT}")
    return StorageError(f"database {path}: {reason} ({detail}): {exc}")


def _split_sql(sql: str) -> list[str]:
    """Split a migration into statements (our migrations hold no semicolons in literals)."""
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


__all__ = [
    "BUSY_WAIT",
    "STATEMENT_BUSY_MS",
    "Database",
    "DatabaseCorrupt",
    "DatabaseMissing",
    "DatabaseReplaced",
    "DatabaseTooNew",
    "StorageError",
    "StorageUnavailable",
    "marker_path",
    "remove_database",
]
