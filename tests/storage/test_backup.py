"""`tryghedsbot backup` while the bot runs, and the restore exactly as the README tells it."""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from bot.clock import ShiftedClock
from bot.config import Config, Secrets
from bot.root import Runtime
from flows.model import AmbassadorState, Channel
from storage.backup import BackupError, backup
from tests.conftest import config_text
from tests.fakes.telegram_api import FakeBotApi

ROOT = Path(__file__).resolve().parents[2]
README_BACKUP = "backups/tryghedsbot-2026-11-23.sqlite3"
README_DATABASE = "data/tryghedsbot.sqlite3"


def cli_config(tmp_path: Path, fake: FakeBotApi, database: str) -> Path:
    """A configuration file for the operator's commands, naming the bot's own database."""
    path = tmp_path / "cli.toml"
    path.write_text(config_text(fake.base_url, fake.base_file_url, Path(database)))
    return path


async def add_ambassador(app: Runtime, name: str) -> None:
    assert app.db is not None
    async with app.db.transaction() as tx:
        await tx.ambassadors.create(
            channel=Channel.TELEGRAM,
            address=str(abs(hash(name)) % 10**9),
            name=name,
            area_id="herning",
            officer_id="mj",
            state=AmbassadorState.ACTIVE,
            language="da",
            now=datetime(2026, 11, 23, 10, 0, tzinfo=UTC),
        )


async def names(app: Runtime) -> set[str]:
    assert app.db is not None
    async with app.db.read() as tx:
        return {a.name for a in await tx.ambassadors.find()}


def check(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("PRAGMA quick_check")]
    finally:
        conn.close()


async def test_backup_while_the_bot_keeps_writing(
    app: Runtime, tmp_path: Path, fake: FakeBotApi, capsys: pytest.CaptureFixture[str]
) -> None:
    assert app.db is not None
    await add_ambassador(app, "Anna Holm")
    written: list[int] = []
    stop = asyncio.Event()

    async def keep_writing() -> None:
        assert app.db is not None
        while not stop.is_set():
            n = len(written)
            async with app.db.transaction() as tx:
                await tx.kv.set(f"write.{n:06d}", "x" * 200)
            written.append(n)
            await asyncio.sleep(0)

    writer = asyncio.create_task(keep_writing())
    config = cli_config(tmp_path, fake, app.config.storage.path)
    output = tmp_path / "backups" / "copy.sqlite3"
    code = await asyncio.to_thread(
        main, ["backup", "--config", str(config), "--output", str(output)]
    )
    stop.set()
    await writer
    assert code == 0
    out = capsys.readouterr().out
    assert f"backup of {app.config.storage.path} written to {output}" in out
    assert f"{output.stat().st_size} bytes" in out
    assert written, "the bot wrote nothing while the backup was taken"

    assert check(output) == ["ok"]
    assert output.stat().st_mode & 0o777 == 0o600  # names, numbers, messages: owner only
    conn = sqlite3.connect(output)
    try:
        [(name,)] = conn.execute("SELECT name FROM ambassadors").fetchall()
        keys = [k for (k,) in conn.execute("SELECT key FROM kv WHERE key LIKE 'write.%'")]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file
    finally:
        conn.close()
    assert name == "Anna Holm"
    # One moment's database: every write up to some point, none after it, no gaps.
    assert sorted(keys) == [f"write.{n:06d}" for n in range(len(keys))]


async def test_backup_never_overwrites_unless_forced(
    app: Runtime, tmp_path: Path, fake: FakeBotApi, capsys: pytest.CaptureFixture[str]
) -> None:
    config = cli_config(tmp_path, fake, app.config.storage.path)
    output = tmp_path / "copy.sqlite3"
    output.write_text("an older copy")
    args = ["backup", "--config", str(config), "--output", str(output)]
    assert await asyncio.to_thread(main, args) == 1
    assert "exists already" in capsys.readouterr().err
    assert output.read_text() == "an older copy"
    assert await asyncio.to_thread(main, [*args, "--force", "--json"]) == 0
    assert '"bytes"' in capsys.readouterr().out
    assert check(output) == ["ok"]
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]


def test_backup_of_no_database_says_so(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="no database at"):
        backup(tmp_path / "missing.sqlite3", tmp_path / "copy.sqlite3")
    assert not (tmp_path / "missing.sqlite3").exists()  # and does not make one


def readme_restore_commands() -> list[str]:
    """The shell lines of the README's restore steps (the test runs exactly those)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Backup and restore", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"To restore.*?```sh\n(.*?)```", section, re.S)
    assert block is not None, "the README's restore block is missing"
    return [line for line in block.group(1).splitlines() if line.startswith(("cp ", "rm "))]


async def test_restore_exactly_as_the_readme_says(
    make_config: Callable[..., Config],
    secrets: Secrets,
    clock: ShiftedClock,
    fake: FakeBotApi,
    tmp_path: Path,
) -> None:
    commands = readme_restore_commands()
    assert [c.split()[0] for c in commands] == ["cp", "rm"]
    config = make_config()
    database = config.storage.path
    first = Runtime(config, secrets, clock=clock)
    await first.start()
    try:
        await add_ambassador(first, "Anna Holm")
        await add_ambassador(first, "Bo Nielsen")
        copy = tmp_path / "backup.sqlite3"
        cli = cli_config(tmp_path, fake, database)
        args = ["backup", "--config", str(cli), "--output", str(copy)]
        assert await asyncio.to_thread(main, args) == 0
        await add_ambassador(first, "After The Backup")
    finally:
        await first.stop()  # 1. stop the bot

    script = "\n".join(commands)  # 2. copy the backup over the database, remove -wal, -shm
    script = script.replace(README_BACKUP, str(copy)).replace(README_DATABASE, database)
    await asyncio.to_thread(subprocess.run, ["bash", "-euc", script], check=True)

    second = Runtime(make_config(), secrets, clock=clock)  # 3. start the bot
    await second.start()
    try:
        assert await names(second) == {"Anna Holm", "Bo Nielsen"}
        await add_ambassador(second, "Carl After Restore")  # and it goes on working
    finally:
        await second.stop()
