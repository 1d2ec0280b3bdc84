"""Answers to tryghed pulse questions: one per ambassador and occurrence, with the area the
ambassador was in when they answered. Results are counted, never listed by person."""

from __future__ import annotations

from datetime import datetime

from flows.broadcasts.model import OpenPulse, PulseAnswer
from storage.base import Repo, Row
from storage.timefmt import from_db_req, to_db


class Pulses(Repo):
    async def latest_question(self, ambassador_id: int, since: datetime) -> OpenPulse | None:
        """The newest pulse delivered to this ambassador since `since`, with any answer."""
        row = await self._one(
            "SELECT d.id, d.occurrence_id, d.sent_at, a.value FROM broadcast_deliveries d"
            " JOIN broadcast_occurrences o ON o.id = d.occurrence_id"
            " JOIN broadcasts b ON b.id = o.broadcast_id"
            " LEFT JOIN pulse_answers a ON a.delivery_id = d.id"
            " WHERE d.ambassador_id = ? AND b.kind = 'pulse' AND d.status IN ('sent', 'delivered')"
            " AND d.sent_at >= ? ORDER BY d.sent_at DESC, d.id DESC LIMIT 1",
            (ambassador_id, to_db(since)),
        )
        if row is None:
            return None
        return OpenPulse(
            int(row["id"]), int(row["occurrence_id"]), from_db_req(row["sent_at"]), row["value"]
        )

    async def delivery_owner(self, delivery_id: int) -> tuple[int, int, datetime | None] | None:
        """(ambassador, occurrence, sent_at) of a pulse delivery; None if it is not a pulse."""
        row = await self._one(
            "SELECT d.ambassador_id, d.occurrence_id, d.sent_at FROM broadcast_deliveries d"
            " JOIN broadcast_occurrences o ON o.id = d.occurrence_id"
            " JOIN broadcasts b ON b.id = o.broadcast_id WHERE d.id = ? AND b.kind = 'pulse'",
            (delivery_id,),
        )
        if row is None:
            return None
        sent = row["sent_at"]
        return (
            int(row["ambassador_id"]),
            int(row["occurrence_id"]),
            from_db_req(sent) if sent else None,
        )

    async def answer_of(self, delivery_id: int) -> int | None:
        row = await self._one(
            "SELECT value FROM pulse_answers WHERE delivery_id = ?", (delivery_id,)
        )
        return int(row["value"]) if row else None

    async def record(
        self,
        delivery_id: int,
        occurrence_id: int,
        ambassador_id: int,
        area_id: str,
        value: int,
        now: datetime,
    ) -> bool:
        """False when this delivery was answered already (one answer per ambassador)."""
        added = await self._insert_or_ignore(
            "INSERT OR IGNORE INTO pulse_answers (delivery_id, occurrence_id, ambassador_id,"
            " area_id, value, answered_at) VALUES (?, ?, ?, ?, ?, ?)",
            (delivery_id, occurrence_id, ambassador_id, area_id, value, to_db(now)),
        )
        return added is not None

    async def answers(self, broadcast_id: int) -> list[PulseAnswer]:
        rows = await self._all(
            "SELECT a.occurrence_id, a.area_id, a.value, a.answered_at FROM pulse_answers a"
            " JOIN broadcast_occurrences o ON o.id = a.occurrence_id WHERE o.broadcast_id = ?"
            " ORDER BY a.answered_at",
            (broadcast_id,),
        )
        return [_answer(r) for r in rows]

    async def answers_between(self, since: datetime, until: datetime) -> list[PulseAnswer]:
        rows = await self._all(
            "SELECT occurrence_id, area_id, value, answered_at FROM pulse_answers"
            " WHERE answered_at >= ? AND answered_at < ? ORDER BY answered_at",
            (to_db(since), to_db(until)),
        )
        return [_answer(r) for r in rows]


def _answer(r: Row) -> PulseAnswer:
    return PulseAnswer(
        int(r["occurrence_id"]), r["area_id"], int(r["value"]), from_db_req(r["answered_at"])
    )
