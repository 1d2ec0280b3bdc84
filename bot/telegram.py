"""The Telegram channel: turning updates into arrivals, and sending to ambassadors and to the
officers' group through python-telegram-bot's Bot (pointed at any Bot API server)."""

from __future__ import annotations

import asyncio
import html
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.request import HTTPXRequest

from bot.outbox import PermanentError, Sent, TransientError
from flows.common import TELEGRAM_TEXT_LIMIT, split_text
from flows.delivery import FailReason
from flows.model import (
    Attachment,
    Channel,
    Inbound,
    MediaKind,
    OfficerMessage,
    Outbound,
    OutKind,
)
from storage.db import Database

log = logging.getLogger(__name__)

CAPTION_LIMIT = 1024
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
# Commands an ambassador or coordinator may give in a private chat; any other "/word ..." is
# read as an ordinary message, so its words still reach the classifier.
KNOWN_COMMANDS = frozenset({
    "start", "help", "hjaelp", "hjælp", "stop", "aftale", "agreement", "sprog", "language",
    "kampagne", "broadcast", "udsendelse", "annuller", "cancel", "inviter", "invite",
})  # fmt: skip
_TAG = re.compile(r"<[^>]+>")
MediaFetcher = Callable[[Attachment], Awaitable[tuple[bytes, str]]]


def make_bot(token: str, base_url: str, base_file_url: str, poll_timeout: int = 30) -> Bot:
    return Bot(
        token,
        base_url=base_url,
        base_file_url=base_file_url,
        request=HTTPXRequest(connection_pool_size=16, read_timeout=15, write_timeout=15),
        get_updates_request=HTTPXRequest(read_timeout=poll_timeout + 10),
    )


def visible_length(text_html: str) -> int:
    """Telegram counts length after entity parsing: tags removed, entities decoded."""
    return len(html.unescape(_TAG.sub("", text_html)))


def _command(text: str) -> tuple[str | None, str]:
    if not text.startswith("/"):
        return None, text
    head, _, rest = text[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    return (name or None), rest.strip()


def _media(message: Message) -> tuple[tuple[Attachment, ...], str | None]:
    ref = f"{message.chat_id}:{message.message_id}"
    kinds: list[tuple[object, MediaKind]] = [
        (message.photo, MediaKind.PHOTO),
        (message.voice, MediaKind.VOICE),
        (message.video, MediaKind.VIDEO),
        (message.video_note, MediaKind.VIDEO),
        (message.audio, MediaKind.AUDIO),
        (message.animation, MediaKind.ANIMATION),
        (message.document, MediaKind.DOCUMENT),
    ]
    for value, kind in kinds:
        if value:
            return (Attachment(kind, ref),), None
    if message.location:
        loc = message.location
        return (
            Attachment(MediaKind.LOCATION, ref, latitude=loc.latitude, longitude=loc.longitude),
        ), None
    for name in ("sticker", "contact", "poll", "dice", "game", "venue", "story", "invoice"):
        if getattr(message, name, None):
            return (), name
    return (), None


class UpdateReader:
    """Normalises Telegram updates at the edge; flows never see a Telegram object."""

    def __init__(
        self, officers_chat_id: int, staff_user_ids: frozenset[int], bot_id: int | None = None
    ) -> None:
        self.officers_chat_id = officers_chat_id
        self.staff = staff_user_ids
        self.bot_id = bot_id

    def read(self, update: Update) -> Inbound | OfficerMessage | None:
        if update.callback_query is not None:
            return self._callback(update)
        edited = update.edited_message
        if edited is not None:
            log.info("edited message %s: edits are not relayed", update.update_id)
            if edited.chat.type != "private" or edited.from_user is None:
                return None
            # Say so, or the ambassador believes the officer saw the correction.
            return Inbound(
                channel=Channel.TELEGRAM,
                address=str(edited.chat_id),
                dedupe_key=f"tgedit:{update.update_id}",
                text=edited.text or edited.caption or "",
                received_at=_date(edited.edit_date or edited.date),
                display_name=edited.from_user.full_name,
                language=edited.from_user.language_code,
                unsupported="edit",
            )
        message = update.message
        if message is None or message.from_user is None or message.from_user.is_bot:
            return None
        if message.migrate_to_chat_id and message.chat_id == self.officers_chat_id:
            log.error(
                "the officers' group became chat %s: set [telegram] officers_chat_id to it",
                message.migrate_to_chat_id,
            )
            return None
        if message.chat.type == "private":
            return self._private(message)
        if message.chat_id == self.officers_chat_id:
            return self._group(message)
        log.info("message in unknown chat %s ignored", message.chat_id)
        return None

    def _private(self, message: Message) -> Inbound | OfficerMessage:
        user = message.from_user
        assert user is not None
        text = message.text or message.caption or ""
        command, args = _command(message.text or "")
        if user.id in self.staff and command in ("inviter", "invite"):
            return self._officer_message(message, command, args)
        if command is not None and command not in KNOWN_COMMANDS:
            command, args = None, ""  # "/politi der brænder" is a message: classify all of it
        media, unsupported = _media(message)
        return Inbound(
            channel=Channel.TELEGRAM,
            address=str(message.chat_id),
            dedupe_key=f"tg:{message.chat_id}:{message.message_id}",
            received_at=_date(message.date),
            text="" if command else text,
            display_name=user.full_name,
            language=user.language_code,
            media=media,
            unsupported=unsupported,
            command=command,
            args=args if command else "",
        )

    def _group(self, message: Message) -> OfficerMessage | None:
        if message.forum_topic_created or message.new_chat_members or message.left_chat_member:
            return None
        command, args = _command(message.text or "")
        return self._officer_message(message, command, args)

    def _officer_message(self, message: Message, command: str | None, args: str) -> OfficerMessage:
        user = message.from_user
        assert user is not None
        thread_id = message.message_thread_id if message.is_topic_message else None
        reply_to = message.reply_to_message
        reply_id = reply_to.message_id if reply_to is not None else None
        if reply_to is not None and (reply_to.forum_topic_created or reply_id == thread_id):
            reply_id = None  # the topic's root service message, not a real reply
        media, _ = _media(message)
        return OfficerMessage(
            dedupe_key=f"tg:{message.chat_id}:{message.message_id}",
            chat_id=message.chat_id,
            user_id=user.id,
            user_name=user.full_name,
            message_id=message.message_id,
            received_at=_date(message.date),
            text="" if command else (message.text or message.caption or ""),
            thread_id=thread_id,
            reply_to_message_id=reply_id,
            media=media,
            command=command,
            args=args,
        )

    def _callback(self, update: Update) -> Inbound | None:
        query = update.callback_query
        assert query is not None
        if query.message is None or query.message.chat.type != "private":
            return None
        return Inbound(
            channel=Channel.TELEGRAM,
            address=str(query.message.chat.id),
            dedupe_key=f"tgcb:{query.id}",
            received_at=datetime.now(UTC),
            display_name=query.from_user.full_name,
            language=query.from_user.language_code,
            callback=query.data or "",
        )


def _date(value: datetime | None) -> datetime:
    return value.astimezone(UTC) if value else datetime.now(UTC)


def _markup(item: Outbound) -> InlineKeyboardMarkup | None:
    if not item.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.text, callback_data=b.data) for b in row] for row in item.buttons]
    )


def translate(exc: TelegramError) -> Exception:
    """Map a Telegram error onto the outbox's retry policy."""
    if isinstance(exc, RetryAfter):
        seconds = _seconds(exc.retry_after)
        return TransientError(f"429 retry after {seconds}s", retry_after=seconds)
    if isinstance(exc, Forbidden):
        return PermanentError(FailReason.BLOCKED, exc.message)
    if isinstance(exc, ChatMigrated):
        return PermanentError(FailReason.BAD_REQUEST, f"chat migrated to {exc.new_chat_id}")
    if isinstance(exc, BadRequest):
        return PermanentError(FailReason.BAD_REQUEST, exc.message)
    if isinstance(exc, NetworkError):
        return TransientError(f"network: {exc.message}")
    return TransientError(f"telegram: {exc.message}")


class TelegramSender:
    """Sends to ambassadors' private chats (and answers staff in theirs)."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, item: Outbound) -> Sent:
        try:
            ids = await send_text_and_media(self.bot, int(item.address), item)
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
    ids: list[int] = []
    text = item.text
    reply = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to else None
    caption_fits = bool(text) and visible_length(text) <= CAPTION_LIMIT
    has_media = item.copy_from is not None or (item.media and fetch is not None)
    if text and not (has_media and caption_fits):
        parts = [text] if visible_length(text) <= TELEGRAM_TEXT_LIMIT else split_text(text, 3500)
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
                        chat_id, caption, parse_mode=ParseMode.HTML, message_thread_id=thread_id
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
                )
            else:
                sent = await bot.send_document(
                    chat_id,
                    data,
                    caption=caption,
                    parse_mode=ParseMode.HTML,
                    message_thread_id=thread_id,
                )
            ids.append(sent.message_id)
    return ids


class OfficersGroupSender:
    """Sends to the officers' group: a forum topic per ambassador, or replies mode."""

    def __init__(
        self, bot: Bot, db: Database, chat_id: int, mode: str, fetch: MediaFetcher | None = None
    ) -> None:
        self.bot = bot
        self.db = db
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
        if self.mode != "topics" or item.ambassador_id is None:
            return None
        async with self._topic_lock:
            async with self.db.read() as tx:
                thread_id = await tx.threads.topic(item.ambassador_id, self.chat_id)
            if thread_id is not None:
                return thread_id
            name = (item.thread_title or f"Ambassador {item.ambassador_id}")[:128]
            topic = await self.bot.create_forum_topic(self.chat_id, html.unescape(name))
            async with self.db.transaction() as tx:
                await tx.threads.set_topic(
                    item.ambassador_id, self.chat_id, topic.message_thread_id, datetime.now(UTC)
                )
            return topic.message_thread_id

    async def send(self, item: Outbound) -> Sent:
        try:
            if item.kind == OutKind.REACTION:
                if item.officer_message_id is not None:
                    await self.bot.set_message_reaction(
                        self.chat_id, item.officer_message_id, item.text or "👍"
                    )
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


class Poller:
    """Long polling that persists every update before asking for the next batch, because the
    next getUpdates call is what confirms the previous ones to Telegram."""

    def __init__(
        self,
        bot: Bot,
        db: Database,
        reader: UpdateReader,
        receive: Callable[[Inbound | OfficerMessage], Awaitable[bool]],
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
                await asyncio.sleep(_seconds(exc.retry_after))
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
    receive: Callable[[Inbound | OfficerMessage], Awaitable[bool]],
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


def _seconds(value: object) -> float:
    total = getattr(value, "total_seconds", None)
    return float(total()) if callable(total) else float(value)  # type: ignore[arg-type]
