"""Storage faults while the bot runs, each made for real: another process holds the lock, the
disk fills up, the file is read-only, damaged, deleted or replaced. Each is said once, shows
in the health, and (where it can) passes again."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sqlite3
import sys
import textwrap
from pathlib import Path

import pytest

import storage.db
from storage.db import Database, DatabaseReplaced
from storage.health import Fault, StorageUnavailable, classify
from tests.storage.helpers import (
    CHILD_ENV,
    add_rows,
    corrupt_table,
    count_rows,
    fill,
    locked_by_another_process,
    small_disk,
    world_readable_dir,
)


def storage_errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """What the storage said at ERROR: each fault once, never a traceback per retry."""
    records = caplog.records
    return [r for r in records if r.name.startswith("storage.") and r.levelno >= logging.ERROR]


@pytest.fixture
async def db(tmp_path: Path) -> Database:
    return await Database.open(tmp_path / "bot.sqlite3")


# --- locked ---------------------------------------------------------------------------------


async def test_a_bounded_store_gives_up_after_a_second_while_another_process_holds_the_lock(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    loop = asyncio.get_running_loop()
    async with locked_by_another_process(db.path) as locker:
        for _ in range(3):  # one after the other: none waits behind the last one's leftovers
            started = loop.time()
            with pytest.raises(TimeoutError):
                async with asyncio.timeout(1.0):
                    await add_rows(db, 1, "acute")
            assert 1.0 <= loop.time() - started < 1.6
        assert db.health.ok  # a few seconds' lock is nobody's business yet
        db.health.busy_grace = 2.0  # the lock has now lasted three seconds: that is news
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(1.0):
                await add_rows(db, 1, "acute")
        assert db.health.as_json()["reason"] == "database locked"
        await locker.release()
    async with asyncio.timeout(1.0):
        await add_rows(db, 1, "acute")  # the lock is gone: the store goes through
    assert db.health.ok
    assert await count_rows(db, "acute") == 1
    assert len(storage_errors(caplog)) == 1
    await db.close()


async def test_an_unbounded_store_gives_up_busy_after_the_busy_wait(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage.db, "BUSY_WAIT", 0.3)
    async with locked_by_another_process(db.path):
        with pytest.raises(sqlite3.OperationalError) as refused:
            await add_rows(db, 1)
    assert classify(refused.value) is Fault.BUSY
    await add_rows(db, 1)
    await db.close()


async def test_the_health_check_notices_a_lock_that_lasts(db: Database) -> None:
    db.health.busy_grace = 0.0
    async with locked_by_another_process(db.path) as locker:
        assert not await db.health.check()
        assert db.health.reason == "database locked"
        await locker.release()
    assert await db.health.check()
    await db.close()


# --- full -----------------------------------------------------------------------------------


async def test_full_by_sqlite_s_own_limit(db: Database, caplog: pytest.LogCaptureFixture) -> None:
    async with db.read() as tx:
        rows = await tx.kv._all("PRAGMA page_count")
        await tx.kv._exec(f"PRAGMA max_page_count = {rows[0][0]}")
    for _ in range(3):  # workers retrying: said once, not each time
        with pytest.raises(sqlite3.OperationalError) as refused:
            await add_rows(db, 20, "big", size=4000)
        assert classify(refused.value) is Fault.DATABASE
    state = db.health.as_json()
    assert state["ok"] is False and state["reason"] == "disk full"
    assert state["detail"] == "SQLITE_FULL" and state["path"] == db.path
    [said] = storage_errors(caplog)
    assert db.path in said.getMessage() and "disk full" in said.getMessage()
    assert said.exc_info is None  # no traceback

    async with db.read() as tx:
        await tx.kv._exec("PRAGMA max_page_count = 1073741823")
    db.health.hold = 0.0
    await add_rows(db, 20, "big", size=4000)
    assert db.health.ok
    assert any("works again" in r.getMessage() for r in caplog.records)
    await db.close()


async def test_full_disk(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with small_disk(tmp_path / "disk") as disk:
        db = await Database.open(disk / "bot.sqlite3")
        try:
            await add_rows(db, 10, "before")
            filler = await asyncio.to_thread(fill, disk)
            with pytest.raises(sqlite3.Error) as refused:
                await add_rows(db, 200, "while-full", size=4000)
            assert classify(refused.value) is Fault.DATABASE
            assert db.health.reason == "disk full"
            assert not await db.health.check()  # a tiny write getting through proves little
            assert await count_rows(db, "before") == 10  # reading still works

            await asyncio.to_thread(filler.unlink)  # space again
            db.health.hold = 0.0
            await add_rows(db, 200, "while-full", size=4000)
            assert db.health.ok
            assert await count_rows(db, "while-full") == 200
            assert len(storage_errors(caplog)) == 1
        finally:
            await db.close()


# --- read-only ------------------------------------------------------------------------------


async def test_read_only_by_sqlite_s_own_switch(db: Database) -> None:
    async with db.read() as tx:
        await tx.kv._exec("PRAGMA query_only = ON")
    with pytest.raises(sqlite3.OperationalError) as refused:
        await add_rows(db, 1)
    assert classify(refused.value) is Fault.DATABASE
    assert not await db.health.check()
    assert db.health.reason == "read-only"
    async with db.read() as tx:
        await tx.kv._exec("PRAGMA query_only = OFF")
    db.health.hold = 0.0
    assert await db.health.check()
    await db.close()


READ_ONLY_CHILD = textwrap.dedent(
    """
    import asyncio, concurrent.futures.thread, json, os, pwd, sys
    from datetime import UTC, datetime
    from storage.db import Database, migrations
    from storage.health import classify

    # Python's own files are root's alone here: everything is loaded before the switch.
    migrations()

    nobody = pwd.getpwnam("nobody")
    os.setgid(nobody.pw_gid)
    os.setuid(nobody.pw_uid)

    async def main():
        db = await Database.open(sys.argv[1])
        async with db.read() as tx:
            seen = len(await tx.inbox.pending())
        kind = None
        try:
            async with db.transaction() as tx:
                await tx.inbox.add("new", "ambassador", "{}", datetime.now(UTC))
        except Exception as exc:
            kind = classify(exc).value
        print(json.dumps({"seen": seen, "kind": kind, "health": db.health.as_json()}))
        await db.close()

    asyncio.run(main())
    """
)


async def test_a_database_the_bot_may_not_write(tmp_path: Path) -> None:
    """As root chmod stops nothing: the bot runs as an unprivileged user instead."""
    if os.geteuid() != 0:
        pytest.skip("switching to the user nobody needs root")
    with world_readable_dir() as folder:
        path = folder / "bot.sqlite3"
        db = await Database.open(path)
        await add_rows(db, 3)
        await db.close()
        folder.chmod(0o777)  # nobody may add the -wal and -shm files, not change the database
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            READ_ONLY_CHILD,
            str(path),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=CHILD_ENV,
        )
        out, err = await child.communicate()
        assert child.returncode == 0, err.decode()
        result = json.loads(out)
    assert result["seen"] == 3  # reading works
    assert result["kind"] == "database"
    assert result["health"]["ok"] is False and result["health"]["reason"] == "read-only"


# --- corrupt --------------------------------------------------------------------------------


async def test_corrupt_while_running(db: Database, caplog: pytest.LogCaptureFixture) -> None:
    await add_rows(db, 300)
    async with db.read() as tx:
        await tx.kv._all("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the main file
    await asyncio.to_thread(corrupt_table, db.path, "inbox")
    other = sqlite3.connect(db.path)  # another writer: our connection reads the file afresh
    with other:
        other.execute("INSERT OR REPLACE INTO kv VALUES ('elsewhere', '1')")
    other.close()
    with pytest.raises(sqlite3.DatabaseError) as refused:
        async with db.read() as tx:
            await tx.inbox.pending()
    assert classify(refused.value) is Fault.DATABASE
    assert db.health.reason == "database corrupt"
    db.health.hold = 0.0
    async with db.transaction() as tx:  # other tables still work; that proves nothing
        await tx.kv.set("still", "writable")
    assert await db.health.check() is False
    [said] = storage_errors(caplog)
    assert "restore the last backup" in said.getMessage()
    await db.close()


# --- deleted or replaced --------------------------------------------------------------------


async def test_deleted_while_running(
    tmp_path: Path, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    await add_rows(db, 2)
    assert await db.health.check()
    os.unlink(db.path)
    assert not await db.health.check()  # within one check
    assert db.health.as_json()["reason"] == "database file deleted"
    with pytest.raises(StorageUnavailable) as refused:  # not written into a vanished file
        await add_rows(db, 1, "after")
    assert classify(refused.value) is Fault.DATABASE
    assert not await db.health.check()
    said, kept = storage_errors(caplog)  # once, and where the bot kept what it still had
    assert db.path in said.getMessage() and "Backup and restore" in said.getMessage()
    found = sorted(name for name in os.listdir(tmp_path) if "-rescued-" in name)
    copies = [name for name in found if not name.endswith(("-journal", "-wal", "-shm"))]
    assert len(copies) == 1, found  # (a side file of the copy may still be on its way out)
    rescued = copies[0]
    assert rescued in kept.getMessage()
    await db.close()

    # Doing what the log says brings the ambassadors back.
    os.replace(tmp_path / rescued, db.path)
    for side in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(db.path + side)
    again = await Database.open(db.path)
    assert await count_rows(again) == 2
    await again.close()


async def test_the_watch_notices_a_deletion_by_itself(db: Database) -> None:
    watch = asyncio.create_task(db.health.watch(every=0.05))
    try:
        assert db.health.ok
        os.unlink(db.path)
        # A deletion sends no event to wait for: look until it shows, within a deadline.
        async with asyncio.timeout(5):
            while db.health.ok:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
        assert db.health.reason == "database file deleted"
    finally:
        watch.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watch
    await db.close()


async def test_a_rescue_cut_short_by_a_cancel_still_keeps_a_whole_copy(
    tmp_path: Path, db: Database
) -> None:
    """The watch stopping (or the bot shutting down) while the copy of a deleted database is
    being kept: the copy still completes and close() waits for it. Cut short, its connection
    was closed under a worker thread still writing through it, and the process crashed."""
    await add_rows(db, 3)
    os.unlink(db.path)
    check = asyncio.create_task(db.health.check())
    # Let the rescue start its copy (the file appears when it is opened; a new file sends no
    # event to wait for), then cancel.
    async with asyncio.timeout(5):
        while not any("-rescued-" in name for name in os.listdir(tmp_path)):  # noqa: ASYNC110
            await asyncio.sleep(0)
    check.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await check
    await db.close()
    found = sorted(name for name in os.listdir(tmp_path) if "-rescued-" in name)
    copies = [name for name in found if not name.endswith(("-journal", "-wal", "-shm"))]
    assert len(copies) == 1, found
    with contextlib.closing(sqlite3.connect(tmp_path / copies[0])) as copy:
        assert copy.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    os.replace(tmp_path / copies[0], db.path)
    again = await Database.open(db.path)
    assert await count_rows(again) == 3
    await again.close()


async def test_replaced_while_running_and_then_refused(tmp_path: Path, db: Database) -> None:
    await add_rows(db, 5)  # in the write-ahead log, beside the path
    other = await Database.open(tmp_path / "other.sqlite3")
    await other.close()
    os.replace(tmp_path / "other.sqlite3", db.path)
    assert not await db.health.check()
    assert db.health.reason == "database file replaced by another file"
    with pytest.raises(StorageUnavailable):
        async with db.read():
            pass
    await db.close()
    with pytest.raises(DatabaseReplaced, match="not the one this bot used"):
        await Database.open(db.path)
    # Our write-ahead log was not replayed into the newcomer: it is still itself.
    with sqlite3.connect(db.path) as conn:
        (identity,) = conn.execute("SELECT value FROM kv WHERE key = 'storage.identity'").fetchone()
        assert conn.execute("SELECT count(*) FROM inbox").fetchone()[0] == 0
    conn.close()
    assert identity == other.identity


async def test_moved_away_and_back_is_fine_again(tmp_path: Path, db: Database) -> None:
    aside = tmp_path / "aside.sqlite3"
    os.rename(db.path, aside)
    assert not await db.health.check()
    os.rename(aside, db.path)
    assert await db.health.check()
    await add_rows(db, 1)
    await db.close()


# --- cancellation -----------------------------------------------------------------------------


async def test_a_transaction_cut_short_leaves_the_connection_clean(db: Database) -> None:
    never = asyncio.Event()
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.1), db.transaction() as tx:
            await tx.kv.set("half", "done")
            await never.wait()
    await add_rows(db, 1)  # the next one starts on a clean connection
    async with db.read() as tx:
        assert await tx.kv.get("half") is None
    await db.close()


async def test_a_cancel_that_comes_during_the_commit_lands_after_it(db: Database) -> None:
    """The commit runs at once on the loop's connection: it cannot be cut in half. A cancel
    asked for meanwhile lands at the caller's next pause, with the commit done and told."""
    woken: list[object] = []
    db.after_commit(woken.append)
    task = asyncio.current_task()
    assert task is not None
    async with db.transaction() as tx:
        await tx.kv.set("late", "yes")
        asyncio.get_running_loop().call_soon(task.cancel)  # due while committing
    assert len(woken) == 1
    with pytest.raises(asyncio.CancelledError):
        await asyncio.sleep(0)
    task.uncancel()
    async with db.read() as tx:
        assert await tx.kv.get("late") == "yes"
    await db.close()
