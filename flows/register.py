"""The ambassador register: who is in the programme, where and with whom, and the verbs that
change it (move, pause, resume, end, rename; open invitations and revoking them).

The command line, the Telegram commands (`/ambassadoerer`, `/flyt`, ...) and the sandbox
all change the register through these functions, so the ambassador and the officers are
told the same way whichever was used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flows import membership, outgoing
from flows.access import refuse_staff
from flows.context import FlowContext
from flows.hours import format_local
from flows.model import (
    Ambassador,
    AmbassadorState,
    Channel,
    Invitation,
    OfficerMessage,
    OutKind,
    Priority,
    RegisterEntry,
)
from flows.outgoing import answer_officer, officer_name
from flows.ports import Tx
from flows.roles import Action, Role, may, may_somewhere, roles_of
from flows.texts import Html, TextError, escape

MEMBERS = (AmbassadorState.ACTIVE, AmbassadorState.PAUSED)
COMMANDS = {
    "ambassadoerer": "list",
    "ambassadører": "list",
    "ambassadors": "list",
    "flyt": "move",
    "move": "move",
    "pause": "pause",
    "genoptag": "resume",
    "resume": "resume",
    "afslut": "end",
    "end": "end",
    "omdoeb": "rename",
    "omdøb": "rename",
    "rename": "rename",
    "invitationer": "invitations",
    "invitations": "invitations",
    "tilbagekald": "revoke",
    "revoke": "revoke",
}


class RegisterError(TextError):
    """A register change that cannot be made; `explain(lang)` says why."""

    section = "register_errors"


async def ambassador(tx: Tx, ambassador_id: int) -> Ambassador:
    found = await tx.ambassadors.get(ambassador_id)
    if found is None:
        raise RegisterError("not_found", id=ambassador_id)
    return found


def _state_word(ctx: FlowContext, state: AmbassadorState) -> str:
    return ctx.texts.get(ctx.settings.officers_language, f"register.state_{state.value}")


def _member(ctx: FlowContext, amb: Ambassador) -> None:
    if amb.state not in MEMBERS:
        raise RegisterError("not_member", name=amb.name, state=_state_word(ctx, amb.state))


# -- the verbs -----------------------------------------------------------------------------


async def move(
    ctx: FlowContext,
    tx: Tx,
    amb: Ambassador,
    *,
    area: str | None = None,
    officer: str | None = None,
    by: str,
) -> Ambassador:
    """Another area and/or officer. The ambassador is told who their officer now is, the
    officers see it in the ambassador's topic, and the topic is renamed."""
    directory = ctx.directory
    if area is not None and directory.area(area) is None:
        known = ", ".join(a.id for a in directory.areas)
        raise RegisterError("unknown_area", area=area, known=known)
    if officer is not None and directory.officer(officer) is None:
        known = ", ".join(o.id for o in directory.officers)
        raise RegisterError("unknown_officer", officer=officer, known=known)
    new_area, new_officer = area or amb.area_id, officer or amb.officer_id
    if (new_area, new_officer) == (amb.area_id, amb.officer_id):
        raise RegisterError("nothing_to_move")
    if amb.state == AmbassadorState.ENDED:
        _member(ctx, amb)
    now = ctx.clock.now()
    await tx.ambassadors.move(amb.id, area_id=new_area, officer_id=new_officer, now=now)
    await tx.audit.add(
        by, "ambassador.moved", now, subject=f"ambassador:{amb.id}",
        area=new_area, officer=new_officer, old_area=amb.area_id, old_officer=amb.officer_id,
    )  # fmt: skip
    moved = await ambassador(tx, amb.id)
    values = {"area": directory.area_name(new_area), "officer": officer_name(ctx, new_officer)}
    if moved.state in MEMBERS:
        await outgoing.to_ambassador(
            ctx, tx, moved, ctx.texts.get(moved.language, "register.moved", **values)
        )
    olang = ctx.settings.officers_language
    await outgoing.rename_topic(ctx, tx, moved)
    await outgoing.to_officers(
        ctx,
        tx,
        ctx.texts.get(olang, "register.officers_moved", name=moved.name, **values),
        kind=OutKind.ANSWER,
        priority=Priority.NOTICE,
        amb=moved,
    )
    return moved


async def pause(ctx: FlowContext, tx: Tx, amb: Ambassador, *, by: str) -> None:
    _member(ctx, amb)
    if amb.state == AmbassadorState.PAUSED:
        raise RegisterError("already", name=amb.name, state=_state_word(ctx, amb.state))
    await membership.pause(ctx, tx, amb, by=by)


async def resume(ctx: FlowContext, tx: Tx, amb: Ambassador, *, by: str) -> None:
    _member(ctx, amb)
    if amb.state == AmbassadorState.ACTIVE:
        raise RegisterError("already", name=amb.name, state=_state_word(ctx, amb.state))
    await membership.resume(ctx, tx, amb, by=by)


async def end(ctx: FlowContext, tx: Tx, amb: Ambassador, *, by: str) -> None:
    """The partnership is over: nothing is relayed or pushed, and only a new invitation
    brings them back. Their messages still get the 1-1-2 answer when they describe danger."""
    if amb.state == AmbassadorState.ENDED:
        raise RegisterError("already", name=amb.name, state=_state_word(ctx, amb.state))
    now = ctx.clock.now()
    member = amb.state in MEMBERS
    await tx.ambassadors.set_state(amb.id, AmbassadorState.ENDED, now)
    await membership.withdraw_pushes(ctx, tx, amb, "ended")
    await tx.audit.add(by, "ambassador.ended", now, subject=f"ambassador:{amb.id}")
    if member:
        await outgoing.to_ambassador(ctx, tx, amb, ctx.texts.get(amb.language, "register.ended"))
        await outgoing.notice(ctx, tx, "register.officers_ended", amb)


async def rename(ctx: FlowContext, tx: Tx, amb: Ambassador, name: str, *, by: str) -> Ambassador:
    name = " ".join(name.split())[:100]
    if not name:
        raise RegisterError("empty_name")
    now = ctx.clock.now()
    await tx.ambassadors.rename(amb.id, name, now)
    await tx.audit.add(by, "ambassador.renamed", now, subject=f"ambassador:{amb.id}")
    renamed = await ambassador(tx, amb.id)
    await outgoing.rename_topic(ctx, tx, renamed)
    return renamed


async def revoke(ctx: FlowContext, tx: Tx, invitation_id: int, *, by: str) -> Invitation:
    """An invitation that can no longer be used; an SMS invitee who has not answered yet is
    no longer waiting to join."""
    now = ctx.clock.now()
    found = await tx.invitations.get(invitation_id)
    if found is None:
        raise RegisterError("no_invitation", id=invitation_id)
    if not found.is_open(now) or not await tx.invitations.revoke(invitation_id, now):
        raise RegisterError("not_revocable", id=invitation_id)
    if found.phone is not None:
        invitee = await tx.ambassadors.by_address(Channel.SMS, found.phone)
        if invitee is not None and invitee.state == AmbassadorState.INVITED:
            await tx.ambassadors.set_state(invitee.id, AmbassadorState.ENDED, now)
    await tx.audit.add(by, "invitation.revoked", now, subject=f"invitation:{invitation_id}")
    return found


# -- reading it ----------------------------------------------------------------------------


def entry_json(ctx: FlowContext, entry: RegisterEntry) -> dict[str, Any]:
    """One ambassador as the command line and the sandbox show them."""
    a = entry.ambassador
    return {
        "id": a.id,
        "name": a.name,
        "channel": a.channel.value,
        "address": a.address if a.channel == Channel.SMS else None,
        "area": a.area_id,
        "area_name": ctx.directory.area_name(a.area_id),
        "officer": a.officer_id,
        "officer_name": officer_name(ctx, a.officer_id),
        "state": a.state.value,
        "language": a.language,
        "agreement_version": a.agreement_version,
        "joined": _iso(a.accepted_at),
        "invited": _iso(a.created_at),
        "last_message": _iso(entry.last_message_at),
        "unreachable": a.unreachable,
    }


def invitation_json(ctx: FlowContext, inv: Invitation) -> dict[str, Any]:
    return {
        "id": inv.id,
        "name": inv.name,
        "channel": inv.channel.value,
        "phone": inv.phone,
        "area": inv.area_id,
        "officer": inv.officer_id,
        "created_at": _iso(inv.created_at),
        "expires_at": _iso(inv.expires_at),
        "created_by": inv.created_by,
    }


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at is not None else None


@dataclass(frozen=True)
class Listing:
    entries: list[RegisterEntry]
    invitations: list[Invitation]


async def listing(
    tx: Tx, now: datetime, *, area: str | None = None, officer: str | None = None
) -> Listing:
    entries = await tx.ambassadors.register(areas=[area] if area else None)
    invitations = [i for i in await tx.invitations.open(now) if not area or i.area_id == area]
    if officer is not None:
        entries = [e for e in entries if e.ambassador.officer_id == officer]
        invitations = [i for i in invitations if i.officer_id == officer]
    return Listing(entries, invitations)


# -- from Telegram -------------------------------------------------------------------------


def may_edit(ctx: FlowContext, user: int, area: str, officer_id: str) -> bool:
    """Coordinators (in their areas) may change anyone; an officer only their own ambassadors."""
    if not may(ctx.directory, user, Action.EDIT_REGISTER, area=area):
        return False
    if Role.COORDINATOR in roles_of(ctx.directory, user):
        return True
    officer = ctx.directory.officer_by_user.get(user)
    return officer is not None and officer.id == officer_id


def _line(ctx: FlowContext, entry: RegisterEntry) -> str:
    olang = ctx.settings.officers_language
    a = entry.ambassador
    last = entry.last_message_at
    return ctx.texts.get(
        olang,
        "register.list_line",
        id=a.id,
        name=a.name,
        channel="SMS" if a.channel == Channel.SMS else "Telegram",
        area=ctx.directory.area_name(a.area_id),
        officer=officer_name(ctx, a.officer_id),
        state=_state_word(ctx, a.state),
        last=format_local(last, olang) if last else ctx.texts.get(olang, "register.never"),
    )


async def command(ctx: FlowContext, tx: Tx, msg: OfficerMessage) -> None:
    """`/ambassadoerer [område]`, `/flyt ID [område] [betjent]`, `/pause ID`, `/genoptag ID`,
    `/afslut ID`, `/omdoeb ID NAVN`, `/invitationer`, `/tilbagekald ID`."""
    olang = ctx.settings.officers_language
    verb = COMMANDS[msg.command or ""]
    user = msg.user_id
    by = f"telegram:{user}"
    officer = ctx.directory.officer_by_user.get(user)
    own = None if user in ctx.directory.coordinators else (officer.id if officer else "")
    words = msg.args.split()

    async def say(text: str) -> None:
        await answer_officer(ctx, tx, msg, text)

    if not may_somewhere(ctx.directory, user, Action.VIEW_REGISTER):
        await refuse_staff(ctx, tx, msg, Action.VIEW_REGISTER)
        return
    try:
        if verb == "list":
            area = words[0] if words else None
            if area is not None and ctx.directory.area(area) and not _may_see(ctx, user, area):
                await refuse_staff(ctx, tx, msg, Action.VIEW_REGISTER)  # outside their areas
                return
            await say(await _list_text(ctx, tx, user, area, own))
            return
        if verb == "invitations":
            await say(await _invitations_text(ctx, tx, user, own))
            return
        if not words or not words[0].isdigit():
            await say(ctx.texts.get(olang, "register.usage"))
            return
        if verb == "revoke":
            invitation = await tx.invitations.get(int(words[0]))
            if invitation is not None and not may_edit(
                ctx, user, invitation.area_id, invitation.officer_id
            ):
                await refuse_staff(ctx, tx, msg, Action.EDIT_REGISTER)
                return
            await revoke(ctx, tx, int(words[0]), by=by)
            await say(ctx.texts.get(olang, "register.revoked_done", id=words[0]))
            return
        amb = await ambassador(tx, int(words[0]))
        if not may_edit(ctx, user, amb.area_id, amb.officer_id):
            await refuse_staff(ctx, tx, msg, Action.EDIT_REGISTER)
            return
        rest = words[1:]
        if verb == "move":
            area = next((w for w in rest if ctx.directory.area(w) is not None), None)
            to = next((w for w in rest if w != area), None)
            moved = await move(ctx, tx, amb, area=area, officer=to, by=by)
            await say(
                ctx.texts.get(
                    olang,
                    "register.moved_done",
                    name=moved.name,
                    area=ctx.directory.area_name(moved.area_id),
                    officer=officer_name(ctx, moved.officer_id),
                )
            )
        elif verb == "rename":
            renamed = await rename(ctx, tx, amb, " ".join(rest), by=by)
            await say(ctx.texts.get(olang, "register.renamed_done", name=renamed.name))
        else:
            action, done = {
                "pause": (pause, "paused_done"),
                "resume": (resume, "resumed_done"),
                "end": (end, "ended_done"),
            }[verb]
            await action(ctx, tx, amb, by=by)
            await say(ctx.texts.get(olang, f"register.{done}", name=amb.name))
    except RegisterError as exc:
        await say(escape(exc.explain(olang, ctx.texts)))


def _may_see(ctx: FlowContext, user: int, area: str) -> bool:
    return may(ctx.directory, user, Action.VIEW_REGISTER, area=area)


async def _list_text(
    ctx: FlowContext, tx: Tx, user: int, area: str | None, officer: str | None
) -> str:
    olang = ctx.settings.officers_language
    if area is not None and ctx.directory.area(area) is None:
        known = ", ".join(a.id for a in ctx.directory.areas)
        raise RegisterError("unknown_area", area=area, known=known)
    found = await listing(tx, ctx.clock.now(), area=area, officer=officer)
    found.entries[:] = [e for e in found.entries if _may_see(ctx, user, e.ambassador.area_id)]
    if not found.entries:
        return ctx.texts.get(olang, "register.list_empty")
    lines = [ctx.texts.get(olang, "register.list_header", count=len(found.entries))]
    lines += [_line(ctx, e) for e in found.entries]
    return Html("\n".join(lines))


async def _invitations_text(ctx: FlowContext, tx: Tx, user: int, officer: str | None) -> str:
    olang = ctx.settings.officers_language
    found = await listing(tx, ctx.clock.now(), officer=officer)
    found.invitations[:] = [i for i in found.invitations if _may_see(ctx, user, i.area_id)]
    if not found.invitations:
        return ctx.texts.get(olang, "register.invitations_empty")
    lines = [ctx.texts.get(olang, "register.invitations_header", count=len(found.invitations))]
    for inv in found.invitations:
        who = inv.name or inv.phone or "Telegram"
        lines.append(
            ctx.texts.get(
                olang,
                "register.invitation_line",
                id=inv.id,
                who=who,
                area=ctx.directory.area_name(inv.area_id),
                officer=officer_name(ctx, inv.officer_id),
                expires=format_local(inv.expires_at, olang),
            )
        )
    return Html("\n".join(lines))
