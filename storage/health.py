"""Storage faults, and the health of the database as `/healthz` shows it.

A failure from SQLite is one of three kinds, and each asks a worker for a different answer:

- `Fault.BUSY`: another connection holds the lock. Try again soon; nothing is wrong yet.
- `Fault.DATABASE`: the whole database is unusable (corrupt, read-only, full, I/O error, the
  file gone or replaced). Every item would fail the same way, so none is failed: they all
  keep waiting and are retried, and the problem is said once.
- `Fault.ITEM`: this statement or this item is at fault (a constraint, text that SQLite cannot
  bind, a bug in the caller). Fail that one item and go on with the others.

`StorageHealth` remembers the database-wide state: it logs a change once (ERROR when storage
goes bad, INFO when it comes back), never a traceback per retry.
"""

from __future__ import annotations

import asyncio
import enum
import logging
import os
import sqlite3
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

log = logging.getLogger(__name__)


class Fault(enum.Enum):
    BUSY = "busy"
    DATABASE = "database"
    ITEM = "item"


# Primary result codes (the low byte of an extended code), from sqlite3.h.
_BUSY_CODES = {
    5: "locked by another connection",  # SQLITE_BUSY
    6: "locked by another connection",  # SQLITE_LOCKED
    9: "interrupted",  # SQLITE_INTERRUPT
    15: "locked by another connection",  # SQLITE_PROTOCOL: WAL lock retries exhausted
    17: "schema changed",  # SQLITE_SCHEMA: prepare again
}
_DATABASE_CODES = {
    3: "permission denied",  # SQLITE_PERM
    7: "out of memory",  # SQLITE_NOMEM
    8: "read-only",  # SQLITE_READONLY
    10: "I/O error",  # SQLITE_IOERR
    11: "database corrupt",  # SQLITE_CORRUPT
    13: "disk full",  # SQLITE_FULL
    14: "cannot open the database file",  # SQLITE_CANTOPEN
    22: "file too large",  # SQLITE_NOLFS
    26: "database corrupt",  # SQLITE_NOTADB: "file is not a database"
}
_READONLY_DBMOVED = 8 | (4 << 8)  # the file was deleted or moved while open

# Reasons that a later success does not disprove: only a restart (after restoring) or the
# file coming back clears them.
CORRUPT = "database corrupt"
DELETED = "database file deleted"
REPLACED = "database file replaced by another file"
LOCKED = "database locked"
UNREADABLE = "cannot look at the database file"
_GONE = {DELETED, REPLACED}  # writing on would write into a file nobody will see again
_FILE_REASONS = {*_GONE, UNREADABLE}  # cleared by `check()` once the path leads home again
_STICKY = {CORRUPT, *_FILE_REASONS}


def _code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code if isinstance(code, int) else None


def classify(exc: BaseException) -> Fault:
    """Which kind of fault `exc` is (see the module's docstring). Anything that is not a
    SQLite failure of the database (a bug, bad data) is the item's."""
    if isinstance(exc, StorageUnavailable):
        return Fault.DATABASE
    code = _code(exc)
    if code is None:
        return Fault.ITEM
    primary = code & 0xFF
    if primary in _BUSY_CODES:
        return Fault.BUSY
    if primary in _DATABASE_CODES:
        return Fault.DATABASE
    return Fault.ITEM


def describe(exc: BaseException) -> tuple[str, str | None]:
    """(reason, detail) for `/healthz` and the log: what is wrong, and SQLite's own name."""
    if isinstance(exc, StorageUnavailable):
        return exc.reason, None
    code = _code(exc)
    if code is None:
        return type(exc).__name__, None
    name = getattr(exc, "sqlite_errorname", None) or str(code)
    if code == _READONLY_DBMOVED:
        return DELETED, name
    primary = code & 0xFF
    return _DATABASE_CODES.get(primary) or _BUSY_CODES.get(primary) or "error", name


class StorageUnavailable(sqlite3.OperationalError):
    """The database cannot be used at all (its file is gone or replaced, or it is closed).

    An `OperationalError`, so that code which keeps work waiting on one does so here too.
    """

    def __init__(self, reason: str, path: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.reason = reason
        self.path = path


Probe = Callable[[], Awaitable[None]]
OnGone = Callable[[str], Awaitable[None]]


class StorageHealth:
    """Whether the database works, why not, and since when; held by `Database`.

    `Database.transaction()` and `read()` report every failure and every success here, so
    callers get it for free. `check()` is meant to run every few seconds: it notices a file
    that was deleted or replaced under the open connection (SQLite itself does not: in WAL
    mode it goes on writing into the deleted file) and tries a trivial write.
    """

    def __init__(
        self,
        path: str,
        *,
        now: Callable[[], datetime] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        busy_grace: float = 5.0,
        hold: float = 30.0,
        probe_timeout: float = 2.0,
    ) -> None:
        self.path = path
        self._now = now or (lambda: datetime.now(UTC))
        self._monotonic = monotonic
        # A lock held this long (by another process) is worth telling about.
        self.busy_grace = busy_grace
        # Back to ok only after this long without a new fault: a nearly full disk lets some
        # writes through, and flapping between ok and not ok would log a line each time.
        self.hold = hold
        # A trivial write that takes longer than this counts as a lock held by someone else.
        self.probe_timeout = probe_timeout
        self.reason: str | None = None
        self.detail: str | None = None
        self.since: datetime = self._now()
        self._fault_at = 0.0
        self._fault_on_write = False
        self._busy_since: float | None = None
        self._last_write = -float("inf")
        self._file: tuple[int, int] | None = None
        self._probe: Probe | None = None
        self._on_gone: OnGone | None = None

    @property
    def ok(self) -> bool:
        return self.reason is None

    @property
    def unusable(self) -> str | None:
        """Why nothing may be written any more (file deleted or replaced), or None."""
        return self.reason if self.reason in _GONE else None

    def attach(
        self, probe: Probe | None, file: os.stat_result | None, on_gone: OnGone | None = None
    ) -> None:
        """Called by `Database.open`: how to try a write, which file was opened, and what to
        do once when that file is deleted or replaced."""
        self._probe = probe
        self._file = (file.st_dev, file.st_ino) if file is not None else None
        self._on_gone = on_gone

    def report(self, exc: BaseException, *, wrote: bool = True) -> Fault:
        """Take note of a failure; log once when it changes the state. Returns its kind."""
        kind = classify(exc)
        if kind is Fault.BUSY:
            self.busy()
        elif kind is Fault.DATABASE:
            self._set(*describe(exc), wrote=wrote)
        return kind

    def busy(self) -> None:
        """The write lock was taken by someone else; not ok if that lasts `busy_grace`."""
        now = self._monotonic()
        if self._busy_since is None:
            self._busy_since = now
        if now - self._busy_since >= self.busy_grace:
            self._set(LOCKED, None, wrote=True)

    def succeeded(self, *, wrote: bool) -> None:
        """A transaction committed (`wrote`), or a read went through."""
        if wrote:
            self._last_write = self._monotonic()
            self._busy_since = None
            if self.reason == LOCKED:
                self.recovered()
                return
        if self.reason is None or self.reason in _STICKY:
            return
        if not wrote and self._fault_on_write:
            return  # a read proves nothing about writes
        if self._monotonic() - self._fault_at >= self.hold:
            self.recovered()

    def wrote_within(self, seconds: float) -> bool:
        """Whether a transaction committed in the last `seconds`."""
        return self._monotonic() - self._last_write < seconds

    def recovered(self) -> None:
        """Back to ok; said once at INFO."""
        if self.reason is None:
            return
        log.info("storage: %s works again (was: %s)", self.path, self.reason)
        self.reason = self.detail = None
        self.since = self._now()

    def _set(self, reason: str, detail: str | None, *, wrote: bool) -> None:
        self._fault_at = self._monotonic()
        self._fault_on_write = wrote
        if self.reason == reason:
            return
        if self.reason in _STICKY and reason not in _STICKY:
            return  # the worse news stays
        self.reason, self.detail = reason, detail
        self.since = self._now()
        log.error(
            "storage: %s: %s%s. Messages wait and are retried; /healthz says so until it "
            "works again.%s",
            self.path,
            reason,
            f" ({detail})" if detail else "",
            _ADVICE.get(reason, ""),
        )

    def file_state(self) -> str | None:
        """DELETED or REPLACED when the path no longer leads to the file that was opened."""
        if self._file is None:
            return None
        try:
            found = os.stat(self.path)
        except FileNotFoundError:
            return DELETED
        except OSError:
            return UNREADABLE
        return None if (found.st_dev, found.st_ino) == self._file else REPLACED

    async def check(self) -> bool:
        """Cheap enough for every few seconds: is the file still ours, can we still write?"""
        state = self.file_state()
        if state is not None:
            was_gone = self.unusable is not None
            self._set(state, None, wrote=True)
            if state in _GONE and not was_gone and self._on_gone is not None:
                await self._on_gone(state)
            return False
        if self.reason in _FILE_REASONS:
            self.recovered()  # moved back to where it belongs
        if self._probe is not None:
            try:
                async with asyncio.timeout(self.probe_timeout):
                    await self._probe()
            except TimeoutError:
                self.busy()
            except Exception:  # noqa: S110 - the transaction has reported it
                pass
        return self.ok

    async def watch(self, every: float = 5.0) -> None:
        """`check()` every `every` seconds until cancelled: the bot runs this as a task."""
        while True:
            await self.check()
            await asyncio.sleep(every)

    def as_json(self) -> dict[str, object]:
        """For `/healthz`: {"ok", "reason", "detail", "path", "since"}."""
        return {
            "ok": self.ok,
            "reason": self.reason,
            "detail": self.detail,
            "path": self.path,
            "since": self.since.isoformat(timespec="seconds"),
        }


_RESTORE = " Stop the bot and restore the last backup (README, 'Backup and restore')."
_ADVICE = {
    CORRUPT: _RESTORE,
    DELETED: _RESTORE,
    REPLACED: " Stop the bot before putting another database in place (README, 'Backup and"
    " restore').",
    "disk full": " Free some space on the disk.",
    "read-only": " Check the file's and the folder's permissions, and the mount.",
    LOCKED: " Another process holds the write lock, or the disk does not answer.",
}
