"""The two durable queues: arrivals waiting to be handled (inbox) and messages waiting to be
sent (outbox), with the JSON each keeps its items in.

The encodings live here, beside the tables that hold them, so a change to a domain type and
its stored form are made in one place.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection
from datetime import datetime
from typing import Any

from flows.model import (
    Attachment,
    Button,
    Channel,
    Inbound,
    Lane,
    MediaKind,
    OfficerMessage,
    Outbound,
    OutKind,
    Priority,
)
from intents import Classification, Route
from storage.base import Repo, marks
from storage.timefmt import from_db, to_db

# -- encodings -----------------------------------------------------------------------------


def _attachments(items: tuple[Attachment, ...]) -> list[dict[str, Any]]:
    return [
        {
            "kind": a.kind.value,
            "ref": a.ref,
            "content_type": a.content_type,
            "latitude": a.latitude,
            "longitude": a.longitude,
        }
        for a in items
    ]


def _load_attachments(items: list[dict[str, Any]]) -> tuple[Attachment, ...]:
    return tuple(
        Attachment(
            MediaKind(m["kind"]),
            m.get("ref", ""),
            m.get("content_type", ""),
            m.get("latitude"),
            m.get("longitude"),
        )
        for m in items
    )


def _classification(data: dict[str, Any] | None) -> Classification | None:
    if data is None:
        return None
    return Classification(
        route=Route(data["route"]),
        intent=data["intent"],
        score=data["score"],
        matched=tuple(data["matched"]),
        cues=tuple(data["cues"]),
        safety_net=data["safety_net"],
        danger=tuple(data["danger"]),
        language=data["language"],
    )


def dump_inbound(item: Inbound) -> str:
    cls = item.classification
    return json.dumps(
        {
            "channel": item.channel.value,
            "address": item.address,
            "dedupe_key": item.dedupe_key,
            "received_at": item.received_at.isoformat(),
            "text": item.text,
            "display_name": item.display_name,
            "language": item.language,
            "media": _attachments(item.media),
            "unsupported": item.unsupported,
            "callback": item.callback,
            "command": item.command,
            "args": item.args,
            "user_id": item.user_id,
            "classification": cls.to_json_dict() if cls is not None else None,
            "acute_answered": item.acute_answered,
        },
        ensure_ascii=False,
    )


def load_inbound(payload: str) -> Inbound:
    d = json.loads(payload)
    return Inbound(
        channel=Channel(d["channel"]),
        address=d["address"],
        dedupe_key=d["dedupe_key"],
        received_at=datetime.fromisoformat(d["received_at"]),
        text=d["text"],
        display_name=d["display_name"],
        language=d["language"],
        media=_load_attachments(d["media"]),
        unsupported=d["unsupported"],
        callback=d["callback"],
        command=d["command"],
        args=d["args"],
        user_id=d.get("user_id"),
        classification=_classification(d.get("classification")),
        acute_answered=bool(d.get("acute_answered", False)),
    )


def dump_officer(item: OfficerMessage) -> str:
    return json.dumps(
        {
            "dedupe_key": item.dedupe_key,
            "chat_id": item.chat_id,
            "user_id": item.user_id,
            "user_name": item.user_name,
            "message_id": item.message_id,
            "received_at": item.received_at.isoformat(),
            "text": item.text,
            "thread_id": item.thread_id,
            "reply_to_message_id": item.reply_to_message_id,
            "media": _attachments(item.media),
            "command": item.command,
            "args": item.args,
            "thread_title": item.thread_title,
        },
        ensure_ascii=False,
    )


def load_officer(payload: str) -> OfficerMessage:
    d = json.loads(payload)
    return OfficerMessage(
        dedupe_key=d["dedupe_key"],
        chat_id=d["chat_id"],
        user_id=d["user_id"],
        user_name=d["user_name"],
        message_id=d["message_id"],
        received_at=datetime.fromisoformat(d["received_at"]),
        text=d["text"],
        thread_id=d["thread_id"],
        reply_to_message_id=d["reply_to_message_id"],
        media=_load_attachments(d["media"]),
        command=d["command"],
        args=d["args"],
        thread_title=d.get("thread_title"),
    )


def dump_outbound(item: Outbound) -> str:
    return json.dumps(
        {
            "lane": item.lane.value,
            "kind": item.kind.value,
            "priority": int(item.priority),
            "channel": item.channel.value,
            "address": item.address,
            "text": item.text,
            "ambassador_id": item.ambassador_id,
            "message_id": item.message_id,
            "copy_from": item.copy_from,
            "media": _attachments(item.media),
            "buttons": [[{"text": b.text, "data": b.data} for b in row] for row in item.buttons],
            "officer_message_id": item.officer_message_id,
            "reply_to_group_message_id": item.reply_to_group_message_id,
            "mention_user_id": item.mention_user_id,
            "thread_title": item.thread_title,
            "flags": list(item.flags),
            "broadcast_delivery_id": item.broadcast_delivery_id,
        },
        ensure_ascii=False,
    )


def load_outbound(payload: str) -> Outbound:
    d = json.loads(payload)
    return Outbound(
        lane=Lane(d["lane"]),
        kind=OutKind(d["kind"]),
        priority=Priority(d["priority"]),
        channel=Channel(d["channel"]),
        address=d["address"],
        text=d["text"],
        ambassador_id=d["ambassador_id"],
        message_id=d["message_id"],
        copy_from=d["copy_from"],
        media=_load_attachments(d["media"]),
        buttons=tuple(tuple(Button(b["text"], b["data"]) for b in row) for row in d["buttons"]),
        officer_message_id=d["officer_message_id"],
        reply_to_group_message_id=d["reply_to_group_message_id"],
        mention_user_id=d["mention_user_id"],
        thread_title=d.get("thread_title", ""),
        flags=tuple(d["flags"]),
        broadcast_delivery_id=d.get("broadcast_delivery_id"),
    )


# -- the inbox -----------------------------------------------------------------------------


class InboxQueue(Repo):
    async def add(
        self, dedupe_key: str, kind: str, payload: str, now: datetime, priority: int = 50
    ) -> int | None:
        """Store an arrival; None when it was seen before (a platform retry)."""
        return await self._insert_or_ignore(
            "INSERT OR IGNORE INTO inbox (dedupe_key, kind, payload, received_at, priority)"
            " VALUES (?, ?, ?, ?, ?)",
            (dedupe_key, kind, payload, to_db(now), priority),
        )

    async def pending(self, limit: int = 100) -> list[tuple[int, str, str]]:
        """Arrivals waiting to be handled, acute ones first."""
        rows = await self._all(
            "SELECT id, kind, payload FROM inbox WHERE status = 'received'"
            " ORDER BY priority, id LIMIT ?",
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

    async def quarantine(self, dedupe_key: str, raw: str, reason: str, now: datetime) -> None:
        await self._exec(
            "INSERT INTO quarantine (dedupe_key, raw, reason, at) VALUES (?, ?, ?, ?)",
            (dedupe_key, raw, reason, to_db(now)),
        )

    async def quarantined(self, limit: int = 100) -> list[dict[str, str]]:
        rows = await self._all(
            "SELECT dedupe_key, raw, reason, at FROM quarantine ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        return [dict(r) for r in rows]


# -- the outbox ----------------------------------------------------------------------------


def chat_key(item: Outbound) -> str:
    """The conversation an item belongs to: the ambassador's chat, or their thread in the
    officers' group (general notices share one key)."""
    if item.lane == Lane.AMBASSADOR:
        return item.address
    return f"amb:{item.ambassador_id}" if item.ambassador_id is not None else ""


def _not_in(column: str, values: Collection[str]) -> str:
    """A condition leaving out `values` (bound as parameters, in sorted order)."""
    return f" AND {column} NOT IN ({marks(values)})" if values else ""


# Where `/*skip*/` is, `_not_in` leaves out the conversations a sender must pass over.
_CLAIM = (
    "UPDATE outbox SET status = 'sending', attempts = attempts + 1 WHERE id = ("
    " SELECT o.id FROM outbox o WHERE o.lane = ? AND o.channel = ?"
    " AND o.status = 'pending' AND o.next_attempt_at <= ? AND o.priority <= ? /*skip*/"
    " AND NOT EXISTS ("
    "  SELECT 1 FROM outbox e WHERE e.lane = o.lane AND e.channel = o.channel"
    "  AND e.chat_key = o.chat_key AND e.status IN ('pending', 'sending')"
    "  AND e.id < o.id AND e.priority <= o.priority)"
    " ORDER BY o.priority, o.fair_tag, o.id LIMIT 1)"
    " RETURNING id, payload, attempts, priority, fair_tag"
)
_NEXT_DUE = (
    "SELECT MIN(next_attempt_at) AS t FROM outbox WHERE lane = ? AND channel = ?"
    " AND status = 'pending' /*skip*/"
)

FAIR_BELOW = Priority.PUSH  # pushes go one per recipient: no sender to be fair between


class OutboxQueue(Repo):
    def __init__(
        self,
        conn: sqlite3.Connection,
        touched: set[tuple[str, str]],
        urgent: list[tuple[int, Outbound]],
    ) -> None:
        super().__init__(conn)
        self._touched = touched  # lanes with new items: their senders are woken after commit
        self._urgent = urgent  # urgent items added: the senders keep them in memory too

    async def add(
        self, item: Outbound, now: datetime, *, not_before: datetime | None = None
    ) -> int:
        """Queue an item. Below push priority it gets a fair-queueing tag: one after the
        later of the lane's clock (where service has got to) and its sender's last tag."""
        self._touched.add((item.lane, item.channel))
        key = chat_key(item)
        priority = int(item.priority)
        values = (
            item.lane,
            item.channel,
            item.address,
            key,
            priority,
            item.kind,
            dump_outbound(item),
            to_db(not_before or now),
            to_db(now),
        )
        if priority >= FAIR_BELOW:
            return await self._insert(
                "INSERT INTO outbox (lane, channel, address, chat_key, priority, kind, payload,"
                " next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )
        lane = (item.lane, item.channel, priority)
        new_id: int = await self._insert(
            "INSERT INTO outbox (lane, channel, address, chat_key, priority, kind, payload,"
            " next_attempt_at, created_at, fair_tag) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1 + MAX("
            " COALESCE((SELECT vtime FROM outbox_clock WHERE lane = ? AND channel = ?"
            " AND priority = ?), 0),"
            " COALESCE((SELECT last_tag FROM outbox_senders WHERE lane = ? AND channel = ?"
            " AND priority = ? AND chat_key = ?), 0)))",
            (*values, *lane, *lane, key),
        )
        await self._exec(
            "INSERT INTO outbox_senders (lane, channel, priority, chat_key, last_tag)"
            " SELECT lane, channel, priority, chat_key, fair_tag FROM outbox WHERE id = ?"
            " ON CONFLICT (lane, channel, priority, chat_key)"
            " DO UPDATE SET last_tag = excluded.last_tag",
            (new_id,),
        )
        if item.priority <= Priority.ACUTE:
            self._urgent.append((new_id, item))
        return new_id

    async def claim(
        self,
        lane: str,
        channel: str,
        now: datetime,
        *,
        max_priority: int | None = None,
        skip: Collection[str] = (),
    ) -> tuple[int, Outbound, int] | None:
        """Take the next item to send: due, and the first of its conversation among items at
        least as urgent (nothing earlier waiting for a retry or in flight), the most urgent
        first, senders served in turn within a priority; none of the conversations in `skip`
        (senders who have had their share for now). One statement: chosen and marked
        'sending' together."""
        most = max_priority if max_priority is not None else max(Priority)
        params: list[Any] = [lane, channel, to_db(now), most, *sorted(skip)]
        rows = await self._all(
            _CLAIM.replace("/*skip*/", _not_in("o.chat_key", skip)),
            params,
        )
        if not rows:
            return None
        row = rows[0]
        if row["fair_tag"]:
            await self._exec(
                "INSERT INTO outbox_clock (lane, channel, priority, vtime) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (lane, channel, priority) DO UPDATE"
                " SET vtime = MAX(vtime, excluded.vtime)",
                (lane, channel, row["priority"], row["fair_tag"]),
            )
        try:
            item = load_outbound(row["payload"])
        except (ValueError, KeyError, TypeError) as exc:
            # One unreadable row must not block its conversation forever.
            await self._exec(
                "UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ?",
                (f"unreadable: {type(exc).__name__}", row["id"]),
            )
            return None
        return int(row["id"]), item, int(row["attempts"])

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
        return [(int(r["id"]), load_outbound(r["payload"])) for r in rows]

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

    async def update_pending_text(self, item_id: int, item: Outbound) -> bool:
        """Rewrite an item not yet taken by a sender (a digest that grows); False if taken."""
        changed = await self._exec(
            "UPDATE outbox SET payload = ? WHERE id = ? AND status = 'pending'",
            (dump_outbound(item), item_id),
        )
        if changed == 1 and item.priority <= Priority.ACUTE:
            self._urgent.append((item_id, item))  # the senders' copy grows with it
        return changed == 1

    async def pending_of_kind(
        self, lane: str, channel: str, key: str, kind: str
    ) -> tuple[int, Outbound] | None:
        """The newest item of a kind still waiting for a conversation (to join onto it)."""
        row = await self._one(
            "SELECT id, payload FROM outbox WHERE lane = ? AND channel = ? AND chat_key = ?"
            " AND status = 'pending' AND kind = ? ORDER BY id DESC LIMIT 1",
            (lane, channel, key, kind),
        )
        return (int(row["id"]), load_outbound(row["payload"])) if row else None

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
            " WHERE lane = 'ambassador' AND channel = ? AND chat_key = ? AND status = 'pending'"
            " AND kind = 'push'",
            (channel, address),
        )
        for row in rows:
            await self.done(int(row["id"]), "failed", now, error=reason)
        return [int(r["delivery"]) for r in rows if r["delivery"] is not None]

    async def recent_sends(
        self, lane: str, channel: str, since: datetime, now: datetime, limit: int = 100
    ) -> list[datetime]:
        """When a lane's latest sends went out, from `since` on: a restart resumes a rate
        window (a group's messages a minute) where the last run left it. An item a crash
        left in flight counts as sent now: it may have reached the platform."""
        rows = await self._all(
            "SELECT COALESCE(done_at, ?) AS at FROM outbox WHERE lane = ? AND channel = ?"
            " AND (status = 'sending' OR (status = 'sent' AND done_at >= ?))"
            " ORDER BY id DESC LIMIT ?",
            (to_db(now), lane, channel, to_db(since), limit),
        )
        return [at for r in rows if (at := from_db(r["at"])) is not None]

    async def release_inflight(self) -> int:
        """After a crash, items that were being sent go back to the queue."""
        return await self._exec("UPDATE outbox SET status = 'pending' WHERE status = 'sending'")

    async def next_due(
        self, lane: str, channel: str, *, skip: Collection[str] = ()
    ) -> datetime | None:
        row = await self._one(
            _NEXT_DUE.replace("/*skip*/", _not_in("chat_key", skip)),
            (lane, channel, *sorted(skip)),
        )
        return from_db(row["t"]) if row else None

    async def waiting(self, cap: int = 10_000) -> tuple[int, datetime | None]:
        """How many items wait (counted up to `cap`, so health never reads the whole table)
        and since when the oldest has waited."""
        row = await self._one(
            "SELECT COUNT(*) AS n FROM (SELECT 1 FROM outbox WHERE status = 'pending' LIMIT ?)",
            (cap,),
        )
        oldest = await self._one(
            "SELECT created_at AS t FROM outbox WHERE status = 'pending' ORDER BY id LIMIT 1"
        )
        return (int(row["n"]) if row else 0), (from_db(oldest["t"]) if oldest else None)
