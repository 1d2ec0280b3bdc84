"""Route a message to acute (112), report (114/politi.dk) or officer, and say why.

The rules follow a careful call-taker: find what the message is about (intents from the keyword
data), then read the cues around it: is it happening now or already over, is it a question about
such things in general, is it hedged ("ikke akut") or resolved ("alle er ok").

Every sentence counts on its own: a long message of club business whose last sentence says a
man is lying on the floor is acute, because "i fredags" in the first sentence does not reach
the last one. Tense cues reach their own sentence (and a following sentence that goes on with
the same story); question and hypothetical cues reach their clause (the whole sentence when it
is a question); "alle er ok", "allerede anmeldt" and "vil anmelde det" speak for their own
sentence and the ones before it (a wish to report also for the next one), "det er nok bare
jagt" for its own and the one before, "ikke akut" for the whole message.
When in doubt between acute and anything else the answer is acute. A non-acute answer sets the
safety net ("if anyone is in danger now, call 112", and a flag for the officer) when a sentence
holds danger words, a scene told in the present or a plea for speed, and no cue says it is over
(past, resolved, already reported) or only talk (rumours, statistics, a staged exercise).
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import re
import sys
import threading
from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path
from typing import Final

from .commands import split_command
from .lexicon import Hit, IntentSpec, Lexicon, load_lexicon, parse_toml
from .model import Classification, Route
from .normalise import (
    clean,
    english_men,
    join_word_sentences,
    message_tokens,
    reorder_negation,
    split_run_ons,
)

__all__ = ["Classifier", "classify", "default_classifier"]

# Module constants are Final: compiled (see setup.py), a Final name is read from a C
# static, any other name is looked up in the module's dict at every use.
_DATA: Final = Path(__file__).resolve().parent / "data"
_PACKAGE_FILES: Final[tuple[str, ...]] = (
    "common.toml",
    "situations.toml",
    "places.toml",
    "da.toml",
    "en.toml",
    "de.toml",
    "words_da.toml",
    "words_en.toml",
)
_EMPTY: Final = Classification(Route.OFFICER, "empty", 1.0, (), (), False, (), "da")
# Cue types whose reach is the sentence (tense); the rest reach a clause or the whole message.
_TENSE: Final = frozenset(
    {"now", "now_weak", "past", "past_weak", "background", "habit", "present", "present_weak"}
)
_CLAUSE_CUES: Final = frozenset(
    {
        "hypothetical",
        "general",
        "conditional",
        "question",
        "rule_question",
        "neutral",
        "drill",
        "doubt",
    }
)
_MUTED_BY_GENERAL: Final = frozenset({"now_weak", "reported", "urgent"})
_ENDING: Final = frozenset({"resolved", "settled", "explained", "put_out"})
# Cues that say it is over, which a doubt before them in their clause takes back ("vi ved ikke
# om alle er ok", "not sure everyone got out").
_DOUBTED: Final = _ENDING | {"reported", "retracted"}
_URGENT: Final = frozenset({"urgent"})
_LAUGHING: Final = ("😂", "🤣", "😅", "😆", "😄", "😁", "🙈")
_NEVER: Final = 1 << 30  # a position after every word
# Tense cues that make a sentence worth a second look: now, a plea for speed, a present scene.
_PRESSING: Final = frozenset({"now", "urgent", "present"})
_NO_TENSE: Final[frozenset[str]] = frozenset()
_OVER: Final = frozenset({"past", "background", "habit"})
_HABIT: Final = frozenset({"habit"})
# Words that turn a sentence told in the past to now ("ham der truede mig i går står nu ...").
_TURNING: Final = frozenset({"nu", "now"})
_PAST: Final = frozenset({"past"})
_PLACE_STAND_IN: Final = "stednavn"

Found = tuple[Hit, IntentSpec]


class _Flags:
    """The cues that act on one sentence: its own tense and the message-wide ones.

    A plain class rather than a dataclass, as are _Sentence and _Verdict: compiled (see
    setup.py), a dataclass keeps the interpreted __init__ the decorator writes, and one of
    each is made for every sentence with evidence.
    """

    __slots__ = (
        "background", "explained", "explained_at", "habit", "not_urgent", "now", "now_weak",
        "past", "past_weak", "put_out", "report_req", "report_req_here", "report_req_own",
        "reported", "reported_here", "resolved", "settled", "shouted", "urgent",
    )  # fmt: skip

    def __init__(
        self,
        now: bool = False,
        now_weak: bool = False,
        urgent: bool = False,
        past: bool = False,
        past_weak: bool = False,
        background: bool = False,
        habit: bool = False,
        resolved: bool = False,
        settled: bool = False,
        not_urgent: bool = False,
        report_req: bool = False,
        reported: bool = False,
        reported_here: bool = False,
        report_req_here: bool = False,
        shouted: bool = False,
        explained: bool = False,
        put_out: bool = False,
        report_req_own: bool = False,
        explained_at: int = -1,
    ) -> None:
        self.now = now  # strong now ("lige nu", "i gang")
        self.now_weak = now_weak
        self.urgent = urgent
        self.past = past
        self.past_weak = past_weak
        # long ago ("sidste år"): crimes there are background, not reports
        self.background = background
        # "hver nat", "flere aftener": a pattern to look into, not an event now
        self.habit = habit
        self.resolved = resolved
        self.settled = settled
        self.not_urgent = not_urgent
        self.report_req = report_req
        self.reported = reported  # anywhere in the message: nothing to send to 114 again
        self.reported_here = reported_here  # said in this sentence or a later one: over
        self.report_req_here = report_req_here  # asked in this, the next or a later sentence
        self.shouted = shouted
        # a harmless, announced cause: a permitted bonfire, a smoke drill
        self.explained = explained
        # "det er slukket": over for a fire, says nothing about anything else
        self.put_out = put_out
        self.report_req_own = report_req_own  # the wish to report stands in this very sentence
        # Where the harmless cause is named: what the sentence told before it is explained even
        # when told as now ("der brænder et bål lige nu, men det er sankthansbål"); what it
        # tells after it is not ("står og afbrænder haveaffald og nu brænder hans skur").
        self.explained_at = explained_at

    def is_now(self) -> bool:
        """A weak "nu" or a plea for speed loses to a clear past time or to "alle er ok"."""
        if self.now:
            return True
        over = self.past or self.background or self.resolved or self.settled or self.put_out
        return (self.now_weak or self.urgent) and not over


_NO_FLAGS: Final = _Flags()


class _Sentence:
    """Evidence found in one sentence (made only for sentences that have some)."""

    __slots__ = (
        "danger",
        "live_danger",
        "now_at",
        "past_at",
        "past_times",
        "pressing",
        "real",
        "tense",
    )

    def __init__(self) -> None:
        self.real: list[Found] = []
        self.danger: list[Hit] = []
        self.live_danger: list[Hit] = []  # outside imagined, general or asked-about clauses
        self.tense: set[str] = set()
        self.pressing: list[Hit] = []  # "lige nu", "er ved at", "skynd jer": worth a look
        self.past_at = -1  # where the last clear past cue starts
        self.now_at: list[int] = []  # where each "nu" starts
        self.past_times: list[int] = []  # where each clear past cue ("i går", "der var") starts


class _Verdict:
    """What one sentence says: the intents that make it acute, and crimes to report."""

    __slots__ = ("acute", "crimes", "danger_now", "flags", "net", "real")

    def __init__(
        self,
        acute: list[Found],
        danger_now: list[Hit],
        crimes: list[Found],
        net: list[Hit],
        flags: _Flags,
        real: list[Found],
    ) -> None:
        self.acute = acute
        self.danger_now = danger_now
        self.crimes = crimes
        self.net = net
        self.flags = flags
        self.real = real


class Classifier:
    """Keyword-and-cue classifier built from TOML data; pure and thread-safe after build."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lex = lexicon
        self._help_phrases = lexicon.help_phrases
        self._help_words = lexicon.help_words
        self._help_emoji = tuple(e for e, t in lexicon.emoji_terms if t.section == "help")
        # Longer messages cannot be a whole help phrase, so they skip joining their words.
        self._help_max_words = max((p.count(" ") + 1 for p in self._help_phrases), default=0)
        # Language codes in data order, and for each marker word the codes it marks (by index).
        self._codes = tuple(lexicon.language_markers)
        self._marks: dict[str, list[int]] = {}
        for index, markers in enumerate(lexicon.language_markers.values()):
            for marker in markers:
                self._marks.setdefault(marker, []).append(index)
        # Each intent's rank as one number: its place among the distinct (severity, weight)
        # ranks, so that _best compares two ints instead of two tuples.
        ranks = {spec.name: _rank(spec) for spec in lexicon.intents.values()}
        order = {rank: place for place, rank in enumerate(sorted(set(ranks.values())))}
        self._ranks = {name: order[rank] for name, rank in ranks.items()}
        self._dialect = lexicon.dialect
        self._dialect_pairs = lexicon.dialect_pairs
        # A message is spelt out only if it holds a dialect word or a pair ("der bær", "vil
        # et"); a pair is looked up only at its first word ("der", "vil").
        self._dialect_words = frozenset(lexicon.dialect)
        self._pair_firsts = frozenset(a for a, _ in lexicon.dialect_pairs)
        # Whether every dialect word stands for one word (then a message without a dialect pair
        # is spelt out in one pass).
        self._dialect_one_word = all(" " not in v for v in lexicon.dialect.values())
        # A capitalised place name inside a sentence ("i Røgen") is a name, not "røgen".
        names = lexicon.capital_places
        self._place_hint = re.compile("|".join(map(re.escape, names)) or "(?!)")
        self._place_re = (
            re.compile(r"(?<=[\w,] )(?:" + "|".join(map(re.escape, names)) + r")\b")
            if names
            else None
        )

    @classmethod
    def from_package_data(cls, cache_dir: Path | None = None) -> Classifier:
        """Build from the TOML files shipped in intents/data.

        Compiling the data takes a quarter of a second; a short-lived process (the
        `classify` command) passes `cache_dir` to keep the compiled lexicon there, keyed by
        a hash of the data and of this package's code, so it is rebuilt whenever either
        changes and otherwise loaded in a few milliseconds.
        """
        texts = [(name, (_DATA / name).read_text("utf-8")) for name in _PACKAGE_FILES]
        if cache_dir is None:
            return cls(load_lexicon(parse_toml(name, text) for name, text in texts))
        return cls(_cached_lexicon(cache_dir, texts))

    @classmethod
    def from_files(cls, *paths: Path) -> Classifier:
        """Build from TOML files on disk (later files extend and override earlier ones)."""
        docs = [parse_toml(str(p), Path(p).read_text("utf-8")) for p in paths]
        return cls(load_lexicon(docs))

    # -- public ------------------------------------------------------------------------------

    def classify(self, text: str) -> Classification:
        """Classify one message. Never raises for any str; very long text is truncated.

        A leading bot command ("/hjælp", "/start@bot") is not part of the message: the text
        after it is classified, so a command never hides an emergency.
        """
        if not isinstance(text, str):
            text = str(text)
        text = text[: self._lex.max_chars + 64]
        # Only a message holding "/" can open with a command: most skip the (uncompiled) call.
        command: str | None = None
        if "/" in text:
            command, text = split_command(text)
        cleaned = clean(text[: self._lex.max_chars])
        if self._place_re is not None and self._place_hint.search(cleaned):
            cleaned = self._place_re.sub(_PLACE_STAND_IN, cleaned)
        tokens = message_tokens(cleaned)
        words = [t for t in tokens if t[0] != "|"]
        if "men" in words:  # English "men" after a count: no Danish marker (see english_men)
            language = self._language([w for w in words if w != "men"])
            tokens = english_men(tokens, language == "en")
            words = [t for t in tokens if t[0] != "|"]
        else:
            language = self._language(words)
        if language == "da" and (
            not self._dialect_words.isdisjoint(words) or self._has_dialect_pair(tokens)
        ):
            tokens = self._standard_spelling(tokens)
            words = [t for t in tokens if t[0] != "|"]
        tokens = self._lex.open_sentences(
            reorder_negation(split_run_ons(join_word_sentences(tokens)))
        )
        if not words and not cleaned.strip():
            if command is not None:
                return Classification(Route.OFFICER, "command", 1.0, (), (), False, (), language)
            return _EMPTY
        if self._is_help(words, cleaned):
            said = tuple(w for w in words if w in self._help_words)[:2]
            return Classification(
                Route.ACUTE, "help", 0.9, said or ("🆘",), (), False, (), language
            )
        hits, sentence_of, questions = self._lex.scan(tokens, cleaned)
        hits += self._lex.quoted_hits(cleaned, tokens)
        if not words and not hits:
            return Classification(Route.OFFICER, "general", 0.5, (), (), False, (), language)
        # A rule asked about at the start of a clause asks even without "?" ("er det lovligt at
        # sove i autocamperen på havnen", typed the way many type a question).
        rule_openers = frozenset(
            h.start
            for h in hits
            if h.term.group == "rule_question"
            and h.term.section == "cue"
            and (h.start == 0 or tokens[h.start - 1][0] == "|")
        )
        return self._decide(hits, sentence_of, questions, language, "!!" in cleaned, rule_openers)

    # -- steps -------------------------------------------------------------------------------

    def _language(self, words: list[str]) -> str:
        """The language with the most distinct marker words among the first 60 ("da" if none;
        the first in data order on a tie). One lookup per word, not one per word and language."""
        marks = self._marks
        counts = [0] * len(self._codes)
        seen: set[str] = set()
        for word in words if len(words) <= 60 else words[:60]:
            languages = marks.get(word)
            if languages is not None and word not in seen:
                seen.add(word)
                for index in languages:
                    counts[index] += 1
        best, best_count = "da", 0
        for index, code in enumerate(self._codes):
            if counts[index] > best_count:
                best, best_count = code, counts[index]
        return best

    def _has_dialect_pair(self, tokens: list[str]) -> bool:
        """Whether a token and the next (the last token: the end) are a dialect pair."""
        firsts, pairs = self._pair_firsts, self._dialect_pairs
        last = len(tokens) - 1
        for i, tok in enumerate(tokens):
            if tok in firsts and (tok, tokens[i + 1] if i < last else "|") in pairs:
                return True
        return False

    def _standard_spelling(self, tokens: list[str]) -> list[str]:
        """West Jutlandic spellings to standard Danish ("a ka it" -> "kan ikke"), from data."""
        dialect, pairs = self._dialect, self._dialect_pairs
        if self._dialect_one_word and pairs.keys().isdisjoint(pairwise(tokens)):
            return [s for s in map(dialect.get, tokens, tokens) if s]
        out: list[str] = []
        skip = False
        for tok, following in zip(tokens, [*tokens[1:], "|"], strict=True):
            if skip:
                skip = False
                continue
            pair = pairs.get((tok, following)) if pairs else None
            if pair is not None:
                out.extend(pair.split()) if " " in pair else out.append(pair)
                skip = True
                continue
            standard = dialect.get(tok, tok)
            if standard:
                out.extend(standard.split()) if " " in standard else out.append(standard)
        return out

    def _is_help(self, words: list[str], cleaned: str) -> bool:
        """ "hjælp", "SOS!!", "help me" or 🆘 alone, or a message that opens with a cry for help."""
        if not words:
            return any(e in cleaned for e in self._help_emoji)
        if len(words) <= self._help_max_words and " ".join(words) in self._help_phrases:
            return True
        help_words = self._help_words
        opens_with_help = words[0] in help_words
        if opens_with_help and all(w in help_words for w in words):
            return True
        if len(words) <= 8 and all(len(w) == 1 for w in words):  # "s.o.s", "h j æ l p"
            return "".join(words) in help_words
        # "HJÆLP 😂 har glemt koden": a cry laughed at is a figure of speech; what follows it
        # is still read like any message
        return (
            opens_with_help
            and len(words) > 1
            and words[1] not in self._lex.help_exceptions
            and not any(e in cleaned for e in _LAUGHING)
        )

    def _decide(
        self,
        hits: list[Hit],
        sentence_of: list[int],
        questions: list[bool],
        language: str,
        shouted: bool,
        rule_openers: frozenset[int],
    ) -> Classification:
        """Sort the hits into sentences, read each sentence's cues, judge it, and combine."""
        last = len(questions) - 1
        intents = self._lex.intents
        cue_hits: dict[str, list[Hit]] = {}
        with_found: set[str] = set()
        unless_in: dict[str, set[int]] = {}  # intent -> sentences that mute it
        intent_hits: list[Found] = []
        danger_hits: list[Hit] = []
        thing_ends: set[int] = set()  # where a word for a thing one can lose or have taken ends
        for hit in hits:
            section = hit.term.section
            if section == "intent":
                intent_hits.append((hit, intents[hit.term.group]))
            elif section == "cue":
                group = hit.term.group
                # a request to report is a report cue that also asks (see _decide's uses)
                cue_hits.setdefault("report" if group == "report_request" else group, []).append(
                    hit
                )
            elif section == "with":
                with_found.add(hit.term.group)
                if intents[hit.term.group].route == "report":
                    thing_ends.add(hit.end)
            elif section == "unless":
                si = sentence_of[hit.sentence] if hit.sentence >= 0 else last
                unless_in.setdefault(hit.term.group, set()).add(si)
            elif section == "danger":
                danger_hits.append(hit)
        if unless_in:
            # Told with a crime ("snydt af en håndværker der fik 30.000 i forskud"), the money
            # words reach the next sentence too, which goes on with that story ("nu tager han
            # ikke telefonen"); money told as everyday life ("betalte sine regninger i går")
            # reaches only its own.
            crime_in = {
                sentence_of[h.sentence] if h.sentence >= 0 else last
                for h, spec in intent_hits
                if spec.route == "report"
            }
            for muted_in in unless_in.values():
                muted_in.update([si + 1 for si in muted_in if si in crime_in])

        if (
            not danger_hits
            and "now" not in cue_hits
            and "urgent" not in cue_hits
            and "scene" not in cue_hits
            and "present" not in cue_hits
            and all(spec.kind == "topic" for _, spec in intent_hits)
        ):
            # Nothing happens in this message (greetings, meetings, campaigns): no tense to read.
            about = [f for f in intent_hits if not f[1].needs_with or f[1].name in with_found]
            imagined = _reach(cue_hits.get("hypothetical", []), sentence_of, questions)
            asking = [
                h
                for h in cue_hits.get("report", ())
                if h.term.group == "report_request" and h.sentence not in imagined
            ]
            return self._conclude([], [], about, cue_hits, language, asking)

        # Clauses that are imagined (hyp), about things in general (gen), or asked about in a
        # question (asked). A general or hypothetical cue in a question reaches its sentence.
        hyp: set[int] = set()
        gen: set[int] = set()
        if_from: dict[int, int] = {}  # clause -> where its first bare "hvis" starts
        asked: set[int] = set()
        ruled: set[int] = set()  # asked what is allowed or safe: even a critical state is asked
        strong_now: set[int] = set()
        staged: set[int] = set()
        doubt_from: dict[int, int] = {}  # clause -> where its first doubt starts
        if cue_hits:
            for h in cue_hits.get("doubt", ()):
                if h.sentence >= 0 and h.start < doubt_from.get(h.sentence, _NEVER):
                    doubt_from[h.sentence] = h.start
            if "hypothetical" in cue_hits:
                hyp = _reach(cue_hits["hypothetical"], sentence_of, questions)
            if "drill" in cue_hits:
                # A sentence that announces an exercise: its smoke and "injured" are staged.
                # Not one that doubts it is one ("der ligger en mand og bløder, vi ved ikke
                # om det er en øvelse"): a doubt before the drill in its clause leaves the
                # scene as told. (A question does not: "soldater med geværer i plantagen, er
                # det en øvelse?" asks about what looks like one.)
                drilled = {
                    sentence_of[h.sentence]
                    for h in cue_hits["drill"]
                    if h.sentence >= 0 and h.start <= doubt_from.get(h.sentence, _NEVER)
                }
                staged = {c for c, si in enumerate(sentence_of) if si in drilled}
                hyp |= staged
            if "general" in cue_hits:
                gen = _reach(cue_hits["general"], sentence_of, questions)
            if "conditional" in cue_hits:
                # A bare "hvis" imagines what follows it, not what its clause said before it:
                # "han står i døren med en brødkniv og siger at hvis jeg går så gør han det".
                # In a question it asks about its whole clause ("må man have en riffel hvis ...?").
                for h in cue_hits["conditional"]:
                    c = h.sentence
                    if c >= 0:
                        at = -1 if questions[sentence_of[c]] else h.start
                        if at < if_from.get(c, _NEVER):
                            if_from[c] = at
            if "question" in cue_hits:
                # Question words reach only their own clause ("fandt en pung, hvor afleverer
                # jeg den?"), and only in a sentence that ends with "?".
                asked = {
                    h.sentence
                    for h in cue_hits["question"]
                    if h.sentence >= 0 and questions[sentence_of[h.sentence]]
                }
            if "rule_question" in cue_hits:
                # "må en 15-årig have luftgevær?", "naboen skyder efter duer, er det lovligt?":
                # a rule asked about, in the whole question; not a scene told before the
                # question ("der står en og svinger med en kniv, er det lovligt?").
                scene_at: dict[int, int] = {}
                for h in cue_hits.get("scene", ()):
                    if h.sentence >= 0:
                        si = sentence_of[h.sentence]
                        scene_at[si] = min(scene_at.get(si, h.start), h.start)
                ruled_in = {
                    sentence_of[h.sentence]
                    for h in cue_hits["rule_question"]
                    if h.sentence >= 0
                    and (questions[sentence_of[h.sentence]] or h.start in rule_openers)
                    and h.start < scene_at.get(sentence_of[h.sentence], _NEVER)
                }
                if ruled_in:
                    # A bare "er det lovligt?" asks about what was told before it: back to the
                    # nearest sentence that names something ("det ryger hver weekend fra naboen.
                    # ikke noget der haster, men er det lovligt?"), never over a scene.
                    told_in = {sentence_of[h.sentence] for h, _ in intent_hits if h.sentence >= 0}
                    for si in list(ruled_in):
                        back = si
                        while back > 0 and back not in told_in and back - 1 not in scene_at:
                            back -= 1
                            ruled_in.add(back)
                ruled = {c for c, si in enumerate(sentence_of) if si in ruled_in}
                asked |= ruled
            if "happening" in cue_hits and (hyp or gen or asked):
                # "hvad gør man hvis ens mand ikke kan finde ordene? det er det der sker med
                # min mand nu": what the sentence before asked about is happening, not imagined.
                lifted = {
                    c
                    for h in cue_hits["happening"]
                    if h.sentence >= 0
                    for c, si in enumerate(sentence_of)
                    if si == sentence_of[h.sentence] - 1
                }
                hyp -= lifted
                gen -= lifted
                asked -= lifted
                ruled -= lifted
            if (gen or asked) and "report" in cue_hits:
                # A clause that asks to report something is about a real event.
                asks = {h.sentence for h in cue_hits["report"] if h.term.group == "report_request"}
                gen -= asks
                asked -= asks
                ruled -= asks
            if "now" in cue_hits:
                strong_now = {h.sentence for h in cue_hits["now"]} - hyp
            if gen and "scene" in cue_hits and "general" in cue_hits:
                # A scene told as it is ("der går en lille pige alene langs vejen") and then
                # "hvad skal man gøre" asks what to do now, not how things work in general; a
                # rumour told before the scene ("folk siger der går en mand") stays talk.
                first_talk: dict[int, int] = {}
                for h in cue_hits["general"]:
                    first_talk[h.sentence] = min(first_talk.get(h.sentence, h.start), h.start)
                gen -= {
                    h.sentence
                    for h in cue_hits["scene"]
                    if h.sentence not in hyp and h.start < first_talk.get(h.sentence, -1)
                }

        sentences: dict[int, _Sentence] = {}
        # Message-wide cues; what is imagined says nothing about the writer's day.
        resolved_upto = reported_upto = asked_upto = put_out_upto = -1
        explained: set[int] = set()
        explained_at: dict[int, int] = {}  # sentence -> where its harmless cause is named
        settled_near: set[int] = set()
        not_urgent = report_req = reported = urgent = False
        requests: list[Hit] = []
        report_in: set[int] = set()
        wide_muting = hyp | gen | asked if (gen or asked) else hyp
        for cue_type, found in cue_hits.items():
            if cue_type in _CLAUSE_CUES:
                continue
            if cue_type in _MUTED_BY_GENERAL:
                muting = wide_muting
            elif cue_type in _ENDING:
                # "det viste sig at være en øvelse": a drill announced afterwards ends the
                # scene before it; only imagined clauses ("hvis alle er ok") say nothing
                muting = hyp - staged if staged else hyp
            else:
                muting = hyp
            for h in found:
                c = h.sentence
                if c >= 0 and c in muting:
                    continue
                if doubt_from and cue_type in _DOUBTED and h.start > doubt_from.get(c, _NEVER):
                    continue
                if if_from and cue_type in _MUTED_BY_GENERAL and h.start >= if_from.get(c, _NEVER):
                    continue
                si = sentence_of[c] if c >= 0 else last
                if cue_type == "scene":
                    s = sentences.get(si)
                    if s is None:
                        s = sentences[si] = _Sentence()
                    s.pressing.append(h)
                elif cue_type in _TENSE or cue_type == "urgent":
                    s = sentences.get(si)
                    if s is None:
                        s = sentences[si] = _Sentence()
                    s.tense.add(cue_type)
                    if cue_type in _PRESSING:
                        s.pressing.append(h)
                    if cue_type in _OVER:
                        s.past_at = max(s.past_at, h.start)
                        if cue_type == "past":
                            s.past_times.append(h.start)
                    elif cue_type == "now_weak" and h.term.written in _TURNING:
                        s.now_at.append(h.start)
                    urgent = urgent or cue_type == "urgent"
                elif cue_type == "resolved" or cue_type == "retracted":
                    resolved_upto = max(resolved_upto, si)
                elif cue_type == "put_out":
                    put_out_upto = max(put_out_upto, si)
                elif cue_type == "settled":
                    # "det er nok bare jagt": what it explains was told just before it; a
                    # hunt mentioned at the end does not settle an emergency told further back
                    settled_near.update((si, si - 1))
                elif cue_type == "explained":
                    # "det lugter af røg, men det er bare bålet": its own sentence and the
                    # one before it, not a fire told further back
                    explained.update((si, si - 1))
                    explained_at[si] = max(explained_at.get(si, -1), h.start)
                    explained_at[si - 1] = _NEVER
                elif cue_type == "not_urgent":
                    not_urgent = True
                elif cue_type == "report":
                    report_req = True
                    # "vil anmelde et overfald. min søn blev slået ned i går": the wish to
                    # report speaks for its story, not for an emergency told later on
                    asked_upto = max(asked_upto, si + 1)
                    report_in.add(si)
                    if h.term.group == "report_request":
                        requests.append(h)
                elif cue_type == "reported":
                    reported = True
                    reported_upto = max(reported_upto, si)

        muted: list[Found] = []
        topics: list[Found] = []
        # "der ligger en mand i vandet ... med dykkerdragt. glem det": the writer takes back
        # the alarm told before; what is told after it ("glem det. lige nu slås to mænd") stands
        # (not when told as a doubt: "vi ved ikke om det er falsk alarm")
        retract_at = max(
            (
                h.start
                for h in cue_hits.get("retracted", ())
                if not (doubt_from and h.start > doubt_from.get(h.sentence, _NEVER))
            ),
            default=-1,
        )
        if retract_at >= 0:
            danger_hits = [h for h in danger_hits if h.start >= retract_at]
        for found_intent in intent_hits:
            hit, spec = found_intent
            if hit.start < retract_at and spec.route == "acute":
                continue
            if unless_in and (
                hit.sentence >= 0 and sentence_of[hit.sentence] in unless_in.get(spec.name, ())
            ):
                # "købte en telefon, betalte og nu svarer han ikke": a seller gone quiet, not a
                # person unconscious; not even danger vocabulary there.
                continue
            if spec.needs_with and spec.name not in with_found:
                if spec.danger and len(hit.term.pattern) > 1 and hit.start not in thing_ends:
                    # "i vandet" with nobody named in it is still danger vocabulary; a bare
                    # verb waiting for its context ("tog", "spist") is not, nor a phrase
                    # told of a thing just named ("cyklen er væk IGEN!!!").
                    danger_hits.append(hit)
                continue
            if spec.kind == "topic":
                topics.append(found_intent)
                continue
            c = hit.sentence
            si = sentence_of[c] if c >= 0 else last
            s = sentences.get(si)
            if s is None:
                s = sentences[si] = _Sentence()
            if spec.danger:
                s.danger.append(hit)
            if c >= 0 and (
                c in hyp
                or (
                    c not in strong_now
                    and (
                        (
                            (c in gen or hit.start >= if_from.get(c, _NEVER))
                            and (
                                not (spec.kind == "emergency" and spec.severity == "critical")
                                # a rumour or worry about a past event ("rygterne om en mand
                                # der fulgte efter børn i sidste måned") is a topic too
                                or not s.tense.isdisjoint(_OVER)
                            )
                        )
                        or (
                            c in asked
                            and (
                                c in ruled
                                or not (spec.kind == "emergency" and spec.severity == "critical")
                            )
                        )
                    )
                )
            ):
                muted.append(found_intent)
            else:
                s.real.append(found_intent)
        for hit in danger_hits:
            c = hit.sentence
            si = sentence_of[c] if c >= 0 else last
            s = sentences.get(si)
            if s is None:
                s = sentences[si] = _Sentence()
            s.danger.append(hit)
        # The net stays on for what is asked about or imagined ("hvad gør man hvis der er
        # indbrud hos naboen?" may be written by someone watching it happen): only a staged
        # exercise, or talk in general (rumours, statistics, campaigns), is quiet.
        quiet = staged | (gen - hyp - strong_now) if (staged or gen) else staged
        for s in sentences.values():
            if s.danger:
                s.live_danger = (
                    [
                        h
                        for h in s.danger
                        if h.sentence < 0
                        or not (
                            h.sentence in quiet
                            or (
                                h.start >= if_from.get(h.sentence, _NEVER)
                                and h.sentence not in strong_now
                            )
                        )
                    ]
                    if quiet or if_from
                    else s.danger
                )

        # Tense: a sentence without a tense of its own goes on with the story before it.
        parts: list[tuple[int, _Sentence]] = []
        for index in sorted(sentences):  # sentences with nothing in them change nothing
            s = sentences[index]
            parts.append((index, s))
            if s.now_at and s.past_at >= 0 and s.real:
                late = _after_turn(s)
                if late is not None:
                    parts.append((index, late))
        verdicts: list[_Verdict] = []
        previous: frozenset[str] | set[str] = _NO_TENSE
        previous_story = False
        previous_index = -2
        reported_crime = False  # the sentence before told only crimes to report
        for index, s in parts:
            turned = index == previous_index  # what a sentence tells after it turns to now
            if index != previous_index + 1 and not turned:
                previous_story = False
            previous_index = index
            own = s.tense
            if previous_story and reported_crime and _new_emergency(s):
                # "der var et hul hvor radioen sad i morges. min søn på 4 er væk på stranden":
                # an emergency told after a crime found afterwards is a story of its own
                previous_story = False
            tense = own if own - _URGENT or turned else (previous | own if previous_story else own)
            story = bool(s.real or s.danger)
            previous, previous_story = tense - _URGENT, story
            reported_crime = bool(s.real) and all(sp.route == "report" for _, sp in s.real)
            if "habit" in previous:
                # the next sentence goes on with a past story, not with the habit: "børnene
                # har badet hver dag. i aften er svigerfar blevet helt grå" is an emergency
                previous = (previous - _HABIT) | _PAST
            if not story and not s.pressing:
                continue
            f = _Flags(
                "now" in tense,
                "now_weak" in tense,
                "urgent" in tense or (urgent and "past" not in tense and "habit" not in tense),
                "past" in tense or "habit" in tense,
                "past_weak" in tense,
                "background" in tense,
                "habit" in tense,
                index <= resolved_upto or index in settled_near,
                index in settled_near,
                not_urgent,
                report_req,
                reported,
                index <= reported_upto,
                index <= asked_upto,
                shouted,
                index in explained,
                index <= put_out_upto,
                index in report_in,
                explained_at.get(index, -1),
            )
            verdicts.append(self._judge(s, f))
        return self._conclude(verdicts, muted, topics, cue_hits, language, requests)

    def _judge(self, s: _Sentence, f: _Flags) -> _Verdict:
        """The call-taker's rules for one sentence and the cues that act on it."""
        real = s.real
        live_danger = s.live_danger
        if f.explained and not f.now:
            # The writer names a harmless cause of the fire, smoke or shots ("det er bare
            # bålet, de har tilladelse"): that is not an alarm, nor worth a second look.
            # Anything else in the sentence (a fight at the bonfire) still counts.
            real = [found for found in real if not found[1].explainable]
            live_danger = []
        elif f.explained:
            # Told as now, the cause explains what was told before it, not what came after.
            at = f.explained_at
            real = [fd for fd in real if not (fd[1].explainable and 0 <= fd[0].start < at)]
            live_danger = [h for h in live_danger if not 0 <= h.start < at]
        if f.habit and not f.now:
            # "der holder en bil med slukkede lygter hver nat": what is seen again and again is
            # a change in the normal picture for the officer, not an alarm nor a report
            real = [found for found in real if not found[1].recurring]
        put_out = False
        if f.put_out and not f.now:
            # "branden er slukket" ends a fire; a missing boy whose watch "er slukket" is not
            # found, and burns after a fire that was put out still need help
            if all(found[1].explainable for found in real):
                put_out = True
            else:
                real = [found for found in real if not found[1].explainable]
        now = f.is_now()
        acute_hits: list[Found] = []
        crime_hits: list[Found] = []
        states: list[Found] = []
        incidents: list[Found] = []
        critical = critical_state = False
        for found in real:
            spec = found[1]
            if spec.route == "acute":
                acute_hits.append(found)
                if spec.severity == "critical":
                    critical = True
                if spec.kind == "emergency":
                    states.append(found)
                    critical_state = critical_state or spec.severity == "critical"
                elif spec.kind == "incident":
                    incidents.append(found)
            if spec.route == "report" or spec.reportable:
                crime_hits.append(found)
        strong_past = f.past or f.background
        resolved = f.resolved or f.settled or put_out
        acute: list[Found] = []
        if acute_hits and now:
            acute = acute_hits
        else:
            if states:
                if critical_state:
                    # Over when resolved, reported, or found afterwards with something taken
                    # or damaged ("nogen i skuret i nat, plæneklipperen er væk").
                    over = (
                        (resolved and (strong_past or f.past_weak))
                        # "røgen fra skorstenen er sort og tyk hver aften": what comes back
                        # again and again is no fire burning unseen
                        or (f.habit and not f.now and not f.now_weak)
                        # "blev slået af en fremmed i byen, vil anmelde det": told afterwards
                        or (f.past_weak and f.report_req_own and not f.now_weak)
                        or (
                            strong_past
                            and (
                                f.report_req_here
                                or f.reported_here
                                or f.background
                                or any(sp.route == "report" for _, sp in real)
                                # a fire or shots with a clear past time right by them ("der
                                # var brand i laden i går") are over: they do not burn on
                                # unseen for a day. A past told further off is about something
                                # else ("flammer ud af saunaen, folk var derinde for lidt siden").
                                or _past_right_by(states, s.past_times)
                            )
                        )
                    )
                else:
                    over = resolved or strong_past or f.report_req_here or f.not_urgent
                if not over:
                    acute = states
            if not acute and incidents:
                over = (
                    resolved
                    or f.report_req_here
                    or f.reported_here
                    or (f.past_weak and not critical)
                    or (f.not_urgent and not critical)
                )
                if not over:
                    # A past time ends an incident, unless it is one that goes on until
                    # someone says it ended ("gik en tur for tre timer siden": still missing),
                    # told as going on (not "var forsvundet") and about a person, not a thing
                    # taken ("knallerten er væk fra carporten, opdagede det i morges").
                    # "var i haven for lidt siden, og nu er han her ikke": a now-cue keeps it
                    # going even after a past verb.
                    still = (not f.past_weak or f.now) and not any(
                        sp.route == "report" for _, sp in real
                    )
                    # Seen again and again ("en ældre mand går tit rundt i nattøj om morgenen")
                    # is a pattern for the officer, not something going on.
                    still = still and not (f.habit and not f.now)
                    acute = [fd for fd in incidents if not strong_past or (fd[1].ongoing and still)]
        if not acute and f.now:
            acute = [(h, sp) for h, sp in crime_hits if sp.can_be_now]
        # When in doubt, acute: any danger word with a now-cue or a plea for speed is an
        # emergency unless the writer says it is over, not urgent, or already reported.
        danger_now: list[Hit] = []
        if (
            not acute
            and live_danger
            and (now or f.shouted)
            and not (
                resolved or strong_past or f.not_urgent or f.reported_here or f.report_req_here
            )
        ):
            danger_now = live_danger
        # Crimes told long ago are background to a question, unless the writer asks to report.
        crimes = crime_hits if not (f.background and not f.report_req) else []
        # The net: danger words with no past, resolved or hypothetical cue on them.
        # "ikke akut" does not calm it: the writer may not see the danger the words describe.
        calm = (strong_past and not f.now) or resolved or f.reported_here or f.report_req_here
        # A sentence that says something is happening now, or pleads for speed, is worth a
        # second look even when no word says what it is.
        net = [] if calm else (live_danger or s.pressing)
        return _Verdict(acute, danger_now, crimes, net, f, real)

    def _conclude(
        self,
        verdicts: list[_Verdict],
        muted: list[Found],
        topics: list[Found],
        cue_hits: dict[str, list[Hit]],
        language: str,
        requests: list[Hit],
    ) -> Classification:
        """Combine the sentences: acute when any sentence is; else report; else officer."""
        cue_labels = _cue_labels(cue_hits) if cue_hits else ()
        reasons: list[Found] = []
        danger_now: list[Hit] = []
        net_hits: list[Hit] = []
        crimes: list[Found] = []
        real: list[Found] = []
        settled = background = False
        for v in verdicts:  # one pass gathers what every branch below needs
            if v.acute:
                reasons += v.acute
            if v.danger_now:
                danger_now += v.danger_now
            if v.net:
                net_hits += v.net
            if v.crimes:
                crimes += v.crimes
            if v.real:
                real += v.real
            settled = settled or v.flags.settled
            background = background or v.flags.background
        if reasons:
            best = self._best(reasons)
            intent = "crime_in_progress" if best.route == "report" else best.name
            f = _flags_of(verdicts, best, acute=True)
            critical = any(sp.severity == "critical" for _, sp in reasons)
            score = 0.6 + (0.15 if f.is_now() else 0.0) + (0.15 if critical else 0.0)
            score += 0.04 * (len(reasons) - 1)
            if f.not_urgent or f.resolved or f.past or f.background:
                score -= 0.1
            return Classification(
                Route.ACUTE,
                intent,
                _clamp(score),
                _written_found(reasons),
                cue_labels,
                False,
                (),
                language,
            )
        if danger_now:
            return Classification(
                Route.ACUTE,
                "danger_now",
                0.6,
                _written(danger_now),
                cue_labels,
                False,
                (),
                language,
            )

        net = _written(net_hits) if net_hits else ()
        safety = bool(net)
        any_flags = verdicts[0].flags if verdicts else _NO_FLAGS
        reported = any_flags.reported
        report_req = any_flags.report_req
        if crimes and not reported and not (settled and not report_req):
            best = self._best(crimes)
            intent = best.past_intent or best.name
            f = _flags_of(verdicts, best, acute=False)
            score = 0.6 + (0.15 if f.past or f.past_weak else 0.0) + (0.15 if report_req else 0)
            score += 0.03 * (len(crimes) - 1)
            if f.is_now():
                score -= 0.1
            return Classification(
                Route.REPORT,
                intent,
                _clamp(score),
                _written_found(crimes),
                cue_labels,
                safety,
                net,
                language,
            )

        # The writer asks to report something the words did not name: that is for 114.
        if requests and not reported and not background:
            return Classification(
                Route.REPORT,
                "report_request",
                0.6,
                _written(requests),
                cue_labels,
                safety,
                net,
                language,
            )

        # Officer: say what kind of message it is.
        acute_real = [found for found in real if found[1].route == "acute"]
        shown: list[Found]
        if acute_real:
            best = self._best(acute_real)
            intent = best.past_intent or f"{best.name}_over"
            score, shown = 0.55, acute_real
        elif real:
            best = self._best(real)
            intent = best.past_intent or best.name
            score, shown = 0.6, real
        elif muted:
            intent = "question_about_crime"
            if any(sp.route == "acute" and sp.kind == "emergency" for _, sp in muted):
                intent = "question_about_emergency"
            score, shown = 0.65, muted
        elif topics:
            best = self._best(topics)
            intent = best.name
            score, shown = 0.8, topics
        else:
            intent, score, shown = "general", 0.7, []
        if safety:
            score = min(score, 0.6)
        return Classification(
            Route.OFFICER,
            intent,
            _clamp(score),
            _written_found(shown) if shown else (),
            cue_labels,
            safety,
            net,
            language,
        )

    def _best(self, found: list[Found]) -> IntentSpec:
        """The highest-ranked intent (the first one on a tie), by its precomputed rank."""
        ranks = self._ranks
        best = found[0][1]
        best_rank = ranks[best.name]
        for _, spec in found:
            rank = ranks[spec.name]
            if rank > best_rank:
                best, best_rank = spec, rank
        return best


_SEVERITY_ORDER: Final = {"critical": 2, "serious": 1, "minor": 0}


def _rank(spec: IntentSpec) -> tuple[int, float]:
    return (_SEVERITY_ORDER.get(spec.severity, 0), spec.weight)


_CLAMPED: Final[dict[float, float]] = {}


def _clamp(score: float) -> float:
    """Score kept inside (0, 1) and rounded; few distinct values, so cached."""
    value = _CLAMPED.get(score)
    if value is None:
        value = round(min(0.99, max(0.05, score)), 2)
        if len(_CLAMPED) < 4096:
            _CLAMPED[score] = value
    return value


def _written(hits: Iterable[Hit]) -> tuple[str, ...]:
    """The deciding keywords as a reader sees them: "indbrud*" -> "indbrud", in order, once.

    A list and a test against it, not dict.fromkeys(): there are a handful, and compiled this
    makes no Python call."""
    shown: list[str] = []
    for hit in hits:
        if hit.term.shown not in shown:
            shown.append(hit.term.shown)
    return tuple(shown)


def _written_found(found: list[Found]) -> tuple[str, ...]:
    """_written() of the hits of found intents."""
    return _written([hit for hit, _ in found])


def _flags_of(verdicts: list[_Verdict], best: IntentSpec, *, acute: bool) -> _Flags:
    """The flags of the first sentence whose acute (or crime) intents include `best`."""
    for v in verdicts:
        for _, spec in v.acute if acute else v.crimes:
            if spec is best:
                return v.flags
    raise AssertionError("the best intent comes from one of the sentences")


def _cue_labels(cues: dict[str, list[Hit]]) -> tuple[str, ...]:
    """ "now:lige nu", "past:i går" ...: the cues an officer can check, each once."""
    labels: list[str] = []  # a handful: a list is cheaper than a dict (see _written)
    for hits in cues.values():
        for hit in hits:
            label = hit.term.label
            if label and label not in labels:
                labels.append(label)
    return tuple(labels)


def _new_emergency(s: _Sentence) -> bool:
    """Whether a sentence tells an emergency in progress: a dangerous state, not a crime."""
    return any(sp.route == "acute" and sp.kind == "emergency" for _, sp in s.real)


def _after_turn(s: _Sentence) -> _Sentence | None:
    """What a sentence tells after it turns from a past to now, as a sentence of its own in the
    present: "ham der truede mig i sidste uge | står nu ude ved min bil med en jernstang". The
    past belongs to the part before the turn; `s` keeps that part. None when nothing follows."""
    after = [at for at in s.now_at if at > s.past_at]
    if not after:
        return None
    turn = min(after)
    late = [found for found in s.real if found[0].start >= turn]
    if not any(spec.route == "acute" for _, spec in late):
        return None
    part = _Sentence()
    part.real = late
    part.danger = [h for h in s.danger if h.start >= turn]
    part.live_danger = [h for h in s.live_danger if h.start >= turn]
    part.pressing = [h for h in s.pressing if h.start >= turn]
    part.tense = {t for t in s.tense if t not in _OVER and t != "past_weak"}
    s.real = [found for found in s.real if found[0].start < turn]
    s.danger = [h for h in s.danger if h.start < turn]
    s.live_danger = [h for h in s.live_danger if h.start < turn]
    s.pressing = [h for h in s.pressing if h.start < turn]
    return part


def _past_right_by(states: list[Found], past_times: list[int]) -> bool:
    """Whether every state is a fire or shots with a clear past cue within a few words."""
    return bool(past_times) and all(
        spec.explainable and any(hit.start - 3 <= at <= hit.end + 3 for at in past_times)
        for hit, spec in states
    )


def _reach(cue_hits: list[Hit], sentence_of: list[int], questions: list[bool]) -> set[int]:
    """The clauses a question-like cue reaches: its own, or its whole sentence if a question."""
    clauses: set[int] = set()
    for hit in cue_hits:
        c = hit.sentence
        if c < 0:
            continue
        clauses.add(c)
        s = sentence_of[c]
        if questions[s]:
            clauses.update(i for i, si in enumerate(sentence_of) if si == s)
    return clauses


_default: Classifier | None = None
_default_lock: Final = threading.Lock()


def default_classifier() -> Classifier:
    """The shared classifier built from package data on first use."""
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Classifier.from_package_data()
    return _default


def classify(text: str) -> Classification:
    """Classify one message with the default (package data) classifier."""
    return default_classifier().classify(text)


def package_digest() -> str:
    """A hash of this package's code and keyword data, and of the Python running it.

    It names the cache of compiled keyword data, and it tells whether an installed copy of
    the package is a given source tree's (the benchmarks and tests/test_installed.py ask)."""
    return _digest([(name, (_DATA / name).read_text("utf-8")) for name in _PACKAGE_FILES])


def _digest(texts: list[tuple[str, str]]) -> str:
    digest = hashlib.sha256(sys.version.encode())
    for source in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(source.read_bytes())
    for name, text in texts:
        digest.update(name.encode() + b"\0" + text.encode() + b"\0")
    return digest.hexdigest()


def _cached_lexicon(cache_dir: Path, texts: list[tuple[str, str]]) -> Lexicon:
    """The compiled lexicon from `cache_dir` if one for this data and code is there, else
    compiled and stored. The cache is only a speed-up: any failure to read or write it
    falls back to compiling."""
    path = cache_dir / f"lexicon-{_digest(texts)[:32]}.pickle"
    cached = _load_private(path)
    if isinstance(cached, Lexicon):
        return cached
    lexicon = load_lexicon(parse_toml(name, text) for name, text in texts)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        for old in cache_dir.glob("lexicon-*.pickle"):
            old.unlink(missing_ok=True)
        part = path.with_suffix(f".{os.getpid()}.part")
        part.write_bytes(pickle.dumps(lexicon, protocol=pickle.HIGHEST_PROTOCOL))
        part.chmod(0o600)  # whatever the umask: the loader trusts only a private file
        os.replace(part, path)
    except OSError:
        pass
    return lexicon


def _load_private(path: Path) -> object:
    """Unpickle `path` only if this user owns it and nobody else may write to it or its
    folder (a pickle runs code when loaded); None when it is missing or unusable."""
    try:
        with path.open("rb") as fh:
            for st in (os.fstat(fh.fileno()), path.parent.stat()):
                if st.st_uid != os.getuid() or st.st_mode & 0o022:
                    return None
            # Loading makes some 100,000 objects that all live on: collecting garbage
            # between them (dozens of passes over what is already loaded) would double the time.
            collecting = gc.isenabled()
            gc.disable()
            try:
                return pickle.load(fh)  # noqa: S301 - our own file, checked above
            finally:
                if collecting:
                    gc.enable()
    except Exception:
        return None
