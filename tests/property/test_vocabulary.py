"""Every code, label and everyday word of every list parses to its own choice, however it is
typed: full- or half-width, hiragana or katakana, any case, spaces around (and, for choices,
inside). Adding a word to vocabulary.json can therefore never take a choice from another."""

from __future__ import annotations

from enum import StrEnum

import jaconv
from hypothesis import given, settings
from hypothesis import strategies as st

from evacsupport.domain import allergens, codes, vocabulary
from evacsupport.domain.codes import parse_choice

PROPERTY = settings(max_examples=300, deadline=None)


def _words(enum: type[StrEnum]) -> list[tuple[str, str]]:
    """(text, code) for every way the list accepts a choice by name."""
    found = []
    for member in enum:
        found.append((member.value, member.value))
        found += [(text, member.value) for text in codes.LABELS[enum][member.value]]
    for code, words in vocabulary.synonyms(codes.list_name(enum)).items():
        found += [(word, code) for word in words]
    return found


CHOICE_WORDS = [
    (enum, text, code)
    for enum in sorted(codes.LABELS, key=lambda e: e.__name__)
    for text, code in _words(enum)
]
ALLERGEN_WORDS = [(name, name) for name in allergens.all_allergens()] + [
    (alias, name) for name, aliases in vocabulary.allergen_aliases().items() for alias in aliases
]


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _half_width(text: str) -> str:
    return jaconv.z2h(text, kana=True, ascii=True, digit=True)


WIDTHS = (str, _full_width, _half_width)
KANA = (str, jaconv.hira2kata, jaconv.kata2hira)
CASES = (str, str.upper, str.lower, str.swapcase)


@st.composite
def typed(draw: st.DrawFn, text: str, *, inner_spaces: bool) -> str:
    """``text`` as someone might have typed it (a space goes between two characters of the
    word as written, never between a half-width kana and its voicing mark)."""
    if inner_spaces and len(text) > 1:
        at = draw(st.integers(1, len(text) - 1))
        text = text[:at] + draw(st.sampled_from([" ", "\u3000"])) + text[at:]
    for choice in (WIDTHS, KANA, CASES):
        text = draw(st.sampled_from(choice))(text)
    pad = st.sampled_from(["", " ", "\u3000", "\t"])
    return draw(pad) + text + draw(pad)


def test_every_list_has_its_codes_and_labels() -> None:
    assert len(CHOICE_WORDS) > 3 * sum(len(enum) for enum in codes.LABELS)
    assert len(ALLERGEN_WORDS) > len(allergens.all_allergens())


@PROPERTY
@given(
    st.sampled_from(CHOICE_WORDS).flatmap(
        lambda case: st.tuples(st.just(case), typed(case[1], inner_spaces=True))
    )
)
def test_every_word_of_every_list_parses_to_its_choice(
    case: tuple[tuple[type[StrEnum], str, str], str],
) -> None:
    (enum, _written, code), text = case
    assert parse_choice(enum, text) == enum(code)


@PROPERTY
@given(
    st.sampled_from(ALLERGEN_WORDS).flatmap(
        lambda case: st.tuples(st.just(case), typed(case[0], inner_spaces=False))
    )
)
def test_every_allergen_word_finds_its_allergen(case: tuple[tuple[str, str], str]) -> None:
    (_written, name), text = case
    assert allergens.normalize_allergens(text) == [name]
