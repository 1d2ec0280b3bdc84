"""Every SMS handed to Twilio: what it cost, and its delivery status from status callbacks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.base import Repo, Row
from storage.messages import moves_forward
from storage.timefmt import to_db


@dataclass(frozen=True, slots=True)
class SmsRecord:
    sid: str
    status: str
    error_code: int | None
    message_id: int | None


def _record(row: Row) -> SmsRecord:
    return SmsRecord(row["sid"], row["status"], row["error_code"], row["message_id"])


class SmsLog(Repo):
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
    ) -> SmsRecord:
        """Store a sent SMS; returns the record, whose status a faster callback may have set."""
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
        found = await self.get(sid)
        assert found is not None
        return found

    async def get(self, sid: str) -> SmsRecord | None:
        row = await self.row(sid)
        return _record(row) if row else None

    async def row(self, sid: str) -> Row | None:
        """Everything stored about one SMS (segments, encoding, parts), for reports."""
        return await self._one("SELECT * FROM sms_messages WHERE sid = ?", (sid,))

    async def set_status(
        self, sid: str, status: str, error_code: int | None, now: datetime
    ) -> tuple[bool, SmsRecord]:
        """Move forward only (callbacks arrive out of order); (moved, record after)."""
        before = await self.get(sid)
        moved = before is None or moves_forward(before.status, status)
        if before is None:
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
