"""Property tests: the classifier takes any text, never raises, and is deterministic."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intents import Classification, Classifier, Keyword, Route, match_keyword, normalise

_CLF = Classifier.from_package_data()

# Every Unicode category (surrogates excluded: a Python str from outside never holds them).
any_text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=400)
danish_words = st.sampled_from(
    [
        "hjælp", "brænder", "lige", "nu", "i", "nat", "indbrud", "ikke", "akut", "hvis", "man",
        "kniv", "stjålet", "tak", "🔥", "🆘", "\u200b", "\u202e", "\u0000", "\n", "?", "!!",
        "ÆØÅ", "aa", "svarer", "vejret", "مرحبا", "שלום", "ﬁre", "e\u0301",
    ]
)  # fmt: skip
word_salad = st.lists(danish_words, max_size=60).map(" ".join)
long_text = st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=20), st.integers(1, 6000))


def _check(result: Classification) -> None:
    assert isinstance(result, Classification)
    assert result.route in (Route.ACUTE, Route.REPORT, Route.OFFICER)
    assert 0.0 <= result.score <= 1.0
    assert result.language in ("da", "en")
    assert result.safety_net == bool(result.danger)
    assert not (result.safety_net and result.route == Route.ACUTE)
    assert isinstance(result.to_json_dict(), dict)


@given(any_text)
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
def test_any_text_classifies(text: str) -> None:
    first = _CLF.classify(text)
    _check(first)
    assert _CLF.classify(text) == first


@given(word_salad)
@settings(max_examples=300, deadline=None)  # builds a classifier each time: slow on a busy CI
def test_keyword_salad_classifies_deterministically(text: str) -> None:
    first = _CLF.classify(text)
    _check(first)
    assert Classifier.from_package_data().classify(text) == first


@given(long_text)
@settings(max_examples=40, deadline=None)
def test_very_long_text(text: str) -> None:
    _check(_CLF.classify(text))


@given(any_text)
@settings(max_examples=200)
def test_normalise_is_idempotent_and_commands_never_raise(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once
    assert match_keyword(text) in (None, *Keyword)
