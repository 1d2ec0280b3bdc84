"""Long polling: every update is stored before the next getUpdates call, because that call
is what confirms the previous updates to Telegram."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from telegram import Bot, Update
from telegram.error import NetworkError, RetryAfter, TelegramError

from bot.channels.telegram.reader import UpdateReader
from bot.channels.telegram.senders import seconds
from flows.model import Inbound, OfficerMessage
from storage.db import Database

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
Receive = Callable[[Inbound | OfficerMessage], Awaitable[bool]]
ReceiveMany = Callable[[list[Inbound | OfficerMessage]], Awaitable[list[bool]]]


class Poller:
    """Long polling that hands every batch of updates to the inbox (stored together, or held
    in memory while storage fails, an emergency answered either way) before asking for the
    next batch, because the next getUpdates call is what confirms them to Telegram."""

    def __init__(
        self,
        bot: Bot,
        db: Database,
        reader: UpdateReader,
        receive: ReceiveMany,
        timeout: int = 30,
    ) -> None:
        self.bot = bot
        self.db = db
        self.reader = reader
        self.receive = receive
        self.timeout = timeout

    async def run(self) -> None:
        offset: int | None = None
        try:
            async with self.db.read() as tx:
                stored = await tx.kv.get("telegram.offset")
            offset = int(stored) if stored else None
        except Exception:
            log.warning("the polling offset cannot be read; Telegram's own is used")
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
            if not updates:
                continue
            arrivals = [a for u in updates if (a := read_update(u, self.reader)) is not None]
            try:
                await self.receive(arrivals)
            except Exception:
                # Nothing taken (a fault outside storage): ask for the same updates again;
                # the inbox drops the repeats it has.
                log.exception("updates could not be taken; asking again")
                await asyncio.sleep(1.0)
                continue
            offset = updates[-1].update_id + 1
            await answer_callbacks(updates)
            try:
                async with self.db.transaction() as tx:
                    await tx.kv.set("telegram.offset", str(offset))
            except Exception:
                # Storage is down (said elsewhere); Telegram keeps the offset meanwhile.
                log.debug("the polling offset could not be stored", exc_info=True)


def read_update(update: Update, reader: UpdateReader) -> Inbound | OfficerMessage | None:
    """Normalise one update; one that cannot be read is logged and skipped, never fatal."""
    try:
        return reader.read(update)
    except Exception:
        log.exception("update %s could not be read; skipped", update.update_id)
        return None


async def answer_callbacks(updates: Sequence[Update]) -> None:
    """A pressed button waits for an answer (its spinner): give it once the press is taken."""
    for update in updates:
        if update.callback_query is not None:
            try:
                await update.callback_query.answer()
            except TelegramError as exc:
                log.info("answerCallbackQuery failed: %s", exc)


async def handle_update(
    update: Update,
    reader: UpdateReader,
    receive: Receive,
    bot: Bot,
) -> None:
    """Normalise and take one update (a webhook's); bad input is logged, never fatal."""
    arrival = read_update(update, reader)
    if arrival is not None:
        await receive(arrival)
    await answer_callbacks([update])
