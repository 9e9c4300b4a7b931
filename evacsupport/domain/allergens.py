"""Food allergens from the Japanese labelling standard, as venues and households record them.

A kodomo shokudo must know which allergens a guest avoids and which it can handle. The list is data
(``resources/data/allergens.json``) because the standard changes (マカダミアナッツ added in 2024);
everyday spellings (たまご, ピーナッツ, 海老) are data too (``resources/data/vocabulary.json``,
read by :mod:`evacsupport.domain.vocabulary`) and map to the listed names, so matching works.
Matching is width-, kana- and case-insensitive (タマゴ and ﾀﾏｺﾞ find 卵), and the words a list
writes for "none" (なし, 特になし) are no allergen rather than an unknown one.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from evacsupport.domain import vocabulary
from evacsupport.domain.normalize import nfkc
from evacsupport.errors import InvalidValue
from evacsupport.i18n import CATALOG, current_language, message
from evacsupport.resources import load_json

# 、 , ・ ; and any whitespace (NFKC has already turned ， ､ and ； into , 、 and ;).
_SEPARATORS_RE = re.compile(r"[、,・;\s]+")


def mandatory() -> list[str]:
    """The 8 特定原材料 whose labelling is compulsory."""
    return list(load_json("allergens.json")["mandatory"])


def recommended() -> list[str]:
    """The 20 特定原材料に準ずるもの whose labelling is recommended."""
    return list(load_json("allergens.json")["recommended"])


def all_allergens() -> list[str]:
    """Mandatory first, then recommended, in the data file's order (the order shown and stored)."""
    return mandatory() + recommended()


@functools.cache
def _lookup() -> dict[str, str]:
    """Built once: every household saved or imported normalises its allergens through it.

    A listed name wins over an alias that folds to the same word; an alias for a name that is
    not listed is a mistake in the data and raises, naming it.
    """
    names = all_allergens()
    table = {vocabulary.fold(name): name for name in names}
    for name, aliases in vocabulary.allergen_aliases().items():
        if name not in names:
            raise vocabulary.VocabularyError(
                f"{vocabulary.FILE}: allergens.aliases has {name}, which is not listed"
            )
        for alias in aliases:
            table.setdefault(vocabulary.fold(alias), name)
    return table


@functools.cache
def _none() -> frozenset[str]:
    return frozenset(vocabulary.fold(w) for w in vocabulary.allergen_none())


def tokens(text: str) -> list[str]:
    """The single words of an allergen cell (「卵、乳・小麦」 is three), without the ones that
    mean "none"."""
    none = _none()
    return [t for t in _SEPARATORS_RE.split(nfkc(text)) if t and vocabulary.fold(t) not in none]


def lookup(token: str) -> str | None:
    """The listed name one word stands for (たまご → 卵), or None."""
    return _lookup().get(vocabulary.fold(token))


def normalize_allergens(values: Iterable[str] | str | None) -> list[str]:
    """Listed allergen names, de-duplicated, in canonical order, from a list or 「卵、乳」."""
    if values is None:
        return []
    items = [values] if isinstance(values, str) else list(values)
    found: set[str] = set()
    for item in items:
        for token in tokens(str(item)):
            name = lookup(token)
            if name is None:
                raise InvalidValue("allergen.unknown", value=token)
            found.add(name)
    return [name for name in all_allergens() if name in found]


def display(name: str, lang: str | None = None) -> str:
    """A listed allergen as the window shows it: stored and matched by its Japanese name, shown
    in English from the message catalogue (``allergen.name.<name>``) in an English window. A
    name the catalogue lacks shows as stored rather than not at all."""
    key = f"allergen.name.{name}"
    return message(key, lang) if key in CATALOG else name


def display_list(names: Iterable[str], lang: str | None = None) -> str:
    """Several allergens on one line: 「卵、小麦」 or "Egg, Wheat"."""
    separator = "、" if (lang or current_language()) == "ja" else ", "
    return separator.join(display(name, lang) for name in names)
