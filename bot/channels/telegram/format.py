"""Telegram's formats: its HTML parse mode, its text limits, mentions and invitation links.

Flows write the programme's small markup (see flows/texts.py); this turns it into what the
Bot API takes, and knows what Telegram counts: length after entity parsing.
"""

from __future__ import annotations

import html
import re

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
_TAG = re.compile(r"<[^>]+>")
_MENTION = re.compile(r'href="user:(\d+)"')
_TOKEN = re.compile(r"(<[^>]+>|&[#a-zA-Z0-9]+;)")
_OPEN = re.compile(r"<([a-zA-Z-]+)(?:\s[^>]*)?>")
_CLOSE = re.compile(r"</([a-zA-Z-]+)\s*>")


class TelegramLinks:
    """Invitations are deep links that open the bot with the code as its start parameter."""

    def __init__(self, bot_username: str) -> None:
        self.bot_username = bot_username

    def invitation(self, code: str) -> str | None:
        return f"https://t.me/{self.bot_username}?start={code}" if self.bot_username else None


def render(text: str) -> str:
    """The programme's markup as Telegram HTML: a mention becomes a link that pings the user."""
    return _MENTION.sub(r'href="tg://user?id=\1"', text)


def visible_length(text_html: str) -> int:
    """Telegram counts length after entity parsing: tags removed, entities decoded."""
    return len(html.unescape(_TAG.sub("", text_html)))


def split_html(text: str, limit: int = TEXT_LIMIT - 96) -> list[str]:
    """Split HTML into parts of at most `limit` visible characters, at a paragraph, line or
    word boundary where one is near, never inside a tag or an entity; tags open at a cut are
    closed and reopened, so every part is valid on its own."""
    if visible_length(text) <= limit:
        return [text]
    atoms: list[str] = []  # a tag, an entity, or one character
    for token in _TOKEN.split(text):
        if token.startswith(("<", "&")) and _TOKEN.fullmatch(token):
            atoms.append(token)
        else:
            atoms.extend(token)
    parts: list[str] = []
    stack: list[tuple[str, str]] = []  # open tags: (name, opening tag as written)
    start, prefix, visible = 0, "", 0
    best: dict[int, tuple[int, list[tuple[str, str]]]] = {}  # rank -> (atom index, tags)
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        if atom.startswith("<") and len(atom) > 1:
            close, opening = _CLOSE.fullmatch(atom), _OPEN.fullmatch(atom)
            if close is not None:
                names = [name for name, _ in stack]
                if close.group(1).lower() in names:
                    del stack[len(names) - 1 - names[::-1].index(close.group(1).lower())]
            elif opening is not None:
                stack.append((opening.group(1).lower(), atom))
            i += 1
            continue
        if visible + 1 > limit:
            cut_at, tags = i, list(stack)
            for rank in (3, 2, 1):
                if rank in best and best[rank][0] - start >= limit // 2:
                    cut_at, tags = best[rank]
                    break
            closing = "".join(f"</{name}>" for name, _ in reversed(tags))
            parts.append((prefix + "".join(atoms[start:cut_at])).rstrip() + closing)
            while cut_at < len(atoms) and atoms[cut_at] in (" ", "\n"):
                cut_at += 1
            start, i = cut_at, cut_at
            prefix = "".join(opening for _, opening in tags)
            stack, visible, best = list(tags), 0, {}
            continue
        if atom == "\n":
            rank = 3 if i > 0 and atoms[i - 1] == "\n" else 2
            best[rank] = (i, list(stack))
        elif atom == " ":
            best[1] = (i, list(stack))
        visible += 1
        i += 1
    parts.append(prefix + "".join(atoms[start:]))
    return [part.strip() for part in parts if part.strip()]
