"""Rate limits kept in the database, so they hold across restarts and processes."""

from __future__ import annotations

from datetime import datetime, timedelta

from storage.base import Repo
from storage.timefmt import from_db_req, to_db


class Limits(Repo):
    async def hit(self, key: str, now: datetime, window: timedelta) -> int:
        """Count one more event for `key`; returns how many fell in the current window
        (a fixed window that starts at its first event)."""
        row = await self._one("SELECT window_start, count FROM rate_limits WHERE key = ?", (key,))
        if row is None or now - from_db_req(row["window_start"]) >= window:
            await self._exec(
                "INSERT OR REPLACE INTO rate_limits (key, window_start, count) VALUES (?, ?, 1)",
                (key, to_db(now)),
            )
            return 1
        count = int(row["count"]) + 1
        await self._exec("UPDATE rate_limits SET count = ? WHERE key = ?", (count, key))
        return count
