"""The audit log: who did what, when, to whom."""

from __future__ import annotations

import json
from datetime import datetime

from storage.base import Repo, Row
from storage.timefmt import to_db


class Audit(Repo):
    async def add(
        self,
        actor: str,
        action: str,
        now: datetime,
        subject: str | None = None,
        **details: object,
    ) -> None:
        await self._exec(
            "INSERT INTO audit (at, actor, action, subject, details) VALUES (?, ?, ?, ?, ?)",
            (
                to_db(now),
                actor,
                action,
                subject,
                json.dumps(details, ensure_ascii=False, default=str),
            ),
        )

    async def recent(self, limit: int = 100) -> list[Row]:
        return await self._all("SELECT * FROM audit ORDER BY id DESC LIMIT ?", (limit,))
