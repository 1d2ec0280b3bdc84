"""How well the acute route survives damage a phone keyboard does to a message.

Run ``python -m tests.intents.robustness`` from the repository root. It takes every acute
message in the development set and the probe batches that the classifier routes acute, damages
it one way at a time, and prints the share still routed acute, and still acute or caught by the
safety net. The damage is seeded, so two runs of the same classifier print the same figures and
two classifiers can be compared on the same damaged messages.
"""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Callable, Sequence

from intents import Classifier, Route
from tests.intents.figures import BATCHES, load_batch, load_devset

_SEED = 7
_PUNCTUATION = re.compile(r"[.,!?]")


def _ascii(text: str) -> str:
    """æøå written the way a keyboard without them does."""
    for letter, written in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("Æ", "Ae"), ("Ø", "Oe")):
        text = text.replace(letter, written)
    return text.replace("Å", "Aa")


def _no_punctuation(text: str) -> str:
    return _PUNCTUATION.sub("", text).lower()


def _long_words(words: list[str]) -> list[int]:
    return [i for i, word in enumerate(words) if len(word) >= 5 and word.isalpha()]


def _in_two_long_words(
    rnd: random.Random, edit: Callable[[str, int], str], last: int
) -> Callable[[str], str]:
    """Damage two long words of a text with `edit`, at a seeded letter from the second on."""

    def damage(text: str) -> str:
        words = text.split()
        long_words = _long_words(words)
        for i in rnd.sample(long_words, min(2, len(long_words))):
            words[i] = edit(words[i], rnd.randrange(1, len(words[i]) - last))
        return " ".join(words)

    return damage


def _swap(rnd: random.Random) -> Callable[[str], str]:
    """Two neighbouring letters swapped, inside two long words (never the first letter)."""
    return _in_two_long_words(rnd, lambda w, j: w[:j] + w[j + 1] + w[j] + w[j + 2 :], last=2)


def _drop(rnd: random.Random) -> Callable[[str], str]:
    """One letter dropped inside two long words (never the first letter)."""
    return _in_two_long_words(rnd, lambda w, j: w[:j] + w[j + 1 :], last=1)


def main(argv: Sequence[str]) -> int:
    """Print, per kind of damage, the share of acute messages that stay acute (or netted)."""
    clf = Classifier.from_package_data()
    probes = load_devset() + [p for name in BATCHES for p in load_batch(name)]
    acute = [text for _, want, text in probes if want == Route.ACUTE]
    # every message is damaged, routed or not, so another classifier meets the same damage
    routed = [i for i, text in enumerate(acute) if clf.classify(text).route == Route.ACUTE]
    print(f"{len(acute)} acute messages, {len(routed)} routed acute before damage")
    damages: list[tuple[str, Callable[[str], str]]] = [
        ("æøå as ae/oe/aa", _ascii),
        ("no punctuation", _no_punctuation),
        ("two letters swapped", _swap(random.Random(_SEED))),
        ("one letter dropped", _drop(random.Random(_SEED))),
    ]
    for name, damage in damages:
        damaged = [damage(text) for text in acute]
        still = netted = 0
        for i in routed:
            result = clf.classify(damaged[i])
            if result.route == Route.ACUTE:
                still += 1
            elif result.safety_net:
                netted += 1
        share, caught = still / len(routed), (still + netted) / len(routed)
        print(f"{name:<20} acute {share:.3f}  acute or net {caught:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
