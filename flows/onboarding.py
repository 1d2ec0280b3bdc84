"""Invitations and onboarding: nobody is relayed before accepting the agreement (rule 4)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flows import outgoing
from flows.context import FlowContext
from flows.model import (
    Ambassador,
    AmbassadorState,
    Button,
    Channel,
    Inbound,
    Invitation,
)
from flows.ports import Tx

ACCEPT = "accept"
SHOW_AGREEMENT = "agreement"


class InviteError(ValueError):
    """An invitation that cannot be made; the message says why, for the person asking."""


@dataclass(frozen=True)
class NewInvitation:
    code: str
    invitation: Invitation
    link: str | None


def new_code() -> str:
    """16 URL-safe characters (96 bits): unguessable, and fits Telegram's start parameter."""
    return secrets.token_urlsafe(12)


def hash_code(code: str) -> str:
    """Codes are stored hashed, so a copy of the database cannot be used to join."""
    return hashlib.sha256(code.strip().encode()).hexdigest()


CODE_REFERENCE = "sha256:"


def code_reference(code: str) -> str:
    """What an arrival keeps of a code someone sent (the inbox stores arrivals): its hash."""
    return CODE_REFERENCE + hash_code(code)


def _code_hash(given: str) -> str:
    if given.startswith(CODE_REFERENCE):
        return given.removeprefix(CODE_REFERENCE)
    return hash_code(given)


def agreement_version(ctx: FlowContext) -> str:
    return ctx.texts.raw("da", "agreement.version")


def outdated(ctx: FlowContext, amb: Ambassador) -> bool:
    """An active ambassador who accepted an older version of the agreement (content as
    data: a new version in the content folder asks everyone to accept it again)."""
    return (
        amb.state == AmbassadorState.ACTIVE
        and amb.agreement_version is not None
        and amb.agreement_version != agreement_version(ctx)
    )


async def hold_until_accepted(ctx: FlowContext, tx: Tx, amb: Ambassador, inbound: Inbound) -> None:
    """Rule 4 for a new agreement version: the message waits until the ambassador accepts,
    then goes on. The 1-1-4 referral is given now; 1-1-2 never reaches this point."""
    from flows.triage import classification

    now = ctx.clock.now()
    await tx.held.add(amb.id, inbound, now)
    found = classification(ctx, inbound)
    notes = []
    if found is not None and found.route == "report":
        notes.append(ctx.texts.get(amb.language, "dialogue.report"))
    sms = amb.channel == Channel.SMS
    notes.append(
        ctx.texts.get(
            amb.language,
            "onboarding.reaccept_sms" if sms else "onboarding.reaccept",
            version=agreement_version(ctx),
            officer=_officer(ctx, amb),
        )
    )
    if not sms:
        notes.append(ctx.texts.get(amb.language, "agreement.summary", **privacy_terms(ctx)))
    buttons = () if sms else _accept_buttons(ctx, amb.language, with_full=True)
    await outgoing.to_ambassador(ctx, tx, amb, "\n\n".join(notes), buttons=buttons)


def privacy_terms(ctx: FlowContext) -> dict[str, int]:
    """What the agreement's privacy paragraph says about storage, from the configuration,
    so the text and the retention purge cannot disagree."""
    keep = ctx.settings.retention
    return {"message_days": keep.message_texts, "audit_days": keep.audit}


async def create_invitation(
    ctx: FlowContext,
    tx: Tx,
    *,
    area_id: str,
    officer_id: str,
    created_by: str,
    phone: str | None = None,
    name: str | None = None,
) -> NewInvitation:
    """Make a single-use, expiring invitation; by SMS when a phone number is given. `name`
    is what the register calls the invitee (an SMS ambassador is otherwise just a number)."""
    name = " ".join((name or "").split())[:100] or None
    if ctx.directory.area(area_id) is None:
        known = ", ".join(a.id for a in ctx.directory.areas)
        raise InviteError(f"unknown area {area_id!r} (known: {known})")
    officer = ctx.directory.officer(officer_id)
    if officer is None:
        known = ", ".join(o.id for o in ctx.directory.officers)
        raise InviteError(f"unknown officer {officer_id!r} (known: {known})")
    now = ctx.clock.now()
    code = new_code()
    channel = Channel.SMS if phone else Channel.TELEGRAM
    if phone and not ctx.settings.sms_enabled:
        raise InviteError("SMS is not configured: add an [sms] section to the configuration")
    invitation = await tx.invitations.create(
        code_hash=hash_code(code),
        area_id=area_id,
        officer_id=officer_id,
        channel=channel,
        phone=phone,
        created_by=created_by,
        now=now,
        expires_at=now + ctx.settings.invitation_ttl,
        name=name,
    )
    await tx.audit.add(
        created_by,
        "invitation.created",
        now,
        subject=f"invitation:{invitation.id}",
        area=area_id,
        officer=officer_id,
        channel=channel,
    )
    if phone is None:
        return NewInvitation(code, invitation, ctx.links.invitation(code))
    amb = await tx.ambassadors.by_address(Channel.SMS, phone)
    if amb is not None and amb.state in (AmbassadorState.ACTIVE, AmbassadorState.PAUSED):
        raise InviteError("this phone number already belongs to an ambassador")
    if amb is None:
        amb = await tx.ambassadors.create(
            channel=Channel.SMS,
            address=phone,
            name=name or phone,
            area_id=area_id,
            officer_id=officer_id,
            state=AmbassadorState.INVITED,
            language="da",
            now=now,
        )
    else:
        await tx.ambassadors.reassign(
            amb.id, area_id=area_id, officer_id=officer_id, state=AmbassadorState.INVITED, now=now
        )
        if name:
            await tx.ambassadors.rename(amb.id, name, now)
    await outgoing.to_ambassador(
        ctx,
        tx,
        amb,
        ctx.texts.get(
            amb.language,
            "onboarding.sms_welcome",
            area=ctx.directory.area_name(area_id),
            officer=officer.name,
            version=agreement_version(ctx),
            **privacy_terms(ctx),
        ),
    )
    return NewInvitation(code, invitation, None)


def _accept_buttons(
    ctx: FlowContext, lang: str, *, with_full: bool
) -> tuple[tuple[Button, ...], ...]:
    rows = [(Button(ctx.texts.get(lang, "onboarding.button_accept"), ACCEPT),)]
    if with_full:
        rows.append((Button(ctx.texts.get(lang, "onboarding.button_full"), SHOW_AGREEMENT),))
    return tuple(rows)


async def start_with_code(
    ctx: FlowContext, tx: Tx, inbound: Inbound, code: str, existing: Ambassador | None
) -> None:
    """Someone opened an invitation link (Telegram /start CODE, or the sandbox)."""
    now = ctx.clock.now()
    lang = ctx.texts.language(inbound.language)
    invitation = await tx.invitations.by_hash(_code_hash(code))
    member = existing is not None and existing.state in (
        AmbassadorState.ACTIVE,
        AmbassadorState.PAUSED,
    )
    if (
        existing is not None
        and member
        and (invitation is None or invitation.ambassador_id == existing.id)
    ):
        await already_member(ctx, tx, existing)
        return
    problem = None
    if invitation is None or invitation.channel == Channel.SMS:
        problem = "onboarding.code_unknown"
    elif invitation.used_at is not None:
        problem = "onboarding.code_used"
    elif invitation.revoked_at is not None:
        problem = "onboarding.code_revoked"
    elif invitation.expires_at <= now:
        problem = "onboarding.code_expired"
    if problem is not None or invitation is None:
        # Guessing codes from one chat is slowed down: a few tries an hour, then silence.
        key = f"code:{inbound.channel}:{inbound.address}"
        tries = await tx.limits.hit(key, now, timedelta(hours=1))
        limit = ctx.settings.code_guesses_per_hour
        if tries > limit + 1:
            return
        await tx.audit.add("stranger", "invitation.refused", now, reason=problem)
        key = "onboarding.too_many_codes" if tries > limit else problem or "onboarding.code_unknown"
        await _direct_answer(ctx, tx, inbound, ctx.texts.get(lang, key))
        return
    name = invitation.name or inbound.display_name or inbound.address
    if existing is None:
        amb = await tx.ambassadors.create(
            channel=inbound.channel,
            address=inbound.address,
            name=name,
            area_id=invitation.area_id,
            officer_id=invitation.officer_id,
            state=AmbassadorState.PENDING,
            language=lang,
            now=now,
        )
    else:
        await tx.ambassadors.reassign(
            existing.id,
            area_id=invitation.area_id,
            officer_id=invitation.officer_id,
            state=AmbassadorState.PENDING,
            now=now,
        )
        if invitation.name:
            await tx.ambassadors.rename(existing.id, invitation.name, now)
        found = await tx.ambassadors.get(existing.id)
        assert found is not None
        amb = found
    await tx.invitations.mark_used(invitation.id, amb.id, now)
    await tx.audit.add(
        f"ambassador:{amb.id}", "invitation.opened", now, subject=f"invitation:{invitation.id}"
    )
    await offer_agreement(ctx, tx, amb)


async def offer_agreement(ctx: FlowContext, tx: Tx, amb: Ambassador) -> None:
    lang = amb.language
    text = "\n\n".join(
        [
            ctx.texts.get(
                lang,
                "onboarding.welcome",
                name=amb.name,
                area=ctx.directory.area_name(amb.area_id),
                officer=_officer(ctx, amb),
            ),
            ctx.texts.get(lang, "agreement.summary", **privacy_terms(ctx)),
            ctx.texts.get(lang, "onboarding.ask_accept"),
        ]
    )
    await outgoing.to_ambassador(
        ctx, tx, amb, text, buttons=_accept_buttons(ctx, lang, with_full=True)
    )


async def show_agreement(ctx: FlowContext, tx: Tx, amb: Ambassador) -> None:
    lang = amb.language
    text = ctx.texts.get(
        lang, "agreement.full", version=agreement_version(ctx), **privacy_terms(ctx)
    )
    pending = amb.state in (AmbassadorState.PENDING, AmbassadorState.INVITED) or outdated(ctx, amb)
    await outgoing.to_ambassador(
        ctx, tx, amb, text, buttons=_accept_buttons(ctx, lang, with_full=False) if pending else ()
    )


async def accept(ctx: FlowContext, tx: Tx, amb: Ambassador) -> None:
    """Record acceptance with time and version; only now is the ambassador relayed. An
    active ambassador accepting a new version gets what was held for it relayed now."""
    from flows.triage import route_message

    now = ctx.clock.now()
    version = agreement_version(ctx)
    again = amb.state == AmbassadorState.ACTIVE
    await tx.ambassadors.accept(amb.id, version, now)
    await tx.audit.add(
        f"ambassador:{amb.id}", "agreement.accepted", now, version=version, kept=privacy_terms(ctx)
    )
    if again:
        await outgoing.to_ambassador(
            ctx, tx, amb, ctx.texts.get(amb.language, "onboarding.reaccepted", version=version)
        )
        accepted = await tx.ambassadors.get(amb.id)
        for held in await tx.held.take(amb.id):
            await route_message(ctx, tx, accepted or amb, held, replay=True)
        return
    if amb.channel == Channel.SMS:
        for invitation in await tx.invitations.open(now):
            if invitation.phone == amb.address:
                await tx.invitations.mark_used(invitation.id, amb.id, now)
    key = "onboarding.accepted_sms" if amb.channel == Channel.SMS else "onboarding.accepted"
    await outgoing.to_ambassador(
        ctx,
        tx,
        amb,
        ctx.texts.get(
            amb.language,
            key,
            name=amb.name,
            area=ctx.directory.area_name(amb.area_id),
            officer=_officer(ctx, amb),
        ),
    )
    await outgoing.notice(ctx, tx, "officers.joined", amb)


async def invite_again(ctx: FlowContext, tx: Tx, amb: Ambassador) -> None:
    """An SMS invitee who opted out before accepting and now says START: they are back to
    invited, and must still accept the agreement before anything is relayed (rule 4)."""
    await tx.ambassadors.set_state(amb.id, AmbassadorState.INVITED, ctx.clock.now())
    await outgoing.to_ambassador(
        ctx,
        tx,
        amb,
        ctx.texts.get(
            amb.language,
            "onboarding.sms_welcome",
            area=ctx.directory.area_name(amb.area_id),
            officer=_officer(ctx, amb),
            version=agreement_version(ctx),
            **privacy_terms(ctx),
        ),
    )


async def already_member(ctx: FlowContext, tx: Tx, amb: Ambassador) -> None:
    await outgoing.to_ambassador(
        ctx,
        tx,
        amb,
        ctx.texts.get(
            amb.language,
            "onboarding.already_active",
            area=ctx.directory.area_name(amb.area_id),
            officer=_officer(ctx, amb),
        ),
    )


async def stranger(ctx: FlowContext, tx: Tx, inbound: Inbound, *, always: bool = False) -> None:
    """Explain what the bot is; at most once a day per sender unless they asked (/start)."""
    now = ctx.clock.now()
    every = ctx.settings.stranger_answer_every.total_seconds()
    may = await tx.strangers.may_answer(
        inbound.channel, inbound.address, now, 0 if always else every
    )
    if may:
        lang = ctx.texts.language(inbound.language)
        await _direct_answer(ctx, tx, inbound, ctx.texts.get(lang, "onboarding.stranger"))


async def _direct_answer(ctx: FlowContext, tx: Tx, inbound: Inbound, text: str) -> None:
    """Answer someone who is not (yet) an ambassador."""
    await outgoing.to_sender(ctx, tx, inbound.channel, inbound.address, text)


def _officer(ctx: FlowContext, amb: Ambassador) -> str:
    officer = ctx.directory.officer(amb.officer_id)
    return officer.name if officer else amb.officer_id
