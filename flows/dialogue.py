"""The ambassador ↔ officer dialogue: ambassador commands, officer replies, internal notes
and route corrections."""

from __future__ import annotations

from flows import cases, outgoing, register, reporting
from flows.access import refuse_staff
from flows.context import FlowContext
from flows.hours import format_local
from flows.model import (
    Ambassador,
    AmbassadorState,
    Channel,
    OfficerMessage,
    OutKind,
    Priority,
)
from flows.onboarding import InviteError, create_invitation
from flows.outgoing import officer_name, to_officers
from flows.phone import PhoneError, normalise_phone
from flows.ports import Tx
from flows.roles import Action, actor, may, may_somewhere
from flows.sms_text import fit, shape, sms_body
from flows.texts import LANGUAGES, escape

# Commands for a private chat with the bot: in the group they get a pointer there (or, for
# someone whose role does not allow them at all, the refusal).
PRIVATE_COMMANDS = {
    "kampagne": Action.PLAN_PUSH,
    "broadcast": Action.PLAN_PUSH,
    "udsendelse": Action.PLAN_PUSH,
    "annuller": Action.PLAN_PUSH,
    "cancel": Action.PLAN_PUSH,
    "logbog": Action.READ_AUDIT,
    "audit": Action.READ_AUDIT,
    "slet": Action.ERASE_DATA,
    "delete": Action.ERASE_DATA,
}

ROUTE_WORDS = {
    "akut": "acute",
    "acute": "acute",
    "112": "acute",
    "anmeldelse": "report",
    "anmeld": "report",
    "report": "report",
    "114": "report",
    "betjent": "officer",
    "officer": "officer",
    "normal": "officer",
}


async def show_help(ctx: FlowContext, tx: Tx, amb: Ambassador) -> None:
    key = "dialogue.help_sms" if amb.channel == Channel.SMS else "dialogue.help"
    text = ctx.texts.get(amb.language, key, officer=officer_name(ctx, amb.officer_id))
    await outgoing.to_ambassador(ctx, tx, amb, text)


async def not_for_ambassadors(ctx: FlowContext, tx: Tx, amb: Ambassador) -> None:
    """A slash command meant for officers or coordinators: say so, relay nothing."""
    await outgoing.to_ambassador(ctx, tx, amb, ctx.texts.get(amb.language, "dialogue.not_yours"))


async def set_language(ctx: FlowContext, tx: Tx, amb: Ambassador, wanted: str) -> None:
    code = wanted.strip().lower()[:2]
    lang = code if code in LANGUAGES else ("en" if amb.language == "da" else "da")
    await tx.ambassadors.set_language(amb.id, lang, ctx.clock.now())
    await outgoing.to_ambassador(ctx, tx, amb, ctx.texts.get(lang, "dialogue.language_set"))


async def unsupported(ctx: FlowContext, tx: Tx, amb: Ambassador, kind: str = "") -> None:
    key = "dialogue.edit_not_relayed" if kind == "edit" else "dialogue.unsupported"
    await outgoing.to_ambassador(ctx, tx, amb, ctx.texts.get(amb.language, key))


async def officer_message(ctx: FlowContext, tx: Tx, msg: OfficerMessage) -> None:
    """Something was written in the officers' group."""
    olang = ctx.settings.officers_language
    now = ctx.clock.now()
    officer = ctx.directory.officer_by_user.get(msg.user_id)
    if msg.command in ("inviter", "invite"):
        await invite_command(ctx, tx, msg)
        return
    target_id: int | None = None
    relayed_message_id: int | None = None
    if msg.reply_to_message_id is not None:
        found = await tx.threads.group_message(msg.chat_id, msg.reply_to_message_id)
        if found is not None:
            target_id, relayed_message_id = found
    if target_id is None and msg.thread_id is not None:
        target_id = await tx.threads.ambassador_for_topic(msg.chat_id, msg.thread_id)
        if target_id is None and msg.thread_title:
            # A topic whose creation went unanswered: now we know it, and whose it is.
            target_id = await tx.threads.found_topic(
                msg.chat_id, msg.thread_id, msg.thread_title, now
            )
    amb = await tx.ambassadors.get(target_id) if target_id is not None else None

    if msg.command in ("rute", "route"):
        await correct_route(ctx, tx, msg, amb, relayed_message_id)
        return
    if msg.command in cases.COMMANDS:
        await cases.command(ctx, tx, msg, amb, relayed_message_id)
        return
    if msg.command in register.COMMANDS:
        await register.command(ctx, tx, msg)
        return
    if msg.command in reporting.COMMANDS:
        await reporting.command(ctx, tx, msg)
        return
    private = PRIVATE_COMMANDS.get(msg.command or "")
    if private is not None:
        # Campaigns, the audit log and deletions are not for the whole group to watch.
        if may_somewhere(ctx.directory, msg.user_id, private):
            await outgoing.answer_officer(
                ctx, tx, msg, ctx.texts.get(olang, "refusals.private_only")
            )
        else:
            await refuse_staff(ctx, tx, msg, private)
        return
    if msg.command is not None:
        if amb is not None:  # in a thread, say it went nowhere (an empty reply would mislead)
            text = ctx.texts.get(olang, "officers.unknown_command", command=msg.command)
            await outgoing.answer_officer(ctx, tx, msg, text, amb)
        return  # elsewhere: a command for another bot in the group
    marker = ctx.settings.internal_marker.lower()
    if msg.text.strip().lower().startswith(marker):
        await tx.audit.add(
            actor(ctx.directory, msg.user_id),  # who wrote it, officer or not
            "note.internal",
            now,
            subject=f"ambassador:{target_id}" if target_id else None,
        )
        return
    if amb is None:
        return  # officers talking among themselves
    if officer is None:
        await refuse_staff(ctx, tx, msg, Action.REPLY, amb)
        return
    if amb.state in (AmbassadorState.PAUSED, AmbassadorState.ENDED):
        await outgoing.answer_officer(
            ctx,
            tx,
            msg,
            ctx.texts.get(
                olang,
                "officers.delivery_failed",
                name=amb.name,
                reason=ctx.texts.get(olang, f"reasons.{amb.state.value}"),
            ),
            amb,
        )
        return
    if not msg.text.strip() and not msg.media:
        await outgoing.answer_officer(ctx, tx, msg, ctx.texts.get(olang, "cases.empty_reply"), amb)
        return
    await reply_to_ambassador(ctx, tx, msg, officer.id, officer.name, amb)


async def reply_to_ambassador(
    ctx: FlowContext, tx: Tx, msg: OfficerMessage, officer_id: str, name: str, amb: Ambassador
) -> None:
    now = ctx.clock.now()
    media_kind = msg.media[0].kind if msg.media else None
    message_id = await tx.messages.add(
        ambassador_id=amb.id,
        direction="out",
        channel=amb.channel,
        text=msg.text,
        status="queued",
        now=now,
        media_kind=media_kind,
        officer_id=officer_id,
        platform_id=msg.dedupe_key,
    )
    lang = amb.language
    text = ctx.texts.get(lang, "dialogue.reply", officer=name, text=msg.text) if msg.text else ""
    copy_from = None
    if msg.media:
        if amb.channel == Channel.TELEGRAM:
            copy_from = f"{msg.chat_id}:{msg.message_id}"
        elif amb.channel == Channel.SMS:
            note = ctx.texts.get(lang, "dialogue.reply_media_sms", officer=name)
            text = f"{text}\n{note}" if text else note
    if amb.channel == Channel.SMS:
        text = await _fit_sms(ctx, tx, msg, amb, message_id, text)
    await outgoing.to_ambassador(
        ctx,
        tx,
        amb,
        text,
        kind=OutKind.REPLY,
        message_id=message_id,
        copy_from=copy_from,
        media=msg.media,
        officer_message_id=msg.message_id,
    )
    await tx.ambassadors.set_last_officer_reply(amb.id, now)
    await tx.messages.mark_answered(amb.id, now)
    await tx.audit.add(f"officer:{officer_id}", "reply.queued", now, subject=f"ambassador:{amb.id}")


async def _fit_sms(
    ctx: FlowContext, tx: Tx, msg: OfficerMessage, amb: Ambassador, message_id: int, text: str
) -> str:
    """Every SMS segment costs: a reply over the budget is shortened and the officer told,
    rather than sent at any length."""
    shortened, cut = fit(sms_body(text), ctx.settings.sms_max_segments)
    sms = shape(shortened)
    await tx.messages.set_sms_shape(message_id, sms.segments, sms.encoding.value)
    if not cut:
        return text
    olang = ctx.settings.officers_language
    await to_officers(
        ctx,
        tx,
        ctx.texts.get(olang, "officers.reply_shortened", name=amb.name, segments=sms.segments),
        kind=OutKind.ANSWER,
        priority=Priority.REPLY,
        amb=amb,
        reply_to_group_message_id=msg.message_id,
    )
    return escape(shortened)  # the sender strips markup again, which unescapes it


async def correct_route(
    ctx: FlowContext,
    tx: Tx,
    msg: OfficerMessage,
    amb: Ambassador | None,
    relayed_message_id: int | None,
) -> None:
    """`/rute akut|anmeldelse|betjent` as a reply: stored to improve the keyword data. A
    message an officer finds to be an emergency is one: the ambassador is told to call 1-1-2."""
    olang = ctx.settings.officers_language
    officer = ctx.directory.officer_by_user.get(msg.user_id)
    new = ROUTE_WORDS.get(msg.args.strip().lower())
    if officer is None or not may(ctx.directory, msg.user_id, Action.CORRECT_ROUTE):
        await refuse_staff(ctx, tx, msg, Action.CORRECT_ROUTE, amb)
        return
    found = await tx.messages.get(relayed_message_id) if relayed_message_id is not None else None
    if new is None or found is None:
        await outgoing.answer_officer(
            ctx, tx, msg, ctx.texts.get(olang, "officers.route_usage"), amb
        )
        return
    old = found.route
    now = ctx.clock.now()
    await tx.corrections.add(found.id, old, new, officer.id, now)
    await tx.messages.set_route(found.id, new)
    await tx.audit.add(
        f"officer:{officer.id}",
        "route.corrected",
        now,
        subject=f"message:{found.id}",
        old=old,
        new=new,
    )
    key = "officers.route_corrected"
    if new == "acute" and old != "acute" and amb is not None:
        await outgoing.call_112(ctx, tx, amb.channel, amb.address, amb.language, amb.id)
        key = "officers.route_corrected_acute"
    await outgoing.answer_officer(
        ctx,
        tx,
        msg,
        ctx.texts.get(
            olang,
            key,
            old=ctx.texts.get(olang, f"routes.{old}") if old else "-",
            new=ctx.texts.get(olang, f"routes.{new}"),
        ),
        amb,
    )


async def invite_command(ctx: FlowContext, tx: Tx, msg: OfficerMessage) -> None:
    """`/inviter AREA OFFICER [PHONE]` from a coordinator or officer, in the group or privately."""
    olang = ctx.settings.officers_language
    if not may_somewhere(ctx.directory, msg.user_id, Action.INVITE):
        await refuse_staff(ctx, tx, msg, Action.INVITE)
        return
    words = msg.args.split()
    officer = ctx.directory.officer_by_user.get(msg.user_id)
    if len(words) == 1 and officer is not None:
        words.append(officer.id)
    if len(words) < 2:
        await outgoing.answer_officer(
            ctx,
            tx,
            msg,
            ctx.texts.get(
                olang,
                "officers.invite_usage",
                areas=", ".join(a.id for a in ctx.directory.areas),
                officers=", ".join(o.id for o in ctx.directory.officers),
            ),
        )
        return
    phone = " ".join(words[2:]) or None
    area_id, officer_id = words[0], words[1]
    if not may(ctx.directory, msg.user_id, Action.INVITE, area=area_id):
        await refuse_staff(ctx, tx, msg, Action.INVITE)  # a coordinator outside their areas
        return
    if phone is not None:
        try:
            phone = normalise_phone(phone)
        except PhoneError as exc:
            await outgoing.answer_officer(ctx, tx, msg, str(exc))
            return
    try:
        new = await create_invitation(
            ctx,
            tx,
            area_id=area_id,
            officer_id=officer_id,
            created_by=actor(ctx.directory, msg.user_id),
            phone=phone,
        )
    except InviteError as exc:
        await outgoing.answer_officer(ctx, tx, msg, str(exc))
        return
    expires = format_local(new.invitation.expires_at, olang)
    if new.link is not None:
        now = ctx.clock.now()
        text = ctx.texts.get(
            olang,
            "officers.invite_created",
            area=ctx.directory.area_name(area_id),
            officer=officer_name(ctx, officer_id),
            link=ctx.sealed.seal(new.link, now),  # codes are never stored in clear
            code=ctx.sealed.seal(new.code, now),
            expires=expires,
        )
    else:
        text = ctx.texts.get(
            olang,
            "officers.invite_sms_sent",
            phone=phone or "",
            area=ctx.directory.area_name(area_id),
            officer=officer_name(ctx, officer_id),
            expires=expires,
        )
    await outgoing.answer_officer(ctx, tx, msg, text)
