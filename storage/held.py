"""Arrivals held back until their ambassador accepts a new agreement version (rule 4): kept
in the inbox's own encoding and handed back in the order they came."""

from __future__ import annotations

from datetime import datetime

from flows.model import Inbound
from storage.base import Repo
from storage.queues import dump_inbound, load_inbound
from storage.timefmt import to_db


class Held(Repo):
    async def add(self, ambassador_id: int, inbound: Inbound, now: datetime) -> None:
        await self._exec(
            "INSERT INTO held_arrivals (ambassador_id, payload, held_at) VALUES (?, ?, ?)",
            (ambassador_id, dump_inbound(inbound), to_db(now)),
        )

    async def take(self, ambassador_id: int) -> list[Inbound]:
        rows = await self._all(
            "SELECT id, payload FROM held_arrivals WHERE ambassador_id = ? ORDER BY id",
            (ambassador_id,),
        )
        await self._exec("DELETE FROM held_arrivals WHERE ambassador_id = ?", (ambassador_id,))
        return [load_inbound(r["payload"]) for r in rows]
