"""Offline postal-code lookup from the trimmed Japan Post table (see tools/make_postal_table.py)."""

from __future__ import annotations

from dataclasses import dataclass

from evacsupport.domain.normalize import normalize_postal
from evacsupport.errors import InvalidValue
from evacsupport.resources import load_json


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
    entry = load_json("postal_codes.json")["codes"].get(code)
    if not code or entry is None:
        return None
    prefecture, city, town, municipality = entry
    return PostalAddress(code, prefecture, city, town, municipality)
