"""Small persistent values: the polling offset, the bot's username, the sandbox's page."""

from __future__ import annotations

from storage.base import Repo

IDENTITY_KEY = "storage.identity"  # the database's identity (kept by storage/db.py)


class KeyValue(Repo):
    async def get(self, key: str) -> str | None:
        row = await self._one("SELECT value FROM kv WHERE key = ?", (key,))
        return str(row["value"]) if row else None

    async def set(self, key: str, value: str) -> None:
        await self._exec("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", (key, value))


class Maintenance(Repo):
    async def clear_all(self) -> None:
        """Every row of every table gone (the sandbox's "start over"); the schema stays."""
        kept = await self._one("SELECT value FROM kv WHERE key = ?", (IDENTITY_KEY,))
        identity = kept["value"] if kept else ""
        await self._exec("PRAGMA defer_foreign_keys = ON")
        rows = await self._all(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        for row in rows:
            await self._exec(f'DELETE FROM "{row["name"]}"')  # noqa: S608 (names from the schema)
        # The database's own identity stays: it is still the same file (storage/db.py).
        await self._exec(
            "INSERT OR REPLACE INTO kv (key, value) SELECT ?, ?", (IDENTITY_KEY, identity)
        )
