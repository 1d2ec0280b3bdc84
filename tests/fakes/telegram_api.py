"""A fake Telegram Bot API server on loopback for integration tests and benchmarks.

The real python-telegram-bot client talks to it over HTTP::

    async with FakeBotApi() as fake:
        bot = telegram.Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url)
        async with bot:
            await bot.send_message(chat_id, "hej")
        await fake.wait_for_sent(chat_id=chat_id)

What PTB 22.8 (``HTTPXRequest``) sends: never a JSON body. Without files it POSTs
``application/x-www-form-urlencoded`` (httpx ``data=``), with files ``multipart/form-data``.
Every value is a string: ``str`` parameters verbatim, everything else ``json.dumps``-ed
(ints as ``"123"``, booleans as ``"true"``, ``reply_markup``/``reply_parameters`` as JSON
objects in a string). A call without parameters (``getMe``) has an empty body. The fake also
accepts ``application/json`` bodies and query strings, as the real Bot API does.

Synchronisation is event driven: every finished API call, pushed update or long poll that
starts waiting wakes :meth:`FakeBotApi.wait_for`; there are no sleeps.

Failures: :meth:`FakeBotApi.fail_next` fails chosen calls; :class:`RateLimit` enforces
Telegram's flood limits; :class:`FaultProfile` (``fake.faults``) injects seeded random 5xx,
429, connection resets, lost answers and slow answers, counted in ``fake.injected``.
"""

from __future__ import annotations

import asyncio
import copy
import functools
import itertools
import json
import math
import random
import re
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Final

import aiohttp
from aiohttp import web

__all__ = [
    "MESSAGE_METHODS",
    "ApiCall",
    "ApiError",
    "EntityParseError",
    "FakeBotApi",
    "FaultProfile",
    "FileRecord",
    "RateLimit",
    "UploadedFile",
    "deliver_webhook",
    "parse_formatted_text",
]

JSONDict = dict[str, Any]

MAX_TEXT_LENGTH: Final = 4096
MAX_CAPTION_LENGTH: Final = 1024
MAX_TOPIC_NAME_LENGTH: Final = 128
TOPIC_ICON_COLORS: Final = (7322096, 16766590, 13338331, 9367192, 16749490, 16478047)

#: Methods that create a message in a chat (count towards rate limits, refused to blocked users).
MESSAGE_METHODS: Final = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendVoice",
        "sendVideo",
        "sendAudio",
        "sendAnimation",
        "sendSticker",
        "sendLocation",
        "sendContact",
        "sendMediaGroup",
        "copyMessage",
        "forwardMessage",
    }
)

# Form/multipart values that are plain strings and must never be JSON-decoded.
_STRING_PARAMS: Final = frozenset(
    {
        "text",
        "caption",
        "parse_mode",
        "name",
        "data",
        "url",
        "secret_token",
        "callback_query_id",
        "inline_message_id",
        "icon_custom_emoji_id",
        "business_connection_id",
        "language_code",
        "action",
        "emoji",
        "title",
        "description",
        "short_description",
        "file_id",
        "first_name",
        "last_name",
        "phone_number",
        "ip_address",
        "message_effect_id",
    }
)

_CHAT_ACTIONS: Final = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)

_MEDIA_KINDS: Final = {
    # kind: (file path folder, extension, mime type)
    "photo": ("photos", "jpg", "image/jpeg"),
    "document": ("documents", "pdf", "application/pdf"),
    "voice": ("voice", "oga", "audio/ogg"),
    "video": ("videos", "mp4", "video/mp4"),
    "audio": ("music", "mp3", "audio/mpeg"),
    "animation": ("animations", "mp4", "video/mp4"),
    "sticker": ("stickers", "webp", "image/webp"),
}
_CONTENT_KEYS: Final = (
    "text",
    "entities",
    "caption",
    "caption_entities",
    "photo",
    "document",
    "voice",
    "video",
    "audio",
    "animation",
    "sticker",
    "location",
    "contact",
)
_SERVICE_KEYS: Final = ("forum_topic_created", "forum_topic_edited", "new_chat_members")


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


@dataclass
class UploadedFile:
    """A file part of a multipart request."""

    field: str
    filename: str | None
    content_type: str | None
    content: bytes

    @property
    def size(self) -> int:
        return len(self.content)

    def summary(self) -> JSONDict:
        return {
            "uploaded": True,
            "filename": self.filename,
            "size": self.size,
            "content_type": self.content_type,
        }


@dataclass
class ApiCall:
    """One HTTP request to the Bot API, recorded when its response was sent."""

    method: str
    """Canonical method name (``sendMessage``), or the raw name for unknown methods."""
    params: JSONDict
    """Decoded parameters; uploaded files appear as ``{"uploaded": True, "size": n, ...}``."""
    time: float
    """Clock time (event loop time by default) when the request arrived."""
    status: int = 0
    response: JSONDict = field(default_factory=dict)
    files: dict[str, UploadedFile] = field(default_factory=dict)
    content_type: str = ""
    """Request Content-Type without parameters ('' for an empty body)."""
    finished: float = 0.0
    fault: str = ""
    """The fault injected by :attr:`FakeBotApi.faults` ('' for none): see :class:`FaultProfile`."""

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))

    @property
    def result(self) -> Any:
        return self.response.get("result")

    @property
    def chat_id(self) -> Any:
        return self.params.get("chat_id")

    def short(self) -> str:
        params = json.dumps(self.params, ensure_ascii=False, default=str)
        if len(params) > 160:
            params = params[:157] + "..."
        desc = "" if self.ok else f" {self.response.get('description')!r}"
        return f"{self.time:10.3f} {self.method} -> {self.status}{desc} {params}"


@dataclass
class FileRecord:
    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    kind: str
    mime_type: str | None = None
    file_name: str | None = None

    def file_dict(self) -> JSONDict:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
            "file_path": self.file_path,
        }


@dataclass
class RateLimit:
    """Optional flood control, off by default (``FakeBotApi.rate_limit = None``).

    Sliding windows over *successful* message-creating calls (:data:`MESSAGE_METHODS`).
    Exceeding a window answers 429 with ``retry_after`` = seconds until the oldest counted
    send leaves the window (at least 1).
    """

    per_second: int | None = 30
    """All chats together, per 1 s."""
    per_group_per_minute: int | None = 20
    """Per group/supergroup chat (negative chat id), per 60 s."""
    per_chat_per_second: int | None = None
    """Per single chat, per 1 s (Telegram's soft 1 msg/s advice for private chats)."""


FAULT_KINDS: Final = ("server_error", "rate_limited", "reset", "lost_answer", "slow")


@dataclass
class FaultProfile:
    """Seeded random faults, off by default (``FakeBotApi.faults = None``).

    Every call of one of ``methods`` (all methods when ``None``, ``getUpdates`` included) draws
    one random number from ``random.Random(seed)``; the rates are cumulative slices of [0, 1),
    so at most one fault hits a call and the same seed with the same sequence of calls gives
    the same faults. What each does, as the client sees it:

    - ``server_error``: HTTP 500 or 502 (PTB raises ``NetworkError``); nothing is done.
    - ``rate_limited``: HTTP 429 with ``retry_after`` (``RetryAfter``); nothing is done.
    - ``reset``: the connection is closed without an answer before anything is done.
    - ``lost_answer``: the call *is* carried out (the message exists), then the connection
      is closed without an answer: a client that retries sends it twice.
    - ``slow``: the answer comes ``slow_seconds`` late; the call is carried out at the end of
      the delay even when the client gave up before (as a slow server does), so a delay above
      the client's read timeout looks like a failure to the client but still creates the
      message.

    Injected faults are counted in ``FakeBotApi.injected`` and marked on ``ApiCall.fault``.
    """

    server_error: float = 0.0
    rate_limited: float = 0.0
    reset: float = 0.0
    lost_answer: float = 0.0
    slow: float = 0.0
    seed: int = 0
    retry_after: int = 1
    slow_seconds: float = 2.0
    server_error_statuses: tuple[int, ...] = (500, 502)
    methods: frozenset[str] | None = MESSAGE_METHODS
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        rates = [getattr(self, kind) for kind in FAULT_KINDS]
        if any(r < 0 for r in rates) or sum(rates) > 1.0:
            raise ValueError("fault rates must be at least 0 and add up to at most 1")
        if not self.server_error_statuses:
            raise ValueError("server_error_statuses must not be empty")
        self._rng = random.Random(self.seed)

    def applies_to(self, method: str) -> bool:
        return self.methods is None or method in self.methods

    def draw(self) -> str:
        """The fault for the next call ('' for none)."""
        roll = self._rng.random()
        edge = 0.0
        for kind in FAULT_KINDS:
            edge += getattr(self, kind)
            if roll < edge:
                return kind
        return ""

    def server_status(self) -> int:
        return self._rng.choice(self.server_error_statuses)


@dataclass
class _FailRule:
    method: str
    status: int
    description: str
    retry_after: int | None
    remaining: int
    chat_id: int | str | None


class ApiError(Exception):
    """Raised inside handlers; becomes ``{"ok": false, ...}`` with the HTTP status."""

    def __init__(self, status: int, description: str, parameters: JSONDict | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> JSONDict:
        body: JSONDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def _bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


def _default_description(status: int, retry_after: int | None) -> str:
    if status == 429:
        return f"Too Many Requests: retry after {retry_after or 1}"
    return {
        400: "Bad Request: injected failure",
        401: "Unauthorized",
        403: "Forbidden: bot was blocked by the user",
        404: "Not Found",
        409: "Conflict: terminated by other getUpdates request",
        500: "Internal Server Error",
        502: "Bad Gateway",
    }.get(status, f"Error {status}")


# --------------------------------------------------------------------------------------------
# Formatted text (HTML / MarkdownV2 / Markdown) -> plain text + entities, as Telegram does
# --------------------------------------------------------------------------------------------


class EntityParseError(ValueError):
    """Malformed markup; Telegram answers 400 "Bad Request: can't parse entities: ..."."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class _TextBuilder:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0  # in UTF-16 code units
        self.entities: list[JSONDict] = []

    def add(self, s: str) -> None:
        self.parts.append(s)
        self.pos += utf16_len(s)

    def entity(self, kind: str, start: int, **extra: Any) -> None:
        if self.pos > start:
            self.entities.append(
                {"type": kind, "offset": start, "length": self.pos - start, **extra}
            )

    def result(self) -> tuple[str, list[JSONDict]]:
        return _strip_text("".join(self.parts), self.entities)


def _strip_text(text: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """Trim surrounding whitespace like Telegram, moving/clipping entities."""
    stripped = text.strip()
    lead = utf16_len(text[: len(text) - len(text.lstrip())])
    total = utf16_len(stripped)
    out: list[JSONDict] = []
    for ent in entities:
        start = max(ent["offset"] - lead, 0)
        end = min(ent["offset"] + ent["length"] - lead, total)
        if end > start:
            out.append({**ent, "offset": start, "length": end - start})
    out.sort(key=lambda e: (e["offset"], -e["length"]))
    return stripped, out


_HTML_TAGS: Final = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_HTML_ENTITY_RE: Final = re.compile(r"&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});")
_HTML_NAMED: Final = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_ATTR_RE: Final = re.compile(
    r"""\s*([a-zA-Z][a-zA-Z0-9_-]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?"""
)


def _html_unescape(s: str) -> str:
    def repl(m: re.Match[str]) -> str:
        ref = m.group(1)
        if ref[0] == "#":
            code = int(ref[2:], 16) if ref[1] in "xX" else int(ref[1:])
            return chr(code) if 0 < code < 0x110000 else m.group(0)
        return _HTML_NAMED.get(ref.lower(), m.group(0))

    return _HTML_ENTITY_RE.sub(repl, s)


def _byte_offset(src: str, i: int) -> int:
    return len(src[:i].encode())


def _parse_html(src: str) -> tuple[str, list[JSONDict]]:
    out = _TextBuilder()
    stack: list[tuple[str, int, dict[str, str]]] = []
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if c == "&":
            m = _HTML_ENTITY_RE.match(src, i)
            if m:
                decoded = _html_unescape(m.group(0))
                out.add(decoded)
                i = m.end()
            else:
                out.add("&")
                i += 1
            continue
        if c != "<":
            j = i
            while j < n and src[j] not in "<&":
                j += 1
            out.add(src[i:j])
            i = j
            continue
        off = _byte_offset(src, i)
        if i + 1 < n and src[i + 1] == "/":
            j = src.find(">", i)
            if j < 0:
                raise EntityParseError(f"Unclosed end tag at byte offset {off}")
            name = src[i + 2 : j].strip().lower()
            if not stack:
                raise EntityParseError(f'Unexpected end tag "{name}" at byte offset {off}')
            open_name, start, open_attrs = stack.pop()
            if open_name != name:
                raise EntityParseError(
                    f'Unmatched end tag at byte offset {off}, expected "</{open_name}>", '
                    f'found "</{name}>"'
                )
            _close_html_tag(out, stack, open_name, start, open_attrs)
            i = j + 1
            continue
        j = i + 1
        while j < n and src[j] not in " \t\r\n>/":
            j += 1
        name = src[i + 1 : j].lower()
        if j >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {off}")
        if not name:
            raise EntityParseError(f"Empty tag name at byte offset {off}")
        if name not in _HTML_TAGS:
            raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {off}')
        attrs: dict[str, str] = {}
        while True:
            m = _HTML_ATTR_RE.match(src, j)
            if not m:
                break
            value = m.group(2) or ""
            if value[:1] in ("'", '"'):
                value = value[1:-1]
            attrs[m.group(1).lower()] = _html_unescape(value)
            j = m.end()
        while j < n and src[j] in " \t\r\n/":
            j += 1
        if j >= n or src[j] != ">":
            raise EntityParseError(f"Unclosed start tag at byte offset {off}")
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise EntityParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {off}')
        if name == "tg-emoji" and "emoji-id" not in attrs:
            raise EntityParseError(
                f'Tag "tg-emoji" must have attribute "emoji-id" at byte offset {off}'
            )
        stack.append((name, out.pos, attrs))
        i = j + 1
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return out.result()


def _close_html_tag(
    out: _TextBuilder,
    stack: list[tuple[str, int, dict[str, str]]],
    name: str,
    start: int,
    attrs: dict[str, str],
) -> None:
    kind = _HTML_TAGS[name]
    if kind == "text_link":
        href = attrs.get("href", "")
        if href.startswith("tg://user?id="):
            uid = int(href.split("=", 1)[1] or 0)
            user = {"id": uid, "is_bot": False, "first_name": f"User{uid}"}
            out.entity("text_mention", start, user=user)
        elif href:
            out.entity("text_link", start, url=href)
    elif kind == "code" and stack and stack[-1][0] == "pre":
        lang = attrs.get("class", "")
        if lang.startswith("language-"):
            stack[-1][2]["language"] = lang[len("language-") :]
        else:
            out.entity("code", start)
    elif kind == "pre":
        if attrs.get("language"):
            out.entity("pre", start, language=attrs["language"])
        else:
            out.entity("pre", start)
    elif kind == "blockquote":
        out.entity("expandable_blockquote" if "expandable" in attrs else "blockquote", start)
    elif kind == "custom_emoji":
        out.entity("custom_emoji", start, custom_emoji_id=attrs["emoji-id"])
    else:
        out.entity(kind, start)


_MDV2_RESERVED: Final = frozenset("_*[]()~`>#+-=|{}.!")
_MD_NAMES: Final = {
    "*": "bold",
    "_": "italic",
    "__": "underline",
    "~": "strikethrough",
    "||": "spoiler",
    "`": "code",
    "```": "pre",
    "[": "text_link",
}


def _parse_markdown(src: str, *, v2: bool) -> tuple[str, list[JSONDict]]:
    out = _TextBuilder()
    stack: list[tuple[str, int, int, str]] = []  # marker, start pos, byte offset, language
    markers = ("```", "||", "__", "*", "_", "~", "`", "[") if v2 else ("```", "*", "_", "`", "[")
    i, n = 0, len(src)
    line_start = True
    while i < n:
        c = src[i]
        top = stack[-1][0] if stack else None
        if c == "\\" and i + 1 < n and (v2 or src[i + 1] in "*_`["):
            out.add(src[i + 1])
            i += 2
            line_start = False
            continue
        if top in ("`", "```"):
            assert top is not None
            if src.startswith(top, i):
                _, start, _, lang = stack.pop()
                if top == "```" and lang:
                    out.entity("pre", start, language=lang)
                else:
                    out.entity(_MD_NAMES[top], start)
                i += len(top)
            else:
                out.add(c)
                i += 1
            continue
        marker = next((m for m in markers if src.startswith(m, i)), None)
        if marker == "[" or (marker is None and c == "]" and top == "["):
            if marker == "[":
                stack.append(("[", out.pos, _byte_offset(src, i), ""))
                i += 1
                continue
            end = src.find(")", i)
            if not src.startswith("(", i + 1) or end < 0:
                if v2:
                    raise EntityParseError(
                        f"Character '{c}' is reserved and must be escaped with the preceding '\\'"
                    )
                out.add(c)
                i += 1
                continue
            _, start, _, _ = stack.pop()
            out.entity("text_link", start, url=src[i + 2 : end].replace("\\", ""))
            i = end + 1
            continue
        if marker is not None:
            if top == marker:
                _, start, _, _ = stack.pop()
                out.entity(_MD_NAMES[marker], start)
                i += len(marker)
            else:
                lang = ""
                i += len(marker)
                if marker == "```":
                    nl = src.find("\n", i)
                    if nl >= 0 and re.fullmatch(r"[\w+#.-]*", src[i:nl]):
                        lang, i = src[i:nl], nl + 1
                stack.append((marker, out.pos, _byte_offset(src, i - len(marker)), lang))
            line_start = False
            continue
        if v2 and c == ">" and line_start:
            i += 1  # blockquote marker (no entity recorded by the fake)
            continue
        if v2 and c in _MDV2_RESERVED:
            raise EntityParseError(
                f"Character '{c}' is reserved and must be escaped with the preceding '\\'"
            )
        out.add(c)
        line_start = c == "\n"
        i += 1
    if stack:
        marker, _, off, _ = stack[-1]
        if v2:
            name = _MD_NAMES[marker].replace("_", " ").title().replace(" ", "")
            raise EntityParseError(f"Can't find end of {name} entity at byte offset {off}")
        raise EntityParseError(f"Can't find end of the entity starting at byte offset {off}")
    return out.result()


def parse_formatted_text(text: str, parse_mode: str | None) -> tuple[str, list[JSONDict]]:
    """Return (visible text, entities) the way Telegram would; raises EntityParseError."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return _parse_html(text)
    if mode == "markdownv2":
        return _parse_markdown(text, v2=True)
    if mode == "markdown":
        return _parse_markdown(text, v2=False)
    if mode:
        raise ApiError(400, f"Bad Request: unsupported parse_mode {parse_mode!r}")
    return _strip_text(text, [])


_COMMAND_RE: Final = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?")


def _command_entities(text: str) -> list[JSONDict]:
    return [
        {"type": "bot_command", "offset": utf16_len(text[: m.start()]), "length": utf16_len(m[0])}
        for m in _COMMAND_RE.finditer(text)
    ]


# --------------------------------------------------------------------------------------------
# The fake server
# --------------------------------------------------------------------------------------------

Handler = Callable[["_Request"], Any]


@dataclass
class _Request:
    params: JSONDict
    files: dict[str, UploadedFile]

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)

    def int_or_none(self, key: str) -> int | None:
        value = self.params.get(key)
        if value is None or value == "":
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise _bad(f'field "{key}" must be an integer') from None


@dataclass
class _Topic:
    thread_id: int
    name: str
    icon_color: int
    root: JSONDict
    icon_custom_emoji_id: str | None = None
    closed: bool = False


class FakeBotApi:
    """Fake Bot API server. See the module docstring."""

    def __init__(
        self,
        *,
        token: str = "123:TEST",
        bot_username: str = "tryghedsbot_test",
        bot_id: int = 999,
        bot_first_name: str = "Tryghedsbot",
        max_poll_timeout: float = 1.0,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self.token = token
        self.bot_id = bot_id
        self.bot_user: JSONDict = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
        }
        self.max_poll_timeout = max_poll_timeout
        """Upper bound for a getUpdates long poll, whatever ``timeout`` the client asked for."""
        self._clock = clock
        self.base_url = ""
        self.base_file_url = ""
        self.url = ""

        self.calls: list[ApiCall] = []
        self.internal_errors: list[BaseException] = []
        self.rate_limit: RateLimit | None = None
        self.faults: FaultProfile | None = None
        """Random faults (see :class:`FaultProfile`); None: none."""
        self.injected: Counter[str] = Counter()
        """How many faults of each kind (``FAULT_KINDS``) were injected."""
        self.webhook: JSONDict | None = None
        self.commands: dict[str, list[JSONDict]] = {}
        self.reactions: dict[tuple[int, int], list[JSONDict]] = {}
        self.callback_answers: dict[str, JSONDict] = {}
        self.chat_actions: list[tuple[int, str]] = []
        self.pending_polls = 0

        self._users: dict[int, JSONDict] = {bot_id: dict(self.bot_user)}
        self._chats: dict[int, JSONDict] = {}
        self._group_admin: dict[int, bool] = {}
        self._member_status: dict[tuple[int, int], str] = {}
        self._topics: dict[int, dict[int, _Topic]] = {}
        self._messages: dict[tuple[int, int], JSONDict] = {}
        self._sent: list[JSONDict] = []
        self._sent_index: dict[tuple[int, int], JSONDict] = {}
        self._next_message_id: dict[int, int] = {}
        self._blocked: set[int] = set()
        self._failures: list[_FailRule] = []
        self._updates: list[JSONDict] = []
        self._allowed_updates: list[str] | None = None
        self._update_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._open_callbacks: set[str] = set()
        self._files: dict[str, FileRecord] = {}
        self._file_paths: dict[str, FileRecord] = {}
        self._file_counter = itertools.count(1)
        self._sends: deque[tuple[float, int]] = deque()  # (time, chat id) of counted sends
        self._changed = asyncio.Event()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._handlers: dict[str, Handler] = self._build_handlers()
        self._by_lower = {name.lower(): name for name in self._handlers}

    # ---------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        self.base_url = f"{self.url}/bot"
        self.base_file_url = f"{self.url}/file/bot"
        self._closing = False

    async def stop(self) -> None:
        self._closing = True
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    def _now(self) -> float:
        if self._clock is not None:
            return self._clock()
        return asyncio.get_running_loop().time()

    @staticmethod
    def _date() -> int:
        return int(time.time())

    def _notify(self) -> None:
        event, self._changed = self._changed, asyncio.Event()
        event.set()

    # ---------------------------------------------------------------- inspection / waiting

    def calls_of(self, method: str) -> list[ApiCall]:
        return [c for c in self.calls if c.method == method]

    def sent_messages(self, chat_id: int | None = None) -> list[JSONDict]:
        """Messages the bot created, oldest first.

        Each is the Message dict the fake returned (``text``/``caption`` are the *visible* text,
        markup removed, with ``entities``) plus fake-only keys: ``method``, ``kind``,
        ``parse_mode``, ``raw_text`` / ``raw_caption`` (as sent), ``reply_markup`` (as sent,
        any keyboard type), ``deleted``, and ``copied_from`` for copies.
        """
        return [m for m in self._sent if chat_id is None or m["chat"]["id"] == chat_id]

    def message(self, chat_id: int, message_id: int) -> JSONDict | None:
        """A live message (sent by the bot or injected), as Telegram would serialise it."""
        return self._messages.get((chat_id, message_id))

    def topics(self, chat_id: int) -> dict[int, str]:
        return {tid: t.name for tid, t in self._topics.get(chat_id, {}).items()}

    def dump_calls(self, last: int = 25) -> str:
        lines = [c.short() for c in self.calls[-last:]]
        return "\n".join(lines) if lines else "(no calls)"

    async def wait_for(
        self,
        predicate: Callable[[FakeBotApi], bool],
        timeout: float = 5.0,
    ) -> None:
        """Wait until ``predicate(self)`` is true; re-checked after every call/update."""
        try:
            async with asyncio.timeout(timeout):
                while not predicate(self):
                    await self._changed.wait()
        except TimeoutError:
            raise TimeoutError(
                f"FakeBotApi.wait_for: condition not met within {timeout}s. "
                f"Recent calls:\n{self.dump_calls()}"
            ) from None

    async def wait_for_call(
        self,
        method: str,
        count: int = 1,
        predicate: Callable[[ApiCall], bool] | None = None,
        timeout: float = 5.0,
        *,
        since: int = 0,
    ) -> list[ApiCall]:
        """Wait for ``count`` finished calls of ``method`` (from index ``since`` of ``calls``)."""

        def matching() -> list[ApiCall]:
            return [
                c
                for c in self.calls[since:]
                if c.method == method and (predicate is None or predicate(c))
            ]

        await self.wait_for(lambda _: len(matching()) >= count, timeout)
        return matching()

    async def wait_for_sent(
        self,
        chat_id: int | None = None,
        count: int = 1,
        predicate: Callable[[JSONDict], bool] | None = None,
        timeout: float = 5.0,
    ) -> list[JSONDict]:
        """Wait until at least ``count`` (matching) messages were sent; return them."""

        def matching() -> list[JSONDict]:
            return [m for m in self.sent_messages(chat_id) if predicate is None or predicate(m)]

        await self.wait_for(lambda _: len(matching()) >= count, timeout)
        return matching()

    # ---------------------------------------------------------------- world set-up

    def add_private_user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str = "da",
    ) -> JSONDict:
        """A user who has started the bot (so a private chat exists). Returns the User dict."""
        user = self._add_user(user_id, first_name, last_name, username, language_code)
        chat: JSONDict = {"id": user_id, "type": "private", "first_name": first_name}
        if last_name:
            chat["last_name"] = last_name
        if username:
            chat["username"] = username
        self._chats[user_id] = chat
        return dict(user)

    def _add_user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "da",
    ) -> JSONDict:
        user: JSONDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        self._users[user_id] = user
        return user

    def _user(self, user_id: int) -> JSONDict:
        """Known user, or an auto-created one (group member who never started the bot)."""
        if user_id not in self._users:
            self._add_user(user_id, f"User{user_id}", language_code=None)
        return self._users[user_id]

    def add_group(
        self,
        chat_id: int,
        title: str = "Betjente",
        *,
        is_forum: bool,
        bot_is_admin: bool = True,
        username: str | None = None,
    ) -> None:
        """A supergroup the bot is in (admin with ``can_manage_topics`` by default)."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative (e.g. -100123...)")
        chat: JSONDict = {"id": chat_id, "type": "supergroup", "title": title}
        if is_forum:
            chat["is_forum"] = True
        if username:
            chat["username"] = username
        self._chats[chat_id] = chat
        self._group_admin[chat_id] = bot_is_admin
        self._topics.setdefault(chat_id, {})
        # message_thread_id 1 is a forum's General topic, so group message ids start above it
        self._next_message_id.setdefault(chat_id, 2)

    def set_member_status(self, chat_id: int, user_id: int, status: str) -> None:
        """Override getChatMember: creator/administrator/member/restricted/left/kicked."""
        self._member_status[(chat_id, user_id)] = status

    def add_topic(
        self,
        chat_id: int,
        name: str,
        *,
        creator_user_id: int | None = None,
        icon_color: int = TOPIC_ICON_COLORS[0],
    ) -> int:
        """A topic created by someone (default: the bot) in a forum; returns its thread id."""
        chat = self._chats.get(chat_id)
        if chat is None or not chat.get("is_forum"):
            raise ValueError(f"chat {chat_id} is not a known forum group")
        creator = self.bot_user if creator_user_id is None else self._user(creator_user_id)
        return self._create_topic(chat, creator, name, icon_color, None).thread_id

    def block_user(self, chat_id: int) -> None:
        """Every send to this chat answers 403 "Forbidden: bot was blocked by the user"."""
        self._blocked.add(chat_id)

    def unblock_user(self, chat_id: int) -> None:
        self._blocked.discard(chat_id)

    def add_file(
        self,
        content: bytes,
        kind: str = "document",
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
    ) -> FileRecord:
        """Register downloadable content; use ``record.file_id`` in sends or updates."""
        n = next(self._file_counter)
        folder, ext, default_mime = _MEDIA_KINDS.get(kind, ("documents", "bin", None))
        if file_name and "." in file_name:
            ext = file_name.rsplit(".", 1)[1]
        rec = FileRecord(
            file_id=f"FAKE{kind.upper()}{n:06d}" + "A" * 20,
            file_unique_id=f"U{kind[:3]}{n:06d}",
            file_path=f"{folder}/file_{n}.{ext}",
            content=content,
            kind=kind,
            mime_type=mime_type or default_mime,
            file_name=file_name,
        )
        self._files[rec.file_id] = rec
        self._file_paths[rec.file_path] = rec
        return rec

    def file_by_id(self, file_id: str) -> FileRecord | None:
        return self._files.get(file_id)

    # ---------------------------------------------------------------- failure injection

    def fail_next(
        self,
        method: str,
        *,
        status: int,
        description: str | None = None,
        retry_after: int | None = None,
        count: int = 1,
        chat_id: int | str | None = None,
    ) -> None:
        """The next ``count`` calls of ``method`` (to ``chat_id`` if given) fail.

        ``status=429`` sends ``parameters.retry_after`` (default 1 s) and PTB raises
        ``RetryAfter``; 500/502 become ``NetworkError``, 400 ``BadRequest``, 403 ``Forbidden``.
        """
        canonical = self._by_lower.get(method.lower(), method)
        if status == 429 and retry_after is None:
            retry_after = 1
        self._failures.append(
            _FailRule(
                method=canonical,
                status=status,
                description=description or _default_description(status, retry_after),
                retry_after=retry_after,
                remaining=count,
                chat_id=chat_id,
            )
        )

    def clear_failures(self) -> None:
        """Forget every pending failure: the Bot API is healthy again."""
        self._failures.clear()

    # ---------------------------------------------------------------- incoming updates

    def push_update(self, update: JSONDict) -> int:
        """Queue an Update dict for getUpdates (kept sorted by update_id). Returns its id."""
        if "update_id" not in update:
            update["update_id"] = next(self._update_ids)
        idx = len(self._updates)
        while idx > 0 and self._updates[idx - 1]["update_id"] > update["update_id"]:
            idx -= 1
        self._updates.insert(idx, update)
        self._notify()
        return int(update["update_id"])

    @property
    def pending_updates(self) -> list[JSONDict]:
        return list(self._updates)

    def make_private_message(
        self,
        user_id: int,
        text: str | None = None,
        *,
        photo: bool | bytes = False,
        voice: bool | bytes = False,
        video: bool | bytes = False,
        document: bool | bytes = False,
        location: tuple[float, float] | None = None,
        sticker: bool = False,
        contact: bool | JSONDict = False,
        reply_to_message_id: int | None = None,
        entities: list[JSONDict] | None = None,
    ) -> JSONDict:
        """An Update with a message from ``user_id`` in its private chat with the bot.

        With media, ``text`` becomes the caption. Commands get ``bot_command`` entities.
        The user must have been added with :meth:`add_private_user` (auto-added otherwise).
        """
        if user_id not in self._chats:
            self.add_private_user(user_id, f"User{user_id}")
        user = self._users[user_id]
        chat = self._chats[user_id]
        content = self._incoming_content(
            user,
            text,
            photo=photo,
            voice=voice,
            video=video,
            document=document,
            location=location,
            sticker=sticker,
            contact=contact,
            entities=entities,
        )
        reply = self._reply_target(user_id, reply_to_message_id)
        msg = self._new_message(chat, user, content, thread_id=None, reply_to=reply)
        return {"update_id": next(self._update_ids), "message": copy.deepcopy(msg)}

    def make_group_message(
        self,
        chat_id: int,
        user_id: int,
        text: str | None = None,
        *,
        message_thread_id: int | None = None,
        is_topic_message: bool | None = None,
        reply_to_message_id: int | None = None,
        photo: bool | bytes = False,
        voice: bool | bytes = False,
        video: bool | bytes = False,
        document: bool | bytes = False,
        location: tuple[float, float] | None = None,
        sticker: bool = False,
        contact: bool | JSONDict = False,
        entities: list[JSONDict] | None = None,
    ) -> JSONDict:
        """An Update with a message from ``user_id`` in group ``chat_id``.

        In a forum topic (``message_thread_id``) without an explicit reply, ``reply_to_message``
        is the topic's ``forum_topic_created`` service message and ``is_topic_message`` is
        true, like real Telegram. In a plain supergroup a reply gets ``message_thread_id`` =
        the reply chain's root (without ``is_topic_message``).
        """
        chat = self._chats.get(chat_id)
        if chat is None or chat["type"] == "private":
            raise ValueError(f"unknown group {chat_id}; call add_group() first")
        if (
            chat.get("is_forum")
            and message_thread_id is not None
            and message_thread_id not in self._topics.get(chat_id, {})
        ):
            raise ValueError(f"no topic {message_thread_id} in chat {chat_id}")
        user = self._user(user_id)
        content = self._incoming_content(
            user,
            text,
            photo=photo,
            voice=voice,
            video=video,
            document=document,
            location=location,
            sticker=sticker,
            contact=contact,
            entities=entities,
        )
        reply = self._reply_target(chat_id, reply_to_message_id)
        msg = self._new_message(chat, user, content, thread_id=message_thread_id, reply_to=reply)
        if is_topic_message is not None:
            if is_topic_message:
                msg["is_topic_message"] = True
            else:
                msg.pop("is_topic_message", None)
        return {"update_id": next(self._update_ids), "message": copy.deepcopy(msg)}

    def make_callback_query(self, user_id: int, data: str, message: JSONDict) -> JSONDict:
        """An Update with a callback query pressed by ``user_id`` on ``message``.

        ``message`` may be a dict from :meth:`sent_messages`; the clean stored message is used.
        """
        user = self._user(user_id)
        key = (message["chat"]["id"], message["message_id"])
        stored = self._messages.get(key)
        msg = copy.deepcopy(stored) if stored is not None else _clean_message(message)
        cq_id = str(4_000_000_000_000_000 + next(self._callback_ids))
        self._open_callbacks.add(cq_id)
        return {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": cq_id,
                "from": dict(user),
                "chat_instance": str(abs(key[0]) * 7 + 13),
                "data": data,
                "message": msg,
            },
        }

    def _reply_target(self, chat_id: int, message_id: int | None) -> JSONDict | None:
        if message_id is None:
            return None
        found = self._messages.get((chat_id, message_id))
        if found is None:
            raise ValueError(f"no message {message_id} in chat {chat_id} to reply to")
        return found

    def _incoming_content(
        self,
        user: JSONDict,
        text: str | None,
        *,
        photo: bool | bytes,
        voice: bool | bytes,
        video: bool | bytes,
        document: bool | bytes,
        location: tuple[float, float] | None,
        sticker: bool,
        contact: bool | JSONDict,
        entities: list[JSONDict] | None,
    ) -> JSONDict:
        content: JSONDict = {}
        media = False
        for kind, flag in (
            ("photo", photo),
            ("voice", voice),
            ("video", video),
            ("document", document),
            ("sticker", sticker),
        ):
            if flag is False:
                continue
            data = flag if isinstance(flag, bytes) else f"fake {kind} content".encode()
            name = "dokument.pdf" if kind == "document" else None
            rec = self.add_file(data, kind, file_name=name)
            content.update(_media_content(kind, rec, {}))
            media = True
        if location is not None:
            content["location"] = {"latitude": location[0], "longitude": location[1]}
        if contact:
            content["contact"] = (
                dict(contact)
                if isinstance(contact, dict)
                else {
                    "phone_number": "+4512345678",
                    "first_name": user["first_name"],
                    "user_id": user["id"],
                }
            )
        if text is not None:
            ents = entities if entities is not None else _command_entities(text)
            key = "caption" if media else "text"
            content[key] = text
            if ents:
                content[f"{key}_entities" if media else "entities"] = ents
        if not content:
            raise ValueError("a message needs text or some content")
        return content

    # ---------------------------------------------------------------- message store

    def _new_message(
        self,
        chat: JSONDict,
        sender: JSONDict,
        content: JSONDict,
        *,
        thread_id: int | None,
        reply_to: JSONDict | None,
    ) -> JSONDict:
        chat_id = int(chat["id"])
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        msg: JSONDict = {
            "message_id": message_id,
            "from": dict(sender),
            "date": self._date(),
            "chat": dict(chat),
        }
        reply = reply_to
        if chat.get("is_forum") and thread_id is None and reply and reply.get("is_topic_message"):
            thread_id = reply.get("message_thread_id")  # a reply goes to the replied topic
        if chat.get("is_forum") and thread_id is not None:
            msg["message_thread_id"] = thread_id
            msg["is_topic_message"] = True
            if reply is None:
                reply = self._topics[chat_id][thread_id].root
        elif chat["type"] == "supergroup" and reply is not None:
            msg["message_thread_id"] = reply.get("message_thread_id", reply["message_id"])
        elif thread_id is not None:
            msg["message_thread_id"] = thread_id
        if reply is not None:
            msg["reply_to_message"] = _shallow(reply)
        msg.update(content)
        self._messages[(chat_id, message_id)] = msg
        return msg

    def _record_sent(self, msg: JSONDict, method: str, p: _Request, **extra: Any) -> JSONDict:
        kind = next((k for k in _KINDS if k in msg), "other")
        record = copy.deepcopy(msg)
        record.update(
            method=method,
            kind=kind,
            parse_mode=p.get("parse_mode"),
            reply_markup=p.get("reply_markup"),
            deleted=False,
        )
        if "text" in msg and method == "sendMessage":
            record["raw_text"] = p.get("text")
        if p.get("caption") is not None:
            record["raw_caption"] = p.get("caption")
        record.update(extra)
        self._sent.append(record)
        self._sent_index[(msg["chat"]["id"], msg["message_id"])] = record
        return record

    def _update_sent(self, msg: JSONDict, **changes: Any) -> None:
        record = self._sent_index.get((msg["chat"]["id"], msg["message_id"]))
        if record is None:
            return
        for key in ("text", "entities", "caption", "caption_entities", "edit_date"):
            if key in msg:
                record[key] = copy.deepcopy(msg[key])
            else:
                record.pop(key, None)
        record.update(changes)

    # ---------------------------------------------------------------- HTTP

    async def _read_params(
        self, request: web.Request
    ) -> tuple[JSONDict, dict[str, UploadedFile], str]:
        ctype = request.content_type if request.body_exists else ""
        raw: dict[str, str] = dict(request.query)
        files: dict[str, UploadedFile] = {}
        params: JSONDict = {}
        if ctype == "application/json":
            body = await request.read()
            if body.strip():
                try:
                    loaded = json.loads(body)
                except ValueError:
                    raise _bad("can't parse JSON request body") from None
                if not isinstance(loaded, dict):
                    raise _bad("JSON request body must be an object")
                params.update(loaded)
        elif ctype == "multipart/form-data":
            reader = await request.multipart()
            async for part in reader:
                if not isinstance(part, aiohttp.BodyPartReader) or part.name is None:
                    continue
                data = await part.read(decode=True)
                if part.filename is not None:
                    files[part.name] = UploadedFile(
                        part.name,
                        part.filename,
                        part.headers.get("Content-Type"),
                        bytes(data),
                    )
                else:
                    raw[part.name] = data.decode()
        elif request.body_exists:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, str):
                    raw[key] = value
        for key, value in raw.items():
            params.setdefault(key, _decode_form_value(key, value))
        # Resolve attach://name references and single-file uploads
        for key, value in list(params.items()):
            if isinstance(value, str) and value.startswith("attach://"):
                name = value[len("attach://") :]
                if name in files:
                    files.setdefault(key, files[name])
                    params[key] = files[name].summary()
        for key, upload in files.items():
            params.setdefault(key, upload.summary())
        return params, files, ctype

    async def _handle_api(self, request: web.Request) -> web.Response:
        started = self._now()
        raw_method = request.match_info["method"]
        method = self._by_lower.get(raw_method.lower(), raw_method)
        call = ApiCall(method=method, params={}, time=started)
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            params, files, ctype = await self._read_params(request)
            call.params, call.files, call.content_type = params, files, ctype
            handler = self._handlers.get(method)
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            req = _Request(params, files)
            call.fault = self._draw_fault(method)
            if call.fault == "reset":
                return self._drop(request, call)
            await self._apply_fault(call.fault)
            self._check_injected(method, req)
            if method == "getUpdates":
                result = await self._get_updates(req)
            else:
                self._check_blocked_and_rate(method, req)
                result = handler(req)
                if method in MESSAGE_METHODS:
                    for _ in result if isinstance(result, list) else [result]:
                        self._count_send(req)
            body: JSONDict = {"ok": True, "result": result}
            status = 200
        except ApiError as err:
            body, status = err.body(), err.status
        except Exception as err:  # a bug in the fake: answer 500 and keep it for the test
            self.internal_errors.append(err)
            body = {
                "ok": False,
                "error_code": 500,
                "description": f"Internal Server Error: fake failed: {err!r}",
            }
            status = 500
        call.status, call.response = status, copy.deepcopy(body)
        if call.fault == "lost_answer":
            return self._drop(request, call)
        call.finished = self._now()
        self.calls.append(call)
        self._notify()
        return web.json_response(body, status=status, dumps=_dumps)

    def _draw_fault(self, method: str) -> str:
        faults = self.faults
        if faults is None or not faults.applies_to(method):
            return ""
        fault = faults.draw()
        if fault:
            self.injected[fault] += 1
        return fault

    async def _apply_fault(self, fault: str) -> None:
        faults = self.faults
        if not fault or faults is None:
            return
        if fault == "slow":
            await asyncio.sleep(faults.slow_seconds)
        elif fault == "server_error":
            status = faults.server_status()
            raise ApiError(status, _default_description(status, None))
        elif fault == "rate_limited":
            retry = max(1, faults.retry_after)
            raise ApiError(429, _default_description(429, retry), {"retry_after": retry})

    def _drop(self, request: web.Request, call: ApiCall) -> web.Response:
        """Close the connection without an answer (an injected reset or lost answer)."""
        call.finished = self._now()
        self.calls.append(call)
        self._notify()
        if request.transport is not None:
            request.transport.abort()
        return web.Response(status=500)  # never reaches the client: the connection is gone

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        rec = self._file_paths.get(request.match_info["path"])
        if rec is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        return web.Response(
            body=rec.content, content_type=rec.mime_type or "application/octet-stream"
        )

    # ---------------------------------------------------------------- checks

    def _check_injected(self, method: str, p: _Request) -> None:
        for rule in self._failures:
            if rule.method != method or rule.remaining <= 0:
                continue
            if rule.chat_id is not None and str(p.get("chat_id")) != str(rule.chat_id):
                continue
            rule.remaining -= 1
            self._failures = [r for r in self._failures if r.remaining > 0]
            params = {"retry_after": rule.retry_after} if rule.retry_after is not None else None
            raise ApiError(rule.status, rule.description, params)

    def _check_blocked_and_rate(self, method: str, p: _Request) -> None:
        if method not in MESSAGE_METHODS and method != "sendChatAction":
            return
        chat_id = p.get("chat_id")
        if isinstance(chat_id, int) and chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if method == "sendChatAction" or self.rate_limit is None or not isinstance(chat_id, int):
            return
        limit, now = self.rate_limit, self._now()
        while self._sends and self._sends[0][0] <= now - 60.0:
            self._sends.popleft()
        checks: list[tuple[int | None, float, Callable[[int], bool]]] = [
            (limit.per_second, 1.0, lambda _c: True),
            (limit.per_chat_per_second, 1.0, lambda c: c == chat_id),
        ]
        if chat_id < 0:
            checks.append((limit.per_group_per_minute, 60.0, lambda c: c == chat_id))
        for allowed, window, match in checks:
            if not allowed:
                continue
            inside = [t for t, c in self._sends if t > now - window and match(c)]
            if len(inside) >= allowed:
                retry = max(1, math.ceil(inside[-allowed] + window - now))
                raise ApiError(
                    429, f"Too Many Requests: retry after {retry}", {"retry_after": retry}
                )

    def _count_send(self, p: _Request) -> None:
        chat_id = p.get("chat_id")
        if isinstance(chat_id, int):
            self._sends.append((self._now(), chat_id))

    def _chat(self, value: Any, key: str = "chat_id") -> JSONDict:
        if value is None or value == "":
            raise _bad(f"{key} is empty")
        if isinstance(value, str):
            if value.startswith("@"):
                for known in self._chats.values():
                    if known.get("username", "").lower() == value[1:].lower():
                        return known
                raise _bad("chat not found")
            try:
                value = int(value)
            except ValueError:
                raise _bad("chat not found") from None
        chat = self._chats.get(int(value))
        if chat is None:
            if int(value) in self._users:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
            raise _bad("chat not found")
        return chat

    def _thread(self, chat: JSONDict, p: _Request) -> int | None:
        thread_id = p.int_or_none("message_thread_id")
        if thread_id is None:
            return None
        chat_id = chat["id"]
        if chat.get("is_forum"):
            if thread_id == 1:  # the General topic
                return None
            topic = self._topics.get(chat_id, {}).get(thread_id)
            if topic is None:
                raise _bad("message thread not found")
            if topic.closed and not self._group_admin.get(chat_id):
                raise _bad("TOPIC_CLOSED")
            return thread_id
        if (chat_id, thread_id) not in self._messages:
            raise _bad("message thread not found")
        return thread_id

    def _reply(self, chat: JSONDict, p: _Request) -> JSONDict | None:
        params = p.get("reply_parameters")
        if isinstance(params, dict):
            message_id = params.get("message_id")
            allow = bool(params.get("allow_sending_without_reply"))
            target_chat = chat
            if params.get("chat_id") not in (None, chat["id"]):
                target_chat = self._chat(params["chat_id"])
        else:
            message_id = p.int_or_none("reply_to_message_id")
            allow = bool(p.get("allow_sending_without_reply"))
            target_chat = chat
        if message_id is None:
            return None
        found = self._messages.get((target_chat["id"], int(message_id)))
        if found is None and not allow:
            raise _bad("message to be replied not found")
        return found

    def _formatted(self, text: Any, p: _Request, *, caption: bool) -> tuple[str, list[JSONDict]]:
        limit = MAX_CAPTION_LENGTH if caption else MAX_TEXT_LENGTH
        given = p.get("caption_entities" if caption else "entities")
        try:
            if isinstance(given, list) and not p.get("parse_mode"):
                plain, ents = _strip_text(str(text), given)
            else:
                plain, ents = parse_formatted_text(str(text), p.get("parse_mode"))
        except EntityParseError as err:
            raise _bad(f"can't parse entities: {err}") from None
        if not caption and not plain:
            raise _bad("message text is empty")
        if len(plain) > limit:
            raise _bad("message caption is too long" if caption else "message is too long")
        return plain, ents

    # ---------------------------------------------------------------- method handlers

    def _build_handlers(self) -> dict[str, Handler]:
        true: Handler = lambda _p: True  # noqa: E731
        handlers: dict[str, Handler] = {
            "getMe": self._get_me,
            "logOut": true,
            "close": true,
            "getUpdates": lambda _p: [],  # handled asynchronously in _handle_api
            "setWebhook": self._set_webhook,
            "deleteWebhook": self._delete_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "sendMessage": self._send_message,
            "sendLocation": self._send_location,
            "sendMediaGroup": self._send_media_group,
            "sendContact": self._send_contact,
            "copyMessage": self._copy_message,
            "forwardMessage": self._forward_message,
            "createForumTopic": self._create_forum_topic,
            "editForumTopic": self._edit_forum_topic,
            "closeForumTopic": lambda p: self._set_topic_closed(p, closed=True),
            "reopenForumTopic": lambda p: self._set_topic_closed(p, closed=False),
            "deleteForumTopic": self._delete_forum_topic,
            "setMessageReaction": self._set_message_reaction,
            "answerCallbackQuery": self._answer_callback_query,
            "editMessageText": self._edit_message_text,
            "editMessageCaption": self._edit_message_caption,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "getFile": self._get_file,
            "setMyCommands": self._set_my_commands,
            "getMyCommands": self._get_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "sendChatAction": self._send_chat_action,
            "setMyDescription": true,
            "setMyShortDescription": true,
            "setMyName": true,
            "setChatMenuButton": true,
            "pinChatMessage": true,
            "unpinChatMessage": true,
        }
        for kind in ("photo", "document", "voice", "video", "audio", "animation", "sticker"):
            method = "send" + kind.capitalize()
            handlers[method] = functools.partial(self._send_media, kind=kind, method=method)
        return handlers

    def _get_me(self, _p: _Request) -> JSONDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, p: _Request) -> list[JSONDict]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = p.int_or_none("offset")
        limit = p.int_or_none("limit") or 100
        limit = min(max(limit, 1), 100)
        timeout = float(p.get("timeout") or 0)
        allowed = p.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(a) for a in allowed] or None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + min(max(timeout, 0.0), self.max_poll_timeout)
        while True:
            updates = self._take_updates(offset, limit)
            remaining = deadline - loop.time()
            if updates or self._closing or remaining <= 0:
                return copy.deepcopy(updates)
            self.pending_polls += 1
            self._notify()  # lets tests wait_for(lambda f: f.pending_polls > 0)
            event = self._changed
            try:
                async with asyncio.timeout(remaining):
                    await event.wait()
            except TimeoutError:
                pass
            finally:
                self.pending_polls -= 1

    def _take_updates(self, offset: int | None, limit: int) -> list[JSONDict]:
        if offset is not None:
            if offset < 0:
                self._updates = self._updates[offset:]
            else:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if self._allowed_updates is not None:
            allowed = set(self._allowed_updates)
            self._updates = [
                u for u in self._updates if next((k for k in u if k != "update_id"), "") in allowed
            ]
        return self._updates[:limit]

    def _set_webhook(self, p: _Request) -> bool:
        url = p.get("url") or ""
        if not url:
            return self._delete_webhook(p)
        if not str(url).startswith(("http://", "https://")):
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        secret = p.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise _bad("bad webhook: secret token contains unallowed characters")
        if p.get("drop_pending_updates"):
            self._updates.clear()
        allowed = p.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(a) for a in allowed] or None
        self.webhook = {
            "url": url,
            "secret_token": secret,
            "max_connections": p.int_or_none("max_connections") or 40,
            "allowed_updates": allowed,
        }
        return True

    def _delete_webhook(self, p: _Request) -> bool:
        self.webhook = None
        if p.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _get_webhook_info(self, _p: _Request) -> JSONDict:
        info: JSONDict = {
            "url": self.webhook["url"] if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if self.webhook:
            info["max_connections"] = self.webhook["max_connections"]
            if self.webhook["allowed_updates"]:
                info["allowed_updates"] = self.webhook["allowed_updates"]
        return info

    async def deliver_to_webhook(
        self, update: JSONDict, *, session: aiohttp.ClientSession | None = None
    ) -> int:
        """POST ``update`` to the URL registered with setWebhook (with its secret token)."""
        if self.webhook is None:
            raise RuntimeError("no webhook set")
        return await deliver_webhook(
            self.webhook["url"], update, self.webhook["secret_token"], session=session
        )

    def _get_chat(self, p: _Request) -> JSONDict:
        chat = self._chat(p.get("chat_id"))
        info: JSONDict = {**chat, "accent_color_id": 0, "max_reaction_count": 11}
        if chat["type"] == "private":
            user = self._users.get(chat["id"])
            if user and user.get("username"):
                info["username"] = user["username"]
        else:
            info["permissions"] = {"can_send_messages": True, "can_manage_topics": False}
        return info

    def _get_chat_member(self, p: _Request) -> JSONDict:
        chat = self._chat(p.get("chat_id"))
        user_id = p.int_or_none("user_id")
        if user_id is None:
            raise _bad("user_id is empty")
        user = self._users.get(user_id)
        if user is None:
            raise _bad("user not found")
        status = self._member_status.get((chat["id"], user_id))
        if status is None:
            is_admin = user_id == self.bot_id and self._group_admin.get(chat["id"], False)
            status = "administrator" if is_admin else "member"
        member: JSONDict = {"status": status, "user": dict(user)}
        if status == "administrator":
            member.update(
                can_be_edited=False,
                is_anonymous=False,
                can_manage_chat=True,
                can_delete_messages=True,
                can_manage_video_chats=True,
                can_restrict_members=True,
                can_promote_members=False,
                can_change_info=True,
                can_invite_users=True,
                can_post_stories=False,
                can_edit_stories=False,
                can_delete_stories=False,
                can_pin_messages=True,
                can_manage_topics=True,
            )
        elif status == "creator":
            member["is_anonymous"] = False
        elif status == "kicked":
            member["until_date"] = 0
        elif status == "restricted":
            member.update(
                is_member=True,
                until_date=0,
                **dict.fromkeys(
                    (
                        "can_send_messages",
                        "can_send_audios",
                        "can_send_documents",
                        "can_send_photos",
                        "can_send_videos",
                        "can_send_video_notes",
                        "can_send_voice_notes",
                        "can_send_polls",
                        "can_send_other_messages",
                        "can_add_web_page_previews",
                        "can_change_info",
                        "can_invite_users",
                        "can_pin_messages",
                        "can_manage_topics",
                    ),
                    False,
                ),
            )
        return member

    def _send_message(self, p: _Request) -> JSONDict:
        chat = self._chat(p.get("chat_id"))
        text = p.get("text")
        if text is None or text == "":
            raise _bad("message text is empty")
        plain, entities = self._formatted(text, p, caption=False)
        thread_id = self._thread(chat, p)
        reply = self._reply(chat, p)
        content: JSONDict = {"text": plain}
        if entities:
            content["entities"] = entities
        _add_inline_markup(content, p.get("reply_markup"))
        msg = self._new_message(chat, self.bot_user, content, thread_id=thread_id, reply_to=reply)
        self._record_sent(msg, "sendMessage", p)
        return msg

    def _media_input(self, p: _Request, kind: str, key: str | None = None) -> FileRecord:
        key = key or kind
        value = p.get(key)
        upload = p.files.get(key)
        if isinstance(value, str) and value.startswith("attach://"):
            upload = p.files.get(value[len("attach://") :])
            if upload is None:
                raise _bad(f"file {value} not found in the request")
        if upload is not None:
            return self.add_file(
                upload.content,
                kind,
                file_name=upload.filename,
                mime_type=upload.content_type,
            )
        if not value:
            raise _bad(f"there is no {kind} in the request")
        if not isinstance(value, str):
            raise _bad(f"wrong type of the {kind} field")
        rec = self._files.get(value)
        if rec is not None:
            return rec
        if value.startswith(("http://", "https://")):
            name = value.rsplit("/", 1)[-1] or None
            return self.add_file(f"downloaded from {value}".encode(), kind, file_name=name)
        raise _bad("wrong file identifier/HTTP URL specified")

    def _send_media(self, p: _Request, kind: str, method: str) -> JSONDict:
        chat = self._chat(p.get("chat_id"))
        rec = self._media_input(p, kind)
        content = _media_content(kind, rec, p.params)
        caption = p.get("caption")
        if caption and kind != "sticker":
            plain, entities = self._formatted(caption, p, caption=True)
            if plain:
                content["caption"] = plain
            if entities:
                content["caption_entities"] = entities
        thread_id = self._thread(chat, p)
        reply = self._reply(chat, p)
        _add_inline_markup(content, p.get("reply_markup"))
        msg = self._new_message(chat, self.bot_user, content, thread_id=thread_id, reply_to=reply)
        self._record_sent(msg, method, p, file_id=rec.file_id)
        return msg

    def _send_media_group(self, p: _Request) -> list[JSONDict]:
        chat = self._chat(p.get("chat_id"))
        media = p.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise _bad("wrong number of messages in the album: must be 2-10")
        thread_id = self._thread(chat, p)
        reply = self._reply(chat, p)
        group_id = str(13_000_000_000_000_000 + next(self._file_counter))
        prepared: list[tuple[JSONDict, _Request, FileRecord]] = []
        for item in media:
            kind = item.get("type") if isinstance(item, dict) else None
            if kind not in ("photo", "video", "document", "audio"):
                raise _bad("wrong type of media in the album")
            item_req = _Request({**item, kind: item.get("media")}, p.files)
            rec = self._media_input(item_req, kind)
            content = _media_content(kind, rec, item)
            if item.get("caption"):
                plain, entities = self._formatted(item["caption"], item_req, caption=True)
                if plain:
                    content["caption"] = plain
                if entities:
                    content["caption_entities"] = entities
            content["media_group_id"] = group_id
            prepared.append((content, item_req, rec))
        messages = []
        for content, item_req, rec in prepared:
            msg = self._new_message(
                chat, self.bot_user, content, thread_id=thread_id, reply_to=reply
            )
            self._record_sent(msg, "sendMediaGroup", item_req, file_id=rec.file_id)
            messages.append(msg)
        return messages

    def _send_location(self, p: _Request) -> JSONDict:
        chat = self._chat(p.get("chat_id"))
        try:
            lat, lon = float(p.get("latitude")), float(p.get("longitude"))
        except (TypeError, ValueError):
            raise _bad("wrong latitude/longitude specified") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise _bad("wrong latitude/longitude specified")
        content: JSONDict = {"location": {"latitude": lat, "longitude": lon}}
        _add_inline_markup(content, p.get("reply_markup"))
        msg = self._new_message(
            chat,
            self.bot_user,
            content,
            thread_id=self._thread(chat, p),
            reply_to=self._reply(chat, p),
        )
        self._record_sent(msg, "sendLocation", p)
        return msg

    def _send_contact(self, p: _Request) -> JSONDict:
        chat = self._chat(p.get("chat_id"))
        if not p.get("phone_number") or not p.get("first_name"):
            raise _bad("phone_number and first_name are required")
        contact: JSONDict = {
            "phone_number": p.get("phone_number"),
            "first_name": p.get("first_name"),
        }
        if p.get("last_name"):
            contact["last_name"] = p.get("last_name")
        content: JSONDict = {"contact": contact}
        msg = self._new_message(
            chat,
            self.bot_user,
            content,
            thread_id=self._thread(chat, p),
            reply_to=self._reply(chat, p),
        )
        self._record_sent(msg, "sendContact", p)
        return msg

    def _source_message(self, p: _Request, what: str) -> JSONDict:
        from_chat = self._chat(p.get("from_chat_id"), "from_chat_id")
        message_id = p.int_or_none("message_id")
        if message_id is None:
            raise _bad("message_id is empty")
        source = self._messages.get((from_chat["id"], message_id))
        if source is None:
            raise _bad(f"message to {what} not found")
        if any(k in source for k in _SERVICE_KEYS):
            raise _bad(f"message can't be {'copied' if what == 'copy' else 'forwarded'}")
        return source

    def _copy_message(self, p: _Request) -> JSONDict:
        source = self._source_message(p, "copy")
        chat = self._chat(p.get("chat_id"))
        content: JSONDict = {k: copy.deepcopy(source[k]) for k in _CONTENT_KEYS if k in source}
        caption = p.get("caption")
        if caption is not None and "text" not in content:
            content.pop("caption_entities", None)
            content.pop("caption", None)
            plain, entities = self._formatted(caption, p, caption=True)
            if plain:
                content["caption"] = plain
            if entities:
                content["caption_entities"] = entities
        _add_inline_markup(content, p.get("reply_markup"))
        msg = self._new_message(
            chat,
            self.bot_user,
            content,
            thread_id=self._thread(chat, p),
            reply_to=self._reply(chat, p),
        )
        self._record_sent(
            msg,
            "copyMessage",
            p,
            copied_from={"chat_id": source["chat"]["id"], "message_id": source["message_id"]},
        )
        return {"message_id": msg["message_id"]}

    def _forward_message(self, p: _Request) -> JSONDict:
        source = self._source_message(p, "forward")
        chat = self._chat(p.get("chat_id"))
        content: JSONDict = {k: copy.deepcopy(source[k]) for k in _CONTENT_KEYS if k in source}
        sender = source.get("from")
        if source["chat"]["type"] == "channel" or sender is None:
            origin: JSONDict = {
                "type": "chat",
                "sender_chat": source["chat"],
                "date": source["date"],
            }
        else:
            origin = {"type": "user", "sender_user": sender, "date": source["date"]}
        content["forward_origin"] = origin
        msg = self._new_message(
            chat, self.bot_user, content, thread_id=self._thread(chat, p), reply_to=None
        )
        self._record_sent(
            msg,
            "forwardMessage",
            p,
            copied_from={"chat_id": source["chat"]["id"], "message_id": source["message_id"]},
        )
        return msg

    def _create_topic(
        self,
        chat: JSONDict,
        creator: JSONDict,
        name: str,
        icon_color: int,
        emoji_id: str | None,
    ) -> _Topic:
        created: JSONDict = {"name": name, "icon_color": icon_color}
        if emoji_id:
            created["icon_custom_emoji_id"] = emoji_id
        root = self._new_message(
            chat, creator, {"forum_topic_created": created}, thread_id=None, reply_to=None
        )
        root["message_thread_id"] = root["message_id"]
        root["is_topic_message"] = True
        topic = _Topic(root["message_id"], name, icon_color, root, emoji_id)
        self._topics.setdefault(chat["id"], {})[topic.thread_id] = topic
        return topic

    def _forum(self, p: _Request) -> JSONDict:
        chat = self._chat(p.get("chat_id"))
        if not chat.get("is_forum"):
            raise _bad("the chat is not a forum")
        if not self._group_admin.get(chat["id"]):
            raise _bad("not enough rights to create a topic")
        return chat

    def _create_forum_topic(self, p: _Request) -> JSONDict:
        chat = self._forum(p)
        name = str(p.get("name") or "")
        if not name.strip() or len(name) > MAX_TOPIC_NAME_LENGTH:
            raise _bad("TOPIC_NAME_INVALID" if not name.strip() else "TOPIC_NAME_TOO_LONG")
        color = p.int_or_none("icon_color") or TOPIC_ICON_COLORS[0]
        if color not in TOPIC_ICON_COLORS:
            raise _bad("TOPIC_ICON_COLOR_INVALID")
        topic = self._create_topic(chat, self.bot_user, name, color, p.get("icon_custom_emoji_id"))
        result: JSONDict = {
            "message_thread_id": topic.thread_id,
            "name": topic.name,
            "icon_color": topic.icon_color,
        }
        if topic.icon_custom_emoji_id:
            result["icon_custom_emoji_id"] = topic.icon_custom_emoji_id
        return result

    def _topic(self, p: _Request) -> tuple[JSONDict, _Topic]:
        chat = self._forum(p)
        thread_id = p.int_or_none("message_thread_id")
        topic = self._topics.get(chat["id"], {}).get(thread_id or 0)
        if topic is None:
            raise _bad("message thread not found")
        return chat, topic

    def _edit_forum_topic(self, p: _Request) -> bool:
        chat, topic = self._topic(p)
        name, emoji = p.get("name"), p.get("icon_custom_emoji_id")
        if name is not None and (not str(name).strip() or len(str(name)) > MAX_TOPIC_NAME_LENGTH):
            raise _bad("TOPIC_NAME_INVALID")
        if (name is None or name == topic.name) and (
            emoji is None or emoji == topic.icon_custom_emoji_id
        ):
            raise _bad("TOPIC_NOT_MODIFIED")
        edited: JSONDict = {}
        if name is not None:
            topic.name = edited["name"] = str(name)
        if emoji is not None:
            topic.icon_custom_emoji_id = edited["icon_custom_emoji_id"] = emoji or None
        self._new_message(
            chat,
            self.bot_user,
            {"forum_topic_edited": edited},
            thread_id=topic.thread_id,
            reply_to=None,
        )
        return True

    def _set_topic_closed(self, p: _Request, *, closed: bool) -> bool:
        _, topic = self._topic(p)
        if topic.closed == closed:
            raise _bad("TOPIC_NOT_MODIFIED")
        topic.closed = closed
        return True

    def _delete_forum_topic(self, p: _Request) -> bool:
        chat, topic = self._topic(p)
        del self._topics[chat["id"]][topic.thread_id]
        return True

    def _stored(self, p: _Request, what: str) -> JSONDict:
        chat = self._chat(p.get("chat_id"))
        message_id = p.int_or_none("message_id")
        if message_id is None:
            raise _bad("message identifier is not specified")
        msg = self._messages.get((chat["id"], message_id))
        if msg is None:
            raise _bad(f"message to {what} not found")
        return msg

    def _set_message_reaction(self, p: _Request) -> bool:
        msg = self._stored(p, "react")
        reaction = p.get("reaction") or []
        if not isinstance(reaction, list):
            raise _bad("REACTION_INVALID")
        for r in reaction:
            if not isinstance(r, dict) or r.get("type") not in ("emoji", "custom_emoji", "paid"):
                raise _bad("REACTION_INVALID")
            if r["type"] == "emoji" and not r.get("emoji"):
                raise _bad("REACTION_INVALID")
        self.reactions[(msg["chat"]["id"], msg["message_id"])] = reaction
        return True

    def _answer_callback_query(self, p: _Request) -> bool:
        cq_id = str(p.get("callback_query_id") or "")
        if cq_id not in self._open_callbacks:
            raise _bad("query is too old and response timeout expired or query ID is invalid")
        self._open_callbacks.discard(cq_id)
        self.callback_answers[cq_id] = dict(p.params)
        return True

    def _editable(self, p: _Request) -> JSONDict | None:
        if p.get("inline_message_id"):
            return None
        msg = self._stored(p, "edit")
        if msg["from"]["id"] != self.bot_id:
            raise _bad("message can't be edited")
        return msg

    def _finish_edit(self, msg: JSONDict, before: JSONDict, p: _Request) -> JSONDict:
        markup = p.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            msg["reply_markup"] = markup
        else:
            msg.pop("reply_markup", None)
        unchanged = {k: v for k, v in msg.items() if k != "edit_date"}
        if unchanged == {k: v for k, v in before.items() if k != "edit_date"}:
            msg.clear()
            msg.update(before)
            raise _bad(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        msg["edit_date"] = self._date()
        self._update_sent(msg, reply_markup=markup)
        return copy.deepcopy(msg)

    def _edit_message_text(self, p: _Request) -> JSONDict | bool:
        msg = self._editable(p)
        if msg is None:
            return True
        if "text" not in msg:
            raise _bad("there is no text in the message to edit")
        before = copy.deepcopy(msg)
        text = p.get("text")
        if text is None or text == "":
            raise _bad("message text is empty")
        plain, entities = self._formatted(text, p, caption=False)
        msg["text"] = plain
        if entities:
            msg["entities"] = entities
        else:
            msg.pop("entities", None)
        result = self._finish_edit(msg, before, p)
        self._update_sent(msg, raw_text=text, parse_mode=p.get("parse_mode"))
        return result

    def _edit_message_caption(self, p: _Request) -> JSONDict | bool:
        msg = self._editable(p)
        if msg is None:
            return True
        if "text" in msg:
            raise _bad("there is no caption in the message to edit")
        before = copy.deepcopy(msg)
        plain, entities = self._formatted(p.get("caption") or "", p, caption=True)
        for key, value in (("caption", plain), ("caption_entities", entities)):
            if value:
                msg[key] = value
            else:
                msg.pop(key, None)
        return self._finish_edit(msg, before, p)

    def _edit_message_reply_markup(self, p: _Request) -> JSONDict | bool:
        msg = self._editable(p)
        if msg is None:
            return True
        return self._finish_edit(msg, copy.deepcopy(msg), p)

    def _delete_message(self, p: _Request) -> bool:
        msg = self._stored(p, "delete")
        key = (msg["chat"]["id"], msg["message_id"])
        del self._messages[key]
        record = self._sent_index.get(key)
        if record is not None:
            record["deleted"] = True
        return True

    def _get_file(self, p: _Request) -> JSONDict:
        rec = self._files.get(str(p.get("file_id") or ""))
        if rec is None:
            raise _bad("invalid file_id")
        return rec.file_dict()

    @staticmethod
    def _commands_key(p: _Request) -> str:
        scope = p.get("scope") or {"type": "default"}
        return json.dumps([scope, p.get("language_code") or ""], sort_keys=True)

    def _set_my_commands(self, p: _Request) -> bool:
        commands = p.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise _bad("commands must be a list of at most 100 BotCommand")
        for cmd in commands:
            if not isinstance(cmd, dict) or not re.fullmatch(
                r"[a-z0-9_]{1,32}", str(cmd.get("command", ""))
            ):
                raise _bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(cmd.get("description", ""))) <= 256:
                raise _bad("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._commands_key(p)] = commands
        return True

    def _get_my_commands(self, p: _Request) -> list[JSONDict]:
        return self.commands.get(self._commands_key(p), [])

    def _delete_my_commands(self, p: _Request) -> bool:
        self.commands.pop(self._commands_key(p), None)
        return True

    def _send_chat_action(self, p: _Request) -> bool:
        chat = self._chat(p.get("chat_id"))
        action = p.get("action")
        if action not in _CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        self._thread(chat, p)
        self.chat_actions.append((chat["id"], str(action)))
        return True


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------

_KINDS: Final = (
    "text",
    "photo",
    "animation",
    "document",
    "voice",
    "video",
    "audio",
    "sticker",
    "location",
    "contact",
)


def _dumps(obj: Any) -> str:
    # Escaped, as JSON may be: a lone UTF-16 surrogate in a user's text survives the wire.
    return json.dumps(obj, ensure_ascii=True)


def _decode_form_value(key: str, value: str) -> Any:
    """Undo PTB's form encoding: non-string values arrive JSON-dumped."""
    if key in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _shallow(msg: JSONDict) -> JSONDict:
    """A message as it appears nested in ``reply_to_message`` (no further nesting)."""
    out = copy.deepcopy(msg)
    out.pop("reply_to_message", None)
    return out


def _clean_message(msg: JSONDict) -> JSONDict:
    extras = {"method", "kind", "parse_mode", "raw_text", "raw_caption", "deleted"}
    extras |= {"copied_from", "file_id"}
    out = {k: copy.deepcopy(v) for k, v in msg.items() if k not in extras}
    markup = out.get("reply_markup")
    if not (isinstance(markup, dict) and "inline_keyboard" in markup):
        out.pop("reply_markup", None)
    return out


def _add_inline_markup(content: JSONDict, markup: Any) -> None:
    """Only inline keyboards are part of a Message; reply keyboards are not echoed."""
    if isinstance(markup, dict) and "inline_keyboard" in markup:
        content["reply_markup"] = markup


def _media_content(kind: str, rec: FileRecord, params: JSONDict) -> JSONDict:
    base: JSONDict = {
        "file_id": rec.file_id,
        "file_unique_id": rec.file_unique_id,
        "file_size": len(rec.content),
    }

    def num(key: str, default: int) -> int:
        try:
            return int(params.get(key, default))
        except (TypeError, ValueError):
            return default

    if kind == "photo":
        return {"photo": [{**base, "width": 1280, "height": 960}]}
    if kind == "sticker":
        return {
            "sticker": {
                **base,
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": "👍",
            }
        }
    if rec.mime_type:
        base["mime_type"] = rec.mime_type
    if kind in ("document", "audio", "animation", "video") and rec.file_name:
        base["file_name"] = rec.file_name
    if kind in ("voice", "audio"):
        base["duration"] = num("duration", 3)
    if kind in ("video", "animation"):
        base.update(width=num("width", 640), height=num("height", 480), duration=num("duration", 3))
    out: JSONDict = {kind: base}
    if kind == "animation":
        out["document"] = {
            k: v for k, v in base.items() if k not in ("width", "height", "duration")
        }
    return out


async def deliver_webhook(
    url: str,
    update: JSONDict,
    secret: str | None = None,
    *,
    session: aiohttp.ClientSession | None = None,
) -> int:
    """POST ``update`` as Telegram would (JSON, ``X-Telegram-Bot-Api-Secret-Token``).

    Returns the HTTP status. Uses ``session`` if given, else a short-lived one.
    """
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    payload = json.dumps(update, ensure_ascii=True).encode()  # as Telegram may: escaped
    if session is not None:
        async with session.post(url, data=payload, headers=headers) as resp:
            await resp.read()
            return resp.status
    async with aiohttp.ClientSession() as own, own.post(url, data=payload, headers=headers) as resp:
        await resp.read()
        return resp.status
