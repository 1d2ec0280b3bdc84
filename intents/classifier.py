"""Route a message to acute (112), report (114/politi.dk) or officer, and say why.

The rules follow a careful call-taker: find what the message is about (intents from the keyword
data), then read the cues around it: is it happening now or already over, is it a question about
such things in general, is it hedged ("ikke akut") or resolved ("alle er ok"). When in doubt
between acute and anything else the answer is acute, and a non-acute answer that still carries
danger words sets the safety net so an officer looks at it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .lexicon import Hit, IntentSpec, Lexicon, load_lexicon, parse_toml
from .model import Classification, Route
from .normalise import QUESTION_END, clean, message_tokens, reorder_negation

__all__ = ["Classifier", "classify", "default_classifier"]

_PACKAGE_FILES = ("common.toml", "da.toml", "en.toml")
# Report cues that ask to report something (not "114" or "forsikring" named in a question).
_REPORT_REQUESTS = frozenset(
    {
        "anmeld*",
        "politianmeld*",
        "vil anmelde",
        "vil gerne anmelde",
        "anmeldelse",
        "melde det",
        "melde det til politiet",
        "report it",
        "report this",
        "file a report",
        "to report",
        "want to report",
        "police report",
        "need a report",
    }
)
_EMPTY = Classification(Route.OFFICER, "empty", 1.0, (), (), False, (), "da")
_CUE_LABELS = {
    "now": "now",
    "now_weak": "now",
    "past": "past",
    "past_weak": "past",
    "resolved": "resolved",
    "settled": "resolved",
    "not_urgent": "negation",
    "hypothetical": "question",
    "general": "general",
    "report": "report",
    "reported": "reported",
    "urgent": "urgent",
}


@dataclass(slots=True)
class _Evidence:
    """What was found in one message, sorted into the buckets the rules look at."""

    real: list[tuple[Hit, IntentSpec]]
    muted: list[tuple[Hit, IntentSpec]]
    topics: list[tuple[Hit, IntentSpec]]
    cues: dict[str, list[Hit]]
    danger: list[Hit]
    live_danger: list[Hit]  # danger words outside imagined, general or rumour clauses


class Classifier:
    """Keyword-and-cue classifier built from TOML data; pure and thread-safe after build."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lex = lexicon
        self._help_phrases = lexicon.help_phrases
        self._help_words = lexicon.help_words
        self._help_emoji = tuple(e for e, t in lexicon.emoji_terms if t.section == "help")
        # Longer messages cannot be a whole help phrase, so they skip joining their words.
        self._help_max_words = max((p.count(" ") + 1 for p in self._help_phrases), default=0)
        self._markers = tuple(lexicon.language_markers.items())
        self._ranks = {spec.name: _rank(spec) for spec in lexicon.intents.values()}

    @classmethod
    def from_package_data(cls) -> Classifier:
        """Build from the TOML files shipped in intents/data."""
        base = resources.files("intents").joinpath("data")
        docs = [parse_toml(name, base.joinpath(name).read_text("utf-8")) for name in _PACKAGE_FILES]
        return cls(load_lexicon(docs))

    @classmethod
    def from_files(cls, *paths: Path) -> Classifier:
        """Build from TOML files on disk (later files extend and override earlier ones)."""
        docs = [parse_toml(str(p), Path(p).read_text("utf-8")) for p in paths]
        return cls(load_lexicon(docs))

    # -- public ------------------------------------------------------------------------------

    def classify(self, text: str) -> Classification:
        """Classify one message. Never raises for any str; very long text is truncated."""
        if not isinstance(text, str):
            text = str(text)
        cleaned = clean(text[: self._lex.max_chars])
        tokens = reorder_negation(message_tokens(cleaned))
        words = [t for t in tokens if t[0] != "|"]
        language = self._language(words)
        if not words and not cleaned.strip():
            return _EMPTY
        if self._is_help(words, cleaned):
            return Classification(
                Route.ACUTE, "help", 0.9, tuple(words[:3]) or ("🆘",), (), False, (), language
            )
        hits = self._lex.find(tokens, cleaned)
        if not words and not hits:
            return Classification(Route.OFFICER, "general", 0.5, (), (), False, (), language)
        shouted = "!!" in cleaned
        return self._decide(self._sort(hits, _question_clauses(tokens)), language, shouted)

    # -- steps -------------------------------------------------------------------------------

    def _language(self, words: list[str]) -> str:
        best, best_count = "da", 0
        sample = set(words[:60])
        for code, markers in self._markers:
            count = len(markers.intersection(sample))
            if count > best_count:
                best, best_count = code, count
        return best

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
        return opens_with_help and len(words) > 1 and words[1] not in self._lex.help_exceptions

    def _sort(self, hits: list[Hit], question_clauses: dict[int, frozenset[int]]) -> _Evidence:
        intents = self._lex.intents
        cues: dict[str, list[Hit]] = {}
        with_found: set[str] = set()
        intent_hits: list[tuple[Hit, IntentSpec]] = []
        danger: list[Hit] = []
        for hit in hits:
            section = hit.term.section
            if section == "cue":
                cues.setdefault(hit.term.group, []).append(hit)
            elif section == "with":
                with_found.add(hit.term.group)
            elif section == "danger":
                danger.append(hit)
            elif section == "intent":
                intent_hits.append((hit, intents[hit.term.group]))
        # Scopes are clauses; a question ("..., er det noget I kender til?") scopes its sentence.
        hyp: set[int] = set()
        gen: set[int] = set()
        if "hypothetical" in cues:
            hyp = _scope(cues["hypothetical"], question_clauses)
        if "general" in cues or "conditional" in cues:
            gen = _scope(cues.get("general", ()), question_clauses)
            # A clause that asks to report something is about a real event, even if general.
            if "report" in cues:
                gen -= {h.sentence for h in cues["report"]}
            gen |= _scope(cues.get("conditional", ()), question_clauses)
        now_hits = cues.get("now")
        strong_now = {h.sentence for h in now_hits} - hyp if now_hits else set()
        real: list[tuple[Hit, IntentSpec]] = []
        muted: list[tuple[Hit, IntentSpec]] = []
        topics: list[tuple[Hit, IntentSpec]] = []
        for hit, spec in intent_hits:
            if spec.needs_with and spec.name not in with_found:
                continue
            if spec.kind == "topic":
                topics.append((hit, spec))
                continue
            s = hit.sentence
            if spec.danger:
                danger.append(hit)
            if s >= 0 and (
                s in hyp or (s in gen and spec.kind != "emergency" and s not in strong_now)
            ):
                muted.append((hit, spec))
            else:
                real.append((hit, spec))
        # Cues inside a hypothetical sentence describe the hypothetical, not the writer's day.
        if not hyp and not gen:
            return _Evidence(real, muted, topics, cues, danger, danger)
        kept: dict[str, list[Hit]] = {}
        for cue_type, cue_hits in cues.items():
            if cue_type in ("hypothetical", "general"):
                kept[cue_type] = cue_hits
                continue
            muting = hyp | gen if cue_type in ("now_weak", "reported", "urgent") else hyp
            live = [h for h in cue_hits if h.sentence < 0 or h.sentence not in muting]
            if live:
                kept[cue_type] = live
        # Danger words inside a sentence that is only a rumour, statistic or thanks are a topic.
        if gen and danger:
            only_general = gen - hyp - strong_now
            danger = [h for h in danger if h.sentence < 0 or h.sentence not in only_general]
        imagined = hyp | gen
        live = [h for h in danger if h.sentence < 0 or h.sentence not in imagined]
        return _Evidence(real, muted, topics, kept, danger, live)

    def _decide(self, ev: _Evidence, language: str, shouted: bool = False) -> Classification:
        c = ev.cues
        strong_now = "now" in c
        strong_past = "past" in c
        weak_past = "past_weak" in c
        # Settled: over AND nothing to report ("det er løst nu", "det er nok bare jagt").
        settled = "settled" in c
        resolved = settled or "resolved" in c
        not_urgent = "not_urgent" in c
        report_req = "report" in c
        reported = "reported" in c
        # A weak "nu" loses to a clear past time or to the writer saying it is all right now.
        now = strong_now or (("now_weak" in c or "urgent" in c) and not (strong_past or resolved))

        # One pass over the real intents (this runs for every message).
        acute_hits: list[tuple[Hit, IntentSpec]] = []
        crime_hits: list[tuple[Hit, IntentSpec]] = []
        states: list[tuple[Hit, IntentSpec]] = []
        incidents: list[tuple[Hit, IntentSpec]] = []
        critical = critical_state = False
        for found in ev.real:
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

        acute_reason: list[tuple[Hit, IntentSpec]] = []
        if acute_hits and now:
            acute_reason = acute_hits
        else:
            if states:
                if critical_state:
                    # Over when resolved, reported, or found afterwards with something taken
                    # or damaged ("nogen i skuret i nat, plæneklipperen er væk").
                    over = (resolved and (strong_past or weak_past)) or (
                        strong_past
                        and (report_req or reported or any(s.route == "report" for _, s in ev.real))
                    )
                else:
                    over = resolved or strong_past or report_req or not_urgent
                if not over:
                    acute_reason = states
            if not acute_reason and incidents:
                over = (
                    strong_past
                    or resolved
                    or report_req
                    or reported
                    or (weak_past and not critical)
                    or (not_urgent and not critical)
                )
                if not over:
                    acute_reason = incidents
        if not acute_reason and strong_now:
            in_progress = [(h, s) for h, s in crime_hits if s.can_be_now]
            if in_progress:
                acute_reason = in_progress
        # When in doubt, acute: any danger word (a person in trouble, a hazard, a weapon) with
        # a now-cue or a plea for speed ("skynd jer", "!!", 🆘) is an emergency unless the
        # writer says it is over, not urgent, or already reported.
        danger_now = (
            not acute_reason
            and bool(ev.live_danger)
            and (now or shouted)
            and not (resolved or strong_past or not_urgent or reported or report_req)
        )

        matched: dict[str, None] = {}
        for group in (ev.real, ev.muted, ev.topics):
            for hit, _ in group:
                matched[hit.term.written] = None
        matched_all = tuple(matched)
        cue_labels = _cue_labels(c)
        danger_words = tuple({h.term.written: None for h in ev.danger})

        if danger_now:
            return Classification(
                Route.ACUTE,
                "danger_now",
                0.6,
                matched_all or danger_words,
                cue_labels,
                False,
                (),
                language,
            )
        if acute_reason:
            best = self._best(acute_reason)
            intent = best.name
            if best.route == "report":
                intent = "crime_in_progress"
            score = 0.6 + (0.15 if now else 0.0) + (0.15 if critical else 0.0)
            score += 0.04 * (len(acute_reason) - 1)
            if not_urgent or resolved or strong_past:
                score -= 0.1
            return Classification(
                Route.ACUTE,
                intent,
                _clamp(score),
                matched_all,
                cue_labels,
                False,
                (),
                language,
            )

        # The safety net flags danger words the route did not act on, unless the writer said
        # the danger is over ("alle er ok") or is plainly reporting a past event.
        # A crime told with a clear past time ("i fredags", "i morges") is a report, not a
        # danger that may still be going on.
        to_report = bool(crime_hits) and not reported and not (settled and not report_req)
        safety = (
            bool(danger_words) and not resolved and not (strong_past and (report_req or to_report))
        )
        if to_report:
            best = self._best(crime_hits)
            intent = best.past_intent or best.name
            score = 0.6 + (0.15 if strong_past or weak_past else 0.0) + (0.15 if report_req else 0)
            score += 0.03 * (len(crime_hits) - 1)
            if now:
                score -= 0.1
            return Classification(
                Route.REPORT,
                intent,
                _clamp(score),
                matched_all,
                cue_labels,
                safety,
                danger_words if safety else (),
                language,
            )

        # The writer asks to report something the words did not name: that is for 114.
        if (
            report_req
            and not reported
            and not acute_hits
            and any(h.term.written in _REPORT_REQUESTS for h in c["report"])
        ):
            return Classification(
                Route.REPORT,
                "report_request",
                0.6,
                matched_all,
                cue_labels,
                safety,
                danger_words if safety else (),
                language,
            )

        # Officer: say what kind of message it is.
        if acute_hits:
            best = self._best(acute_hits)
            intent = best.past_intent or f"{best.name}_over"
            score = 0.55
        elif ev.muted:
            intent = "question_about_crime"
            if any(s.route == "acute" and s.kind == "emergency" for _, s in ev.muted):
                intent = "question_about_emergency"
            score = 0.65
        elif ev.topics:
            best = self._best(ev.topics)
            intent = best.name
            score = 0.8
        else:
            intent = "general"
            score = 0.7
        if safety:
            score = min(score, 0.6)
        return Classification(
            Route.OFFICER,
            intent,
            _clamp(score),
            matched_all,
            cue_labels,
            safety,
            danger_words if safety else (),
            language,
        )

    def _best(self, found: list[tuple[Hit, IntentSpec]]) -> IntentSpec:
        """The highest-ranked intent (the first one on a tie), by its precomputed rank."""
        ranks = self._ranks
        best = found[0][1]
        best_rank = ranks[best.name]
        for _, spec in found:
            rank = ranks[spec.name]
            if rank > best_rank:
                best, best_rank = spec, rank
        return best


_SEVERITY_ORDER = {"critical": 2, "serious": 1, "minor": 0}


def _rank(spec: IntentSpec) -> tuple[int, float]:
    return (_SEVERITY_ORDER.get(spec.severity, 0), spec.weight)


@lru_cache(maxsize=4096)  # few distinct scores, and round() is slow next to a cache hit
def _clamp(score: float) -> float:
    return round(min(0.99, max(0.05, score)), 2)


def _cue_labels(cues: dict[str, list[Hit]]) -> tuple[str, ...]:
    labels: dict[str, None] = {}
    for cue_type, hits in cues.items():
        label = _CUE_LABELS.get(cue_type)
        if label is None:
            continue
        for hit in hits:
            labels[f"{label}:{hit.term.written}"] = None
    return tuple(labels)


def _question_clauses(tokens: list[str]) -> dict[int, frozenset[int]]:
    """Map each clause inside a question sentence to all clauses of that sentence."""
    result: dict[int, frozenset[int]] = {}
    if QUESTION_END not in tokens or "|" not in tokens:
        return result
    clause = 0
    current: list[int] = [0]
    for tok in tokens:
        if tok[0] != "|":
            continue
        if tok != "|":
            if tok == QUESTION_END and len(current) > 1:
                group = frozenset(current)
                for c in current:
                    result[c] = group
            current = []
        clause += 1
        current.append(clause)
    return result


def _scope(cue_hits: Iterable[Hit], question_clauses: dict[int, frozenset[int]]) -> set[int]:
    clauses: set[int] = set()
    for hit in cue_hits:
        clauses.add(hit.sentence)
        clauses |= question_clauses.get(hit.sentence, frozenset())
    return clauses


_default: Classifier | None = None
_default_lock = threading.Lock()


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
