"""Campaigns and prevention tips pushed to ambassadors: planning, preview, fan-out and
delivery bookkeeping.

A plan (broadcast) runs as occurrences; each occurrence gives every ambassador in its
audience exactly one delivery row (queued, or skipped with a reason), written in the same
transaction as the outbox item that carries it. The rows' UNIQUE keys make a fan-out that
was cut short by a crash safe to run again: it adds only who is missing.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flows.context import FlowContext
from flows.hours import QuietHours
from flows.model import Ambassador, AmbassadorState, Channel, Lane, Outbound, OutKind, Priority
from flows.ports import Row, Tx
from flows.schedule import (
    COPENHAGEN,
    Occurrence,
    Rhythm,
    Schedule,
    ScheduleError,
    day_end,
    day_start,
    parse_day,
    parse_local,
)
from flows.sms_text import shape, sms_body, strip_markup
from flows.texts import Html, TextError, escape
from flows.tips import Tip, TipLibrary

log = logging.getLogger(__name__)

AUDIENCE_CHANNELS = ("all", "telegram", "sms")
MAX_TEXT = 3500
CHUNK = 100  # small: each chunk holds the database while the senders wait
CONTEXT_WINDOW = timedelta(days=7)
MAX_MISSED_RECORDED = 1000


class BroadcastError(TextError):
    """A plan that cannot be made; `explain(lang)` tells the coordinator why."""

    section = "broadcast_errors"


@functools.cache
def library() -> TipLibrary:
    return TipLibrary.from_package()


@dataclass(frozen=True)
class Audience:
    areas: tuple[str, ...] = ()  # empty: every area
    channel: str = "all"  # all | telegram | sms

    def channels(self) -> tuple[Channel, ...]:
        """Telegram includes the sandbox's pretend Telegram phones."""
        if self.channel == "sms":
            return (Channel.SMS,)
        if self.channel == "telegram":
            return (Channel.TELEGRAM, Channel.SANDBOX)
        return (Channel.TELEGRAM, Channel.SANDBOX, Channel.SMS)

    def describe(self, ctx: FlowContext, language: str) -> str:
        key = "broadcast.audience_areas" if self.areas else "broadcast.audience_all"
        areas = ", ".join(ctx.directory.area_name(a) for a in self.areas)
        text = ctx.texts.get(language, key, areas=areas)
        if self.channel != "all":
            text += " · " + ctx.texts.get(language, f"broadcast.channel_{self.channel}")
        return text


@dataclass(frozen=True)
class Plan:
    """What a coordinator asks for, validated."""

    audience: Audience
    text: str | None
    tip_topic: str | None
    schedule: Schedule
    title: str = ""


@dataclass(frozen=True)
class Broadcast:
    """A stored plan."""

    id: int
    plan: Plan
    status: str
    created_by: str
    created_at: datetime
    cancelled_at: datetime | None = None

    @classmethod
    def from_row(cls, row: Row) -> Broadcast:
        rhythm = row["rhythm"]
        schedule = Schedule(
            kind=row["schedule_kind"],
            run_at=_time(row["run_at"]),
            rhythm=Rhythm.parse(rhythm) if rhythm else None,
            starts_at=_time(row["starts_at"]),
            ends_at=_time(row["ends_at"]),
            tz=row["timezone"],
        )
        plan = Plan(
            audience=Audience(tuple(json.loads(row["areas"])), row["channel"]),
            text=row["text"],
            tip_topic=row["tip_topic"],
            schedule=schedule,
            title=row["title"],
        )
        created = _time(row["created_at"])
        assert created is not None
        return cls(
            id=int(row["id"]),
            plan=plan,
            status=row["status"],
            created_by=row["created_by"],
            created_at=created,
            cancelled_at=_time(row["cancelled_at"]),
        )


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


# -- planning ------------------------------------------------------------------------------


def make_plan(
    ctx: FlowContext,
    *,
    areas: Sequence[str] = (),
    channel: str = "all",
    text: str | None = None,
    tip_topic: str | None = None,
    at: str | None = None,
    every: str | None = None,
    starts: str | None = None,
    until: str | None = None,
    title: str = "",
    tz: str = COPENHAGEN,
) -> Plan:
    """Check what a coordinator asked for (from Telegram, the CLI or the sandbox)."""
    now = ctx.clock.now()
    unknown = [a for a in areas if ctx.directory.area(a) is None]
    if unknown:
        known = ", ".join(a.id for a in ctx.directory.areas)
        raise BroadcastError("unknown_area", areas=", ".join(unknown), known=known)
    if channel not in AUDIENCE_CHANNELS:
        raise BroadcastError("bad_channel", channels=", ".join(AUDIENCE_CHANNELS))
    if channel == "sms" and not ctx.settings.sms_enabled:
        raise BroadcastError("no_sms")
    text = text.strip() if text is not None else None
    if (text is None) == (tip_topic is None) or text == "":
        raise BroadcastError("text_or_tip")
    if text is not None and len(text) > MAX_TEXT:
        raise BroadcastError("too_long", length=len(text), limit=MAX_TEXT)
    if tip_topic is not None and not library().of_topic(tip_topic):
        topics = ", ".join(library().topics)
        raise BroadcastError("unknown_topic", topic=tip_topic, topics=topics)
    if at and every:
        raise BroadcastError("at_and_every")
    try:
        if every:
            schedule = Schedule(
                "rhythm",
                rhythm=Rhythm.parse(every),
                starts_at=day_start(parse_day(starts), tz) if starts else None,
                ends_at=day_end(parse_day(until), tz) if until else None,
                tz=tz,
            )
            if schedule.next_after(max(now, schedule.starts_at or now)) is None:
                raise BroadcastError("never_runs")
        elif at:
            run_at = parse_local(at, tz)
            if run_at < now - timedelta(minutes=1):
                raise BroadcastError("passed", at=at)
            schedule = Schedule("once", run_at=run_at, tz=tz)
        else:
            schedule = Schedule("now", run_at=now, tz=tz)
    except ScheduleError as exc:
        raise BroadcastError(exc.key, **exc.values) from None
    return Plan(Audience(tuple(dict.fromkeys(areas)), channel), text, tip_topic, schedule, title)


async def create(ctx: FlowContext, tx: Tx, plan: Plan, created_by: str) -> int:
    s = plan.schedule
    broadcast_id = await tx.broadcasts.create(
        title=plan.title or _default_title(plan),
        text=plan.text,
        tip_topic=plan.tip_topic,
        areas=plan.audience.areas,
        channel=plan.audience.channel,
        schedule_kind=s.kind,
        run_at=s.run_at,
        rhythm=s.rhythm.describe() if s.rhythm else None,
        starts_at=s.starts_at,
        ends_at=s.ends_at,
        timezone=s.tz,
        created_by=created_by,
        now=ctx.clock.now(),
    )
    await tx.audit.add(
        created_by, "broadcast.created", ctx.clock.now(), subject=f"broadcast:{broadcast_id}"
    )
    return broadcast_id


async def cancel(ctx: FlowContext, tx: Tx, broadcast_id: int, by: str) -> bool:
    """Stop a plan; what is already queued for an occurrence in progress still goes."""
    done = await tx.broadcasts.cancel(broadcast_id, ctx.clock.now())
    if done:
        await tx.audit.add(
            by, "broadcast.cancelled", ctx.clock.now(), subject=f"broadcast:{broadcast_id}"
        )
    return done


def _default_title(plan: Plan) -> str:
    if plan.tip_topic is not None:
        return library().topic_name(plan.tip_topic)
    text = plan.text or ""
    return text if len(text) <= 60 else text[:59].rstrip() + "…"


# -- what ambassadors see ------------------------------------------------------------------


def render(text: str | None, tip: Tip | None, language: str) -> str:
    """The push exactly as sent (Telegram HTML; SMS strips the markup)."""
    if tip is not None:
        return f"<b>{escape(tip.title_in(language))}</b>\n{escape(tip.text_in(language))}"
    return escape(text or "")


def skip_reason(ctx: FlowContext, amb: Ambassador) -> str | None:
    if amb.state == AmbassadorState.PAUSED:
        return "paused"
    if amb.state != AmbassadorState.ACTIVE:
        return "not_active"
    if amb.unreachable:
        return "unreachable"
    if amb.channel == Channel.SMS and not ctx.settings.sms_enabled:
        return "no_sms"
    return None


def _tip_for(plan: Plan, had: dict[str, str]) -> Tip | None:
    return library().next_for(plan.tip_topic, had) if plan.tip_topic else None


@dataclass(frozen=True)
class Preview:
    text: str  # HTML as a Telegram ambassador sees it
    plain: str  # as an SMS ambassador sees it
    telegram: int
    sms: int
    sms_segments: int | None
    sms_total: int
    skipped: dict[str, int] = field(default_factory=dict)
    first_due: datetime | None = None
    goes_out: datetime | None = None  # first due, moved past quiet hours

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.plain,
            "html": self.text,
            "recipients": {"telegram": self.telegram, "sms": self.sms},
            "sms_segments": self.sms_segments,
            "sms_total": self.sms_total,
            "skipped": self.skipped,
            "first_run": self.first_due.isoformat() if self.first_due else None,
            "goes_out": self.goes_out.isoformat() if self.goes_out else None,
        }


async def preview(ctx: FlowContext, tx: Tx, plan: Plan, quiet: QuietHours | None) -> Preview:
    """Who would get it now, what they see, and what it costs in SMS."""
    channels = plan.audience.channels()
    found = await tx.ambassadors.find(areas=plan.audience.areas or None)
    audience = [a for a in found if a.channel in channels]
    recipients = [a for a in audience if skip_reason(ctx, a) is None]
    skipped: dict[str, int] = {}
    for amb in audience:
        reason = skip_reason(ctx, amb)
        if reason is not None:
            skipped[reason] = skipped.get(reason, 0) + 1
    had = await tx.broadcasts.tips_had([a.id for a in recipients]) if plan.tip_topic else {}
    sms_total = 0
    sms_segments: int | None = None
    for amb in recipients:
        if amb.channel == Channel.SMS:
            text = render(plan.text, _tip_for(plan, had.get(amb.id, {})), amb.language)
            segments = shape(sms_body(text)).segments
            sms_total += segments
            sms_segments = segments if sms_segments is None else max(sms_segments, segments)
    first = recipients[0] if recipients else None
    tip = _tip_for(plan, had.get(first.id, {}) if first else {})
    shown = render(plan.text, tip, ctx.settings.officers_language)
    if sms_segments is None:
        sms_segments = shape(sms_body(shown)).segments
    occurrence = plan.schedule.first(ctx.clock.now())
    due = occurrence.due if occurrence else None
    goes_out = quiet.release_time(due) if quiet is not None and due is not None else due
    return Preview(
        text=shown,
        plain=strip_markup(shown),
        telegram=sum(1 for a in recipients if a.channel != Channel.SMS),
        sms=sum(1 for a in recipients if a.channel == Channel.SMS),
        sms_segments=sms_segments,
        sms_total=sms_total,
        skipped=skipped,
        first_due=due,
        goes_out=goes_out,
    )


# -- running -------------------------------------------------------------------------------


async def due_occurrences(
    ctx: FlowContext, tx: Tx, broadcast: Broadcast, grace: timedelta
) -> list[int]:
    """Record the occurrences that have fallen due; return those to send now.

    Within the grace period only the latest due occurrence is sent (coalescing after a long
    stop); earlier ones, and any beyond the grace, are recorded as missed. Never twice: an
    occurrence is a UNIQUE (broadcast, local wall time) row.
    """
    now = ctx.clock.now()
    schedule = broadcast.plan.schedule
    last = await tx.broadcasts.last_occurrence(broadcast.id)
    due: list[Occurrence] = []
    if schedule.kind != "rhythm":
        first = schedule.first(broadcast.created_at)
        if last is None and first is not None and first.due <= now:
            due.append(first)
        upcoming = None if (last is not None or due) else first
    else:
        after = _time(last["due_at"]) if last is not None else broadcast.created_at
        assert after is not None
        upcoming = schedule.next_after(after)
        while upcoming is not None and upcoming.due <= now:
            due.append(upcoming)
            upcoming = schedule.next_after(upcoming.due)
    to_send: list[int] = []
    if len(due) > MAX_MISSED_RECORDED:
        log.warning("broadcast %s: %d occurrences missed", broadcast.id, len(due) - 1)
        due = due[-MAX_MISSED_RECORDED:]
    for index, occ in enumerate(due):
        latest = index == len(due) - 1
        status = "pending" if latest and now - occ.due <= grace else "missed"
        added = await tx.broadcasts.add_occurrence(broadcast.id, occ.key, occ.due, status, now)
        if added is None:
            continue
        if status == "missed":
            log.warning("broadcast %s: occurrence %s missed (beyond grace)", broadcast.id, occ.key)
            await tx.audit.add(
                "scheduler", "broadcast.missed", now, subject=f"broadcast:{broadcast.id}",
                occurrence=occ.key,
            )  # fmt: skip
        else:
            to_send.append(added)
    if upcoming is None:
        await tx.broadcasts.set_status(broadcast.id, "done")
    return to_send


async def fan_out_chunk(
    ctx: FlowContext,
    tx: Tx,
    broadcast: Broadcast,
    occurrence_id: int,
    quiet: QuietHours | None,
    limit: int = CHUNK,
) -> int:
    """Queue (or skip) up to `limit` ambassadors still missing from this occurrence.

    Returns how many were handled; 0 means the fan-out is complete.
    """
    plan = broadcast.plan
    ambassadors = await tx.broadcasts.audience_missing(
        occurrence_id, areas=plan.audience.areas, channels=plan.audience.channels(), limit=limit
    )
    if not ambassadors:
        return 0
    now = ctx.clock.now()
    release = quiet.release_time(now) if quiet is not None else now
    not_before = release if release > now else None
    had = await tx.broadcasts.tips_had([a.id for a in ambassadors]) if plan.tip_topic else {}
    for amb in ambassadors:
        reason = skip_reason(ctx, amb)
        if reason is not None:
            await tx.broadcasts.add_delivery(
                occurrence_id, amb.id, amb.channel, "skipped", now, reason=reason
            )
            continue
        tip = _tip_for(plan, had.get(amb.id, {}))
        delivery_id = await tx.broadcasts.add_delivery(
            occurrence_id, amb.id, amb.channel, "queued", now, tip_id=tip.id if tip else None
        )
        if delivery_id is None:
            continue
        text = render(plan.text, tip, amb.language)
        message_id = await tx.messages.add(
            ambassador_id=amb.id,
            direction="out",
            channel=amb.channel,
            text=text,
            status="queued",
            now=now,
            intent="push",
        )
        await tx.broadcasts.set_delivery_message(delivery_id, message_id)
        if tip is not None:
            await tx.broadcasts.record_tip(amb.id, tip.id, now)
        await tx.outbox.add(
            Outbound(
                lane=Lane.AMBASSADOR,
                kind=OutKind.PUSH,
                priority=Priority.PUSH,
                channel=amb.channel,
                address=amb.address,
                text=text,
                ambassador_id=amb.id,
                message_id=message_id,
                broadcast_delivery_id=delivery_id,
            ),
            now,
            not_before=not_before,
        )
    return len(ambassadors)


# -- after sending -------------------------------------------------------------------------


async def on_sent(ctx: FlowContext, tx: Tx, item: Outbound) -> None:
    """The sandbox shows a push on the phone at once: that is delivered."""
    if item.broadcast_delivery_id is None:
        return
    status = "delivered" if item.channel == Channel.SANDBOX else "sent"
    await tx.broadcasts.update_delivery(item.broadcast_delivery_id, status, ctx.clock.now())


async def on_failed(ctx: FlowContext, tx: Tx, item: Outbound, reason: str) -> None:
    if item.broadcast_delivery_id is None:
        return
    now = ctx.clock.now()
    await tx.broadcasts.update_delivery(item.broadcast_delivery_id, "failed", now, reason=reason)
    row = await tx.broadcasts.delivery(item.broadcast_delivery_id)
    if row is not None and row["tip_id"]:
        await tx.broadcasts.forget_tip(int(row["ambassador_id"]), row["tip_id"])


async def on_status(
    ctx: FlowContext, tx: Tx, message_id: int, status: str, reason: str | None
) -> None:
    """A channel's later report (SMS delivered / undelivered) for a push's message."""
    delivery_id = await tx.broadcasts.delivery_for_message(message_id)
    if delivery_id is None:
        return
    if status == "delivered":
        await tx.broadcasts.update_delivery(delivery_id, "delivered", ctx.clock.now())
    elif status in ("failed", "undelivered"):
        await tx.broadcasts.update_delivery(
            delivery_id, "failed", ctx.clock.now(), reason=reason or "undelivered"
        )


async def answered_push(ctx: FlowContext, tx: Tx, amb: Ambassador) -> str | None:
    """For the officers: the push an ambassador's first message after it probably answers."""
    now = ctx.clock.now()
    row = await tx.broadcasts.latest_push(amb.id, now - CONTEXT_WINDOW)
    if row is None or row["answered_at"]:
        return None
    await tx.broadcasts.mark_answered(int(row["id"]), now)
    tip = library().get(row["tip_id"]) if row["tip_id"] else None
    olang = ctx.settings.officers_language
    text = tip.title_in(olang) if tip is not None else strip_markup(row["text"] or "")
    text = " ".join(text.split())
    if len(text) > 80:
        text = text[:79].rstrip() + "…"
    return ctx.texts.get(olang, "broadcast.push_context", text=text)


# -- figures -------------------------------------------------------------------------------


async def next_run(tx: Tx, broadcast: Broadcast) -> datetime | None:
    if broadcast.status != "scheduled":
        return None
    schedule = broadcast.plan.schedule
    if schedule.kind != "rhythm":
        return schedule.run_at
    last = await tx.broadcasts.last_occurrence(broadcast.id)
    after = _time(last["due_at"]) if last is not None else broadcast.created_at
    assert after is not None
    occ = schedule.next_after(after)
    return occ.due if occ else None


def summary_text(broadcast: Broadcast, language: str = "da") -> str:
    if broadcast.plan.text is not None:
        return broadcast.plan.text
    topic = broadcast.plan.tip_topic or ""
    label = "Tip fra biblioteket" if language == "da" else "Tip from the library"
    return f"{label}: {library().topic_name(topic, language)}"


__all__ = [
    "Audience",
    "Broadcast",
    "BroadcastError",
    "Html",
    "Plan",
    "Preview",
    "answered_push",
    "cancel",
    "create",
    "due_occurrences",
    "fan_out_chunk",
    "make_plan",
    "preview",
]
