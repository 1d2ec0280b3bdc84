"""Picks the flow for each arrival from the sender's state, their words and the route."""

from __future__ import annotations

from flows import broadcast_wizard, dialogue, onboarding
from flows.common import answer
from flows.context import FlowContext
from flows.diversion import route_message
from flows.model import (
    Ambassador,
    AmbassadorState,
    Channel,
    Inbound,
    Lane,
    OfficerMessage,
    Outbound,
    OutKind,
    Priority,
)
from flows.ports import Tx
from intents import Keyword, Route, match_keyword

HELP_COMMANDS = {"help", "hjaelp", "hjælp"}
AGREEMENT_COMMANDS = {"aftale", "agreement"}
LANGUAGE_COMMANDS = {"sprog", "language"}


async def handle_inbound(ctx: FlowContext, tx: Tx, inbound: Inbound) -> None:
    if await broadcast_wizard.handles(ctx, tx, inbound):
        return  # a coordinator composing a push (or someone else refused)
    amb = await tx.ambassadors.by_address(inbound.channel, inbound.address)
    if inbound.command == "start" and inbound.args.strip():
        await onboarding.start_with_code(ctx, tx, inbound, inbound.args.strip(), amb)
        return
    if amb is None:
        if _is_acute(ctx, inbound):
            await _acute_only(ctx, tx, inbound)
        await onboarding.stranger(ctx, tx, inbound, always=inbound.command == "start")
        return
    if amb.state in (AmbassadorState.PENDING, AmbassadorState.INVITED):
        await _not_yet_accepted(ctx, tx, amb, inbound)
    elif amb.state == AmbassadorState.PAUSED:
        await _paused(ctx, tx, amb, inbound)
    else:
        await _active(ctx, tx, amb, inbound)


def _keyword(inbound: Inbound) -> Keyword | None:
    return None if inbound.command or not inbound.text else match_keyword(inbound.text)


def _is_acute(ctx: FlowContext, inbound: Inbound) -> bool:
    return bool(inbound.text.strip()) and ctx.classifier.classify(inbound.text).route == Route.ACUTE


async def _acute_only(ctx: FlowContext, tx: Tx, inbound: Inbound) -> None:
    """Whoever writes about an emergency is told to call 112, whatever their state."""
    lang = ctx.texts.language(inbound.language)
    await tx.outbox.add(
        Outbound(
            lane=Lane.AMBASSADOR,
            kind=OutKind.ACUTE_ANSWER,
            priority=Priority.ACUTE,
            channel=inbound.channel,
            address=inbound.address,
            text=ctx.texts.get(lang, "dialogue.acute"),
        ),
        ctx.clock.now(),
    )


async def _not_yet_accepted(ctx: FlowContext, tx: Tx, amb: Ambassador, inbound: Inbound) -> None:
    keyword = _keyword(inbound)
    if inbound.callback == onboarding.ACCEPT or keyword == Keyword.ACCEPT:
        await onboarding.accept(ctx, tx, amb)
    elif inbound.callback == onboarding.SHOW_AGREEMENT or inbound.command in AGREEMENT_COMMANDS:
        await onboarding.show_agreement(ctx, tx, amb)
    elif amb.channel == Channel.SMS and keyword == Keyword.STOP:
        await dialogue.pause(ctx, tx, amb)
    elif inbound.command == "start":
        await onboarding.offer_agreement(ctx, tx, amb)
    elif _is_acute(ctx, inbound):
        await _acute_only(ctx, tx, inbound)
    else:
        await answer(ctx, tx, amb, ctx.texts.get(amb.language, "onboarding.must_accept_first"))


async def _paused(ctx: FlowContext, tx: Tx, amb: Ambassador, inbound: Inbound) -> None:
    keyword = _keyword(inbound)
    sms = amb.channel == Channel.SMS
    if amb.agreement_version is None and keyword == Keyword.ACCEPT:
        await onboarding.accept(ctx, tx, amb)  # opted out before accepting; "JA" accepts now
    elif amb.agreement_version is None and keyword == Keyword.START:
        await onboarding.invite_again(ctx, tx, amb)
    elif inbound.command == "start" or keyword in (Keyword.START, Keyword.ACCEPT):
        await dialogue.resume(ctx, tx, amb)
    elif inbound.command in HELP_COMMANDS or (sms and keyword == Keyword.HELP):
        await dialogue.show_help(ctx, tx, amb)
    elif amb.agreement_version is not None and _is_acute(ctx, inbound):
        await route_message(ctx, tx, amb, inbound)  # rule 1 outranks the pause: 112 and alert
    elif _is_acute(ctx, inbound):
        await _acute_only(ctx, tx, inbound)
    elif keyword == Keyword.STOP or inbound.command == "stop":
        await dialogue.pause(ctx, tx, amb)
    else:
        key = "dialogue.while_paused_sms" if sms else "dialogue.while_paused"
        await answer(ctx, tx, amb, ctx.texts.get(amb.language, key))


async def _active(ctx: FlowContext, tx: Tx, amb: Ambassador, inbound: Inbound) -> None:
    command = inbound.command
    if command in HELP_COMMANDS:
        await dialogue.show_help(ctx, tx, amb)
    elif command == "stop":
        await dialogue.pause(ctx, tx, amb)
    elif command == "start":
        await onboarding.already_member(ctx, tx, amb)
    elif command in AGREEMENT_COMMANDS or inbound.callback == onboarding.SHOW_AGREEMENT:
        await onboarding.show_agreement(ctx, tx, amb)
    elif command in LANGUAGE_COMMANDS:
        await dialogue.set_language(ctx, tx, amb, inbound.args)
    elif inbound.callback is not None:
        return  # a stale button (e.g. "accept" pressed twice): nothing to do
    elif amb.channel == Channel.SMS and _keyword(inbound) == Keyword.STOP:
        await dialogue.pause(ctx, tx, amb)
    elif amb.channel == Channel.SMS and _keyword(inbound) == Keyword.HELP:
        await dialogue.show_help(ctx, tx, amb)
    elif inbound.unsupported == "edit" and _is_acute(ctx, inbound):
        await route_message(ctx, tx, amb, inbound)  # an edit that adds an emergency: rule 1
    elif inbound.unsupported:
        await dialogue.unsupported(ctx, tx, amb, inbound.unsupported)
    else:
        await route_message(ctx, tx, amb, inbound)


async def handle_officer(ctx: FlowContext, tx: Tx, msg: OfficerMessage) -> None:
    await dialogue.officer_message(ctx, tx, msg)
