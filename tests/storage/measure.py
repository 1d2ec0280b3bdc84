"""Storage figures on a large database: start-up check, bounded store under a lock, backup.

    .venv/bin/python -m tests.storage.measure [--size-mb 200] [--folder DIR]

Builds a database of about `--size-mb` with the real schema (messages, inbox and outbox rows
with texts of ordinary length), then prints how long `PRAGMA quick_check` and
`integrity_check` take, how long a whole `Database.open` takes, how soon a store bounded by
`asyncio.timeout(1)` gives up while another process holds the write lock (and, for
comparison, how long the same bound took with the former 5 s `busy_timeout` inside one
statement), and how long an online backup takes while a writer keeps writing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

import aiosqlite

from storage.backup import backup
from storage.db import Database
from tests.storage.helpers import locked_by_another_process

SENTENCES = (
    "der holder en bil ved skolen hver aften og motoren kører lyset er slukket naboen har "
    "set to personer gå rundt om huset vi har talt med grundejerforeningen om nabohjælp"
)
WORDS = SENTENCES.split()


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def build(path: Path, size_mb: int) -> None:
    """Fill the database with plausible rows until the file is `size_mb` large."""
    asyncio.run(_create(path))
    rng = random.Random(7)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = OFF")
    now = "2026-11-23T10:00:00+00:00"
    conn.execute(
        "INSERT INTO ambassadors (channel, address, name, area_id, officer_id, state,"
        " language, created_at, updated_at) VALUES ('sms', '+4520000000', 'Anna', 'herning',"
        " 'mj', 'active', 'da', ?, ?)",
        (now, now),
    )
    n = 0
    while path.stat().st_size < size_mb * 1_048_576:
        conn.execute("BEGIN")
        for _ in range(5000):
            n += 1
            text = _text(rng, rng.randint(8, 60))
            conn.execute(
                "INSERT INTO messages (ambassador_id, direction, channel, text, route, intent,"
                " score, matched, status, platform_id, created_at, updated_at) VALUES"
                " (1, 'in', 'sms', ?, 'officer', 'question', 0.4, '[]', 'handled', ?, ?, ?)",
                (text, f"SM{n:032x}", now, now),
            )
            conn.execute(
                "INSERT INTO inbox (dedupe_key, kind, payload, status, received_at)"
                " VALUES (?, 'ambassador', ?, 'handled', ?)",
                (f"sms:SM{n:032x}", '{"text": "' + text + '"}', now),
            )
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


async def _create(path: Path) -> None:
    db = await Database.open(path)
    await db.close()


def drop_page_cache() -> bool:
    """As root, empty the OS page cache so the next read comes from the disk."""
    os.sync()
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        return False
    return True


def timed_pragma(path: Path, pragma: str) -> float:
    conn = sqlite3.connect(path)
    started = time.monotonic()
    result = conn.execute(pragma).fetchall()
    elapsed = time.monotonic() - started
    conn.close()
    assert result == [("ok",)], result
    return elapsed


async def timed_open(path: Path, quick_check: bool) -> float:
    started = time.monotonic()
    db = await Database.open(path, quick_check=quick_check)
    elapsed = time.monotonic() - started
    await db.close()
    return elapsed


async def bounded_store(path: Path, tries: int) -> tuple[list[float], list[float]]:
    """Give-up times of a store bounded to 1 s while another process holds the lock: with
    this Database, and with one statement waiting in a 5 s busy_timeout (as before)."""
    db = await Database.open(path, quick_check=False)
    old = await aiosqlite.connect(path, isolation_level=None)
    await old.execute("PRAGMA busy_timeout = 5000")
    loop = asyncio.get_running_loop()
    now, before = [], []
    async with locked_by_another_process(path) as locker:
        for n in range(tries):
            started = loop.time()
            try:
                async with asyncio.timeout(1.0), db.transaction() as tx:
                    await tx.kv.set("measure", str(n))
            except TimeoutError:
                pass
            now.append(loop.time() - started)
        for _ in range(min(tries, 3)):
            started = loop.time()
            try:
                async with asyncio.timeout(1.0):
                    await old.execute("BEGIN IMMEDIATE")
            except TimeoutError:
                pass
            # The statement goes on in the connection's thread: the caller is free only
            # when it ends, as the former `transaction()` waited for it before it let go.
            await old.execute("SELECT 1")
            before.append(loop.time() - started)
        await locker.release()
    await old.close()
    await db.close()
    return now, before


async def backup_while_writing(path: Path, output: Path) -> tuple[float, int, int]:
    """Back up while a running Database keeps committing; (seconds, bytes, commits during)."""
    db = await Database.open(path, quick_check=False)
    done = asyncio.Event()
    commits = 0

    async def writer() -> None:
        nonlocal commits
        while not done.is_set():
            async with db.transaction() as tx:
                await tx.kv.set("writer", str(commits))
            commits += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(writer())
    try:
        result = await asyncio.to_thread(backup, path, output)
    finally:
        done.set()
        await task
        await db.close()
    return result.seconds, result.size, commits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=200)
    parser.add_argument("--folder", help="where to build the database (default: a temp dir)")
    args = parser.parse_args()
    folder = Path(args.folder or tempfile.mkdtemp(prefix="tryghedsbot-measure-"))
    path = folder / "bot.sqlite3"
    try:
        started = time.monotonic()
        build(path, args.size_mb)
        size = path.stat().st_size
        print(f"database: {size / 1_048_576:.0f} MiB, built in {time.monotonic() - started:.0f} s")
        if drop_page_cache():
            cold = timed_pragma(path, "PRAGMA quick_check")
            print(f"quick_check: {cold:.2f} s (cold: the OS page cache dropped first)")
        timed_pragma(path, "PRAGMA quick_check")  # once to warm the page cache
        quick = [timed_pragma(path, "PRAGMA quick_check") for _ in range(3)]
        integrity = timed_pragma(path, "PRAGMA integrity_check")
        print(f"quick_check: {statistics.median(quick):.2f} s (median of 3, warm cache)")
        print(f"integrity_check: {integrity:.2f} s")
        opened = [asyncio.run(timed_open(path, True)) for _ in range(3)]
        bare = [asyncio.run(timed_open(path, False)) for _ in range(3)]
        print(f"Database.open with quick_check: {statistics.median(opened):.2f} s")
        print(f"Database.open without: {statistics.median(bare):.3f} s")
        now, before = asyncio.run(bounded_store(path, 10))
        print(
            f"store bounded to 1 s under another process's lock: gives up after "
            f"{min(now):.3f}-{max(now):.3f} s (before: {min(before):.2f}-{max(before):.2f} s)"
        )
        seconds, copied, commits = asyncio.run(backup_while_writing(path, folder / "copy"))
        print(
            f"online backup: {copied / 1_048_576:.0f} MiB in {seconds:.2f} s, while the "
            f"database took {commits} commits"
        )
    finally:
        if not args.folder:
            shutil.rmtree(folder, ignore_errors=True)
        elif (folder / "copy").exists():
            os.unlink(folder / "copy")


if __name__ == "__main__":
    main()
