"""Real trouble for real SQLite files: another process holding the lock, a small disk that
fills up, a user who may not write, damaged pages."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage.db import Database

ROOT = Path(__file__).resolve().parents[2]
# Child processes import this working tree, not the copy installed in the environment.
CHILD_ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

LOCKER = textwrap.dedent(
    """
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    print("locked", flush=True)
    sys.stdin.readline()  # holds the write lock until told, or until the test ends
    conn.execute("ROLLBACK")
    """
)


class Locker:
    """Another process that holds the database's write lock until `release()`."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self._proc = proc

    async def release(self) -> None:
        assert self._proc.stdin is not None
        self._proc.stdin.write(b"\n")
        await self._proc.stdin.drain()
        assert await self._proc.wait() == 0


@contextlib.asynccontextmanager
async def locked_by_another_process(path: str | Path) -> AsyncIterator[Locker]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        LOCKER,
        str(path),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert proc.stdout is not None
        assert (await proc.stdout.readline()).strip() == b"locked"
        yield Locker(proc)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


@contextlib.contextmanager
def small_disk(where: Path, size: str = "2m") -> Iterator[Path]:
    """A tmpfs of `size` mounted at `where`: a disk that really fills up."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs CAP_SYS_ADMIN): {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(disk: Path) -> Path:
    """Write a filler file until the disk is full; delete it to free the space again."""
    filler = disk / "filler"
    chunk = b"\0" * 4096
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        while os.write(fd, chunk):
            pass
    except OSError:
        pass  # no space left on the device: that was the point
    finally:
        os.close(fd)
    return filler


@contextlib.contextmanager
def world_readable_dir() -> Iterator[Path]:
    """A folder that an unprivileged user can reach (pytest's tmp_path is root's alone)."""
    path = Path(tempfile.mkdtemp(prefix="tryghedsbot-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def corrupt_table(path: str | Path, table: str) -> None:
    """Overwrite the root page of `table` in the file with garbage (a damaged disk block)."""
    with sqlite3.connect(path) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_schema WHERE name = ?", (table,)
        ).fetchone()
    conn.close()
    with open(path, "r+b") as out:
        out.seek((root - 1) * page_size)
        out.write(b"\xa5" * page_size)


async def add_rows(db: Database, count: int, prefix: str = "row", size: int = 2) -> None:
    """Arrivals in the inbox: real rows in a real table, with payloads of `size` bytes."""
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    payload = '"' + "x" * (size - 2) + '"'
    async with db.transaction() as tx:
        for n in range(count):
            await tx.inbox.add(f"{prefix}:{n}", "ambassador", payload, now)


async def count_rows(db: Database, prefix: str = "row") -> int:
    async with db.read() as tx:
        rows = await tx.inbox._all(
            "SELECT count(*) FROM inbox WHERE dedupe_key LIKE ?", (f"{prefix}:%",)
        )
    return int(rows[0][0])
