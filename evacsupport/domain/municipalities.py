"""Ishikawa municipalities: where evacuees come from and where they are hosted.

Municipal codes (JIS X 0402 plus a check digit) are what prefectural and municipal lists use, so
records keep the code and show the name. The list is data (``resources/data/municipalities.json``)
because the set of host areas grows as people move.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from evacsupport.domain.normalize import clean_text
from evacsupport.errors import InvalidValue
from evacsupport.resources import load_json

ROLES = ("origin", "host", "prefecture")
PREFECTURE_NAME = "石川県"
_WEIGHTS = (6, 5, 4, 3, 2)


@dataclass(frozen=True)
class Municipality:
    """One local government; ``role`` says whether evacuees come from it or are hosted there."""

    code: str
    name: str
    kana: str
    role: str


def check_digit(five: str) -> int:
    """The sixth digit of a local government code, computed from the five-digit JIS code."""
    if len(five) != 5 or not (five.isascii() and five.isdigit()):
        raise InvalidValue("municipality.unknown", code=five)
    total = sum(int(d) * w for d, w in zip(five, _WEIGHTS, strict=True))
    return (11 - total % 11) % 10


@functools.cache
def _load() -> tuple[Municipality, ...]:
    return tuple(Municipality(**row) for row in load_json("municipalities.json"))


def all_municipalities() -> list[Municipality]:
    """Every entry of the data file, the prefecture included, in file order."""
    return list(_load())


def by_role(role: str) -> list[Municipality]:
    """Origin (affected) or host municipalities, for choice lists."""
    return [m for m in _load() if m.role == role]


def get(code: str | None) -> Municipality | None:
    """The municipality with this six-digit code, or None."""
    if not code:
        return None
    found = _by_code().get(code)  # the list's paint asks this for every visible row
    return found if found is not None else _by_code().get(clean_text(code))


@functools.cache
def _by_code() -> dict[str, Municipality]:
    return {m.code: m for m in _load()}


def validate_code(value: str | None) -> str:
    """A known six-digit code; a five-digit JIS code gets its check digit appended."""
    text = clean_text(value).replace(" ", "")
    if not text:
        return ""
    if not (text.isascii() and text.isdigit()) or len(text) not in (5, 6):
        raise InvalidValue("municipality.unknown", code=text)
    if len(text) == 5:
        text += str(check_digit(text))
    elif int(text[5]) != check_digit(text[:5]):
        raise InvalidValue("municipality.check_digit", code=text)
    if get(text) is None:
        raise InvalidValue("municipality.unknown", code=text)
    return text


def from_name(name: str | None) -> Municipality | None:
    """The entry whose name is exactly ``name`` (after NFKC), or None."""
    text = clean_text(name)
    return next((m for m in _load() if m.name == text), None) if text else None


def from_address(address: str | None) -> Municipality | None:
    """The municipality an address lies in, from the name written in it.

    The earliest match wins and, at the same place, the longest name, so 中能登町 is not read as
    能登町; a leading 石川県 is skipped so the name right after it is found first.
    """
    text = clean_text(address).replace(" ", "")
    if not text:
        return None
    text = text.removeprefix(PREFECTURE_NAME)
    best: tuple[int, int, Municipality] | None = None
    for m in _load():
        if m.role == "prefecture":
            continue
        pos = text.find(m.name)
        if pos < 0:
            continue
        key = (pos, -len(m.name), m)
        if best is None or key[:2] < best[:2]:
            best = key
    return best[2] if best else None
