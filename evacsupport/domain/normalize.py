"""Turn what people type (full-width digits, half-width kana, stray hyphens) into one stored form.

Japanese input arrives in many equivalent spellings: IMEs produce full-width digits, older systems
half-width katakana, and phone numbers come with or without hyphens. Storing one canonical form
keeps search, duplicate checks and exports reliable; the ``format_*`` functions turn it back into
the form people expect to read.

Invisible characters get one rule, here, for every front end: a control character (ESC, BEL, NUL,
a tab or line break typed into a one-line box, a bidirectional override) inside a *name* is
refused with a message (:func:`clean_name`), since a name is matched, sorted, printed on cards and
read aloud, and a hidden character makes two people's names look alike yet differ, or one look
like another. *Free text* is never refused for them: a one-line field keeps its words with tabs
and line breaks as spaces (:func:`clean_text`), a multi-line field (notes) keeps its line breaks
(:func:`clean_multiline`), and both drop the other control characters, which no keyboard types
on purpose and PostgreSQL refuses (NUL).
"""

from __future__ import annotations

import re
import unicodedata

import jaconv
import phonenumbers

from evacsupport.errors import InvalidValue

# Hyphen-like characters that mean "separator" in codes and numbers. The katakana long vowel mark
# ー (U+30FC) is deliberately absent: in names it is a letter (ヨーコ), not punctuation.
HYPHENS = "-\u2010\u2011\u2012\u2013\u2014\u2212\uff0d"
_HYPHEN_RE = re.compile(f"[{re.escape(HYPHENS)}]")
_WS_RE = re.compile(r"\s+")
# Control characters: Unicode category Cc (C0 with tab and line breaks, DEL, C1), the line and
# paragraph separators, and the bidirectional embedding, override and isolate marks, which
# reorder the text displayed around them.
_BIDI = "\u202a-\u202e\u2066-\u2069"
_CONTROL_RE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029{_BIDI}]")
# The control characters that are not whitespace either: free text drops them.
_INVISIBLE_RE = re.compile(f"[\\x00-\\x08\\x0e-\\x1b\\x7f-\\x84\\x86-\\x9f{_BIDI}]")
# What ends a line in a multi-line field: CRLF, CR, and the rarer breaks str.splitlines knows.
_LINE_BREAK_RE = re.compile("\r\n|[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Allowed in furigana: katakana ァ..ヺ, middle dot ・, long vowel ー, iteration marks ヽヾ, space.
_KATAKANA_RE = re.compile(r"[\u30a1-\u30fa\u30fb\u30fc\u30fd\u30fe ]*")
# In numbers only, ー is a mistyped hyphen (Japanese IMEs produce it for the "-" key).
_NUMBER_SEPARATORS_RE = re.compile(f"[\\s{re.escape(HYPHENS)}\u30fc()]")

# Leading digits of 11-digit numbers: mobile and IP phones, and 0800 toll-free.
_ELEVEN_DIGIT_PREFIXES = ("090", "080", "070", "060", "050", "0800")


def nfkc(value: str) -> str:
    """NFKC: full-width ASCII to ASCII, half-width katakana to full-width, ㈱ to (株)."""
    return unicodedata.normalize("NFKC", value)


def clean_text(value: str | None) -> str:
    """One line of free text as stored: NFKC, trimmed, every whitespace run one space.

    Tabs, line breaks and U+3000 are whitespace like any other; the remaining control characters
    are dropped before NFKC, so a combining mark they separated composes as it would have.
    """
    if value is None:
        return ""
    return _WS_RE.sub(" ", nfkc(_INVISIBLE_RE.sub("", value))).strip()


def find_control(value: str | None) -> str | None:
    """The first control character in ``value`` (see the module docstring), or None."""
    found = _CONTROL_RE.search(value or "")
    return found.group() if found else None


def clean_name(value: str | None) -> str:
    """A name (a person's, their furigana, a venue's, an account's) as stored.

    The same form as :func:`clean_text`, except that a control character inside the name, tabs
    and line breaks included, is refused rather than silently changed: it usually means two
    spreadsheet cells were pasted into one box, or a device sent an escape sequence, and the
    person should see which name to fix. Whitespace around the name is trimmed as usual.
    """
    if value is None:
        return ""
    text = nfkc(value).strip()
    found = find_control(text)
    if found is not None:
        raise InvalidValue("name.control", char=f"U+{ord(found):04X}")
    return _WS_RE.sub(" ", text)


def clean_multiline(value: str | None) -> str:
    """Text from a multi-line box (notes, a visit's summary) as stored.

    Line breaks of any kind become ``\\n`` and are kept; a tab becomes a space; other control
    characters are dropped; trailing spaces on each line and blank lines around the text go.
    No NFKC: notes are kept as written (①, full-width digits), as they always were.
    """
    if value is None:
        return ""
    text = _LINE_BREAK_RE.sub("\n", value).replace("\t", " ").replace("\x1f", " ")
    text = _INVISIBLE_RE.sub("", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def to_katakana(value: str | None) -> str:
    """Furigana as stored: full-width katakana, whatever kana the user typed."""
    text = clean_name(value)
    if not text:
        return ""
    text = jaconv.hira2kata(text)
    if not _KATAKANA_RE.fullmatch(text):
        raise InvalidValue("kana.invalid")
    return text


def search_key(value: str | None) -> str:
    """A form that ignores kana type, width, case, spaces and hyphens, for matching searches."""
    if not value:
        return ""
    text = jaconv.hira2kata(nfkc(value)).upper()
    text = _HYPHEN_RE.sub("", _WS_RE.sub("", text))
    # Removing a space can leave a combining mark next to a letter (NFKC turns ´ into " ́").
    return nfkc(text)


def _digits_only(value: str) -> str:
    """NFKC, then drop spaces, hyphens (and ー) and parentheses that people put into numbers."""
    return _NUMBER_SEPARATORS_RE.sub("", nfkc(value))


def normalize_phone(value: str | None) -> str:
    """Digits of a Japanese phone number, checked for a length that matches its kind."""
    if value is None:
        return ""
    text = _digits_only(value)
    if not text:
        return ""
    if text.startswith("+81"):
        # "+81 (0)90..." keeps its trunk 0 after the country code; drop it before adding ours.
        text = "0" + text[3:].removeprefix("0")
    if not (text.isascii() and text.isdigit()):
        raise InvalidValue("phone.invalid")
    if _is_valid_phone(text):
        return text
    raise InvalidValue("phone.invalid")


def _is_valid_phone(digits: str) -> bool:
    """Length rules of the Japanese numbering plan, coarse enough to never refuse a real number."""
    if len(digits) == 11:
        return digits.startswith(_ELEVEN_DIGIT_PREFIXES)
    if len(digits) == 10:
        if digits.startswith("0120"):
            return True
        return (
            digits[0] == "0" and digits[1] != "0" and not digits.startswith(_ELEVEN_DIGIT_PREFIXES)
        )
    return False


def format_phone(digits: str | None) -> str:
    """Phone digits with hyphens in the usual places (076-123-4567, 090-1234-5678)."""
    if not digits:
        return ""
    text = _digits_only(digits)
    if not (text.isascii() and text.isdigit()):
        return clean_text(digits)
    try:
        parsed = phonenumbers.parse(text, "JP")
        formatted = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    except phonenumbers.NumberParseException:
        formatted = ""
    # Trust the library only when it kept every digit and actually placed hyphens.
    if "-" in formatted and formatted.replace("-", "") == text:
        return formatted
    if len(text) == 11:
        return f"{text[:3]}-{text[3:7]}-{text[7:]}"
    if len(text) == 10:
        return f"{text[:3]}-{text[3:6]}-{text[6:]}"
    return text


def normalize_postal(value: str | None) -> str:
    """The 7 digits of a postal code, from 〒920-0961, ９２０－０９６１ and the like."""
    if value is None:
        return ""
    text = _digits_only(value).replace("〒", "")
    if not text:
        return ""
    if len(text) == 7 and text.isascii() and text.isdigit():
        return text
    raise InvalidValue("postal.invalid")


def format_postal(value: str | None) -> str:
    """NNN-NNNN for display; anything that is not a postal code is shown as it is."""
    if not value:
        return ""
    try:
        digits = normalize_postal(value)
    except InvalidValue:
        return clean_text(value)
    return f"{digits[:3]}-{digits[3:]}"


_INT_RE = re.compile(r"[+-]?[0-9]+")


def parse_int(value: str | int | None, *, minimum: int, maximum: int) -> int:
    """A whole number typed in any width, within ``minimum``..``maximum``."""
    if isinstance(value, bool):
        raise InvalidValue("value.integer")
    if isinstance(value, int):
        number = value
    else:
        text = clean_text(value)
        if not text:
            raise InvalidValue("value.required")
        if not _INT_RE.fullmatch(text):
            raise InvalidValue("value.integer")
        # int() refuses over 4300 digits, leading zeros included; more significant digits
        # than either bound has cannot be in range anyway.
        significant = text.lstrip("+-").lstrip("0") or "0"
        if len(significant) > len(str(max(abs(minimum), abs(maximum)))):
            raise InvalidValue("value.range", min=minimum, max=maximum)
        number = -int(significant) if text.startswith("-") else int(significant)
    if not minimum <= number <= maximum:
        raise InvalidValue("value.range", min=minimum, max=maximum)
    return number
