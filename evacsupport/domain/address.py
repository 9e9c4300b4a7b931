"""Japanese addresses as people write them, turned into one form the geocoder can compare.

The same place arrives as 香林坊2丁目3-1, 香林坊２丁目３番１号, 香林坊二丁目3番地の1 or
香林坊 2-3-1; the town table writes 香林坊二丁目, 旭ケ丘 where a list says 旭が丘 or 旭ヶ丘,
一ノ宮 where a person writes 一の宮 or 一之宮. Rather than teach the matcher every spelling, both
the address and every name of the town table go through :func:`normalize_address`, so that
equal places give equal text. The result is for comparing, not for showing: the geocoder shows
the table's own names.

What it does, in order: NFKC (full-width digits and letters, half-width kana) with control
characters dropped; a few old or variant kanji of place names to their common form (﨑→崎,
髙→高 ...); every hyphen-like character to ``-`` (``ー`` only between digits, where an IME put it
for the ``-`` key); a postal code with 〒, or at the very start, removed (:func:`find_postal`
reads it); spaces removed, except one between two letters or digits (``2-3-1 4F`` keeps its
numbers apart); kanji numerals before 丁目, 番, 番地, 号, 部, 条, 線 and 地割 to digits (二丁目 →
2丁目, 二十四部 → 24部); 番/番地/の between numbers to ``-`` and 号 after a number dropped
(3番1号 → 3-1); ヶ/ケ/が/ガ before a kanji to ケ, and の/ノ/之 between kanji to ノ. Each step
leaves text that no step changes again, so the function is idempotent (a property test holds it
to that).
"""

from __future__ import annotations

import re
import unicodedata

from evacsupport.domain.normalize import clean_text

# Kanji ideographs (the BMP blocks and the supplementary planes) and the iteration mark 々.
_KANJI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff々〆"
# Old and variant forms that lists use for the same place name as the town table.
_VARIANT_FORMS = {
    "﨑": "崎",
    "嵜": "崎",
    "碕": "崎",
    "髙": "高",
    "惠": "恵",
    "德": "徳",
    "邊": "辺",
    "邉": "辺",
    "濵": "浜",
    "濱": "浜",
    "瀨": "瀬",
    "舘": "館",
    "槇": "槙",
    "檜": "桧",
    "冨": "富",
    "條": "条",
    "鄕": "郷",
    "敎": "教",
}
_VARIANTS = str.maketrans(_VARIANT_FORMS)
# Hyphens and dashes: never letters in an address (ー is handled apart: in katakana it is one).
_DASHES_RE = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe63\uff0d]")
_LONG_VOWEL_AS_DASH_RE = re.compile(r"(?<=[0-9])\s*[ー~〜～]\s*(?=[0-9])")
_POSTAL = r"([0-9]{3})\s?-?\s?([0-9]{4})(?![0-9])"
_MARKED_POSTAL_RE = re.compile(rf"〒\s?(?:{_POSTAL})?")
_LEADING_POSTAL_RE = re.compile(rf"\s?{_POSTAL}(?![-0-9])\s?")
_SPACE_RE = re.compile(r"\s+")
_NUMERAL_RE = re.compile(r"[〇一二三四五六七八九十百千]+(?=丁目|番|号|部|条|線|地割)")
_BANCHI_RE = re.compile(r"(?<=[0-9])(?:番地の?|番の?|の)(?=[0-9])")
_GO_RE = re.compile(r"(?<=[0-9])号")
_BANCHI_END_RE = re.compile(r"(?<=[0-9])番地?$")
_CHOME_DASH_RE = re.compile(r"丁目-+")
_KE_RE = re.compile(rf"(?<=[^\W0-9_])[ヶケがガヵ](?=[{_KANJI}])")
_NO_RE = re.compile(rf"(?<=[{_KANJI}])[のノ之](?=[{_KANJI}])")
# A name made only of these needs no normalising: kanji and kana other than the ones the steps
# above look at (numerals, 番号部条線, ケ/が/の and their kin, ー).
_PLAIN_NAME_RE = re.compile(
    "[^〇一二三四五六七八九十百千番号部条線ヶケがガヵのノ之ー"
    + "".join(_VARIANT_FORMS)
    + r"\x00-\u3004\u3006-\u303f]+"
)
_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def kanji_number(text: str) -> int:
    """二十四 → 24, 百五 → 105, 一〇 → 10 (digit by digit when there is no 十/百/千)."""
    if not any(ch in _UNITS for ch in text):
        value = 0
        for ch in text:
            value = value * 10 + _DIGITS[ch]
        return value
    total, digit = 0, 0
    for ch in text:
        if ch in _UNITS:
            total += (digit or 1) * _UNITS[ch]
            digit = 0
        else:
            digit = digit * 10 + _DIGITS[ch]
    return total + digit


def _one_pass(text: str) -> str:
    text = clean_text(text).translate(_VARIANTS)
    text = _LONG_VOWEL_AS_DASH_RE.sub("-", _DASHES_RE.sub("-", text))
    text = _MARKED_POSTAL_RE.sub(" ", text)
    while match := _LEADING_POSTAL_RE.match(text):
        text = text[match.end() :]
    text = _SPACE_RE.sub(_space, text.strip())
    text = _NUMERAL_RE.sub(lambda m: str(kanji_number(m.group())), text)
    text = _BANCHI_RE.sub("-", text)
    text = _BANCHI_END_RE.sub("", _GO_RE.sub("", text))
    text = _CHOME_DASH_RE.sub("丁目", text)
    text = _NO_RE.sub("ノ", _KE_RE.sub("ケ", text))
    return text.strip("-")


def _space(match: re.Match[str]) -> str:
    """A run of spaces goes, unless it keeps two numbers or words apart (``2-3-1 4F``)."""
    text = match.string
    before = text[match.start() - 1] if match.start() else ""
    after = text[match.end()] if match.end() < len(text) else ""
    return (
        " " if before.isascii() and before.isalnum() and after.isascii() and after.isalnum() else ""
    )


def normalize_address(text: str) -> str:
    """The form of ``text`` that the geocoder compares (see the module docstring)."""
    result = _one_pass(text)
    for _ in range(3):  # a step can expose work for an earlier one (a dash after a removed 号)
        again = _one_pass(result)
        if again == result:
            break
        result = again
    return result


def find_postal(text: str) -> str | None:
    """The postal code written inside an address (``〒920-0961`` anywhere, or ``920-0961``
    before the rest), as 7 digits; None when there is none."""
    cleaned = _LONG_VOWEL_AS_DASH_RE.sub("-", _DASHES_RE.sub("-", clean_text(text)))
    for marked in _MARKED_POSTAL_RE.finditer(cleaned):
        if marked.group(1):
            return marked.group(1) + marked.group(2)
    leading = _LEADING_POSTAL_RE.match(cleaned)
    return leading.group(1) + leading.group(2) if leading else None


def normalize_name(name: str) -> str:
    """:func:`normalize_address` for a name of the town table, quicker for the many names that
    need none of its steps (one search tells them apart: loading a prefecture's towns is then
    several times faster)."""
    plain = _PLAIN_NAME_RE.fullmatch(name) and unicodedata.is_normalized("NFKC", name)
    return name if plain else normalize_address(name)


def name_key(name: str) -> str:
    """A town or koaza name of the table in the address form, without a leading 大字 or 字."""
    key = normalize_name(name)
    for prefix in ("大字", "字"):
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix) :]
    return key
