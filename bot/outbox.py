"""Delivers the persistent outbox: per-lane workers, priorities, pacing and retries.

"Acute never waits" lives here, and only here. Each (lane, channel) pair has its own workers
and pace, so the officers' group (20 messages a minute) never holds back an ambassador's 112
answer. Within a lane the most urgent item goes first; a paced worker takes its pacing token
before it picks an item, and an urgent worker takes only the most urgent items and does not
wait for routine pacing (only for a platform's hard limit), so a 112 answer never waits
behind a campaign. Urgent items retry within about a second; others back off.

Order and fairness are the queue's (storage/queues.py): a conversation's items go one at a
time and in order, a retry holds back only its own conversation, and senders are served in
turn. After a crash, an item whose send was under way when the process died is sent again:
delivery is at least once for a send whose answer was not recorded, exactly once otherwise.
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

from bot.pacing import Pace, SenderShare
from flows import delivery
from flows.context import FlowContext
from flows.delivery import FailReason
from flows.model import Lane, Outbound, OutKind, Priority
from flows.texts import Html
from storage.db import Database
from storage.health import Fault, classify
from storage.queues import chat_key
from storage.transaction import Transaction

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
URGENT_MAX_ATTEMPTS = 60  # about a minute of quick retries for a 112 answer or an alert
URGENT_WAIT = 1.0  # seconds an urgent item may wait for storage before it goes from memory
URGENT_WATCH_EVERY = 0.1
IDLE_POLL = 5.0
SEND_TIMEOUT = 15.0  # the longest a platform request may take (bot/channels/*: timeouts)


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
    async def send(self, item: Outbound) -> Sent:
        """Deliver one item; urgent items (priority ACUTE) with short timeouts."""


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
    share: SenderShare | None = None  # each sender's most sends per window (the group)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    paused_until: float = 0.0


def officers_lane(
    sender: Sender,
    ctx: FlowContext,
    *,
    pacers: tuple[Pace, ...] = (),
    workers: int = 1,
    share: SenderShare | None = None,
) -> LaneSpec:
    """The officers' group, whichever channel shows it: alerts jump the queue, routine notices
    are gathered into one message, each ambassador gets at most `share` of the group's
    messages, and each message sent is remembered for reply mapping."""
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
        share=share,
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


def backoff(attempt: int, *, urgent: bool = False) -> float:
    """Exponential with jitter, capped at five minutes; urgent items at about a second."""
    jitter = 0.5 + random.random() / 2  # noqa: S311
    if urgent:
        return min(1.0, 0.2 * 2.0 ** min(attempt, 4)) * jitter
    return float(min(300.0, 2.0 ** min(attempt, 9)) * jitter)


class Dispatcher:
    def __init__(self, db: Database, ctx: FlowContext, lanes: list[LaneSpec]) -> None:
        self._db = db
        self._ctx = ctx
        self._lanes = {(spec.lane, spec.channel): spec for spec in lanes}
        self._tasks: list[asyncio.Task[None]] = []
        self.sent = 0
        self.failed = 0
        self.retried = 0
        self.sent_past_storage = 0
        self._stopping = False
        self._progress = asyncio.Condition()  # notified after every send, for waiting tests
        # Urgent items committed in this process, kept in memory until a sender has them: if
        # the database cannot hand one to a sender within URGENT_WAIT, it goes from memory.
        self._urgent: dict[int, tuple[Outbound, float]] = {}
        self._in_flight: set[int] = set()
        self._sent_past: dict[int, Sent] = {}  # sent from memory; recorded when storage allows
        db.after_commit(self._on_commit)

    def _on_commit(self, tx: Transaction) -> None:
        # The ambassadors' lane wakes first, so a 112 answer is usually asked of the platform
        # before the alert about it; both are urgent and go out in parallel, neither waits.
        for key in sorted(tx.touched_lanes, key=lambda k: (k[0] != Lane.AMBASSADOR, k)):
            spec = self._lanes.get(key)
            if spec is not None:
                spec.wake.set()
        if tx.urgent_added:
            now = asyncio.get_running_loop().time()
            for item_id, item in tx.urgent_added:
                if (item.lane, item.channel) in self._lanes:
                    # A grown alert keeps the time it has waited since it was first queued.
                    since = self._urgent.get(item_id, (item, now))[1]
                    self._urgent[item_id] = (item, since)

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
        self._tasks.append(asyncio.create_task(self._watch_urgent(), name="outbox-urgent-watch"))

    async def _watch_urgent(self) -> None:
        """Send from memory any urgent item the database has not let a sender take in time
        (storage full, locked or broken): a 112 answer must not wait for storage."""
        while not self._stopping:
            await asyncio.sleep(URGENT_WATCH_EVERY)  # pacing a watchdog, not synchronisation
            now = asyncio.get_running_loop().time()
            overdue = [
                (item_id, item)
                for item_id, (item, since) in self._urgent.items()
                if now - since >= URGENT_WAIT and item_id not in self._in_flight
            ]
            if overdue and await self._db.writable(URGENT_WAIT / 2):
                # Storage works: these wait for a reason of their own (the group's minute, a
                # sender's share, a retry), not for the database. Look again in a while.
                for item_id, _ in overdue:
                    if item_id in self._urgent:
                        self._urgent[item_id] = (self._urgent[item_id][0], now)
                continue
            for item_id, item in overdue:
                self._urgent.pop(item_id, None)
                try:
                    sent = await self.send_now(item)
                except Exception as exc:
                    log.warning("urgent item could not be sent past storage either: %s", exc)
                    continue
                self._sent_past[item_id] = sent
                self.sent_past_storage += 1
                log.warning("storage is failing: an urgent %s was sent from memory", item.kind)

    async def send_now(self, item: Outbound) -> Sent:
        """Send at once, past the database (the emergency path when storage fails): the lane's
        sender, with the urgent pacing that keeps the bot inside the platform's limits."""
        spec = self._lanes[(item.lane, item.channel)]
        tokens = [await pacer.acquire_urgent() for pacer in spec.pacers]
        try:
            return await spec.sender.send(item)
        finally:
            for pacer, token in zip(spec.pacers, tokens, strict=True):
                pacer.sent(token)

    async def stop(self, grace: float = SEND_TIMEOUT + 1.0) -> None:
        """Let items in flight finish (up to `grace` seconds: longer than a send may take),
        then stop; the rest stay queued."""
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
            except Exception as exc:
                # A worker that dies silently stops its whole lane: log, breathe, go on. A
                # storage fault has been said once by the database's health; no traceback.
                if classify(exc) is Fault.ITEM:
                    log.exception(
                        "outbox worker for %s/%s: unexpected error", spec.lane, spec.channel
                    )
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
        # Senders who have had their share of the window wait (their messages join); the
        # pacing token is taken only when there is something else to send.
        skip = spec.share.full() if spec.share is not None else frozenset()
        tokens: list[float] = []
        if paced and await self._has_work(spec, skip):
            for pacer in spec.pacers:
                tokens.append(await pacer.acquire())
            if spec.share is not None:
                skip = spec.share.full()  # the wait for the token may have been long
        claimed = await self._claim(
            spec, max_priority=spec.bypass_priority if urgent else None, skip=skip
        )
        if claimed is None:
            if tokens:
                for pacer in spec.pacers:
                    pacer.refund()  # an unused token must not count as a send
            await self._idle(spec, skip)
            return
        ids, item, attempts = claimed
        if spec.share is not None:
            spec.share.count(chat_key(item))
        past = self._sent_past.pop(ids[0], None)
        if past is not None:  # already sent from memory while storage failed: record it
            await self._record_sent(spec, ids, item, past)
            await self._notify()
            return
        if urgent:
            tokens = [await pacer.acquire_urgent() for pacer in spec.pacers]
        self._in_flight.update(ids)
        try:
            await self._deliver(spec, ids, item, attempts)
        finally:
            for pacer, token in zip(spec.pacers, tokens, strict=False):
                pacer.sent(token)
            self._in_flight.difference_update(ids)
            for item_id in ids:
                self._urgent.pop(item_id, None)
        await self._notify()

    async def _has_work(self, spec: LaneSpec, skip: frozenset[str] = frozenset()) -> bool:
        async with self._db.read() as tx:
            due = await tx.outbox.next_due(spec.lane, spec.channel, skip=skip)
        return due is not None and due <= self._ctx.clock.now()

    async def _claim(
        self,
        spec: LaneSpec,
        max_priority: int | None = None,
        skip: frozenset[str] = frozenset(),
    ) -> tuple[list[int], Outbound, int] | None:
        now = self._ctx.clock.now()
        async with self._db.transaction() as tx:
            got = await tx.outbox.claim(
                spec.lane, spec.channel, now, max_priority=max_priority, skip=skip
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

    async def _idle(self, spec: LaneSpec, skip: frozenset[str] = frozenset()) -> None:
        """Wait for new work, until the earliest retry is due, or until a sender who had
        their share may send again."""
        async with self._db.read() as tx:
            due = await tx.outbox.next_due(spec.lane, spec.channel, skip=skip)
        # Another process (the CLI) may add items without waking us: look again now and then.
        timeout = IDLE_POLL
        if due is not None:
            timeout = min(IDLE_POLL, max(0.05, (due - self._ctx.clock.now()).total_seconds()))
        free = spec.share.next_free() if spec.share is not None else None
        if free is not None:
            timeout = min(timeout, max(0.05, free))
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
        await self._record_sent(spec, ids, item, result)

    async def _record_sent(
        self, spec: LaneSpec, ids: list[int], item: Outbound, result: Sent
    ) -> None:
        now = self._ctx.clock.now()
        try:
            async with self._db.transaction() as tx:
                for item_id in ids:
                    await tx.outbox.done(item_id, "sent", now, platform_id=result.platform_id)
                if spec.after_sent is not None:
                    await spec.after_sent(tx, item, result)
                await delivery.sent(self._ctx, tx, item, result.platform_id)
        except Exception as exc:
            if classify(exc) is Fault.ITEM:
                raise
            # Sent, but storage cannot record it now: keep the result, record it when the
            # item is taken again (never send it twice).
            for item_id in ids:
                self._sent_past[item_id] = result
            raise
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
        urgent = item.priority <= Priority.ACUTE
        limit = URGENT_MAX_ATTEMPTS if urgent else MAX_ATTEMPTS
        if attempts >= limit and retry_after is None:  # flood control is never failure
            log.warning("outbox %s (%s) gave up after %d attempts", ids[0], item.kind, attempts)
            await self._finish_failed(ids, item, FailReason.OTHER, error)
            return
        delay = retry_after if retry_after is not None else backoff(attempts, urgent=urgent)
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
