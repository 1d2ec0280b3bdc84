"""The local sandbox: the whole product in a browser, with no tokens.

It is a channel adapter like Telegram and SMS: pretend phones and a pretend officers' group
talk to the *same* flows, classifier, storage and outbox as production. Only the ends differ:
what the bot sends lands in this module's transcript, which the page shows live.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC
from importlib import resources
from pathlib import Path
from typing import Any

from aiohttp import web

from bot import sandbox_broadcasts
from bot.app import build_context, gather_notices, record_group_messages
from bot.config import Config, Secrets, parse_config
from bot.engine import Engine
from bot.inbox import Inbox
from bot.outbox import Dispatcher, LaneSpec, Sent
from bot.scheduler import BroadcastScheduler
from bot.web import WebServer, make_app
from bot.web_guard import sandbox_guard
from flows.context import FlowContext, SystemClock
from flows.model import (
    Attachment,
    Channel,
    Inbound,
    Lane,
    MediaKind,
    OfficerMessage,
    Outbound,
    OutKind,
)
from flows.onboarding import InviteError, create_invitation
from flows.phone import PhoneError, normalise_phone
from flows.ports import Clock
from flows.sms_text import Encoding, shape, sms_body, strip_markup
from flows.texts import Texts
from storage.db import Database

log = logging.getLogger(__name__)

SANDBOX_GROUP = -100  # the pretend officers' group's chat id
DEMO_BOT = "tryghedsbot_demo"

DEMO_CONFIG = """
[bot]
district_name = "Demo-distrikt"
[telegram]
officers_chat_id = -100
coordinators = [9001]
[web]
host = "127.0.0.1"
port = 8080
[[areas]]
id = "herning"
name = "Herning"
[[areas]]
id = "ikast"
name = "Ikast"
[[officers]]
id = "mj"
name = "Mette Jensen"
telegram_user_id = 1001
areas = ["herning"]
[[officers]]
id = "lp"
name = "Lars Poulsen"
telegram_user_id = 1002
areas = ["ikast"]
"""

KIND_VIEW = {
    OutKind.ACUTE_ANSWER: "acute",
    OutKind.ALERT: "alert",
    OutKind.REFERRAL: "report",
    OutKind.RELAY: "relay",
    OutKind.REPLY: "reply",
    OutKind.NOTICE: "notice",
    OutKind.ANSWER: "normal",
    OutKind.PUSH: "push",
}


def demo_config() -> Config:
    return parse_config(DEMO_CONFIG, "(built-in demo configuration)")


@dataclass
class Msg:
    id: str
    sender_kind: str  # bot | me | officer | system
    text: str
    at: str
    html: str | None = None
    kind: str = "normal"
    sender: str | None = None
    buttons: list[list[dict[str, str]]] = field(default_factory=list)
    media: dict[str, str] | None = None
    reactions: list[str] = field(default_factory=list)
    status: str | None = None
    reply_to: str | None = None
    flags: list[str] = field(default_factory=list)

    def view(self) -> dict[str, Any]:
        data = asdict(self)
        data["from"] = data.pop("sender_kind")
        return data


@dataclass
class Phone:
    id: str
    channel: str  # telegram | sms
    label: str
    address: str  # sandbox phone id, or an E.164 number for SMS phones
    messages: list[Msg] = field(default_factory=list)


@dataclass
class Transcript:
    """What the page shows; saved in the sandbox database so a restart keeps it."""

    phones: dict[str, Phone] = field(default_factory=dict)
    threads: dict[int, list[Msg]] = field(default_factory=dict)
    general: list[Msg] = field(default_factory=list)
    invitations: list[dict[str, Any]] = field(default_factory=list)
    next_id: int = 1
    version: int = 0

    def new_id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    def dump(self) -> str:
        return json.dumps(
            {
                "phones": {
                    k: {**asdict(p), "messages": [asdict(m) for m in p.messages]}
                    for k, p in self.phones.items()
                },
                "threads": {str(k): [asdict(m) for m in v] for k, v in self.threads.items()},
                "general": [asdict(m) for m in self.general],
                "invitations": self.invitations,
                "next_id": self.next_id,
                "version": self.version,
            },
            ensure_ascii=False,
        )

    @classmethod
    def load(cls, raw: str) -> Transcript:
        data = json.loads(raw)
        phones = {
            k: Phone(**{**p, "messages": [Msg(**m) for m in p["messages"]]})
            for k, p in data["phones"].items()
        }
        return cls(
            phones=phones,
            threads={int(k): [Msg(**m) for m in v] for k, v in data["threads"].items()},
            general=[Msg(**m) for m in data["general"]],
            invitations=data["invitations"],
            next_id=data["next_id"],
            version=data["version"],
        )

    def find_group_message(self, gid: int) -> Msg | None:
        key = f"g{gid}"
        for msg in itertools.chain(self.general, *self.threads.values()):
            if msg.id == key:
                return msg
        return None


def _now_iso(clock: Clock) -> str:
    return clock.now().astimezone(UTC).isoformat(timespec="seconds")


class SandboxChannel:
    """Senders for the pretend phones and the pretend officers' group."""

    def __init__(self, app: SandboxApp) -> None:
        self.app = app

    async def send_to_phone(self, item: Outbound) -> Sent:
        t = self.app.transcript
        phone = next((p for p in t.phones.values() if p.address == item.address), None)
        if phone is None:
            from bot.outbox import PermanentError
            from flows.delivery import FailReason

            raise PermanentError(FailReason.UNREACHABLE, "no such sandbox phone")
        sms = phone.channel == "sms"
        text = item.text
        if item.kind == OutKind.REPLY and item.copy_from is None and not text and item.media:
            text = "(medie)"
        msg = Msg(
            id=f"m{t.new_id()}",
            sender_kind="bot",
            at=_now_iso(self.app.clock),
            text=sms_body(text) if sms else strip_markup(text),  # SMS: as sent
            html=None if sms else text,
            kind=KIND_VIEW.get(item.kind, "normal"),
            buttons=[]
            if sms
            else [[{"text": b.text, "data": b.data} for b in row] for row in item.buttons],
            media={"kind": item.media[0].kind.value, "caption": ""}
            if item.media and not sms
            else None,
            status="delivered",
        )
        if sms:
            s = shape(msg.text)
            msg.flags.append(f"sms:{s.segments}x{s.encoding.value}")
        phone.messages.append(msg)
        await self.app.changed()
        return Sent(platform_id=msg.id)

    async def send_to_group(self, item: Outbound) -> Sent:
        t = self.app.transcript
        if item.kind == OutKind.REACTION:
            target = t.find_group_message(item.officer_message_id or 0)
            if target is not None:
                target.reactions.append(item.text or "👍")
                target.status = "delivered"
                await self.app.changed()
            return Sent()
        gid = t.new_id()
        reply_to = f"g{item.reply_to_group_message_id}" if item.reply_to_group_message_id else None
        media = None
        if item.media:
            media = {"kind": item.media[0].kind.value, "caption": ""}
        msg = Msg(
            id=f"g{gid}",
            sender_kind="bot",
            at=_now_iso(self.app.clock),
            text=strip_markup(item.text),
            html=item.text,
            kind=KIND_VIEW.get(item.kind, "normal"),
            media=media,
            reply_to=reply_to,
            flags=list(item.flags),
        )
        if item.ambassador_id is not None:
            if item.ambassador_id not in t.threads:
                t.threads[item.ambassador_id] = []
                async with self.app.db_required.transaction() as tx:
                    await tx.threads.set_topic(
                        item.ambassador_id, SANDBOX_GROUP, item.ambassador_id, self.app.clock.now()
                    )
            t.threads[item.ambassador_id].append(msg)
        else:
            t.general.append(msg)
        await self.app.changed()
        return Sent(platform_id=msg.id, chat_id=SANDBOX_GROUP, message_ids=(gid,))


class _Sender:
    def __init__(self, fn: Any) -> None:
        self.fn = fn

    async def send(self, item: Outbound) -> Sent:
        result: Sent = await self.fn(item)
        return result


class SandboxApp:
    """Runs the sandbox: the same flows and outbox, with the page as both ends."""

    def __init__(
        self,
        config: Config,
        secrets: Secrets | None = None,
        *,
        demo: bool = True,
        clock: Clock | None = None,
    ) -> None:
        self.config = config
        self.clock: Clock = clock or SystemClock()
        self.demo = demo
        self.transcript = Transcript()
        self.db: Database | None = None
        self.ctx: FlowContext | None = None
        self.inbox: Inbox | None = None
        self.dispatcher: Dispatcher | None = None
        self.web: WebServer | None = None
        self.scheduler: BroadcastScheduler | None = None
        self.engine: Engine | None = None
        self._changed = asyncio.Condition()
        self._closing = False  # set by stop(): the live event streams end
        self._save_lock = asyncio.Lock()
        self.texts = Texts.from_package()

    @property
    def db_required(self) -> Database:
        assert self.db is not None
        return self.db

    @property
    def url(self) -> str:
        assert self.web is not None
        return f"http://{self.config.web.host}:{self.web.port}/sandbox/"

    async def start(self) -> None:
        await self._start_core()
        app = make_app(self.health)
        app.middlewares.append(sandbox_guard())  # this machine and the sandbox's own page only
        self.add_routes(app)
        self.web = WebServer(app, self.config.web.host, self.config.web.port)
        try:
            await self.web.start()
        except OSError as exc:
            from bot.app import StartupError

            raise StartupError(
                f"cannot listen on {self.config.web.host}:{self.config.web.port}"
                f" ({exc.strerror}); choose another with --port"
            ) from exc
        log.info("sandbox ready: open %s in a browser", self.url)
        print(f"Tryghedsbot sandbox: open {self.url}", flush=True)

    async def _start_core(self) -> None:
        path = self.config.sandbox.path
        self.db = db = await Database.open(path)
        self.ctx = ctx = build_context(
            self.config,
            self.clock,
            bot_username=DEMO_BOT,
            officers_channel=Channel.SANDBOX,
            sms_enabled=True,
        )
        async with db.read() as tx:
            saved = await tx.kv.get("sandbox.transcript")
        if saved:
            self.transcript = Transcript.load(saved)
        channel = SandboxChannel(self)
        phone_sender = _Sender(channel.send_to_phone)
        self.engine = Engine(
            db,
            ctx,
            [
                LaneSpec(Lane.AMBASSADOR, Channel.SANDBOX, phone_sender, workers=2),
                LaneSpec(Lane.AMBASSADOR, Channel.SMS, phone_sender, workers=1),
                LaneSpec(
                    Lane.OFFICERS,
                    Channel.SANDBOX,
                    _Sender(channel.send_to_group),
                    workers=1,
                    gather_kind=OutKind.NOTICE,
                    gather=gather_notices(self.texts, self.config.bot.language),
                    after_sent=record_group_messages,
                ),
            ],
        )
        self.inbox = self.engine.inbox
        self.dispatcher = self.engine.dispatcher
        self.scheduler = self.engine.scheduler
        await self.engine.start()
        if not saved:
            await self.seed()

    async def _stop_core(self) -> None:
        if self.engine is not None:
            await self.engine.stop(grace=2)
            self.engine = None
        if self.db is not None:
            await self.save()
            await self.db.close()
            self.db = None

    async def stop(self) -> None:
        # Open pages hold an event stream each; end them first, or the web server would wait
        # for them (minutes) before it stops.
        self._closing = True
        async with self._changed:
            self._changed.notify_all()
        await self._stop_core()
        if self.web is not None:
            await self.web.stop()

    async def reset(self) -> None:
        """Start the demo over: a new database and an empty transcript."""
        await self._stop_core()
        await asyncio.to_thread(_remove_database, Path(self.config.sandbox.path))
        self.transcript = Transcript(version=self.transcript.version + 1)
        await self._start_core()
        await self.changed()

    async def seed(self) -> None:
        """A fresh demo: one Telegram phone and one open invitation, ready to onboard."""
        self.add_phone("telegram")
        await self.invite(self.config.areas[0].id, self.config.officers[0].id, None)
        await self.changed()

    # -- actions from the page ---------------------------------------------------------

    def add_phone(self, channel: str) -> Phone:
        t = self.transcript
        n = len(t.phones) + 1
        pid = f"p{n}"
        while pid in t.phones:
            n += 1
            pid = f"p{n}"
        if channel == "sms":
            address = f"+452000{n:04d}"
            label = f"SMS-telefon {n}"
        else:
            address = pid
            label = f"Telefon {n}"
        phone = Phone(pid, channel, label, address)
        t.phones[pid] = phone
        return phone

    async def invite(self, area: str, officer: str, phone_number: str | None) -> dict[str, Any]:
        assert self.db is not None and self.ctx is not None
        async with self.db.transaction() as tx:
            new = await create_invitation(
                self.ctx,
                tx,
                area_id=area,
                officer_id=officer,
                created_by="sandbox",
                phone=phone_number,
            )
        record = {
            "code": new.code,
            "area": area,
            "officer": officer,
            "link": new.link or "",
            "expires_at": new.invitation.expires_at.isoformat(),
            "phone": phone_number,
            "used": False,
        }
        self.transcript.invitations.insert(0, record)
        return record

    async def phone_inbound(
        self,
        phone: Phone,
        *,
        text: str = "",
        callback: str | None = None,
        media: tuple[Attachment, ...] = (),
        unsupported: str | None = None,
        command: str | None = None,
        args: str = "",
    ) -> None:
        assert self.inbox is not None
        t = self.transcript
        if command is None and text.startswith("/") and phone.channel == "telegram":
            head, _, rest = text[1:].partition(" ")
            command, args = head.lower() or None, rest.strip()
        shown = text
        if command == "start" and args and not text:
            shown = "/start (invitationslink)"
        msg = Msg(
            id=f"m{t.new_id()}",
            sender_kind="me",
            text=shown,
            at=_now_iso(self.clock),
            media={"kind": media[0].kind.value if media else (unsupported or ""), "caption": ""}
            if media or unsupported
            else None,
        )
        if callback is None:
            phone.messages.append(msg)
        channel = Channel.SMS if phone.channel == "sms" else Channel.SANDBOX
        await self.inbox.receive(
            Inbound(
                channel=channel,
                address=phone.address,
                dedupe_key=f"sandbox:{msg.id}",
                received_at=self.clock.now(),
                text="" if command else text,
                display_name=phone.label if phone.channel == "sms" else _demo_name(phone),
                language="da",
                media=media,
                unsupported=unsupported,
                callback=callback,
                command=command,
                args=args if command else "",
            )
        )
        if command == "start" and args:
            for record in t.invitations:
                if record["code"] == args:
                    record["used"] = True
        await self.changed()

    async def officer_says(
        self, officer_id: str, ambassador_id: int | None, text: str, reply_to: str | None
    ) -> None:
        assert self.inbox is not None
        officer = next((o for o in self.config.officers if o.id == officer_id), None)
        if officer is None:
            raise web.HTTPBadRequest(
                text=json.dumps({"error": "Ukendt betjent."}), content_type="application/json"
            )
        t = self.transcript
        gid = t.new_id()
        command, args = None, ""
        if text.startswith("/"):
            head, _, rest = text[1:].partition(" ")
            command, args = head.lower(), rest.strip()
        marker = self.config.bot.internal_marker.lower()
        flags = ["internal"] if text.strip().lower().startswith(marker) else []
        msg = Msg(
            id=f"g{gid}",
            sender_kind="officer",
            sender=officer.name,
            text=text,
            at=_now_iso(self.clock),
            kind="note" if flags else "normal",
            reply_to=reply_to,
            flags=flags,
        )
        if ambassador_id is not None:
            t.threads.setdefault(ambassador_id, []).append(msg)
        else:
            t.general.append(msg)
        reply_id = int(reply_to[1:]) if reply_to and reply_to.startswith("g") else None
        await self.inbox.receive(
            OfficerMessage(
                dedupe_key=f"sandbox:g{gid}",
                chat_id=SANDBOX_GROUP,
                user_id=officer.telegram_user_id,
                user_name=officer.name,
                message_id=gid,
                received_at=self.clock.now(),
                text="" if command else text,
                thread_id=ambassador_id,
                reply_to_message_id=reply_id,
                command=command,
                args=args,
            )
        )
        await self.changed()

    # -- state for the page ------------------------------------------------------------

    async def changed(self) -> None:
        self.transcript.version += 1
        await self.save()
        async with self._changed:
            self._changed.notify_all()

    async def save(self) -> None:
        if self.db is None:
            return
        async with self._save_lock, self.db.transaction() as tx:
            await tx.kv.set("sandbox.transcript", self.transcript.dump())

    async def state(self) -> dict[str, Any]:
        assert self.db is not None and self.ctx is not None
        t = self.transcript
        async with self.db.read() as tx:
            ambassadors = await tx.ambassadors.find()
        broadcasts = await self.broadcasts_view()
        # No awaits below: the snapshot and its version must match, or the page (which skips
        # a version it has seen) would keep a stale view.
        by_address = {(a.channel.value, a.address): a for a in ambassadors}
        by_id = {a.id: a for a in ambassadors}
        phones = []
        for phone in t.phones.values():
            channel = "sms" if phone.channel == "sms" else "sandbox"
            amb = by_address.get((channel, phone.address))
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
            title = (
                f"{amb.name} · {self.ctx.directory.area_name(amb.area_id)}" if amb else str(amb_id)
            )
            threads.append(
                {
                    "ambassador_id": amb_id,
                    "title": title,
                    "unread": 0,
                    "messages": [m.view() for m in messages],
                }
            )
        hours = self.ctx.office_hours
        now = self.clock.now()
        return {
            "district": {"name": self.config.bot.district_name},
            "areas": [{"id": a.id, "name": a.name} for a in self.config.areas],
            "officers": [{"id": o.id, "name": o.name} for o in self.config.officers],
            "coordinator": {"name": "Koordinator"},
            "office_hours": {
                "open_now": bool(hours and hours.is_open(now)),
                "text": _hours_text(self.config),
            },
            "phones": phones,
            "group": {
                "title": "Betjente (demo)",
                "mode": "topics",
                "threads": threads,
                "general": [m.view() for m in t.general],
            },
            "invitations": t.invitations[:10],
            "broadcasts": broadcasts,
            "tips": self.tips_view(),
            "version": t.version,
        }

    async def broadcasts_view(self) -> list[dict[str, Any]]:
        return await sandbox_broadcasts.broadcasts_view(self)

    def tips_view(self) -> list[dict[str, Any]]:
        return sandbox_broadcasts.tips_view()

    async def health(self) -> dict[str, object]:
        return {"ok": self.db is not None, "mode": "sandbox"}

    # -- HTTP --------------------------------------------------------------------------

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
        app.router.add_post("/sandbox/api/broadcasts", self._h_broadcast)
        app.router.add_post("/sandbox/api/broadcasts/{id}/cancel", self._h_broadcast_cancel)
        app.router.add_post("/sandbox/api/sms/shape", _h_sms_shape)

    async def _h_state(self, _: web.Request) -> web.Response:
        return web.json_response(await self.state(), dumps=_dumps)

    async def _h_events(self, request: web.Request) -> web.StreamResponse:
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
            return self.transcript.version != seen

        def woken() -> bool:  # (during a reset there is no database to read the state from)
            return (moved() and self.db is not None) or self._closing

        try:
            while not self._closing:
                if moved() and self.db is not None:
                    seen = self.transcript.version
                    payload = _dumps(await self.state())
                    await response.write(f"event: state\ndata: {payload}\n\n".encode())
                async with self._changed:
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(15):
                            await self._changed.wait_for(woken)
                if not moved():
                    await response.write(b": keep-alive\n\n")
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        return response

    async def _phone(self, request: web.Request) -> Phone:
        phone = self.transcript.phones.get(request.match_info["id"])
        if phone is None:
            raise _error(404, "Den telefon findes ikke (længere). Genindlæs siden.")
        return phone

    async def _h_add_phone(self, request: web.Request) -> web.Response:
        body = await _json(request)
        channel = body.get("channel", "telegram")
        if channel not in ("telegram", "sms"):
            raise _error(400, "Kanal skal være telegram eller sms.")
        phone = self.add_phone(channel)
        await self.changed()
        return web.json_response({"id": phone.id})

    async def _h_send(self, request: web.Request) -> web.Response:
        phone = await self._phone(request)
        text = str((await _json(request)).get("text", ""))
        if not text.strip():
            raise _error(400, "Skriv en besked først.")
        if len(text) > 10000:
            raise _error(400, "Beskeden er for lang (højst 10.000 tegn).")
        await self.phone_inbound(phone, text=text)
        return web.json_response({"ok": True}, status=202)

    async def _h_open_link(self, request: web.Request) -> web.Response:
        phone = await self._phone(request)
        code = str((await _json(request)).get("code", "")).strip()
        if not code:
            raise _error(400, "Der er ingen invitationskode.")
        if phone.channel != "telegram":
            raise _error(
                400,
                "Invitationslinks er til Telegram. SMS-ambassadører inviteres med"
                " deres telefonnummer.",
            )
        await self.phone_inbound(phone, command="start", args=code)
        return web.json_response({"ok": True}, status=202)

    async def _h_button(self, request: web.Request) -> web.Response:
        phone = await self._phone(request)
        data = str((await _json(request)).get("data", ""))
        if not data:
            raise _error(400, "Knappen mangler data.")
        await self.phone_inbound(phone, callback=data)
        return web.json_response({"ok": True}, status=202)

    async def _h_media(self, request: web.Request) -> web.Response:
        phone = await self._phone(request)
        body = await _json(request)
        kind = str(body.get("kind", ""))
        caption = str(body.get("caption", ""))
        if kind == "sticker":
            await self.phone_inbound(phone, unsupported="sticker")
        elif kind == "photo":
            await self.phone_inbound(
                phone,
                text=caption,
                media=(Attachment(MediaKind.PHOTO, "sandbox:photo", "image/png"),),
            )
        elif kind == "location":
            await self.phone_inbound(
                phone,
                text=caption,
                media=(
                    Attachment(
                        MediaKind.LOCATION, "sandbox:location", latitude=56.1386, longitude=8.9733
                    ),
                ),
            )
        else:
            raise _error(400, "Ukendt medietype.")
        return web.json_response({"ok": True}, status=202)

    async def _h_group_send(self, request: web.Request) -> web.Response:
        body = await _json(request)
        text = str(body.get("text", ""))
        if not text.strip():
            raise _error(400, "Skriv et svar først.")
        amb = body.get("ambassador_id")
        reply_to = body.get("reply_to")
        await self.officer_says(
            str(body.get("officer_id", "")),
            int(amb) if amb is not None else None,
            text,
            str(reply_to) if reply_to else None,
        )
        return web.json_response({"ok": True}, status=202)

    async def _h_invite(self, request: web.Request) -> web.Response:
        body = await _json(request)
        channel = body.get("channel", "telegram")
        phone_number = None
        if channel == "sms":
            raw = str(body.get("phone") or "")
            try:
                phone_number = normalise_phone(raw)
            except PhoneError:
                raise _error(400, "Skriv et gyldigt telefonnummer, fx 20 12 34 56.") from None
            if not any(p.address == phone_number for p in self.transcript.phones.values()):
                phone = self.add_phone("sms")
                phone.address = phone_number
                phone.label = f"SMS {phone_number}"
        try:
            record = await self.invite(
                str(body.get("area", "")), str(body.get("officer", "")), phone_number
            )
        except InviteError as exc:
            raise _error(400, f"Invitationen kunne ikke oprettes: {exc}") from None
        await self.changed()
        return web.json_response({"code": record["code"], "link": record["link"]})

    async def _h_broadcast(self, request: web.Request) -> web.Response:
        return await sandbox_broadcasts.create(self, request)

    async def _h_broadcast_cancel(self, request: web.Request) -> web.Response:
        return await sandbox_broadcasts.cancel(self, request)

    async def _h_reset(self, _: web.Request) -> web.Response:
        await self.reset()
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


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            Path(str(path) + suffix).unlink()


def _demo_name(phone: Phone) -> str:
    names = [
        "Anna Holm",
        "Bo Nielsen",
        "Camilla Sørensen",
        "Dennis Madsen",
        "Eva Kristensen",
        "Frederik Olsen",
        "Gitte Thomsen",
        "Hans Poulsen",
    ]
    index = (int(phone.id[1:]) - 1) % len(names) if phone.id[1:].isdigit() else 0
    return names[index]


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
    runs: list[tuple[str, str, str]] = []  # (first day, last day, hours): "man-tor 08:00-15:30"
    for day, hours in days:
        if runs and runs[-1][2] == hours and runs[-1][1] == _previous_day(day):
            runs[-1] = (runs[-1][0], day, hours)
        else:
            runs.append((day, day, hours))
    open_runs = [r for r in runs if r[2] and r[2].lower() not in ("closed", "lukket")]
    return ", ".join(f"{a}-{b} {h}" if a != b else f"{a} {h}" for a, b, h in open_runs)


def _previous_day(day: str) -> str:
    order = ["man", "tir", "ons", "tor", "fre", "lør", "søn"]
    return order[order.index(day) - 1]


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


__all__ = ["SANDBOX_GROUP", "SandboxApp", "demo_config"]
