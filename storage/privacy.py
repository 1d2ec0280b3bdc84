"""Data protection in the database: everything held about one ambassador (export), erasing
them (rows removed or anonymised in every table), and the retention purge.

Export and erasure each walk a list of per-aggregate steps. A table this module does not
know that has an `ambassador_id` column (added by a later feature) is still exported and
erased, by that column, so a new aggregate cannot be forgotten; give it its own step when
it needs more than that.

Erasure keeps what the district's figures and accountability need, without the person:
messages keep their route, time and status but lose text, sender and platform ids; the audit
log keeps who did what and when, with the person replaced by "ambassador:erased". The file
itself holds no trace once the transaction is checkpointed: `secure_delete` is on for every
connection (storage/db.py), so freed space is overwritten.
"""

from __future__ import annotations

import html
import json
import re
import sqlite3
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from flows.model import Ambassador, Channel, Erasure
from storage.base import Repo, Row, marks
from storage.timefmt import to_db

ERASED = "[slettet]"
ERASED_SUBJECT = "ambassador:erased"
# Tables that the steps below handle themselves; any other table with an ambassador_id
# column is exported and cleared by that column.
KNOWN = frozenset(
    {
        "ambassadors",
        "messages",
        "sms_messages",
        "broadcast_deliveries",
        "tips_received",
        "invitations",
        "officer_threads",
        "group_messages",
    }
)

Exporter = Callable[["Privacy", Ambassador], Awaitable[list[dict[str, Any]]]]


def _rows(rows: Iterable[Row]) -> list[dict[str, Any]]:
    return [dict(r) for r in rows]


def identifiers(amb: Ambassador) -> list[str]:
    """What names the person in free text: their name, their address, and the ways a phone
    number is written (+4520123456, 20123456, 20 12 34 56)."""
    found = [amb.address]
    if len(amb.name.strip()) >= 3:
        found.append(amb.name.strip())
    if amb.channel == Channel.SMS and amb.address.startswith("+45") and len(amb.address) == 11:
        national = amb.address[3:]
        found += [national, " ".join(national[i : i + 2] for i in range(0, 8, 2))]
    forms: list[str] = []
    for value in found:
        escaped = (html.escape(value, quote=False), json.dumps(value, ensure_ascii=False)[1:-1])
        for form in (value, *escaped):
            if form not in forms:
                forms.append(form)
    return sorted(forms, key=len, reverse=True)  # longest first: "Anna Holm" before "Anna"


def _pattern(forms: Sequence[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w+])(?:" + "|".join(re.escape(f) for f in forms) + r")(?!\w)")


class Privacy(Repo):
    def __init__(self, conn: sqlite3.Connection) -> None:
        super().__init__(conn)
        self.erased: list[Erasure] = []  # read after commit: channels scrub their own copies

    # -- export ----------------------------------------------------------------------------

    async def export(self, amb: Ambassador) -> dict[str, Any]:
        """Every row held about the person, by aggregate."""
        out: dict[str, Any] = {}
        for key, exporter in EXPORTERS:
            out[key] = await exporter(self, amb)
        for table in await self._other_tables():
            rows = await self._all(f'SELECT * FROM "{table}" WHERE ambassador_id = ?', (amb.id,))  # noqa: S608 (names from the schema)
            out[table] = _rows(rows)
        return out

    async def _other_tables(self) -> list[str]:
        """Tables with an ambassador_id column that no step here knows."""
        tables = await self._all(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY name"
        )
        found = []
        for row in tables:
            name = row["name"]
            if name in KNOWN:
                continue
            columns = await self._all(f'PRAGMA table_info("{name}")')
            if any(c["name"] == "ambassador_id" for c in columns):
                found.append(name)
        return found

    async def _message_ids(self, amb: Ambassador) -> list[int]:
        rows = await self._all("SELECT id FROM messages WHERE ambassador_id = ?", (amb.id,))
        return [int(r["id"]) for r in rows]

    async def _export_messages(self, amb: Ambassador) -> list[dict[str, Any]]:
        rows = await self._all(
            "SELECT id, direction, channel, text, media_kind, route, intent, matched, officer_id,"
            " status, error, segments, encoding, created_at, updated_at FROM messages"
            " WHERE ambassador_id = ? ORDER BY id",
            (amb.id,),
        )
        out = _rows(rows)
        for record in out:
            record["matched"] = json.loads(record["matched"] or "[]")
        return out

    async def _export_bot_messages(self, amb: Ambassador) -> list[dict[str, Any]]:
        """What the bot itself said to them (answers, 112 and 114 texts, pushes)."""
        rows = await self._all(
            "SELECT id, kind, json_extract(payload, '$.text') AS text, status, created_at,"
            " done_at FROM outbox WHERE lane = 'ambassador' AND channel = ? AND address = ?"
            " ORDER BY id",
            (amb.channel, amb.address),
        )
        return _rows(rows)

    async def _export_deliveries(self, amb: Ambassador) -> list[dict[str, Any]]:
        rows = await self._all(
            "SELECT d.id, o.broadcast_id, b.title, d.channel, d.status, d.reason, d.tip_id,"
            " d.message_id, d.created_at, d.sent_at, d.answered_at"
            " FROM broadcast_deliveries d JOIN broadcast_occurrences o ON o.id = d.occurrence_id"
            " JOIN broadcasts b ON b.id = o.broadcast_id WHERE d.ambassador_id = ? ORDER BY d.id",
            (amb.id,),
        )
        return _rows(rows)

    async def _export_sms(self, amb: Ambassador) -> list[dict[str, Any]]:
        ids = await self._message_ids(amb)
        sql = (
            "SELECT sid, kind, message_id, part, parts, segments, encoding, status, error_code,"
            " created_at, updated_at FROM sms_messages WHERE ambassador_id = ?"
            " OR message_id IN ({}) ORDER BY created_at"
        )
        rows = await self._all(sql.format(marks(ids)), (amb.id, *ids))
        return _rows(rows)

    async def _export_tips(self, amb: Ambassador) -> list[dict[str, Any]]:
        rows = await self._all(
            "SELECT tip_id, at FROM tips_received WHERE ambassador_id = ? ORDER BY at", (amb.id,)
        )
        return _rows(rows)

    async def _export_invitations(self, amb: Ambassador) -> list[dict[str, Any]]:
        rows = await self._all(
            "SELECT id, area_id, officer_id, channel, phone, created_by, created_at, expires_at,"
            " used_at FROM invitations WHERE ambassador_id = ? OR (phone IS NOT NULL AND phone = ?)"
            " ORDER BY id",
            (amb.id, amb.address),
        )
        return _rows(rows)

    async def _export_threads(self, amb: Ambassador) -> list[dict[str, Any]]:
        rows = await self._all(
            "SELECT chat_id, thread_id, created_at FROM officer_threads WHERE ambassador_id = ?",
            (amb.id,),
        )
        return _rows(rows)

    async def _audit_rows(self, amb: Ambassador) -> list[Row]:
        """Entries by or about them: as actor, as subject, or about their messages and
        invitations."""
        subjects = [f"ambassador:{amb.id}"]
        subjects += [f"message:{i}" for i in await self._message_ids(amb)]
        invitations = await self._all(
            "SELECT id FROM invitations WHERE ambassador_id = ?", (amb.id,)
        )
        subjects += [f"invitation:{r['id']}" for r in invitations]
        sql = "SELECT * FROM audit WHERE actor = ? OR subject IN ({}) ORDER BY id"
        return await self._all(sql.format(marks(subjects)), (f"ambassador:{amb.id}", *subjects))

    async def _export_audit(self, amb: Ambassador) -> list[dict[str, Any]]:
        out = _rows(await self._audit_rows(amb))
        for record in out:
            record["details"] = json.loads(record["details"] or "{}")
        return out

    # -- erasure ---------------------------------------------------------------------------

    async def erase(self, amb: Ambassador) -> Erasure:
        """Remove or anonymise every row about the person; returns what was done and the
        forum topics the officers' group should close."""
        await self._exec("PRAGMA defer_foreign_keys = ON")
        counts: dict[str, int] = {}
        forms = identifiers(amb)
        topics = tuple(
            (int(r["chat_id"]), int(r["thread_id"]))
            for r in await self._all(
                "SELECT chat_id, thread_id FROM officer_threads WHERE ambassador_id = ?", (amb.id,)
            )
        )
        group = {
            (int(r["chat_id"]), int(r["group_message_id"]))
            for r in await self._all(
                "SELECT chat_id, group_message_id FROM group_messages WHERE ambassador_id = ?",
                (amb.id,),
            )
        }
        message_ids = await self._message_ids(amb)
        audit_ids = [int(r["id"]) for r in await self._audit_rows(amb)]

        # Arrivals from them (those still waiting are handled as from anyone else), and what
        # officers wrote in their thread or in reply to their messages.
        counts["inbox"] = await self._exec(
            "DELETE FROM inbox WHERE kind = 'ambassador' AND status <> 'received'"
            " AND json_extract(payload, '$.channel') = ?"
            " AND json_extract(payload, '$.address') = ?",
            (amb.channel, amb.address),
        )
        counts["inbox"] += await self._erase_officer_arrivals(topics, group)
        # Everything to them or about them, waiting or sent.
        counts["outbox"] = await self._exec(
            "DELETE FROM outbox WHERE (lane = 'ambassador' AND channel = ? AND address = ?)"
            " OR json_extract(payload, '$.ambassador_id') = ?",
            (amb.channel, amb.address, amb.id),
        )
        counts["group_messages"] = await self._exec(
            "DELETE FROM group_messages WHERE ambassador_id = ?", (amb.id,)
        )
        counts["officer_threads"] = await self._exec(
            "DELETE FROM officer_threads WHERE ambassador_id = ?", (amb.id,)
        )
        sql = (
            "UPDATE sms_messages SET ambassador_id = NULL, sid = 'erased:' || hex(randomblob(8))"
            " WHERE ambassador_id = ? OR message_id IN ({})"
        )
        counts["sms_messages"] = await self._exec(
            sql.format(marks(message_ids)), (amb.id, *message_ids)
        )
        counts["messages"] = await self._exec(
            "UPDATE messages SET ambassador_id = NULL, text = '', matched = '[]',"
            " platform_id = NULL, error = NULL WHERE ambassador_id = ?",
            (amb.id,),
        )
        counts["broadcast_deliveries"] = await self._exec(
            "DELETE FROM broadcast_deliveries WHERE ambassador_id = ?", (amb.id,)
        )
        counts["tips_received"] = await self._exec(
            "DELETE FROM tips_received WHERE ambassador_id = ?", (amb.id,)
        )
        counts["invitations"] = await self._exec(
            "UPDATE invitations SET ambassador_id = NULL, phone = NULL"
            " WHERE ambassador_id = ? OR (phone IS NOT NULL AND phone = ?)",
            (amb.id, amb.address),
        )
        counts["stranger_answers"] = await self._exec(
            "DELETE FROM stranger_answers WHERE channel = ? AND address = ?",
            (amb.channel, amb.address),
        )
        # The outbox's bookkeeping (order and fairness per conversation) and rate limits name
        # the chat, and a quarantined arrival may hold it: none of it may outlive her.
        keys = (amb.address, f"amb:{amb.id}")
        counts["outbox_senders"] = await self._exec(
            "DELETE FROM outbox_senders WHERE chat_key IN (?, ?)", keys
        )
        counts["rate_limits"] = await self._exec(
            "DELETE FROM rate_limits WHERE key LIKE ? OR key LIKE ?",
            (f"%:{amb.address}", f"%:{amb.id}"),
        )
        counts["quarantine"] = await self._exec(
            "DELETE FROM quarantine WHERE instr(raw, ?) > 0 OR instr(dedupe_key, ?) > 0",
            (amb.address, amb.address),
        )
        if amb.channel == Channel.TELEGRAM and amb.address.lstrip("-").isdigit():
            counts["broadcast_drafts"] = await self._exec(
                "DELETE FROM broadcast_drafts WHERE user_id = ?", (int(amb.address),)
            )
        for table in await self._other_tables():
            counts[table] = await self._exec(
                f'DELETE FROM "{table}" WHERE ambassador_id = ?',  # noqa: S608
                (amb.id,),
            )
        sql = (
            "UPDATE audit SET actor = CASE WHEN actor = ? THEN ? ELSE actor END,"
            " subject = CASE WHEN subject = ? THEN ? ELSE subject END WHERE id IN ({})"
        )
        me = f"ambassador:{amb.id}"
        counts["audit"] = await self._exec(
            sql.format(marks(audit_ids)), (me, ERASED_SUBJECT, me, ERASED_SUBJECT, *audit_ids)
        )
        counts["mentions"] = await self._scrub(amb, forms, others_messages=" " in amb.name.strip())
        counts["ambassadors"] = await self._exec("DELETE FROM ambassadors WHERE id = ?", (amb.id,))
        done = Erasure(amb, {k: v for k, v in counts.items() if v}, topics)
        self.erased.append(done)
        return done

    async def _erase_officer_arrivals(
        self, topics: Sequence[tuple[int, int]], group: set[tuple[int, int]]
    ) -> int:
        if not topics and not group:
            return 0
        rows = await self._all(
            "SELECT id, json_extract(payload, '$.chat_id') AS chat,"
            " json_extract(payload, '$.thread_id') AS thread,"
            " json_extract(payload, '$.reply_to_message_id') AS reply FROM inbox"
            " WHERE kind = 'officer' AND status <> 'received'"
        )
        doomed = [
            int(r["id"])
            for r in rows
            if (r["chat"], r["thread"]) in set(topics) or (r["chat"], r["reply"]) in group
        ]
        for start in range(0, len(doomed), 500):
            chunk = doomed[start : start + 500]
            await self._exec(f"DELETE FROM inbox WHERE id IN ({marks(chunk)})", chunk)  # noqa: S608
        return len(doomed)

    async def _scrub(self, amb: Ambassador, forms: Sequence[str], *, others_messages: bool) -> int:
        """Replace the person's name, number or chat id where they appear in free text (a
        notice about them gathered with others', an officer's /inviter, an audit detail).
        Audit actors are labels (telegram:<id>, sms:<number>): those are matched exactly."""
        changed = await self._exec(
            "UPDATE audit SET actor = ? WHERE actor = ?",
            (f"{amb.channel}:{ERASED}", f"{amb.channel}:{amb.address}"),
        )
        pattern = _pattern(forms)
        places = [("inbox", "payload", ""), ("outbox", "payload", ""),
                  ("audit", "details", "details <> '{}' AND")]  # fmt: skip
        if others_messages:  # only a full name is safe to look for in other people's words
            places.append(("messages", "text", "text <> '' AND"))
        for table, column, first in places:
            where = " OR ".join(f"instr({column}, ?) > 0" for _ in forms)
            rows = await self._all(
                f"SELECT rowid AS rid, {column} AS value FROM {table}"  # noqa: S608
                f" WHERE {first} ({where})",
                forms,
            )
            for row in rows:
                cleaned = pattern.sub(ERASED, row["value"])
                if cleaned != row["value"]:
                    await self._exec(
                        f"UPDATE {table} SET {column} = ? WHERE rowid = ?",  # noqa: S608
                        (cleaned, row["rid"]),
                    )
                    changed += 1
        return changed

    # -- retention -------------------------------------------------------------------------

    async def purge(
        self,
        *,
        messages: datetime,
        inbox: datetime,
        outbox: datetime,
        strangers: datetime,
        audit: datetime,
        limit: int = 2000,
    ) -> dict[str, int]:
        """Remove what is older than each kind's cut-off, at most `limit` rows of each kind
        (call again until nothing is left: short transactions keep the 112 answer fast);
        returns rows touched per kind."""
        cutoffs = {
            "message_texts": messages,
            "inbox": inbox,
            "outbox": outbox,
            "strangers": strangers,
            "audit": audit,
        }
        return {
            kind: await self._exec(PURGES[kind], (to_db(cutoffs[kind]), limit)) for kind in PURGES
        }


# One statement per kind; each touches at most LIMIT rows (the second parameter) and finds
# them by an index, so a backlog goes in many short transactions without rescanning.
PURGES = {
    # messages_unpurged (migration 0004) indexes exactly the rows that still hold text or a
    # platform id (which holds the chat id); the WHERE term must read as the index's does.
    "message_texts": "UPDATE messages SET text = '', matched = '[]', platform_id = NULL"
    " WHERE rowid IN (SELECT rowid FROM messages WHERE created_at < ?"
    " AND (text <> '' OR platform_id IS NOT NULL) LIMIT ?)",
    "inbox": "DELETE FROM inbox WHERE rowid IN (SELECT rowid FROM inbox"
    " WHERE received_at < ? AND status <> 'received' LIMIT ?)",
    # Sent and failed rows have done_at; one failed as unreadable may lack it (the last term).
    "outbox": "DELETE FROM outbox WHERE rowid IN (SELECT rowid FROM outbox"
    " WHERE status IN ('sent', 'failed') AND done_at < ?1"
    " UNION ALL SELECT rowid FROM outbox WHERE status = 'failed' AND done_at IS NULL"
    " AND created_at < ?1 LIMIT ?2)",
    "strangers": "DELETE FROM stranger_answers WHERE rowid IN (SELECT rowid"
    " FROM stranger_answers WHERE answered_at < ? LIMIT ?)",
    "audit": "DELETE FROM audit WHERE rowid IN (SELECT rowid FROM audit WHERE at < ? LIMIT ?)",
}


EXPORTERS: list[tuple[str, Exporter]] = [
    ("messages", Privacy._export_messages),
    ("bot_messages", Privacy._export_bot_messages),
    ("deliveries", Privacy._export_deliveries),
    ("sms", Privacy._export_sms),
    ("tips_received", Privacy._export_tips),
    ("invitations", Privacy._export_invitations),
    ("officer_threads", Privacy._export_threads),
    ("audit", Privacy._export_audit),
]
