"""Every arrival enters here: it is classified, stored (deduplicated) and then handled, acute
ones first.

Handling an arrival and marking it handled happen in one transaction, so a crash or restart
loses nothing and handles nothing twice. The first promise does not wait for storage: if an
arrival cannot be stored within about a second (the database locked, full, broken), an
emergency gets the 1-1-2 answer straight away, sent past the database, and the arrival waits
in memory until it can be stored, marked as answered so that nobody is told twice. One
arrival that can never be stored (a malformed update) is kept aside after a few attempts
instead of holding up the ones behind it.
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import functools
import json
import logging
import re
from collections.abc import Awaitable, Callable

from bot.outbox import Sent
from flows import arrivals, outgoing
from flows.context import FlowContext
from flows.model import Inbound, OfficerMessage, Outbound
from intents import Route
from storage.db import Database
from storage.health import Fault, classify
from storage.queues import dump_inbound, dump_officer, load_inbound, load_officer

log = logging.getLogger(__name__)

STORE_WAIT = 1.0  # seconds an arrival may take to be stored before an emergency is answered
HELD_LIMIT = 20_000  # arrivals kept in memory while storage is down
POISON_ATTEMPTS = 3  # a single arrival that fails this often to be stored is kept aside
ACUTE, OFFICER, ROUTINE = 0, 20, 50  # the order arrivals are handled in
_SURROGATE = re.compile("[\ud800-\udfff]")

Arrival = Inbound | OfficerMessage
SendNow = Callable[[Outbound], Awaitable[Sent]]


def _clean(text: str) -> str:
    """A lone UTF-16 surrogate (a broken emoji) cannot be stored as UTF-8: show it as �."""
    return _SURROGATE.sub("\ufffd", text) if text else text


def _item_specific(exc: BaseException) -> bool:
    """An error about this arrival (it would fail again), not about the database."""
    return classify(exc) is Fault.ITEM


class Inbox:
    def __init__(self, db: Database, ctx: FlowContext) -> None:
        self._db = db
        self._ctx = ctx
        self._wake = asyncio.Event()
        self.send_now: SendNow | None = None  # the outbox's direct send, for emergencies
        self._held: collections.deque[Arrival] = collections.deque()
        self._answered: set[str] = set()  # answered past the database, not yet handled
        self._failures: dict[str, int] = {}
        self._slow: set[asyncio.Task[list[bool]]] = set()
        self._quarantining: set[asyncio.Task[None]] = set()
        self._storage_down = False
        self.handled = 0
        self.failed = 0
        self.quarantined = 0
        self.answered_directly = 0

    # -- arrivals ----------------------------------------------------------------------

    def _prepare(self, item: Arrival) -> Arrival:
        if isinstance(item, OfficerMessage):
            return dataclasses.replace(item, text=_clean(item.text), args=_clean(item.args))
        item = dataclasses.replace(
            item,
            text=_clean(item.text),
            args=_clean(item.args),
            display_name=_clean(item.display_name),
            callback=_clean(item.callback) if item.callback else item.callback,
        )
        words = item.words
        if words.strip() and item.classification is None:
            item = dataclasses.replace(item, classification=self._ctx.classifier.classify(words))
        return item

    @staticmethod
    def _is_acute(item: Arrival) -> bool:
        return (
            isinstance(item, Inbound)
            and item.classification is not None
            and item.classification.route == Route.ACUTE
        )

    def _priority(self, item: Arrival) -> int:
        if isinstance(item, OfficerMessage):
            return OFFICER
        return ACUTE if self._is_acute(item) else ROUTINE

    async def receive(self, item: Arrival) -> bool:
        """Take an arrival. False only when it is a duplicate (a platform's retry); True when
        it is stored, or waiting in memory for storage, or kept aside as unstorable."""
        return await self.receive_many([item]) != [False]

    async def receive_many(self, items: list[Arrival]) -> list[bool]:
        """Take arrivals together (a batch of updates): stored in one transaction. Returns,
        per arrival, False for a duplicate; True otherwise (stored, waiting in memory for
        storage, or kept aside as unstorable)."""
        prepared = [self._prepare(item) for item in items]
        if not prepared:
            return []
        task = asyncio.create_task(self._store(prepared))
        done, _ = await asyncio.wait({task}, timeout=STORE_WAIT)
        if task in done and task.exception() is None:
            return task.result()
        for item in prepared:
            await self._answer_emergency(item)
        if task not in done:
            # Slow, not failed: let it finish; if it fails after all, hold the arrivals then.
            self._slow.add(task)
            task.add_done_callback(functools.partial(self._slow_done, items=prepared))
            return [True] * len(prepared)
        exc = task.exception()
        assert exc is not None
        self._store_failed(prepared, exc)
        return [True] * len(prepared)

    async def _store(self, items: list[Arrival]) -> list[bool]:
        now = self._ctx.clock.now()
        found: list[bool] = []
        async with self._db.transaction() as tx:
            for item in items:
                if isinstance(item, Inbound):
                    kind, payload = "ambassador", dump_inbound(item)
                else:
                    kind, payload = "officer", dump_officer(item)
                new_id = await tx.inbox.add(
                    item.dedupe_key, kind, payload, now, self._priority(item)
                )
                found.append(new_id is not None)
        self._stored_again()
        if not all(found):
            log.info("%d duplicate arrival(s) ignored", found.count(False))
        if any(found):
            self._wake.set()
        return found

    def _slow_done(self, task: asyncio.Task[list[bool]], *, items: list[Arrival]) -> None:
        self._slow.discard(task)
        if task.cancelled():
            for item in items:
                self._hold(item)
            return
        exc = task.exception()
        if exc is not None:
            self._store_failed(items, exc)

    async def _answer_emergency(self, item: Arrival) -> None:
        """The 1-1-2 answer, past the database: storage is slow or failing."""
        if not isinstance(item, Inbound) or not self._is_acute(item) or item.acute_answered:
            return
        if item.dedupe_key in self._answered or self.send_now is None:
            return
        self._answered.add(item.dedupe_key)
        message = outgoing.call_112_message(self._ctx, item.channel, item.address, item.language)
        try:
            await self.send_now(message)
            self.answered_directly += 1
            log.warning("storage is slow or failing: the 1-1-2 answer went out directly")
        except Exception:
            # Not sent: it goes out through the outbox once the arrival is stored.
            self._answered.discard(item.dedupe_key)
            log.exception("the direct 1-1-2 answer could not be sent")

    def _store_failed(self, items: list[Arrival], exc: BaseException) -> None:
        if not _item_specific(exc):
            if not self._storage_down:
                self._storage_down = True  # the database's health has said why, at ERROR
                log.warning("arrivals cannot be stored now: holding them in memory")
            for item in items:
                self._hold(item)
            return
        if len(items) > 1:
            # One of them cannot be stored: hold each on its own, so the others go through.
            for item in items:
                self._hold(item)
            return
        [item] = items
        count = self._failures.get(item.dedupe_key, 0) + 1
        self._failures[item.dedupe_key] = count
        if count >= POISON_ATTEMPTS:
            self._failures.pop(item.dedupe_key, None)
            task = asyncio.get_running_loop().create_task(self._quarantine(item, exc))
            self._quarantining.add(task)
            task.add_done_callback(self._quarantining.discard)
            return
        self._hold(item)

    def _hold(self, item: Arrival) -> None:
        if isinstance(item, Inbound) and item.dedupe_key in self._answered:
            item = dataclasses.replace(item, acute_answered=True)
        if len(self._held) >= HELD_LIMIT:
            log.error("too many arrivals waiting for storage: the oldest is dropped")
            self._held.popleft()
        self._held.append(item)
        self._wake.set()

    def _stored_again(self) -> None:
        if self._storage_down:
            self._storage_down = False
            log.warning("arrivals are stored again")

    async def _quarantine(self, item: Arrival, exc: BaseException) -> None:
        """Keep an unstorable arrival aside for the operator, and go on with the others."""
        self.quarantined += 1
        raw = json.dumps({"dedupe_key": item.dedupe_key, "arrival": repr(item)}, ensure_ascii=True)
        reason = f"{type(exc).__name__}: {exc}"[:300]
        try:
            async with self._db.transaction() as tx:
                await tx.inbox.quarantine(item.dedupe_key, raw, reason, self._ctx.clock.now())
            log.error("an arrival that cannot be stored was kept aside (quarantine): %s", reason)
        except Exception:
            log.exception("an arrival that cannot be stored was dropped: %s", item.dedupe_key)

    @property
    def held(self) -> int:
        return len(self._held)

    # -- handling ----------------------------------------------------------------------

    async def run(self) -> None:
        while True:
            try:
                await self._store_held()
                await self._drain()
            except Exception as exc:
                # The database was busy or broken: keep the arrivals, try again. A storage
                # fault has been logged by the database's health; anything else is logged here.
                if classify(exc) is Fault.ITEM:
                    log.exception("inbox: unexpected error; retrying")
                await asyncio.sleep(1.0)
                continue
            if self._held:
                try:
                    async with asyncio.timeout(1.0):
                        await self._wake.wait()
                except TimeoutError:
                    pass
            else:
                await self._wake.wait()
            self._wake.clear()

    async def _store_held(self) -> None:
        while self._held:
            item = self._held[0]
            try:
                await self._store([item])
            except Exception as exc:
                if _item_specific(exc):
                    self._held.popleft()
                    self._store_failed([item], exc)
                    continue
                return  # storage still down: try again in a second
            self._held.popleft()

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
        """Handle one arrival. A storage fault leaves it waiting, to be retried (an emergency
        is answered past the database meanwhile); any other error marks that one arrival
        failed so it cannot block the rest."""
        inbound: Inbound | None = None
        try:
            async with self._db.transaction() as tx:
                if kind == "ambassador":
                    inbound = load_inbound(payload)
                    if inbound.dedupe_key in self._answered:
                        inbound = dataclasses.replace(inbound, acute_answered=True)
                    await arrivals.handle_inbound(self._ctx, tx, inbound)
                else:
                    await arrivals.handle_officer(self._ctx, tx, load_officer(payload))
                await tx.inbox.mark(inbox_id, "handled", self._ctx.clock.now())
            if inbound is not None:
                self._answered.discard(inbound.dedupe_key)
            self.handled += 1
        except Exception as exc:
            if classify(exc) is not Fault.ITEM:
                if inbound is not None:
                    await self._answer_emergency(inbound)
                raise  # the database, not the arrival: it stays waiting and is retried
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
