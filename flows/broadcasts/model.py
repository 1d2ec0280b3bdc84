"""What a push is: its audience, content and schedule, and the records of how it ran.

Plain values: storage builds them from its rows, flows and the command line read them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flows.broadcasts.schedule import Schedule
from flows.model import Channel
from flows.texts import TextError

AUDIENCE_CHANNELS = ("all", "telegram", "sms")
KINDS = ("push", "pulse")  # a pulse asks a 1-5 question and collects the answers
DELIVERY_STATUSES = ("queued", "sent", "delivered", "failed", "skipped")


class BroadcastError(TextError):
    """A plan that cannot be made; `explain(lang)` tells the coordinator why."""

    section = "broadcast_errors"


@dataclass(frozen=True)
class Audience:
    areas: tuple[str, ...] = ()  # empty: every area
    channel: str = "all"  # all | telegram | sms

    def channels(self) -> tuple[Channel, ...]:
        if self.channel == "sms":
            return (Channel.SMS,)
        if self.channel == "telegram":
            return (Channel.TELEGRAM,)
        return (Channel.TELEGRAM, Channel.SMS)


@dataclass(frozen=True)
class Plan:
    """What a coordinator asks for, validated."""

    audience: Audience
    text: str | None
    tip_topic: str | None
    schedule: Schedule
    title: str = ""
    kind: str = "push"  # push | pulse (the text is then the question)
    author: str | None = None  # signs the push under the programme's name

    @property
    def is_pulse(self) -> bool:
        return self.kind == "pulse"


@dataclass(frozen=True)
class Broadcast:
    """A stored plan."""

    id: int
    plan: Plan
    status: str  # scheduled | done | cancelled
    created_by: str
    created_at: datetime
    cancelled_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class OccurrenceRecord:
    """One run of a plan, named by its local wall time."""

    id: int
    broadcast_id: int
    scheduled_for: str
    due_at: datetime
    status: str  # pending | running | done | missed


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    """One recipient of one occurrence."""

    id: int
    occurrence_id: int
    ambassador_id: int
    status: str
    reason: str | None
    tip_id: str | None
    message_id: int | None


@dataclass(frozen=True, slots=True)
class PushReceived:
    """The newest push an ambassador received, for the officers' context line."""

    delivery_id: int
    tip_id: str | None
    text: str | None
    answered: bool


@dataclass(frozen=True, slots=True)
class OpenPulse:
    """The newest pulse question an ambassador received, and their answer if they gave one."""

    delivery_id: int
    occurrence_id: int
    sent_at: datetime
    answer: int | None


@dataclass(frozen=True, slots=True)
class PulseAnswer:
    """One answer, as the results count it (never who gave it)."""

    occurrence_id: int
    area_id: str
    value: int
    answered_at: datetime
