"""A consistent copy of the database while the bot runs: SQLite's online backup.

The copy is taken in one step, inside one read transaction of its own connection, so it is
the database as of one commit; in WAL mode the running bot's writers are not held up. The copy
is written beside the output under a temporary name, checked (`quick_check`) and only then
moved into place, so an interrupted backup never leaves a half copy under the output's name.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from storage.db import StorageError


class BackupError(StorageError):
    """The backup was not made; the message says why."""


@dataclass(frozen=True)
class BackupResult:
    source: str
    output: str
    size: int  # bytes
    seconds: float


def backup(source: str | Path, output: str | Path, *, force: bool = False) -> BackupResult:
    """Copy the database at `source` to `output`; refuse an existing output unless `force`."""
    started = time.monotonic()
    source, output = Path(source), Path(output)
    if not source.is_file():
        raise BackupError(f"no database at {source} (is [storage] path right?)")
    if output.exists() and not force:
        raise BackupError(f"{output} exists already: choose another name, or use --force")
    if output.resolve() == source.resolve():
        raise BackupError(f"{output} is the database itself")
    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=output.name + ".", suffix=".tmp", dir=output.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        _copy(source, tmp)
        if force:
            os.replace(tmp, output)
        else:
            os.link(tmp, output)  # fails if the output appeared meanwhile: never overwrite
            tmp.unlink()
    except FileExistsError as exc:
        raise BackupError(f"{output} exists already: choose another name, or use --force") from exc
    except sqlite3.Error as exc:
        raise BackupError(f"backup of {source} failed: {exc}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return BackupResult(str(source), str(output), output.stat().st_size, time.monotonic() - started)


def _copy(source: Path, target: Path) -> None:
    # Read-only: the backup never creates, migrates or writes the database it copies.
    uri = f"file:{quote(str(source.resolve()))}?mode=ro"
    src = sqlite3.connect(uri, uri=True, timeout=5.0)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # all pages in one step: one snapshot, no restarts
            # A self-contained file: no -wal beside it is needed to read the copy.
            dst.execute("PRAGMA journal_mode = DELETE")
            problems = [row[0] for row in dst.execute("PRAGMA quick_check")]
            if problems != ["ok"]:
                raise BackupError(f"the copy of {source} fails its check: {problems[:3]}")
        finally:
            dst.close()
    finally:
        src.close()
    with open(target, "rb") as copied:
        os.fsync(copied.fileno())


__all__ = ["BackupError", "BackupResult", "backup"]
