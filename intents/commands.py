"""Short command words: accepting the agreement, SMS opt-out/opt-in, bot help.

Twilio only knows English opt-out words, so Danish ones (AFMELD, ...) are ours to catch.
Matching is on the whole (short) message, so "stop" inside a sentence never unsubscribes anyone.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from rapidfuzz.distance import DamerauLevenshtein

from .lexicon import DataError, parse_toml
from .normalise import normalise

__all__ = ["CommandMatcher", "Keyword", "match_keyword", "split_command"]

# Never commands, whatever the data says: alone they are cries for help (acute).
_NEVER = frozenset({"hjalp", "help", "sos", "hjalp mig", "help me"})


class Keyword(StrEnum):
    """A command recognised in a short message."""

    ACCEPT = "accept"
    STOP = "stop"
    START = "start"
    HELP = "help"
    EXPORT = "export"  # a copy of one's own data
    ERASE = "erase"  # asks to be deleted: answered with how to confirm
    ERASE_CONFIRM = "erase_confirm"  # confirms it


@dataclass(frozen=True, slots=True)
class CommandMatcher:
    """Whole-message matcher for command phrases, with small typo tolerance."""

    phrases: dict[str, Keyword]
    max_words: int = 4
    max_typos_short: int = 1
    max_typos_long: int = 2
    min_typo_length: int = 4

    @classmethod
    def from_toml(cls, name: str, text: str) -> CommandMatcher:
        """Build from commands.toml text."""
        _, doc = parse_toml(name, text)
        phrases: dict[str, Keyword] = {}
        for keyword in Keyword:
            section: Any = doc.get(keyword.value, {})
            words = section.get("phrases", []) if isinstance(section, dict) else None
            if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                raise DataError(f"{name}: [{keyword.value}] phrases must be a list of strings")
            for phrase in words:
                key = normalise(phrase)
                if key and key not in _NEVER:
                    phrases[key] = keyword
        settings: Any = doc.get("settings", {})
        return cls(
            phrases=phrases,
            max_words=int(settings.get("max_words", 4)),
            max_typos_short=int(settings.get("max_typos_short", 1)),
            max_typos_long=int(settings.get("max_typos_long", 2)),
            min_typo_length=int(settings.get("min_typo_length", 4)),
        )

    def match(self, text: str) -> Keyword | None:
        """Return the command a short message is, or None."""
        if not isinstance(text, str):
            return None
        key = normalise(text[:200])
        if not key or key in _NEVER:
            return None
        if len(key.split()) > self.max_words:
            return None
        exact = self.phrases.get(key)
        if exact is not None:
            return exact
        if len(key) < self.min_typo_length:
            return None
        allowed = self.max_typos_short if len(key) < 7 else self.max_typos_long
        best: Keyword | None = None
        best_distance = allowed + 1
        ambiguous = False
        for phrase, keyword in self.phrases.items():
            if len(phrase) < self.min_typo_length or abs(len(phrase) - len(key)) > allowed:
                continue
            distance = DamerauLevenshtein.distance(key, phrase, score_cutoff=allowed)
            if distance > allowed:
                continue
            if distance < best_distance:
                best, best_distance, ambiguous = keyword, distance, False
            elif distance == best_distance and keyword is not best:
                ambiguous = True
        return None if ambiguous else best


# A bot command opens the message: "/hjælp", "/start@tryghedsbot", "/rute akut".
_COMMAND_RE = re.compile(r"\s*/([^\W\d][\w-]*)(?:@\w+)?(?=\s|$)\s*")


def split_command(text: str) -> tuple[str | None, str]:
    """Split a leading bot command from the text after it: ("hjælp", "der er en mand ...").

    Returns (None, text) when the message does not open with a command. Whatever follows a
    command is still a message to classify: "/hjælp der er en mand med en kniv" is an alarm.
    """
    if not text or text.lstrip()[:1] != "/":
        return None, text
    found = _COMMAND_RE.match(text)
    if found is None:
        return None, text
    return found.group(1).casefold(), text[found.end() :]


_default: CommandMatcher | None = None
_lock = threading.Lock()


def _matcher() -> CommandMatcher:
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                path = Path(__file__).resolve().parent / "data" / "commands.toml"
                text = path.read_text("utf-8")
                _default = CommandMatcher.from_toml("commands.toml", text)
    return _default


def match_keyword(text: str) -> Keyword | None:
    """Match a whole short message (≤ 4 words) against the command phrases."""
    return _matcher().match(text)
