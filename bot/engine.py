"""What runs in every mode, production or sandbox: the inbox, the outbox senders and the
broadcast scheduler, started and stopped in the right order."""

from __future__ import annotations

import asyncio
import contextlib

from bot.inbox import Inbox
from bot.outbox import Dispatcher, LaneSpec
from bot.scheduler import BroadcastScheduler
from flows.context import FlowContext
from storage.db import Database


class Engine:
    def __init__(
        self, db: Database, ctx: FlowContext, lanes: list[LaneSpec], *, sweep_every: float = 5.0
    ) -> None:
        self.inbox = Inbox(db, ctx)
        self.dispatcher = Dispatcher(db, ctx, lanes)
        self.scheduler = BroadcastScheduler(db, ctx, sweep_every=sweep_every)
        self._inbox_task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Senders first (they resend what was in flight), then what arrived while we were
        down, then new arrivals and the schedule."""
        await self.dispatcher.start()
        await self.inbox.drain()
        self._inbox_task = asyncio.create_task(self.inbox.run(), name="inbox")
        await self.scheduler.start()

    async def stop(self, grace: float = 5.0) -> None:
        """Take no new work, let sends in flight finish; the rest waits in the database."""
        if self._inbox_task is not None:
            self._inbox_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._inbox_task
            self._inbox_task = None
        await self.scheduler.stop()
        await self.dispatcher.stop(grace=grace)
