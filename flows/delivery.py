"""What happens after a send: delivery status, the officer's reaction or failure notice,
and ambassadors who can no longer be reached."""

from __future__ import annotations

from enum import StrEnum

from flows import privacy
from flows.broadcasts import fanout
from flows.context import FlowContext
from flows.model import Lane, Outbound, OutKind, Priority
from flows.outgoing import delivered_mark, notice, to_officers
from flows.ports import Tx


class FailReason(StrEnum):
    BLOCKED = "blocked"  # Telegram 403: the user blocked the bot
    OPTED_OUT = "opted_out"  # SMS 21610
    UNREACHABLE = "unreachable"  # SMS 30003/30005/30006
    BAD_REQUEST = "bad_request"
    OTHER = "other"


GONE = {FailReason.BLOCKED, FailReason.OPTED_OUT, FailReason.UNREACHABLE}


async def sent(ctx: FlowContext, tx: Tx, item: Outbound, platform_id: str | None) -> None:
    if await privacy.after_farewell(ctx, tx, item):
        return  # their last message is out: they are erased now
    now = ctx.clock.now()
    if item.message_id is not None and item.lane == Lane.AMBASSADOR:
        await tx.messages.set_status(item.message_id, "sent", now, platform_id=platform_id)
    await fanout.on_sent(ctx, tx, item)
    if item.kind == OutKind.REPLY and item.officer_message_id is not None:
        await delivered_mark(ctx, tx, item.officer_message_id, item.ambassador_id)


async def failed(
    ctx: FlowContext, tx: Tx, item: Outbound, reason: FailReason, detail: str = ""
) -> None:
    if await privacy.after_farewell(ctx, tx, item):
        return  # their last message could not go: they asked to be erased all the same
    now = ctx.clock.now()
    olang = ctx.settings.officers_language
    if item.message_id is not None and item.lane == Lane.AMBASSADOR:
        await tx.messages.set_status(item.message_id, "failed", now, error=reason.value)
    await fanout.on_failed(ctx, tx, item, reason.value)
    if item.lane != Lane.AMBASSADOR or item.ambassador_id is None:
        return
    amb = await tx.ambassadors.get(item.ambassador_id)
    if amb is None:
        return
    reason_text = ctx.texts.get(olang, f"reasons.{reason.value}")
    await tx.audit.add(
        "outbox",
        "delivery.failed",
        now,
        subject=f"ambassador:{amb.id}",
        kind=item.kind,
        reason=reason.value,
    )
    if item.kind == OutKind.REPLY:
        await to_officers(
            ctx,
            tx,
            ctx.texts.get(olang, "officers.delivery_failed", name=amb.name, reason=reason_text),
            kind=OutKind.ANSWER,
            priority=Priority.REPLY,
            amb=amb,
            reply_to_group_message_id=item.officer_message_id,
        )
    if reason in GONE and not amb.unreachable:
        await tx.ambassadors.set_unreachable(amb.id, True, now)
        if item.kind != OutKind.REPLY:
            await notice(ctx, tx, "officers.unreachable", amb, reason=reason_text)


async def status_update(
    ctx: FlowContext, tx: Tx, message_id: int, status: str, reason: FailReason | None = None
) -> None:
    """A later delivery report (SMS status callback); moves the status forward only."""
    now = ctx.clock.now()
    moved = await tx.messages.set_status(
        message_id, status, now, error=reason.value if reason else None
    )
    if moved:
        await fanout.on_status(ctx, tx, message_id, status, reason.value if reason else None)
    if not moved or status not in ("failed", "undelivered"):
        return
    found = await tx.messages.get(message_id)
    if found is None or found.ambassador_id is None or found.direction != "out":
        return
    amb = await tx.ambassadors.get(found.ambassador_id)
    if amb is None:
        return
    olang = ctx.settings.officers_language
    reason = reason or FailReason.OTHER
    if found.officer_id:
        await to_officers(
            ctx,
            tx,
            ctx.texts.get(
                olang,
                "officers.delivery_failed",
                name=amb.name,
                reason=ctx.texts.get(olang, f"reasons.{reason.value}"),
            ),
            kind=OutKind.ANSWER,
            priority=Priority.REPLY,
            amb=amb,
        )
    if reason in GONE and not amb.unreachable:
        await tx.ambassadors.set_unreachable(amb.id, True, now)
