"""Keyword data: loading the TOML files and finding keywords, phrases and cues in a message.

The data is compiled once into dictionaries so that matching a message is mostly exact dict
lookups per token. Only tokens that match nothing exactly go to rapidfuzz, against a small
bucket of keywords sharing the first letter, and the result is cached per token. What may start
at a token depends only on it and the next token, so that is cached per word pair.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from itertools import chain
from typing import Any, Final

from rapidfuzz import fuzz, process

from .normalise import (
    CONTRAST_BREAK,
    QUESTION_END,
    SENTENCE_BREAK,
    SENTENCE_END,
    SMS_WORDS,
    fold,
    reorder_negation,
    token_form,
)

# Module constants are Final: compiled (see setup.py), a Final name is read from a C
# static, any other name is looked up in the module's dict at every use.
_BREAK: Final = SENTENCE_BREAK[0]
# Quotation marks, and a span of one to four words between two of them ('politiet',
# "en kollega"); an apostrophe inside a word (he's, mandens') opens nothing.
_QUOTE_CHARS: Final = tuple("'\"‘’“”„«»")
_QUOTED_RE: Final = re.compile(r"(?<![^\s(])['\"‘’“”„«»]([^'\"‘’“”„«»\n]{2,40}?)['\"‘’“”„«»](?!\w)")

__all__ = ["CUE_TYPES", "KINDS", "Hit", "IntentSpec", "Lexicon", "Term", "load_lexicon"]

#: Kinds of intent, i.e. how tense and hedges act on them (documented in common.toml).
KINDS: Final[tuple[str, ...]] = ("emergency", "incident", "crime", "topic")
#: Cue types the classifier understands (documented in common.toml).
CUE_TYPES: Final[tuple[str, ...]] = (
    "now",
    "now_weak",
    "past",
    "past_weak",
    "resolved",
    "put_out",
    "settled",
    "not_urgent",
    "hypothetical",
    "conditional",
    "general",
    "report",
    "report_request",
    "reported",
    "urgent",
    "background",
    "habit",
    "question",
    "rule_question",
    "drill",
    "scene",
    "present",
    "present_weak",
    "explained",
    "neutral",
    "doubt",
    "happening",
    "retracted",
)
#: How a cue type is named where an officer sees why a message was routed ("now:lige nu").
CUE_LABELS: Final = {
    "now": "now",
    "now_weak": "now",
    "past": "past",
    "past_weak": "past",
    "background": "past",
    "habit": "past",
    "resolved": "resolved",
    "settled": "resolved",
    "explained": "resolved",
    "put_out": "resolved",
    "not_urgent": "negation",
    "hypothetical": "question",
    "question": "question",
    "rule_question": "question",
    "drill": "drill",
    "general": "general",
    "report": "report",
    "report_request": "report",
    "reported": "reported",
    "urgent": "urgent",
    "retracted": "resolved",
}
_ROUTES: Final[tuple[str, ...]] = ("acute", "report", "officer")
_SEVERITIES: Final[tuple[str, ...]] = ("critical", "serious", "minor")
_WILDCARD: Final = "_"
_CACHE_LIMIT: Final = 200_000
_SWAP_MIN_LENGTH: Final = 6  # shorter words swap into too many others ("garde", "grade")


@dataclass(frozen=True, slots=True)
class Term:
    """One keyword or phrase as written in the data, and what it stands for."""

    written: str
    section: str  # "intent", "with", "unless", "cue", "danger", "ignore", "help" (emoji only)
    group: str  # intent name, cue type, or "" for danger/ignore/help
    pattern: tuple[str, ...]  # folded tokens: "word", "stem*", "*ending" or "_" (any word)
    # As an officer sees it: "indbrud*" -> "indbrud"; and a cue as "now:lige nu" ("" if none).
    # Derived once here because every classified message shows some of them.
    shown: str = field(default="", compare=False)
    label: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        words = [w.strip("*") for w in self.written.split()]
        object.__setattr__(self, "shown", " ".join("…" if w == "_" else w for w in words if w))
        kind = CUE_LABELS.get(self.group) if self.section == "cue" else None
        object.__setattr__(self, "label", f"{kind}:{self.written}" if kind else "")

    # A compiled lexicon holds some 12,000 terms: pickled as one tuple each, they load faster
    # than through the dataclass default, which also cannot set a frozen field compiled (see
    # setup.py). IntentSpec does the same.
    def __getstate__(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in _TERM_FIELDS)

    def __setstate__(self, state: tuple[object, ...]) -> None:
        for name, value in zip(_TERM_FIELDS, state, strict=True):
            object.__setattr__(self, name, value)


_TERM_FIELDS: Final = tuple(f.name for f in fields(Term))


@dataclass(frozen=True, slots=True)
class IntentSpec:
    """How one intent routes and reacts to cues."""

    name: str
    route: str
    kind: str
    severity: str = "serious"
    reportable: bool = False
    can_be_now: bool = True
    past_intent: str = ""
    weight: float = 1.0
    danger: bool = False
    needs_with: bool = False
    fuzzy_threshold: float | None = None
    ongoing: bool = False  # a past time says when it began, not that it is over ("missing")
    explainable: bool = False  # a named harmless cause ends it ("det er bare bålet")
    recurring: bool = False  # seen again and again ("hver nat") it is a pattern, not an alarm

    def __getstate__(self) -> tuple[object, ...]:  # pickled like Term
        return tuple(getattr(self, name) for name in _SPEC_FIELDS)

    def __setstate__(self, state: tuple[object, ...]) -> None:
        for name, value in zip(_SPEC_FIELDS, state, strict=True):
            object.__setattr__(self, name, value)


_SPEC_FIELDS: Final = tuple(f.name for f in fields(IntentSpec))


class Hit:
    """A term found in a message, with its token span and clause number (-1 for emoji).

    A plain class, not a NamedTuple: compiled (see setup.py), it is made without a Python call
    (find() makes several per message) and its fields are read directly.
    """

    __slots__ = ("end", "sentence", "start", "term")

    def __init__(self, term: Term, start: int, end: int, sentence: int) -> None:
        self.term = term
        self.start = start
        self.end = end
        self.sentence = sentence

    def __repr__(self) -> str:
        return f"Hit({self.term.written!r}, {self.start}, {self.end}, {self.sentence})"


@dataclass(slots=True)
class _RawIntent:
    fields: dict[str, Any] = field(default_factory=dict)
    keywords: list[str] = field(default_factory=list)
    with_any: list[str] = field(default_factory=list)
    unless: list[str] = field(default_factory=list)
    emoji: list[str] = field(default_factory=list)


class DataError(ValueError):
    """The keyword data is malformed; the message names the file and the key."""


def _pattern(written: str) -> tuple[str, ...]:
    parts: list[str] = []
    for raw in written.split():
        star_front = raw.startswith("*")
        star_back = raw.endswith("*") and len(raw) > 1
        core = token_form(raw.strip("*"))  # folded as a message's word is
        core = "".join(ch for ch in core if ch.isalnum() or ch == "_")
        if not core:
            continue
        core = SMS_WORDS.get(core, core)
        if core == _WILDCARD:
            parts.append(_WILDCARD)
        elif star_back:
            parts.append(core + "*")
        elif star_front:
            parts.append("*" + core)
        else:
            parts.append(core)
    return tuple(reorder_negation(parts))


class Lexicon:
    """Compiled keyword data with a fast, cached matcher."""

    def __new__(cls, *args: object, **kwargs: object) -> Lexicon:
        # Unpickling makes the object without __init__, then __setstate__ fills it. Said here
        # because, compiled (see setup.py), a class without its own __new__ runs __init__.
        return super().__new__(cls)

    def __init__(
        self,
        settings: Mapping[str, Any],
        intents: Mapping[str, IntentSpec],
        terms: Sequence[Term],
        emoji_terms: Sequence[tuple[str, Term]],
        language_markers: Mapping[str, frozenset[str]],
        help_phrases: frozenset[str],
        help_exceptions: frozenset[str],
        places: Iterable[str] = (),
        street_endings: Iterable[str] = (),
        town_endings: Iterable[str] = (),
        dialect: Mapping[str, str] | None = None,
        dialect_pairs: Mapping[str, str] | None = None,
        openers: Iterable[str] = (),
        opener_blockers: Iterable[str] = (),
        known: frozenset[str] = frozenset(),
        quoted: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        self.settings = dict(settings)
        self.intents = dict(intents)
        self.emoji_terms = tuple(emoji_terms)
        self.language_markers = dict(language_markers)
        self.help_phrases = help_phrases
        self.help_words = frozenset(p for p in help_phrases if " " not in p)
        self.help_exceptions = help_exceptions
        self.max_chars = int(settings.get("max_chars", 2000))
        self.fuzzy_min_length = int(settings.get("fuzzy_min_length", 5))
        self.fuzzy_threshold = float(settings.get("fuzzy_threshold", 85))
        self.fuzzy_threshold_short = float(settings.get("fuzzy_threshold_short", 90))
        self.join_split_words = bool(settings.get("join_split_words", True))

        self._exact: set[str] = set()
        self._prefix: set[str] = set()
        self._suffix: set[str] = set()
        # Single-word terms by their pattern key; longer phrases by their first two keys.
        self._singles: dict[str, list[Term]] = {}
        self._phrases: dict[str, dict[str, list[Term]]] = {}
        self._threshold_for: dict[str, float] = {}
        # Words of acute intents and danger words: they win a tie between two fuzzy matches.
        alarming: set[str] = set()
        for term in terms:
            spec = intents.get(term.group) if term.section == "intent" else None
            if term.section == "danger" or (spec is not None and spec.route == "acute"):
                alarming.update(part.strip("*") for part in term.pattern)
        for term in terms:
            if len(term.pattern) == 1:
                self._singles.setdefault(term.pattern[0], []).append(term)
            else:
                by_second = self._phrases.setdefault(term.pattern[0], {})
                by_second.setdefault(term.pattern[1], []).append(term)
            for part in term.pattern:
                if part == _WILDCARD:
                    continue
                if part.endswith("*"):
                    self._prefix.add(part[:-1])
                elif part.startswith("*"):
                    self._suffix.add(part[1:])
                else:
                    self._exact.add(part)
                spec = intents.get(term.group) if term.section == "intent" else None
                if spec is not None and spec.fuzzy_threshold is not None:
                    key = part.strip("*")
                    old = self._threshold_for.get(key, 0.0)
                    self._threshold_for[key] = max(old, spec.fuzzy_threshold)
        self._prefix_lengths = sorted({len(p) for p in self._prefix}, reverse=True)
        self._suffix_lengths = sorted({len(s) for s in self._suffix}, reverse=True)
        # Everyday words are never typo-corrected into a keyword: the language markers, and
        # words that look like a keyword with a typo ("overfart" is no "overfalt").
        self._known = known.union(*language_markers.values())
        # Words the keyword data really uses (the [ignore] entries only hide other matches).
        keyword_words = {
            part
            for term in terms
            if term.section != "ignore"
            for part in term.pattern
            if part != _WILDCARD and not part.startswith("*") and not part.endswith("*")
        }
        # Place names never count as keywords ("Brabrand" is not "brand", "Hammerum" is not
        # "hammeren"). A name that is also an everyday word or a keyword ("Røgen", "Give") is
        # left alone here; the classifier protects it only where it is written as a name.
        self._places: frozenset[str] = frozenset()
        self.capital_places: tuple[str, ...] = ()
        protected: set[str] = set()
        capital: set[str] = set()
        for name in places:
            words = fold(name).replace("-", " ").replace(".", " ").split()
            for word in words:
                if not word.isalpha() or len(word) < 3:
                    continue
                if word in keyword_words or word in self._known:
                    capital.add(name)
                else:
                    protected.add(word)
        self._places = frozenset(protected)
        self._street_endings = tuple(sorted({fold(e) for e in street_endings}, key=len))
        self._town_endings = tuple(sorted({fold(e) for e in town_endings}, key=len))
        # Dialect spellings: token -> standard token ("" = leave out), and two tokens -> one.
        self.dialect: dict[str, str] = {}
        for written, standard in (dialect or {}).items():
            key, value = token_form(written), " ".join(fold(standard).split())
            if key != value:  # "hår" already folds to "har": nothing to do
                self.dialect[key] = value
        self.dialect_pairs: dict[tuple[str, str], str] = {}
        for written, standard in (dialect_pairs or {}).items():
            parts = written.split()
            if len(parts) != 2:
                raise DataError(f"[dialect] pairs: {written!r} must be two words")
            self.dialect_pairs[(token_form(parts[0]), token_form(parts[1]))] = fold(standard)
        # Typos are forgiven only into words that say what happened (intents, danger and "with"
        # words): a misspelt word never becomes a cue that mutes ("planterne" is not
        # "plakaterne", a campaign word) nor an everyday topic.
        fuzzable: set[str] = set()
        for term in terms:
            spec = intents.get(term.group) if term.section == "intent" else None
            if term.section in ("danger", "with") or (spec is not None and spec.kind != "topic"):
                fuzzable.update(part.strip("*") for part in term.pattern)
        self._fuzzy_words: dict[str, list[str]] = {}
        self._fuzzy_stems: dict[str, list[str]] = {}
        for word in self._exact & fuzzable:
            if len(word) >= self.fuzzy_min_length and word.isalpha():
                self._fuzzy_words.setdefault(word[:2], []).append(word)
        for stem in self._prefix & fuzzable:
            if len(stem) >= self.fuzzy_min_length and stem.isalpha():
                self._fuzzy_stems.setdefault(stem[:2], []).append(stem)
        # A swap of two neighbouring letters ("kinven", "bevdistløs") is forgiven into these too:
        # the ratio above does not reach a five- or six-letter word, nor its first two letters.
        self._swap_words = frozenset(w for ws in self._fuzzy_words.values() for w in ws)
        self._swap_stems = frozenset(s for ss in self._fuzzy_stems.values() for s in ss)
        self._swap_stem_lengths = sorted({len(s) for s in self._swap_stems}, reverse=True)
        # The sets above iterate in string-hash order, which differs between processes, and the
        # first candidate wins a tie. Sorted buckets make ties deterministic: a word of an acute
        # intent or a danger word first (a false alarm is cheaper than a miss), then A-Z.
        for bucket in chain(self._fuzzy_words.values(), self._fuzzy_stems.values()):
            bucket.sort(key=lambda word: (word not in alarming, word))
        # Capitalised names that would otherwise match a keyword (the classifier's pre-pass).
        self.capital_places = tuple(
            sorted(
                name
                for name in capital
                if " " not in name and self._token_keys(fold(name), allow_fuzzy=True)
            )
        )
        # Words that open a new sentence where the writer put no full stop: first word -> rests.
        self._openers: dict[str, list[tuple[str, ...]]] = {}
        for written in openers:
            pattern = _pattern(written)
            if not pattern or any(p == _WILDCARD or "*" in p for p in pattern):
                raise DataError(f"[sentence_openers] {written!r}: plain words only")
            self._openers.setdefault(pattern[0], []).append(pattern[1:])
        # The gate: each opener's longest word, which is rarer than its first ("jeg"); of words
        # as long, the last ("der går en": "går", not "der", which most messages hold).
        self._opener_words = frozenset(
            max(reversed((first, *rest)), key=len)
            for first, rests in self._openers.items()
            for rest in rests
        )
        # Words after which an opener goes on with the sentence instead of starting one.
        self._opener_blockers = frozenset(map(token_form, opener_blockers))
        # A role written in quotes ('politiet', "banken") is somebody pretending to be it: the
        # quoted word stands for the intent it is listed under, wherever else it would count.
        self._quoted: dict[str, Term] = {}
        for intent_name, roles in (quoted or {}).items():
            if intent_name not in self.intents:
                raise DataError(f"[quoted] {intent_name}: no such intent in common.toml")
            for role in roles:
                form = token_form(role)
                if " " in role.strip() or not form:
                    raise DataError(f"[quoted] {intent_name}: {role!r} must be one word")
                self._quoted[form] = Term(f"'{role}'", "intent", intent_name, (form,))
        self._new_caches()

    def _new_caches(self) -> None:
        self._cache: dict[str, tuple[str, ...]] = {}
        self._joined_cache: dict[tuple[str, str], tuple[str, ...]] = {}
        self._infos: dict[str, _TokenInfo] = {}
        self._pairs = _PairCache(self._pair)
        self._triples = _TripleCache(self._triple)

    # -- pickling (the `classify` command keeps a compiled lexicon in the user's cache) --------

    def __getstate__(self) -> dict[str, object]:
        # Named one by one: compiled (see setup.py) the object has no __dict__. The caches are
        # left out; they hold bound methods and fill again as messages come.
        return {name: getattr(self, name) for name in _LEXICON_STATE}

    def __setstate__(self, state: dict[str, object]) -> None:
        for name in _LEXICON_STATE:
            object.__setattr__(self, name, state[name])
        self._new_caches()

    # -- token level -------------------------------------------------------------------------

    def token_keys(self, token: str) -> tuple[str, ...]:
        """Pattern keys a token satisfies (exact word, longest stem*, *ending, or fuzzy)."""
        cached = self._cache.get(token)
        if cached is not None:
            return cached
        keys = self._token_keys(token, allow_fuzzy=True)
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[token] = keys
        return keys

    def is_place(self, token: str) -> bool:
        """Whether a folded token is (part of) a town or district name from the place data."""
        return token in self._places

    def _is_street(self, token: str) -> bool:
        """A street name ("Gasværksvej", "Brandtsgade"): never typo-corrected into a keyword."""
        for ending in self._street_endings:
            if len(token) > len(ending) + 2 and token.endswith(ending):
                return True
        return False

    def _is_town(self, token: str) -> bool:
        """A town not in the list, by its ending ("Skudstrup", "Brandbjerg"): no keyword."""
        for ending in self._town_endings:
            if len(token) > len(ending) + 2 and token.endswith(ending):
                return token not in self._exact
        return False

    def _token_keys(self, token: str, *, allow_fuzzy: bool) -> tuple[str, ...]:
        keys: list[str] = []
        if token in self._places or self._is_town(token):
            return ()
        if token in self._exact:
            keys.append(token)
        n = len(token)
        for length in self._prefix_lengths:
            if length <= n and token[:length] in self._prefix:
                keys.append(token[:length] + "*")
                break
        for length in self._suffix_lengths:
            if length < n and token[n - length :] in self._suffix:
                keys.append("*" + token[n - length :])
                break
        if (
            keys
            or not allow_fuzzy
            or n < self.fuzzy_min_length
            or token in self._known
            or not token.isalpha()
            or self._is_street(token)
        ):
            return tuple(keys)
        return self._fuzzy(token)

    def _threshold(self, word: str) -> float:
        base = self.fuzzy_threshold if len(word) >= 7 else self.fuzzy_threshold_short
        return max(base, self._threshold_for.get(word, 0.0))

    def _fuzzy(self, token: str) -> tuple[str, ...]:
        """The best fuzzy key for a token; on a tie the first in bucket order (see __init__)."""
        first = token[:2]
        cutoff = min(self.fuzzy_threshold, self.fuzzy_threshold_short)
        words = self._fuzzy_words.get(first)
        best: tuple[float, str] | None = None
        if words:
            found = process.extractOne(token, words, scorer=fuzz.ratio, score_cutoff=cutoff)
            if found is not None and found[1] >= self._threshold(found[0]):
                best = (found[1], found[0])
        stems = self._fuzzy_stems.get(first)
        if stems:
            for stem in stems:
                # A word cut short is no typo of a longer stem ("fryser" is not "fryserum*").
                if len(token) < len(stem) - 1 or len(token) - len(stem) > 3:
                    continue
                head = token[: len(stem)]
                score = fuzz.ratio(head, stem, score_cutoff=self._threshold(stem))
                if score and (best is None or score > best[0]):
                    best = (score, stem + "*")
        if best:
            return (best[1],)
        return self._swapped(token)

    def _swapped(self, token: str) -> tuple[str, ...]:
        """The word or stem a token is with two neighbouring letters swapped back, if any."""
        n = len(token)
        if n < _SWAP_MIN_LENGTH:
            return ()
        # Not the first letter: a word is rarely begun wrong ("yding" is no "dying"). Not the
        # last: there a swap is mostly a Danish ending ("ejerne" is no "ejeren", "tænkte" no
        # "tanket", "center" no "centre").
        for i in range(1, n - 2):
            a, b = token[i], token[i + 1]
            if a == b:
                continue
            candidate = token[:i] + b + a + token[i + 2 :]
            if candidate in self._swap_words:
                # the word as if typed right: all its keys ("gevær" and "gevær*")
                return self._token_keys(candidate, allow_fuzzy=False)
            for length in self._swap_stem_lengths:
                # the swap inside the stem, and the word at most three letters longer than it
                if i + 1 < length <= n <= length + 3 and candidate[:length] in self._swap_stems:
                    return (candidate[:length] + "*",)
        return ()

    def _joined_keys(self, left: str, right: str) -> tuple[str, ...]:
        """Keys of two words written as one ("ind brud"), when they say more than the left word."""
        if len(left) < 3 or len(right) < 3:
            return ()
        pair = (left, right)
        cached = self._joined_cache.get(pair)
        if cached is not None:
            return cached
        result: tuple[str, ...] = ()
        if (
            left.isalpha()
            and right.isalpha()
            and not self.token_keys(right)
            and not self.is_place(left)
            and not self.is_place(right)
        ):
            joined = self._token_keys(left + right, allow_fuzzy=False)
            left_keys = self.token_keys(left)
            # A stem must reach three letters into the other word ("fra december" is no
            # "fråde*"), and so must an ending.
            result = tuple(
                k
                for k in joined
                if k not in left_keys
                and (not k.endswith("*") or len(k) - 1 - len(left) >= 3)
                and (not k.startswith("*") or len(k) - 1 - len(right) >= 3)
            )
        if len(self._joined_cache) >= _CACHE_LIMIT:
            self._joined_cache.clear()
        self._joined_cache[pair] = result
        return result

    # -- message level -----------------------------------------------------------------------

    def open_sentences(self, tokens: list[str]) -> list[str]:
        """End the sentence before a sentence opener ("tak for foredraget i torsdags jeg skriver
        fordi min nabo er gået hjemmefra ... mvh Bodil"), so that cues before it (a thanks, a
        past day) do not reach an emergency told after it in a message without full stops."""
        if self._opener_words.isdisjoint(tokens):
            return tokens
        # The copy with sentence ends added, made at the first opener found (most messages
        # with an opener's word have no opener). The word before a position is tokens[i - 1]
        # in the copy too: an end is only ever put before it or in place of a break.
        out: list[str] | None = None
        inside = 0  # the index where the opener found last ends
        for i, tok in enumerate(tokens):
            rests = self._openers.get(tok)
            if rests and i > 0 and i >= inside and tokens[i - 1] not in self._opener_blockers:
                longest = -1  # the longest rest that follows, in words
                for rest in rests:
                    if len(rest) > longest and _follows(tokens, i + 1, rest):
                        longest = len(rest)
                if longest >= 0:
                    inside = i + 1 + longest
                    if out is None:
                        out = tokens[:i]
                    last = out[-1]
                    if last[0] != _BREAK:
                        out.append(SENTENCE_END)
                    elif last in (SENTENCE_BREAK, CONTRAST_BREAK):
                        out[-1] = SENTENCE_END
            if out is not None:
                out.append(tok)
        return tokens if out is None else out

    def _info(self, token: str) -> _TokenInfo:
        """Everything the matcher needs about one token, computed once and cached."""
        info = self._infos.get(token)
        if info is None:
            keys = self.token_keys(token)
            singles = tuple(t for k in keys for t in self._singles.get(k, ()))
            firsts = tuple(self._phrases[k] for k in keys if k in self._phrases)
            info = (keys, singles, firsts)
            if len(self._infos) >= _CACHE_LIMIT:
                self._infos.clear()
            self._infos[token] = info
        return info

    def _pair(self, token: str, following: str) -> tuple[_Candidate, ...]:
        """Terms that may start at *token* when *following* comes next, in match order.

        Single words, split words joined ("ind brud") and phrases whose first two words fit;
        phrases of three or more words still need their rest checked. Cached by _PairCache.
        *token* is a word: scan() asks nothing of a break.
        """
        _, singles, firsts = self._info(token)
        found: list[_Candidate] = [(term, 1, ()) for term in singles]
        following_break = following[0] == _BREAK
        next_keys = () if following_break else self._info(following)[0]
        if self.join_split_words and not next_keys and not following_break:
            for key in self._joined_keys(token, following):
                for term in self._singles.get(key, ()):
                    found.append((term, 2, ()))
        for by_second in firsts:
            for second in next_keys:
                for term in by_second.get(second, ()):
                    found.append((term, len(term.pattern), term.pattern[2:]))
            if not following_break:
                for term in by_second.get(_WILDCARD, ()):
                    found.append((term, len(term.pattern), term.pattern[2:]))
        return tuple(found)

    def _triple(self, token: str, following: str, third: str) -> _Start | None:
        """What starts at *token*, given the two tokens after it (see _Start).

        The third word is checked here, so most phrases need no rest check at scan time; where
        every term is settled, the nesting rules inside the position are applied here too.
        """
        found = self._pairs[(token, following)]
        if not found:
            return None
        third_break = third[0] == _BREAK
        third_keys = () if third_break else self._info(third)[0]
        settled: list[tuple[Term, int]] = []
        pending: list[_Candidate] = []
        for term, width, rest in found:
            if rest:
                part = rest[0]
                if third_break or (part != _WILDCARD and part not in third_keys):
                    continue
                rest = rest[1:]
            if rest:
                pending.append((term, width, rest))
            else:
                settled.append((term, width))
        if pending:
            return (tuple(settled), 0, tuple(pending))
        if not settled:
            return None
        kept, best = _nest_at(settled)
        return (kept, best, ())

    def find(self, tokens: Sequence[str], cleaned: str) -> list[Hit]:
        """All terms in the token stream (longest match wins where spans nest) plus emoji."""
        return self.scan(list(tokens), cleaned)[0]

    def scan(self, tokens: list[str], cleaned: str) -> tuple[list[Hit], list[int], list[bool]]:
        """find(), plus the sentence of every clause and which sentences are questions.

        A hit's clause number counts every break before it; a sentence ends at ".", "!", a new
        line, "men" or "?" (a question). Counted here because the loop visits every break anyway.

        Longest match wins: a hit strictly inside a longer one ("ingen kom til skade" hides
        "skade") is dropped, and so is anything sharing its exact span with an [ignore] entry
        (see _nest_at). Positions come in order, so one pass that remembers the furthest end of
        the wide hits so far finds the nested ones.
        """
        triples = self._triples
        n = len(tokens)
        hits: list[Hit] = []
        sentence_of = [0]
        questions: list[bool] = []
        clause = sentence = 0
        reach = -1  # furthest end of a wide hit that starts at an earlier position
        wide_intent = False  # whether that hit is an intent's phrase
        for i in range(n):
            tok = tokens[i]
            if tok[0] == _BREAK:  # a break starts no term: it ends a clause
                clause += 1
                if tok != SENTENCE_BREAK:
                    questions.append(tok == QUESTION_END)
                    sentence += 1
                sentence_of.append(sentence)
                continue
            # What starts here depends on the two tokens after it (cached; most start nothing).
            following = tokens[i + 1] if i + 1 < n else SENTENCE_BREAK
            third = tokens[i + 2] if i + 2 < n else SENTENCE_BREAK
            found = triples[(tok, following, third)]
            if found is None:
                continue
            kept, best, pending = found
            if pending:
                matched = [*kept]
                for term, width, rest in pending:
                    if self._rest_at(rest, i + 3, tokens):
                        matched.append((term, width))
                kept, best = _nest_at(matched)
            if reach > i:
                # Inside a wider hit only what reaches past it counts, and inside an intent's
                # phrase its "with" words too ("kan ikke finde ham": the "ham" a missing person
                # needs; not the "man" of the cue "sikrer man").
                for term, width in kept:
                    if i + width > reach or (term.section in _CONTEXT and wide_intent):
                        hits.append(Hit(term, i, i + width, clause))
            else:
                for term, width in kept:
                    hits.append(Hit(term, i, i + width, clause))
            if best and i + best > reach:
                reach = i + best
                wide_intent = any(t.section == "intent" and w == best for t, w in kept)
        questions.append(False)
        # A substring test per emoji, no scan for their first characters: every emoji lies
        # outside Latin-1, and Python answers at once that a Latin-1 text (most messages, even
        # with æ, ø and å) cannot hold a wider character.
        for emoji, term in self.emoji_terms:
            if emoji in cleaned:
                hits.append(Hit(term, -1, -1, -1))
        return hits, sentence_of, questions

    def _rest_at(self, rest: tuple[str, ...], start: int, tokens: list[str]) -> bool:
        """Whether the rest of a phrase (from its third word) matches the tokens from *start*."""
        if start + len(rest) > len(tokens):
            return False
        get = self._cache.get
        for offset, part in enumerate(rest, start):
            tok = tokens[offset]
            if tok[0] == _BREAK:
                return False
            if part == _WILDCARD:
                continue
            keys = get(tok)
            if keys is None:
                keys = self.token_keys(tok)
            if part not in keys:
                return False
        return True

    def quoted_hits(self, cleaned: str, tokens: list[str]) -> list[Hit]:
        """Roles the writer put in quotes ("en 'bankmand' står i stuen"), as hits of the intent
        [quoted] lists them under, at the token where the role stands (for its clause)."""
        if not self._quoted:
            return []
        # A substring test per mark: a fast search in C, where a set test would visit every
        # character of the message.
        for mark in _QUOTE_CHARS:
            if mark in cleaned:
                break
        else:
            return []
        hits: list[Hit] = []
        start = 0
        for span in _QUOTED_RE.finditer(cleaned):
            for word in span.group(1).split():
                term = self._quoted.get(token_form(word))
                if term is None:
                    continue
                form = term.pattern[0]
                for i in range(start, len(tokens)):
                    if tokens[i] == form:
                        clause = sum(1 for t in tokens[:i] if t[0] == _BREAK)
                        hits.append(Hit(term, i, i + 1, clause))
                        start = i + 1
                        break
        return hits


#: What a Lexicon is made of, apart from its caches: what it pickles (see Lexicon.__getstate__).
_LEXICON_STATE: Final[tuple[str, ...]] = (
    "settings", "intents", "emoji_terms", "language_markers", "help_phrases",
    "help_words", "help_exceptions", "max_chars", "fuzzy_min_length", "fuzzy_threshold",
    "fuzzy_threshold_short", "join_split_words", "_exact", "_prefix", "_suffix", "_singles",
    "_phrases", "_threshold_for", "_prefix_lengths", "_suffix_lengths", "_known", "_places",
    "capital_places", "_street_endings", "_town_endings", "dialect", "dialect_pairs",
    "_fuzzy_words", "_fuzzy_stems", "_swap_words", "_swap_stems", "_swap_stem_lengths",
    "_openers", "_opener_words", "_opener_blockers", "_quoted",
)  # fmt: skip

_TokenInfo = tuple[tuple[str, ...], tuple[Term, ...], tuple[dict[str, list[Term]], ...]]
# A term that may start at a token: the term, its width in tokens, and the rest of its pattern
# still to check against the tokens after the pair (phrases of three or more words).
_Candidate = tuple[Term, int, tuple[str, ...]]
# What starts at a token: the terms matched there (term, width) after the nesting rules within
# the position, the widest span that hides later words, and phrases whose words from the fourth
# on are still to be checked (then the first part is not yet filtered). None when nothing starts.
_Start = tuple[tuple[tuple[Term, int], ...], int, tuple[_Candidate, ...]]


class _PairCache(dict[tuple[str, str], tuple[_Candidate, ...]]):
    """(token, next token) -> what may start at the token; a miss computes and stores it.

    Word pairs repeat across messages; looking them up with __getitem__ keeps the common case
    (a known pair) in C. Bounded: cleared when full, like the other caches.
    """

    __slots__ = ("_compute",)

    def __init__(self, compute: Callable[[str, str], tuple[_Candidate, ...]]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, pair: tuple[str, str]) -> tuple[_Candidate, ...]:
        found = self._compute(*pair)
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        self[pair] = found
        return found


class _TripleCache(dict[tuple[str, str, str], _Start | None]):
    """(token, next, the one after) -> what may start at the token; like _PairCache."""

    __slots__ = ("_compute",)

    def __init__(self, compute: Callable[[str, str, str], _Start | None]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, key: tuple[str, str, str]) -> _Start | None:
        found = self._compute(*key)
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        self[key] = found
        return found


def _follows(tokens: list[str], start: int, words: tuple[str, ...]) -> bool:
    """Whether `words` stand in `tokens` from `start` on (compared in place, no slice)."""
    if start + len(words) > len(tokens):
        return False
    return all(tokens[start + offset] == word for offset, word in enumerate(words))


# Words that only say something about an intent's context: "with" words enable it, "unless"
# words mute it in their sentence. They hide no other word.
_CONTEXT: Final = frozenset(("with", "unless"))


def _nest_at(matched: list[tuple[Term, int]]) -> tuple[tuple[tuple[Term, int], ...], int]:
    """The terms matched at one position that survive the others there, and the widest span
    that hides later words (0 when none).

    A term is hidden by a wider one at the same position and by an [ignore] entry of exactly its
    width; [ignore] entries are never kept, they only exist to hide. A "with" word only enables
    its intent, and a scene ("der ligger en mand") only sets the net: they hide nothing, and a
    "with" word is hidden only by a wider [ignore] entry.
    """
    best = 0
    ignored: list[int] = []  # the widths of the [ignore] entries (rarely more than one)
    for term, width in matched:
        if width > best and width > 1 and term.section not in _CONTEXT and term.group != "scene":
            best = width
        if term.section == "ignore":
            ignored.append(width)
    # A "with" word is not hidden by a sign that starts with it ("tyren" in "tyren har fået"),
    # only by an [ignore] entry (a place name).
    widest_ignore = max(ignored) if ignored else 0
    kept: list[tuple[Term, int]] = []
    for term, width in matched:
        if (
            term.section != "ignore"
            and width not in ignored
            and (width >= best or (term.section in _CONTEXT and width >= widest_ignore))
        ):
            kept.append((term, width))
    return tuple(kept), best


# -- loading ---------------------------------------------------------------------------------


def _as_str_list(value: object, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataError(f"{where}: expected a list of strings")
    return list(value)


def _merge(documents: Iterable[tuple[str, Mapping[str, Any]]]) -> dict[str, Any]:
    """Merge several data files: later settings override, keyword lists are concatenated."""
    settings: dict[str, Any] = {}
    intents: dict[str, _RawIntent] = {}
    cues: dict[str, list[str]] = {}
    cue_emoji: dict[str, list[str]] = {}
    danger: list[str] = []
    ignore: list[str] = []
    help_words: list[str] = []
    help_emoji: list[str] = []
    help_exceptions: list[str] = []
    openers: list[str] = []
    opener_blockers: list[str] = []
    markers: dict[str, list[str]] = {}
    places: list[str] = []
    street_endings: list[str] = []
    town_endings: list[str] = []
    dialect: dict[str, str] = {}
    dialect_pairs: dict[str, str] = {}
    known: list[str] = []
    quoted: dict[str, list[str]] = {}
    for name, doc in documents:
        settings.update(doc.get("settings", {}))
        _merge_situations(name, doc.get("situation", []), intents, danger)
        place_doc = doc.get("places", {})
        for key in ("towns", "districts", "other"):
            places += _as_str_list(place_doc.get(key), f"{name}: [places] {key}")
        street_endings += _as_str_list(
            place_doc.get("street_endings"), f"{name}: [places] street_endings"
        )
        town_endings += _as_str_list(
            place_doc.get("town_endings"), f"{name}: [places] town_endings"
        )
        dialect_doc = doc.get("dialect", {})
        spellings = dialect_doc.get("words", {})
        if not isinstance(spellings, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in spellings.items()
        ):
            raise DataError(f"{name}: [dialect] words must map words to words")
        dialect.update(spellings)
        pairs = dialect_doc.get("pairs", {})
        if not isinstance(pairs, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in pairs.items()
        ):
            raise DataError(f"{name}: [dialect] pairs must map two words to a word")
        dialect_pairs.update(pairs)
        for intent_name, body in doc.get("intents", {}).items():
            if not isinstance(body, dict):
                raise DataError(f"{name}: [intents.{intent_name}] must be a table")
            raw = intents.setdefault(intent_name, _RawIntent())
            where = f"{name}: [intents.{intent_name}]"
            for key, value in body.items():
                if key == "keywords":
                    raw.keywords += _as_str_list(value, f"{where} keywords")
                elif key == "with_any":
                    raw.with_any += _as_str_list(value, f"{where} with_any")
                elif key == "unless":
                    raw.unless += _as_str_list(value, f"{where} unless")
                elif key == "emoji":
                    raw.emoji += _as_str_list(value, f"{where} emoji")
                else:
                    raw.fields[key] = value
        for cue_type, body in doc.get("cues", {}).items():
            where = f"{name}: [cues.{cue_type}]"
            if cue_type not in CUE_TYPES:
                raise DataError(f"{where}: unknown cue type (known: {', '.join(CUE_TYPES)})")
            cues.setdefault(cue_type, []).extend(_as_str_list(body.get("keywords"), where))
            cue_emoji.setdefault(cue_type, []).extend(_as_str_list(body.get("emoji"), where))
        danger += _as_str_list(doc.get("danger", {}).get("keywords"), f"{name}: [danger]")
        ignore += _as_str_list(doc.get("ignore", {}).get("keywords"), f"{name}: [ignore]")
        help_doc = doc.get("help_only", {})
        help_words += _as_str_list(help_doc.get("keywords"), f"{name}: [help_only]")
        help_emoji += _as_str_list(help_doc.get("emoji"), f"{name}: [help_only]")
        help_exceptions += _as_str_list(help_doc.get("not_before"), f"{name}: [help_only]")
        opener_doc = doc.get("sentence_openers", {})
        openers += _as_str_list(opener_doc.get("keywords"), f"{name}: [sentence_openers]")
        opener_blockers += _as_str_list(
            opener_doc.get("not_after"), f"{name}: [sentence_openers] not_after"
        )
        for intent_name, roles in doc.get("quoted", {}).items():
            quoted.setdefault(intent_name, []).extend(
                _as_str_list(roles, f"{name}: [quoted] {intent_name}")
            )
        lang = doc.get("language", {})
        if lang:
            code = lang.get("code")
            if not isinstance(code, str):
                raise DataError(f'{name}: [language] needs code = "da" or "en"')
            markers.setdefault(code, []).extend(
                _as_str_list(lang.get("markers"), f"{name}: [language] markers")
            )
            known += _as_str_list(lang.get("known"), f"{name}: [language] known")
    return {
        "settings": settings,
        "intents": intents,
        "cues": cues,
        "cue_emoji": cue_emoji,
        "danger": danger,
        "ignore": ignore,
        "help": help_words,
        "help_emoji": help_emoji,
        "help_exceptions": help_exceptions,
        "openers": openers,
        "opener_blockers": opener_blockers,
        "markers": markers,
        "known": known,
        "places": places,
        "street_endings": street_endings,
        "town_endings": town_endings,
        "dialect": dialect,
        "dialect_pairs": dialect_pairs,
        "quoted": quoted,
    }


def _merge_situations(
    name: str, situations: object, intents: dict[str, _RawIntent], danger: list[str]
) -> None:
    """Add each situation's signs to its intent and its net words to the danger words."""
    if not isinstance(situations, list):
        raise DataError(f"{name}: [[situation]] must be an array of tables")
    for number, body in enumerate(situations, 1):
        if not isinstance(body, dict):
            raise DataError(f"{name}: [[situation]] number {number} must be a table")
        title = body.get("chapter", f"number {number}")
        where = f"{name}: [[situation]] {title!r}"
        intent = body.get("intent")
        if not isinstance(intent, str) or not intent:
            raise DataError(f"{where}: needs intent = the name of an intent in common.toml")
        raw = intents.setdefault(intent, _RawIntent())
        raw.keywords += _as_str_list(body.get("signs"), f"{where} signs")
        raw.with_any += _as_str_list(body.get("with_any"), f"{where} with_any")
        raw.unless += _as_str_list(body.get("unless"), f"{where} unless")
        danger += _as_str_list(body.get("net"), f"{where} net")


def _spec(name: str, fields: Mapping[str, Any], needs_with: bool) -> IntentSpec:
    where = f"[intents.{name}]"
    route = fields.get("route")
    kind = fields.get("kind", "topic")
    severity = fields.get("severity", "serious")
    if route not in _ROUTES:
        raise DataError(f"{where} route must be one of {_ROUTES}, got {route!r}")
    if kind not in KINDS:
        raise DataError(f"{where} kind must be one of {KINDS}, got {kind!r}")
    if severity not in _SEVERITIES:
        raise DataError(f"{where} severity must be one of {_SEVERITIES}, got {severity!r}")
    threshold = fields.get("fuzzy_threshold")
    return IntentSpec(
        name=name,
        route=str(route),
        kind=str(kind),
        severity=str(severity),
        reportable=bool(fields.get("reportable", route == "report")),
        can_be_now=bool(fields.get("can_be_now", True)),
        past_intent=str(fields.get("past_intent", "")),
        weight=float(fields.get("weight", 1.0)),
        danger=bool(fields.get("danger", False)),
        needs_with=needs_with,
        fuzzy_threshold=float(threshold) if threshold is not None else None,
        ongoing=bool(fields.get("ongoing", False)),
        explainable=bool(fields.get("explainable", False)),
        recurring=bool(fields.get("recurring", False)),
    )


def load_lexicon(documents: Iterable[tuple[str, Mapping[str, Any]]]) -> Lexicon:
    """Compile parsed TOML documents (name, content) into a Lexicon."""
    merged = _merge(documents)
    intents: dict[str, IntentSpec] = {}
    terms: list[Term] = []
    emoji_terms: list[tuple[str, Term]] = []

    def add(written: str, section: str, group: str) -> None:
        pattern = _pattern(written)
        if pattern and pattern[0] != _WILDCARD:
            terms.append(Term(written, section, group, pattern))

    raw_intents: dict[str, _RawIntent] = merged["intents"]
    for name, raw in raw_intents.items():
        if "route" not in raw.fields:
            raise DataError(f"[intents.{name}] has words but no route: define it in common.toml")
        intents[name] = _spec(name, raw.fields, bool(raw.with_any))
        for word in raw.keywords:
            add(word, "intent", name)
        for word in raw.with_any:
            add(word, "with", name)
        for word in raw.unless:
            add(word, "unless", name)
        for emoji in raw.emoji:
            emoji_terms.append((emoji, Term(emoji, "intent", name, (emoji,))))
    for cue_type, words in merged["cues"].items():
        for word in words:
            add(word, "cue", cue_type)
    for cue_type, emojis in merged["cue_emoji"].items():
        for emoji in emojis:
            emoji_terms.append((emoji, Term(emoji, "cue", cue_type, (emoji,))))
    for word in merged["danger"]:
        add(word, "danger", "")
    for word in merged["ignore"]:
        add(word, "ignore", "")
    help_phrases = frozenset(" ".join(_pattern(w)) for w in merged["help"]) - {""}
    for emoji in merged["help_emoji"]:
        emoji_terms.append((emoji, Term(emoji, "help", "", (emoji,))))
    markers = {code: frozenset(map(token_form, words)) for code, words in merged["markers"].items()}
    exceptions = frozenset(fold(w) for w in merged["help_exceptions"])
    return Lexicon(
        merged["settings"],
        intents,
        terms,
        emoji_terms,
        markers,
        help_phrases,
        exceptions,
        places=merged["places"],
        street_endings=merged["street_endings"],
        town_endings=merged["town_endings"],
        openers=merged["openers"],
        opener_blockers=merged["opener_blockers"],
        known=frozenset(map(token_form, merged["known"])),
        dialect=merged["dialect"],
        dialect_pairs=merged["dialect_pairs"],
        quoted=merged["quoted"],
    )


def parse_toml(name: str, text: str) -> tuple[str, dict[str, Any]]:
    """Parse one data file, naming it in any error."""
    try:
        return name, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{name}: {exc}") from exc
