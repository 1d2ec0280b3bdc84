"""Pacing for Telegram, where urgent messages (the 112 answer, alerts) may jump the queue.

aiolimiter (used for SMS) is a leaky bucket: it lets a burst through first and has no way to
give one message precedence. Telegram counts messages per bot in any one second and per group
in any one minute, and answers a send over the limit with a 429 that stops the sender for
`retry_after`. A 112 answer must not wait behind a campaign, an alert must not wait behind a
minute's worth of relays, and neither may push the routine traffic over the limit.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Iterable
from typing import Protocol


class Pace(Protocol):
    async def acquire(self) -> float:
        """Wait until a routine send may go; returns the token to pass to `sent`."""

    async def acquire_urgent(self) -> float:
        """Wait (as little as possible) until an urgent send may go, and count it."""

    def sent(self, token: float) -> None:
        """The send a token was taken for has been answered: the platform counted it somewhere
        between the two, so a window counts it from now."""

    def refund(self) -> None:
        """The last token taken was not used (nothing could be sent): give it back."""


class Pacer:
    """One send per fixed interval: the bot-wide 30 messages a second, without bursts."""

    def __init__(self, per_second: float) -> None:
        if per_second <= 0:
            raise ValueError("per_second must be positive")
        self.interval = 1.0 / per_second
        self._next = 0.0

    def _take(self) -> float:
        now = asyncio.get_running_loop().time()
        slot = max(now, self._next)
        self._next = slot + self.interval
        return slot - now

    async def acquire(self) -> float:
        delay = self._take()
        if delay > 0:
            await asyncio.sleep(delay)
        return asyncio.get_running_loop().time()

    def sent(self, token: float) -> None:
        """A steady pace has no window to correct."""

    async def acquire_urgent(self) -> float:
        """Go now; the routine sends behind move back a slot."""
        self._take()
        return asyncio.get_running_loop().time()

    def refund(self) -> None:
        now = asyncio.get_running_loop().time()
        self._next = max(now, self._next - self.interval)


class WindowPacer:
    """At most `limit` sends in any `period` seconds, as Telegram counts a group's messages;
    routine sends leave `reserve` of them free for urgent ones."""

    def __init__(self, limit: int, period: float, reserve: int = 0) -> None:
        if not 0 <= reserve < limit:
            raise ValueError("reserve must be at least 0 and below limit")
        self.limit = limit
        self.period = period
        self.reserve = reserve
        self._sent: deque[float] = deque()

    def preload(self, ages: Iterable[float]) -> None:
        """Count sends made `age` seconds ago (by the last run, before a restart), so a
        restart does not grant a fresh window's worth at once."""
        now = asyncio.get_running_loop().time()
        past = sorted(now - age for age in ages if 0 <= age < self.period)
        self._sent = deque(sorted([*past, *self._sent]))

    def used(self) -> int:
        """Sends counted in the window that ends now."""
        now = asyncio.get_running_loop().time()
        return sum(1 for at in self._sent if at > now - self.period)

    async def _wait_below(self, allowed: int) -> float:
        loop = asyncio.get_running_loop()
        while True:
            now = loop.time()
            while self._sent and self._sent[0] <= now - self.period:
                self._sent.popleft()
            if len(self._sent) < allowed:
                self._sent.append(now)
                return now
            await asyncio.sleep(self._sent[len(self._sent) - allowed] + self.period - now)

    async def acquire(self) -> float:
        return await self._wait_below(self.limit - self.reserve)

    def sent(self, token: float) -> None:
        """Count the send from its answer, not from its token: between the two the worker
        claimed its item and the request waited its turn on a busy machine, and a send counted
        early lets one more into the second the platform counts (a 429 then stops the lane)."""
        try:
            self._sent.remove(token)
        except ValueError:
            return  # already out of the window
        self._sent.append(asyncio.get_running_loop().time())  # no stamp is later than now

    async def acquire_urgent(self) -> float:
        return await self._wait_below(self.limit)

    def refund(self) -> None:
        if self._sent:
            self._sent.pop()  # the newest: the one just taken


class SenderShare:
    """At most `limit` sends per sender in any `period` seconds, so one ambassador writing a
    flood cannot spend the officers' group's minute: their later messages wait, joined into
    one, while everyone else's go."""

    def __init__(self, limit: int, period: float) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self.period = period
        self._sent: dict[str, deque[float]] = {}

    def _prune(self, now: float) -> None:
        for key in list(self._sent):
            times = self._sent[key]
            while times and times[0] <= now - self.period:
                times.popleft()
            if not times:
                del self._sent[key]

    def full(self) -> frozenset[str]:
        """The senders who have had their share of the window that ends now."""
        self._prune(asyncio.get_running_loop().time())
        return frozenset(k for k, times in self._sent.items() if len(times) >= self.limit)

    def next_free(self) -> float | None:
        """Seconds until a sender who is full may send again; None if nobody is full."""
        now = asyncio.get_running_loop().time()
        self._prune(now)
        waits = [
            times[len(times) - self.limit] + self.period - now
            for times in self._sent.values()
            if len(times) >= self.limit
        ]
        return max(0.0, min(waits)) if waits else None

    def count(self, key: str) -> None:
        """A send for `key` was taken. Messages not from an ambassador have no share."""
        if key:
            self._sent.setdefault(key, deque()).append(asyncio.get_running_loop().time())
