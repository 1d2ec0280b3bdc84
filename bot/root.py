"""The composition root: everything that runs is built here, from the configuration, the
secrets, one clock and the channels. The bot, the sandbox and every command-line command go
through it, so they agree on the clock, the database and the district.

A message's path: a channel's reader (bot/channels/…) → `Inbox.receive` (bot/inbox.py:
classified, stored) → `flows/arrivals.py` (which flow) → `flows/triage.py` (112 / 114 /
officer) → `flows/outgoing.py` (outbox items) → `Dispatcher` (bot/outbox.py) → the channel's
sender.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta

from bot.channels import Channel, StartupError, Wiring
from bot.channels.sandbox import SandboxChannel
from bot.channels.sms import SmsChannel
from bot.channels.telegram import TelegramChannel
from bot.clock import SystemClock
from bot.config import Config, Secrets
from bot.inbox import Inbox
from bot.outbox import Dispatcher
from bot.privacy import Erasures, RetentionJob, record_configuration
from bot.scheduler import BroadcastScheduler
from bot.web import WebServer, make_app
from flows.content import load_content
from flows.context import FlowContext, Links, NoLinks, Settings
from flows.hours import QuietHours
from flows.model import Channel as ChannelKind
from flows.ports import Clock
from intents import Classifier
from storage.db import Database

log = logging.getLogger(__name__)

LOOPBACK = ("127.0.0.1", "localhost", "::1")

__all__ = ["Runtime", "StartupError", "build_context", "command_context"]


def build_context(
    config: Config, clock: Clock, *, links: Links | None = None, sandbox: bool = False
) -> FlowContext:
    content = load_content(config.content.path)
    remind = config.cases.remind_after_office_hours
    return FlowContext(
        directory=config.directory(),
        texts=content.texts,
        tips=content.tips,
        classifier=Classifier.from_package_data(),
        office_hours=config.office_hours.build(),
        clock=clock,
        settings=Settings(
            internal_marker=config.bot.internal_marker,
            invitation_ttl=config.invitation_ttl,
            officers_language=config.bot.language,
            officers_channel=ChannelKind.TELEGRAM,
            sms_enabled=sandbox or config.sms is not None,
            sms_max_segments=config.sms.max_segments if config.sms else 4,
            quiet_hours=QuietHours.parse(config.broadcasts.quiet_hours),
            broadcast_grace=timedelta(hours=config.broadcasts.grace_hours),
            programme_name=config.programme_name,
            remind_after=timedelta(hours=remind) if remind > 0 else None,
            pulse_window=timedelta(hours=config.pulse.answer_hours),
            retention=config.storage.retention_days.build(),
        ),
        links=links or NoLinks(),
    )


def database_path(config: Config, *, sandbox: bool = False) -> str:
    return config.sandbox.path if sandbox else config.storage.path


@dataclass(frozen=True)
class CommandContext:
    """What a command-line command works with: the bot's own database and flow context."""

    db: Database
    ctx: FlowContext


class _StoredLinks:
    """Invitation links for commands run beside the bot: the bot's username as the running
    bot last recorded it (or as configured)."""

    def __init__(self, username: str) -> None:
        self.username = username

    def invitation(self, code: str) -> str | None:
        from bot.channels.telegram.format import TelegramLinks

        return TelegramLinks(self.username).invitation(code)


@asynccontextmanager
async def command_context(config: Config, clock: Clock) -> AsyncIterator[CommandContext]:
    """The database and context for one command, built like the running bot's."""
    db = await Database.open(database_path(config))
    try:
        async with db.read() as tx:
            username = await tx.kv.get("telegram.username")
        links = _StoredLinks(username or config.telegram.bot_username)
        yield CommandContext(db, build_context(config, clock, links=links))
    finally:
        await db.close()


class Runtime:
    """Everything one process runs: storage, the inbox and outbox workers, the broadcast
    scheduler, the web server and the channels (Telegram and SMS, or the sandbox)."""

    def __init__(
        self,
        config: Config,
        secrets: Secrets,
        *,
        clock: Clock | None = None,
        sandbox: bool = False,
        sweep_every: float = 5.0,
        new_database: bool = False,
    ) -> None:
        self.config = config
        self.secrets = secrets
        self.clock: Clock = clock or SystemClock()
        self.sandbox = sandbox
        self.sweep_every = sweep_every  # seconds between looks for plans made by the CLI
        self.new_database = new_database  # the operator said: start with what is at the path
        self.db: Database | None = None
        self.ctx: FlowContext | None = None
        self.inbox: Inbox | None = None
        self.dispatcher: Dispatcher | None = None
        self.scheduler: BroadcastScheduler | None = None
        self.erasures: Erasures | None = None
        self.retention: RetentionJob | None = None
        self.web: WebServer | None = None
        self.channels: list[Channel] = []
        self._inbox_task: asyncio.Task[None] | None = None
        self._watch_task: asyncio.Task[None] | None = None
        self._started: list[Channel] = []

    def _make_channels(self) -> list[Channel]:
        if self.sandbox:
            return [SandboxChannel(self.config)]
        channels: list[Channel] = [TelegramChannel(self.config, self.secrets, self.clock)]
        if self.config.sms is not None:
            channels.append(SmsChannel(self.config, self.secrets))
        return channels

    @property
    def telegram(self) -> TelegramChannel | None:
        return next((c for c in self.channels if isinstance(c, TelegramChannel)), None)

    @property
    def sandbox_channel(self) -> SandboxChannel | None:
        return next((c for c in self.channels if isinstance(c, SandboxChannel)), None)

    @property
    def url(self) -> str:
        assert self.web is not None
        return f"http://{self.web.host}:{self.web.port}/sandbox/"

    async def start(self) -> None:
        cfg = self.config
        host = cfg.web.host
        if self.sandbox and host not in LOOPBACK:
            log.info("the sandbox listens on 127.0.0.1 only (not %s)", host)
            host = "127.0.0.1"
        self.channels = self._make_channels()  # checks the secrets first: nothing to undo
        self.db = db = await Database.open(
            database_path(cfg, sandbox=self.sandbox),
            create_new=self.new_database,
            now=self.clock.now,
        )
        for channel in self.channels:
            await channel.open(db)
        links = next((lk for c in self.channels if (lk := c.links()) is not None), None)
        self.ctx = ctx = build_context(cfg, self.clock, links=links, sandbox=self.sandbox)
        await record_configuration(db, cfg, ctx)
        self.erasures = Erasures(db)
        if (sandbox_channel := self.sandbox_channel) is not None:
            self.erasures.hooks.append(sandbox_channel.forget)
        self.inbox = inbox = Inbox(db, ctx)
        wiring = Wiring(cfg, db, ctx, inbox.receive, inbox.receive_many)
        telegram, sms = (
            self.telegram,
            next((c for c in self.channels if isinstance(c, SmsChannel)), None),
        )
        if telegram is not None and sms is not None:
            telegram.media_fetcher = sms.fetcher  # SMS pictures shown in the officers' group
        lanes = [lane for channel in self.channels for lane in channel.lanes(wiring)]
        self.dispatcher = Dispatcher(db, ctx, lanes)
        inbox.send_now = self.dispatcher.send_now  # the emergency path, past the database
        self.scheduler = BroadcastScheduler(db, ctx, sweep_every=self.sweep_every)
        app = make_app(self.health)
        for channel in self.channels:
            channel.add_routes(app, wiring)
        # Senders first (they resend what was in flight), then what arrived while we were
        # down, then new arrivals and the schedule.
        await self.dispatcher.start()
        await inbox.drain()
        self._inbox_task = asyncio.create_task(inbox.run(), name="inbox")
        # Notices a database deleted, replaced or no longer writable, within seconds.
        self._watch_task = asyncio.create_task(db.health.watch(5.0), name="storage-health")
        await self.scheduler.start()
        self.retention = RetentionJob(db, ctx)
        self.retention.start()
        self.web = WebServer(app, host, cfg.web.port)
        try:
            port = await self.web.start()
        except OSError as exc:
            hint = "choose another with --port" if self.sandbox else "change [web] port"
            problem = f"cannot listen on {host}:{cfg.web.port} ({exc.strerror}): {hint}"
            raise StartupError(problem) from exc
        log.info("web server on http://%s:%s (health at /healthz)", host, port)
        for channel in self.channels:
            await channel.start(wiring)
            self._started.append(channel)
        if self.sandbox:
            log.info("sandbox ready: open %s in a browser", self.url)
            print(f"Tryghedsbot sandbox: open {self.url}", flush=True)

    async def health(self) -> dict[str, object]:
        if self.db is None:
            return {"ok": False, "reason": "not running"}
        storage = self.db.health.as_json()
        if not self.db.health.ok:
            return {"ok": False, "reason": storage.get("reason"), "storage": storage}
        try:
            async with asyncio.timeout(2.0), self.db.read() as tx:
                waiting, oldest = await tx.outbox.waiting()
        except Exception as exc:
            reason = f"the database cannot be read ({type(exc).__name__})"
            return {"ok": False, "reason": reason, "storage": storage}
        sent = {"sent": 0, "failed": 0, "retried": 0}
        if self.dispatcher is not None:
            d = self.dispatcher
            sent = {"sent": d.sent, "failed": d.failed, "retried": d.retried}
        held = self.inbox.held if self.inbox is not None else 0
        body: dict[str, object] = {
            "ok": held == 0,
            "mode": "sandbox" if self.sandbox else "telegram",
            "storage": storage,
            "outbox": {
                "waiting": waiting,
                "oldest_waiting_since": oldest.isoformat() if oldest else None,
            },
            "since_start": sent,
        }
        if self.inbox is not None:
            i = self.inbox
            body["inbox"] = {
                "handled": i.handled,
                "failed": i.failed,
                "waiting_for_storage": held,
                "quarantined": i.quarantined,
                "answered_past_storage": i.answered_directly,
            }
            if held:
                body["reason"] = "arrivals are waiting in memory: the database cannot store them"
        return body

    async def stop(self) -> None:
        """Stop taking new work, let what is in flight finish, keep the rest for next time."""
        for channel in reversed(self._started):
            await channel.stop()
        self._started.clear()
        for task in (self._inbox_task, self._watch_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._inbox_task = self._watch_task = None
        if self.scheduler is not None:
            await self.scheduler.stop()
        if self.retention is not None:
            await self.retention.stop()
        if self.dispatcher is not None:
            await self.dispatcher.stop(grace=5.0)
        if self.erasures is not None:
            await self.erasures.wait()  # an erasure's traces leave the files before we close
        if self.web is not None:
            await self.web.stop()
            self.web = None
        for channel in self.channels:
            await channel.close()
        if self.db is not None:
            await self.db.close()
            self.db = None
