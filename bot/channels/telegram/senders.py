"""Sending to Telegram: ambassadors' private chats, and the officers' group (a forum topic per
ambassador, or reply mode), through python-telegram-bot's Bot pointed at any Bot API server."""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypedDict

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import HTTPXRequest

from bot.channels.telegram.format import CAPTION_LIMIT, render, split_html, visible_length
from bot.outbox import SEND_TIMEOUT, PermanentError, Sent, TransientError
from flows.delivery import FailReason
from flows.model import Attachment, Outbound, OutKind, Priority
from flows.outgoing import closed_topic
from flows.ports import Clock
from storage.db import Database

log = logging.getLogger(__name__)

MediaFetcher = Callable[[Attachment], Awaitable[tuple[bytes, str]]]


class Timeouts(TypedDict, total=False):
    connect_timeout: float
    read_timeout: float
    write_timeout: float


# A 112 answer or an alert that hangs is retried at once rather than awaited for 15 s.
URGENT_TIMEOUTS: Timeouts = {"connect_timeout": 1.0, "read_timeout": 1.5, "write_timeout": 1.5}
# A topic whose creation's answer was lost may exist: until it shows up (an officer writes in
# it) the ambassador's messages go to the group's general thread, not into a second topic.
UNCERTAIN_TOPIC = timedelta(hours=24)


def timeouts_for(item: Outbound) -> Timeouts:
    return URGENT_TIMEOUTS if item.priority <= Priority.ACUTE else Timeouts()


def make_bot(token: str, base_url: str, base_file_url: str, poll_timeout: int = 30) -> Bot:
    return Bot(
        token,
        base_url=base_url,
        base_file_url=base_file_url,
        request=HTTPXRequest(
            connection_pool_size=16, read_timeout=SEND_TIMEOUT, write_timeout=SEND_TIMEOUT
        ),
        get_updates_request=HTTPXRequest(read_timeout=poll_timeout + 10),
    )


def _markup(item: Outbound) -> InlineKeyboardMarkup | None:
    if not item.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.text, callback_data=b.data) for b in row] for row in item.buttons]
    )


def translate(exc: TelegramError) -> Exception:
    """Map a Telegram error onto the outbox's retry policy."""
    if isinstance(exc, RetryAfter):
        wait = seconds(exc.retry_after)
        return TransientError(f"429 retry after {wait}s", retry_after=wait)
    if isinstance(exc, Forbidden):
        return PermanentError(FailReason.BLOCKED, exc.message)
    if isinstance(exc, ChatMigrated):
        return PermanentError(FailReason.BAD_REQUEST, f"chat migrated to {exc.new_chat_id}")
    if isinstance(exc, BadRequest):
        return PermanentError(FailReason.BAD_REQUEST, exc.message)
    if isinstance(exc, NetworkError):
        return TransientError(f"network: {exc.message}")
    return TransientError(f"telegram: {exc.message}")


Document = Callable[[Outbound], Awaitable[tuple[str, bytes]]]


class TelegramSender:
    """Sends to ambassadors' private chats (and answers staff in theirs). A document an
    ambassador asked for (their own data) is made by `documents` when it is sent."""

    def __init__(
        self, bot: Bot, fetch: MediaFetcher | None = None, documents: Document | None = None
    ) -> None:
        self.bot = bot
        self.fetch = fetch  # generated pictures (the figures' chart) for staff
        self.documents = documents

    async def send(self, item: Outbound) -> Sent:
        try:
            if item.kind == OutKind.DATA_EXPORT and self.documents is not None:
                name, data = await self.documents(item)
                message = await self.bot.send_document(
                    int(item.address),
                    data,
                    filename=name,
                    caption=render(item.text) or None,
                    parse_mode=ParseMode.HTML,
                )
                ids = [message.message_id]
            else:
                ids = await send_text_and_media(self.bot, int(item.address), item, fetch=self.fetch)
        except TelegramError as exc:
            raise translate(exc) from exc
        return Sent(platform_id=str(ids[-1]) if ids else None, message_ids=tuple(ids))


async def send_text_and_media(
    bot: Bot,
    chat_id: int,
    item: Outbound,
    *,
    thread_id: int | None = None,
    reply_to: int | None = None,
    fetch: MediaFetcher | None = None,
) -> list[int]:
    """Text split at Telegram's limit; media copied with the text as caption when it fits."""
    limits = timeouts_for(item)
    ids: list[int] = []
    text = render(item.text)
    reply = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
    caption_fits = bool(text) and visible_length(text) <= CAPTION_LIMIT
    has_media = item.copy_from is not None or (item.media and fetch is not None)
    if text and not (has_media and caption_fits):
        parts = split_html(text)
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            message = await bot.send_message(
                chat_id,
                part,
                parse_mode=ParseMode.HTML,
                message_thread_id=thread_id,
                reply_markup=_markup(item) if last and not has_media else None,
                reply_parameters=reply if index == 0 else None,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                **limits,
            )
            ids.append(message.message_id)
        text = ""
    if item.copy_from is not None:
        from_chat, _, message_id = item.copy_from.rpartition(":")
        copied = await bot.copy_message(
            chat_id,
            int(from_chat),
            int(message_id),
            caption=text or None,
            parse_mode=ParseMode.HTML if text else None,
            message_thread_id=thread_id,
            reply_markup=_markup(item),
            reply_parameters=reply if not ids else None,
            **limits,
        )
        ids.append(copied.message_id)
    elif item.media and fetch is not None:
        for index, attachment in enumerate(item.media):
            caption = text if index == 0 and text else None
            try:
                data, content_type = await fetch(attachment)
            except TransientError:
                raise  # try the whole relay again later
            except Exception as exc:
                # The message matters more than its picture: never lose the text with it.
                log.warning("media could not be fetched (%s); relaying without it", exc)
                if caption:
                    message = await bot.send_message(
                        chat_id,
                        caption,
                        parse_mode=ParseMode.HTML,
                        message_thread_id=thread_id,
                        **limits,
                    )
                    ids.append(message.message_id)
                continue
            if content_type.startswith("image/"):
                sent = await bot.send_photo(
                    chat_id,
                    data,
                    caption=caption,
                    parse_mode=ParseMode.HTML,
                    message_thread_id=thread_id,
                    **limits,
                )
            else:
                sent = await bot.send_document(
                    chat_id,
                    data,
                    caption=caption,
                    parse_mode=ParseMode.HTML,
                    message_thread_id=thread_id,
                    **limits,
                )
            ids.append(sent.message_id)
    return ids


class OfficersGroupSender:
    """Sends to the officers' group: a forum topic per ambassador, or replies mode."""

    def __init__(
        self,
        bot: Bot,
        db: Database,
        clock: Clock,
        chat_id: int,
        mode: str,
        fetch: MediaFetcher | None = None,
    ) -> None:
        self.bot = bot
        self.db = db
        self.clock = clock
        self.chat_id = chat_id
        self.mode = mode  # "topics" or "replies"; "auto" is resolved by resolve_mode()
        self.fetch = fetch
        self._topic_lock = asyncio.Lock()

    async def resolve_mode(self) -> str:
        if self.mode == "auto":
            chat = await self.bot.get_chat(self.chat_id)
            self.mode = "topics" if chat.is_forum else "replies"
            log.info(
                "officers' group %s is %s: using %s",
                self.chat_id,
                "a forum" if chat.is_forum else "not a forum",
                self.mode,
            )
        return self.mode

    async def _topic(self, item: Outbound) -> int | None:
        """The ambassador's forum topic, created on first use. The request is recorded before
        it is made, so an answer lost on the way back (the topic may exist) never leads to a
        second topic: until the first one is found, messages go to the general thread."""
        amb = item.ambassador_id
        if self.mode != "topics" or amb is None:
            return None
        async with self._topic_lock:
            async with self.db.read() as tx:
                thread_id = await tx.threads.topic(amb, self.chat_id)
                requested = await tx.threads.topic_requested(amb, self.chat_id)
            if thread_id is not None:
                return thread_id
            now = self.clock.now()
            if requested is not None and now - requested < UNCERTAIN_TOPIC:
                return None
            name = html.unescape((item.thread_title or f"Ambassador {amb}")[:128])
            async with self.db.transaction() as tx:
                await tx.threads.request_topic(amb, self.chat_id, name, now)
            try:
                topic = await self.bot.create_forum_topic(self.chat_id, name, **timeouts_for(item))
            except (BadRequest, Forbidden, RetryAfter):
                async with self.db.transaction() as tx:  # refused: nothing was created
                    await tx.threads.forget_topic(amb, self.chat_id)
                raise
            except (TimedOut, NetworkError):
                log.warning(
                    "no answer to creating a forum topic; it may exist: using the general"
                    " thread until it shows up"
                )
                return None
            async with self.db.transaction() as tx:
                await tx.threads.set_topic(amb, self.chat_id, topic.message_thread_id, now)
            return topic.message_thread_id

    async def _rename_topic(self, item: Outbound) -> None:
        """A moved or renamed ambassador's topic takes the new title (if it has a topic)."""
        if self.mode != "topics" or item.ambassador_id is None or not item.thread_title:
            return
        async with self.db.read() as tx:
            thread_id = await tx.threads.topic(item.ambassador_id, self.chat_id)
        if thread_id is not None:
            name = html.unescape(item.thread_title)[:128]
            try:
                await self.bot.edit_forum_topic(self.chat_id, thread_id, name=name)
            except BadRequest as exc:
                if "not_modified" not in exc.message.lower().replace(" ", "_"):
                    raise

    async def close_topic(self, item: Outbound) -> None:
        """Rename and close an erased ambassador's topic; one already so (or gone) is done."""
        where = closed_topic(item)
        if where is None:
            return
        chat_id, thread_id = where
        name = html.unescape(item.text)[:128]
        for closing in (False, True):
            try:
                if closing:
                    await self.bot.close_forum_topic(chat_id, thread_id)
                else:
                    await self.bot.edit_forum_topic(chat_id, thread_id, name=name)
            except BadRequest as exc:
                text = exc.message.lower()
                if "not_modified" not in text and "not found" not in text:
                    raise

    async def send(self, item: Outbound) -> Sent:
        try:
            if item.kind == OutKind.TOPIC_CLOSE:
                await self.close_topic(item)
                return Sent()
            if item.kind == OutKind.REACTION:
                if item.officer_message_id is not None:
                    await self.bot.set_message_reaction(
                        self.chat_id, item.officer_message_id, item.text or "👍"
                    )
                return Sent()

            if item.kind == OutKind.TOPIC:
                await self._rename_topic(item)
                return Sent()
            thread_id = await self._topic(item)
            try:
                ids = await send_text_and_media(
                    self.bot,
                    self.chat_id,
                    item,
                    thread_id=thread_id,
                    reply_to=item.reply_to_group_message_id,
                    fetch=self.fetch,
                )
            except BadRequest as exc:
                if thread_id is None or "thread not found" not in exc.message.lower():
                    raise
                # The topic was deleted by hand: forget it and open a new one.
                async with self.db.transaction() as tx:
                    await tx.threads.forget_topic(item.ambassador_id or 0, self.chat_id)
                raise TransientError("forum topic was deleted; a new one will be created") from exc
        except TelegramError as exc:
            raise translate(exc) from exc
        return Sent(
            platform_id=str(ids[-1]) if ids else None, chat_id=self.chat_id, message_ids=tuple(ids)
        )


def seconds(value: object) -> float:
    """retry_after as seconds, whether PTB gives a number or a timedelta."""
    total = getattr(value, "total_seconds", None)
    return float(total()) if callable(total) else float(value)  # type: ignore[arg-type]
