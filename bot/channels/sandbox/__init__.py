"""The sandbox channel: the whole product in a browser, with no tokens.

It stands in for both Telegram and SMS: pretend phones of both kinds and a pretend officers'
group, whose input goes through the real Telegram and Twilio readers and whose screens show
what the bot sends, as each platform would show it. Everything between (intake, flows,
storage, outbox) is the production code, unchanged.
"""

from __future__ import annotations

from aiohttp import web

from bot.channels import Wiring
from bot.channels.sandbox.demo import DEMO_BOT, SANDBOX_GROUP, demo_config
from bot.channels.sandbox.devices import Devices, Sender
from bot.channels.sandbox.guard import sandbox_guard
from bot.channels.sandbox.page import Page
from bot.channels.sandbox.transcript import Transcript
from bot.channels.sms import record_sms
from bot.channels.telegram.format import TelegramLinks
from bot.channels.telegram.reader import UpdateReader
from bot.config import Config
from bot.outbox import LaneSpec, officers_lane
from flows.context import Links
from flows.model import Channel, Erasure, Lane
from storage.db import Database

__all__ = ["DEMO_BOT", "SANDBOX_GROUP", "SandboxChannel", "demo_config"]


class SandboxChannel:
    name = "sandbox"

    def __init__(self, config: Config) -> None:
        self.config = config
        self.group_id = config.telegram.officers_chat_id or SANDBOX_GROUP
        self.devices: Devices | None = None
        self.page: Page | None = None

    @property
    def required_devices(self) -> Devices:
        assert self.devices is not None, "lanes() first"
        return self.devices

    async def open(self, db: Database) -> None:
        return None

    def links(self) -> Links | None:
        return TelegramLinks(self.config.telegram.bot_username or DEMO_BOT)

    def lanes(self, wiring: Wiring) -> list[LaneSpec]:
        self.devices = d = Devices(wiring.db, wiring.ctx, self.group_id, "Betjente (demo)")
        to_phone = Sender(d.send_to_phone)
        return [
            LaneSpec(Lane.AMBASSADOR, Channel.TELEGRAM, to_phone, workers=2),
            LaneSpec(
                Lane.AMBASSADOR, Channel.SMS, to_phone, workers=1, after_sent=record_sms(wiring.ctx)
            ),
            officers_lane(Sender(d.send_to_group), wiring.ctx),
        ]

    def add_routes(self, app: web.Application, wiring: Wiring) -> None:
        app.middlewares.append(sandbox_guard())  # this machine and the sandbox's own page only
        self.page = Page(self.config, self.required_devices, self.reset)
        self.page.add_routes(app)

    async def start(self, wiring: Wiring) -> None:
        d = self.required_devices
        directory = wiring.ctx.directory
        staff = frozenset(directory.coordinators) | frozenset(directory.officer_by_user)
        d.reader = UpdateReader(self.group_id, staff, wiring.ctx.clock)
        d.receive = wiring.receive
        if not await d.load():
            await self.seed()

    async def seed(self) -> None:
        """A fresh demo: one Telegram phone and one open invitation, ready to onboard."""
        d = self.required_devices
        d.add_phone("telegram")
        await d.invite(self.config.areas[0].id, self.config.officers[0].id, None)
        await d.notify()

    async def reset(self) -> None:
        """Start the demo over: every record gone, an empty page, a fresh seed."""
        d = self.required_devices
        async with d.db.transaction() as tx:
            await tx.maintenance.clear_all()
        d.transcript = Transcript(version=d.transcript.version + 1)
        await self.seed()

    async def forget(self, erasure: Erasure) -> None:
        """An ambassador was erased: their phone's chat, their thread and their name leave
        the page too (it is kept in the database)."""
        if self.devices is not None:
            await self.devices.forget(erasure)

    async def stop(self) -> None:
        d = self.devices
        if d is None:
            return
        # Open pages hold an event stream each; end them, or the web server waits for them.
        d.closing = True
        async with d.changed:
            d.changed.notify_all()
        await d.save()

    async def close(self) -> None:
        return None

    def health(self) -> dict[str, object]:
        return {"mode": "sandbox"}
