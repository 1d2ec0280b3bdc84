"""The composition root: builds every part from the configuration and runs them in one
asyncio process."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from telegram import Bot, BotCommand
from telegram.error import InvalidToken, TelegramError

from bot.config import Config, Secrets
from bot.engine import Engine
from bot.inbox import Inbox
from bot.outbox import Dispatcher, LaneSpec, Sent
from bot.pacing import Pacer, WindowPacer
from bot.scheduler import BroadcastScheduler
from bot.sms import MmsFetcher, SmsSender, TwilioWebhooks, close_all, record_sms
from bot.telegram import (
    ALLOWED_UPDATES,
    OfficersGroupSender,
    Poller,
    TelegramSender,
    UpdateReader,
    make_bot,
)
from bot.web import WebServer, make_app, telegram_webhook
from flows.context import FlowContext, Settings, SystemClock
from flows.hours import QuietHours
from flows.model import Channel, Lane, Outbound, OutKind, Priority
from flows.ports import Clock
from flows.texts import Html, Texts
from intents import Classifier
from storage.db import Database
from storage.repos import Tx

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram accepts
GROUP_RESERVE = 3  # of the group's messages a minute, kept free for alerts


class StartupError(Exception):
    """Start-up cannot go on; the message is for the operator."""


def gather_notices(texts: Texts, language: str) -> Any:
    """Routine notices waiting for the group become one message (the group's scarce budget)."""

    def gather(items: list[Outbound]) -> Outbound:
        header = texts.get(language, "officers.notices_header")
        lines = "\n".join(f"• {item.text}" for item in items)
        first = items[0]
        return Outbound(
            lane=first.lane,
            kind=first.kind,
            priority=first.priority,
            channel=first.channel,
            text=Html(f"{header}\n{lines}"),
        )

    return gather


def webhook_secret(secrets: Secrets) -> str:
    if secrets.telegram_webhook_secret is not None:
        return secrets.telegram_webhook_secret.get_secret_value()
    assert secrets.telegram_bot_token is not None
    token = secrets.telegram_bot_token.get_secret_value().encode()
    return hmac.new(token, b"tryghedsbot-webhook", hashlib.sha256).hexdigest()[:48]


def build_context(
    config: Config,
    clock: Clock,
    *,
    bot_username: str,
    officers_channel: Channel,
    sms_enabled: bool | None = None,
) -> FlowContext:
    return FlowContext(
        directory=config.directory(),
        texts=Texts.from_package(),
        classifier=Classifier.from_package_data(),
        office_hours=config.office_hours.build(),
        clock=clock,
        settings=Settings(
            bot_username=bot_username,
            internal_marker=config.bot.internal_marker,
            invitation_ttl=config.invitation_ttl,
            officers_language=config.bot.language,
            officers_channel=officers_channel,
            sms_enabled=config.sms is not None if sms_enabled is None else sms_enabled,
            sms_max_segments=config.sms.max_segments if config.sms else 4,
            quiet_hours=QuietHours.parse(config.broadcasts.quiet_hours),
            broadcast_grace=timedelta(hours=config.broadcasts.grace_hours),
        ),
    )


@dataclass
class App:
    """Telegram mode: long polling, or webhooks when [telegram] webhook_url is set."""

    config: Config
    secrets: Secrets
    clock: Clock = field(default_factory=SystemClock)
    db: Database | None = None
    ctx: FlowContext | None = None
    inbox: Inbox | None = None
    dispatcher: Dispatcher | None = None
    web: WebServer | None = None
    bot: Bot | None = None
    officers: OfficersGroupSender | None = None
    sms: SmsSender | None = None
    mms: MmsFetcher | None = None
    scheduler: BroadcastScheduler | None = None
    sweep_every: float = 5.0  # seconds between looks for plans made by the command line
    engine: Engine | None = None
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    async def start(self) -> None:
        cfg = self.config
        token = self.secrets.telegram_bot_token
        if token is None:
            raise StartupError("TELEGRAM_BOT_TOKEN is not set")
        if cfg.telegram.officers_chat_id == 0:
            raise StartupError("[telegram] officers_chat_id is not set")
        given = self.secrets.telegram_webhook_secret
        if given is not None and not _SECRET_TOKEN.fullmatch(given.get_secret_value()):
            raise StartupError(
                "TELEGRAM_WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and - (1 to 256 of them)"
            )
        if cfg.sms is not None:
            twilio_token = self.secrets.twilio_auth_token
            if twilio_token is None:
                raise StartupError("[sms] is configured, but TWILIO_AUTH_TOKEN is not set")
            self.sms = SmsSender(cfg.sms, twilio_token.get_secret_value())
            self.mms = MmsFetcher(cfg.sms, twilio_token.get_secret_value())
        self.db = db = await Database.open(cfg.storage.path)
        self.bot = bot = make_bot(
            token.get_secret_value(),
            cfg.telegram.base_url,
            cfg.telegram.base_file_url,
            cfg.telegram.poll_timeout,
        )
        try:
            await bot.initialize()
        except InvalidToken as exc:
            await db.close()
            raise StartupError("Telegram refused the bot token (TELEGRAM_BOT_TOKEN)") from exc
        except TelegramError as exc:
            await db.close()
            raise StartupError(f"cannot reach the Bot API at [telegram] base_url: {exc}") from exc
        async with db.transaction() as tx:
            await tx.kv.set("telegram.username", bot.username)
        self.ctx = ctx = build_context(
            cfg, self.clock, bot_username=bot.username, officers_channel=Channel.TELEGRAM
        )
        self.officers = officers = OfficersGroupSender(
            bot, db, cfg.telegram.officers_chat_id, cfg.telegram.officer_threads, fetch=self.mms
        )
        try:
            await officers.resolve_mode()
        except TelegramError as exc:
            log.error("cannot read the officers' group (%s); using replies mode", exc)
            officers.mode = "replies"
        self.engine = engine = Engine(
            db, ctx, self.lanes(bot, officers), sweep_every=self.sweep_every
        )
        self.inbox, self.dispatcher, self.scheduler = (
            engine.inbox,
            engine.dispatcher,
            engine.scheduler,
        )
        await engine.start()
        staff = frozenset(ctx.directory.coordinators) | frozenset(ctx.directory.officer_by_user)
        reader = UpdateReader(cfg.telegram.officers_chat_id, staff, bot.id)
        app = make_app(self.health)
        if cfg.telegram.webhook_url:
            secret = webhook_secret(self.secrets)
            app.router.add_post(
                WEBHOOK_PATH, telegram_webhook(bot, reader, self.inbox.receive, secret)
            )
        self.extend_web(app)
        self.web = WebServer(app, cfg.web.host, cfg.web.port)
        try:
            port = await self.web.start()
        except OSError as exc:
            raise StartupError(
                f"cannot listen on {cfg.web.host}:{cfg.web.port} ({exc.strerror}): "
                "change [web] port"
            ) from exc
        log.info("web server on http://%s:%s (health at /healthz)", cfg.web.host, port)
        try:
            if cfg.telegram.webhook_url:
                await bot.set_webhook(
                    cfg.telegram.webhook_url + WEBHOOK_PATH,
                    secret_token=webhook_secret(self.secrets),
                    allowed_updates=ALLOWED_UPDATES,
                )
            else:
                await bot.delete_webhook()
        except TelegramError as exc:
            raise StartupError(
                f"the Bot API refused the webhook set-up ([telegram] webhook_url, "
                f"TELEGRAM_WEBHOOK_SECRET): {exc}"
            ) from exc
        if cfg.telegram.webhook_url:
            log.info("receiving updates by webhook")
        else:
            poller = Poller(bot, db, reader, self.inbox.receive, cfg.telegram.poll_timeout)
            self._tasks.append(asyncio.create_task(poller.run(), name="poller"))
            log.info("receiving updates by long polling")
        await self._set_commands(bot)
        log.info(
            "Tryghedsbot @%s is running; officers' group %s in %s mode",
            bot.username,
            cfg.telegram.officers_chat_id,
            officers.mode,
        )

    def lanes(self, bot: Bot, officers: OfficersGroupSender) -> list[LaneSpec]:
        cfg = self.config.telegram
        overall = Pacer(cfg.messages_per_second)  # Telegram's limit is per bot, all chats
        group = WindowPacer(cfg.group_messages_per_minute, 60, reserve=GROUP_RESERVE)
        sms: list[LaneSpec] = []
        if self.sms is not None and self.ctx is not None:
            # Paced by the sender itself, in segments; one number in flight keeps order.
            sms.append(
                LaneSpec(
                    Lane.AMBASSADOR,
                    Channel.SMS,
                    self.sms,
                    workers=2,
                    after_sent=record_sms(self.ctx),
                )
            )
        return [
            *sms,
            LaneSpec(
                Lane.AMBASSADOR,
                Channel.TELEGRAM,
                TelegramSender(bot),
                workers=4,
                pacers=(overall,),
                bypass_priority=Priority.ACUTE,
            ),
            LaneSpec(
                Lane.OFFICERS,
                Channel.TELEGRAM,
                officers,
                workers=1,
                pacers=(group, overall),
                bypass_priority=Priority.ACUTE,
                gather_kind=OutKind.NOTICE,
                gather=gather_notices(Texts.from_package(), self.config.bot.language),
                after_sent=record_group_messages,
            ),
        ]

    def extend_web(self, app: Any) -> None:
        """Other channels' routes on the one web server: Twilio's webhooks when SMS is on."""
        cfg = self.config.sms
        token = self.secrets.twilio_auth_token
        if cfg is None or token is None:
            return
        assert self.inbox is not None and self.db is not None and self.ctx is not None
        hooks = TwilioWebhooks(cfg, token.get_secret_value(), self.inbox.receive, self.db, self.ctx)
        hooks.add_routes(app)
        log.info("SMS webhooks at %s/twilio/sms and /twilio/status", cfg.public_url.rstrip("/"))

    async def _set_commands(self, bot: Bot) -> None:
        commands = {
            "da": [
                ("hjaelp", "Hjælp og regler"),
                ("stop", "Hold pause"),
                ("start", "Fortsæt"),
                ("aftale", "Partnerskabsaftalen"),
                ("sprog", "Sprog: da / en"),
            ],
            "en": [
                ("help", "Help and rules"),
                ("stop", "Pause"),
                ("start", "Continue"),
                ("aftale", "The partnership agreement"),
                ("sprog", "Language: da / en"),
            ],
        }
        try:
            for lang, items in commands.items():
                await bot.set_my_commands(
                    [BotCommand(c, d) for c, d in items],
                    language_code=None if lang == "da" else lang,
                )
        except TelegramError as exc:
            log.info("setMyCommands failed: %s", exc)

    async def health(self) -> dict[str, object]:
        if self.db is None:
            return {"ok": False}
        async with self.db.read() as tx:
            counts = await tx.outbox.counts()
        sent = {"sent": 0, "failed": 0, "retried": 0}
        if self.dispatcher is not None:
            d = self.dispatcher
            sent = {"sent": d.sent, "failed": d.failed, "retried": d.retried}
        return {"ok": True, "mode": "telegram", "outbox": counts, "since_start": sent}

    async def stop(self) -> None:
        """Stop taking new work, let what is in flight finish, keep the rest for next time."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        if self.engine is not None:
            await self.engine.stop()
            self.engine = None
        if self.web is not None:
            await self.web.stop()
        await close_all(self.sms, self.mms)
        if self.bot is not None:
            with contextlib.suppress(TelegramError):
                await self.bot.shutdown()
        if self.db is not None:
            await self.db.close()
            self.db = None


async def record_group_messages(tx: Tx, item: Outbound, sent: Sent) -> None:
    """Remember which ambassador each group message belongs to, so replies map back."""
    if item.ambassador_id is None or sent.chat_id is None:
        return
    for message_id in sent.message_ids:
        await tx.threads.add_group_message(
            sent.chat_id, message_id, item.ambassador_id, item.message_id
        )


__all__ = ["App", "StartupError", "build_context"]
