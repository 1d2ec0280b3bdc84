"""Runs broadcasts (and tryghed pulses) on time, and reminds officers of unanswered
messages: APScheduler wakes us, the database decides what is due.

Schedules live in the database (flows/broadcasts/ computes occurrences on the local wall
clock), so nothing is lost on restart and the autumn night's repeated hour cannot send
twice. APScheduler holds one wake-up per plan at its next due time, plus a sweep every few
seconds that picks up plans created or cancelled by the command line in another process.
A wake-up or sweep runs `tick()`, which is idempotent: it records due occurrences (missed
ones beyond the grace period as missed) and fans out every unfinished occurrence in
chunks, each its own transaction. Each tick also queues the reminders for messages that
have waited the configured office time (flows/cases.py), on the same clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger

from flows import cases
from flows.broadcasts import fanout, planning
from flows.context import FlowContext
from flows.hours import LOCAL_TZ, QuietHours
from storage.db import Database
from storage.transaction import Transaction

log = logging.getLogger(__name__)

SWEEP_JOB = "broadcast-sweep"


class BroadcastScheduler:
    def __init__(
        self,
        db: Database,
        ctx: FlowContext,
        *,
        sweep_every: float = 5.0,
        chunk: int = fanout.FANOUT_BATCH,
    ) -> None:
        self._db = db
        self._ctx = ctx
        self.quiet: QuietHours | None = ctx.settings.quiet_hours
        self.grace: timedelta = ctx.settings.broadcast_grace
        self.sweep_every = sweep_every
        self.chunk = chunk
        self._aps: AsyncIOScheduler | None = None
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.ticks = 0
        self.reminders = 0
        db.after_commit(self._on_commit)

    def _on_commit(self, tx: Transaction) -> None:
        if tx.broadcasts.changed:
            self._wake.set()  # a plan was made or cancelled in this process: look now

    async def start(self) -> None:
        self._aps = AsyncIOScheduler(timezone=LOCAL_TZ)
        self._aps.add_job(
            self._poke,
            "interval",
            seconds=self.sweep_every,
            id=SWEEP_JOB,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=None,
        )
        self._aps.start()
        self._task = asyncio.create_task(self._run(), name="broadcast-scheduler")
        self._wake.set()

    async def stop(self) -> None:
        if self._aps is not None:
            self._aps.shutdown(wait=False)
            self._aps = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _poke(self) -> None:
        self._wake.set()

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("broadcast scheduler: tick failed; trying again at the next sweep")

    async def tick(self) -> list[int]:
        """Do whatever is due now; returns the occurrences fanned out."""
        async with self._lock:
            self.ticks += 1
            async with self._db.transaction() as tx:
                for plan in await tx.broadcasts.scheduled():
                    await fanout.due_occurrences(self._ctx, tx, plan, self.grace)
            async with self._db.read() as tx:
                open_rows = await tx.broadcasts.open_occurrences()
            done = []
            for occurrence in open_rows:
                await self._fan_out(occurrence.id, occurrence.broadcast_id)
                done.append(occurrence.id)
            async with self._db.transaction() as tx:
                self.reminders += await cases.remind_due(self._ctx, tx)
            await self._arm()
            return done

    async def _fan_out(self, occurrence_id: int, broadcast_id: int) -> None:
        async with self._db.transaction() as tx:
            plan = await tx.broadcasts.get(broadcast_id)
            assert plan is not None
            await tx.broadcasts.set_occurrence_status(
                occurrence_id, "running", self._ctx.clock.now()
            )
        total = 0
        while True:
            async with self._db.transaction() as tx:
                n = await fanout.fan_out_chunk(
                    self._ctx, tx, plan, occurrence_id, self.quiet, self.chunk
                )
                if n == 0:
                    await tx.broadcasts.set_occurrence_status(
                        occurrence_id, "done", self._ctx.clock.now()
                    )
            if n == 0:
                break
            total += n
            await asyncio.sleep(0)  # let the senders and the inbox in between chunks
        log.info("broadcast %s: occurrence %s fanned out to %d", broadcast_id, occurrence_id, total)

    async def _arm(self) -> None:
        """One APScheduler wake-up per plan, at its next due time (on the injected clock)."""
        if self._aps is None:
            return
        async with self._db.read() as tx:
            plans = await tx.broadcasts.scheduled()
            nexts = {p.id: await planning.next_run(tx, p) for p in plans}
        wanted = {f"broadcast-{pid}": due for pid, due in nexts.items() if due is not None}
        for job in self._aps.get_jobs():
            if job.id != SWEEP_JOB and job.id not in wanted:
                job.remove()
        now = self._ctx.clock.now()
        for job_id, due in wanted.items():
            # The injected clock may differ from the wall clock (tests, the sandbox's demo
            # time): wake up after the same delay.
            run_date = datetime.now(UTC) + max(timedelta(0), due - now)
            self._aps.add_job(
                self._poke,
                DateTrigger(run_date=run_date, timezone=LOCAL_TZ),
                id=job_id,
                replace_existing=True,
                coalesce=True,
                misfire_grace_time=max(1, int(self.grace.total_seconds())),
            )
