"""Times are stored as ISO 8601 text in UTC, so they sort and compare as strings."""

from __future__ import annotations

from datetime import UTC, datetime


def to_db(at: datetime) -> str:
    if at.tzinfo is None:
        raise ValueError("naive datetime given to storage")
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def from_db(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def from_db_req(value: str) -> datetime:
    return datetime.fromisoformat(value)
