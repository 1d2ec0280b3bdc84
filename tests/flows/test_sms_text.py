"""SMS shaping: exact segment counts at the boundaries, markup, shortening, splitting."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.sms_text import (
    GSM7_BASIC,
    GSM7_EXTENSION,
    Encoding,
    SmsShape,
    fit,
    shape,
    split_for_sms,
    strip_markup,
    to_gsm_friendly,
)

EMOJI = "😀"  # outside the BMP: one code point, two UTF-16 units


# --- shape -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", SmsShape(Encoding.GSM7, 1, 0)),
        ("a", SmsShape(Encoding.GSM7, 1, 1)),
        ("a" * 160, SmsShape(Encoding.GSM7, 1, 160)),
        ("a" * 161, SmsShape(Encoding.GSM7, 2, 161)),
        ("a" * 306, SmsShape(Encoding.GSM7, 2, 306)),
        ("a" * 307, SmsShape(Encoding.GSM7, 3, 307)),
        ("a" * 459, SmsShape(Encoding.GSM7, 3, 459)),
        ("a" * 460, SmsShape(Encoding.GSM7, 4, 460)),
        ("ê" * 70, SmsShape(Encoding.UCS2, 1, 70)),
        ("ê" * 71, SmsShape(Encoding.UCS2, 2, 71)),
        ("ê" * 134, SmsShape(Encoding.UCS2, 2, 134)),
        ("ê" * 135, SmsShape(Encoding.UCS2, 3, 135)),
    ],
)
def test_segment_boundaries(text: str, expected: SmsShape) -> None:
    assert shape(text) == expected


def test_danish_letters_stay_gsm7() -> None:
    text = "Hej Søren, vi ses på Ågade ved Æblehaven. Ørsted é ü Ü ä Ä ö Ö ñ Ñ à ß Ç"
    assert shape(text).encoding is Encoding.GSM7
    assert shape("æ" * 160) == SmsShape(Encoding.GSM7, 1, 160)
    assert shape("Å" * 161) == SmsShape(Encoding.GSM7, 2, 161)


def test_characters_outside_the_table_force_ucs2() -> None:
    for char in ["ê", "á", "ç", "“", "–", "…", "\u00a0", "\t", "ł"]:
        assert shape("abc" + char).encoding is Encoding.UCS2, char


def test_table_sizes() -> None:
    # 128 positions minus the escape code; 10 extension characters incl. form feed.
    assert len(GSM7_BASIC) == 127
    assert len(GSM7_EXTENSION) == 10
    assert not GSM7_BASIC & GSM7_EXTENSION


@pytest.mark.parametrize("char", sorted(GSM7_EXTENSION))
def test_extension_characters_cost_two_septets(char: str) -> None:
    assert shape(char) == SmsShape(Encoding.GSM7, 1, 2)
    assert shape(char * 80) == SmsShape(Encoding.GSM7, 1, 160)
    assert shape(char * 81).segments == 2


def test_extension_pair_is_never_split_across_parts() -> None:
    # 152 plain + € would need septets 153 and 154: the escape pair moves to part two.
    text = "a" * 152 + "€" + "a" * 152
    assert shape(text).units == 306
    assert shape(text).segments == 3
    assert shape("a" * 151 + "€" + "a" * 153).segments == 2  # 153 exactly, then 153


def test_one_emoji_forces_ucs2() -> None:
    text = "a" * 60 + EMOJI
    assert shape(text) == SmsShape(Encoding.UCS2, 1, 62)
    assert shape("a" * 68 + EMOJI) == SmsShape(Encoding.UCS2, 1, 70)
    assert shape("a" * 69 + EMOJI) == SmsShape(Encoding.UCS2, 2, 71)


def test_surrogate_pair_is_never_split_across_parts() -> None:
    assert shape(EMOJI * 35) == SmsShape(Encoding.UCS2, 1, 70)
    assert shape(EMOJI * 36) == SmsShape(Encoding.UCS2, 2, 72)
    # 33 emoji = 66 units; the 34th would straddle units 67/68, so it starts part two.
    assert shape(EMOJI * 67).segments == 3  # 33 + 33 + 1 per part


def test_surrogate_pair_straddling_boundary_moves_whole() -> None:
    text = "a" * 66 + EMOJI + "a" * 65  # 66 + 2 + 65 = 133 units
    # Part 1 takes 66 units (the pair does not fit in the 1 left), part 2 takes 2 + 65 = 67.
    assert shape(text) == SmsShape(Encoding.UCS2, 2, 133)
    assert shape(text + "a").segments == 3


# --- strip_markup --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "plain"),
    [
        ("<b>Hej</b> <i>Søren</i>", "Hej Søren"),
        ("Fisk &amp; chips &lt;3 &quot;ok&quot; &#8364;", 'Fisk & chips <3 "ok" €'),
        (
            'Anmeld på <a href="https://politi.dk/anmeld">politiets hjemmeside</a>.',
            "Anmeld på politiets hjemmeside (https://politi.dk/anmeld).",
        ),
        ('<a href="https://politi.dk">https://politi.dk</a>', "https://politi.dk"),
        ('<a href="https://politi.dk/">politi.dk</a>', "politi.dk"),
        ('<a href="tg://user?id=42">Mette</a> svarer', "Mette svarer"),
        ("<code>112</code> og <pre>114</pre>", "112 og \n114"),
        ("<blockquote>Citat</blockquote>Svar", "Citat\nSvar"),
        ("<blockquote expandable>Lang</blockquote>", "Lang"),
        ('<span class="tg-spoiler">hemmelig</span> <tg-spoiler>x</tg-spoiler>', "hemmelig x"),
        ('<tg-emoji emoji-id="1">👍</tg-emoji>', "👍"),
        ("<u>u</u><s>s</s><del>d</del><strong>st</strong><em>e</em>", "usdste"),
        ("a < b og <Jens> er her", "a < b og <Jens> er her"),
        ("ingen markup", "ingen markup"),
    ],
)
def test_strip_markup(html: str, plain: str) -> None:
    assert strip_markup(html) == plain


# --- to_gsm_friendly -----------------------------------------------------------------------


def test_to_gsm_friendly_keeps_meaning() -> None:
    text = "“Hej” – ‘det’ er\u00a0fint… — 5\u202fkm"
    friendly = to_gsm_friendly(text)
    assert friendly == "\"Hej\" - 'det' er fint... - 5 km"
    assert shape(friendly).encoding is Encoding.GSM7
    assert shape(text).encoding is Encoding.UCS2


def test_to_gsm_friendly_leaves_letters_and_emoji() -> None:
    assert to_gsm_friendly("æøå ÆØÅ ê 👍") == "æøå ÆØÅ ê 👍"


# --- fit -----------------------------------------------------------------------------------


def test_fit_leaves_short_text_alone() -> None:
    assert fit("Kort besked", 1) == ("Kort besked", False)
    assert fit("a" * 160, 1) == ("a" * 160, False)


def test_fit_cuts_at_word_boundary_with_gsm_ellipsis() -> None:
    text = " ".join(["ordet"] * 60)  # 359 characters
    result, shortened = fit(text, 1)
    assert shortened
    assert result.endswith("ordet...")
    assert shape(result) == SmsShape(Encoding.GSM7, 1, len(result))
    assert len(result) <= 160
    assert text.startswith(result.removesuffix("..."))


def test_fit_uses_unicode_ellipsis_for_ucs2() -> None:
    text = "Hej 👋 " + " ".join(["ordet"] * 60)
    result, shortened = fit(text, 2)
    assert shortened
    assert result.endswith("ordet…")
    assert shape(result).encoding is Encoding.UCS2
    assert shape(result).segments == 2


def test_fit_drops_ucs2_tail_to_stay_gsm7() -> None:
    # The only non-GSM character is beyond the cut: the result is GSM-7 with "...".
    text = " ".join(["ord"] * 100) + " 😀"
    result, _ = fit(text, 1)
    assert result.endswith("...")
    assert shape(result).encoding is Encoding.GSM7


def test_fit_long_word_is_cut_inside() -> None:
    result, shortened = fit("https://politi.dk/" + "x" * 400, 1)
    assert shortened
    assert shape(result).segments == 1
    assert len(result) == 160


def test_fit_rejects_nonpositive_budget() -> None:
    with pytest.raises(ValueError, match="max_segments"):
        fit("x", 0)


# --- split_for_sms -------------------------------------------------------------------------


def test_split_short_text_is_one_piece() -> None:
    assert split_for_sms("Hej") == ["Hej"]
    assert split_for_sms("   ") == []


def test_split_prefers_paragraphs_then_sentences() -> None:
    para1 = "Første afsnit handler om indbrud. " * 5
    para2 = "Andet afsnit handler om svindel. " * 5
    pieces = split_for_sms(para1.strip() + "\n\n" + para2.strip(), max_chars_per_message=200)
    assert all(len(p) <= 200 for p in pieces)
    assert all(p.endswith(".") for p in pieces)
    assert pieces[0].startswith("Første") and pieces[-1].startswith("Andet")


def test_split_long_word() -> None:
    pieces = split_for_sms("x" * 250, max_chars_per_message=100)
    assert pieces == ["x" * 100, "x" * 100, "x" * 50]


def test_split_keeps_all_words() -> None:
    words = [f"ord{i}" for i in range(500)]
    pieces = split_for_sms(" ".join(words), max_chars_per_message=153)
    assert all(len(p) <= 153 for p in pieces)
    assert " ".join(pieces).split() == words


# --- properties ----------------------------------------------------------------------------

texts = st.text(
    alphabet=st.one_of(
        st.sampled_from(sorted(GSM7_BASIC | GSM7_EXTENSION)),
        st.sampled_from(["😀", "👍", "\U0001f3fd", "ê", "“", " ", "\n", "æ", "€", "\u200d"]),
        st.characters(),
    ),
    max_size=800,
)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_shape_properties(text: str) -> None:
    result = shape(text)
    assert result.segments >= 1
    if text:
        assert result.units >= len(text)
    if result.segments == 1:
        assert result.units <= (160 if result.encoding is Encoding.GSM7 else 70)


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(min_value=1, max_value=5))
def test_fit_properties(text: str, max_segments: int) -> None:
    result, shortened = fit(text, max_segments)
    assert shape(result).segments <= max_segments
    assert shortened == (result != text)
    if not shortened:
        assert result == text


@settings(max_examples=100, deadline=None)
@given(texts, st.integers(min_value=1, max_value=300))
def test_split_properties(text: str, limit: int) -> None:
    pieces = split_for_sms(text, limit)
    assert all(0 < len(p) <= limit for p in pieces)
    assert "".join("".join(pieces).split()) == "".join(text.split())
