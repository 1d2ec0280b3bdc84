"""Shaping texts for SMS: encoding, segment counts, markup removal, shortening, splitting.

An SMS costs one *segment* per part, and the encoding decides how much fits in a part: GSM-7
(GSM 03.38) holds 160 septets, or 153 per part when the message is concatenated (the user data
header takes the rest); a single character outside GSM-7 makes the whole message UCS-2, which
holds 70 UTF-16 code units, or 67 per part. Danish æ ø å Æ Ø Å are in the GSM-7 basic table,
so ordinary Danish stays cheap; curly quotes, en dashes and emoji do not. Knowing this lets a
flow keep a reply within a segment budget instead of silently tripling its price.

Pure Python: no framework imports (see DESIGN.md, "Shape of the code").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from html.parser import HTMLParser

__all__ = [
    "GSM7_BASIC",
    "GSM7_EXTENSION",
    "Encoding",
    "SmsShape",
    "fit",
    "shape",
    "sms_body",
    "split_for_sms",
    "strip_markup",
    "to_gsm_friendly",
]


class Encoding(StrEnum):
    """The two SMS alphabets that matter for cost."""

    GSM7 = "GSM-7"
    UCS2 = "UCS-2"


# GSM 03.38 default alphabet, in table order (0x00-0x7F); 0x1B is the escape to the extension
# table and is not a character of its own. Note the capital Ç at 0x09 (the official table).
GSM7_BASIC: frozenset[str] = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞ"
    "ÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Extension table: each costs two septets (ESC + code). Form feed is in it too.
GSM7_EXTENSION: frozenset[str] = frozenset("\f^{}\\[~]|€")

GSM7_SINGLE = 160
GSM7_PART = 153
UCS2_SINGLE = 70
UCS2_PART = 67

_ELLIPSIS = "…"
_ELLIPSIS_GSM = "..."


@dataclass(frozen=True)
class SmsShape:
    """How a text goes over the air.

    `units` are septets for GSM-7 (extension characters count 2) or UTF-16 code units for
    UCS-2 (characters outside the Basic Multilingual Plane, such as most emoji, count 2).
    """

    encoding: Encoding
    segments: int
    units: int


def _is_gsm7(text: str) -> bool:
    return all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text)


def _unit_costs(text: str, encoding: Encoding) -> list[int]:
    """Per-character cost; a cost-2 character is one indivisible escape or surrogate pair."""
    if encoding is Encoding.GSM7:
        return [2 if c in GSM7_EXTENSION else 1 for c in text]
    return [2 if ord(c) > 0xFFFF else 1 for c in text]


def _count_parts(costs: list[int], part_size: int) -> int:
    """Pack characters greedily into parts, never splitting a 2-unit character."""
    parts = 1
    used = 0
    for cost in costs:
        if used + cost > part_size:
            parts += 1
            used = 0
        used += cost
    return parts


def shape(text: str) -> SmsShape:
    """Encoding, segment count and unit count of `text` as an SMS.

    An empty text still counts as one segment: an SMS is never fewer than one part.
    """
    encoding = Encoding.GSM7 if _is_gsm7(text) else Encoding.UCS2
    costs = _unit_costs(text, encoding)
    units = sum(costs)
    single, part = (
        (GSM7_SINGLE, GSM7_PART) if encoding is Encoding.GSM7 else (UCS2_SINGLE, UCS2_PART)
    )
    segments = 1 if units <= single else _count_parts(costs, part)
    return SmsShape(encoding=encoding, segments=segments, units=units)


# --- markup ------------------------------------------------------------------------------

# The tags Telegram's HTML parse mode knows; anything else in the text is kept literally,
# because a stray "<Jens>" in a citizen's text is content, not markup.
_TELEGRAM_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "a",
        "code",
        "pre",
        "blockquote",
        "br",
    }
)
_BLOCK_TAGS = frozenset({"pre", "blockquote"})


class _MarkupStripper(HTMLParser):
    """Collects the text of Telegram HTML, turning links into "text (url)"."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self._links: list[tuple[str | None, int]] = []

    def _ensure_newline(self) -> None:
        text = "".join(self.out)
        if text and not text.endswith("\n"):
            self.out.append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _TELEGRAM_TAGS:
            self.out.append(self.get_starttag_text() or "")
            return
        if tag == "br":
            self.out.append("\n")
        elif tag in _BLOCK_TAGS:
            self._ensure_newline()
        elif tag == "a":
            href = dict(attrs).get("href")
            self._links.append((href, len(self.out)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.out.append("\n")
        elif tag not in _TELEGRAM_TAGS:
            self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag not in _TELEGRAM_TAGS:
            self.out.append(f"</{tag}>")
            return
        if tag in _BLOCK_TAGS:
            self._ensure_newline()
        elif tag == "a" and self._links:
            href, start = self._links.pop()
            label = "".join(self.out[start:]).strip()
            if href and _show_url(href, label):
                self.out.append(f" ({href})" if label else href)

    def handle_data(self, data: str) -> None:
        self.out.append(data)


def _show_url(href: str, label: str) -> bool:
    """Whether a link's target adds information that an SMS reader needs."""
    if href.startswith(("user:", "tg://")):  # mentions mean nothing in an SMS
        return False
    bare = re.sub(r"^(https?://|mailto:|tel:)", "", href).rstrip("/")
    return href != label and bare != label.rstrip("/")


def strip_markup(text: str) -> str:
    """The programme's markup → plain text for SMS; entities are unescaped, links kept as
    "text (url)"."""
    parser = _MarkupStripper()
    parser.feed(text)
    parser.close()
    result = "".join(parser.out)
    return re.sub(r"\n{3,}", "\n\n", result).strip("\n")


# --- transliteration ---------------------------------------------------------------------

_GSM_FRIENDLY = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "′": "'",
        "´": "'",
        "`": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "″": '"',
        "«": '"',
        "»": '"',
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "–": "-",
        "—": "-",
        "―": "-",
        "−": "-",
        "…": "...",
        "\u00a0": " ",  # no-break space
        "\u202f": " ",  # narrow no-break space
        "\u2007": " ",  # figure space
        "\u2009": " ",  # thin space
        "\u2002": " ",
        "\u2003": " ",
        "\t": " ",
        "\u200b": None,  # zero-width space
        "\u00ad": None,  # soft hyphen
        "\u2028": "\n",
        "\u2029": "\n",
    }
)


def to_gsm_friendly(text: str) -> str:
    """Replace typographic punctuation and odd spaces by GSM-7 equivalents.

    Word processors and phones insert curly quotes and dashes that alone would turn a message
    into UCS-2 (less than half the room per segment). Letters (æ ø å, ê ...) and emoji are left
    as they are: changing those would change what the text says.
    """
    return text.translate(_GSM_FRIENDLY)


def sms_body(text: str) -> str:
    """What actually goes over the air for a Telegram-flavoured text: the sender and the
    segment budget must agree on it, so both use this one function.

    A decorative symbol opening one of the bot's own texts ("🚨 Ring 1-1-2 nu") is dropped:
    alone it would make the SMS UCS-2 and more than double its cost and length on screen.
    """
    body = to_gsm_friendly(strip_markup(text))
    first = body[:1]
    if first and unicodedata.category(first) == "So" and shape(first).encoding == Encoding.UCS2:
        body = body[1:].lstrip("\ufe0f ")
    return body


# --- shortening --------------------------------------------------------------------------


def _safe_cut(text: str, n: int) -> int:
    """Move a cut point back so that it does not split a character from its modifiers."""
    while 0 < n < len(text) and (
        unicodedata.combining(text[n])
        or text[n] in "\u200d\ufe0f\ufe0e"
        or text[n - 1] == "\u200d"
        or 0x1F3FB <= ord(text[n]) <= 0x1F3FF  # skin tone modifier
    ):
        n -= 1
    return n


def _word_cut(text: str, n: int) -> str:
    """The prefix of at most `n` characters, preferably ending at a word boundary."""
    if n >= len(text):
        return text
    boundary = next((i for i in range(n, -1, -1) if text[i].isspace()), -1)
    # One very long word (a URL): cutting inside it beats losing half the message.
    prefix = text[:boundary] if boundary > n // 2 else text[: _safe_cut(text, n)]
    return prefix.rstrip().rstrip(",;:-–—(").rstrip()


def _with_ellipsis(prefix: str) -> str:
    return prefix + (_ELLIPSIS_GSM if _is_gsm7(prefix) else _ELLIPSIS)


def fit(text: str, max_segments: int) -> tuple[str, bool]:
    """Shorten `text` to at most `max_segments` segments; returns (text, was_shortened).

    The cut falls at a word boundary and is marked with "..." when the text is GSM-7 (so the
    marker does not itself force UCS-2) or "…" otherwise.
    """
    if max_segments < 1:
        raise ValueError(f"max_segments must be at least 1, got {max_segments}")
    if shape(text).segments <= max_segments:
        return text, False

    def fits(n: int) -> bool:
        return shape(_with_ellipsis(text[:n])).segments <= max_segments

    # No segment holds more than 160 characters, so the answer is below this bound; the
    # segment count of prefix + marker grows with the prefix, so binary search applies.
    lo, hi = 0, min(len(text), max(GSM7_SINGLE, GSM7_PART * max_segments))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid - 1
    n = lo
    while True:  # the word cut only shortens, but verify rather than trust the argument
        result = _with_ellipsis(_word_cut(text, n))
        if shape(result).segments <= max_segments or n == 0:
            return result, True
        n -= 1


# --- splitting ---------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?…][\"')\]]*\s")


def _split_point(window: str) -> int:
    """Where to end the next piece inside `window`, preferring the largest natural break."""
    floor = len(window) // 3  # a break earlier than this wastes too much of the piece
    for separator in ("\n\n", "\n"):
        i = window.rfind(separator)
        if i > floor:
            return i
    ends = [m.end() for m in _SENTENCE_END.finditer(window)]
    if ends and ends[-1] > floor:
        return ends[-1]
    i = max((j for j, c in enumerate(window) if c.isspace()), default=-1)
    if i > floor:
        return i
    return _safe_cut(window, len(window) - 1) or len(window) - 1


def split_for_sms(text: str, max_chars_per_message: int = 1530) -> list[str]:
    """Split a long text into pieces of at most `max_chars_per_message` characters each.

    For texts that must go as several separate SMS (concatenated SMS beyond about ten parts
    are unreliable on handsets). Breaks fall at paragraphs, then lines, sentences, words.
    """
    if max_chars_per_message < 1:
        raise ValueError(f"max_chars_per_message must be at least 1, got {max_chars_per_message}")
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > max_chars_per_message:
        window = rest[: max_chars_per_message + 1]  # a break right after the limit is fine
        cut = _split_point(window)
        cut = max(1, min(cut, max_chars_per_message))
        piece = rest[:cut].strip()
        if piece:
            pieces.append(piece)
        rest = rest[cut:].strip()
    if rest:
        pieces.append(rest)
    return pieces
