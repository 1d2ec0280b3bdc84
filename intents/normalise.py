"""Text normalisation for phone-written Danish and English.

Ambassadors type on phones: missing or substituted æ ø å, accents, shouting, repeated letters,
emoji and invisible characters pasted from other apps. Keyword data and incoming text go through
the *same* folding, so "hjææælp", "HJAELP" and "hjalp" all meet the keyword "hjælp".
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

__all__ = [
    "CONTRAST_BREAK",
    "QUESTION_END",
    "SENTENCE_BREAK",
    "SENTENCE_END",
    "clean",
    "english_men",
    "fold",
    "fold_token",
    "is_break",
    "join_word_sentences",
    "message_tokens",
    "normalise",
    "reorder_negation",
    "split_run_ons",
    "token_form",
]

# Module constants are Final: compiled (see setup.py), a Final name is read from a C
# static, any other name is looked up in the module's dict at every use.
#: Break tokens in the token stream: a clause break (comma, colon), a contrast ("men", "but"),
#: a sentence end, and the end of a question. Phrases never match across any of them; all start
#: with "|". Tense cues reach as far as the sentence, which a contrast also ends ("det var i går,
#: men nu brænder det igen").
SENTENCE_BREAK: Final = "|"
CONTRAST_BREAK: Final = "|+"
SENTENCE_END: Final = "|."
QUESTION_END: Final = "|?"

# Format and control characters (Unicode categories Cf, Cc, Zl, Zp) that can hide inside words:
# zero-width spaces/joiners, bidi marks and overrides, soft hyphen, BOM, tag characters.
# Computed once from unicodedata for the small ranges (surrogates and private use are left alone).
_INVISIBLE_RANGES: Final[tuple[tuple[int, int], ...]] = (
    (0x00, 0x1F),
    (0x7F, 0x9F),
    (0xAD, 0xAD),
    (0x600, 0x605),
    (0x61C, 0x61C),
    (0x6DD, 0x6DD),
    (0x70F, 0x70F),
    (0x890, 0x891),
    (0x8E2, 0x8E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x2028, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x13438),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)
_LINE_BREAKS: Final = {0x0A, 0x0D, 0x85, 0x2028, 0x2029}
_SPACES: Final = {0x09, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x1F}


def _build_invisible_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for lo, hi in _INVISIBLE_RANGES:
        for cp in range(lo, hi + 1):
            table[cp] = None
    for cp in _LINE_BREAKS:
        table[cp] = "\n"
    for cp in _SPACES:
        table[cp] = " "
    return table


_INVISIBLE_TABLE: Final = _build_invisible_table()
# Detects any character the table changes (a plain "\n" needs no work), so most messages skip it.
_INVISIBLE_RE: Final = re.compile(
    "["
    + "".join(
        f"\\U{lo:08x}-\\U{hi:08x}"
        for lo, hi in ((0x00, 0x09), (0x0B, 0x1F), *_INVISIBLE_RANGES[1:])
    )
    + "]"
)

# Danish letters and look-alikes folded to plain Latin, so "ø", "oe" and "o" meet.
_LETTER_TABLE: Final = str.maketrans(
    {
        "æ": "a",
        "ø": "o",
        "ß": "ss",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ł": "l",
        "œ": "o",
        "ı": "i",
        "’": "",
        "'": "",
        "`": "",
        "´": "",
        "ʼ": "",
        "‘": "",
    }
)
# Combining marks left after NFKD (accents, the ring of å, emoji variation selectors).
_COMBINING_RE: Final = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f]"
)
# Repeated letters count once: "hjææælp" -> "hjalp", "nuuu" -> "nu", "stikkeri" -> "stikeri".
_REPEAT_RE: Final = re.compile(r"([a-z])\1+")
_APOSTROPHES: Final[tuple[str, ...]] = ("'", "`", "’", "´", "ʼ", "‘")
# The words of a text, for normalise().
_WORD_RE: Final = re.compile(r"\w+")


def clean(text: str) -> str:
    """Return NFKC text without invisible/control characters (line breaks kept as newlines)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    # Every character the table changes is unprintable; most messages have none at all.
    if not text.isprintable() and _INVISIBLE_RE.search(text):
        text = text.translate(_INVISIBLE_TABLE)
    return text


def fold(text: str) -> str:
    """Fold case, accents, æøå spellings and repeated letters so variants compare equal."""
    folded = text.casefold()
    if folded.isascii():
        if "'" in folded or "`" in folded:
            folded = folded.replace("'", "").replace("`", "")
    else:
        folded = folded.translate(_LETTER_TABLE)
        folded = _COMBINING_RE.sub("", unicodedata.normalize("NFKD", folded))
    # "ae"/"oe" are phone spellings of æ/ø; "aa" (å) is handled by the repeat collapse.
    # Repeat until nothing changes: "oee" collapses to "oe", which must fold on to "o".
    while True:
        shorter = _REPEAT_RE.sub(r"\1", folded.replace("ae", "a").replace("oe", "o"))
        if shorter == folded:
            return folded
        folded = shorter


def _break_token(separator: str) -> str:
    if "?" in separator:
        return QUESTION_END
    if separator[0] in ",:":
        return SENTENCE_BREAK
    return SENTENCE_END


_BREAK_RANK: Final = {SENTENCE_BREAK: 0, CONTRAST_BREAK: 1, SENTENCE_END: 2, QUESTION_END: 3}


def _push_break(out: list[str], token: str) -> None:
    """Append a break token; next to another break, keep the stronger ("?" > "." > "men" > ",")."""
    if not out:
        return
    if out[-1][0] != "|":
        out.append(token)
    elif _BREAK_RANK[token] > _BREAK_RANK[out[-1]]:
        out[-1] = token


def is_break(token: str) -> bool:
    """Whether a token is one of the clause/sentence break markers."""
    return token[0] == "|"


_FOLD_CACHE: Final[dict[str, str]] = {}
_FOLD_CACHE_LIMIT: Final = 100_000


#: SMS spellings of common words, by folded form, mapped to the folded full word ("ikk", "ik"
#: -> "ikke"), so keywords written with the full word also match the short one.
SMS_WORDS: Final = {"ik": "ike", "ikek": "ike", "ikk": "ike"}

#: Modal verbs that Danish puts after "ikke" in a subordinate clause ("som ikke kan komme ud").
_MODALS: Final = frozenset(fold(w) for w in ("kan", "vil", "kunne", "ville", "må", "tør", "gider"))
_NOT: Final = fold("ikke")


def reorder_negation(tokens: list[str]) -> list[str]:
    """Put "ikke" after a following modal verb, in place: "ikke kan" -> "kan ikke".

    Keywords are written in main-clause order ("kan ikke komme ud"); the same reordering is
    applied to them, so both word orders meet.
    """
    if _NOT not in tokens:
        return tokens
    last = len(tokens) - 1
    for i, tok in enumerate(tokens):
        if tok == _NOT and i < last and tokens[i + 1] in _MODALS:
            tokens[i], tokens[i + 1] = tokens[i + 1], tok
    return tokens


def fold_token(word: str) -> str:
    """fold() for one word, cached: words repeat across messages, folding is the slow part.

    SMS spellings of common words become the full word (see SMS_WORDS).
    """
    folded = _FOLD_CACHE.get(word)
    if folded is None:
        folded = fold(word)
        folded = SMS_WORDS.get(folded, folded)
        if len(_FOLD_CACHE) >= _FOLD_CACHE_LIMIT:
            _FOLD_CACHE.clear()
        _FOLD_CACHE[word] = folded
    return folded


# A word or a run of sentence/clause punctuation: the pieces of one space-free chunk. A number
# written with a point or comma ("25.000 kr", "kl 14.30", "måleren viser 1,8") is one word,
# not a sentence break.
_PIECE_RE: Final = re.compile(r"\d+(?:[.,]\d+)+|[.!?;,:\n…]+|\w+")
_SEPARATOR_CHARS: Final = frozenset(".!?;,:\n…")
_BUT_WORDS: Final = frozenset({"men", "but"})
# "men" is Danish "but", and English "men": after an English count or determiner ("two men",
# "some men", "3 men") it is the men, not a contrast. After a number it is only so in an English
# message ("kl 2 men de var væk" is Danish): see english_men.
_MEN: Final = "men"
_BEFORE_ENGLISH_MEN: Final = frozenset(
    {
        "two", "three", "four", "five", "six", "some", "the", "these", "those", "young", "old",
        "older", "masked", "armed", "several", "many", "drunk", "big", "unknown", "strange",
        "other", "few", "of", "with",
    }
)  # fmt: skip
# Words that folding would turn into another word, kept as typed. West Jutlandic spellings: a
# lone "æ" or "å" ("æ hus" = the house, "står å slås" = står og slås), "dæ" (der, not "da")
# "ett"/"itt" (ikke, not "et"), "sæ" (sig, not "så") and "mæ" (med, not "må"); no standard
# Danish word is spelt so. And "dø" (to die), which would fold to "do", the dialect's "du"
# ("hun vil dø i dag" is not "hun vil du").
LONE_LETTERS: Final = frozenset({"æ", "å", "dæ", "ett", "itt", "sæ", "mæ", "dø"})
# Everyday words that folding would turn into a danger word, kept as typed: "slæt" (a hay cut,
# not "slået"), "bænker" (benches, not "banker"), "dråber" (drops, not "dræber"), "høster"
# (harvests, not "hoster"), "målet" (the goal, not "malet"), "tæppet" (the blanket, not
# "tappet"), "gæs"/"gås" (geese, not "gas"), "fødder" (feet, not "føder"), "kør" (drive, not
# "køer"), "blød" (soft, not "blod"); "økse" (an axe), so that "oksen" (the ox) is not one; and
# "færre" (fewer, a word of statistics), so that "i fare" (in danger) is not talk in general;
# "dæmpe" (to calm), so that calming rumours is no steam ("damp").
# Written with æ, ø or å they cannot be the other word; written without ("slaet", "baenker")
# they still fold as before. And "kofoed", a family name common on Bornholm, which would fold
# into "kofod" (a crowbar); words_da.toml lists it as known, so no typo reading takes it either.
KEPT_AS_TYPED: Final = frozenset(
    {
        "slæt", "bænk", "bænke", "bænken", "bænker", "bænkene", "bænkerne", "dråber", "dråberne",
        "høste", "høster", "høstet", "målet", "tæppe", "tæppet", "tæpper", "gæs", "gås", "gåsen",
        "gæssene", "fødder", "fødderne", "kør", "blød", "økse", "øksen", "økser", "dråbe",
        "dråben", "skåle", "skælle", "hæmmer", "bænkede", "bænket", "tåget", "tågede", "færre",
        "kofoed", "hæve", "hæver", "jæger", "jægeren", "jægere", "jægerne", "dæmpe", "dæmper",
        "dæmpet",
    }
)  # fmt: skip
_AS_TYPED: Final = LONE_LETTERS | KEPT_AS_TYPED
# Punctuation said aloud: a dictated message writes "punktum" where a typed one has ".".
SPOKEN_BREAKS: Final = {
    "punktum": SENTENCE_END,
    "udråbstegn": SENTENCE_END,
    "spørgsmålstegn": QUESTION_END,
    "komma": SENTENCE_BREAK,
}
# Space-separated chunk of cleaned text -> (its tokens, whether any is a break token).
_Chunk = tuple[tuple[str, ...], bool]


class _ChunkCache(dict[str, _Chunk]):
    """Chunk -> its tokens; a miss computes them (and keeps them unless the chunk is long)."""

    __slots__ = ()

    def __missing__(self, chunk: str) -> _Chunk:
        entry = _chunk_tokens(chunk)
        if len(chunk) <= _CHUNK_CACHE_MAX_CHARS:  # a word or two, not a long unspaced text
            self[chunk] = entry
        return entry


_CHUNK_CACHE: Final = _ChunkCache()
_CHUNK_CACHE_LIMIT: Final = 100_000
_CHUNK_CACHE_MAX_CHARS: Final = 64


def _chunk_tokens(chunk: str) -> tuple[tuple[str, ...], bool]:
    """Tokens of one space-free chunk of cleaned text ("naboen," -> "naboen", "|"), cached.

    No word or punctuation run spans a space and casefolding never makes one, so a message's
    tokens are its chunks' tokens in order, with breaks merged where chunks meet.
    """
    lowered = chunk.casefold()
    for mark in _APOSTROPHES:
        if mark in lowered:
            lowered = lowered.replace(mark, "")
    tokens: list[str] = []
    for piece in _PIECE_RE.findall(lowered):
        if piece[0] in _SEPARATOR_CHARS:
            tokens.append(_break_token(piece))
        elif piece in SPOKEN_BREAKS:
            tokens.append(SPOKEN_BREAKS[piece])
        elif piece in _BUT_WORDS:
            tokens.append(CONTRAST_BREAK)
        elif piece in _AS_TYPED:
            tokens.append(piece)
        else:
            tokens.append(fold_token(piece))
    return tuple(tokens), any(t[0] == "|" for t in tokens)


def message_tokens(cleaned: str) -> list[str]:
    """Folded word tokens of a cleaned message, with break tokens between clauses/sentences.

    Works chunk by chunk (split at spaces) through a cache: chunks repeat across messages, and
    most hold one word and no break.
    """
    cache = _CHUNK_CACHE
    if len(cache) >= _CHUNK_CACHE_LIMIT:
        cache.clear()
    out: list[str] = []
    for chunk in cleaned.split(" "):
        # A plain loop (compiled, see setup.py, it makes no Python call per chunk), and a lone
        # word is appended rather than extended from its 1-tuple.
        tokens, has_break = cache[chunk]
        if not has_break:
            if len(tokens) == 1:
                out.append(tokens[0])
            else:
                out.extend(tokens)
            continue
        for token in tokens:
            if token[0] != "|":
                out.append(token)
            elif (
                token == CONTRAST_BREAK
                and out
                and (out[-1] in _BEFORE_ENGLISH_MEN or out[-1].isdigit())
                and chunk[:3].casefold() == _MEN
            ):
                out.append(_MEN)
            else:
                _push_break(out, token)
    return out


def english_men(tokens: list[str], english: bool) -> list[str]:
    """Settle "men" after a number: the men in an English message, else Danish "but"."""
    if english or _MEN not in tokens:
        return tokens
    out: list[str] = []
    for i, token in enumerate(tokens):
        if token == _MEN and i > 0 and tokens[i - 1].isdigit():
            _push_break(out, CONTRAST_BREAK)
        else:
            out.append(token)
    return out


#: How many one-word sentences in a row make a message typed word by word.
_WORD_RUN: Final = 3


def join_word_sentences(tokens: list[str]) -> list[str]:
    """Join a run of one-word sentences ("Jeg. Kan. Ikke. Få. Vejret.") into one sentence.

    Someone short of breath, or typing word by word, may end every word with a full stop.
    Read apart, no sentence holds the situation; three such sentences in a row are one.
    """
    if tokens.count(SENTENCE_END) < _WORD_RUN - 1:
        return tokens
    # Where each one-word sentence starts: a word with a sentence end (or the message's end)
    # after it and a sentence end (or the message's start) before it.
    last = len(tokens) - 1
    single = [
        i
        for i, token in enumerate(tokens)
        if token[0] != "|"
        and (i == 0 or tokens[i - 1] == SENTENCE_END)
        and (i == last or tokens[i + 1] == SENTENCE_END)
    ]
    drop: set[int] = set()
    start = 0
    for k in range(1, len(single) + 1):
        if k < len(single) and single[k] == single[k - 1] + 2:
            continue
        if k - start >= _WORD_RUN:
            drop.update(single[j] + 1 for j in range(start, k - 1))
        start = k
    if not drop:
        return tokens
    return [token for i, token in enumerate(tokens) if i not in drop]


# A run of this many words with no break is a message typed without punctuation: its clauses
# are found from where a new subject and its verb start (see split_run_ons).
_RUN_ON: Final = 30
_MIN_CLAUSE: Final = 4


def _folded(words: str) -> frozenset[str]:
    """Word lists written as typed, kept as the token stream folds them."""
    return frozenset(fold_token(word) for word in words.split())


# Subjects that start a clause.
_SUBJECTS: Final = _folded("jeg han hun vi de")
# Words after which a subject goes on with the clause: what someone says, thinks, asks or
# sees ("hun siger han er politi", "jeg tror det brænder", "hvor han er").
_BINDERS: Final = _folded(
    "at om som der hvis når da fordi mens hvor hvad hvem hvordan hvorfor hvornår siger sagde "
    "skriver skrev tror troede synes ved hørte hørt så end enten både"
)
# Finite verbs that do not end in -r or -ede.
_IRREGULAR_VERBS: Final = _folded(
    "var kan vil skal må gik kom så fik lå stod sad tog blev sagde kunne ville skulle måtte "
    "havde gjorde bad løb slog sov døde faldt hørte sendte kaldte"
)
# Words ending in -r that are no verbs.
_NOT_VERBS: Final = _folded(
    "for før over efter der her hver hvor eller under mor far bror kr nr ur år vinter sommer "
    "par naboer børn"
)


def _finite_verb(token: str) -> bool:
    """A Danish finite verb, roughly: present tense ends in -r, weak past in -ede."""
    if token in _IRREGULAR_VERBS:
        return True
    if token in _NOT_VERBS or len(token) < 3 or token[0] == "|" or token[0].isdigit():
        return False
    return token.endswith("r") or token.endswith("ede")


def split_run_ons(tokens: list[str]) -> list[str]:
    """Break a long run typed without punctuation into clauses where a new subject and its verb
    start ("vores 7 årige er ikke kommet hjem fra skole i dag og vi har ringet til alle
    forældrene i klassen | han skulle have været her for 2 timer siden").

    A cue that reaches its clause (a thanks, "skulle have været") would otherwise reach the
    whole message. A subject after a verb ("i aften sidder jeg") or after a word that binds it
    to what comes before ("hun siger han er politi") goes on with its clause.
    """
    if len(tokens) < _RUN_ON:  # most messages
        return tokens
    length = longest = 0
    for token in tokens:
        length = 0 if token[0] == "|" else length + 1
        longest = max(longest, length)
    if longest < _RUN_ON:
        return tokens
    result: list[str] = []
    run: list[str] = []
    for token in [*tokens, SENTENCE_END]:
        if token[0] != "|":
            run.append(token)
            continue
        result += _split_run(run) if len(run) >= _RUN_ON else run
        result.append(token)
        run = []
    result.pop()  # the end added above
    return result


def _split_run(run: list[str]) -> list[str]:
    """One run's words with a clause break before each new subject and its verb."""
    out: list[str] = []
    last = 0  # where the current clause starts in run
    n = len(run)
    for i, token in enumerate(run):
        if (
            i - last >= _MIN_CLAUSE
            and i + 1 < n
            and token in _SUBJECTS
            and run[i - 1] not in _BINDERS
            and _finite_verb(run[i + 1])
            and not _finite_verb(run[i - 1])
        ):
            out.append(SENTENCE_BREAK)
            last = i
        out.append(token)
    return out


def token_form(word: str) -> str:
    """The form a single word takes in the token stream (folded, or as typed: see _AS_TYPED)."""
    lowered = word.casefold()
    return lowered if lowered in _AS_TYPED else fold_token(lowered)


def normalise(text: str) -> str:
    """Return the matching form of *text*: cleaned, folded, words separated by single spaces.

    This is the form the classifier compares against its keyword data; two messages that differ
    only in case, æøå spelling, accents, repeated letters, punctuation or invisible characters
    normalise to the same string.
    """
    return " ".join(_WORD_RE.findall(fold(clean(text))))
