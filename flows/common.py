"""Small helpers the flows share: building outbox items for the two sides."""

from __future__ import annotations

from flows.context import FlowContext
from flows.model import Ambassador, Attachment, Button, Lane, Officer, Outbound, OutKind, Priority
from flows.ports import Tx
from flows.texts import Html, escape

TELEGRAM_TEXT_LIMIT = 4096
CHUNK = 3500  # user text per message: leaves room for a header and escaping


def mention(officer: Officer | None, fallback: str = "") -> Html:
    if officer is None:
        return Html(escape(fallback))
    return Html(f'<a href="tg://user?id={officer.telegram_user_id}">{escape(officer.name)}</a>')


def officer_name(ctx: FlowContext, officer_id: str) -> str:
    officer = ctx.directory.officer(officer_id)
    return officer.name if officer else officer_id


def split_text(text: str, limit: int = CHUNK) -> list[str]:
    """Split long text at paragraph, line or word boundaries, never mid-word if avoidable."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = max(
            rest.rfind("\n\n", 0, limit), rest.rfind("\n", 0, limit), rest.rfind(" ", 0, limit)
        )
        if cut < limit // 2:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not parts:
        parts.append(rest)
    return parts


async def answer(
    ctx: FlowContext,
    tx: Tx,
    amb: Ambassador,
    text: str,
    *,
    kind: OutKind = OutKind.ANSWER,
    priority: Priority = Priority.REPLY,
    buttons: tuple[tuple[Button, ...], ...] = (),
    message_id: int | None = None,
) -> None:
    """Queue a message to an ambassador on their own channel."""
    await tx.outbox.add(
        Outbound(
            lane=Lane.AMBASSADOR,
            kind=kind,
            priority=priority,
            channel=amb.channel,
            address=amb.address,
            text=text,
            ambassador_id=amb.id,
            buttons=buttons,
            message_id=message_id,
        ),
        ctx.clock.now(),
    )


async def to_officers(
    ctx: FlowContext,
    tx: Tx,
    text: str,
    *,
    kind: OutKind,
    priority: Priority,
    amb: Ambassador | None = None,
    message_id: int | None = None,
    copy_from: str | None = None,
    media: tuple[Attachment, ...] = (),
    reply_to_group_message_id: int | None = None,
    flags: tuple[str, ...] = (),
) -> None:
    """Queue a message for the officers' group, in the ambassador's thread when given."""
    officer = ctx.directory.officer(amb.officer_id) if amb else None
    title = ""
    if amb is not None:
        title = ctx.texts.get(
            ctx.settings.officers_language,
            "officers.thread_title",
            name=amb.name,
            area=ctx.directory.area_name(amb.area_id),
        )
    await tx.outbox.add(
        Outbound(
            lane=Lane.OFFICERS,
            kind=kind,
            priority=priority,
            channel=ctx.settings.officers_channel,
            text=text,
            ambassador_id=amb.id if amb else None,
            message_id=message_id,
            copy_from=copy_from,
            media=media,
            mention_user_id=officer.telegram_user_id if officer else None,
            reply_to_group_message_id=reply_to_group_message_id,
            thread_title=Html(title),
            flags=flags,
        ),
        ctx.clock.now(),
    )


async def notice(ctx: FlowContext, tx: Tx, key: str, amb: Ambassador, **values: object) -> None:
    """A routine note for officers; the sender gathers pending notices into one message."""
    text = ctx.texts.get(
        ctx.settings.officers_language,
        key,
        name=amb.name,
        area=ctx.directory.area_name(amb.area_id),
        officer=officer_name(ctx, amb.officer_id),
        **values,
    )
    await to_officers(ctx, tx, text, kind=OutKind.NOTICE, priority=Priority.NOTICE)
