"""People who are not ambassadors get the "what is this bot" answer at most so often."""

from __future__ import annotations

from datetime import datetime

from flows.model import Channel
from storage.base import Repo
from storage.timefmt import from_db, to_db


class Strangers(Repo):
    async def may_answer(self, channel: Channel, address: str, now: datetime, every: float) -> bool:
        """True at most once per `every` seconds per sender; records the answer."""
        row = await self._one(
            "SELECT answered_at FROM stranger_answers WHERE channel = ? AND address = ?",
            (channel, address),
        )
        last = from_db(row["answered_at"]) if row else None
        if last is not None and (now - last).total_seconds() < every:
            return False
        await self._exec(
            "INSERT OR REPLACE INTO stranger_answers (channel, address, answered_at)"
            " VALUES (?, ?, ?)",
            (channel, address, to_db(now)),
        )
        return True
