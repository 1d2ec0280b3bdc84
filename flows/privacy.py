"""An ambassador's rights over their data, and the district's duty to account for it.

- Access: `/mine_data` in Telegram sends a JSON document of everything held about them (made
  when it is sent, so the outbox never holds a copy); by SMS the keyword MINE DATA tells
  them their officer hands it over, and the officers are told how to make it. Operators
  run `tryghedsbot ambassadors export ID`.
- Erasure: `/slet` (with a confirming button) or SLET, then SLET JA by SMS. The ambassador
  gets a last message; once it is handed over (or cannot be), everything about them is
  erased. A coordinator (`/slet ID`, for their areas) or an operator (`tryghedsbot
  ambassadors delete ID --yes`) erases at once. Their forum topic is closed and renamed,
  and the audit log keeps that it happened, by whom and when, without who they were.
- The audit log: `/logbog` for coordinators of every area, `tryghedsbot audit` for operators.
"""

from __future__ import annotations

import html
from datetime import datetime, timedelta
from typing import Any

from flows import outgoing
from flows.access import refuse_ambassador, refuse_sender
from flows.context import FlowContext
from flows.hours import LOCAL_TZ
from flows.model import (
    Ambassador,
    AuditEntry,
    Button,
    Channel,
    Erasure,
    Inbound,
    Outbound,
    OutKind,
)
from flows.ports import Tx
from flows.roles import Action, actor, may, may_somewhere
from flows.triage import classification
from intents import Keyword, Route, match_keyword

EXPORT_FORMAT = "tryghedsbot-export/1"
EXPORT_COMMANDS = frozenset({"mine_data", "minedata", "mydata", "my_data"})
ERASE_COMMANDS = frozenset({"slet", "delete"})
AUDIT_COMMANDS = frozenset({"logbog", "audit"})
PREFIX = "erase:"  # erase:me:<unix time> | erase:no | erase:amb:<id>:<unix time> | erase:keep
CONFIRM_WITHIN = timedelta(hours=24)
AUDIT_LINES = 20


def _acute(ctx: FlowContext, inbound: Inbound) -> bool:
    found = classification(ctx, inbound)
    return found is not None and found.route == Route.ACUTE


def _keyword(amb: Ambassador, inbound: Inbound) -> Keyword | None:
    if amb.channel != Channel.SMS or inbound.command or not inbound.text:
        return None
    return match_keyword(inbound.text)


def _fresh(ctx: FlowContext, stamp: str) -> bool:
    """A confirming button works for a day: a week-old one pressed by accident does nothing."""
    if not stamp.isdigit():
        return False
    pressed = ctx.clock.now().timestamp()
    return 0 <= pressed - int(stamp) <= CONFIRM_WITHIN.total_seconds()


def _stamp(ctx: FlowContext) -> str:
    return str(int(ctx.clock.now().timestamp()))


# -- what is held: the export ------------------------------------------------------------


async def export(ctx: FlowContext, tx: Tx, amb: Ambassador) -> dict[str, Any]:
    """Everything held about one ambassador, as plain data (the JSON they or an operator get)."""
    held = await tx.privacy.export(amb)
    officer = ctx.directory.officer(amb.officer_id)
    accepted = [
        {"agreement_version": e["details"].get("version"), "accepted_at": e["at"]}
        for e in held.get("audit", [])
        if e.get("action") == "agreement.accepted"
    ]
    return {
        "format": EXPORT_FORMAT,
        "exported_at": ctx.clock.now().isoformat(),
        "profile": {
            "id": amb.id,
            "channel": amb.channel.value,
            "address": amb.address,
            "name": amb.name,
            "area": {"id": amb.area_id, "name": ctx.directory.area_name(amb.area_id)},
            "officer": {"id": amb.officer_id, "name": officer.name if officer else None},
            "state": amb.state.value,
            "language": amb.language,
            "created_at": amb.created_at.isoformat(),
            "unreachable": amb.unreachable,
            "last_officer_reply_at": _iso(amb.last_officer_reply_at),
        },
        "consents": {
            "agreement_version": amb.agreement_version,
            "accepted_at": _iso(amb.accepted_at),
            "history": accepted,
        },
        **held,
    }


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at is not None else None


async def send_export(ctx: FlowContext, tx: Tx, amb: Ambassador) -> None:
    """Their own data: a document in Telegram; by SMS, their officer hands it over."""
    now = ctx.clock.now()
    me = f"ambassador:{amb.id}"
    if amb.channel == Channel.SMS:
        await tx.audit.add(me, "data.requested", now, subject=me, channel=amb.channel)
        text = ctx.texts.get(
            amb.language, "privacy.export_sms", officer=outgoing.officer_name(ctx, amb.officer_id)
        )
        await outgoing.to_ambassador(ctx, tx, amb, text)
        await outgoing.notice(ctx, tx, "officers.data_requested", amb, id=amb.id)
        return
    await tx.audit.add(me, "data.exported", now, subject=me, channel=amb.channel)
    caption = ctx.texts.get(amb.language, "privacy.export_caption")
    await outgoing.to_ambassador(ctx, tx, amb, caption, kind=OutKind.DATA_EXPORT)


# -- erasure --------------------------------------------------------------------------------


async def erase(ctx: FlowContext, tx: Tx, amb: Ambassador, *, by: str) -> Erasure:
    """Erase one ambassador now, close their forum topics, and record that it happened."""
    done = await tx.privacy.erase(amb)
    for chat_id, thread_id in done.topics:
        await outgoing.close_topic(ctx, tx, chat_id, thread_id, amb.id)
    await tx.audit.add(
        by, "ambassador.erased", ctx.clock.now(), subject=f"ambassador:{amb.id}", rows=done.counts
    )
    return done


async def _ask_erase(ctx: FlowContext, tx: Tx, amb: Ambassador) -> None:
    lang = amb.language
    if amb.channel == Channel.SMS:
        await outgoing.to_ambassador(ctx, tx, amb, ctx.texts.get(lang, "privacy.erase_ask_sms"))
        return
    buttons = (
        (
            Button(ctx.texts.get(lang, "privacy.button_erase"), f"{PREFIX}me:{_stamp(ctx)}"),
            Button(ctx.texts.get(lang, "privacy.button_keep"), f"{PREFIX}no"),
        ),
    )
    text = ctx.texts.get(lang, "privacy.erase_ask")
    await outgoing.to_ambassador(ctx, tx, amb, text, buttons=buttons)


async def _farewell(ctx: FlowContext, tx: Tx, amb: Ambassador) -> None:
    """The last message; erasure follows when it has been handed over (`after_farewell`)."""
    me = f"ambassador:{amb.id}"
    await tx.audit.add(me, "erasure.requested", ctx.clock.now(), subject=me)
    key = "privacy.farewell_sms" if amb.channel == Channel.SMS else "privacy.farewell"
    text = ctx.texts.get(amb.language, key)
    await outgoing.to_ambassador(ctx, tx, amb, text, kind=OutKind.FAREWELL)


async def after_farewell(ctx: FlowContext, tx: Tx, item: Outbound) -> bool:
    """The last message went out (or could not): erase them now. True if it was one."""
    if item.kind != OutKind.FAREWELL or item.ambassador_id is None:
        return False
    amb = await tx.ambassadors.get(item.ambassador_id)
    if amb is not None:
        await erase(ctx, tx, amb, by=f"ambassador:{amb.id}")
    return True


# -- an ambassador's own requests -------------------------------------------------------------


async def own_request(ctx: FlowContext, tx: Tx, amb: Ambassador, inbound: Inbound) -> bool:
    """/mine_data, /slet and their buttons, MINE DATA / SLET / SLET JA by SMS, in any state.
    An emergency in the same message goes first (False: the usual flows take it)."""
    command, callback, keyword = inbound.command, inbound.callback or "", _keyword(amb, inbound)
    if command in EXPORT_COMMANDS | ERASE_COMMANDS and inbound.args.strip().isdigit():
        return False  # someone else's number: a staff request
    ours = (
        command in EXPORT_COMMANDS
        or command in ERASE_COMMANDS
        or callback.startswith((f"{PREFIX}me:", f"{PREFIX}no"))
        or keyword in (Keyword.EXPORT, Keyword.ERASE, Keyword.ERASE_CONFIRM)
    )
    if not ours or _acute(ctx, inbound):
        return False
    lang = amb.language
    if command in EXPORT_COMMANDS or keyword == Keyword.EXPORT:
        await send_export(ctx, tx, amb)
    elif command in ERASE_COMMANDS or keyword == Keyword.ERASE:
        await _ask_erase(ctx, tx, amb)
    elif keyword == Keyword.ERASE_CONFIRM:
        await _farewell(ctx, tx, amb)
    elif callback == f"{PREFIX}no":
        await outgoing.to_ambassador(ctx, tx, amb, ctx.texts.get(lang, "privacy.erase_kept"))
    elif inbound.user_id is not None and str(inbound.user_id) != amb.address:
        await refuse_ambassador(ctx, tx, amb, Action.ERASE_OWN_DATA)  # not the chat's owner
    elif _fresh(ctx, callback.removeprefix(f"{PREFIX}me:")):
        await _farewell(ctx, tx, amb)
    else:
        await outgoing.to_ambassador(ctx, tx, amb, ctx.texts.get(lang, "privacy.erase_expired"))
    return True


async def not_an_ambassador(ctx: FlowContext, tx: Tx, inbound: Inbound) -> bool:
    """/mine_data or /slet from someone who is not an ambassador: there is nothing to give."""
    if inbound.command in EXPORT_COMMANDS:
        await refuse_sender(ctx, tx, inbound, Action.EXPORT_OWN_DATA)
    elif inbound.command in ERASE_COMMANDS or (inbound.callback or "").startswith(PREFIX):
        await refuse_sender(ctx, tx, inbound, Action.ERASE_OWN_DATA)
    else:
        return False
    return True


# -- coordinators: erasing someone, reading the audit log --------------------------------------


def _staff_lang(ctx: FlowContext, inbound: Inbound) -> str:
    return ctx.texts.language(inbound.language or ctx.settings.officers_language)


async def _say(ctx: FlowContext, tx: Tx, inbound: Inbound, text: str, buttons: Any = ()) -> None:
    await outgoing.to_sender(ctx, tx, inbound.channel, inbound.address, text, buttons=buttons)


async def staff_request(ctx: FlowContext, tx: Tx, inbound: Inbound) -> bool:
    """/logbog, `/slet ID` and its button, `/mine_data ID`, from a private Telegram chat; the
    role is checked for the user who wrote or pressed, each time."""
    if inbound.channel != Channel.TELEGRAM:
        return False
    command, callback, args = inbound.command, inbound.callback or "", inbound.args.strip()
    user = inbound.user_id
    if command in AUDIT_COMMANDS:
        if not may(ctx.directory, user, Action.READ_AUDIT):
            await refuse_sender(ctx, tx, inbound, Action.READ_AUDIT)
        else:
            await show_audit(ctx, tx, inbound, args)
        return True
    if command in EXPORT_COMMANDS and args.isdigit():
        if not may(ctx.directory, user, Action.EXPORT_DATA):  # operators only, not in Telegram
            await refuse_sender(ctx, tx, inbound, Action.EXPORT_DATA)
        return True
    if command in ERASE_COMMANDS and args.isdigit():
        if not may_somewhere(ctx.directory, user, Action.ERASE_DATA):
            await refuse_sender(ctx, tx, inbound, Action.ERASE_DATA)
        else:
            await _confirm_erase(ctx, tx, inbound, int(args))
        return True
    if (
        command in ERASE_COMMANDS
        and may_somewhere(ctx.directory, user, Action.ERASE_DATA)
        and await tx.ambassadors.by_address(inbound.channel, inbound.address) is None
    ):
        await _say(ctx, tx, inbound, ctx.texts.get(_staff_lang(ctx, inbound), "privacy.usage"))
        return True
    if callback.startswith(f"{PREFIX}amb:"):
        await _erase_pressed(ctx, tx, inbound, callback.removeprefix(f"{PREFIX}amb:"))
        return True
    if callback == f"{PREFIX}keep":
        await _say(ctx, tx, inbound, ctx.texts.get(_staff_lang(ctx, inbound), "privacy.kept_other"))
        return True
    return False


async def _target(
    ctx: FlowContext, tx: Tx, inbound: Inbound, ambassador_id: int
) -> Ambassador | None:
    """The ambassador to erase, if they exist and the user may erase in their area."""
    amb = await tx.ambassadors.get(ambassador_id)
    if amb is None:
        text = ctx.texts.get(_staff_lang(ctx, inbound), "privacy.unknown", id=ambassador_id)
        await _say(ctx, tx, inbound, text)
        return None
    if not may(ctx.directory, inbound.user_id, Action.ERASE_DATA, area=amb.area_id):
        await refuse_sender(ctx, tx, inbound, Action.ERASE_DATA)
        return None
    return amb


async def _confirm_erase(ctx: FlowContext, tx: Tx, inbound: Inbound, ambassador_id: int) -> None:
    amb = await _target(ctx, tx, inbound, ambassador_id)
    if amb is None:
        return
    lang = _staff_lang(ctx, inbound)
    text = ctx.texts.get(
        lang,
        "privacy.erase_confirm",
        name=amb.name,
        area=ctx.directory.area_name(amb.area_id),
        id=amb.id,
    )
    buttons = (
        (
            Button(
                ctx.texts.get(lang, "privacy.button_erase_other"),
                f"{PREFIX}amb:{amb.id}:{_stamp(ctx)}",
            ),
            Button(ctx.texts.get(lang, "privacy.button_keep_other"), f"{PREFIX}keep"),
        ),
    )
    await _say(ctx, tx, inbound, text, buttons)


async def _erase_pressed(ctx: FlowContext, tx: Tx, inbound: Inbound, data: str) -> None:
    lang = _staff_lang(ctx, inbound)
    ambassador_id, _, stamp = data.partition(":")
    if not may_somewhere(ctx.directory, inbound.user_id, Action.ERASE_DATA):
        await refuse_sender(ctx, tx, inbound, Action.ERASE_DATA)  # whoever pressed it
        return
    if not ambassador_id.isdigit() or not _fresh(ctx, stamp):
        await _say(ctx, tx, inbound, ctx.texts.get(lang, "privacy.erase_expired_other"))
        return
    amb = await _target(ctx, tx, inbound, int(ambassador_id))
    if amb is None:
        return
    done = await erase(ctx, tx, amb, by=actor(ctx.directory, inbound.user_id))
    text = ctx.texts.get(lang, "privacy.erase_done", id=amb.id, rows=sum(done.counts.values()))
    await _say(ctx, tx, inbound, text)


def audit_line(entry: AuditEntry, when_format: str = "%d.%m %H:%M") -> str:
    """One entry as a line a person reads: local time, who, what, about whom, details."""
    when = entry.at.astimezone(LOCAL_TZ).strftime(when_format)
    details = " ".join(f"{k}={v}" for k, v in entry.details.items())
    return " ".join(p for p in (when, entry.actor, entry.action, entry.subject or "", details) if p)


async def show_audit(ctx: FlowContext, tx: Tx, inbound: Inbound, args: str) -> None:
    lang = _staff_lang(ctx, inbound)
    count = min(int(args), 50) if args.isdigit() and int(args) > 0 else AUDIT_LINES
    entries = await tx.audit.entries(limit=count)
    await tx.audit.add(actor(ctx.directory, inbound.user_id), "audit.viewed", ctx.clock.now())
    if not entries:
        await _say(ctx, tx, inbound, ctx.texts.get(lang, "privacy.audit_empty"))
        return
    lines = "\n".join(f"<code>{html.escape(audit_line(e), quote=False)}</code>" for e in entries)
    header = ctx.texts.get(lang, "privacy.audit_header", count=len(entries))
    await _say(ctx, tx, inbound, f"{header}\n{lines}")
