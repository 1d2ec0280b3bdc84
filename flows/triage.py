"""An ambassador's message gets exactly one route: 1-1-2 at once (acute), the 1-1-4 referral
(report), or the officer (everything else), and the officers see it with the reason.

The 112 answer is queued first and at the highest priority, so nothing already waiting for
the slow officers' group can hold it back.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from flows import outgoing
from flows.broadcasts.fanout import answered_push
from flows.cases import handled_button
from flows.context import FlowContext
from flows.hours import format_local
from flows.model import Ambassador, Channel, Inbound, Lane, OutKind, Priority
from flows.ports import Tx
from flows.texts import Html, escape
from intents import Classification, Route


def classification(ctx: FlowContext, inbound: Inbound) -> Classification | None:
    """The arrival's classification: made once when it was stored (or now, for an arrival
    built by hand); None when there are no words to classify."""
    if inbound.classification is not None:
        return inbound.classification
    words = inbound.words
    return ctx.classifier.classify(words) if words.strip() else None


async def route_message(
    ctx: FlowContext, tx: Tx, amb: Ambassador, inbound: Inbound, *, replay: bool = False
) -> Route:
    """`replay`: a message held back (a new agreement to accept) goes on now; the
    ambassador was answered when it came."""
    now = ctx.clock.now()
    text = inbound.words
    cls = classification(ctx, inbound)
    route = cls.route if cls else Route.OFFICER
    media_kind = inbound.media[0].kind if inbound.media else None
    message_id = await tx.messages.add(
        ambassador_id=amb.id,
        direction="in",
        channel=amb.channel,
        text=text,
        status="received",
        now=now,
        media_kind=media_kind,
        route=route,
        intent=cls.intent if cls else "media",
        score=cls.score if cls else None,
        matched=cls.matched if cls else (),
        safety_net=bool(cls and cls.safety_net),
        platform_id=inbound.dedupe_key,
    )
    lang = amb.language
    olang = ctx.settings.officers_language
    area = ctx.directory.area_name(amb.area_id)
    officer = ctx.directory.officer(amb.officer_id)
    who = {"name": amb.name, "area": area, "mention": outgoing.mention(officer, amb.officer_id)}

    await _tell_if_flooding(ctx, tx, amb, now)
    if route == Route.ACUTE:
        await outgoing.answer_emergency(ctx, tx, inbound, amb)
        # Repeated emergencies from one ambassador join the alert still waiting to be sent.
        if await _join_waiting(ctx, tx, amb, OutKind.ALERT, inbound, ("route:acute",)):
            return route
        header = ctx.texts.get(olang, "officers.alert", **who)
        await _relay(
            ctx,
            tx,
            amb,
            inbound,
            header,
            cls,
            kind=OutKind.ALERT,
            priority=Priority.ACUTE,
            message_id=message_id,  # so an officer can correct a false alarm with /rute
            flags=("route:acute",),
        )
        await tx.audit.add(
            f"ambassador:{amb.id}", "message.acute", now, subject=f"message:{message_id}"
        )
        return route

    notes: list[str] = []
    if route == Route.REPORT:
        notes.append(ctx.texts.get(lang, "dialogue.report"))
        header = ctx.texts.get(olang, "officers.relay_report", **who)
        flags: tuple[str, ...] = ("route:report",)
    else:
        header = ctx.texts.get(olang, "officers.relay", **who)
        flags = ("route:officer",)
    if cls is not None and cls.safety_net:
        notes.append(ctx.texts.get(lang, "dialogue.safety_line"))
        flags += ("safety_net",)
    offhours = await _offhours_note(ctx, tx, amb, now)
    if offhours:
        notes.append(offhours)
    if notes and not replay:
        priority = Priority.ACUTE if cls is not None and cls.safety_net else Priority.REPLY
        kind = OutKind.REFERRAL if route == Route.REPORT else OutKind.ANSWER
        await outgoing.to_ambassador(ctx, tx, amb, "\n\n".join(notes), kind=kind, priority=priority)
    # Messages that come while the ambassador's last one still waits for the group (which
    # takes about 20 a minute) join it: one writer's burst is one message there.
    if await _join_waiting(ctx, tx, amb, OutKind.RELAY, inbound, flags):
        return route
    await _relay(
        ctx,
        tx,
        amb,
        inbound,
        header,
        cls,
        kind=OutKind.RELAY,
        priority=Priority.RELAY,
        message_id=message_id,
        flags=flags,
    )
    return route


async def _relay(
    ctx: FlowContext,
    tx: Tx,
    amb: Ambassador,
    inbound: Inbound,
    header: str,
    cls: Classification | None,
    *,
    kind: OutKind,
    priority: Priority,
    message_id: int | None,
    flags: tuple[str, ...],
) -> None:
    """Show the message in the officers' group: header, the text, and why it was routed."""
    olang = ctx.settings.officers_language
    context = await answered_push(ctx, tx, amb)
    if context is not None:
        header = Html(f"{header}\n{context}")  # the push this message probably answers
    parts = [header]
    if inbound.words:
        parts.append(escape(inbound.words))
    if cls is not None and cls.route != Route.OFFICER and cls.matched:
        parts.append(ctx.texts.get(olang, "officers.why", matched=", ".join(cls.matched)))
    if cls is not None and cls.safety_net:
        parts.append(ctx.texts.get(olang, "officers.safety_flag", danger=", ".join(cls.danger)))
    # Telegram media is copied from the ambassador's chat; SMS media is fetched and uploaded.
    telegram = inbound.channel == Channel.TELEGRAM
    await outgoing.to_officers(
        ctx,
        tx,
        Html("\n\n".join(parts)),
        kind=kind,
        priority=priority,
        amb=amb,
        message_id=message_id,
        flags=flags,
        copy_from=inbound.media[0].ref if inbound.media and telegram else None,
        media=() if telegram else inbound.media,
        buttons=handled_button(ctx, message_id) if message_id is not None else (),
    )


JOIN_LIMIT = 3000  # characters a gathered message may grow to before a new one is started


async def _tell_if_flooding(ctx: FlowContext, tx: Tx, amb: Ambassador, now: datetime) -> None:
    """More messages than the flood limit within the window: the writer is told, once, that
    they are gathered for the officer (and where to turn in an emergency)."""
    limit = ctx.settings.flood_messages
    recent = await tx.messages.recent_from(amb.id, now - ctx.settings.flood_window, limit + 1)
    if recent <= limit:
        return
    told = await tx.limits.hit(f"flood-notice:{amb.id}", now, ctx.settings.flood_window)
    if told == 1:
        text = ctx.texts.get(amb.language, "dialogue.flood_notice")
        await outgoing.to_ambassador(ctx, tx, amb, text)


async def _join_waiting(
    ctx: FlowContext,
    tx: Tx,
    amb: Ambassador,
    kind: OutKind,
    inbound: Inbound,
    flags: tuple[str, ...],
) -> bool:
    """Add this message to the ambassador's alert or relay still waiting for the group, so
    one writer's burst becomes one message there, not a queue that holds others up."""
    if inbound.media or not inbound.words:
        return False
    waiting = await tx.outbox.pending_of_kind(
        Lane.OFFICERS, ctx.settings.officers_channel, f"amb:{amb.id}", kind
    )
    if waiting is None or waiting[1].flags != flags or waiting[1].media or waiting[1].copy_from:
        return False
    item_id, item = waiting
    addition = escape(inbound.words)
    if len(item.text) + len(addition) > JOIN_LIMIT:
        return False
    olang = ctx.settings.officers_language
    more = ctx.texts.get(olang, "officers.joined_message")
    joined = dataclasses.replace(item, text=Html(f"{item.text}\n\n{more} {addition}"))
    return await tx.outbox.update_pending_text(item_id, joined)


async def _offhours_note(ctx: FlowContext, tx: Tx, amb: Ambassador, now: datetime) -> str | None:
    """Outside office hours, say when to expect an answer: once per conversation."""
    hours = ctx.office_hours
    if hours is None or hours.is_open(now):
        return None
    last = amb.offhours_notice_at
    if last is not None:
        replied_since = amb.last_officer_reply_at is not None and amb.last_officer_reply_at > last
        if not replied_since and now - last < ctx.settings.offhours_repeat_after:
            return None
    await tx.ambassadors.set_offhours_notice(amb.id, now)
    when = format_local(hours.next_open(now), amb.language)
    return ctx.texts.get(amb.language, "dialogue.offhours", when=when)
