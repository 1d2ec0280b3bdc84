"""What every flow is given: the district, texts, classifier, office hours, clock and settings.

Passed explicitly (no globals), so a test builds one with real parts and a fixed clock.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from flows.hours import OfficeHours, QuietHours
from flows.model import Channel, Directory
from flows.ports import Clock
from flows.texts import Texts
from intents import Classification


class ClassifierLike(Protocol):
    def classify(self, text: str) -> Classification: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class ShiftedClock:
    """Real time moved to a chosen moment; tests and the sandbox jump it forward by hand.

    It keeps running, so retries and timeouts still fall due without a test driving them.
    """

    start: datetime = field(default_factory=lambda: datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    _origin: float = field(default_factory=time.monotonic)
    _offset: timedelta = field(default_factory=timedelta)

    def now(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self._origin) + self._offset

    def advance(self, delta: timedelta) -> None:
        self._offset += delta

    def set(self, at: datetime) -> None:
        self._offset += at - self.now()


@dataclass(frozen=True)
class Settings:
    bot_username: str = "tryghedsbot"
    internal_marker: str = "#intern"
    invitation_ttl: timedelta = timedelta(days=7)
    officers_language: str = "da"
    officers_channel: Channel = Channel.TELEGRAM
    stranger_answer_every: timedelta = timedelta(days=1)
    offhours_repeat_after: timedelta = timedelta(hours=12)
    sms_max_segments: int = 4
    sms_enabled: bool = False
    quiet_hours: QuietHours | None = None  # broadcasts due inside wait until they end
    broadcast_grace: timedelta = timedelta(hours=6)  # a missed push is still sent this late


@dataclass(frozen=True)
class FlowContext:
    directory: Directory
    texts: Texts
    classifier: ClassifierLike
    office_hours: OfficeHours | None
    clock: Clock
    settings: Settings = Settings()
