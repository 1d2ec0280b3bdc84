"""Delivers the persistent outbox: per-lane workers, priorities, pacing and retries.

Each (lane, channel) pair has its own workers and pace, so the officers' group (20 messages a
minute) never holds back an ambassador's 112 answer. Within a lane the most urgent item goes
first: a paced worker takes its pacing token before it picks an item. A lane whose
`bypass_priority` is set also has an urgent worker that takes only items at least that urgent
and does not wait for pacing, so a 112 answer never waits behind a broadcast. One address has
at most one item in flight, which keeps a chat's messages in order.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from bot.pacing import Pace
from flows import delivery
from flows.context import FlowContext
from flows.delivery import FailReason
from flows.model import Lane, Outbound, OutKind, Priority
from flows.texts import Html
from storage.db import Database
from storage.transaction import Transaction

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
IDLE_POLL = 5.0


@dataclass(frozen=True)
class Sent:
    platform_id: str | None = None
    chat_id: int | None = None  # where it landed (officers' group), for reply mapping
    message_ids: tuple[int, ...] = ()


class TransientError(Exception):
    """Try again later: network trouble, 5xx, or 429 with its retry_after."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentError(Exception):
    """Never retry: blocked, opted out, unreachable, or a request the platform rejects."""

    def __init__(self, reason: FailReason, message: str = "") -> None:
        super().__init__(message or reason.value)
        self.reason = reason


class Sender(Protocol):
    async def send(self, item: Outbound) -> Sent: ...


AfterSent = Callable[[Transaction, Outbound, Sent], Awaitable[None]]


@dataclass
class LaneSpec:
    lane: str
    channel: str
    sender: Sender
    workers: int = 1
    pacers: tuple[Pace, ...] = ()  # waited for in turn before each send
    bypass_priority: int = Priority.ACUTE  # -1: no urgent worker, everything is paced
    gather_kind: OutKind | None = None  # gather pending items of this kind into one message
    gather: Callable[[list[Outbound]], Outbound] | None = None
    after_sent: AfterSent | None = None
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    busy: set[str] = field(default_factory=set)
    paused_until: float = 0.0


def officers_lane(
    sender: Sender, ctx: FlowContext, *, pacers: tuple[Pace, ...] = (), workers: int = 1
) -> LaneSpec:
    """The officers' group, whichever channel shows it: alerts jump the queue, routine notices
    are gathered into one message, and each message sent is remembered for reply mapping."""
    return LaneSpec(
        Lane.OFFICERS,
        ctx.settings.officers_channel,
        sender,
        workers=workers,
        pacers=pacers,
        bypass_priority=Priority.ACUTE,
        gather_kind=OutKind.NOTICE,
        gather=_gather_notices(ctx),
        after_sent=record_group_messages,
    )


def _gather_notices(ctx: FlowContext) -> Callable[[list[Outbound]], Outbound]:
    """Routine notices waiting for the group become one message (the group's scarce budget)."""
    header = ctx.texts.get(ctx.settings.officers_language, "officers.notices_header")

    def gather(items: list[Outbound]) -> Outbound:
        lines = "\n".join(f"• {item.text}" for item in items)
        first = items[0]
        return Outbound(
            lane=first.lane,
            kind=first.kind,
            priority=first.priority,
            channel=first.channel,
            text=Html(f"{header}\n{lines}"),
        )

    return gather


async def record_group_messages(tx: Transaction, item: Outbound, sent: Sent) -> None:
    """Remember which ambassador each group message belongs to, so replies map back."""
    if item.ambassador_id is None or sent.chat_id is None:
        return
    for message_id in sent.message_ids:
        await tx.threads.add_group_message(
            sent.chat_id, message_id, item.ambassador_id, item.message_id
        )


def unseal(ctx: FlowContext, item: Outbound) -> Outbound:
    """Fill in the secrets the outbox row holds only placeholders for (flows/sealed.py)."""
    if not ctx.sealed.holds_placeholders(item.text):
        return item
    lost = ctx.texts.get(ctx.settings.officers_language, "officers.sealed_lost")
    return dataclasses.replace(item, text=ctx.sealed.unseal(item.text, lost))


def backoff(attempt: int) -> float:
    """Exponential with jitter, capped at five minutes."""
    return float(min(300.0, 2.0 ** min(attempt, 9)) * (0.5 + random.random() / 2))  # noqa: S311


class Dispatcher:
    def __init__(self, db: Database, ctx: FlowContext, lanes: list[LaneSpec]) -> None:
        self._db = db
        self._ctx = ctx
        self._lanes = {(spec.lane, spec.channel): spec for spec in lanes}
        self._tasks: list[asyncio.Task[None]] = []
        self.sent = 0
        self.failed = 0
        self.retried = 0
        self._stopping = False
        self._progress = asyncio.Condition()  # notified after every send, for waiting tests
        db.after_commit(self._on_commit)

    def _on_commit(self, tx: Transaction) -> None:
        for key in tx.touched_lanes:
            spec = self._lanes.get(key)
            if spec is not None:
                spec.wake.set()

    async def start(self) -> None:
        async with self._db.transaction() as tx:
            released = await tx.outbox.release_inflight()
        if released:
            log.warning(
                "%d outbox items were in flight at the last stop; sending them again", released
            )
        for spec in self._lanes.values():
            spec.wake.set()
            for n in range(spec.workers):
                name = f"outbox-{spec.lane}-{spec.channel}-{n}"
                self._tasks.append(asyncio.create_task(self._worker(spec), name=name))
            if spec.pacers and spec.bypass_priority >= 0:
                name = f"outbox-{spec.lane}-{spec.channel}-urgent"
                task = asyncio.create_task(self._worker(spec, urgent=True), name=name)
                self._tasks.append(task)

    async def stop(self, grace: float = 5.0) -> None:
        """Let items in flight finish (up to `grace` seconds), then stop; the rest stay queued."""
        self._stopping = True
        for spec in self._lanes.values():
            spec.wake.set()
        if self._tasks:
            _, pending = await asyncio.wait(self._tasks, timeout=grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        self._tasks.clear()

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        """Wait until the senders have made progress that `predicate` sees."""
        async with asyncio.timeout(timeout), self._progress:
            await self._progress.wait_for(predicate)

    async def _notify(self) -> None:
        async with self._progress:
            self._progress.notify_all()

    async def _worker(self, spec: LaneSpec, *, urgent: bool = False) -> None:
        """Take a pacing token first, then the most urgent item due at that moment, so a
        paced worker never holds a routine item while something urgent arrives. An urgent
        worker takes only the most urgent items (the 112 answer, alerts) and waits for no
        routine pacing, only for a platform's hard limit (the group's messages a minute)."""
        while not self._stopping:
            try:
                await self._step(spec, urgent)
            except asyncio.CancelledError:
                raise
            except Exception:
                # A worker that dies silently stops its whole lane: log, breathe, go on.
                log.exception("outbox worker for %s/%s: unexpected error", spec.lane, spec.channel)
                await asyncio.sleep(1.0)

    async def _step(self, spec: LaneSpec, urgent: bool) -> None:
        loop = asyncio.get_running_loop()
        paced = bool(spec.pacers) and not urgent
        wait = spec.paused_until - loop.time()
        if wait > 0 and not urgent:
            spec.wake.clear()  # a set event would return at once: a busy loop
            await _sleep_or_wake(spec.wake, wait)
            return
        spec.wake.clear()
        if paced and await self._has_work(spec):
            for pacer in spec.pacers:
                await pacer.acquire()
        claimed = await self._claim(spec, max_priority=spec.bypass_priority if urgent else None)
        if claimed is None:
            await self._idle(spec)
            return
        ids, item, attempts = claimed
        if urgent:
            for pacer in spec.pacers:
                await pacer.acquire_urgent()
        spec.busy.add(item.address)
        try:
            await self._deliver(spec, ids, item, attempts)
        finally:
            spec.busy.discard(item.address)
        await self._notify()

    async def _has_work(self, spec: LaneSpec) -> bool:
        async with self._db.read() as tx:
            due = await tx.outbox.next_due(spec.lane, spec.channel)
        return due is not None and due <= self._ctx.clock.now()

    async def _claim(
        self, spec: LaneSpec, max_priority: int | None = None
    ) -> tuple[list[int], Outbound, int] | None:
        now = self._ctx.clock.now()
        async with self._db.transaction() as tx:
            got = await tx.outbox.claim(
                spec.lane, spec.channel, now, spec.busy, max_priority=max_priority
            )
            if got is None:
                return None
            item_id, item, attempts = got
            if spec.gather_kind is not None and spec.gather and item.kind == spec.gather_kind:
                others = await tx.outbox.claim_kind(spec.lane, spec.channel, item.kind, now)
                if others:
                    items = [item] + [o for _, o in others]
                    return [item_id] + [i for i, _ in others], spec.gather(items), attempts
            return [item_id], item, attempts

    async def _idle(self, spec: LaneSpec) -> None:
        """Wait for new work, or until the earliest retry is due."""
        async with self._db.read() as tx:
            due = await tx.outbox.next_due(spec.lane, spec.channel)
        # Another process (the CLI) may add items without waking us: look again now and then.
        timeout = IDLE_POLL
        if due is not None:
            timeout = min(IDLE_POLL, max(0.05, (due - self._ctx.clock.now()).total_seconds()))
        await _sleep_or_wake(spec.wake, timeout)

    async def _deliver(self, spec: LaneSpec, ids: list[int], item: Outbound, attempts: int) -> None:
        try:
            result = await spec.sender.send(unseal(self._ctx, item))
        except PermanentError as exc:
            log.warning("outbox %s (%s) failed permanently: %s", ids[0], item.kind, exc.reason)
            await self._finish_failed(ids, item, exc.reason, str(exc))
            return
        except TransientError as exc:
            await self._retry(spec, ids, item, attempts, str(exc), exc.retry_after)
            return
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.exception("outbox %s (%s): unexpected error from sender", ids[0], item.kind)
            await self._retry(spec, ids, item, attempts, f"{type(exc).__name__}: {exc}", None)
            return
        now = self._ctx.clock.now()
        async with self._db.transaction() as tx:
            for item_id in ids:
                await tx.outbox.done(item_id, "sent", now, platform_id=result.platform_id)
            if spec.after_sent is not None:
                await spec.after_sent(tx, item, result)
            await delivery.sent(self._ctx, tx, item, result.platform_id)
        self.sent += 1

    async def _retry(
        self,
        spec: LaneSpec,
        ids: list[int],
        item: Outbound,
        attempts: int,
        error: str,
        retry_after: float | None,
    ) -> None:
        if attempts >= MAX_ATTEMPTS and retry_after is None:  # flood control is never failure
            log.warning("outbox %s (%s) gave up after %d attempts", ids[0], item.kind, attempts)
            await self._finish_failed(ids, item, FailReason.OTHER, error)
            return
        delay = retry_after if retry_after is not None else backoff(attempts)
        if retry_after is not None:
            # A 429 is about the whole bot: hold this lane, not just this item.
            spec.paused_until = asyncio.get_running_loop().time() + retry_after
        log.info("outbox %s (%s) retry in %.1fs: %s", ids[0], item.kind, delay, error)
        at = self._ctx.clock.now() + timedelta(seconds=delay)
        async with self._db.transaction() as tx:
            for item_id in ids:
                await tx.outbox.retry_at(item_id, at, error[:300])
        self.retried += 1

    async def _finish_failed(
        self, ids: list[int], item: Outbound, reason: FailReason, error: str
    ) -> None:
        now = self._ctx.clock.now()
        async with self._db.transaction() as tx:
            for item_id in ids:
                await tx.outbox.done(item_id, "failed", now, error=error[:300])
            await delivery.failed(self._ctx, tx, item, reason, error)
        self.failed += 1


async def _sleep_or_wake(event: asyncio.Event, timeout: float) -> None:
    try:
        async with asyncio.timeout(timeout):
            await event.wait()
    except TimeoutError:
        return
