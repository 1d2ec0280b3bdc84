"""The damage `python -m tests.intents.robustness` measures with is the damage it says."""

from __future__ import annotations

import random

from .robustness import _ascii, _drop, _no_punctuation, _swap

TEXT = "der ligger en mand bevidstløs på fortovet, han trækker ikke vejret"


def _changed(damaged: str) -> list[tuple[str, str]]:
    return [(a, b) for a, b in zip(TEXT.split(), damaged.split(), strict=True) if a != b]


def test_a_swap_changes_two_long_words_and_keeps_their_letters_and_first_letter() -> None:
    changed = _changed(_swap(random.Random(7))(TEXT))
    assert len(changed) == 2
    for before, after in changed:
        assert sorted(before) == sorted(after) and before[0] == after[0]


def test_a_drop_takes_one_letter_from_two_long_words_never_the_first() -> None:
    changed = _changed(_drop(random.Random(7))(TEXT))
    assert len(changed) == 2
    for before, after in changed:
        assert len(after) == len(before) - 1 and before[0] == after[0]


def test_the_damage_is_seeded() -> None:
    assert _swap(random.Random(7))(TEXT) == _swap(random.Random(7))(TEXT)
    assert _drop(random.Random(7))(TEXT) == _drop(random.Random(7))(TEXT)


def test_keyboard_and_punctuation_damage() -> None:
    assert _ascii("Bævre på søen, Åse") == "Baevre paa soeen, Aase"
    assert _no_punctuation("Hjælp! Han er faldet.") == "hjælp han er faldet"
