"""The officers' group: one forum topic per ambassador, and which group message belongs to whom
(so that an officer's reply maps back to the ambassador and the message it answers)."""

from __future__ import annotations

from datetime import datetime

from storage.base import Repo
from storage.timefmt import from_db, to_db


class Threads(Repo):
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
        await self._exec(
            "DELETE FROM topic_requests WHERE ambassador_id = ? AND chat_id = ?",
            (ambassador_id, chat_id),
        )

    async def forget_topic(self, ambassador_id: int, chat_id: int) -> None:
        await self._exec(
            "DELETE FROM officer_threads WHERE ambassador_id = ? AND chat_id = ?",
            (ambassador_id, chat_id),
        )
        await self._exec(
            "DELETE FROM topic_requests WHERE ambassador_id = ? AND chat_id = ?",
            (ambassador_id, chat_id),
        )

    async def request_topic(
        self, ambassador_id: int, chat_id: int, name: str, now: datetime
    ) -> None:
        """A topic is about to be created: recorded first, in case the answer is lost."""
        await self._exec(
            "INSERT OR REPLACE INTO topic_requests (ambassador_id, chat_id, name, requested_at)"
            " VALUES (?, ?, ?, ?)",
            (ambassador_id, chat_id, name, to_db(now)),
        )

    async def topic_requested(self, ambassador_id: int, chat_id: int) -> datetime | None:
        row = await self._one(
            "SELECT requested_at FROM topic_requests WHERE ambassador_id = ? AND chat_id = ?",
            (ambassador_id, chat_id),
        )
        return from_db(row["requested_at"]) if row else None

    async def found_topic(
        self, chat_id: int, thread_id: int, name: str, now: datetime
    ) -> int | None:
        """A topic seen in the group whose creation's answer was lost: it is the ambassador's
        topic after all. Returns the ambassador, if it was one of ours."""
        row = await self._one(
            "SELECT ambassador_id FROM topic_requests WHERE chat_id = ? AND name = ?"
            " ORDER BY requested_at DESC LIMIT 1",
            (chat_id, name),
        )
        if row is None:
            return None
        ambassador_id = int(row["ambassador_id"])
        await self.set_topic(ambassador_id, chat_id, thread_id, now)
        return ambassador_id

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
