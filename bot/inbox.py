"""Arrivals are classified and stored (deduplicated) first, then handled one by one.

Handling an arrival and marking it handled happen in one transaction, so a crash or restart
loses nothing and handles nothing twice.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import sqlite3

from flows import arrivals
from flows.context import FlowContext
from flows.model import Inbound, OfficerMessage
from storage.db import Database
from storage.queues import dump_inbound, dump_officer, load_inbound, load_officer

log = logging.getLogger(__name__)


class Inbox:
    def __init__(self, db: Database, ctx: FlowContext) -> None:
        self._db = db
        self._ctx = ctx
        self._wake = asyncio.Event()
        self.handled = 0
        self.failed = 0

    async def receive(self, item: Inbound | OfficerMessage) -> bool:
        """Classify and persist an arrival. False when it was a duplicate (a platform retry)."""
        if isinstance(item, Inbound):
            words = item.words
            if words.strip() and item.classification is None:
                found = self._ctx.classifier.classify(words)
                item = dataclasses.replace(item, classification=found)
            kind, payload = "ambassador", dump_inbound(item)
        else:
            kind, payload = "officer", dump_officer(item)
        async with self._db.transaction() as tx:
            new_id = await tx.inbox.add(item.dedupe_key, kind, payload, self._ctx.clock.now())
        if new_id is None:
            log.info("duplicate arrival ignored")
            return False
        self._wake.set()
        return True

    async def run(self) -> None:
        while True:
            try:
                await self._drain()
            except Exception:
                # The database was busy or broken for a moment: keep the arrivals, try again.
                log.exception("inbox: could not read or record arrivals; retrying")
                await asyncio.sleep(1.0)
                continue
            await self._wake.wait()
            self._wake.clear()

    async def drain(self) -> None:
        """Handle everything waiting (at start-up, and in tests)."""
        await self._drain()

    async def _drain(self) -> None:
        while True:
            async with self._db.read() as tx:
                batch = await tx.inbox.pending(limit=50)
            if not batch:
                return
            for inbox_id, kind, payload in batch:
                await self._handle(inbox_id, kind, payload)

    async def _handle(self, inbox_id: int, kind: str, payload: str) -> None:
        """Handle one arrival. A busy database is retried (the arrival stays waiting); any
        other error marks that one arrival failed so it cannot block the rest."""
        try:
            async with self._db.transaction() as tx:
                if kind == "ambassador":
                    await arrivals.handle_inbound(self._ctx, tx, load_inbound(payload))
                else:
                    await arrivals.handle_officer(self._ctx, tx, load_officer(payload))
                await tx.inbox.mark(inbox_id, "handled", self._ctx.clock.now())
            self.handled += 1
        except sqlite3.OperationalError:
            log.warning("arrival %s: database busy; will retry", inbox_id)
            raise
        except Exception as exc:
            # One bad arrival must not stop the others: record it and go on.
            log.exception("arrival %s (%s) could not be handled", inbox_id, kind)
            self.failed += 1
            async with self._db.transaction() as tx:
                await tx.inbox.mark(
                    inbox_id,
                    "failed",
                    self._ctx.clock.now(),
                    error=f"{type(exc).__name__}: {exc}"[:500],
                )
