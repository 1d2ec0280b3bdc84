"""The running bot's side of data protection (the rules are in flows/privacy.py):

- `export_document`: an ambassador's own data as a JSON file, made when the message carrying
  it is sent, so no copy waits in the outbox.
- `Erasures`: after a transaction that erased someone, the channels scrub their own copies
  (the sandbox's page) and the write-ahead log is checkpointed, so the database files hold
  no trace of them.
- `RetentionJob`: the daily purge of what is older than `[storage] retention_days`.
- `record_configuration`: at start, role and retention changes since the last start are
  written to the audit log.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, time, timedelta
from typing import Any

from bot.config import Config
from bot.outbox import PermanentError
from flows import privacy, roles
from flows.context import FlowContext
from flows.delivery import FailReason
from flows.hours import LOCAL_TZ
from flows.model import Erasure, Outbound
from storage.db import Database
from storage.transaction import Transaction

log = logging.getLogger(__name__)

Document = Callable[[Outbound], Awaitable[tuple[str, bytes]]]
ErasureHook = Callable[[Erasure], Awaitable[None]]
PURGE_AT = time(3, 30)  # local time: after midnight's quiet, before the office opens


def export_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def export_document(db: Database, ctx: FlowContext) -> Document:
    """The JSON document an ambassador asked for with /mine_data, made at sending time."""

    async def make(item: Outbound) -> tuple[str, bytes]:
        async with db.read() as tx:
            amb = await tx.ambassadors.get(item.ambassador_id or 0)
            if amb is None:
                raise PermanentError(FailReason.BAD_REQUEST, "ambassador no longer exists")
            data = await privacy.export(ctx, tx, amb)
        day = ctx.clock.now().astimezone(LOCAL_TZ).date().isoformat()
        return f"tryghedsbot-data-{day}.json", export_json(data)

    return make


class Erasures:
    """Follows every committed erasure: channel hooks first, then a checkpoint."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self.hooks: list[ErasureHook] = []
        self._tasks: set[asyncio.Task[None]] = set()
        db.after_commit(self._on_commit)

    def _on_commit(self, tx: Transaction) -> None:
        if not tx.privacy.erased:
            return
        task = asyncio.create_task(self._follow_up(list(tx.privacy.erased)), name="erasure")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _follow_up(self, erased: list[Erasure]) -> None:
        try:
            for erasure in erased:
                for hook in self.hooks:
                    await hook(erasure)
            if not await self._db.checkpoint():
                log.warning("erasure: another connection held the log; it is emptied later")
        except Exception:
            log.exception("erasure: follow-up failed; the rows are gone, a copy may remain")

    async def wait(self) -> None:
        """Until every follow-up so far has finished (at stop, and in tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


class RetentionJob:
    """Once a day, remove what is older than each kind's retention; log and audit it."""

    def __init__(self, db: Database, ctx: FlowContext) -> None:
        self._db = db
        self._ctx = ctx
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="retention")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    def next_run(self, now: datetime) -> datetime:
        """The next PURGE_AT on Copenhagen's wall clock (right across summer-time changes)."""
        local = now.astimezone(LOCAL_TZ)
        due = datetime.combine(local.date(), PURGE_AT, tzinfo=LOCAL_TZ)
        if due <= local:
            due = datetime.combine(local.date() + timedelta(days=1), PURGE_AT, tzinfo=LOCAL_TZ)
        return due

    async def _run(self) -> None:
        while True:
            now = self._ctx.clock.now()
            await asyncio.sleep((self.next_run(now) - now).total_seconds())
            try:
                await self.run_once()
            except Exception:
                log.exception("retention purge failed; trying again tomorrow")

    async def run_once(self) -> dict[str, int]:
        now = self._ctx.clock.now()
        keep = self._ctx.settings.retention

        def before(days: int) -> datetime:
            return now - timedelta(days=days)

        async with self._db.transaction() as tx:
            counts = await tx.privacy.purge(
                messages=before(keep.message_texts),
                inbox=before(keep.inbox),
                outbox=before(keep.outbox),
                strangers=before(keep.strangers),
                audit=before(keep.audit),
            )
            await tx.audit.add("retention", "retention.purged", now, rows=counts)
        log.info("retention purge: %s", ", ".join(f"{k} {v}" for k, v in counts.items()))
        if any(counts.values()):
            await self._db.checkpoint()
        return counts


def configuration_record(config: Config, ctx: FlowContext) -> dict[str, object]:
    """What is worth an audit entry when it changes: roles, areas, retention, channels."""
    return {
        **roles.table(ctx.directory),
        "retention_days": config.storage.retention_days.model_dump(),
        "channels": {
            "sms": config.sms is not None,
            "officers_chat": config.telegram.officers_chat_id,
        },
    }


async def record_configuration(db: Database, config: Config, ctx: FlowContext) -> list[str]:
    """Audit what changed in the configuration since the last start (all of it, the first
    time); returns the changes."""
    now = configuration_record(config, ctx)
    async with db.transaction() as tx:
        stored = await tx.kv.get("config.recorded")
        before = json.loads(stored) if stored else {}
        lines = roles.changes(before, json.loads(json.dumps(now)))
        if lines:
            await tx.audit.add("configuration", "config.changed", ctx.clock.now(), changes=lines)
            await tx.kv.set("config.recorded", json.dumps(now, sort_keys=True))
    return lines
