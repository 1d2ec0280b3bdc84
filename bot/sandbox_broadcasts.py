"""The sandbox's coordinator panel: plan pushes through the same flows as Telegram and the
command line, and see them land on the pretend phones with their delivery figures."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from flows import broadcast
from flows.broadcast import Broadcast, BroadcastError, next_run
from flows.sms_text import sms_body

if TYPE_CHECKING:
    from bot.sandbox import SandboxApp


def tips_view() -> list[dict[str, Any]]:
    lib = broadcast.library()
    return [
        {
            "id": t.id,
            "topic": t.topic,
            "topic_title": lib.topic_name(t.topic, "da"),
            "title": t.title_in("da"),
            "text": t.text_in("da"),
        }
        for t in lib.tips
    ]


async def broadcasts_view(app: SandboxApp) -> list[dict[str, Any]]:
    """Oldest first (the page shows the newest on top)."""
    if app.db is None or app.ctx is None:
        return []
    ctx = app.ctx
    out = []
    async with app.db.read() as tx:
        for row in reversed(await tx.broadcasts.listing(limit=50)):
            b = Broadcast.from_row(row)
            nxt = await next_run(tx, b)
            out.append(
                {
                    "id": b.id,
                    "title": b.plan.title,
                    "text": broadcast.summary_text(b, "da"),
                    "audience": b.plan.audience.describe(ctx, "da"),
                    "schedule": b.plan.schedule.describe("da"),
                    "next_run": nxt.isoformat() if nxt else None,
                    "status": b.status,
                    "counts": await tx.broadcasts.counts(b.id),
                }
            )
    return out


def _error(status: int, message: str) -> web.HTTPException:
    cls = web.HTTPNotFound if status == 404 else web.HTTPBadRequest
    return cls(
        text=json.dumps({"error": message}, ensure_ascii=False), content_type="application/json"
    )


def _str(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


async def create(app: SandboxApp, request: web.Request) -> web.Response:
    """POST /sandbox/api/broadcasts (?dry_run=1 for the preview only)."""
    assert app.db is not None and app.ctx is not None
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise _error(400, "Forespørgslen er ikke gyldig JSON.") from None
    if not isinstance(body, dict):
        raise _error(400, "Forespørgslen skal være et JSON-objekt.")
    audience = body.get("audience") or {}
    if not isinstance(audience, dict) or not isinstance(audience.get("areas", []), list):
        raise _error(400, "audience skal være {areas: [...], channel: ...}.")
    try:
        plan = broadcast.make_plan(
            app.ctx,
            areas=[str(a) for a in audience.get("areas") or []],
            channel=str(audience.get("channel") or "all"),
            text=_str(body.get("text")),
            tip_topic=_str(body.get("tip_topic")),
            at=_str(body.get("at")),
            every=_str(body.get("every")),
            title=str(body.get("title") or ""),
        )
    except BroadcastError as exc:
        message = exc.explain("da", app.ctx.texts if app.ctx else None)
        raise _error(400, f"Udsendelsen kan ikke planlægges: {message}") from None
    dry_run = request.query.get("dry_run", "") in ("1", "true", "yes")
    async with app.db.transaction() as tx:
        view = await broadcast.preview(app.ctx, tx, plan, app.ctx.settings.quiet_hours)
        new_id = None if dry_run else await broadcast.create(app.ctx, tx, plan, "sandbox")
    if new_id is not None:
        await app.changed()
    shown = view.to_json()
    shown["sms_text"] = sms_body(view.text)  # as an SMS phone gets it (GSM-friendly)
    return web.json_response({"id": new_id, "preview": shown})


async def cancel(app: SandboxApp, request: web.Request) -> web.Response:
    """POST /sandbox/api/broadcasts/{id}/cancel"""
    assert app.db is not None and app.ctx is not None
    raw = request.match_info["id"]
    if not raw.isdigit():
        raise _error(404, "Den udsendelse findes ikke.")
    async with app.db.transaction() as tx:
        if await tx.broadcasts.get(int(raw)) is None:
            raise _error(404, "Den udsendelse findes ikke.")
        done = await broadcast.cancel(app.ctx, tx, int(raw), "sandbox")
    if not done:
        raise _error(
            400, "Udsendelsen kan ikke annulleres: den er allerede udført eller annulleret."
        )
    await app.changed()
    return web.json_response({"ok": True})
