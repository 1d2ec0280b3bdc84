"""Every message the programme sends is built here, and only here.

A flow says what to send and to whom (an ambassador, someone who is not one yet, or the
officers' group); these builders fill in the lane, channel, address and thread and put it in
the outbox, in the flow's own transaction. Telling someone to call 1-1-2 is one function,
`call_112`, so the rule has one wording and one urgency wherever it applies.
"""

from __future__ import annotations

from datetime import datetime

from flows.context import FlowContext
from flows.model import (
    Ambassador,
    Attachment,
    Button,
    Channel,
    Inbound,
    Lane,
    Officer,
    OfficerMessage,
    Outbound,
    OutKind,
    Priority,
)
from flows.ports import Tx
from flows.texts import Html, escape

Keyboard = tuple[tuple[Button, ...], ...]


def mention(officer: Officer | None, fallback: str = "") -> Html:
    """The programme's markup for "notify this officer": each channel renders it its own way
    (Telegram as a mention that pings them; plain text elsewhere)."""
    if officer is None:
        return Html(escape(fallback))
    return Html(f'<a href="user:{officer.telegram_user_id}">{escape(officer.name)}</a>')


def officer_name(ctx: FlowContext, officer_id: str) -> str:
    officer = ctx.directory.officer(officer_id)
    return officer.name if officer else officer_id


async def _queue(
    ctx: FlowContext, tx: Tx, item: Outbound, not_before: datetime | None = None
) -> None:
    await tx.outbox.add(item, ctx.clock.now(), not_before=not_before)


async def to_ambassador(
    ctx: FlowContext,
    tx: Tx,
    amb: Ambassador,
    text: str,
    *,
    kind: OutKind = OutKind.ANSWER,
    priority: Priority = Priority.REPLY,
    buttons: Keyboard = (),
    message_id: int | None = None,
    copy_from: str | None = None,
    media: tuple[Attachment, ...] = (),
    officer_message_id: int | None = None,
    broadcast_delivery_id: int | None = None,
    not_before: datetime | None = None,
) -> None:
    """A message to an ambassador, on their own channel."""
    item = Outbound(
        lane=Lane.AMBASSADOR,
        kind=kind,
        priority=priority,
        channel=amb.channel,
        address=amb.address,
        text=text,
        ambassador_id=amb.id,
        message_id=message_id,
        copy_from=copy_from,
        media=media,
        buttons=buttons,
        officer_message_id=officer_message_id,
        broadcast_delivery_id=broadcast_delivery_id,
    )
    await _queue(ctx, tx, item, not_before)


async def to_sender(
    ctx: FlowContext,
    tx: Tx,
    channel: Channel,
    address: str,
    text: str,
    *,
    kind: OutKind = OutKind.ANSWER,
    priority: Priority = Priority.REPLY,
    buttons: Keyboard = (),
) -> None:
    """An answer to whoever wrote, ambassador or not (a stranger, an invitee, a coordinator
    composing a push, an officer in a private chat)."""
    item = Outbound(
        lane=Lane.AMBASSADOR,
        kind=kind,
        priority=priority,
        channel=channel,
        address=address,
        text=text,
        buttons=buttons,
    )
    await _queue(ctx, tx, item)


def call_112_text(ctx: FlowContext, language: str | None) -> str:
    return ctx.texts.get(ctx.texts.language(language), "dialogue.acute")


def call_112_message(
    ctx: FlowContext,
    channel: Channel,
    address: str,
    language: str | None,
    ambassador_id: int | None = None,
) -> Outbound:
    """Tell someone to call 1-1-2 now: the first promise of the programme. At the highest
    priority, which the outbox sends ahead of everything and never paces."""
    return Outbound(
        lane=Lane.AMBASSADOR,
        kind=OutKind.ACUTE_ANSWER,
        priority=Priority.ACUTE,
        channel=channel,
        address=address,
        text=call_112_text(ctx, language),
        ambassador_id=ambassador_id,
    )


async def call_112(
    ctx: FlowContext,
    tx: Tx,
    channel: Channel,
    address: str,
    language: str | None,
    ambassador_id: int | None = None,
) -> None:
    await _queue(ctx, tx, call_112_message(ctx, channel, address, language, ambassador_id))


async def answer_emergency(
    ctx: FlowContext, tx: Tx, inbound: Inbound, amb: Ambassador | None = None
) -> None:
    """The 1-1-2 answer to an arrival, unless it already went out past the database."""
    if inbound.acute_answered:
        return
    if amb is not None:
        await call_112(ctx, tx, amb.channel, amb.address, amb.language, amb.id)
    else:
        await call_112(ctx, tx, inbound.channel, inbound.address, inbound.language)


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
    buttons: Keyboard = (),
) -> None:
    """A message for the officers' group, in the ambassador's thread when given."""
    officer = ctx.directory.officer(amb.officer_id) if amb else None
    title = ""
    if amb is not None:
        title = ctx.texts.get(
            ctx.settings.officers_language,
            "officers.thread_title",
            name=amb.name,
            area=ctx.directory.area_name(amb.area_id),
        )
    item = Outbound(
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
        buttons=buttons,
    )
    await _queue(ctx, tx, item)


async def answer_officer(
    ctx: FlowContext,
    tx: Tx,
    msg: OfficerMessage,
    text: str,
    amb: Ambassador | None = None,
    *,
    media: tuple[Attachment, ...] = (),
) -> None:
    """Answer staff where they wrote: in the group (as a reply, in the ambassador's thread when
    there is one), or in their private chat with the bot (with a picture, such as a chart)."""
    if msg.chat_id > 0:
        item = Outbound(
            lane=Lane.AMBASSADOR,
            kind=OutKind.ANSWER,
            priority=Priority.REPLY,
            channel=Channel.TELEGRAM,
            address=str(msg.chat_id),
            text=text,
            media=media,
        )
        await _queue(ctx, tx, item)
        return
    await to_officers(
        ctx,
        tx,
        text,
        kind=OutKind.ANSWER,
        priority=Priority.REPLY,
        amb=amb,
        media=media,
        reply_to_group_message_id=msg.message_id,
    )


async def rename_topic(ctx: FlowContext, tx: Tx, amb: Ambassador) -> None:
    """The ambassador's forum topic takes their current name and area (nothing is posted)."""
    await to_officers(ctx, tx, "", kind=OutKind.TOPIC, priority=Priority.NOTICE, amb=amb)


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


async def close_topic(
    ctx: FlowContext, tx: Tx, chat_id: int, thread_id: int, ambassador_id: int
) -> None:
    """Close an erased ambassador's forum topic and rename it, so their name leaves the
    group's topic list (the flag says which topic: its row is already gone)."""
    item = Outbound(
        lane=Lane.OFFICERS,
        kind=OutKind.TOPIC_CLOSE,
        priority=Priority.NOTICE,
        channel=ctx.settings.officers_channel,
        text=ctx.texts.get(
            ctx.settings.officers_language, "officers.erased_title", id=ambassador_id
        ),
        flags=(f"topic:{chat_id}:{thread_id}",),
    )
    await _queue(ctx, tx, item)


def closed_topic(item: Outbound) -> tuple[int, int] | None:
    """(chat id, thread id) of a TOPIC_CLOSE item."""
    for flag in item.flags:
        kind, _, rest = flag.partition(":")
        chat, _, thread = rest.rpartition(":")
        if kind == "topic" and chat.lstrip("-").isdigit() and thread.isdigit():
            return int(chat), int(thread)
    return None


async def delivered_mark(
    ctx: FlowContext, tx: Tx, officer_message_id: int, ambassador_id: int | None
) -> None:
    """👍 on an officer's message in the group: their answer reached the ambassador."""
    item = Outbound(
        lane=Lane.OFFICERS,
        kind=OutKind.REACTION,
        priority=Priority.REPLY,
        channel=ctx.settings.officers_channel,
        officer_message_id=officer_message_id,
        ambassador_id=ambassador_id,
        text="👍",
    )
    await _queue(ctx, tx, item)
