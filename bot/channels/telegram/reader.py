"""Telegram updates in, the programme's arrivals out: flows never see a Telegram object.

The sandbox's pretend phones and group build Telegram-shaped updates and come through here
too, so what is tried in the sandbox is read exactly as Telegram's would be.
"""

from __future__ import annotations

import logging

from telegram import Message, Update

from flows.model import Attachment, Channel, Inbound, MediaKind, OfficerMessage
from flows.onboarding import code_reference
from flows.ports import Clock

log = logging.getLogger(__name__)

# Commands an ambassador or coordinator may give in a private chat. Any other "/word ..." is
# an ordinary message, so all of its words reach the classifier ("/politi der brænder").
KNOWN_COMMANDS = frozenset({
    "start", "help", "hjaelp", "hjælp", "stop", "aftale", "agreement", "sprog", "language",
    "kampagne", "broadcast", "udsendelse", "annuller", "cancel", "inviter", "invite",
    "puls", "pulse", "tryghed",
    # Staff's commands, so that anyone else gets a clear refusal instead of a relay.
    "ambassadoerer", "ambassadører", "ambassadors", "flyt", "move", "pause", "genoptag",
    "resume", "afslut", "end", "omdoeb", "omdøb", "rename", "invitationer", "invitations",
    "tilbagekald", "revoke", "ubesvarede", "unanswered", "tal", "figures", "statistik",
    "mine_data", "minedata", "mydata", "my_data", "slet", "delete", "logbog", "audit",
})  # fmt: skip
# What staff may write to the bot privately as well as in the group: the register, the
# unanswered list and the figures (flows/register.py, flows/cases.py, flows/reporting.py).
STAFF_COMMANDS = frozenset({
    "inviter", "invite", "ambassadoerer", "ambassadører", "ambassadors", "flyt", "move",
    "pause", "genoptag", "resume", "afslut", "end", "omdoeb", "omdøb", "rename",
    "invitationer", "invitations", "tilbagekald", "revoke", "ubesvarede", "unanswered",
    "tal", "figures", "statistik",
})  # fmt: skip
CASE_BUTTON = "case:"  # the ✅ button under a relayed message in the group: /klaret for it


def parse_command(text: str) -> tuple[str | None, str]:
    """("hjaelp", "rest of the text") for "/hjaelp@bot rest of the text"; (None, text) else."""
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
    """Normalises Telegram updates at the edge."""

    def __init__(
        self,
        officers_chat_id: int,
        staff_user_ids: frozenset[int],
        clock: Clock,
        bot_id: int | None = None,
    ) -> None:
        self.officers_chat_id = officers_chat_id
        self.staff = staff_user_ids
        self.clock = clock
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
                received_at=self.clock.now(),
                display_name=edited.from_user.full_name,
                language=edited.from_user.language_code,
                unsupported="edit",
                user_id=edited.from_user.id,
            )
        message = update.message
        if message is None or message.from_user is None or message.from_user.is_bot:
            return None
        if message.migrate_to_chat_id and message.chat_id == self.officers_chat_id:
            log.error(
                "the officers' group became another chat: set [telegram] officers_chat_id to %s",
                message.migrate_to_chat_id,
            )
            return None
        if message.chat.type == "private":
            return self._private(message)
        if message.chat_id == self.officers_chat_id:
            return self._group(message)
        log.debug("message in unknown chat %s ignored", message.chat_id)
        return None

    def _private(self, message: Message) -> Inbound | OfficerMessage:
        user = message.from_user
        assert user is not None
        text = message.text or message.caption or ""
        command, args = parse_command(message.text or "")
        if user.id in self.staff and command in STAFF_COMMANDS:
            return self._officer_message(message, command, args)
        if command is not None and command not in KNOWN_COMMANDS:
            command, args = None, ""  # "/politi der brænder" is a message: classify all of it
        if command == "start" and args:
            args = code_reference(args)  # an invitation code is never stored in clear
        media, unsupported = _media(message)
        return Inbound(
            channel=Channel.TELEGRAM,
            address=str(message.chat_id),
            dedupe_key=f"tg:{message.chat_id}:{message.message_id}",
            received_at=self.clock.now(),
            text="" if command else text,
            display_name=user.full_name,
            language=user.language_code,
            media=media,
            unsupported=unsupported,
            command=command,
            args=args if command else "",
            user_id=user.id,
        )

    def _group(self, message: Message) -> OfficerMessage | None:
        if message.forum_topic_created or message.new_chat_members or message.left_chat_member:
            return None
        command, args = parse_command(message.text or "")
        return self._officer_message(message, command, args)

    def _officer_message(self, message: Message, command: str | None, args: str) -> OfficerMessage:
        user = message.from_user
        assert user is not None
        thread_id = message.message_thread_id if message.is_topic_message else None
        reply_to = message.reply_to_message
        reply_id = reply_to.message_id if reply_to is not None else None
        title = None
        if reply_to is not None and (reply_to.forum_topic_created or reply_id == thread_id):
            reply_id = None  # the topic's root service message, not a real reply
            if reply_to.forum_topic_created is not None:
                title = reply_to.forum_topic_created.name
        media, _ = _media(message)
        return OfficerMessage(
            dedupe_key=f"tg:{message.chat_id}:{message.message_id}",
            chat_id=message.chat_id,
            user_id=user.id,
            user_name=user.full_name,
            message_id=message.message_id,
            received_at=self.clock.now(),
            text="" if command else (message.text or message.caption or ""),
            thread_id=thread_id,
            reply_to_message_id=reply_id,
            media=media,
            command=command,
            args=args,
            thread_title=title if thread_id is not None else None,
        )

    def _callback(self, update: Update) -> Inbound | OfficerMessage | None:
        query = update.callback_query
        assert query is not None
        if query.message is None:
            return None
        data = query.data or ""
        if query.message.chat.id == self.officers_chat_id and data.startswith(CASE_BUTTON):
            return self._case_button(update, data[len(CASE_BUTTON) :])
        if query.message.chat.type != "private":
            return None
        return Inbound(
            channel=Channel.TELEGRAM,
            address=str(query.message.chat.id),
            dedupe_key=f"tgcb:{query.id}",
            received_at=self.clock.now(),
            display_name=query.from_user.full_name,
            language=query.from_user.language_code,
            callback=query.data or "",
            user_id=query.from_user.id,  # the user who pressed it, not the chat it is in
        )

    def _case_button(self, update: Update, message_id: str) -> OfficerMessage | None:
        """✅ under a relayed message: the same as `/klaret` given as a reply to it."""
        query = update.callback_query
        assert query is not None and query.message is not None
        if not message_id.isdigit():
            return None
        pressed = query.message
        topic = getattr(pressed, "is_topic_message", False)
        return OfficerMessage(
            dedupe_key=f"tgcb:{query.id}",
            chat_id=pressed.chat.id,
            user_id=query.from_user.id,
            user_name=query.from_user.full_name,
            message_id=pressed.message_id,
            received_at=self.clock.now(),
            thread_id=getattr(pressed, "message_thread_id", None) if topic else None,
            command="klaret",
            args=message_id,
        )
