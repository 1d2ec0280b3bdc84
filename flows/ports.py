"""What flows need from the outside, as protocols. `storage/` implements them; tests use
real SQLite, not fakes of these."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from flows.broadcasts.model import (
    Broadcast,
    DeliveryRecord,
    OccurrenceRecord,
    OpenPulse,
    PulseAnswer,
    PushReceived,
)
from flows.figures import Event, InboundFact, StatePoint
from flows.model import (
    Ambassador,
    AmbassadorState,
    AuditEntry,
    Channel,
    Erasure,
    Inbound,
    Invitation,
    MessageRecord,
    OpenCase,
    Outbound,
    RegisterEntry,
)


class Clock(Protocol):
    def now(self) -> datetime: ...


class AmbassadorRepo(Protocol):
    async def get(self, ambassador_id: int) -> Ambassador | None: ...
    async def by_address(self, channel: Channel, address: str) -> Ambassador | None: ...
    async def create(
        self,
        *,
        channel: Channel,
        address: str,
        name: str,
        area_id: str,
        officer_id: str,
        state: AmbassadorState,
        language: str,
        now: datetime,
    ) -> Ambassador: ...
    async def reassign(
        self,
        ambassador_id: int,
        *,
        area_id: str,
        officer_id: str,
        state: AmbassadorState,
        now: datetime,
    ) -> None: ...
    async def move(
        self, ambassador_id: int, *, area_id: str, officer_id: str, now: datetime
    ) -> None: ...
    async def rename(self, ambassador_id: int, name: str, now: datetime) -> None: ...
    async def register(self, *, areas: Iterable[str] | None = None) -> list[RegisterEntry]: ...
    async def set_state(
        self, ambassador_id: int, state: AmbassadorState, now: datetime
    ) -> None: ...
    async def accept(self, ambassador_id: int, version: str, now: datetime) -> None: ...
    async def set_language(self, ambassador_id: int, language: str, now: datetime) -> None: ...
    async def set_unreachable(self, ambassador_id: int, value: bool, now: datetime) -> None: ...
    async def set_offhours_notice(self, ambassador_id: int, now: datetime) -> None: ...
    async def set_last_officer_reply(self, ambassador_id: int, now: datetime) -> None: ...
    async def find(
        self,
        *,
        states: Iterable[AmbassadorState] | None = None,
        areas: Iterable[str] | None = None,
        channel: Channel | None = None,
    ) -> list[Ambassador]: ...


class InvitationRepo(Protocol):
    async def create(
        self,
        *,
        code_hash: str,
        area_id: str,
        officer_id: str,
        channel: Channel,
        phone: str | None,
        created_by: str,
        now: datetime,
        expires_at: datetime,
        name: str | None = None,
    ) -> Invitation: ...
    async def by_hash(self, code_hash: str) -> Invitation | None: ...
    async def get(self, invitation_id: int) -> Invitation | None: ...
    async def open(self, now: datetime) -> list[Invitation]: ...
    async def revoke(self, invitation_id: int, now: datetime) -> bool: ...
    async def mark_used(self, invitation_id: int, ambassador_id: int, now: datetime) -> bool: ...


class MessageRepo(Protocol):
    async def add(
        self,
        *,
        ambassador_id: int | None,
        direction: str,
        channel: Channel,
        text: str,
        status: str,
        now: datetime,
        media_kind: str | None = None,
        route: str | None = None,
        intent: str | None = None,
        score: float | None = None,
        matched: Iterable[str] = (),
        safety_net: bool = False,
        officer_id: str | None = None,
        platform_id: str | None = None,
    ) -> int: ...
    async def get(self, message_id: int) -> MessageRecord | None: ...
    async def set_status(
        self,
        message_id: int,
        status: str,
        now: datetime,
        *,
        error: str | None = None,
        platform_id: str | None = None,
    ) -> bool: ...
    async def set_route(self, message_id: int, route: str) -> None: ...
    async def set_sms_shape(self, message_id: int, segments: int, encoding: str) -> None: ...
    async def recent_from(self, ambassador_id: int, since: datetime, cap: int) -> int: ...
    async def mark_answered(self, ambassador_id: int, now: datetime) -> int: ...
    async def mark_handled(
        self,
        by: str,
        now: datetime,
        *,
        message_id: int | None = None,
        ambassador_id: int | None = None,
    ) -> list[int]: ...
    async def open_cases(self) -> list[OpenCase]: ...
    async def set_reminded(self, message_ids: Iterable[int], now: datetime) -> None: ...


class ThreadRepo(Protocol):
    async def ambassador_for_topic(self, chat_id: int, thread_id: int) -> int | None: ...
    async def found_topic(
        self, chat_id: int, thread_id: int, name: str, now: datetime
    ) -> int | None: ...
    async def group_message(
        self, chat_id: int, group_message_id: int
    ) -> tuple[int, int | None] | None: ...


class OutboxPort(Protocol):
    async def add(
        self, item: Outbound, now: datetime, *, not_before: datetime | None = None
    ) -> int: ...
    async def pending_of_kind(
        self, lane: str, channel: str, key: str, kind: str
    ) -> tuple[int, Outbound] | None: ...
    async def update_pending_text(self, item_id: int, item: Outbound) -> bool: ...
    async def withdraw_pushes(
        self, channel: Channel, address: str, now: datetime, reason: str
    ) -> list[int]: ...


class AuditRepo(Protocol):
    async def add(
        self,
        actor: str,
        action: str,
        now: datetime,
        subject: str | None = None,
        **details: object,
    ) -> None: ...
    async def entries(
        self, *, since: datetime | None = None, limit: int = 100
    ) -> list[AuditEntry]: ...


class PrivacyRepo(Protocol):
    """Export, erasure and retention across every table (storage/privacy.py)."""

    erased: list[Erasure]

    async def export(self, amb: Ambassador) -> dict[str, Any]: ...
    async def erase(self, amb: Ambassador) -> Erasure: ...
    async def purge(
        self,
        *,
        messages: datetime,
        inbox: datetime,
        outbox: datetime,
        strangers: datetime,
        audit: datetime,
        limit: int = 2000,
    ) -> dict[str, int]: ...


class CorrectionRepo(Protocol):
    async def add(
        self,
        message_id: int,
        route_given: str | None,
        route_corrected: str,
        officer_id: str,
        now: datetime,
    ) -> None: ...


class LimitRepo(Protocol):
    async def hit(self, key: str, now: datetime, window: timedelta) -> int: ...


class StrangerRepo(Protocol):
    async def may_answer(
        self, channel: Channel, address: str, now: datetime, every: float
    ) -> bool: ...


class BroadcastRepo(Protocol):
    """Broadcast plans, occurrences, deliveries, tips had and wizard drafts."""

    changed: bool

    async def create(
        self,
        *,
        title: str,
        text: str | None,
        tip_topic: str | None,
        areas: Sequence[str],
        channel: str,
        schedule_kind: str,
        run_at: datetime | None,
        rhythm: str | None,
        starts_at: datetime | None,
        ends_at: datetime | None,
        timezone: str,
        created_by: str,
        now: datetime,
        kind: str = "push",
        author: str | None = None,
    ) -> int: ...
    async def get(self, broadcast_id: int) -> Broadcast | None: ...
    async def listing(self, *, limit: int = 100) -> list[Broadcast]: ...
    async def scheduled(self) -> list[Broadcast]: ...
    async def set_status(self, broadcast_id: int, status: str) -> None: ...
    async def cancel(self, broadcast_id: int, now: datetime) -> bool: ...
    async def last_occurrence(self, broadcast_id: int) -> OccurrenceRecord | None: ...
    async def add_occurrence(
        self, broadcast_id: int, key: str, due: datetime, status: str, now: datetime
    ) -> int | None: ...
    async def occurrences(self, broadcast_id: int) -> list[OccurrenceRecord]: ...
    async def open_occurrences(self) -> list[OccurrenceRecord]: ...
    async def set_occurrence_status(
        self, occurrence_id: int, status: str, now: datetime
    ) -> None: ...
    async def audience_missing(
        self,
        occurrence_id: int,
        *,
        areas: Sequence[str],
        channels: Iterable[Channel],
        limit: int,
    ) -> list[Ambassador]: ...
    async def add_delivery(
        self,
        occurrence_id: int,
        ambassador_id: int,
        channel: str,
        status: str,
        now: datetime,
        *,
        reason: str | None = None,
        tip_id: str | None = None,
    ) -> int | None: ...
    async def set_delivery_message(self, delivery_id: int, message_id: int) -> None: ...
    async def update_delivery(
        self, delivery_id: int, status: str, now: datetime, *, reason: str | None = None
    ) -> bool: ...
    async def delivery(self, delivery_id: int) -> DeliveryRecord | None: ...
    async def delivery_for_message(self, message_id: int) -> int | None: ...
    async def counts(self, broadcast_id: int) -> dict[str, int]: ...
    async def counts_by_occurrence(self, broadcast_id: int) -> dict[int, dict[str, int]]: ...
    async def reasons(self, broadcast_id: int) -> dict[str, int]: ...
    async def latest_push(self, ambassador_id: int, since: datetime) -> PushReceived | None: ...
    async def mark_answered(self, delivery_id: int, now: datetime) -> None: ...
    async def tips_had(self, ambassador_ids: Sequence[int]) -> dict[int, dict[str, str]]: ...
    async def record_tip(self, ambassador_id: int, tip_id: str, now: datetime) -> None: ...
    async def forget_tip(self, ambassador_id: int, tip_id: str) -> None: ...
    async def draft(self, user_id: int) -> dict[str, Any] | None: ...
    async def save_draft(self, user_id: int, data: dict[str, Any], now: datetime) -> None: ...
    async def drop_draft(self, user_id: int) -> None: ...


class PulseRepo(Protocol):
    async def latest_question(self, ambassador_id: int, since: datetime) -> OpenPulse | None: ...
    async def delivery_owner(self, delivery_id: int) -> tuple[int, int, datetime | None] | None: ...
    async def answer_of(self, delivery_id: int) -> int | None: ...
    async def record(
        self,
        delivery_id: int,
        occurrence_id: int,
        ambassador_id: int,
        area_id: str,
        value: int,
        now: datetime,
    ) -> bool: ...
    async def answers(self, broadcast_id: int) -> list[PulseAnswer]: ...
    async def answers_between(self, since: datetime, until: datetime) -> list[PulseAnswer]: ...


class HeldRepo(Protocol):
    async def add(self, ambassador_id: int, inbound: Inbound, now: datetime) -> None: ...
    async def take(self, ambassador_id: int) -> list[Inbound]: ...


class FiguresRepo(Protocol):
    async def history(self) -> list[StatePoint]: ...
    async def inbound(self, since: datetime, until: datetime) -> list[InboundFact]: ...
    async def replies(self, since: datetime, until: datetime) -> list[Event]: ...
    async def deliveries(self, since: datetime, until: datetime) -> list[Event]: ...


class Tx(Protocol):
    """One transaction: whatever a flow writes here commits or rolls back together."""

    @property
    def ambassadors(self) -> AmbassadorRepo: ...
    @property
    def invitations(self) -> InvitationRepo: ...
    @property
    def messages(self) -> MessageRepo: ...
    @property
    def threads(self) -> ThreadRepo: ...
    @property
    def outbox(self) -> OutboxPort: ...
    @property
    def audit(self) -> AuditRepo: ...
    @property
    def corrections(self) -> CorrectionRepo: ...
    @property
    def strangers(self) -> StrangerRepo: ...
    @property
    def broadcasts(self) -> BroadcastRepo: ...
    @property
    def limits(self) -> LimitRepo: ...
    @property
    def pulses(self) -> PulseRepo: ...
    @property
    def held(self) -> HeldRepo: ...
    @property
    def figures(self) -> FiguresRepo: ...
    @property
    def privacy(self) -> PrivacyRepo: ...


__all__: Sequence[str] = [
    "AmbassadorRepo",
    "AuditRepo",
    "BroadcastRepo",
    "Clock",
    "CorrectionRepo",
    "FiguresRepo",
    "HeldRepo",
    "InvitationRepo",
    "LimitRepo",
    "MessageRepo",
    "OutboxPort",
    "PrivacyRepo",
    "PulseRepo",
    "StrangerRepo",
    "ThreadRepo",
    "Tx",
]
