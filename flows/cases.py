"""Cases in the officers' group: every relayed message and alert is a case until an officer
answers it or marks it handled (the ✅ button under it, or `/klaret`). The group can ask
which cases are still open and for how long (`/ubesvarede`), and a case nobody has touched
gets one reminder after a number of office hours (the scheduler calls `remind_due`).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from flows.access import refuse_staff
from flows.context import FlowContext
from flows.model import Ambassador, Button, OfficerMessage, OpenCase, OutKind, Priority
from flows.outgoing import answer_officer, mention, to_officers
from flows.ports import Tx
from flows.roles import Action, actor, may
from flows.texts import Html

HANDLED_COMMANDS = frozenset({"klaret", "handled", "done"})
UNANSWERED_COMMANDS = frozenset({"ubesvarede", "unanswered"})
COMMANDS = HANDLED_COMMANDS | UNANSWERED_COMMANDS
BUTTON_PREFIX = "case:"  # case:<message id>


def handled_button(ctx: FlowContext, message_id: int) -> tuple[tuple[Button, ...], ...]:
    """The ✅ button under a relayed message or an alert in the group."""
    label = ctx.texts.get(ctx.settings.officers_language, "cases.button_done")
    return ((Button(label, f"{BUTTON_PREFIX}{message_id}"),),)


def office_time(ctx: FlowContext, start: datetime, end: datetime) -> timedelta:
    hours = ctx.office_hours
    return hours.open_between(start, end) if hours is not None else end - start


def duration(delta: timedelta, language: str) -> str:
    """ "2 t 05 min" / "2 h 05 min"; days beyond 24 hours."""
    minutes = int(delta.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    h = "t" if language == "da" else "h"
    if days:
        return f"{days} d {hours} {h}"
    return f"{hours} {h} {mins:02d} min" if hours else f"{mins} min"


async def command(
    ctx: FlowContext,
    tx: Tx,
    msg: OfficerMessage,
    amb: Ambassador | None,
    relayed_message_id: int | None,
) -> None:
    olang = ctx.settings.officers_language
    if not may(ctx.directory, msg.user_id, Action.HANDLE_CASES):
        await refuse_staff(ctx, tx, msg, Action.HANDLE_CASES, amb)
        return
    if msg.command in UNANSWERED_COMMANDS:
        await answer_officer(ctx, tx, msg, await unanswered_text(ctx, tx), amb)
        return
    now = ctx.clock.now()
    officer = ctx.directory.officer_by_user.get(msg.user_id)
    who = officer.name if officer is not None else msg.user_name
    by = actor(ctx.directory, msg.user_id)
    target = int(msg.args) if msg.args.strip().isdigit() else relayed_message_id
    if target is not None:
        closed = await tx.messages.mark_handled(by, now, message_id=target)
    elif amb is not None:
        closed = await tx.messages.mark_handled(by, now, ambassador_id=amb.id)
    else:
        await answer_officer(ctx, tx, msg, ctx.texts.get(olang, "cases.no_target"))
        return
    if not closed:
        name = amb.name if amb is not None else "?"
        await answer_officer(
            ctx, tx, msg, ctx.texts.get(olang, "cases.nothing_open", name=name), amb
        )
        return
    await tx.audit.add(by, "case.handled", now, subject=",".join(f"message:{i}" for i in closed))
    await answer_officer(ctx, tx, msg, ctx.texts.get(olang, "cases.done", who=who), amb)


async def unanswered_text(ctx: FlowContext, tx: Tx) -> str:
    olang = ctx.settings.officers_language
    cases = await tx.messages.open_cases()
    if not cases:
        return ctx.texts.get(olang, "cases.none_unanswered")
    now = ctx.clock.now()
    lines = [ctx.texts.get(olang, "cases.unanswered_header", count=len(cases))]
    for case in cases[:50]:
        amb = await tx.ambassadors.get(case.ambassador_id)
        text = " ".join(case.text.split())
        lines.append(
            ctx.texts.get(
                olang,
                "cases.unanswered_line",
                id=case.message_id,
                name=amb.name if amb else case.ambassador_id,
                area=ctx.directory.area_name(amb.area_id) if amb else "",
                route=ctx.texts.get(olang, f"routes.{case.route}"),
                age=duration(now - case.created_at, olang),
                office=duration(office_time(ctx, case.created_at, now), olang),
                text=text if len(text) <= 60 else text[:59] + "…",
            )
        )
    return Html("\n".join(lines))


async def remind_due(ctx: FlowContext, tx: Tx) -> int:
    """One reminder per ambassador whose oldest unanswered message has waited the configured
    office time; each message is reminded about once. Returns the reminders queued."""
    after = ctx.settings.remind_after
    if after is None:
        return 0
    now = ctx.clock.now()
    waiting: dict[int, list[OpenCase]] = defaultdict(list)
    for case in await tx.messages.open_cases():
        if case.reminded_at is None and now - case.created_at >= after:
            waiting[case.ambassador_id].append(case)
    olang = ctx.settings.officers_language
    sent = 0
    for ambassador_id, cases in waiting.items():
        oldest = cases[0]
        waited = office_time(ctx, oldest.created_at, now)
        if waited < after:
            continue
        amb = await tx.ambassadors.get(ambassador_id)
        if amb is None:
            continue
        officer = ctx.directory.officer(amb.officer_id)
        text = ctx.texts.get(
            olang,
            "cases.reminder",
            mention=mention(officer, amb.officer_id),
            name=amb.name,
            office=duration(waited, olang),
        )
        await to_officers(
            ctx,
            tx,
            text,
            kind=OutKind.ANSWER,
            priority=Priority.RELAY,
            amb=amb,
            buttons=handled_button(ctx, oldest.message_id),
        )
        await tx.messages.set_reminded([c.message_id for c in cases], now)
        sent += 1
    return sent
