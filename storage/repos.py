"""Repositories over one connection inside one transaction (plain parameterised SQL)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict
from datetime import datetime
from typing import Any

import aiosqlite

from flows.model import (
    Ambassador,
    AmbassadorState,
    Attachment,
    Button,
    Channel,
    Invitation,
    Lane,
    MediaKind,
    Outbound,
    OutKind,
    Priority,
)
from storage.timefmt import from_db, from_db_req, to_db

Row = aiosqlite.Row


class _Repo:
    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._c = conn

    async def _one(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        async with self._c.execute(sql, tuple(params)) as cur:
            return await cur.fetchone()

    async def _all(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        async with self._c.execute(sql, tuple(params)) as cur:
            return list(await cur.fetchall())

    async def _insert(self, sql: str, params: Iterable[Any]) -> int:
        async with self._c.execute(sql, tuple(params)) as cur:
            assert cur.lastrowid is not None
            return cur.lastrowid

    async def _exec(self, sql: str, params: Iterable[Any] = ()) -> int:
        async with self._c.execute(sql, tuple(params)) as cur:
            return cur.rowcount


def _ambassador(row: Row) -> Ambassador:
    return Ambassador(
        id=row["id"],
        channel=Channel(row["channel"]),
        address=row["address"],
        name=row["name"],
        area_id=row["area_id"],
        officer_id=row["officer_id"],
        state=AmbassadorState(row["state"]),
        language=row["language"],
        created_at=from_db_req(row["created_at"]),
        agreement_version=row["agreement_version"],
        accepted_at=from_db(row["accepted_at"]),
        unreachable=bool(row["unreachable"]),
        offhours_notice_at=from_db(row["offhours_notice_at"]),
        last_officer_reply_at=from_db(row["last_officer_reply_at"]),
    )


class Ambassadors(_Repo):
    async def get(self, ambassador_id: int) -> Ambassador | None:
        row = await self._one("SELECT * FROM ambassadors WHERE id = ?", (ambassador_id,))
        return _ambassador(row) if row else None

    async def by_address(self, channel: Channel, address: str) -> Ambassador | None:
        row = await self._one(
            "SELECT * FROM ambassadors WHERE channel = ? AND address = ?", (channel, address)
        )
        return _ambassador(row) if row else None

    async def create(
        self,
        *,
        channel: Channel,
        address: str,
        name: str,
        area_id: str,
        officer_id: str,
        state: AmbassadorState,
        language: str,
        now: datetime,
    ) -> Ambassador:
        new_id = await self._insert(
            "INSERT INTO ambassadors (channel, address, name, area_id, officer_id, state,"
            " language, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (channel, address, name, area_id, officer_id, state, language, to_db(now), to_db(now)),
        )
        found = await self.get(new_id)
        assert found is not None
        return found

    async def reassign(
        self,
        ambassador_id: int,
        *,
        area_id: str,
        officer_id: str,
        state: AmbassadorState,
        now: datetime,
    ) -> None:
        await self._exec(
            "UPDATE ambassadors SET area_id = ?, officer_id = ?, state = ?, agreement_version ="
            " NULL, accepted_at = NULL, unreachable = 0, updated_at = ? WHERE id = ?",
            (area_id, officer_id, state, to_db(now), ambassador_id),
        )

    async def set_state(self, ambassador_id: int, state: AmbassadorState, now: datetime) -> None:
        await self._exec(
            "UPDATE ambassadors SET state = ?, updated_at = ? WHERE id = ?",
            (state, to_db(now), ambassador_id),
        )

    async def accept(self, ambassador_id: int, version: str, now: datetime) -> None:
        await self._exec(
            "UPDATE ambassadors SET state = 'active', agreement_version = ?, accepted_at = ?,"
            " updated_at = ? WHERE id = ?",
            (version, to_db(now), to_db(now), ambassador_id),
        )

    async def set_language(self, ambassador_id: int, language: str, now: datetime) -> None:
        await self._exec(
            "UPDATE ambassadors SET language = ?, updated_at = ? WHERE id = ?",
            (language, to_db(now), ambassador_id),
        )

    async def set_unreachable(self, ambassador_id: int, value: bool, now: datetime) -> None:
        await self._exec(
            "UPDATE ambassadors SET unreachable = ?, updated_at = ? WHERE id = ?",
            (int(value), to_db(now), ambassador_id),
        )

    async def set_offhours_notice(self, ambassador_id: int, now: datetime) -> None:
        await self._exec(
            "UPDATE ambassadors SET offhours_notice_at = ? WHERE id = ?",
            (to_db(now), ambassador_id),
        )

    async def set_last_officer_reply(self, ambassador_id: int, now: datetime) -> None:
        await self._exec(
            "UPDATE ambassadors SET last_officer_reply_at = ? WHERE id = ?",
            (to_db(now), ambassador_id),
        )

    async def find(
        self,
        *,
        states: Iterable[AmbassadorState] | None = None,
        areas: Iterable[str] | None = None,
        channel: Channel | None = None,
    ) -> list[Ambassador]:
        sql = "SELECT * FROM ambassadors WHERE 1 = 1"
        params: list[Any] = []
        if states is not None:
            values = list(states)
            sql += f" AND state IN ({','.join('?' * len(values))})"
            params += values
        if areas is not None:
            area_ids = list(areas)
            sql += f" AND area_id IN ({','.join('?' * len(area_ids))})"
            params += area_ids
        if channel is not None:
            sql += " AND channel = ?"
            params.append(channel)
        return [_ambassador(r) for r in await self._all(sql + " ORDER BY id", params)]


def _invitation(row: Row) -> Invitation:
    return Invitation(
        id=row["id"],
        area_id=row["area_id"],
        officer_id=row["officer_id"],
        channel=Channel(row["channel"]),
        created_at=from_db_req(row["created_at"]),
        expires_at=from_db_req(row["expires_at"]),
        created_by=row["created_by"],
        phone=row["phone"],
        used_at=from_db(row["used_at"]),
        ambassador_id=row["ambassador_id"],
    )


class Invitations(_Repo):
    async def create(
        self,
        *,
        code_hash: str,
        area_id: str,
        officer_id: str,
        channel: Channel,
        phone: str | None,
        created_by: str,
        now: datetime,
        expires_at: datetime,
    ) -> Invitation:
        new_id = await self._insert(
            "INSERT INTO invitations (code_hash, area_id, officer_id, channel, phone, created_by,"
            " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                code_hash,
                area_id,
                officer_id,
                channel,
                phone,
                created_by,
                to_db(now),
                to_db(expires_at),
            ),
        )
        row = await self._one("SELECT * FROM invitations WHERE id = ?", (new_id,))
        assert row is not None
        return _invitation(row)

    async def by_hash(self, code_hash: str) -> Invitation | None:
        row = await self._one("SELECT * FROM invitations WHERE code_hash = ?", (code_hash,))
        return _invitation(row) if row else None

    async def mark_used(self, invitation_id: int, ambassador_id: int, now: datetime) -> bool:
        changed = await self._exec(
            "UPDATE invitations SET used_at = ?, ambassador_id = ?"
            " WHERE id = ? AND used_at IS NULL",
            (to_db(now), ambassador_id, invitation_id),
        )
        return changed == 1


class Inbox(_Repo):
    async def add(self, dedupe_key: str, kind: str, payload: str, now: datetime) -> int | None:
        """Store an arrival; None when it was seen before (a platform retry)."""
        async with self._c.execute(
            "INSERT OR IGNORE INTO inbox (dedupe_key, kind, payload, received_at)"
            " VALUES (?, ?, ?, ?)",
            (dedupe_key, kind, payload, to_db(now)),
        ) as cur:
            return cur.lastrowid if cur.rowcount == 1 else None

    async def pending(self, limit: int = 100) -> list[tuple[int, str, str]]:
        rows = await self._all(
            "SELECT id, kind, payload FROM inbox WHERE status = 'received' ORDER BY id LIMIT ?",
            (limit,),
        )
        return [(r["id"], r["kind"], r["payload"]) for r in rows]

    async def mark(
        self, inbox_id: int, status: str, now: datetime, error: str | None = None
    ) -> None:
        await self._exec(
            "UPDATE inbox SET status = ?, handled_at = ?, error = ? WHERE id = ?",
            (status, to_db(now), error, inbox_id),
        )


_DELIVERY_ORDER = {
    "received": 0,
    "queued": 1,
    "sending": 2,
    "sent": 3,
    "delivered": 4,
    "undelivered": 5,
    "failed": 5,
    "read": 6,
}


class Messages(_Repo):
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

    async def get(self, message_id: int) -> Row | None:
        return await self._one("SELECT * FROM messages WHERE id = ?", (message_id,))

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
        row = await self.get(message_id)
        if row is None:
            return False
        if _DELIVERY_ORDER.get(status, 0) < _DELIVERY_ORDER.get(row["status"], 0):
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

    async def for_ambassador(self, ambassador_id: int, limit: int = 200) -> list[Row]:
        return await self._all(
            "SELECT * FROM messages WHERE ambassador_id = ? ORDER BY id DESC LIMIT ?",
            (ambassador_id, limit),
        )


class Threads(_Repo):
    """Forum topics per ambassador and the group messages that belong to each ambassador."""

    async def topic(self, ambassador_id: int, chat_id: int) -> int | None:
        row = await self._one(
            "SELECT thread_id FROM officer_threads WHERE ambassador_id = ? AND chat_id = ?",
            (ambassador_id, chat_id),
        )
        return int(row["thread_id"]) if row else None

    async def set_topic(
        self, ambassador_id: int, chat_id: int, thread_id: int, now: datetime
    ) -> None:
        await self._exec(
            "INSERT OR REPLACE INTO officer_threads (ambassador_id, chat_id, thread_id, created_at)"
            " VALUES (?, ?, ?, ?)",
            (ambassador_id, chat_id, thread_id, to_db(now)),
        )

    async def forget_topic(self, ambassador_id: int, chat_id: int) -> None:
        await self._exec(
            "DELETE FROM officer_threads WHERE ambassador_id = ? AND chat_id = ?",
            (ambassador_id, chat_id),
        )

    async def ambassador_for_topic(self, chat_id: int, thread_id: int) -> int | None:
        row = await self._one(
            "SELECT ambassador_id FROM officer_threads WHERE chat_id = ? AND thread_id = ?",
            (chat_id, thread_id),
        )
        return int(row["ambassador_id"]) if row else None

    async def add_group_message(
        self, chat_id: int, group_message_id: int, ambassador_id: int, message_id: int | None
    ) -> None:
        await self._exec(
            "INSERT OR REPLACE INTO group_messages (chat_id, group_message_id, ambassador_id,"
            " message_id) VALUES (?, ?, ?, ?)",
            (chat_id, group_message_id, ambassador_id, message_id),
        )

    async def group_message(
        self, chat_id: int, group_message_id: int
    ) -> tuple[int, int | None] | None:
        row = await self._one(
            "SELECT ambassador_id, message_id FROM group_messages WHERE chat_id = ?"
            " AND group_message_id = ?",
            (chat_id, group_message_id),
        )
        return (int(row["ambassador_id"]), row["message_id"]) if row else None


def outbound_to_json(item: Outbound) -> str:
    return json.dumps(asdict(item), ensure_ascii=False)


def outbound_from_json(payload: str) -> Outbound:
    data = json.loads(payload)
    return Outbound(
        lane=Lane(data["lane"]),
        kind=OutKind(data["kind"]),
        priority=Priority(data["priority"]),
        channel=Channel(data["channel"]),
        address=data["address"],
        text=data["text"],
        ambassador_id=data["ambassador_id"],
        message_id=data["message_id"],
        copy_from=data["copy_from"],
        media=tuple(Attachment(**{**m, "kind": MediaKind(m["kind"])}) for m in data["media"]),
        buttons=tuple(tuple(Button(**b) for b in row) for row in data["buttons"]),
        officer_message_id=data["officer_message_id"],
        reply_to_group_message_id=data["reply_to_group_message_id"],
        mention_user_id=data["mention_user_id"],
        thread_title=data.get("thread_title", ""),
        flags=tuple(data["flags"]),
        broadcast_delivery_id=data.get("broadcast_delivery_id"),
    )


class OutboxRepo(_Repo):
    def __init__(self, conn: aiosqlite.Connection, touched: set[tuple[str, str]]) -> None:
        super().__init__(conn)
        self._touched = touched

    async def add(
        self, item: Outbound, now: datetime, *, not_before: datetime | None = None
    ) -> int:
        self._touched.add((item.lane, item.channel))
        return await self._insert(
            "INSERT INTO outbox (lane, channel, address, priority, kind, payload, next_attempt_at,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                item.lane,
                item.channel,
                item.address,
                int(item.priority),
                item.kind,
                outbound_to_json(item),
                to_db(not_before or now),
                to_db(now),
            ),
        )

    async def claim(
        self,
        lane: str,
        channel: str,
        now: datetime,
        busy: Iterable[str] = (),
        *,
        max_priority: int | None = None,
    ) -> tuple[int, Outbound, int] | None:
        """Take the most urgent due item whose address has nothing else in flight."""
        busy = list(busy)
        sql = (
            "SELECT id, payload, attempts FROM outbox WHERE lane = ? AND channel = ?"
            " AND status = 'pending' AND next_attempt_at <= ?"
        )
        params: list[Any] = [lane, channel, to_db(now)]
        if busy:
            sql += f" AND address NOT IN ({','.join('?' * len(busy))})"
            params += busy
        if max_priority is not None:
            sql += " AND priority <= ?"
            params.append(max_priority)
        row = await self._one(sql + " ORDER BY priority, id LIMIT 1", params)
        if row is None:
            return None
        try:
            item = outbound_from_json(row["payload"])
        except (ValueError, KeyError, TypeError) as exc:
            # One unreadable row must not block its lane forever.
            await self._exec(
                "UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ?",
                (f"unreadable: {type(exc).__name__}", row["id"]),
            )
            return None
        await self._exec(
            "UPDATE outbox SET status = 'sending', attempts = attempts + 1 WHERE id = ?",
            (row["id"],),
        )
        return int(row["id"]), item, int(row["attempts"]) + 1

    async def claim_kind(
        self, lane: str, channel: str, kind: str, now: datetime
    ) -> list[tuple[int, Outbound]]:
        """Take every due item of one kind at once, to gather routine notices."""
        rows = await self._all(
            "SELECT id, payload FROM outbox WHERE lane = ? AND channel = ? AND kind = ?"
            " AND status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT 50",
            (lane, channel, kind, to_db(now)),
        )
        for r in rows:
            await self._exec(
                "UPDATE outbox SET status = 'sending', attempts = attempts + 1 WHERE id = ?",
                (r["id"],),
            )
        return [(int(r["id"]), outbound_from_json(r["payload"])) for r in rows]

    async def done(
        self,
        item_id: int,
        status: str,
        now: datetime,
        *,
        platform_id: str | None = None,
        error: str | None = None,
    ) -> None:
        await self._exec(
            "UPDATE outbox SET status = ?, done_at = ?, platform_id = ?, last_error = ?"
            " WHERE id = ?",
            (status, to_db(now), platform_id, error, item_id),
        )

    async def retry_at(self, item_id: int, at: datetime, error: str) -> None:
        await self._exec(
            "UPDATE outbox SET status = 'pending', next_attempt_at = ?, last_error = ?"
            " WHERE id = ?",
            (to_db(at), error, item_id),
        )

    async def withdraw_pushes(
        self, channel: Channel, address: str, now: datetime, reason: str
    ) -> list[int]:
        """Take back pushes still waiting for someone who paused; returns their delivery ids."""
        rows = await self._all(
            "SELECT id, json_extract(payload, '$.broadcast_delivery_id') AS delivery FROM outbox"
            " WHERE status = 'pending' AND kind = 'push' AND channel = ? AND address = ?",
            (channel, address),
        )
        for row in rows:
            await self.done(int(row["id"]), "failed", now, error=reason)
        return [int(r["delivery"]) for r in rows if r["delivery"] is not None]

    async def release_inflight(self) -> int:
        """After a crash, items that were being sent go back to the queue."""
        return await self._exec("UPDATE outbox SET status = 'pending' WHERE status = 'sending'")

    async def next_due(self, lane: str, channel: str) -> datetime | None:
        row = await self._one(
            "SELECT MIN(next_attempt_at) AS t FROM outbox WHERE lane = ? AND channel = ?"
            " AND status = 'pending'",
            (lane, channel),
        )
        return from_db(row["t"]) if row else None

    async def counts(self) -> dict[str, int]:
        rows = await self._all("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status")
        return {r["status"]: int(r["n"]) for r in rows}


class Audit(_Repo):
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


class Corrections(_Repo):
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

    async def export(self) -> list[Row]:
        return await self._all(
            "SELECT c.at, m.text, c.route_given, c.route_corrected, c.officer_id, m.intent,"
            " m.matched FROM route_corrections c JOIN messages m ON m.id = c.message_id"
            " ORDER BY c.id"
        )


class KeyValue(_Repo):
    async def get(self, key: str) -> str | None:
        row = await self._one("SELECT value FROM kv WHERE key = ?", (key,))
        return str(row["value"]) if row else None

    async def set(self, key: str, value: str) -> None:
        await self._exec("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", (key, value))


class Strangers(_Repo):
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


class SmsLog(_Repo):
    """One row per message handed to Twilio; status callbacks move its status forward only."""

    async def record(
        self,
        sid: str,
        *,
        kind: str,
        ambassador_id: int | None,
        message_id: int | None,
        part: int,
        parts: int,
        segments: int,
        encoding: str,
        status: str,
        now: datetime,
    ) -> Row:
        """Store a sent SMS; returns the row, whose status a faster callback may have set."""
        await self._exec(
            "INSERT INTO sms_messages (sid, kind, ambassador_id, message_id, part, parts,"
            " segments, encoding, status, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (sid) DO UPDATE SET kind = excluded.kind,"
            " ambassador_id = excluded.ambassador_id, message_id = excluded.message_id,"
            " part = excluded.part, parts = excluded.parts, segments = excluded.segments,"
            " encoding = excluded.encoding",
            (
                sid,
                kind,
                ambassador_id,
                message_id,
                part,
                parts,
                segments,
                encoding,
                status,
                to_db(now),
                to_db(now),
            ),
        )
        row = await self.get(sid)
        assert row is not None
        return row

    async def get(self, sid: str) -> Row | None:
        return await self._one("SELECT * FROM sms_messages WHERE sid = ?", (sid,))

    async def set_status(
        self, sid: str, status: str, error_code: int | None, now: datetime
    ) -> tuple[bool, Row]:
        """Move forward only (callbacks arrive out of order); (moved, row after)."""
        row = await self.get(sid)
        moved = row is None or _DELIVERY_ORDER.get(status, 0) >= _DELIVERY_ORDER.get(
            row["status"], 0
        )
        if row is None:
            await self._exec(
                "INSERT INTO sms_messages (sid, status, error_code, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (sid, status, error_code, to_db(now), to_db(now)),
            )
        elif moved:
            await self._exec(
                "UPDATE sms_messages SET status = ?, error_code = COALESCE(?, error_code),"
                " updated_at = ? WHERE sid = ?",
                (status, error_code, to_db(now), sid),
            )
        after = await self.get(sid)
        assert after is not None
        return moved, after


class Tx:
    """Everything a flow may read or change, inside one transaction."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        from storage.broadcasts import Broadcasts  # late: that module builds on this one

        self.touched_lanes: set[tuple[str, str]] = set()
        self.broadcasts = Broadcasts(conn)
        self.ambassadors = Ambassadors(conn)
        self.invitations = Invitations(conn)
        self.inbox = Inbox(conn)
        self.messages = Messages(conn)
        self.threads = Threads(conn)
        self.outbox = OutboxRepo(conn, self.touched_lanes)
        self.audit = Audit(conn)
        self.corrections = Corrections(conn)
        self.kv = KeyValue(conn)
        self.strangers = Strangers(conn)
        self.sms = SmsLog(conn)
