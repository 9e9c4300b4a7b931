"""The everyday words real lists use, read from ``resources/data/vocabulary.json``.

A municipal list says 子供食堂, 借り上げ住宅 or 男; a venue list calls itself a 居場所. The app's
choice lists have one code and two labels each (:mod:`evacsupport.domain.codes`), so without
synonyms a whole file is refused over a word any coordinator understands. The words are data,
not code, because they grow with every list that arrives: a coordinator's new spelling is one
line in the JSON file, and forms, the CLI and the importers all read the same file, so they
accept and refuse the same words.

Words are compared by :func:`fold`: NFKC (full-width ASCII and half-width kana become their
usual forms), hiragana as katakana, case folded, whitespace removed. The file is read once and
checked; a malformed entry raises :class:`VocabularyError` naming it, which the test suite meets
before any user does.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jaconv

from evacsupport.domain.normalize import nfkc
from evacsupport.resources import load_json

FILE = "vocabulary.json"
_SPACES_RE = re.compile(r"\s+")


class VocabularyError(ValueError):
    """The vocabulary file is malformed: a bug in shipped data, not a user's mistake."""


def fold(text: str) -> str:
    """The form two spellings of one word share: ``ｺﾄﾞﾓ食堂``, ``こども食堂`` and ``コドモ 食堂``
    all fold to ``コドモ食堂``; ``M`` and ``m`` to ``m``."""
    return _SPACES_RE.sub("", jaconv.hira2kata(nfkc(text)).casefold())


@dataclass(frozen=True)
class NeedsWords:
    """The words that say where a piece of a 配慮事項 cell belongs (see domain/needs.py)."""

    ignore: tuple[str, ...]  # "nothing to note": なし, 特になし
    wheelchair: tuple[str, ...]
    negations: tuple[str, ...]  # 車椅子不要 is not a wheelchair user
    allergy_markers: tuple[str, ...]  # 卵アレルギー, 乳除去
    allergy_fillers: tuple[str, ...]  # words around an allergen that add nothing (食物, の)
    dietary: tuple[str, ...]
    fillers: tuple[str, ...]  # words around a care level or wheelchair that add nothing


def _words(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise VocabularyError(f"{FILE}: {where} must be a list of words")
    return tuple(value)


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise VocabularyError(f"{FILE}: {where} must be an object")
    return value


@functools.cache
def _data() -> Mapping[str, Any]:
    return _mapping(load_json(FILE), "the file")


@functools.cache
def synonyms(list_name: str) -> dict[str, tuple[str, ...]]:
    """Code → everyday words for one choice list (``venue_kind``, ``sex`` ...); empty for a
    list the file does not mention."""
    lists = _mapping(_data().get("choices", {}), "choices")
    entry = _mapping(lists.get(list_name, {}), f"choices.{list_name}")
    return {code: _words(words, f"choices.{list_name}.{code}") for code, words in entry.items()}


def list_names() -> list[str]:
    """Every choice list the file gives words for."""
    return list(_mapping(_data().get("choices", {}), "choices"))


@functools.cache
def allergen_aliases() -> dict[str, tuple[str, ...]]:
    """Listed allergen name → everyday spellings (たまご, 玉子 and 鶏卵 for 卵)."""
    section = _mapping(_data().get("allergens", {}), "allergens")
    aliases = _mapping(section.get("aliases", {}), "allergens.aliases")
    return {name: _words(words, f"allergens.aliases.{name}") for name, words in aliases.items()}


@functools.cache
def allergen_none() -> tuple[str, ...]:
    """Words that mean "no allergy" in an allergen column (なし, 特になし)."""
    section = _mapping(_data().get("allergens", {}), "allergens")
    return _words(section.get("none", []), "allergens.none") if section.get("none") else ()


@functools.cache
def needs_words() -> NeedsWords:
    section = _mapping(_data().get("needs", {}), "needs")
    return NeedsWords(
        **{
            name: _words(section.get(name, []), f"needs.{name}") if section.get(name) else ()
            for name in NeedsWords.__dataclass_fields__
        }
    )
