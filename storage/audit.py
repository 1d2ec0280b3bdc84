"""The audit log: who did what, when, to whom."""

from __future__ import annotations

import json
from datetime import datetime

from flows.model import AuditEntry
from storage.base import Repo
from storage.timefmt import from_db_req, to_db


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

    async def entries(self, *, since: datetime | None = None, limit: int = 100) -> list[AuditEntry]:
        """The newest `limit` entries (since a time, if given), oldest first."""
        rows = await self._all(
            "SELECT * FROM (SELECT * FROM audit WHERE at >= ? ORDER BY id DESC LIMIT ?)"
            " ORDER BY id",
            (to_db(since) if since is not None else "", limit),
        )
        return [
            AuditEntry(
                id=int(r["id"]),
                at=from_db_req(r["at"]),
                actor=r["actor"],
                action=r["action"],
                subject=r["subject"],
                details=dict(json.loads(r["details"] or "{}")),
            )
            for r in rows
        ]
