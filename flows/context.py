"""What every flow is given: the district, texts, classifier, office hours, clock, links and
settings. Passed explicitly (no globals), so a test builds one with real parts and a fixed clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from flows.broadcasts.tips import TipLibrary
from flows.hours import OfficeHours, QuietHours
from flows.model import Channel, Directory
from flows.ports import Clock
from flows.sealed import Sealed
from flows.texts import Texts
from intents import Classification


class ClassifierLike(Protocol):
    def classify(self, text: str) -> Classification: ...


class Links(Protocol):
    """How a channel invites someone: the link an invitee opens (None: the channel has no
    links, and the invitation goes out as a message)."""

    def invitation(self, code: str) -> str | None: ...


class NoLinks:
    def invitation(self, code: str) -> str | None:
        return None


@dataclass(frozen=True)
class Retention:
    """Days each kind of record is kept ([storage] retention_days); the agreement says so."""

    message_texts: int = 365
    inbox: int = 30
    outbox: int = 30
    strangers: int = 7
    audit: int = 1095


@dataclass(frozen=True)
class Settings:
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
    # More messages than this from one ambassador within the window are gathered into one
    # message for the group (and the writer is told once), so a flood holds nobody up.
    flood_messages: int = 10
    flood_window: timedelta = timedelta(minutes=5)
    stranger_112_per_window: int = 3  # 112 answers to someone who is not an ambassador
    code_guesses_per_hour: int = 5  # wrong invitation codes from one chat
    programme_name: str = "Tryghedsbot"  # the sender shown on every push
    remind_after: timedelta | None = timedelta(hours=4)  # office time before one reminder
    pulse_window: timedelta = timedelta(hours=72)  # late pulse answers are accepted this long
    retention: Retention = Retention()


@dataclass(frozen=True)
class FlowContext:
    directory: Directory
    texts: Texts
    classifier: ClassifierLike
    office_hours: OfficeHours | None
    clock: Clock
    settings: Settings = Settings()
    links: Links = field(default_factory=NoLinks)
    tips: TipLibrary = field(default_factory=TipLibrary.from_package)
    sealed: Sealed = field(default_factory=Sealed)  # secrets for outgoing messages, memory only
