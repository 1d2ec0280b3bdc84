"""Planning a push: checking what a coordinator asked for, the preview (who gets what, and
what it costs in SMS), storing and cancelling plans, and when a plan runs next.

The Telegram wizard, the command line and the sandbox's coordinator panel all plan through
these functions, so a push means the same whichever way it was made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flows.broadcasts.model import (
    AUDIENCE_CHANNELS,
    KINDS,
    Audience,
    Broadcast,
    BroadcastError,
    Plan,
)
from flows.broadcasts.schedule import (
    Rhythm,
    Schedule,
    ScheduleError,
    day_end,
    day_start,
    parse_day,
    parse_local,
)
from flows.broadcasts.tips import Tip, TipLibrary
from flows.context import FlowContext
from flows.hours import PROGRAMME_TZ, QuietHours
from flows.model import Ambassador, AmbassadorState, Button, Channel
from flows.ports import Tx
from flows.sms_text import shape, sms_body, strip_markup
from flows.texts import Html, escape

MAX_TEXT = 3500
MAX_QUESTION = 300
PULSE_PREFIX = "pulse:"  # button data: pulse:<delivery id>:<value>
PULSE_VALUES = (1, 2, 3, 4, 5)


def describe_audience(ctx: FlowContext, audience: Audience, language: str) -> str:
    key = "broadcast.audience_areas" if audience.areas else "broadcast.audience_all"
    areas = ", ".join(ctx.directory.area_name(a) for a in audience.areas)
    text = ctx.texts.get(language, key, areas=areas)
    if audience.channel != "all":
        text += " · " + ctx.texts.get(language, f"broadcast.channel_{audience.channel}")
    return text


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
    tz: str = PROGRAMME_TZ,
    kind: str = "push",
    author: str | None = None,
) -> Plan:
    """Check what a coordinator asked for (from Telegram, the CLI or the sandbox). A pulse
    is planned the same way; its text is the question."""
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
    if kind not in KINDS:
        raise BroadcastError("bad_kind", kinds=", ".join(KINDS))
    if kind == "pulse" and text is None:
        raise BroadcastError("needs_question")
    limit = MAX_QUESTION if kind == "pulse" else MAX_TEXT
    if text is not None and len(text) > limit:
        raise BroadcastError("too_long", length=len(text), limit=limit)
    if tip_topic is not None and not ctx.tips.of_topic(tip_topic):
        topics = ", ".join(ctx.tips.topics)
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
    author = (author or "").strip() or None
    audience = Audience(tuple(dict.fromkeys(areas)), channel)
    return Plan(audience, text, tip_topic, schedule, title, kind, author)


async def create(ctx: FlowContext, tx: Tx, plan: Plan, created_by: str) -> int:
    s = plan.schedule
    broadcast_id = await tx.broadcasts.create(
        title=plan.title or _default_title(ctx.tips, plan),
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
        kind=plan.kind,
        author=plan.author,
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


def _default_title(tips: TipLibrary, plan: Plan) -> str:
    if plan.tip_topic is not None:
        return tips.topic_name(plan.tip_topic)
    text = plan.text or ""
    return text if len(text) <= 60 else text[:59].rstrip() + "…"


# -- what ambassadors see ------------------------------------------------------------------


def render(ctx: FlowContext, plan: Plan, tip: Tip | None, language: str, channel: Channel) -> str:
    """The push exactly as sent (Telegram HTML; SMS strips the markup), signed with the
    programme's name (first, so an SMS starts with it) and the author's, so ambassadors can
    tell a police push from a forwarded fake."""
    if tip is not None:
        body = f"<b>{escape(tip.title_in(language))}</b>\n{escape(tip.text_in(language))}"
    elif plan.is_pulse:
        key = "pushes.pulse_sms" if channel == Channel.SMS else "pushes.pulse"
        body = ctx.texts.get(language, key, question=plan.text or "")
    else:
        body = escape(plan.text or "")
    values = {"programme": ctx.settings.programme_name, "text": Html(body)}
    if plan.author:
        return ctx.texts.get(language, "pushes.signed_by", author=plan.author, **values)
    return ctx.texts.get(language, "pushes.signed", **values)


def pulse_buttons(delivery_id: int) -> tuple[tuple[Button, ...], ...]:
    """One row of buttons 1-5 under a pulse question in Telegram."""
    return (tuple(Button(str(v), f"{PULSE_PREFIX}{delivery_id}:{v}") for v in PULSE_VALUES),)


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


def tip_for(ctx: FlowContext, plan: Plan, had: dict[str, str]) -> Tip | None:
    return ctx.tips.next_for(plan.tip_topic, had) if plan.tip_topic else None


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
            tip = tip_for(ctx, plan, had.get(amb.id, {}))
            text = render(ctx, plan, tip, amb.language, Channel.SMS)
            segments = shape(sms_body(text)).segments
            sms_total += segments
            sms_segments = segments if sms_segments is None else max(sms_segments, segments)
    first = recipients[0] if recipients else None
    tip = tip_for(ctx, plan, had.get(first.id, {}) if first else {})
    shown = render(ctx, plan, tip, ctx.settings.officers_language, Channel.TELEGRAM)
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


# -- figures -------------------------------------------------------------------------------


async def next_run(tx: Tx, broadcast: Broadcast) -> datetime | None:
    if broadcast.status != "scheduled":
        return None
    schedule = broadcast.plan.schedule
    if schedule.kind != "rhythm":
        return schedule.run_at
    last = await tx.broadcasts.last_occurrence(broadcast.id)
    after = last.due_at if last is not None else broadcast.created_at
    occ = schedule.next_after(after)
    return occ.due if occ else None


def summary_text(ctx: FlowContext, broadcast: Broadcast, language: str = "da") -> str:
    if broadcast.plan.text is not None:
        return broadcast.plan.text
    topic = broadcast.plan.tip_topic or ""
    label = "Tip fra biblioteket" if language == "da" else "Tip from the library"
    return f"{label}: {ctx.tips.topic_name(topic, language)}"
