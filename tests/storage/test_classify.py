"""Which failures are the database's and which are one item's: real errors from real SQLite."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from storage.health import Fault, StorageUnavailable, classify, describe


def _raised(action: Callable[[], object]) -> BaseException:
    with pytest.raises(BaseException) as caught:
        action()
    return caught.value


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    c = sqlite3.connect(tmp_path / "db.sqlite3", isolation_level=None, timeout=0)
    c.execute("PRAGMA journal_mode = WAL")
    c.execute("CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    c.execute("INSERT INTO kv VALUES ('a', 'b')")
    return c


def test_busy_is_transient(conn: sqlite3.Connection, tmp_path: Path) -> None:
    other = sqlite3.connect(tmp_path / "db.sqlite3", isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    exc = _raised(lambda: conn.execute("BEGIN IMMEDIATE"))
    assert classify(exc) is Fault.BUSY
    other.execute("ROLLBACK")


@pytest.mark.parametrize(
    ("statement", "params"),
    [
        ("INSERT INTO kv VALUES ('a', 'again')", ()),  # constraint
        ("INSERT INTO kv VALUES (?, ?)", ("lone", "\ud800")),  # a surrogate cannot be bound
        ("INSERT INTO kv VALUES (?, ?)", ("big", 10**30)),  # too large for SQLite
        ("INSERT INTO kv VALUES (?, ?)", ("list", [1])),  # a type SQLite has no column for
        ("SELECT * FROM nowhere", ()),  # a wrong statement
    ],
)
def test_item_faults(conn: sqlite3.Connection, statement: str, params: tuple[object, ...]) -> None:
    exc = _raised(lambda: conn.execute(statement, params))
    assert classify(exc) is Fault.ITEM


def test_bugs_in_the_caller_are_the_item_s() -> None:
    assert classify(ValueError("bad payload")) is Fault.ITEM
    assert classify(KeyError("route")) is Fault.ITEM


def test_full_is_database_wide(conn: sqlite3.Connection) -> None:
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    exc = _raised(lambda: conn.execute("INSERT INTO kv VALUES (?, ?)", ("x", "y" * 20_000)))
    assert classify(exc) is Fault.DATABASE
    assert describe(exc) == ("disk full", "SQLITE_FULL")


def test_read_only_is_database_wide(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA query_only = ON")
    exc = _raised(lambda: conn.execute("INSERT INTO kv VALUES ('c', 'd')"))
    assert classify(exc) is Fault.DATABASE
    assert describe(exc)[0] == "read-only"


def test_not_a_database_is_corrupt(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is no database " * 500)
    exc = _raised(lambda: sqlite3.connect(garbage).execute("SELECT * FROM sqlite_schema"))
    assert classify(exc) is Fault.DATABASE
    assert describe(exc) == ("database corrupt", "SQLITE_NOTADB")


def test_cannot_open_is_database_wide(tmp_path: Path) -> None:
    uri = f"file:{tmp_path / 'missing.sqlite3'}?mode=rw"
    exc = _raised(lambda: sqlite3.connect(uri, uri=True))
    assert classify(exc) is Fault.DATABASE


def test_unavailable_is_database_wide() -> None:
    exc = StorageUnavailable("database file deleted", "/x.sqlite3")
    assert classify(exc) is Fault.DATABASE
    assert isinstance(exc, sqlite3.OperationalError)  # old `except OperationalError` keep it
    assert describe(exc) == ("database file deleted", None)
