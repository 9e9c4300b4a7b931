"""Food allergens from the Japanese labelling standard, as venues and households record them.

A kodomo shokudo must know which allergens a guest avoids and which it can handle. The list is data
(``resources/data/allergens.json``) because the standard changes (マカダミアナッツ added in 2024);
everyday spellings (たまご, ピーナッツ, エビ) are mapped to the listed names so matching works.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import jaconv

from evacsupport.domain.normalize import nfkc
from evacsupport.errors import InvalidValue
from evacsupport.resources import load_json

# Everyday spellings of listed names. Matching is also kana-insensitive, so タマゴ finds 卵.
ALIASES: dict[str, tuple[str, ...]] = {
    "卵": ("たまご", "玉子"),
    "乳": ("牛乳", "乳製品"),
    "小麦": ("こむぎ",),
    "落花生": ("ピーナッツ", "ピーナツ"),
    "えび": ("エビ", "海老"),
    "かに": ("カニ", "蟹"),
    "そば": ("ソバ", "蕎麦"),
    "くるみ": ("クルミ",),
}

# 、 , ・ and any whitespace (NFKC has already turned ， and ､ into , and 、).
_SEPARATORS_RE = re.compile(r"[、,・\s]+")


def mandatory() -> list[str]:
    """The 8 特定原材料 whose labelling is compulsory."""
    return list(load_json("allergens.json")["mandatory"])


def recommended() -> list[str]:
    """The 20 特定原材料に準ずるもの whose labelling is recommended."""
    return list(load_json("allergens.json")["recommended"])


def all_allergens() -> list[str]:
    """Mandatory first, then recommended, in the data file's order (the order shown and stored)."""
    return mandatory() + recommended()


def _key(text: str) -> str:
    return jaconv.hira2kata(nfkc(text).strip())


@functools.cache
def _lookup() -> dict[str, str]:
    """Built once: every household saved or imported normalises its allergens through it."""
    table: dict[str, str] = {}
    for name in all_allergens():
        table[_key(name)] = name
        for alias in ALIASES.get(name, ()):
            table.setdefault(_key(alias), name)
    return table


def normalize_allergens(values: Iterable[str] | str | None) -> list[str]:
    """Listed allergen names, de-duplicated, in canonical order, from a list or 「卵、乳」."""
    if values is None:
        return []
    items = [values] if isinstance(values, str) else list(values)
    table = _lookup()
    found: set[str] = set()
    for item in items:
        for token in _SEPARATORS_RE.split(nfkc(str(item))):
            if not token:
                continue
            name = table.get(_key(token))
            if name is None:
                raise InvalidValue("allergen.unknown", value=token)
            found.add(name)
    return [name for name in all_allergens() if name in found]
