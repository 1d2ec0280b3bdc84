"""What happens to each arrival: the flow is picked from the sender's state (stranger,
invited, active, paused), their command or keyword, and the message's route.

One rule outranks every state: words that describe an emergency get the 1-1-2 answer, from
anyone, whatever else they typed around them (a slash command, an edit, a pause).
"""

from __future__ import annotations

from flows import dialogue, membership, onboarding, outgoing, privacy, pulse
from flows.access import refuse_ambassador, refuse_sender
from flows.broadcasts import wizard
from flows.broadcasts.planning import PULSE_PREFIX
from flows.context import FlowContext
from flows.model import Ambassador, AmbassadorState, Channel, Inbound, OfficerMessage
from flows.ports import Tx
from flows.roles import Action
from flows.triage import classification, route_message
from intents import Keyword, Route, match_keyword

HELP_COMMANDS = frozenset({"help", "hjaelp", "hjælp"})
AGREEMENT_COMMANDS = frozenset({"aftale", "agreement"})
LANGUAGE_COMMANDS = frozenset({"sprog", "language"})
AMBASSADOR_COMMANDS = HELP_COMMANDS | AGREEMENT_COMMANDS | LANGUAGE_COMMANDS | {"start", "stop"}
# An SMS that is only one of these words switches the language (SMS has no /sprog).
LANGUAGE_WORDS = {"english": "en", "engelsk": "en", "dansk": "da", "danish": "da"}


# Staff commands that reach here came from someone who is not staff (the reader hands staff's
# own to the officers' flow): they get that action's refusal.
STAFF_COMMANDS = {
    "inviter": Action.INVITE,
    "invite": Action.INVITE,
    **dict.fromkeys(("ambassadoerer", "ambassadører", "ambassadors"), Action.VIEW_REGISTER),
    **dict.fromkeys(("invitationer", "invitations"), Action.VIEW_REGISTER),
    **dict.fromkeys(("flyt", "move", "pause", "genoptag", "resume"), Action.EDIT_REGISTER),
    **dict.fromkeys(("afslut", "end", "omdoeb", "omdøb", "rename"), Action.EDIT_REGISTER),
    **dict.fromkeys(("tilbagekald", "revoke"), Action.EDIT_REGISTER),
    **dict.fromkeys(("ubesvarede", "unanswered"), Action.HANDLE_CASES),
    **dict.fromkeys(("tal", "figures", "statistik"), Action.READ_FIGURES),
}


async def handle_inbound(ctx: FlowContext, tx: Tx, inbound: Inbound) -> None:
    if await wizard.handles(ctx, tx, inbound):
        return  # a coordinator composing a push (or someone else refused)
    if await privacy.staff_request(ctx, tx, inbound):
        return  # the audit log, or erasing someone (or a refusal)
    amb = await tx.ambassadors.by_address(inbound.channel, inbound.address)
    refused = STAFF_COMMANDS.get(inbound.command or "")
    if refused is not None and not _is_acute(ctx, inbound):
        if amb is not None:
            await refuse_ambassador(ctx, tx, amb, refused)
        else:
            await refuse_sender(ctx, tx, inbound, refused)
        return
    if amb is not None and await privacy.own_request(ctx, tx, amb, inbound):
        return  # their own data: a copy, or erasure (in any state)
    if amb is None and await privacy.not_an_ambassador(ctx, tx, inbound):
        return
    if inbound.command == "start" and inbound.args.strip():
        await onboarding.start_with_code(ctx, tx, inbound, inbound.args.strip(), amb)
        return
    if amb is None:
        if _is_acute(ctx, inbound) and await _stranger_may_be_answered(ctx, tx, inbound):
            await outgoing.answer_emergency(ctx, tx, inbound)
        await onboarding.stranger(ctx, tx, inbound, always=inbound.command == "start")
        return
    if amb.channel == Channel.SMS and (wanted := _language_word(inbound)) is not None:
        await dialogue.set_language(ctx, tx, amb, wanted)
        if amb.state == AmbassadorState.INVITED:
            changed = await tx.ambassadors.get(amb.id)
            await onboarding.invite_again(ctx, tx, changed or amb)
        return
    if amb.state in (AmbassadorState.PENDING, AmbassadorState.INVITED):
        await _not_yet_accepted(ctx, tx, amb, inbound)
    elif amb.state == AmbassadorState.ENDED:
        await _ended(ctx, tx, amb, inbound)
    elif amb.state == AmbassadorState.PAUSED:
        await _paused(ctx, tx, amb, inbound)
    else:
        await _active(ctx, tx, amb, inbound)


async def _stranger_may_be_answered(ctx: FlowContext, tx: Tx, inbound: Inbound) -> bool:
    """Anyone who writes about an emergency is told to call 1-1-2, but a chat that is not an
    ambassador's cannot make the bot send it a stream of answers."""
    key = f"112:{inbound.channel}:{inbound.address}"
    count = await tx.limits.hit(key, ctx.clock.now(), ctx.settings.flood_window)
    return count <= ctx.settings.stranger_112_per_window


def _keyword(inbound: Inbound) -> Keyword | None:
    return None if inbound.command or not inbound.text else match_keyword(inbound.text)


def _language_word(inbound: Inbound) -> str | None:
    return None if inbound.command else LANGUAGE_WORDS.get(inbound.text.strip(" .!").lower())


def _is_acute(ctx: FlowContext, inbound: Inbound) -> bool:
    found = classification(ctx, inbound)
    return found is not None and found.route == Route.ACUTE


async def _not_yet_accepted(ctx: FlowContext, tx: Tx, amb: Ambassador, inbound: Inbound) -> None:
    keyword = _keyword(inbound)
    if inbound.callback == onboarding.ACCEPT or keyword == Keyword.ACCEPT:
        await onboarding.accept(ctx, tx, amb)
    elif inbound.callback == onboarding.SHOW_AGREEMENT or inbound.command in AGREEMENT_COMMANDS:
        await onboarding.show_agreement(ctx, tx, amb)
    elif amb.channel == Channel.SMS and keyword == Keyword.STOP:
        await membership.pause(ctx, tx, amb)
    elif _is_acute(ctx, inbound):
        await outgoing.answer_emergency(ctx, tx, inbound, amb)
    elif inbound.command == "start":
        await onboarding.offer_agreement(ctx, tx, amb)
    else:
        await outgoing.to_ambassador(
            ctx, tx, amb, ctx.texts.get(amb.language, "onboarding.must_accept_first")
        )


async def _ended(ctx: FlowContext, tx: Tx, amb: Ambassador, inbound: Inbound) -> None:
    """No longer in the programme: nothing is relayed, but danger still gets the 1-1-2 answer."""
    if _is_acute(ctx, inbound):
        await outgoing.call_112(ctx, tx, amb.channel, amb.address, amb.language, amb.id)
    elif inbound.callback is None:
        text = ctx.texts.get(amb.language, "register.while_ended")
        await outgoing.to_ambassador(ctx, tx, amb, text)


async def _paused(ctx: FlowContext, tx: Tx, amb: Ambassador, inbound: Inbound) -> None:
    keyword = _keyword(inbound)
    sms = amb.channel == Channel.SMS
    if _is_acute(ctx, inbound):
        if amb.agreement_version is not None:
            await route_message(ctx, tx, amb, inbound)  # rule 1 outranks the pause
        else:
            await outgoing.answer_emergency(ctx, tx, inbound, amb)
    elif amb.agreement_version is None and keyword == Keyword.ACCEPT:
        await onboarding.accept(ctx, tx, amb)  # opted out before accepting; "JA" accepts now
    elif amb.agreement_version is None and keyword == Keyword.START:
        await onboarding.invite_again(ctx, tx, amb)
    elif inbound.command == "start" or keyword in (Keyword.START, Keyword.ACCEPT):
        await membership.resume(ctx, tx, amb)
    elif inbound.command in HELP_COMMANDS or (sms and keyword == Keyword.HELP):
        await dialogue.show_help(ctx, tx, amb)
    elif keyword == Keyword.STOP or inbound.command == "stop":
        await membership.pause(ctx, tx, amb)
    else:
        key = "dialogue.while_paused_sms" if sms else "dialogue.while_paused"
        await outgoing.to_ambassador(ctx, tx, amb, ctx.texts.get(amb.language, key))


async def _active(ctx: FlowContext, tx: Tx, amb: Ambassador, inbound: Inbound) -> None:
    command = inbound.command
    if command is not None and _is_acute(ctx, inbound):
        # "/hjælp der er en mand med en kniv": the emergency first, then what was asked.
        await route_message(ctx, tx, amb, inbound)
        if command in HELP_COMMANDS:
            await dialogue.show_help(ctx, tx, amb)
        return
    if command in HELP_COMMANDS:
        await dialogue.show_help(ctx, tx, amb)
    elif command == "stop":
        await membership.pause(ctx, tx, amb)
    elif command == "start":
        await onboarding.already_member(ctx, tx, amb)
    elif command in AGREEMENT_COMMANDS or inbound.callback == onboarding.SHOW_AGREEMENT:
        await onboarding.show_agreement(ctx, tx, amb)
    elif command in LANGUAGE_COMMANDS:
        await dialogue.set_language(ctx, tx, amb, inbound.args)
    elif command is not None:
        await dialogue.not_for_ambassadors(ctx, tx, amb)
    elif inbound.callback is not None and inbound.callback.startswith(PULSE_PREFIX):
        await pulse.answer_button(ctx, tx, amb, inbound.callback)
    elif inbound.callback == onboarding.ACCEPT and onboarding.outdated(ctx, amb):
        await onboarding.accept(ctx, tx, amb)
    elif inbound.callback is not None:
        return  # a stale button (e.g. "accept" pressed twice): nothing to do
    elif amb.channel == Channel.SMS and _keyword(inbound) == Keyword.STOP:
        await membership.pause(ctx, tx, amb)
    elif amb.channel == Channel.SMS and _keyword(inbound) == Keyword.HELP:
        await dialogue.show_help(ctx, tx, amb)
    elif inbound.unsupported == "edit" and _is_acute(ctx, inbound):
        await route_message(ctx, tx, amb, inbound)  # an edit that adds an emergency: rule 1
    elif inbound.unsupported:
        await dialogue.unsupported(ctx, tx, amb, inbound.unsupported)
    elif _is_acute(ctx, inbound):
        await route_message(ctx, tx, amb, inbound)  # nothing below may hold up rule 1
    elif await pulse.answer_text(ctx, tx, amb, inbound):
        return  # an answer to a pulse question, never relayed as a message
    elif onboarding.outdated(ctx, amb):
        if _keyword(inbound) == Keyword.ACCEPT:
            await onboarding.accept(ctx, tx, amb)
        else:
            await onboarding.hold_until_accepted(ctx, tx, amb, inbound)
    else:
        await route_message(ctx, tx, amb, inbound)


async def handle_officer(ctx: FlowContext, tx: Tx, msg: OfficerMessage) -> None:
    await dialogue.officer_message(ctx, tx, msg)
