"""The gate in front of every restricted action: ask `roles.may`, and when the answer is no,
tell the person clearly (the action's own refusal text) and record the attempt. Nothing else
happens, so a wrong role causes no change."""

from __future__ import annotations

from flows import outgoing
from flows.context import FlowContext
from flows.model import Ambassador, Channel, Inbound, OfficerMessage
from flows.phone import mask_phone
from flows.ports import Tx
from flows.roles import Action, actor, refusal


def sender_actor(ctx: FlowContext, inbound: Inbound) -> str:
    """Who sent an arrival, for the audit log: their role's label on Telegram; SMS numbers are
    masked (the audit log outlives the number's owner's membership)."""
    if inbound.user_id is not None:
        return actor(ctx.directory, inbound.user_id)
    if inbound.channel == Channel.SMS:
        return f"sms:{mask_phone(inbound.address)}"
    return f"{inbound.channel}:?"


async def _record(ctx: FlowContext, tx: Tx, who: str, action: Action) -> None:
    await tx.audit.add(who, "access.refused", ctx.clock.now(), refused=action.value)


async def refuse_sender(
    ctx: FlowContext, tx: Tx, inbound: Inbound, action: Action, *, extra: str = ""
) -> None:
    """Refuse someone writing to the bot (a private chat, an SMS), in their language."""
    lang = ctx.texts.language(inbound.language)
    text = ctx.texts.get(lang, refusal(action))
    await _record(ctx, tx, sender_actor(ctx, inbound), action)
    await outgoing.to_sender(ctx, tx, inbound.channel, inbound.address, f"{text}{extra}")


async def refuse_ambassador(ctx: FlowContext, tx: Tx, amb: Ambassador, action: Action) -> None:
    """Refuse an ambassador (on their own channel and in their language)."""
    await _record(ctx, tx, f"ambassador:{amb.id}", action)
    await outgoing.to_ambassador(ctx, tx, amb, ctx.texts.get(amb.language, refusal(action)))


async def refuse_staff(
    ctx: FlowContext, tx: Tx, msg: OfficerMessage, action: Action, amb: Ambassador | None = None
) -> None:
    """Refuse someone in the officers' group (or staff in their private chat)."""
    text = ctx.texts.get(ctx.settings.officers_language, refusal(action))
    await _record(ctx, tx, actor(ctx.directory, msg.user_id), action)
    await outgoing.answer_officer(ctx, tx, msg, text, amb)
