"""Messages both ways, with their route and delivery status, and officers' route corrections."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from flows.model import Channel, MessageRecord, OpenCase
from storage.base import Repo, Row, marks
from storage.timefmt import from_db, from_db_req, to_db

# Delivery reports arrive out of order: a status only ever moves forward in this order.
DELIVERY_ORDER = {
    "received": 0,
    "queued": 1,
    "sending": 2,
    "sent": 3,
    "delivered": 4,
    "undelivered": 5,
    "failed": 5,
    "read": 6,
}


def moves_forward(old: str, new: str) -> bool:
    return DELIVERY_ORDER.get(new, 0) >= DELIVERY_ORDER.get(old, 0)


def _message(row: Row) -> MessageRecord:
    return MessageRecord(
        id=int(row["id"]),
        ambassador_id=row["ambassador_id"],
        direction=row["direction"],
        channel=Channel(row["channel"]),
        text=row["text"],
        route=row["route"],
        officer_id=row["officer_id"],
        status=row["status"],
        created_at=from_db_req(row["created_at"]),
    )


class Messages(Repo):
    async def add(
        self,
        *,
        ambassador_id: int | None,
        direction: str,
        channel: Channel,
        text: str,
        status: str,
        now: datetime,
        media_kind: str | None = None,
        route: str | None = None,
        intent: str | None = None,
        score: float | None = None,
        matched: Iterable[str] = (),
        safety_net: bool = False,
        officer_id: str | None = None,
        platform_id: str | None = None,
    ) -> int:
        return await self._insert(
            "INSERT INTO messages (ambassador_id, direction, channel, text, media_kind, route,"
            " intent, score, matched, safety_net, officer_id, status, platform_id, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                ambassador_id,
                direction,
                channel,
                text,
                media_kind,
                route,
                intent,
                score,
                json.dumps(list(matched), ensure_ascii=False),
                int(safety_net),
                officer_id,
                status,
                platform_id,
                to_db(now),
                to_db(now),
            ),
        )

    async def get(self, message_id: int) -> MessageRecord | None:
        row = await self._one("SELECT * FROM messages WHERE id = ?", (message_id,))
        return _message(row) if row else None

    async def set_status(
        self,
        message_id: int,
        status: str,
        now: datetime,
        *,
        error: str | None = None,
        platform_id: str | None = None,
    ) -> bool:
        """Move a message's delivery status forward only: callbacks arrive out of order."""
        row = await self._one("SELECT status FROM messages WHERE id = ?", (message_id,))
        if row is None or not moves_forward(row["status"], status):
            return False
        await self._exec(
            "UPDATE messages SET status = ?, error = COALESCE(?, error),"
            " platform_id = COALESCE(?, platform_id), updated_at = ? WHERE id = ?",
            (status, error, platform_id, to_db(now), message_id),
        )
        return True

    async def set_route(self, message_id: int, route: str) -> None:
        await self._exec("UPDATE messages SET route = ? WHERE id = ?", (route, message_id))

    async def set_sms_shape(self, message_id: int, segments: int, encoding: str) -> None:
        """What an outgoing SMS costs: shown to coordinators and checked against the budget."""
        await self._exec(
            "UPDATE messages SET segments = ?, encoding = ? WHERE id = ?",
            (segments, encoding, message_id),
        )

    async def recent_from(self, ambassador_id: int, since: datetime, cap: int) -> int:
        """How many messages the ambassador wrote since `since`, counted up to `cap` (reads
        at most `cap` rows, newest first)."""
        row = await self._one(
            "SELECT COUNT(*) AS n FROM (SELECT created_at FROM messages WHERE ambassador_id = ?"
            " AND direction = 'in' ORDER BY id DESC LIMIT ?) WHERE created_at >= ?",
            (ambassador_id, cap, to_db(since)),
        )
        return int(row["n"]) if row else 0

    # -- cases -----------------------------------------------------------------------------

    async def mark_answered(self, ambassador_id: int, now: datetime) -> int:
        """An officer answered: every open message of this ambassador has its first reply."""
        return await self._exec(
            "UPDATE messages SET answered_at = ? WHERE ambassador_id = ? AND direction = 'in'"
            " AND route IS NOT NULL AND answered_at IS NULL AND handled_at IS NULL",
            (to_db(now), ambassador_id),
        )

    async def mark_handled(
        self,
        by: str,
        now: datetime,
        *,
        message_id: int | None = None,
        ambassador_id: int | None = None,
    ) -> list[int]:
        """Close one message's case, or every open case of one ambassador; returns those closed."""
        sql = (
            "SELECT id FROM messages WHERE direction = 'in' AND route IS NOT NULL"
            " AND handled_at IS NULL"
        )
        params: list[object] = []
        if message_id is not None:
            sql += " AND id = ?"
            params.append(message_id)
        if ambassador_id is not None:
            sql += " AND ambassador_id = ? AND answered_at IS NULL"
            params.append(ambassador_id)
        ids = [int(r["id"]) for r in await self._all(sql, params)]
        if ids:
            await self._exec(
                f"UPDATE messages SET handled_at = ?, handled_by = ? WHERE id IN ({marks(ids)})",  # noqa: S608 (placeholders only)
                [to_db(now), by, *ids],
            )
        return ids

    async def open_cases(self) -> list[OpenCase]:
        """Messages from ambassadors that nobody has answered or marked handled, oldest first."""
        rows = await self._all(
            "SELECT id, ambassador_id, route, text, created_at, reminded_at FROM messages"
            " WHERE direction = 'in' AND route IS NOT NULL AND ambassador_id IS NOT NULL"
            " AND answered_at IS NULL AND handled_at IS NULL ORDER BY created_at, id"
        )
        return [
            OpenCase(
                message_id=int(r["id"]),
                ambassador_id=int(r["ambassador_id"]),
                route=r["route"],
                text=r["text"],
                created_at=from_db_req(r["created_at"]),
                reminded_at=from_db(r["reminded_at"]),
            )
            for r in rows
        ]

    async def set_reminded(self, message_ids: Iterable[int], now: datetime) -> None:
        ids = list(message_ids)
        if ids:
            await self._exec(
                f"UPDATE messages SET reminded_at = ? WHERE id IN ({marks(ids)})",  # noqa: S608 (placeholders only)
                [to_db(now), *ids],
            )


class Corrections(Repo):
    """Officers' `/rute` corrections, exported to improve the keyword data."""

    async def add(
        self,
        message_id: int,
        route_given: str | None,
        route_corrected: str,
        officer_id: str,
        now: datetime,
    ) -> None:
        await self._exec(
            "INSERT INTO route_corrections (message_id, route_given, route_corrected, officer_id,"
            " at) VALUES (?, ?, ?, ?, ?)",
            (message_id, route_given, route_corrected, officer_id, to_db(now)),
        )

    async def export(self) -> list[dict[str, object]]:
        rows = await self._all(
            "SELECT c.at, m.text, c.route_given, c.route_corrected, c.officer_id, m.intent,"
            " m.matched FROM route_corrections c JOIN messages m ON m.id = c.message_id"
            " ORDER BY c.id"
        )
        return [
            {
                "at": r["at"],
                "text": r["text"],
                "route_given": r["route_given"],
                "route_corrected": r["route_corrected"],
                "officer_id": r["officer_id"],
                "intent": r["intent"],
                "matched": json.loads(r["matched"] or "[]"),
            }
            for r in rows
        ]
