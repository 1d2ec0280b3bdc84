"""An ambassador's membership going quiet and back: paused (by themselves or by the register),
resumed, and what a pause withdraws. One place, used by the dialogue and the register alike."""

from __future__ import annotations

from flows import outgoing
from flows.context import FlowContext
from flows.model import Ambassador, AmbassadorState, Channel
from flows.outgoing import notice, officer_name
from flows.ports import Tx


async def withdraw_pushes(ctx: FlowContext, tx: Tx, amb: Ambassador, reason: str) -> None:
    """A push queued for the morning must not arrive after someone said STOP tonight."""
    now = ctx.clock.now()
    for delivery_id in await tx.outbox.withdraw_pushes(amb.channel, amb.address, now, reason):
        await tx.broadcasts.update_delivery(delivery_id, "failed", now, reason=reason)


async def pause(ctx: FlowContext, tx: Tx, amb: Ambassador, *, by: str | None = None) -> None:
    """Nothing is relayed or pushed until the ambassador resumes. `by`: a coordinator or
    officer paused them (the register), rather than the ambassador themselves."""
    now = ctx.clock.now()
    if amb.state != AmbassadorState.PAUSED:
        await tx.ambassadors.set_state(amb.id, AmbassadorState.PAUSED, now)
        await withdraw_pushes(ctx, tx, amb, "paused")
        await tx.audit.add(
            by or f"ambassador:{amb.id}", "ambassador.paused", now, subject=f"ambassador:{amb.id}"
        )
        await notice(ctx, tx, "officers.paused", amb)
    section = "register" if by else "dialogue"
    key = f"{section}.paused_sms" if amb.channel == Channel.SMS else f"{section}.paused"
    await outgoing.to_ambassador(ctx, tx, amb, ctx.texts.get(amb.language, key))


async def resume(ctx: FlowContext, tx: Tx, amb: Ambassador, *, by: str | None = None) -> None:
    now = ctx.clock.now()
    await tx.ambassadors.set_state(amb.id, AmbassadorState.ACTIVE, now)
    await tx.ambassadors.set_unreachable(amb.id, False, now)
    await tx.audit.add(
        by or f"ambassador:{amb.id}", "ambassador.resumed", now, subject=f"ambassador:{amb.id}"
    )
    await notice(ctx, tx, "officers.resumed", amb)
    text = ctx.texts.get(
        amb.language, "dialogue.resumed", officer=officer_name(ctx, amb.officer_id)
    )
    await outgoing.to_ambassador(ctx, tx, amb, text)
