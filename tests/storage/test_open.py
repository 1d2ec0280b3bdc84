"""Opening a database: racing processes on a new file, the identity that ties a database to
its path, and the start-up checks that refuse a corrupt, missing or foreign file."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.cli import main
from storage.db import (
    Database,
    DatabaseCorrupt,
    DatabaseMissing,
    DatabaseReplaced,
    StorageError,
    marker_path,
    migrations,
    read_marker,
    remove_database,
)
from tests.conftest import config_text
from tests.storage.helpers import add_rows, corrupt_table, count_rows
from tests.storage.racer import open_and_close, race

LATEST = migrations()[-1][0]


def _assert_one_good_database(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        identities = conn.execute("SELECT value FROM kv WHERE key = 'storage.identity'").fetchall()
    conn.close()
    assert len(identities) == 1
    assert read_marker(path) == identities[0][0]


def test_threads_with_their_own_connections_race_on_new_files(tmp_path: Path) -> None:
    errors: list[str] = []

    def worker(path: str, start: threading.Barrier) -> None:
        start.wait()
        try:
            open_and_close(path)
        except Exception as exc:  # collected: the assertion below shows them all
            errors.append(repr(exc))

    for round_ in range(30):
        path = str(tmp_path / f"new{round_}.sqlite3")
        start = threading.Barrier(4)
        threads = [threading.Thread(target=worker, args=(path, start)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        _assert_one_good_database(Path(path))
    assert errors == []


def test_processes_race_on_new_files(tmp_path: Path) -> None:
    """The bot and an `invite` (or two `invite`s) creating the same new database at once."""
    spawn = multiprocessing.get_context("spawn")
    rounds, workers = 30, 3
    start = spawn.Barrier(workers)
    errors = spawn.Queue()
    procs = [
        spawn.Process(target=race, args=(str(tmp_path), rounds, start, errors))
        for _ in range(workers)
    ]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=120)
        assert proc.exitcode == 0
    found = []
    while not errors.empty():
        found.append(errors.get())
    assert found == []
    for round_ in range(rounds):
        _assert_one_good_database(tmp_path / f"new{round_}.sqlite3")


async def test_first_start_creates_database_and_marker(tmp_path: Path) -> None:
    path = tmp_path / "data" / "bot.sqlite3"
    db = await Database.open(path)
    assert db.identity is not None and read_marker(path) == db.identity
    assert "Remove this file only together with the database" in marker_path(path).read_text()
    await db.close()
    again = await Database.open(path)  # the marker matches: opens like any other day
    assert again.identity == db.identity
    await again.close()


async def test_an_existing_database_without_marker_is_adopted(tmp_path: Path) -> None:
    """Databases made before the marker existed keep working after an upgrade."""
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    await add_rows(db, 3)
    await db.close()
    marker_path(path).unlink()
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM kv WHERE key = 'storage.identity'")
    conn.close()
    db = await Database.open(path)
    assert await count_rows(db) == 3
    assert read_marker(path) == db.identity is not None
    await db.close()


async def test_restart_after_the_database_was_deleted_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    await add_rows(db, 2)
    await db.close()
    path.unlink()
    with pytest.raises(DatabaseMissing) as refused:
        await Database.open(path)
    message = str(refused.value)
    assert str(path) in message and "is missing" in message
    assert "Backup and restore" in message and "--new-database" in message
    assert not path.exists()  # nothing was created in its place

    fresh = await Database.open(path, create_new=True)  # the explicit way to start anew
    assert fresh.identity != db.identity and read_marker(path) == fresh.identity
    assert await count_rows(fresh) == 0
    await fresh.close()


async def test_an_empty_file_in_its_place_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    await db.close()
    path.write_bytes(b"")
    with pytest.raises(DatabaseMissing, match="is an empty file"):
        await Database.open(path)


async def test_another_database_in_its_place_is_refused(tmp_path: Path) -> None:
    path, other = tmp_path / "bot.sqlite3", tmp_path / "other.sqlite3"
    for where in (path, other):
        db = await Database.open(where)
        await add_rows(db, 1)
        await db.close()
    os.replace(other, path)
    with pytest.raises(DatabaseReplaced) as refused:
        await Database.open(path)
    assert str(path) in str(refused.value) and "--new-database" in str(refused.value)
    taken = await Database.open(path, create_new=True)  # the operator means it
    assert read_marker(path) == taken.identity
    await taken.close()


async def test_a_restored_backup_of_the_same_database_is_welcome(tmp_path: Path) -> None:
    path, copy = tmp_path / "bot.sqlite3", tmp_path / "copy.sqlite3"
    db = await Database.open(path)
    await add_rows(db, 4)
    await db.close()
    copy.write_bytes(path.read_bytes())
    path.unlink()
    os.replace(copy, path)
    db = await Database.open(path)
    assert await count_rows(db) == 4
    await db.close()


async def test_removing_a_database_for_good_lets_a_new_one_start(tmp_path: Path) -> None:
    """The sandbox's reset: `remove_database` takes the marker with it."""
    path = tmp_path / "sandbox.sqlite3"
    db = await Database.open(path)
    await add_rows(db, 1)
    await db.close()
    remove_database(path)
    assert os.listdir(tmp_path) == []
    db = await Database.open(path)
    assert await count_rows(db) == 0
    await db.close()


async def test_a_corrupt_file_stops_start_up_naming_it_and_the_restore(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await Database.open(path)
    await add_rows(db, 200)
    await db.close()
    corrupt_table(path, "inbox")
    with pytest.raises(DatabaseCorrupt) as refused:
        await Database.open(path)
    message = str(refused.value)
    assert str(path) in message and "corrupt" in message
    assert "restore the last backup" in message and "Backup and restore" in message


async def test_a_file_that_is_no_database_stops_start_up(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    path.write_bytes(b"not a database at all " * 1000)
    with pytest.raises(DatabaseCorrupt, match="is corrupt"):
        await Database.open(path)


@pytest.fixture
def _logging_restored() -> Iterator[None]:
    """`tryghedsbot run` sets up logging for the process: put pytest's back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.mark.usefixtures("_logging_restored")
def test_run_refuses_a_missing_database_and_starts_anew_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`tryghedsbot run` says why it will not start; `--new-database` is the way on."""
    path = tmp_path / "bot.sqlite3"
    config = tmp_path / "config.toml"
    # Nothing listens on port 9: the bot gets as far as asking Telegram, and stops there.
    config.write_text(config_text("http://127.0.0.1:9/bot", "http://127.0.0.1:9/file/bot", path))
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:test-token")
    asyncio.run(_make_database(path))
    path.unlink()

    assert main(["run", "--config", str(config)]) == 1
    err = capsys.readouterr().err
    assert f"database {path} is missing" in err and "--new-database" in err
    assert not path.exists()

    # With the flag the database is made anew; start-up then goes on to Telegram.
    assert main(["run", "--config", str(config), "--new-database"]) == 1
    assert "cannot reach the Bot API" in capsys.readouterr().err
    assert path.exists()
    assert read_marker(path) is not None


async def _make_database(path: Path) -> None:
    db = await Database.open(path)
    await db.close()


def test_other_commands_refuse_with_the_reason_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bot.sqlite3"
    config = tmp_path / "config.toml"
    config.write_text(config_text("http://x/bot", "http://x/file/bot", path))
    asyncio.run(_make_database(path))
    path.unlink()
    args = ["invite", "--config", str(config), "--area", "herning", "--officer", "mj"]
    assert main(args) == 1
    assert "is missing" in capsys.readouterr().err
    assert issubclass(DatabaseMissing, StorageError)
