"""Broadcasts, their occurrences and per-recipient deliveries, tips had, and wizard drafts.

The UNIQUE keys do the safety work: one occurrence per broadcast and local wall time, one
delivery per occurrence and ambassador. Inserts use OR IGNORE, so running a fan-out again
after a crash adds only who is missing.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from flows.broadcasts.model import (
    DELIVERY_STATUSES,
    Audience,
    Broadcast,
    DeliveryRecord,
    OccurrenceRecord,
    Plan,
    PushReceived,
)
from flows.broadcasts.schedule import Rhythm, Schedule
from flows.model import Ambassador, Channel
from storage.ambassadors import ambassador_from_row
from storage.base import Repo, Row, marks
from storage.timefmt import from_db, from_db_req, to_db

_NEXT = {"queued": ("sent", "delivered", "failed"), "sent": ("delivered", "failed")}


def _broadcast(row: Row) -> Broadcast:
    rhythm = row["rhythm"]
    schedule = Schedule(
        kind=row["schedule_kind"],
        run_at=from_db(row["run_at"]),
        rhythm=Rhythm.parse(rhythm) if rhythm else None,
        starts_at=from_db(row["starts_at"]),
        ends_at=from_db(row["ends_at"]),
        tz=row["timezone"],
    )
    plan = Plan(
        audience=Audience(tuple(json.loads(row["areas"])), row["channel"]),
        text=row["text"],
        tip_topic=row["tip_topic"],
        schedule=schedule,
        title=row["title"],
        kind=row["kind"],
        author=row["author"],
    )
    return Broadcast(
        id=int(row["id"]),
        plan=plan,
        status=row["status"],
        created_by=row["created_by"],
        created_at=from_db_req(row["created_at"]),
        cancelled_at=from_db(row["cancelled_at"]),
    )


def _occurrence(row: Row) -> OccurrenceRecord:
    return OccurrenceRecord(
        id=int(row["id"]),
        broadcast_id=int(row["broadcast_id"]),
        scheduled_for=row["scheduled_for"],
        due_at=from_db_req(row["due_at"]),
        status=row["status"],
    )


def _delivery(row: Row) -> DeliveryRecord:
    return DeliveryRecord(
        id=int(row["id"]),
        occurrence_id=int(row["occurrence_id"]),
        ambassador_id=int(row["ambassador_id"]),
        status=row["status"],
        reason=row["reason"],
        tip_id=row["tip_id"],
        message_id=row["message_id"],
    )


class Broadcasts(Repo):
    def __init__(self, conn: sqlite3.Connection) -> None:
        super().__init__(conn)
        self.changed = False  # set when a plan is created or cancelled: wakes the scheduler

    # -- plans ---------------------------------------------------------------------------

    async def create(
        self,
        *,
        title: str,
        text: str | None,
        tip_topic: str | None,
        areas: Sequence[str],
        channel: str,
        schedule_kind: str,
        run_at: datetime | None,
        rhythm: str | None,
        starts_at: datetime | None,
        ends_at: datetime | None,
        timezone: str,
        created_by: str,
        now: datetime,
        kind: str = "push",
        author: str | None = None,
    ) -> int:
        self.changed = True
        return await self._insert(
            "INSERT INTO broadcasts (title, text, tip_topic, areas, channel, schedule_kind,"
            " run_at, rhythm, starts_at, ends_at, timezone, created_by, created_at, kind, author)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                title,
                text,
                tip_topic,
                json.dumps(list(areas)),
                channel,
                schedule_kind,
                to_db(run_at) if run_at else None,
                rhythm,
                to_db(starts_at) if starts_at else None,
                to_db(ends_at) if ends_at else None,
                timezone,
                created_by,
                to_db(now),
                kind,
                author,
            ),
        )

    async def get(self, broadcast_id: int) -> Broadcast | None:
        row = await self._one("SELECT * FROM broadcasts WHERE id = ?", (broadcast_id,))
        return _broadcast(row) if row else None

    async def listing(self, *, limit: int = 100) -> list[Broadcast]:
        rows = await self._all("SELECT * FROM broadcasts ORDER BY id DESC LIMIT ?", (limit,))
        return [_broadcast(r) for r in rows]

    async def scheduled(self) -> list[Broadcast]:
        rows = await self._all("SELECT * FROM broadcasts WHERE status = 'scheduled' ORDER BY id")
        return [_broadcast(r) for r in rows]

    async def set_status(self, broadcast_id: int, status: str) -> None:
        await self._exec("UPDATE broadcasts SET status = ? WHERE id = ?", (status, broadcast_id))

    async def cancel(self, broadcast_id: int, now: datetime) -> bool:
        changed = await self._exec(
            "UPDATE broadcasts SET status = 'cancelled', cancelled_at = ?"
            " WHERE id = ? AND status = 'scheduled'",
            (to_db(now), broadcast_id),
        )
        self.changed = self.changed or changed == 1
        return changed == 1

    # -- occurrences ---------------------------------------------------------------------

    async def last_occurrence(self, broadcast_id: int) -> OccurrenceRecord | None:
        row = await self._one(
            "SELECT * FROM broadcast_occurrences WHERE broadcast_id = ?"
            " ORDER BY due_at DESC, id DESC LIMIT 1",
            (broadcast_id,),
        )
        return _occurrence(row) if row else None

    async def add_occurrence(
        self, broadcast_id: int, key: str, due: datetime, status: str, now: datetime
    ) -> int | None:
        """None when this occurrence exists already (it ran, or is running)."""
        return await self._insert_or_ignore(
            "INSERT OR IGNORE INTO broadcast_occurrences (broadcast_id, scheduled_for, due_at,"
            " status, created_at, finished_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                broadcast_id,
                key,
                to_db(due),
                status,
                to_db(now),
                to_db(now) if status == "missed" else None,
            ),
        )

    async def occurrences(self, broadcast_id: int) -> list[OccurrenceRecord]:
        rows = await self._all(
            "SELECT * FROM broadcast_occurrences WHERE broadcast_id = ? ORDER BY due_at, id",
            (broadcast_id,),
        )
        return [_occurrence(r) for r in rows]

    async def open_occurrences(self) -> list[OccurrenceRecord]:
        """Occurrences whose fan-out has not finished (pending, or cut short by a stop)."""
        rows = await self._all(
            "SELECT * FROM broadcast_occurrences WHERE status IN ('pending', 'running')"
            " ORDER BY due_at, id"
        )
        return [_occurrence(r) for r in rows]

    async def set_occurrence_status(self, occurrence_id: int, status: str, now: datetime) -> None:
        done = status in ("done", "missed")
        await self._exec(
            "UPDATE broadcast_occurrences SET status = ?, finished_at = ? WHERE id = ?",
            (status, to_db(now) if done else None, occurrence_id),
        )

    # -- deliveries ----------------------------------------------------------------------

    async def audience_missing(
        self,
        occurrence_id: int,
        *,
        areas: Sequence[str],
        channels: Iterable[Channel],
        limit: int,
    ) -> list[Ambassador]:
        """The next ambassadors in the audience without a delivery row for this occurrence.

        A fan-out goes through the audience in id order, one committed batch at a time, so
        everyone up to the highest id with a row is done: the next batch starts after it and
        reads only its own rows (linear in the audience, however large)."""
        done = await self._one(
            "SELECT MAX(ambassador_id) AS last FROM broadcast_deliveries WHERE occurrence_id = ?",
            (occurrence_id,),
        )
        after = int(done["last"]) if done and done["last"] is not None else 0
        chans = [str(c) for c in channels]
        # "+" keeps SQLite on the id range: left to itself it reads the whole area (or
        # channel) through its index and sorts it, for every batch (quadratic in the audience).
        where = f"a.id > ? AND +a.channel IN ({marks(chans)})"
        params: list[Any] = [after, *chans]
        if areas:
            where += f" AND +a.area_id IN ({marks(areas)})"
            params += list(areas)
        sql = f"SELECT * FROM ambassadors a WHERE {where} ORDER BY a.id LIMIT ?"  # noqa: S608
        rows = await self._all(sql, [*params, limit])
        return [ambassador_from_row(r) for r in rows]

    async def add_delivery(
        self,
        occurrence_id: int,
        ambassador_id: int,
        channel: str,
        status: str,
        now: datetime,
        *,
        reason: str | None = None,
        tip_id: str | None = None,
    ) -> int | None:
        """None when this ambassador already has a row for this occurrence."""
        return await self._insert_or_ignore(
            "INSERT OR IGNORE INTO broadcast_deliveries (occurrence_id, ambassador_id, channel,"
            " status, reason, tip_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (occurrence_id, ambassador_id, channel, status, reason, tip_id, to_db(now), to_db(now)),
        )

    async def set_delivery_message(self, delivery_id: int, message_id: int) -> None:
        await self._exec(
            "UPDATE broadcast_deliveries SET message_id = ? WHERE id = ?", (message_id, delivery_id)
        )

    async def update_delivery(
        self, delivery_id: int, status: str, now: datetime, *, reason: str | None = None
    ) -> bool:
        """Move a delivery's status forward only (reports can arrive out of order)."""
        row = await self._one(
            "SELECT status FROM broadcast_deliveries WHERE id = ?", (delivery_id,)
        )
        if row is None or status not in _NEXT.get(row["status"], ()):
            return False
        sent_at = ", sent_at = COALESCE(sent_at, ?)" if status in ("sent", "delivered") else ""
        params: list[Any] = [status, reason, to_db(now)]
        if sent_at:
            params.append(to_db(now))
        await self._exec(
            f"UPDATE broadcast_deliveries SET status = ?, reason = ?, updated_at = ?{sent_at}"  # noqa: S608 (constant text)
            " WHERE id = ?",
            [*params, delivery_id],
        )
        return True

    async def delivery(self, delivery_id: int) -> DeliveryRecord | None:
        row = await self._one("SELECT * FROM broadcast_deliveries WHERE id = ?", (delivery_id,))
        return _delivery(row) if row else None

    async def delivery_for_message(self, message_id: int) -> int | None:
        row = await self._one(
            "SELECT id FROM broadcast_deliveries WHERE message_id = ?", (message_id,)
        )
        return int(row["id"]) if row else None

    async def counts(self, broadcast_id: int) -> dict[str, int]:
        rows = await self._all(
            "SELECT d.status, COUNT(*) AS n FROM broadcast_deliveries d JOIN"
            " broadcast_occurrences o ON o.id = d.occurrence_id WHERE o.broadcast_id = ?"
            " GROUP BY d.status",
            (broadcast_id,),
        )
        found = {r["status"]: int(r["n"]) for r in rows}
        return {s: found.get(s, 0) for s in DELIVERY_STATUSES}

    async def counts_by_occurrence(self, broadcast_id: int) -> dict[int, dict[str, int]]:
        rows = await self._all(
            "SELECT d.occurrence_id, d.status, COUNT(*) AS n FROM broadcast_deliveries d JOIN"
            " broadcast_occurrences o ON o.id = d.occurrence_id WHERE o.broadcast_id = ?"
            " GROUP BY d.occurrence_id, d.status",
            (broadcast_id,),
        )
        out: dict[int, dict[str, int]] = {}
        for r in rows:
            out.setdefault(int(r["occurrence_id"]), dict.fromkeys(DELIVERY_STATUSES, 0))[
                r["status"]
            ] = int(r["n"])
        return out

    async def reasons(self, broadcast_id: int) -> dict[str, int]:
        rows = await self._all(
            "SELECT d.status || ':' || COALESCE(d.reason, '') AS k, COUNT(*) AS n"
            " FROM broadcast_deliveries d JOIN broadcast_occurrences o ON o.id = d.occurrence_id"
            " WHERE o.broadcast_id = ? AND d.status IN ('failed', 'skipped') GROUP BY k",
            (broadcast_id,),
        )
        return {str(r["k"]): int(r["n"]) for r in rows}

    async def latest_push(self, ambassador_id: int, since: datetime) -> PushReceived | None:
        """The newest push this ambassador received since `since`, with its plan's text."""
        row = await self._one(
            "SELECT d.id, d.tip_id, d.answered_at, b.text, b.tip_topic FROM broadcast_deliveries d"
            " JOIN broadcast_occurrences o ON o.id = d.occurrence_id"
            " JOIN broadcasts b ON b.id = o.broadcast_id"
            " WHERE d.ambassador_id = ? AND d.status IN ('sent', 'delivered') AND d.sent_at >= ?"
            " ORDER BY d.sent_at DESC, d.id DESC LIMIT 1",
            (ambassador_id, to_db(since)),
        )
        if row is None:
            return None
        return PushReceived(int(row["id"]), row["tip_id"], row["text"], bool(row["answered_at"]))

    async def mark_answered(self, delivery_id: int, now: datetime) -> None:
        await self._exec(
            "UPDATE broadcast_deliveries SET answered_at = ? WHERE id = ?",
            (to_db(now), delivery_id),
        )

    # -- tips ----------------------------------------------------------------------------

    async def tips_had(self, ambassador_ids: Sequence[int]) -> dict[int, dict[str, str]]:
        if not ambassador_ids:
            return {}
        sql = "SELECT ambassador_id, tip_id, at FROM tips_received WHERE ambassador_id IN ({})"
        rows = await self._all(sql.format(marks(ambassador_ids)), list(ambassador_ids))
        out: dict[int, dict[str, str]] = {}
        for r in rows:
            out.setdefault(int(r["ambassador_id"]), {})[r["tip_id"]] = r["at"]
        return out

    async def record_tip(self, ambassador_id: int, tip_id: str, now: datetime) -> None:
        await self._exec(
            "INSERT OR REPLACE INTO tips_received (ambassador_id, tip_id, at) VALUES (?, ?, ?)",
            (ambassador_id, tip_id, to_db(now)),
        )

    async def forget_tip(self, ambassador_id: int, tip_id: str) -> None:
        await self._exec(
            "DELETE FROM tips_received WHERE ambassador_id = ? AND tip_id = ?",
            (ambassador_id, tip_id),
        )

    # -- wizard drafts -------------------------------------------------------------------

    async def draft(self, user_id: int) -> dict[str, Any] | None:
        row = await self._one("SELECT data FROM broadcast_drafts WHERE user_id = ?", (user_id,))
        return dict(json.loads(row["data"])) if row else None

    async def save_draft(self, user_id: int, data: dict[str, Any], now: datetime) -> None:
        await self._exec(
            "INSERT OR REPLACE INTO broadcast_drafts (user_id, data, updated_at) VALUES (?, ?, ?)",
            (user_id, json.dumps(data, ensure_ascii=False), to_db(now)),
        )

    async def drop_draft(self, user_id: int) -> None:
        await self._exec("DELETE FROM broadcast_drafts WHERE user_id = ?", (user_id,))
