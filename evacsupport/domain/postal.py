"""Offline postal-code lookup for the whole of Japan, from the trimmed Japan Post table
(``resources/data/postal_codes.zip``, made by tools/make_postal_table.py).

The household editor fills in the address from a typed code, and the geocoder falls back on a
code's area, so every code of the country is there (evacuees and their relatives live anywhere).
The table is split by the code's first digit: the first lookup of a 9xx-xxxx code reads that
part only (about 20 ms), never at app start.
"""

from __future__ import annotations

import functools
import threading
import zipfile
from dataclasses import dataclass

from evacsupport.domain.normalize import normalize_postal
from evacsupport.errors import InvalidValue
from evacsupport.resources import resource_path

TABLE = "postal_codes.zip"
_lock = threading.Lock()


@dataclass(frozen=True)
class PostalAddress:
    postal_code: str
    prefecture: str
    city: str
    town: str
    municipality_code: str

    @property
    def address(self) -> str:
        """The address up to the town, ready for the user to add the block and building."""
        return f"{self.prefecture}{self.city}{self.town}"


def lookup(value: str | None) -> PostalAddress | None:
    """The address for a postal code typed in any form; None when unknown or malformed."""
    try:
        code = normalize_postal(value)
    except InvalidValue:
        return None
    if not code:
        return None
    entry = _codes(code[0]).get(code)
    if entry is None:
        return None
    number, town = entry.split("\t", 1)
    prefecture, city, municipality = _municipalities()[int(number)]
    return PostalAddress(code, prefecture, city, town, municipality)


@functools.cache
def _municipalities() -> tuple[tuple[str, str, str], ...]:
    text = _read("municipalities.tsv")
    return tuple((p, c, m) for p, c, m in (line.split("\t") for line in text.splitlines()))


@functools.cache
def _codes(digit: str) -> dict[str, str]:
    """Code → "municipality number<TAB>town" for the codes starting with ``digit``."""
    text = _read(f"codes-{digit}.tsv")
    return dict(line.split("\t", 1) for line in text.splitlines())  # type: ignore[misc]


def _read(member: str) -> str:
    with _lock, zipfile.ZipFile(resource_path("data", TABLE)) as archive:
        return archive.read(member).decode("utf-8")
