"""The Telegram channel: ambassadors' private chats and the officers' group, by long polling
or by webhook on the one web server."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from datetime import timedelta

from aiohttp import web
from telegram import Bot, BotCommand
from telegram.error import InvalidToken, TelegramError

from bot.channels import StartupError, Wiring
from bot.channels.telegram.format import TelegramLinks
from bot.channels.telegram.polling import ALLOWED_UPDATES, Poller
from bot.channels.telegram.reader import UpdateReader
from bot.channels.telegram.senders import (
    MediaFetcher,
    OfficersGroupSender,
    TelegramSender,
    make_bot,
)
from bot.channels.telegram.webhook import WEBHOOK_PATH, telegram_webhook, webhook_secret
from bot.charts import with_charts
from bot.config import Config, Secrets
from bot.outbox import LaneSpec, officers_lane
from bot.pacing import Pacer, SenderShare, WindowPacer
from bot.privacy import export_document
from flows.context import Links
from flows.model import Channel, Lane, Priority
from flows.ports import Clock
from storage.db import Database

log = logging.getLogger(__name__)

_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram accepts
GROUP_RESERVE = 3  # of the group's messages a minute, kept free for alerts
BOT_LIMIT_PER_SECOND = 30  # Telegram's messages per second for one bot, all chats together
CAP_PERIOD = 1.02  # a second, and a margin for requests that reach Telegram a little late
# One ambassador's most messages in the group a minute, as a part of the group's limit: more
# wait and are joined into one, so a flood cannot spend the minute everyone else needs.
GROUP_SHARE_PART = 4
COMMANDS = {
    "da": [
        ("hjaelp", "Hjælp og regler"),
        ("stop", "Hold pause"),
        ("start", "Fortsæt"),
        ("aftale", "Partnerskabsaftalen"),
        ("sprog", "Sprog: da / en"),
        ("mine_data", "Få en kopi af dine data"),
        ("slet", "Slet dine data"),
    ],
    "en": [
        ("help", "Help and rules"),
        ("stop", "Pause"),
        ("start", "Continue"),
        ("aftale", "The partnership agreement"),
        ("sprog", "Language: da / en"),
        ("mine_data", "A copy of your data"),
        ("slet", "Delete your data"),
    ],
}


class TelegramChannel:
    name = "telegram"

    def __init__(self, config: Config, secrets: Secrets, clock: Clock) -> None:
        token = secrets.telegram_bot_token
        if token is None:
            raise StartupError(
                "TELEGRAM_BOT_TOKEN is not set: export it, or run the sandbox with"
                " `tryghedsbot run --sandbox`",
                status=2,
            )
        if config.telegram.officers_chat_id == 0:
            raise StartupError("[telegram] officers_chat_id is not set", status=2)
        given = secrets.telegram_webhook_secret
        if given is not None and not _SECRET_TOKEN.fullmatch(given.get_secret_value()):
            raise StartupError(
                "TELEGRAM_WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and - (1 to 256 of them)",
                status=2,
            )
        self.config = config
        self.clock = clock
        self._token = token.get_secret_value()
        self._secret = webhook_secret(given.get_secret_value() if given else None, self._token)
        self.bot: Bot | None = None
        self.officers: OfficersGroupSender | None = None
        self.media_fetcher: MediaFetcher | None = None  # SMS pictures, for the group
        self.reader: UpdateReader | None = None
        self._poller: asyncio.Task[None] | None = None
        self._group_ages: list[float] = []
        self.group_pacer: WindowPacer | None = None

    @property
    def required_bot(self) -> Bot:
        assert self.bot is not None, "open() first"
        return self.bot

    async def open(self, db: Database) -> None:
        cfg = self.config.telegram
        bot = make_bot(self._token, cfg.base_url, cfg.base_file_url, cfg.poll_timeout)
        try:
            await bot.initialize()
        except InvalidToken as exc:
            raise StartupError("Telegram refused the bot token (TELEGRAM_BOT_TOKEN)") from exc
        except TelegramError as exc:
            raise StartupError(f"cannot reach the Bot API at [telegram] base_url: {exc}") from exc
        self.bot = bot
        now = self.clock.now()
        async with db.transaction() as tx:
            await tx.kv.set("telegram.username", bot.username)
            recent = await tx.outbox.recent_sends(
                Lane.OFFICERS, Channel.TELEGRAM, now - timedelta(seconds=60), now
            )
        self._group_ages = [(now - at).total_seconds() for at in recent]

    def links(self) -> Links | None:
        return TelegramLinks(self.required_bot.username)

    def lanes(self, wiring: Wiring) -> list[LaneSpec]:
        cfg = self.config.telegram
        bot = self.required_bot
        overall = Pacer(cfg.messages_per_second)  # Telegram's limit is per bot, all chats
        # The steady pace leaves room, but workers take their slots ahead and urgent sends go
        # at once: this window holds every second, as Telegram counts it, under its limit.
        cap = WindowPacer(BOT_LIMIT_PER_SECOND, CAP_PERIOD, reserve=1)
        group = WindowPacer(cfg.group_messages_per_minute, 60, reserve=GROUP_RESERVE)
        group.preload(self._group_ages)  # the last run's sends still count this minute
        self.group_pacer = group
        fetch = with_charts(wiring.db, wiring.ctx, self.media_fetcher)  # /tal's chart, MMS
        self.officers = OfficersGroupSender(
            bot,
            wiring.db,
            wiring.ctx.clock,
            cfg.officers_chat_id,
            cfg.officer_threads,
            fetch=fetch,
        )
        return [
            LaneSpec(
                Lane.AMBASSADOR,
                Channel.TELEGRAM,
                TelegramSender(bot, fetch, documents=export_document(wiring.db, wiring.ctx)),
                workers=4,
                pacers=(overall, cap),
                bypass_priority=Priority.ACUTE,
            ),
            # Several workers: one slow request stalls its own thread, not the group.
            officers_lane(
                self.officers,
                wiring.ctx,
                pacers=(group, overall, cap),
                workers=3,
                share=SenderShare(max(1, cfg.group_messages_per_minute // GROUP_SHARE_PART), 60),
            ),
        ]

    def add_routes(self, app: web.Application, wiring: Wiring) -> None:
        self.reader = self._reader(wiring)
        if self.config.telegram.webhook_url:
            app.router.add_post(
                WEBHOOK_PATH,
                telegram_webhook(self.required_bot, self.reader, wiring.receive, self._secret),
            )

    def _reader(self, wiring: Wiring) -> UpdateReader:
        directory = wiring.ctx.directory
        staff = frozenset(directory.coordinators) | frozenset(directory.officer_by_user)
        bot = self.required_bot
        return UpdateReader(self.config.telegram.officers_chat_id, staff, wiring.ctx.clock, bot.id)

    async def start(self, wiring: Wiring) -> None:
        cfg = self.config.telegram
        bot = self.required_bot
        assert self.officers is not None and self.reader is not None
        try:
            await self.officers.resolve_mode()
        except TelegramError as exc:
            log.error("cannot read the officers' group (%s); using replies mode", exc)
            self.officers.mode = "replies"
        try:
            if cfg.webhook_url:
                await bot.set_webhook(
                    cfg.webhook_url + WEBHOOK_PATH,
                    secret_token=self._secret,
                    allowed_updates=ALLOWED_UPDATES,
                )
            else:
                await bot.delete_webhook()
        except TelegramError as exc:
            raise StartupError(
                f"the Bot API refused the webhook set-up ([telegram] webhook_url, "
                f"TELEGRAM_WEBHOOK_SECRET): {exc}"
            ) from exc
        if cfg.webhook_url:
            log.info("receiving updates by webhook")
        else:
            poller = Poller(bot, wiring.db, self.reader, wiring.receive_many, cfg.poll_timeout)
            self._poller = asyncio.create_task(poller.run(), name="telegram-poller")
            log.info("receiving updates by long polling")
        await self._set_commands(bot)
        log.info("Tryghedsbot @%s is running; officers' group in %s mode", bot.username,
                 self.officers.mode)  # fmt: skip

    async def _set_commands(self, bot: Bot) -> None:
        try:
            for lang, items in COMMANDS.items():
                await bot.set_my_commands(
                    [BotCommand(c, d) for c, d in items],
                    language_code=None if lang == "da" else lang,
                )
        except TelegramError as exc:
            log.info("setMyCommands failed: %s", exc)

    async def stop(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
            self._poller = None

    async def close(self) -> None:
        if self.bot is not None:
            with contextlib.suppress(TelegramError):
                await self.bot.shutdown()
            self.bot = None

    def health(self) -> dict[str, object]:
        return {"mode": "webhook" if self.config.telegram.webhook_url else "polling"}
