"""Composing a push in a private Telegram chat, step by step with buttons: audience, channel,
text or tip, time, then a preview with the figures and a final confirmation. A tryghed
pulse (`/puls`) is composed the same way, with a question instead of a text or tip.

Only coordinators may use it (flows/roles.py), each for the areas they may plan for. The
draft lives in SQLite, so a restart in the middle of composing loses nothing, and the same
state machine would serve any chat channel.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from flows import outgoing
from flows.access import refuse_sender
from flows.broadcasts import planning
from flows.broadcasts.model import AUDIENCE_CHANNELS, BroadcastError, Plan
from flows.context import FlowContext
from flows.hours import LOCAL_TZ, format_local
from flows.model import Button, Channel, Inbound
from flows.ports import Tx
from flows.roles import Action, actor, areas_of, may_in, may_somewhere
from flows.texts import Html

PUSH_COMMANDS = frozenset({"kampagne", "broadcast", "udsendelse"})
PULSE_COMMANDS = frozenset({"puls", "pulse", "tryghed"})
COMMANDS = PUSH_COMMANDS | PULSE_COMMANDS
ABORT_COMMANDS = frozenset({"annuller", "cancel"})
PREFIX = "bc:"
_BOUNDS = re.compile(r"\s+(fra|from|til|until|to)\s+(\d{4}-\d{2}-\d{2})", re.IGNORECASE)

Keyboard = outgoing.Keyboard


async def handles(ctx: FlowContext, tx: Tx, inbound: Inbound) -> bool:
    """Take the arrival if it belongs to the wizard; False leaves it to the normal flows.
    Each command, text and button is checked against the user who sent or pressed it."""
    if inbound.channel != Channel.TELEGRAM:
        return False
    command = inbound.command
    callback = inbound.callback or ""
    user = inbound.user_id
    coordinator = user is not None and may_somewhere(ctx.directory, user, Action.PLAN_PUSH)
    if command in COMMANDS or callback.startswith(PREFIX) or command in ABORT_COMMANDS:
        if not coordinator or user is None:
            await refuse_sender(ctx, tx, inbound, Action.PLAN_PUSH)  # a pulse is a push too
        elif command in COMMANDS:
            await _start(ctx, tx, inbound, user)
        elif command in ABORT_COMMANDS:
            dropped = await tx.broadcasts.draft(user) is not None
            await tx.broadcasts.drop_draft(user)
            await _say(
                ctx, tx, inbound, _t(ctx, inbound, "aborted" if dropped else "nothing_to_abort")
            )
        else:
            await _button(ctx, tx, inbound, user, callback[len(PREFIX) :])
        return True
    if not coordinator or user is None:
        return False
    draft = await tx.broadcasts.draft(user)
    if draft is None:
        return False
    if command is not None or inbound.callback is not None:
        return False  # other commands and buttons keep their usual meaning
    await _typed(ctx, tx, inbound, user, draft, inbound.text.strip())
    return True


def _lang(ctx: FlowContext, inbound: Inbound) -> str:
    return ctx.texts.language(inbound.language or ctx.settings.officers_language)


def _t(ctx: FlowContext, inbound: Inbound, key: str, **values: object) -> str:
    return ctx.texts.get(_lang(ctx, inbound), f"broadcast.{key}", **values)


async def _say(
    ctx: FlowContext, tx: Tx, inbound: Inbound, text: str, buttons: Keyboard = ()
) -> None:
    await outgoing.to_sender(ctx, tx, inbound.channel, inbound.address, text, buttons=buttons)


async def _save(ctx: FlowContext, tx: Tx, user: int, draft: dict[str, Any]) -> None:
    await tx.broadcasts.save_draft(user, draft, ctx.clock.now())


async def _start(ctx: FlowContext, tx: Tx, inbound: Inbound, user: int) -> None:
    """The push is signed by whoever composes it: an officer's configured name, else the
    coordinator's Telegram name."""
    officer = ctx.directory.officer_by_user.get(user)
    author = officer.name if officer is not None else inbound.display_name
    kind = "pulse" if inbound.command in PULSE_COMMANDS else "push"
    await _save(ctx, tx, user, {"step": "audience", "kind": kind, "author": author})
    await _ask(ctx, tx, inbound, "audience")


async def _ask(
    ctx: FlowContext, tx: Tx, inbound: Inbound, step: str, *, pulse: bool = False
) -> None:
    lang = _lang(ctx, inbound)
    if step == "audience":
        limited = areas_of(ctx.directory, inbound.user_id)
        areas = tuple(a for a in ctx.directory.areas if limited is None or a.id in limited)
        example = ", ".join(a.id for a in areas[:2])
        rows: list[tuple[Button, ...]] = []
        if limited is None:  # "every area" is only for coordinators of every area
            rows.append((Button(_t(ctx, inbound, "button_all_areas"), f"{PREFIX}a:*"),))
        row: list[Button] = []
        for area in areas:
            row.append(Button(area.name, f"{PREFIX}a:{area.id}"))
            if len(row) == 3:
                rows.append(tuple(row))
                row = []
        if row:
            rows.append(tuple(row))
        await _say(ctx, tx, inbound, _t(ctx, inbound, "ask_audience", example=example), tuple(rows))
    elif step == "channel":
        buttons = tuple(
            Button(_t(ctx, inbound, f"button_channel_{c}"), f"{PREFIX}c:{c}")
            for c in AUDIENCE_CHANNELS
        )
        await _say(ctx, tx, inbound, _t(ctx, inbound, "ask_channel"), (buttons,))
    elif step == "content" and pulse:
        question = ctx.texts.get(lang, "pulse.default_question")
        text = ctx.texts.get(lang, "pulse.ask_question", question=question)
        button = Button(ctx.texts.get(lang, "pulse.button_default"), f"{PREFIX}q")
        await _say(ctx, tx, inbound, text, ((button,),))
    elif step == "content":
        lib = ctx.tips
        tips = tuple(
            (
                Button(
                    _t(ctx, inbound, "button_tip", topic=lib.topic_name(t, lang)), f"{PREFIX}t:{t}"
                ),
            )
            for t in lib.topics
        )
        await _say(ctx, tx, inbound, _t(ctx, inbound, "ask_content"), tips)
    elif step == "when":
        buttons = tuple(
            Button(_t(ctx, inbound, f"button_{w}"), f"{PREFIX}w:{w}")
            for w in ("now", "at", "every")
        )
        await _say(ctx, tx, inbound, _t(ctx, inbound, "ask_when"), (buttons,))
    elif step == "at":
        example = (
            (ctx.clock.now() + timedelta(days=1)).astimezone(LOCAL_TZ).strftime("%Y-%m-%d 18:00")
        )
        await _say(ctx, tx, inbound, _t(ctx, inbound, "ask_at", example=example))
    elif step == "every":
        await _say(ctx, tx, inbound, _t(ctx, inbound, "ask_every"))


async def _button(ctx: FlowContext, tx: Tx, inbound: Inbound, user: int, data: str) -> None:
    draft = await tx.broadcasts.draft(user)
    kind, _, value = data.partition(":")
    if draft is None:
        await _say(ctx, tx, inbound, _t(ctx, inbound, "stale"))
        return
    step = draft["step"]
    if kind == "x":
        await tx.broadcasts.drop_draft(user)
        await _say(ctx, tx, inbound, _t(ctx, inbound, "aborted"))
    elif kind == "a" and step == "audience":
        draft["areas"] = [] if value == "*" else [value]
        await _after_audience(ctx, tx, inbound, user, draft)
    elif kind == "c" and step == "channel":
        draft["channel"] = value
        draft["step"] = "content"
        await _save(ctx, tx, user, draft)
        await _ask(ctx, tx, inbound, "content", pulse=draft.get("kind") == "pulse")
    elif kind == "q" and step == "content":
        draft["text"] = ctx.texts.get(_lang(ctx, inbound), "pulse.default_question")
        draft["step"] = "when"
        await _save(ctx, tx, user, draft)
        await _ask(ctx, tx, inbound, "when")
    elif kind == "t" and step == "content" and draft.get("kind") != "pulse":
        draft["tip_topic"] = value
        draft.pop("text", None)
        draft["step"] = "when"
        await _save(ctx, tx, user, draft)
        await _ask(ctx, tx, inbound, "when")
    elif kind == "w" and step == "when":
        if value == "now":
            await _preview(ctx, tx, inbound, user, draft)
        else:
            draft["step"] = value
            await _save(ctx, tx, user, draft)
            await _ask(ctx, tx, inbound, value)
    elif kind == "ok" and step == "confirm":
        await _confirm(ctx, tx, inbound, user, draft)
    else:
        await _say(ctx, tx, inbound, _t(ctx, inbound, "stale"))


async def _after_audience(
    ctx: FlowContext, tx: Tx, inbound: Inbound, user: int, draft: dict[str, Any]
) -> None:
    if not may_in(ctx.directory, user, Action.PLAN_PUSH, draft.get("areas") or []):
        await refuse_sender(ctx, tx, inbound, Action.PLAN_PUSH)
        await _ask(ctx, tx, inbound, "audience")
        return
    if ctx.settings.sms_enabled:
        draft["step"] = "channel"
    else:
        draft["channel"] = "all"
        draft["step"] = "content"
    await _save(ctx, tx, user, draft)
    await _ask(ctx, tx, inbound, draft["step"], pulse=draft.get("kind") == "pulse")


def _areas(ctx: FlowContext, text: str) -> list[str]:
    found = []
    for word in re.split(r"[,;]|\s+og\s+|\s+and\s+", text):
        word = word.strip().lower()
        if not word:
            continue
        area = next(
            (a for a in ctx.directory.areas if word in (a.id.lower(), a.name.lower())), None
        )
        if area is None:
            raise BroadcastError("unknown_word", word=word)
        found.append(area.id)
    return found


async def _typed(
    ctx: FlowContext, tx: Tx, inbound: Inbound, user: int, draft: dict[str, Any], text: str
) -> None:
    step = draft["step"]
    try:
        if step == "audience" and text:
            draft["areas"] = _areas(ctx, text)
            await _after_audience(ctx, tx, inbound, user, draft)
            return
        if step == "content" and text:
            draft["text"] = text
            draft.pop("tip_topic", None)
            draft["step"] = "when"
            await _save(ctx, tx, user, draft)
            await _ask(ctx, tx, inbound, "when")
            return
        if step == "at" and text:
            draft["at"] = text
            draft.pop("every", None)
            await _preview(ctx, tx, inbound, user, draft)
            return
        if step == "every" and text:
            bounds = {k.lower(): v for k, v in _BOUNDS.findall(text)}
            draft["every"] = _BOUNDS.sub("", text).strip()
            draft["starts"] = bounds.get("fra") or bounds.get("from")
            draft["until"] = bounds.get("til") or bounds.get("until") or bounds.get("to")
            draft.pop("at", None)
            await _preview(ctx, tx, inbound, user, draft)
            return
    except BroadcastError as exc:
        await _say(
            ctx,
            tx,
            inbound,
            _t(ctx, inbound, "invalid", error=exc.explain(_lang(ctx, inbound), ctx.texts)),
        )
    pulse = draft.get("kind") == "pulse"
    await _ask(ctx, tx, inbound, "when" if step == "confirm" else step, pulse=pulse)


def _plan(ctx: FlowContext, draft: dict[str, Any]) -> Plan:
    return planning.make_plan(
        ctx,
        areas=draft.get("areas") or [],
        channel=draft.get("channel", "all"),
        text=draft.get("text"),
        tip_topic=draft.get("tip_topic"),
        at=draft.get("at"),
        every=draft.get("every"),
        starts=draft.get("starts"),
        until=draft.get("until"),
        kind=draft.get("kind", "push"),
        author=draft.get("author"),
    )


async def _plan_or_ask_again(
    ctx: FlowContext, tx: Tx, inbound: Inbound, user: int, draft: dict[str, Any]
) -> Plan | None:
    """The draft as a plan; if it does not hold together, say why and ask for the time again
    (the step where most mistakes are made)."""
    try:
        return _plan(ctx, draft)
    except BroadcastError as exc:
        await _say(
            ctx,
            tx,
            inbound,
            _t(ctx, inbound, "invalid", error=exc.explain(_lang(ctx, inbound), ctx.texts)),
        )
        draft["step"] = "when"
        await _save(ctx, tx, user, draft)
        await _ask(ctx, tx, inbound, "when")
        return None


async def _preview(
    ctx: FlowContext, tx: Tx, inbound: Inbound, user: int, draft: dict[str, Any]
) -> None:
    lang = _lang(ctx, inbound)
    plan = await _plan_or_ask_again(ctx, tx, inbound, user, draft)
    if plan is None:
        return
    draft["step"] = "confirm"
    await _save(ctx, tx, user, draft)
    view = await planning.preview(ctx, tx, plan, ctx.settings.quiet_hours)
    skipped = ", ".join(
        f"{n} {ctx.texts.get(lang, f'broadcast.reason_{reason}')}"
        for reason, n in sorted(view.skipped.items())
    )
    figures = _t(
        ctx,
        inbound,
        "preview_figures",
        telegram=view.telegram,
        sms=view.sms,
        segments=view.sms_segments or 1,
        sms_total=view.sms_total,
        skipped=skipped or _t(ctx, inbound, "none"),
        audience=planning.describe_audience(ctx, plan.audience, lang),
        when=plan.schedule.describe(lang),
    )
    notes = []
    if view.first_due is not None and plan.schedule.kind != "now":
        notes.append(_t(ctx, inbound, "goes_out", when=format_local(view.first_due, lang)))
    if view.goes_out is not None and view.first_due is not None and view.goes_out > view.first_due:
        notes.append(_t(ctx, inbound, "quiet_note", when=format_local(view.goes_out, lang)))
    buttons = (
        (
            Button(_t(ctx, inbound, "button_confirm"), f"{PREFIX}ok"),
            Button(_t(ctx, inbound, "button_abort"), f"{PREFIX}x"),
        ),
    )
    await _say(ctx, tx, inbound, _t(ctx, inbound, "preview_intro"))
    await _say(ctx, tx, inbound, view.text)
    await _say(ctx, tx, inbound, Html("\n".join([figures, *notes])), buttons)


async def _confirm(
    ctx: FlowContext, tx: Tx, inbound: Inbound, user: int, draft: dict[str, Any]
) -> None:
    lang = _lang(ctx, inbound)
    if not may_in(ctx.directory, user, Action.PLAN_PUSH, draft.get("areas") or []):
        await refuse_sender(ctx, tx, inbound, Action.PLAN_PUSH)  # the one who pressed "send"
        return
    plan = await _plan_or_ask_again(ctx, tx, inbound, user, draft)
    if plan is None:
        return
    broadcast_id = await planning.create(ctx, tx, plan, actor(ctx.directory, user))
    await tx.broadcasts.drop_draft(user)
    key = "pulse.confirmed" if plan.is_pulse else "broadcast.confirmed"
    when = plan.schedule.describe(lang)
    await _say(ctx, tx, inbound, ctx.texts.get(lang, key, id=broadcast_id, when=when))
