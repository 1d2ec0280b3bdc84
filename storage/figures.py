"""What the programme's figures are counted from: each ambassador's history, messages both
ways, pushes delivered. Every fact carries the area its ambassador was in at that moment."""

from __future__ import annotations

from datetime import datetime

from flows.figures import Event, InboundFact, StatePoint
from storage.base import Repo
from storage.timefmt import from_db, from_db_req, to_db


def _area_at(ambassador: str, at: str) -> str:
    """SQL for the area `ambassador` was in at `at` (column expressions)."""
    return (
        "COALESCE((SELECT h.area_id FROM ambassador_history h WHERE h.ambassador_id ="  # noqa: S608 (column names only)
        f" {ambassador} AND h.at <= {at} ORDER BY h.at DESC, h.id DESC LIMIT 1),"
        f" (SELECT x.area_id FROM ambassadors x WHERE x.id = {ambassador}))"
    )


class Figures(Repo):
    async def history(self) -> list[StatePoint]:
        rows = await self._all(
            "SELECT ambassador_id, state, area_id, at FROM ambassador_history"
            " ORDER BY ambassador_id, at, id"
        )
        return [
            StatePoint(int(r["ambassador_id"]), r["state"], r["area_id"], from_db_req(r["at"]))
            for r in rows
        ]

    async def inbound(self, since: datetime, until: datetime) -> list[InboundFact]:
        rows = await self._all(
            f"SELECT m.ambassador_id, m.route, m.created_at, m.answered_at,"  # noqa: S608 (constant text)
            f" {_area_at('m.ambassador_id', 'm.created_at')} AS area_id FROM messages m"
            " WHERE m.direction = 'in' AND m.route IS NOT NULL AND m.ambassador_id IS NOT NULL"
            " AND m.created_at >= ? AND m.created_at < ?",
            (to_db(since), to_db(until)),
        )
        return [
            InboundFact(
                int(r["ambassador_id"]),
                r["area_id"],
                r["route"],
                from_db_req(r["created_at"]),
                from_db(r["answered_at"]),
            )
            for r in rows
        ]

    async def replies(self, since: datetime, until: datetime) -> list[Event]:
        rows = await self._all(
            f"SELECT m.created_at AS at, {_area_at('m.ambassador_id', 'm.created_at')} AS area_id"  # noqa: S608 (constant text)
            " FROM messages m WHERE m.direction = 'out' AND m.officer_id IS NOT NULL"
            " AND m.ambassador_id IS NOT NULL AND m.created_at >= ? AND m.created_at < ?",
            (to_db(since), to_db(until)),
        )
        return [Event(r["area_id"], from_db_req(r["at"])) for r in rows]

    async def deliveries(self, since: datetime, until: datetime) -> list[Event]:
        rows = await self._all(
            f"SELECT d.sent_at AS at, {_area_at('d.ambassador_id', 'd.sent_at')} AS area_id"  # noqa: S608 (constant text)
            " FROM broadcast_deliveries d WHERE d.status IN ('sent', 'delivered')"
            " AND d.sent_at >= ? AND d.sent_at < ?",
            (to_db(since), to_db(until)),
        )
        return [Event(r["area_id"], from_db_req(r["at"])) for r in rows]
