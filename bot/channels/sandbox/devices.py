"""The sandbox's pretend phones and pretend officers' group.

What a pretend Telegram phone or officer types becomes a Telegram update and goes through
the same reader as Telegram's; what a pretend SMS phone sends becomes Twilio's form fields
and goes through the same reader as Twilio's. What the bot sends lands on the pretend
screens, rendered as each platform would show it. So the sandbox shows what Telegram and
SMS would do, because it runs the same code from the edge inwards.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import logging
import secrets as random_tokens
from datetime import UTC
from typing import Any

from telegram import Update

from bot.channels import Receive
from bot.channels.sandbox.transcript import Msg, Phone, Transcript
from bot.channels.sms import SmsPart, SmsSent, apply_status, read_sms
from bot.channels.telegram.format import render
from bot.channels.telegram.reader import UpdateReader
from bot.outbox import PermanentError, Sent
from bot.privacy import export_document
from flows.context import FlowContext
from flows.delivery import FailReason
from flows.model import Erasure, Outbound, OutKind
from flows.onboarding import create_invitation
from flows.outgoing import closed_topic
from flows.ports import Clock
from flows.sms_text import shape, sms_body, strip_markup
from storage.db import Database

log = logging.getLogger(__name__)

FIRST_CHAT_ID = 7_100_000  # pretend Telegram users' ids (private chat id = user id)
DEMO_NAMES = (
    "Anna Holm",
    "Bo Nielsen",
    "Camilla Sørensen",
    "Dennis Madsen",
    "Eva Kristensen",
    "Frederik Olsen",
    "Gitte Thomsen",
    "Hans Poulsen",
)
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


class Devices:
    """The pretend phones and group, their transcript, and the senders that fill it."""

    def __init__(self, db: Database, ctx: FlowContext, group_id: int, group_title: str) -> None:
        self.db = db
        self.ctx = ctx
        self.clock: Clock = ctx.clock
        self.group_id = group_id
        self.group_title = group_title
        self.transcript = Transcript()
        self.receive: Receive | None = None
        self.reader: UpdateReader | None = None
        self.changed = asyncio.Condition()
        self.closing = False
        self._save_lock = asyncio.Lock()
        self._reports: set[asyncio.Task[None]] = set()  # delivery reports on their way

    # -- lifecycle ---------------------------------------------------------------------

    async def load(self) -> bool:
        """Restore the page as it was; False when there was nothing to restore."""
        async with self.db.read() as tx:
            saved = await tx.kv.get("sandbox.transcript")
        if saved:
            self.transcript = Transcript.load(saved)
        return bool(saved)

    async def save(self) -> None:
        async with self._save_lock, self.db.transaction() as tx:
            await tx.kv.set("sandbox.transcript", self.transcript.dump())

    async def notify(self) -> None:
        """Something on the page changed: save it and wake the live event streams."""
        self.transcript.version += 1
        await self.save()
        async with self.changed:
            self.changed.notify_all()

    # -- phones ------------------------------------------------------------------------

    def add_phone(self, channel: str) -> Phone:
        t = self.transcript
        n = len(t.phones) + 1
        while f"p{n}" in t.phones:
            n += 1
        pid = f"p{n}"
        if channel == "sms":
            # Numbers the phone library accepts as Danish mobiles, so they can be invited.
            phone = Phone(pid, "sms", f"SMS-telefon {n}", f"+452600{n:04d}")
        else:
            phone = Phone(pid, "telegram", f"Telefon {n}", str(FIRST_CHAT_ID + n))
        t.phones[pid] = phone
        return phone

    def sms_phone(self, number: str) -> Phone:
        """The SMS phone with this number, made when someone invites a number by hand."""
        found = self.transcript.phone_by_address(number)
        if found is not None:
            return found
        phone = self.add_phone("sms")
        phone.address = number
        phone.label = f"SMS {number}"
        return phone

    def _name(self, phone: Phone) -> tuple[str, str]:
        index = (int(phone.id[1:]) - 1) % len(DEMO_NAMES) if phone.id[1:].isdigit() else 0
        first, _, last = DEMO_NAMES[index].partition(" ")
        return first, last

    def _now(self) -> str:
        return self.clock.now().astimezone(UTC).isoformat(timespec="seconds")

    def _user(self, phone: Phone) -> dict[str, Any]:
        first, last = self._name(phone)
        return {
            "id": int(phone.address),
            "is_bot": False,
            "first_name": first,
            "last_name": last,
            "language_code": "da",
        }

    def _message(self, phone: Phone, mid: int, **content: Any) -> dict[str, Any]:
        user = self._user(phone)
        chat = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        date = int(self.clock.now().timestamp())
        return {"message_id": mid, "date": date, "chat": chat, "from": user, **content}

    async def _deliver_update(self, payload: dict[str, Any]) -> None:
        assert self.reader is not None and self.receive is not None, "start() first"
        update = Update.de_json({"update_id": self.transcript.new_id(), **payload}, None)
        arrival = self.reader.read(update)
        if arrival is not None:
            await self.receive(arrival)

    async def phone_sends(
        self,
        phone: Phone,
        text: str = "",
        *,
        media: str | None = None,
        shown: str | None = None,
    ) -> None:
        """A pretend phone sends a message (text, or a photo/location/sticker with a caption)."""
        mid = self.transcript.new_id()
        kind = media or ""
        phone.messages.append(
            Msg(
                id=f"m{mid}",
                sender_kind="me",
                text=text if shown is None else shown,
                at=self._now(),
                media={"kind": kind, "caption": ""} if media else None,
            )
        )
        if phone.channel == "sms":
            form = {
                "MessageSid": "SM" + random_tokens.token_hex(16),
                "From": phone.address,
                "Body": text,
                "NumMedia": "0",
            }
            arrival = read_sms(form, self.clock)
            if arrival is not None and self.receive is not None:
                await self.receive(arrival)
        else:
            content: dict[str, Any] = {}
            if media == "photo":
                size = {"width": 640, "height": 480}
                content["photo"] = [
                    {"file_id": f"sandbox-{mid}", "file_unique_id": f"s{mid}", **size}
                ]
                if text:
                    content["caption"] = text
            elif media == "location":
                content["location"] = {"latitude": 56.1386, "longitude": 8.9733}
            elif media == "sticker":
                content["sticker"] = {
                    "file_id": f"sandbox-{mid}", "file_unique_id": f"s{mid}", "type": "regular",
                    "width": 512, "height": 512, "is_animated": False, "is_video": False,
                }  # fmt: skip
            else:
                content["text"] = text
            await self._deliver_update({"message": self._message(phone, mid, **content)})
        await self.notify()

    async def press_button(self, phone: Phone, data: str) -> None:
        """A pretend Telegram phone presses an inline button under one of the bot's messages."""
        last_bot = next(
            (m for m in reversed(phone.messages) if m.sender_kind == "bot" and m.buttons), None
        )
        mid = int(last_bot.id[1:]) if last_bot is not None else self.transcript.new_id()
        query = {
            "id": f"sandbox-{self.transcript.new_id()}",
            "from": self._user(phone),
            "chat_instance": "sandbox",
            "data": data,
            "message": {**self._message(phone, mid), "from": {"id": 1, "is_bot": True,
                                                             "first_name": "Tryghedsbot"}},
        }  # fmt: skip
        await self._deliver_update({"callback_query": query})
        await self.notify()

    # -- the officers' group ------------------------------------------------------------

    async def officer_says(
        self,
        user_id: int,
        name: str,
        text: str,
        *,
        thread_id: int | None,
        reply_to: int | None,
        internal: bool,
    ) -> None:
        t = self.transcript
        gid = t.new_id()
        msg = Msg(
            id=f"g{gid}",
            sender_kind="officer",
            sender=name,
            text=text,
            at=self._now(),
            kind="note" if internal else "normal",
            reply_to=f"g{reply_to}" if reply_to else None,
            flags=["internal"] if internal else [],
        )
        if thread_id is not None:
            t.threads.setdefault(thread_id, []).append(msg)
        else:
            t.general.append(msg)
        chat = {"id": self.group_id, "type": "supergroup", "title": self.group_title,
                "is_forum": True}  # fmt: skip
        message: dict[str, Any] = {
            "message_id": gid,
            "date": int(self.clock.now().timestamp()),
            "chat": chat,
            "from": {"id": user_id, "is_bot": False, "first_name": name},
            "text": text,
        }
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        if reply_to is not None:
            message["reply_to_message"] = {"message_id": reply_to, "date": message["date"],
                                           "chat": chat}  # fmt: skip
        await self._deliver_update({"message": message})
        await self.notify()

    async def officer_presses(self, user_id: int, name: str, data: str, gid: int) -> None:
        """An officer presses a button under one of the bot's messages in the group."""
        target = self.transcript.find_group_message(gid)
        thread = next(
            (a for a, msgs in self.transcript.threads.items() if target in msgs), None
        ) if target is not None else None  # fmt: skip
        chat = {"id": self.group_id, "type": "supergroup", "title": self.group_title,
                "is_forum": True}  # fmt: skip
        message: dict[str, Any] = {
            "message_id": gid,
            "date": int(self.clock.now().timestamp()),
            "chat": chat,
            "from": {"id": 1, "is_bot": True, "first_name": "Tryghedsbot"},
        }
        if thread is not None:
            message["message_thread_id"] = thread
            message["is_topic_message"] = True
        query = {
            "id": f"sandbox-{self.transcript.new_id()}",
            "from": {"id": user_id, "is_bot": False, "first_name": name},
            "chat_instance": "sandbox-group",
            "data": data,
            "message": message,
        }
        await self._deliver_update({"callback_query": query})
        await self.notify()

    # -- invitations ---------------------------------------------------------------------

    async def invite(
        self, area: str, officer: str, phone_number: str | None, name: str | None = None
    ) -> dict[str, Any]:
        async with self.db.transaction() as tx:
            new = await create_invitation(
                self.ctx,
                tx,
                area_id=area,
                officer_id=officer,
                created_by="sandbox",
                phone=phone_number,
                name=name,
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

    async def open_link(self, phone: Phone, code: str) -> None:
        for record in self.transcript.invitations:
            if record["code"] == code:
                record["used"] = True
        await self.phone_sends(phone, f"/start {code}", shown="/start (invitationslink)")

    # -- what the bot sends ----------------------------------------------------------------

    async def send_to_phone(self, item: Outbound) -> Sent:
        t = self.transcript
        phone = t.phone_by_address(item.address)
        if phone is None:
            raise PermanentError(FailReason.UNREACHABLE, "no such sandbox phone")
        sms = phone.channel == "sms"
        text = item.text
        if item.kind == OutKind.REPLY and not text and (item.media or item.copy_from):
            text = "(medie)"
        media = self._media_of(item)
        if item.kind == OutKind.DATA_EXPORT:
            name, _ = await export_document(self.db, self.ctx)(item)  # made as Telegram's is
            media = {"kind": "document", "caption": name}
        mid = t.new_id()
        msg = Msg(
            id=f"m{mid}",
            sender_kind="bot",
            at=self._now(),
            text=sms_body(text) if sms else strip_markup(text),  # SMS: exactly as sent
            html=None if sms else render(text),
            kind=KIND_VIEW.get(item.kind, "normal"),
            buttons=[]
            if sms
            else [[{"text": b.text, "data": b.data} for b in row] for row in item.buttons],
            media=None if sms else media,
            status="delivered",
        )
        phone.messages.append(msg)
        await self.notify()
        if not sms:
            return Sent(platform_id=msg.id, message_ids=(mid,))
        s = shape(msg.text)
        msg.flags.append(f"sms:{s.segments}x{s.encoding.value}")
        sid = "SM" + random_tokens.token_hex(16)
        # The pretend phone got it: report it delivered, as Twilio's status callback would.
        task = asyncio.create_task(self._report_delivered(sid))
        self._reports.add(task)
        task.add_done_callback(self._reports.discard)
        return SmsSent(platform_id=sid, parts=(SmsPart(sid, s.segments, s.encoding.value, "sent"),))

    async def _report_delivered(self, sid: str) -> None:
        await apply_status(self.db, self.ctx, sid, "delivered", None)
        await self.notify()  # the page shows the push delivered, not only sent

    async def send_to_group(self, item: Outbound) -> Sent:
        t = self.transcript
        if item.kind == OutKind.TOPIC:
            await self.notify()  # thread titles are read from the register on every state
        if item.kind == OutKind.TOPIC_CLOSE:
            where = closed_topic(item)
            if where is not None and t.threads.pop(where[1], None) is not None:
                await self.notify()
            return Sent()
        if item.kind == OutKind.REACTION:
            target = t.find_group_message(item.officer_message_id or 0)
            if target is not None:
                target.reactions.append(item.text or "👍")
                target.status = "delivered"
                await self.notify()
            return Sent()
        gid = t.new_id()
        reply_to = f"g{item.reply_to_group_message_id}" if item.reply_to_group_message_id else None
        msg = Msg(
            id=f"g{gid}",
            sender_kind="bot",
            at=self._now(),
            text=strip_markup(item.text),
            html=render(item.text),
            kind=KIND_VIEW.get(item.kind, "normal"),
            media=self._media_of(item),
            reply_to=reply_to,
            flags=list(item.flags),
            buttons=[[{"text": b.text, "data": b.data} for b in row] for row in item.buttons],
        )
        if item.ambassador_id is not None:
            # One topic per ambassador, as in a forum group; here its id is the ambassador's.
            if item.ambassador_id not in t.threads:
                t.threads[item.ambassador_id] = []
                async with self.db.transaction() as tx:
                    await tx.threads.set_topic(
                        item.ambassador_id, self.group_id, item.ambassador_id, self.clock.now()
                    )
            t.threads[item.ambassador_id].append(msg)
        else:
            t.general.append(msg)
        await self.notify()
        return Sent(platform_id=msg.id, chat_id=self.group_id, message_ids=(gid,))

    async def forget(self, erasure: Erasure) -> None:
        """Scrub an erased ambassador from the page: their phone's chat, their thread, their
        name and number wherever else they appear."""
        amb = erasure.ambassador
        t = self.transcript
        phone = t.phone_by_address(amb.address)
        if phone is not None:
            phone.messages = [
                Msg(
                    id=f"m{t.new_id()}", sender_kind="system", text="(data slettet)", at=self._now()
                )
            ]
        t.threads.pop(amb.id, None)
        for _, thread_id in erasure.topics:
            t.threads.pop(thread_id, None)
        names = [n for n in (amb.name.strip(), amb.address) if len(n) >= 3]
        for msg in itertools.chain(t.general, *t.threads.values()):
            for name in names:
                msg.text = msg.text.replace(name, "[slettet]")
                if msg.html is not None:
                    msg.html = msg.html.replace(html.escape(name, quote=False), "[slettet]")
        for record in t.invitations:
            if record.get("phone") == amb.address:
                record["phone"] = "[slettet]"
        await self.notify()

    def _media_of(self, item: Outbound) -> dict[str, str] | None:
        """What a copied or fetched attachment looks like on the pretend screen."""
        if item.media:
            return {"kind": item.media[0].kind.value, "caption": ""}
        if item.copy_from:
            _, _, mid = item.copy_from.rpartition(":")
            source = None
            if mid.isdigit():
                t = self.transcript
                source = t.find_phone_message(int(mid)) or t.find_group_message(int(mid))
            if source is not None and source.media:
                return {"kind": source.media.get("kind", "photo"), "caption": ""}
            return {"kind": "photo", "caption": ""}
        return None


class Sender:
    """An outbox sender over one of the Devices' methods."""

    def __init__(self, send: Any) -> None:
        self._send = send

    async def send(self, item: Outbound) -> Sent:
        result: Sent = await self._send(item)
        return result
