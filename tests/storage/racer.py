"""Run in child processes by the start-up race test: opens new databases at the same moment
as its siblings (kept apart from the tests so a child imports little)."""

from __future__ import annotations

import asyncio
import os
from typing import Any

from storage.db import Database


def open_and_close(path: str) -> None:
    async def go() -> None:
        db = await Database.open(path)
        await db.close()

    asyncio.run(go())


def race(folder: str, rounds: int, start: Any, errors: Any) -> None:
    """For each round, wait for the others, then open the round's new database."""
    for round_ in range(rounds):
        start.wait()
        try:
            open_and_close(os.path.join(folder, f"new{round_}.sqlite3"))
        except Exception as exc:
            errors.put(repr(exc))
