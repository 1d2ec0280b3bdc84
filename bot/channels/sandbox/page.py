"""The sandbox's page: its HTTP API, the live event stream and the state it shows.

Every action goes through the pretend devices (and so through the same readers and flows
as production); the coordinator panel plans pushes with the same planning flows as the
Telegram wizard and the command line.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import Awaitable, Callable
from importlib import resources
from typing import Any

from aiohttp import web

from bot.channels.sandbox.devices import Devices
from bot.channels.sandbox.transcript import Phone
from bot.config import Config
from flows import pulse, register
from flows.broadcasts import planning
from flows.broadcasts.model import BroadcastError
from flows.broadcasts.tips import TipLibrary
from flows.onboarding import InviteError
from flows.phone import PhoneError, normalise_phone
from flows.sms_text import Encoding, shape, sms_body

MAX_TEXT = 10_000
COORDINATOR = "Koordinator"  # the sandbox's coordinator: signs the pushes planned here
Reset = Callable[[], Awaitable[None]]


def _error(status: int, message: str) -> web.HTTPException:
    cls = {400: web.HTTPBadRequest, 404: web.HTTPNotFound}.get(status, web.HTTPBadRequest)
    return cls(
        text=json.dumps({"error": message}, ensure_ascii=False), content_type="application/json"
    )


async def _json(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise _error(400, "Forespørgslen er ikke gyldig JSON.") from None
    if not isinstance(body, dict):
        raise _error(400, "Forespørgslen skal være et JSON-objekt.")
    return body


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _str(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


class Page:
    def __init__(self, config: Config, devices: Devices, reset: Reset) -> None:
        self.config = config
        self.devices = devices
        self._reset = reset

    @property
    def d(self) -> Devices:
        return self.devices

    # -- state ---------------------------------------------------------------------------

    async def state(self) -> dict[str, Any]:
        d = self.d
        ctx = d.ctx
        t = d.transcript
        async with d.db.read() as tx:
            ambassadors = await tx.ambassadors.find()
            listed = await register.listing(tx, ctx.clock.now())
            cases = await tx.messages.open_cases()
        pushes = await self.pushes_view()
        open_cases: dict[int, list[tuple[int, str]]] = {}
        for case in cases:
            open_cases.setdefault(case.ambassador_id, []).append((case.message_id, case.route))
        # No awaits below: the snapshot and its version must match, or the page (which skips
        # a version it has seen) would keep a stale view.
        by_address = {(a.channel.value, a.address): a for a in ambassadors}
        by_id = {a.id: a for a in ambassadors}
        phones = []
        for phone in t.phones.values():
            amb = by_address.get((phone.channel, phone.address))
            phones.append(
                {
                    "id": phone.id,
                    "channel": phone.channel,
                    "label": phone.label,
                    "address": phone.address if phone.channel == "sms" else None,
                    "ambassador": None
                    if amb is None
                    else {
                        "id": amb.id,
                        "name": amb.name,
                        "state": amb.state.value,
                        "area": amb.area_id,
                        "officer": amb.officer_id,
                        "language": amb.language,
                    },
                    "messages": [m.view() for m in phone.messages],
                }
            )
        threads = []
        for amb_id, messages in t.threads.items():
            amb = by_id.get(amb_id)
            title = f"{amb.name} · {ctx.directory.area_name(amb.area_id)}" if amb else str(amb_id)
            threads.append(
                {
                    "ambassador_id": amb_id,
                    "title": title,
                    "unread": 0,
                    "open_cases": [m for m, _ in open_cases.get(amb_id, [])],
                    "open_alert": any(r == "acute" for _, r in open_cases.get(amb_id, [])),
                    "messages": [m.view() for m in messages],
                }
            )
        hours = ctx.office_hours
        now = ctx.clock.now()
        return {
            "district": {"name": self.config.bot.district_name},
            "areas": [{"id": a.id, "name": a.name} for a in self.config.areas],
            "officers": [{"id": o.id, "name": o.name} for o in self.config.officers],
            "coordinator": {"name": COORDINATOR},
            "office_hours": {
                "open_now": bool(hours and hours.is_open(now)),
                "text": _hours_text(self.config),
            },
            "phones": phones,
            "group": {
                "title": d.group_title,
                "mode": "topics",
                "threads": threads,
                "general": [m.view() for m in t.general],
            },
            "invitations": t.invitations[:10],
            "register": {
                "ambassadors": [register.entry_json(ctx, e) for e in listed.entries],
                "invitations": [register.invitation_json(ctx, i) for i in listed.invitations],
            },
            "broadcasts": pushes,
            "tips": _tips_view(ctx.tips),
            "version": t.version,
        }

    async def pushes_view(self) -> list[dict[str, Any]]:
        """Oldest first (the page shows the newest on top)."""
        ctx = self.d.ctx
        out = []
        async with self.d.db.read() as tx:
            for b in reversed(await tx.broadcasts.listing(limit=50)):
                nxt = await planning.next_run(tx, b)
                results = None
                if b.plan.is_pulse:
                    answers = await tx.pulses.answers(b.id)
                    results = pulse.results(ctx, b, answers)
                out.append(
                    {
                        "id": b.id,
                        "kind": b.plan.kind,
                        "results": results,
                        "title": b.plan.title,
                        "text": planning.summary_text(ctx, b, "da"),
                        "audience": planning.describe_audience(ctx, b.plan.audience, "da"),
                        "schedule": b.plan.schedule.describe("da"),
                        "next_run": nxt.isoformat() if nxt else None,
                        "status": b.status,
                        "counts": await tx.broadcasts.counts(b.id),
                    }
                )
        return out

    # -- routes --------------------------------------------------------------------------

    def add_routes(self, app: web.Application) -> None:
        static = resources.files("bot").joinpath("sandbox_static")
        index = static.joinpath("index.html")

        async def page(_: web.Request) -> web.StreamResponse:
            return web.Response(
                text=index.read_text("utf-8"), content_type="text/html", charset="utf-8"
            )

        asset_name = re.compile(r"[a-z][a-z0-9_-]*\.(js|css)")  # no paths, no other files
        asset_types = {"js": "text/javascript", "css": "text/css"}

        async def asset(request: web.Request) -> web.StreamResponse:
            name = request.match_info["name"]
            found = asset_name.fullmatch(name)
            if found is None or not static.joinpath(name).is_file():
                raise web.HTTPNotFound()
            return web.Response(
                text=static.joinpath(name).read_text("utf-8"),
                content_type=asset_types[found[1]],
                charset="utf-8",
                headers={"Cache-Control": "no-cache"},
            )

        async def redirect(_: web.Request) -> web.StreamResponse:
            raise web.HTTPFound("/sandbox/")

        app.router.add_get("/", redirect)
        app.router.add_get("/sandbox", redirect)
        app.router.add_get("/sandbox/", page)
        app.router.add_get("/sandbox/static/{name}", asset)
        app.router.add_get("/sandbox/api/state", self._h_state)
        app.router.add_get("/sandbox/events", self._h_events)
        app.router.add_post("/sandbox/api/phones", self._h_add_phone)
        app.router.add_post("/sandbox/api/phones/{id}/send", self._h_send)
        app.router.add_post("/sandbox/api/phones/{id}/open_link", self._h_open_link)
        app.router.add_post("/sandbox/api/phones/{id}/button", self._h_button)
        app.router.add_post("/sandbox/api/phones/{id}/media", self._h_media)
        app.router.add_post("/sandbox/api/group/send", self._h_group_send)
        app.router.add_post("/sandbox/api/invite", self._h_invite)
        app.router.add_post("/sandbox/api/reset", self._h_reset)
        app.router.add_post("/sandbox/api/broadcasts", self._h_push)
        app.router.add_post("/sandbox/api/broadcasts/{id}/cancel", self._h_push_cancel)
        app.router.add_post("/sandbox/api/sms/shape", _h_sms_shape)
        app.router.add_post("/sandbox/api/group/button", self._h_group_button)
        app.router.add_post("/sandbox/api/ambassadors/{id}/{verb}", self._h_register)
        app.router.add_post("/sandbox/api/invitations/{id}/revoke", self._h_revoke)
        app.router.add_get("/sandbox/api/figures", self._h_figures)
        app.router.add_get("/sandbox/api/figures/chart.png", self._h_chart)

    async def _h_state(self, _: web.Request) -> web.Response:
        return web.json_response(await self.state(), dumps=_dumps)

    async def _h_events(self, request: web.Request) -> web.StreamResponse:
        d = self.d
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream; charset=utf-8",
                "Cache-Control": "no-cache",
                "X-Accel-Buffering": "no",
            }
        )
        await response.prepare(request)
        seen = -1

        def moved() -> bool:
            return d.transcript.version != seen

        def woken() -> bool:
            return moved() or d.closing

        try:
            while not d.closing:
                if moved():
                    seen = d.transcript.version
                    payload = _dumps(await self.state())
                    await response.write(f"event: state\ndata: {payload}\n\n".encode())
                async with d.changed:
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(15):
                            await d.changed.wait_for(woken)
                if not moved():
                    await response.write(b": keep-alive\n\n")
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        return response

    def _phone(self, request: web.Request) -> Phone:
        phone = self.d.transcript.phones.get(request.match_info["id"])
        if phone is None:
            raise _error(404, "Den telefon findes ikke (længere). Genindlæs siden.")
        return phone

    async def _h_add_phone(self, request: web.Request) -> web.Response:
        body = await _json(request)
        channel = body.get("channel", "telegram")
        if channel not in ("telegram", "sms"):
            raise _error(400, "Kanal skal være telegram eller sms.")
        phone = self.d.add_phone(channel)
        await self.d.notify()
        return web.json_response({"id": phone.id})

    async def _h_send(self, request: web.Request) -> web.Response:
        phone = self._phone(request)
        text = str((await _json(request)).get("text", ""))
        if not text.strip():
            raise _error(400, "Skriv en besked først.")
        if len(text) > MAX_TEXT:
            raise _error(400, "Beskeden er for lang (højst 10.000 tegn).")
        await self.d.phone_sends(phone, text)
        return web.json_response({"ok": True}, status=202)

    async def _h_open_link(self, request: web.Request) -> web.Response:
        phone = self._phone(request)
        code = str((await _json(request)).get("code", "")).strip()
        if not code:
            raise _error(400, "Der er ingen invitationskode.")
        if phone.channel != "telegram":
            raise _error(
                400,
                "Invitationslinks er til Telegram. SMS-ambassadører inviteres med"
                " deres telefonnummer.",
            )
        await self.d.open_link(phone, code)
        return web.json_response({"ok": True}, status=202)

    async def _h_button(self, request: web.Request) -> web.Response:
        phone = self._phone(request)
        data = str((await _json(request)).get("data", ""))
        if not data:
            raise _error(400, "Knappen mangler data.")
        if phone.channel != "telegram":
            raise _error(400, "SMS har ingen knapper.")
        await self.d.press_button(phone, data)
        return web.json_response({"ok": True}, status=202)

    async def _h_media(self, request: web.Request) -> web.Response:
        phone = self._phone(request)
        body = await _json(request)
        kind = str(body.get("kind", ""))
        caption = str(body.get("caption", ""))
        if kind not in ("photo", "location", "sticker"):
            raise _error(400, "Ukendt medietype.")
        if phone.channel != "telegram":
            raise _error(400, "Medier kan kun sendes fra Telegram-telefoner her.")
        await self.d.phone_sends(phone, "" if kind == "sticker" else caption, media=kind)
        return web.json_response({"ok": True}, status=202)

    async def _h_group_send(self, request: web.Request) -> web.Response:
        body = await _json(request)
        text = str(body.get("text", ""))
        if not text.strip():
            raise _error(400, "Skriv et svar først.")
        officer_id = str(body.get("officer_id", ""))
        officer = next((o for o in self.config.officers if o.id == officer_id), None)
        if officer is None:
            raise _error(400, "Ukendt betjent.")
        amb = body.get("ambassador_id")
        raw_reply = str(body.get("reply_to") or "")
        reply_to = int(raw_reply[1:]) if raw_reply[1:].isdigit() else None
        marker = self.config.bot.internal_marker.lower()
        await self.d.officer_says(
            officer.telegram_user_id,
            officer.name,
            text,
            thread_id=int(amb) if isinstance(amb, int | str) and str(amb).isdigit() else None,
            reply_to=reply_to,
            internal=text.strip().lower().startswith(marker),
        )
        return web.json_response({"ok": True}, status=202)

    def _officer(self, body: dict[str, Any]) -> Any:
        officer_id = str(body.get("officer_id", ""))
        officer = next((o for o in self.config.officers if o.id == officer_id), None)
        if officer is None:
            raise _error(400, "Ukendt betjent.")
        return officer

    async def _h_group_button(self, request: web.Request) -> web.Response:
        """A button under a message in the group (✅ Klaret), pressed by the chosen officer."""
        body = await _json(request)
        officer = self._officer(body)
        raw = str(body.get("message_id") or "")
        data = str(body.get("data") or "")
        if not raw[1:].isdigit() or not data:
            raise _error(400, "Knappen mangler data.")
        await self.d.officer_presses(officer.telegram_user_id, officer.name, data, int(raw[1:]))
        return web.json_response({"ok": True}, status=202)

    async def _h_register(self, request: web.Request) -> web.Response:
        """POST /sandbox/api/ambassadors/{id}/{move|pause|resume|end|rename}, as a coordinator
        would from Telegram or the command line."""
        ctx = self.d.ctx
        raw, verb = request.match_info["id"], request.match_info["verb"]
        if not raw.isdigit() or verb not in ("move", "pause", "resume", "end", "rename"):
            raise _error(404, "Den handling findes ikke.")
        body = await _json(request)
        try:
            async with self.d.db.transaction() as tx:
                amb = await register.ambassador(tx, int(raw))
                if verb == "move":
                    await register.move(
                        ctx, tx, amb, area=_str(body.get("area")),
                        officer=_str(body.get("officer")), by="sandbox",
                    )  # fmt: skip
                elif verb == "rename":
                    await register.rename(ctx, tx, amb, str(body.get("name") or ""), by="sandbox")
                else:
                    await getattr(register, verb)(ctx, tx, amb, by="sandbox")
        except register.RegisterError as exc:
            raise _error(
                400, f"Det kunne ikke lade sig gøre: {exc.explain('da', ctx.texts)}."
            ) from None
        await self.d.notify()
        return web.json_response({"ok": True})

    async def _h_revoke(self, request: web.Request) -> web.Response:
        ctx = self.d.ctx
        raw = request.match_info["id"]
        if not raw.isdigit():
            raise _error(404, "Den invitation findes ikke.")
        try:
            async with self.d.db.transaction() as tx:
                await register.revoke(ctx, tx, int(raw), by="sandbox")
        except register.RegisterError as exc:
            raise _error(
                400, f"Det kunne ikke lade sig gøre: {exc.explain('da', ctx.texts)}."
            ) from None
        await self.d.notify()
        return web.json_response({"ok": True})

    async def _figures(self, request: web.Request) -> Any:
        from flows.figures import default_period
        from flows.reporting import collect

        ctx = self.d.ctx
        try:
            weeks = int(request.query.get("weeks", "4"))
            period = default_period(ctx.clock.now(), weeks=max(1, min(weeks, 26)))
        except ValueError:
            raise _error(400, "weeks skal være et tal.") from None
        async with self.d.db.read() as tx:
            return await collect(ctx, tx, period)

    async def _h_figures(self, request: web.Request) -> web.Response:
        """The same figures as `tryghedsbot figures --json` and /tal."""
        return web.json_response((await self._figures(request)).to_json(), dumps=_dumps)

    async def _h_chart(self, request: web.Request) -> web.Response:
        from bot.charts import draw

        figures = await self._figures(request)
        title = f"{self.config.programme_name} · {figures.period.first} – {figures.period.last}"
        png = await asyncio.to_thread(draw, figures, self.d.ctx, title)
        return web.Response(
            body=png, content_type="image/png", headers={"Cache-Control": "no-store"}
        )

    async def _h_invite(self, request: web.Request) -> web.Response:
        body = await _json(request)
        channel = body.get("channel", "telegram")
        phone_number = None
        if channel == "sms":
            try:
                phone_number = normalise_phone(str(body.get("phone") or ""))
            except PhoneError:
                raise _error(400, "Skriv et gyldigt telefonnummer, fx 20 12 34 56.") from None
            self.d.sms_phone(phone_number)
        try:
            record = await self.d.invite(
                str(body.get("area", "")),
                str(body.get("officer", "")),
                phone_number,
                _str(body.get("name")),
            )
        except InviteError as exc:
            raise _error(400, f"Invitationen kunne ikke oprettes: {exc}") from None
        await self.d.notify()
        return web.json_response({"code": record["code"], "link": record["link"]})

    async def _h_reset(self, _: web.Request) -> web.Response:
        await self._reset()
        return web.json_response({"ok": True})

    async def _h_push(self, request: web.Request) -> web.Response:
        """POST /sandbox/api/broadcasts (?dry_run=1 for the preview only)."""
        ctx = self.d.ctx
        body = await _json(request)
        audience = body.get("audience") or {}
        if not isinstance(audience, dict) or not isinstance(audience.get("areas", []), list):
            raise _error(400, "audience skal være {areas: [...], channel: ...}.")
        try:
            plan = planning.make_plan(
                ctx,
                areas=[str(a) for a in audience.get("areas") or []],
                channel=str(audience.get("channel") or "all"),
                text=_str(body.get("text")),
                tip_topic=_str(body.get("tip_topic")),
                at=_str(body.get("at")),
                every=_str(body.get("every")),
                title=str(body.get("title") or ""),
                kind=str(body.get("kind") or "push"),
                author=COORDINATOR,
            )
        except BroadcastError as exc:
            message = exc.explain("da", ctx.texts)
            raise _error(400, f"Udsendelsen kan ikke planlægges: {message}") from None
        dry_run = request.query.get("dry_run", "") in ("1", "true", "yes")
        async with self.d.db.transaction() as tx:
            view = await planning.preview(ctx, tx, plan, ctx.settings.quiet_hours)
            new_id = None if dry_run else await planning.create(ctx, tx, plan, "sandbox")
        if new_id is not None:
            await self.d.notify()
        shown = view.to_json()
        shown["sms_text"] = sms_body(view.text)  # as an SMS phone gets it (GSM-friendly)
        return web.json_response({"id": new_id, "preview": shown})

    async def _h_push_cancel(self, request: web.Request) -> web.Response:
        raw = request.match_info["id"]
        if not raw.isdigit():
            raise _error(404, "Den udsendelse findes ikke.")
        async with self.d.db.transaction() as tx:
            if await tx.broadcasts.get(int(raw)) is None:
                raise _error(404, "Den udsendelse findes ikke.")
            done = await planning.cancel(self.d.ctx, tx, int(raw), "sandbox")
        if not done:
            raise _error(
                400, "Udsendelsen kan ikke annulleres: den er allerede udført eller annulleret."
            )
        await self.d.notify()
        return web.json_response({"ok": True})


SHAPE_MAX_CHARS = 10_000


async def _h_sms_shape(request: web.Request) -> web.Response:
    """POST /sandbox/api/sms/shape {"text": ...}: the coordinator's live SMS counter.

    Counted as the text goes out by SMS (`sms_body`, then `shape`): the rule the SMS sender and
    the push preview use. `chars` is the text as typed; an empty text is no SMS (0 parts).
    """

    def refuse(message: str) -> web.Response:
        return web.json_response(
            {"error": message}, status=400, dumps=lambda v: json.dumps(v, ensure_ascii=False)
        )

    try:
        body = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return refuse("Forespørgslen er ikke gyldig JSON.")
    text = body.get("text", "") if isinstance(body, dict) else None
    if not isinstance(text, str):
        return refuse('Forespørgslen skal være et JSON-objekt med en tekst: {"text": "..."}.')
    if len(text) > SHAPE_MAX_CHARS:
        return refuse("Teksten er for lang til at tælle (højst 10.000 tegn).")
    sms = shape(sms_body(text))
    return web.json_response(
        {
            "chars": len(text),
            "segments": sms.segments if text else 0,
            "encoding": "gsm7" if sms.encoding is Encoding.GSM7 else "ucs2",
        }
    )


def _tips_view(lib: TipLibrary) -> list[dict[str, Any]]:
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


def _hours_text(config: Config) -> str:
    oh = config.office_hours
    days = [
        ("man", oh.mon),
        ("tir", oh.tue),
        ("ons", oh.wed),
        ("tor", oh.thu),
        ("fre", oh.fri),
        ("lør", oh.sat),
        ("søn", oh.sun),
    ]
    order = [day for day, _ in days]
    runs: list[tuple[str, str, str]] = []  # (first day, last day, hours): "man-tor 08:00-15:30"
    for day, hours in days:
        if runs and runs[-1][2] == hours and runs[-1][1] == order[order.index(day) - 1]:
            runs[-1] = (runs[-1][0], day, hours)
        else:
            runs.append((day, day, hours))
    open_runs = [r for r in runs if r[2] and r[2].lower() not in ("closed", "lukket")]
    return ", ".join(f"{a}-{b} {h}" if a != b else f"{a} {h}" for a, b, h in open_runs)
