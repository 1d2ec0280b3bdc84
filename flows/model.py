"""Small domain types shared by flows, storage and channel adapters.

Adapters turn platform payloads into these at the edge, so flows never see a Telegram update,
a Twilio form or a sandbox event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum, StrEnum

from intents import Classification


class Channel(StrEnum):
    TELEGRAM = "telegram"
    SMS = "sms"


class AmbassadorState(StrEnum):
    INVITED = "invited"  # SMS invitation sent, waiting for "JA"
    PENDING = "pending"  # opened a Telegram invitation, agreement not yet accepted
    ACTIVE = "active"
    PAUSED = "paused"  # /stop or an SMS opt-out word
    ENDED = "ended"  # the partnership was ended by a coordinator; a new invitation starts over


class Lane(StrEnum):
    """Which sender delivers an outbox item; each lane has its own pacing."""

    AMBASSADOR = "ambassador"
    OFFICERS = "officers"


class Priority(IntEnum):
    """Lower goes first. Acute answers and alerts never wait behind anything else."""

    ACUTE = 0
    REPLY = 10
    RELAY = 20
    NOTICE = 30
    PUSH = 50


class OutKind(StrEnum):
    ACUTE_ANSWER = "acute_answer"
    ALERT = "alert"
    REFERRAL = "referral"  # the 114 answer to the ambassador
    RELAY = "relay"  # ambassador message shown to officers
    REPLY = "reply"  # officer answer to an ambassador
    NOTICE = "notice"  # routine note to officers, gathered into one message
    ANSWER = "answer"  # bot's own answer to an ambassador (help, onboarding, offhours)
    REACTION = "reaction"  # reaction on an officer's message: delivered
    PUSH = "push"
    TOPIC = "topic"  # rename the ambassador's forum topic (moved or renamed); no message
    DATA_EXPORT = "data_export"  # an ambassador's own data, as a document made when sent
    FAREWELL = "farewell"  # the last message before an ambassador's own erasure
    TOPIC_CLOSE = "topic_close"  # close and rename an erased ambassador's forum topic


class MediaKind(StrEnum):
    PHOTO = "photo"
    VOICE = "voice"
    AUDIO = "audio"
    VIDEO = "video"
    DOCUMENT = "document"
    LOCATION = "location"
    ANIMATION = "animation"


@dataclass(frozen=True, slots=True)
class Attachment:
    """A piece of media. `ref` is what the channel needs to pass it on (a Telegram
    "chat_id:message_id" to copy, or an MMS URL to fetch with credentials)."""

    kind: MediaKind
    ref: str = ""
    content_type: str = ""
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True, slots=True)
class Inbound:
    """One message or button press from a (would-be) ambassador, on any channel."""

    channel: Channel
    address: str  # Telegram chat id, or E.164 phone number
    dedupe_key: str
    received_at: datetime
    text: str = ""
    display_name: str = ""
    language: str | None = None
    media: tuple[Attachment, ...] = ()
    unsupported: str | None = None  # e.g. "sticker": answered politely, never relayed
    callback: str | None = None  # inline button data
    command: str | None = None  # "start", "help", ... without the slash
    args: str = ""
    user_id: int | None = None  # who wrote or pressed the button (Telegram); None for SMS
    # Set once, when the arrival is stored; the flows read it rather than classify again.
    classification: Classification | None = None
    # The 1-1-2 answer already went out (storage was failing when it arrived): not again.
    acute_answered: bool = False

    @property
    def words(self) -> str:
        """What the writer said, command or not: the text after a slash word counts too."""
        return self.args if self.command is not None else self.text


@dataclass(frozen=True, slots=True)
class OfficerMessage:
    """A message written in the officers' group (or the sandbox's copy of it)."""

    dedupe_key: str
    chat_id: int
    user_id: int
    user_name: str
    message_id: int
    received_at: datetime
    text: str = ""
    thread_id: int | None = None  # forum topic, only when the message is a topic message
    reply_to_message_id: int | None = None  # explicit reply, topic root already removed
    media: tuple[Attachment, ...] = ()
    command: str | None = None
    args: str = ""
    thread_title: str | None = None  # the topic's name, as the platform shows it


@dataclass(frozen=True, slots=True)
class Button:
    text: str
    data: str


@dataclass(frozen=True, slots=True)
class Outbound:
    """What a flow wants sent. Stored in the outbox in the same transaction as the state
    change that caused it; a sender delivers it later."""

    lane: Lane
    kind: OutKind
    priority: Priority
    channel: Channel  # the ambassador's channel, or the officers' side (telegram/sandbox)
    address: str = ""  # ambassador address; empty for the officers' group
    text: str = ""  # escaped text with <b>, <i>, <code>, links, mentions (see flows/texts.py)
    ambassador_id: int | None = None  # officers lane: whose thread
    message_id: int | None = None  # the `messages` row this delivers
    copy_from: str | None = None  # "chat_id:message_id" to copy (Telegram media)
    media: tuple[Attachment, ...] = ()
    buttons: tuple[tuple[Button, ...], ...] = ()
    officer_message_id: int | None = None  # officer's group message: react / notify on outcome
    reply_to_group_message_id: int | None = None  # reply to this group message (reply mode)
    mention_user_id: int | None = None
    thread_title: str = ""  # officers lane: the forum topic's name, if one must be created
    flags: tuple[str, ...] = ()
    broadcast_delivery_id: int | None = None


@dataclass(frozen=True, slots=True)
class Ambassador:
    id: int
    channel: Channel
    address: str
    name: str
    area_id: str
    officer_id: str
    state: AmbassadorState
    language: str
    created_at: datetime
    agreement_version: str | None = None
    accepted_at: datetime | None = None
    unreachable: bool = False
    offhours_notice_at: datetime | None = None
    last_officer_reply_at: datetime | None = None
    ended_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RegisterEntry:
    """One line of the register: the ambassador and when they last wrote."""

    ambassador: Ambassador
    last_message_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MessageRecord:
    """A stored message, either way: what an officer corrects and a delivery report updates."""

    id: int
    ambassador_id: int | None
    direction: str  # in | out
    channel: Channel
    text: str
    route: str | None
    officer_id: str | None
    status: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class OpenCase:
    """A message from an ambassador that no officer has answered or marked handled yet."""

    message_id: int
    ambassador_id: int
    route: str
    text: str
    created_at: datetime
    reminded_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Invitation:
    id: int
    area_id: str
    officer_id: str
    channel: Channel
    created_at: datetime
    expires_at: datetime
    created_by: str
    phone: str | None = None
    used_at: datetime | None = None
    ambassador_id: int | None = None
    name: str | None = None  # what the coordinator called the invitee
    revoked_at: datetime | None = None

    def is_open(self, now: datetime) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > now


@dataclass(frozen=True, slots=True)
class Officer:
    id: str
    name: str
    telegram_user_id: int
    areas: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Area:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Directory:
    """The configured district: areas, officers and coordinators (some limited to areas)."""

    areas: tuple[Area, ...]
    officers: tuple[Officer, ...]
    coordinators: frozenset[int] = frozenset()
    officer_by_user: dict[int, Officer] = field(default_factory=dict)
    # Coordinators limited to some areas; every other coordinator may act in all of them.
    coordinator_areas: dict[int, frozenset[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.officer_by_user.update({o.telegram_user_id: o for o in self.officers})

    def area(self, area_id: str) -> Area | None:
        return next((a for a in self.areas if a.id == area_id), None)

    def officer(self, officer_id: str) -> Officer | None:
        return next((o for o in self.officers if o.id == officer_id), None)

    def area_name(self, area_id: str) -> str:
        area = self.area(area_id)
        return area.name if area else area_id


@dataclass(frozen=True, slots=True)
class Erasure:
    """What erasing one ambassador did: rows touched per table, and the officers' forum
    topics (chat id, thread id) to close and rename. Kept in memory only: it names them."""

    ambassador: Ambassador
    counts: dict[str, int]
    topics: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    subject: str | None
    details: dict[str, object]
