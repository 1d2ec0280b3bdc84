"""Long polling: every update is stored before the next getUpdates call, because that call
is what confirms the previous updates to Telegram."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from telegram import Bot, Update
from telegram.error import NetworkError, RetryAfter, TelegramError

from bot.channels.telegram.reader import UpdateReader
from bot.channels.telegram.senders import seconds
from flows.model import Inbound, OfficerMessage
from storage.db import Database

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
Receive = Callable[[Inbound | OfficerMessage], Awaitable[bool]]


class Poller:
    """Long polling that persists every update before asking for the next batch, because the
    next getUpdates call is what confirms the previous ones to Telegram."""

    def __init__(
        self,
        bot: Bot,
        db: Database,
        reader: UpdateReader,
        receive: Receive,
        timeout: int = 30,
    ) -> None:
        self.bot = bot
        self.db = db
        self.reader = reader
        self.receive = receive
        self.timeout = timeout

    async def run(self) -> None:
        async with self.db.read() as tx:
            stored = await tx.kv.get("telegram.offset")
        offset = int(stored) if stored else None
        failures = 0
        while True:
            try:
                updates = await self.bot.get_updates(
                    offset=offset, timeout=self.timeout, allowed_updates=ALLOWED_UPDATES
                )
                failures = 0
            except RetryAfter as exc:
                await asyncio.sleep(seconds(exc.retry_after))
                continue
            except (NetworkError, TelegramError) as exc:
                failures += 1
                delay = min(60.0, 0.5 * 2 ** min(failures, 7))
                log.warning("getUpdates failed (%s); retrying in %.1fs", exc, delay)
                await asyncio.sleep(delay)
                continue
            try:
                for update in updates:
                    await handle_update(update, self.reader, self.receive, self.bot)
                    offset = update.update_id + 1
                if updates:
                    async with self.db.transaction() as tx:
                        await tx.kv.set("telegram.offset", str(offset))
            except Exception:
                # Not stored: ask Telegram for the same updates again (dedupe drops repeats).
                log.exception("updates could not be stored; asking again")
                await asyncio.sleep(1.0)


async def handle_update(
    update: Update,
    reader: UpdateReader,
    receive: Receive,
    bot: Bot,
) -> None:
    """Normalise and persist one update; bad input is logged, never fatal."""
    try:
        arrival = reader.read(update)
    except Exception:
        log.exception("update %s could not be read; skipped", update.update_id)
        return
    if arrival is not None:
        await receive(arrival)
    if update.callback_query is not None:
        try:
            await update.callback_query.answer()
        except TelegramError as exc:
            log.info("answerCallbackQuery failed: %s", exc)
