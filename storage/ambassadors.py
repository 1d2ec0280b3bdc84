"""Ambassadors: who they are, their channel and address, area, officer and state.

Every change of state, area or officer also appends a row to `ambassador_history`, so the
figures can count an ambassador where they were at the time. An ended partnership is stored
as state 'paused' with `ended_at` set (see migration 0004) and read back as ENDED.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flows.model import Ambassador, AmbassadorState, Channel, RegisterEntry
from storage.base import Repo, Row, marks
from storage.timefmt import from_db, from_db_req, to_db

_STATE = "CASE WHEN ended_at IS NOT NULL THEN 'ended' ELSE state END"


def ambassador_from_row(row: Row) -> Ambassador:
    ended_at = from_db(row["ended_at"])
    return Ambassador(
        id=row["id"],
        channel=Channel(row["channel"]),
        address=row["address"],
        name=row["name"],
        area_id=row["area_id"],
        officer_id=row["officer_id"],
        state=AmbassadorState.ENDED if ended_at else AmbassadorState(row["state"]),
        language=row["language"],
        created_at=from_db_req(row["created_at"]),
        agreement_version=row["agreement_version"],
        accepted_at=from_db(row["accepted_at"]),
        unreachable=bool(row["unreachable"]),
        offhours_notice_at=from_db(row["offhours_notice_at"]),
        last_officer_reply_at=from_db(row["last_officer_reply_at"]),
        ended_at=ended_at,
    )


class Ambassadors(Repo):
    async def get(self, ambassador_id: int) -> Ambassador | None:
        row = await self._one("SELECT * FROM ambassadors WHERE id = ?", (ambassador_id,))
        return ambassador_from_row(row) if row else None

    async def by_address(self, channel: Channel, address: str) -> Ambassador | None:
        row = await self._one(
            "SELECT * FROM ambassadors WHERE channel = ? AND address = ?", (channel, address)
        )
        return ambassador_from_row(row) if row else None

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
        await self._history(new_id, now)
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
            " NULL, accepted_at = NULL, unreachable = 0, ended_at = NULL, updated_at = ?"
            " WHERE id = ?",
            (area_id, officer_id, state, to_db(now), ambassador_id),
        )
        await self._history(ambassador_id, now)

    async def move(
        self, ambassador_id: int, *, area_id: str, officer_id: str, now: datetime
    ) -> None:
        """Another area or officer; the partnership (and its accepted agreement) goes on."""
        await self._exec(
            "UPDATE ambassadors SET area_id = ?, officer_id = ?, updated_at = ? WHERE id = ?",
            (area_id, officer_id, to_db(now), ambassador_id),
        )
        await self._history(ambassador_id, now)

    async def rename(self, ambassador_id: int, name: str, now: datetime) -> None:
        await self._exec(
            "UPDATE ambassadors SET name = ?, updated_at = ? WHERE id = ?",
            (name, to_db(now), ambassador_id),
        )

    async def set_state(self, ambassador_id: int, state: AmbassadorState, now: datetime) -> None:
        if state == AmbassadorState.ENDED:
            sql = (
                "UPDATE ambassadors SET state = 'paused', ended_at = ?, updated_at = ? WHERE id = ?"
            )
            params: tuple[Any, ...] = (to_db(now), to_db(now), ambassador_id)
        else:
            sql = "UPDATE ambassadors SET state = ?, ended_at = NULL, updated_at = ? WHERE id = ?"
            params = (state, to_db(now), ambassador_id)
        await self._exec(sql, params)
        await self._history(ambassador_id, now)

    async def accept(self, ambassador_id: int, version: str, now: datetime) -> None:
        await self._exec(
            "UPDATE ambassadors SET state = 'active', agreement_version = ?, accepted_at = ?,"
            " ended_at = NULL, updated_at = ? WHERE id = ?",
            (version, to_db(now), to_db(now), ambassador_id),
        )
        await self._history(ambassador_id, now)

    async def _history(self, ambassador_id: int, now: datetime) -> None:
        await self._exec(
            "INSERT INTO ambassador_history (ambassador_id, state, area_id, officer_id, at)"  # noqa: S608 (constant text)
            f" SELECT id, {_STATE}, area_id, officer_id, ? FROM ambassadors WHERE id = ?",
            (to_db(now), ambassador_id),
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
            values = [str(s) for s in states]
            sql += f" AND {_STATE} IN ({marks(values)})"
            params += values
        if areas is not None:
            area_ids = list(areas)
            sql += f" AND area_id IN ({marks(area_ids)})"
            params += area_ids
        if channel is not None:
            sql += " AND channel = ?"
            params.append(channel)
        return [ambassador_from_row(r) for r in await self._all(sql + " ORDER BY id", params)]

    async def register(self, *, areas: Iterable[str] | None = None) -> list[RegisterEntry]:
        """Everyone who has been invited, with when they last wrote (newest ambassadors last)."""
        sql = (
            "SELECT a.*, (SELECT MAX(m.created_at) FROM messages m WHERE m.ambassador_id = a.id"
            " AND m.direction = 'in') AS last_message_at FROM ambassadors a"
        )
        params: list[Any] = []
        if areas is not None:
            area_ids = list(areas)
            sql += f" WHERE a.area_id IN ({marks(area_ids)})"
            params += area_ids
        rows = await self._all(sql + " ORDER BY a.id", params)
        return [RegisterEntry(ambassador_from_row(r), from_db(r["last_message_at"])) for r in rows]
