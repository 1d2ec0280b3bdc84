"""Running a push: recording the occurrences that fell due, fanning each out to its
audience, and keeping every recipient's delivery row up to date afterwards.

Each occurrence gives every ambassador in its audience exactly one delivery row (queued, or
skipped with a reason), written in the same transaction as the outbox item that carries it.
The rows' UNIQUE keys make a fan-out that was cut short by a crash safe to run again: it adds
only who is missing.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flows import outgoing
from flows.broadcasts.model import Broadcast
from flows.broadcasts.planning import pulse_buttons, render, skip_reason, tip_for
from flows.broadcasts.schedule import Occurrence
from flows.context import FlowContext
from flows.hours import QuietHours
from flows.model import Ambassador, Outbound, OutKind, Priority
from flows.ports import Tx
from flows.sms_text import strip_markup

log = logging.getLogger(__name__)

FANOUT_BATCH = 100  # recipients per transaction: each batch holds the database briefly
CONTEXT_WINDOW = timedelta(days=7)  # an answer this soon after a push is shown with it
MAX_MISSED_RECORDED = 1000


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
        after = last.due_at if last is not None else broadcast.created_at
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
    limit: int = FANOUT_BATCH,
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
        tip = tip_for(ctx, plan, had.get(amb.id, {}))
        delivery_id = await tx.broadcasts.add_delivery(
            occurrence_id, amb.id, amb.channel, "queued", now, tip_id=tip.id if tip else None
        )
        if delivery_id is None:
            continue
        text = render(ctx, plan, tip, amb.language, amb.channel)
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
        await outgoing.to_ambassador(
            ctx,
            tx,
            amb,
            text,
            kind=OutKind.PUSH,
            priority=Priority.PUSH,
            message_id=message_id,
            broadcast_delivery_id=delivery_id,
            not_before=not_before,
            buttons=pulse_buttons(delivery_id) if plan.is_pulse else (),
        )
    return len(ambassadors)


# -- after sending -------------------------------------------------------------------------


async def on_sent(ctx: FlowContext, tx: Tx, item: Outbound) -> None:
    if item.broadcast_delivery_id is None:
        return
    await tx.broadcasts.update_delivery(item.broadcast_delivery_id, "sent", ctx.clock.now())


async def on_failed(ctx: FlowContext, tx: Tx, item: Outbound, reason: str) -> None:
    if item.broadcast_delivery_id is None:
        return
    now = ctx.clock.now()
    await tx.broadcasts.update_delivery(item.broadcast_delivery_id, "failed", now, reason=reason)
    delivery = await tx.broadcasts.delivery(item.broadcast_delivery_id)
    if delivery is not None and delivery.tip_id:
        await tx.broadcasts.forget_tip(delivery.ambassador_id, delivery.tip_id)


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
    push = await tx.broadcasts.latest_push(amb.id, now - CONTEXT_WINDOW)
    if push is None or push.answered:
        return None
    await tx.broadcasts.mark_answered(push.delivery_id, now)
    tip = ctx.tips.get(push.tip_id) if push.tip_id else None
    olang = ctx.settings.officers_language
    text = tip.title_in(olang) if tip is not None else strip_markup(push.text or "")
    text = " ".join(text.split())
    if len(text) > 80:
        text = text[:79].rstrip() + "…"
    return ctx.texts.get(olang, "broadcast.push_context", text=text)
