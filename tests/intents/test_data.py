"""The keyword data stays sound: words that raise an alarm never fold into everyday words,
every situation names a real intent, and place names never count as keywords.
"""

from __future__ import annotations

import tomllib
from importlib import resources

from intents import Classifier
from intents.lexicon import Lexicon
from intents.normalise import LONE_LETTERS, token_form

# Everyday words that are also deliberate keywords of an alarming intent or a danger word.
ALLOWED = {"brandt", "skadet", "vandet", "skyder", "banker"}


def _lexicon() -> Lexicon:
    return Classifier.from_package_data()._lex


def test_alarm_words_do_not_fold_into_everyday_words() -> None:
    lex = _lexicon()
    markers = frozenset().union(*lex.language_markers.values())
    clashes = set()
    for key, terms in lex._singles.items():
        for term in terms:
            spec = lex.intents.get(term.group)
            alarming = term.section == "danger" or (
                term.section == "intent" and spec is not None and spec.route == "acute"
            )
            if alarming and key.strip("*") in markers and key.strip("*") not in ALLOWED:
                clashes.add((term.written, key))
    assert not clashes, f"keywords that fold into common words: {sorted(clashes)}"


def test_every_situation_names_an_intent_with_a_route() -> None:
    text = resources.files("intents").joinpath("data", "situations.toml").read_text("utf-8")
    situations = tomllib.loads(text)["situation"]
    intents = _lexicon().intents
    assert len(situations) >= 25
    for situation in situations:
        assert situation["intent"] in intents, situation["chapter"]
        assert situation.get("signs"), situation["chapter"]


def test_dialect_words_are_not_standard_danish_words() -> None:
    lex = _lexicon()
    # The spellings kept as typed ("æ", "dæ", "sæ") are Danish markers on purpose: they tell
    # the language of a message written in dialect.
    danish = lex.language_markers["da"] - LONE_LETTERS
    assert not (set(lex.dialect) - {"ka", "a", "it", "no", "do"}) & danish


def test_place_names_have_no_keywords() -> None:
    lex = _lexicon()
    for town in ("brabrand", "hamerum", "gasum", "ilskov", "braming", "voldum", "slagelse"):
        assert lex.is_place(town), town
        assert lex.token_keys(town) == (), town


def test_towns_that_are_not_listed_are_known_by_their_ending() -> None:
    """ "Skudstrup" is not "skud" (a shot), "Brandtorp" not "brand": a town's ending says so,
    while keywords with no such ending still count."""
    lex = _lexicon()
    for town in ("skudstrup", "brandtorp", "knivsholt", "rogbolle", "gasborg"):
        assert not lex.is_place(town), town  # not in the list: found by its ending
        assert lex.token_keys(town) == (), town
    for word in ("skud", "brand", "kniv"):
        assert lex.token_keys(word), word


def test_a_dialect_pair_may_stand_for_two_words() -> None:
    """ "ved å kom ind" is "ved at komme ind" (West Jutlandic "å" is also "at"), and the
    pair's first word alone ("ved", everywhere in Danish) does not start the dialect pass."""
    from intents import Classifier

    clf = Classifier.from_package_data()
    got = clf.classify("a ka se to knejte der e ved å kom ind i æ kiosk lige nu")
    assert got.route.value == "acute", got
    assert "ved" not in clf._dialect_words


def test_known_everyday_words_are_never_typo_corrected() -> None:
    lex = _lexicon()
    # "fjorten" (14) is no "fjorden", "farve" no "farvel", "tømrer" no "tømmer", "overfart" no
    # "overfalt": words of the [language] known list keep no keyword key at all.
    for word in ("fjorten", "farve", "tømrer", "overfart", "dronning", "lammesteg", "strikker"):
        assert lex.token_keys(token_form(word)) == (), word


def _lists(node: object, where: str) -> list[tuple[str, list[str]]]:
    """Every list of words in a parsed data file, with where it stands."""
    if isinstance(node, dict):
        return [item for key, value in node.items() for item in _lists(value, f"{where}.{key}")]
    if isinstance(node, list):
        if node and all(isinstance(v, str) for v in node):
            return [(where, node)]
        return [item for i, value in enumerate(node) for item in _lists(value, f"{where}[{i}]")]
    return []


def test_no_word_is_listed_twice_in_one_list() -> None:
    # A keyword listed twice matches twice, and the second hit counts as more evidence.
    duplicates = {}
    for path in resources.files("intents").joinpath("data").iterdir():
        if path.name.endswith(".toml"):
            for where, words in _lists(tomllib.loads(path.read_text("utf-8")), path.name):
                twice = sorted({w for w in words if words.count(w) > 1})
                if twice:
                    duplicates[where] = twice
    assert not duplicates, duplicates


# A with_any stem hidden on purpose by a longer stem of another list: a tractor tyre is no
# tractor on the road, MobilePay no lost phone, an elephant hat no animal, a freezer room no
# frost, a deer hunt no deer on the road, neighbourhood watch no neighbour in need.
HIDDEN_ON_PURPOSE = {
    ("traktor*", "traktordæk*"),
    ("mobil*", "mobilepay*"),
    ("elefant*", "elefanthue*"),
    ("fryser*", "fryserum*"),
    ("hjort*", "hjortejagt*"),
    ("nabo*", "nabohjælp*"),
}


def test_a_with_any_stem_is_not_hidden_by_a_longer_one() -> None:
    """A word is read by its longest stem only, so a with_any stem ("dankort*") does not see a
    word that a longer stem elsewhere ("dankortnummer*") takes; the list must hold both."""
    lex = _lexicon()
    on_purpose = {(token_form(a[:-1]), token_form(b[:-1])) for a, b in HIDDEN_ON_PURPOSE}
    gates: dict[str, set[str]] = {}
    for terms in lex._singles.values():
        for term in terms:
            if term.section == "with" and term.pattern[0].endswith("*"):
                gates.setdefault(term.group, set()).add(term.pattern[0][:-1])
    hidden = sorted(
        (intent, stem, longer)
        for intent, stems in gates.items()
        for stem in stems
        for longer in lex._prefix
        if longer != stem
        and longer.startswith(stem)
        and longer not in stems
        and (stem, longer) not in on_purpose
    )
    assert not hidden, f"with_any stems hidden by a longer stem: {hidden}"


def test_two_neighbouring_letters_swapped_are_forgiven() -> None:
    """ "kinven" and "pisotl" are typos of "kniven" and "pistol" the ratio does not reach (a
    word of six letters, a swap near its start); a swap at a word's end is mostly a Danish
    ending ("ejerne" is no "ejeren") and the first letter is rarely typed wrong."""
    lex = _lexicon()
    assert lex.token_keys("kinven") == lex.token_keys("kniven")
    assert "pistol" in lex.token_keys("pisotl")
    assert lex.token_keys("ejerne") == ()
    assert lex.token_keys("ikvnen") == ()
