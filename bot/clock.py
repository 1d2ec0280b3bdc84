"""Clocks. Everything in one process reads the same one: the bot, its commands and, in
tests, the fake servers' expectations, so no part disagrees about what time it is."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class ShiftedClock:
    """Real time moved to a chosen moment, which tests (and a demo) jump forward by hand.

    It keeps running, so retries and timeouts still fall due without a test driving them.
    """

    start: datetime
    _origin: float = field(default_factory=time.monotonic)
    _offset: timedelta = field(default_factory=timedelta)

    def now(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self._origin) + self._offset

    def advance(self, delta: timedelta) -> None:
        self._offset += delta

    def set(self, at: datetime) -> None:
        self._offset += at - self.now()
