"""Data protection checked from outside, as an operator would: two onboarded ambassadors have
written with an officer; the command line lists, exports and deletes one of them while the
bot runs; the other is still relayed; the audit log records the deletion without her data;
and once the bot has stopped, no row and no byte of the database files holds her name, chat
id or words. The log lines of the whole run (INFO and up) hold none of them either."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from pathlib import Path

import pytest

from bot.cli import ambassadors, main
from bot.clock import ShiftedClock
from bot.config import Secrets, parse_config
from bot.root import Runtime
from tests.conftest import METTE, OFFICERS_CHAT, config_text
from tests.fakes.telegram_api import FakeBotApi
from tests.helpers import onboard, said, thread_of

ROSALINA = 7912345678
BO = 6123456789
HER_WORDS = ("Kragerupvej", "knallertbanden")
HER_NAME = ("Rosalina", "Vindeløv")


def traces(data: bytes) -> list[str]:
    """Which of her identifiers appear in raw bytes: name, chat id (as text and as SQLite's
    big-endian integer) and her words."""
    needles = [*HER_NAME, *HER_WORDS, str(ROSALINA)]
    found = [n for n in needles if n.encode() in data]
    if ROSALINA.to_bytes(6, "big") in data:
        found.append("chat id as an integer")
    return found


async def cli(
    capsys: pytest.CaptureFixture[str], clock: ShiftedClock, *argv: str
) -> tuple[int, str]:
    capsys.readouterr()
    code = await asyncio.to_thread(main, list(argv), clock=clock)
    out = capsys.readouterr()
    return code, out.out + out.err


async def test_export_and_delete_one_of_two_ambassadors_from_the_command_line(
    fake: FakeBotApi,
    secrets: Secrets,
    clock: ShiftedClock,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    db_path = tmp_path / "district.sqlite3"
    text = config_text(fake.base_url, fake.base_file_url, db_path)
    config_file = tmp_path / "district.toml"
    config_file.write_text(text, encoding="utf-8")
    app = Runtime(parse_config(text, str(config_file)), secrets, clock=clock)
    await app.start()
    try:
        await onboard(app, fake, ROSALINA, *HER_NAME)
        await onboard(app, fake, BO, "Bo", "Berg")
        fake.push_update(
            fake.make_private_message(ROSALINA, "Knallertbanden kører om natten på Kragerupvej")
        )
        await said(fake, OFFICERS_CHAT, "Kragerupvej")
        thread = thread_of(fake, "Rosalina Vindeløv")
        fake.push_update(
            fake.make_group_message(
                OFFICERS_CHAT, METTE, "Tak Rosalina, vi holder øje med Kragerupvej",
                message_thread_id=thread,
            )
        )  # fmt: skip
        await said(fake, ROSALINA, "vi holder øje med Kragerupvej")
        fake.push_update(fake.make_private_message(BO, "Gadelyset er gået ud ved skolen"))
        await said(fake, OFFICERS_CHAT, "Gadelyset")
        assert app.db is not None
        async with app.db.read() as tx:
            found = await tx.privacy._all("SELECT id, name FROM ambassadors ORDER BY id")
        ids = {r["name"]: int(r["id"]) for r in found}
        her = ids["Rosalina Vindeløv"]
        conf = ["--config", str(config_file)]

        if "list" in ambassadors.VERBS:  # the register's verb, where this build has it
            code, out = await cli(capsys, clock, "ambassadors", "list", "--json", *conf)
            assert code == 0
            listed = json.loads(out)
            rows = listed["ambassadors"] if isinstance(listed, dict) else listed
            assert {(r["id"], r["name"]) for r in rows} >= {
                (her, "Rosalina Vindeløv"), (ids["Bo Berg"], "Bo Berg")}  # fmt: skip

        code, out = await cli(capsys, clock, "ambassadors", "export", str(her), *conf)
        assert code == 0
        export = json.loads(out)
        said_by = {(m["direction"], m["text"]) for m in export["messages"]}
        assert ("in", "Knallertbanden kører om natten på Kragerupvej") in said_by
        assert ("out", "Tak Rosalina, vi holder øje med Kragerupvej") in said_by
        assert export["profile"]["name"] == "Rosalina Vindeløv"
        assert "Gadelyset" not in out

        code, out = await cli(capsys, clock, "ambassadors", "delete", str(her), *conf)
        assert code == 1 and "--yes" in out  # asks first; nothing deleted
        code, out = await cli(capsys, clock, "ambassadors", "delete", str(her), "--yes", *conf)
        assert code == 0 and f"ambassador {her} deleted" in out
        code, out = await cli(capsys, clock, "ambassadors", "export", str(her), *conf)
        assert code == 3

        # The running bot closes and renames her topic, and still relays Bo.
        await fake.wait_for_call("closeForumTopic", timeout=15)
        assert "Rosalina" not in fake.topics(OFFICERS_CHAT)[thread]
        fake.push_update(fake.make_private_message(BO, "Og nu virker lyset igen"))
        await said(fake, OFFICERS_CHAT, "virker lyset igen")

        code, out = await cli(capsys, clock, "audit", "--json", *conf)
        assert code == 0
        entries = json.loads(out)
        [deletion] = [e for e in entries if e["action"] == "ambassador.erased"]
        assert (
            deletion["actor"].startswith("operator") and deletion["subject"] == f"ambassador:{her}"
        )
        assert any(
            e["action"] == "data.exported" and e["actor"].startswith("operator") for e in entries
        )
        assert traces(out.encode()) == []
    finally:
        await app.stop()

    with sqlite3.connect(db_path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in conn.execute(f'SELECT * FROM "{table}"'):
                assert traces(repr(row).encode()) == [], (table, row)
        assert conn.execute("SELECT COUNT(*) FROM ambassadors").fetchone()[0] == 1
    conn.close()
    for path in (db_path, Path(f"{db_path}-wal")):
        if path.exists():
            assert traces(path.read_bytes()) == [], path

    logged = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)
    assert logged, "the run logged nothing: the scan would prove nothing"
    for needle in (*HER_NAME, *HER_WORDS, str(ROSALINA), str(BO), "Gadelyset", "Berg"):
        assert needle not in logged, needle
