"""Invitations: single-use, expiring, stored by the hash of their code only."""

from __future__ import annotations

from datetime import datetime

from flows.model import Channel, Invitation
from storage.base import Repo, Row
from storage.timefmt import from_db, from_db_req, to_db


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
        name=row["name"],
        revoked_at=from_db(row["revoked_at"]),
    )


class Invitations(Repo):
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
        name: str | None = None,
    ) -> Invitation:
        new_id = await self._insert(
            "INSERT INTO invitations (code_hash, area_id, officer_id, channel, phone, created_by,"
            " created_at, expires_at, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                code_hash,
                area_id,
                officer_id,
                channel,
                phone,
                created_by,
                to_db(now),
                to_db(expires_at),
                name,
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

    async def get(self, invitation_id: int) -> Invitation | None:
        row = await self._one("SELECT * FROM invitations WHERE id = ?", (invitation_id,))
        return _invitation(row) if row else None

    async def open(self, now: datetime) -> list[Invitation]:
        """Invitations that can still be used: not used, not revoked, not expired."""
        rows = await self._all(
            "SELECT * FROM invitations WHERE used_at IS NULL AND revoked_at IS NULL"
            " AND expires_at > ? ORDER BY id",
            (to_db(now),),
        )
        return [_invitation(r) for r in rows]

    async def revoke(self, invitation_id: int, now: datetime) -> bool:
        changed = await self._exec(
            "UPDATE invitations SET revoked_at = ? WHERE id = ? AND used_at IS NULL"
            " AND revoked_at IS NULL",
            (to_db(now), invitation_id),
        )
        return changed == 1
