"""An offline geocoder for Japanese addresses: the point of a household's town, and how precise
it is, from the address and postal code that municipal and shelter lists carry.

Households are connected to a kodomo shokudo near them, but lists give addresses, never
coordinates. :func:`geocode` reads an address the way people write it (see
:mod:`evacsupport.domain.address` for the spellings it accepts), finds the longest match of
prefecture, municipality, town (大字・町丁目) and koaza in the town table
(:mod:`evacsupport.domain.towns`), and returns that area's representative point with its
:class:`Precision`. What is written after the town (lot numbers, a building, a room) is ignored:
the table has no finer points.

When the address says less, the geocoder falls back, each step less precise and saying so:
the postal code's area (its towns' middle, from the nationwide postal table), then the
municipality's representative point. It never guesses: a municipality it cannot recognise, or
one whose name several prefectures share with nothing to tell them apart, gives no point and a
reason (an :mod:`evacsupport.i18n` key); a town written without its municipality is accepted only
when the prefecture has one town of that name. An address and a postal code that point to
different municipalities give the address's point and a note saying so.

How an address is read is in :mod:`evacsupport.domain.geocode_match`; this module weighs the
address against the postal code and holds what the rest of the app calls. Everything here is
pure (no Qt, no database) and thread-safe; the tables are read on first use.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from evacsupport.domain import postal
from evacsupport.domain.address import find_postal, normalize_address
from evacsupport.domain.geo import haversine_km
from evacsupport.domain.geocode_match import (
    Place,
    Precision,
    Reading,
    in_city,
    postal_area,
    read,
    same_municipality,
)
from evacsupport.domain.normalize import clean_text, format_postal, normalize_postal
from evacsupport.domain.towns import City, Point, index, labels_near, prefecture_of
from evacsupport.errors import InvalidValue
from evacsupport.i18n import message

__all__ = [
    "Geocoded",
    "MunicipalityPoint",
    "Place",
    "Precision",
    "TownLabel",
    "describe",
    "explain",
    "geocode",
    "municipalities",
    "normalize_address",
    "towns_near",
]

TownLabel = Point  # a town's name and point, for map labels


@dataclass(frozen=True)
class Geocoded:
    """The answer for one address. ``reason`` is "" when placed, else the message key of what
    was not found; ``note`` a message key about a placed answer (address and postal code
    disagree, only the municipality was recognised ...); ``subject`` fills the message's
    ``{subject}`` (a municipality, a postal code). :func:`explain` gives the text."""

    place: Place | None
    reason: str
    note: str = ""
    subject: str = ""


@dataclass(frozen=True)
class MunicipalityPoint:
    """A municipality's name and representative point, for map labels."""

    prefecture: str
    city: str
    latitude: float
    longitude: float


_PREFECTURE_NAME_RE = re.compile(r"^(北海道|東京都|京都府|大阪府|[^都道府県]{2,3}県)")
_MAX_SUBJECT = 40


def geocode(address: str | None, postal_code: str | None = None) -> Geocoded:
    """The point for an address and/or a postal code (see the module docstring); never raises.

    A postal code written inside the address (〒920-0961, or first) counts when ``postal_code``
    is empty.
    """
    text = address or ""
    normalized = normalize_address(text)
    code, bad_code = _postal_code(postal_code)
    if code is None and not bad_code:
        code = find_postal(text)
    known = postal.lookup(code) if code else None
    if code and known is None:
        bad_code = format_postal(code)
    if not normalized and known is None:
        if bad_code:
            return Geocoded(None, "geocode.postal_unknown", subject=bad_code)
        return Geocoded(None, "geocode.empty")
    reading = read(normalized) if normalized else Reading(reason="geocode.empty")
    area, area_city = postal_area(known.postal_code) if known else (None, None)
    result = _combine(reading, area, area_city, bad_code)
    if result.place is None and known is not None and area_city is None:
        # a municipality the postal table knows and the town table does not (利島村)
        return Geocoded(None, "geocode.no_data", subject=known.prefecture + known.city)
    return result


def _postal_code(value: str | None) -> tuple[str | None, str]:
    """(the 7 digits, "") for a postal code, (None, "") for none, (None, what was typed) for
    something else."""
    try:
        code = normalize_postal(value)
    except InvalidValue:
        return None, clean_text(value)[:_MAX_SUBJECT]
    return (code or None), ""


def _combine(
    reading: Reading, area: Place | None, area_city: City | None, bad_code: str
) -> Geocoded:
    """The address's answer, the postal code's where the address says less, and a note."""
    if reading.alternatives and area_city is not None:  # the postal code tells which one
        chosen = [r for r in reading.alternatives if same_municipality(r.city, area_city)]
        if len(chosen) == 1:
            reading = chosen[0]
    place, city = reading.place, reading.city
    if place is not None and city is not None:
        if area_city is not None and not same_municipality(city, area_city):
            return Geocoded(place, "", "geocode.note.postal_elsewhere", area_city.municipality)
        if place.precision is not Precision.CITY:
            if bad_code:
                return Geocoded(place, "", "geocode.note.postal_unknown", bad_code)
            return Geocoded(place, "")
        if area is not None and area.precision is Precision.POSTAL:  # the same municipality
            if reading.leftover:
                return Geocoded(area, "", "geocode.note.postal_used")
            return Geocoded(area, "")
        if reading.leftover:
            return Geocoded(place, "", "geocode.note.town_not_found", city.name)
        return Geocoded(place, "")
    if area is not None and area_city is not None:
        # no municipality in the address: its text may still be a town of the code's one
        same_prefecture = reading.prefecture in (None, prefecture_of(area_city))
        if reading.rest and same_prefecture and not reading.alternatives:
            found = in_city(area_city, reading.rest)
            if found.place is not None and found.place.precision is not Precision.CITY:
                return Geocoded(found.place, "")
        if reading.rest or reading.prefecture:
            return Geocoded(area, "", "geocode.note.postal_used")
        return Geocoded(area, "")
    if bad_code and reading.reason == "geocode.empty":
        return Geocoded(None, "geocode.postal_unknown", subject=bad_code)
    return Geocoded(None, reading.reason, subject=reading.subject)


# ---- for the map and for people --------------------------------------------------------------


@functools.cache
def municipalities() -> tuple[MunicipalityPoint, ...]:
    """Every municipality of Japan with its representative point (the town nearest the mean of
    its towns; see tools/make_town_table.py), in JIS prefecture order."""
    return tuple(
        MunicipalityPoint(city.prefecture, city.name, city.latitude, city.longitude)
        for prefecture in index().prefectures.values()
        for city in prefecture.cities.values()
    )


def towns_near(latitude: float, longitude: float, radius_km: float) -> list[TownLabel]:
    """Town names and points within ``radius_km`` of a point, nearest first, for map labels.

    Reads the table of each prefecture the circle touches (once); a circle of tens of km around
    Kanazawa touches one or two.
    """
    if not radius_km > 0:
        return []
    # generous margins in degrees: one of latitude is 111 km, one of longitude over 56 km as far
    # north as 60° (45.5° N, Japan's northernmost: 78 km)
    reach = radius_km / 90.0
    found: list[tuple[float, TownLabel]] = []
    for prefecture in index().prefectures.values():
        min_lat, min_lon, max_lat, max_lon = prefecture.bbox
        if (
            min_lat - reach <= latitude <= max_lat + reach
            and min_lon - reach * 1.6 <= longitude <= max_lon + reach * 1.6
        ):
            for label in labels_near(prefecture, latitude, longitude, radius_km):
                distance = haversine_km(latitude, longitude, label.latitude, label.longitude)
                found.append((distance, label))
    found.sort(key=lambda pair: pair[0])
    return [label for _, label in found]


def describe(place: Place, lang: str | None = None) -> str:
    """What the point stands for, for people: 香林坊二丁目の代表点（町丁目）."""
    name = place.label.removeprefix(place.municipality)
    if not name:
        name = _PREFECTURE_NAME_RE.sub("", place.municipality, count=1) or place.municipality
    precision = message(f"geocode.precision.{place.precision.value}", lang)
    return message("geocode.describe", lang, name=name, precision=precision)


def explain(result: Geocoded, lang: str | None = None) -> str:
    """The reason (no point) or the note (a point) as text; "" when there is nothing to say."""
    key = result.reason or result.note
    return message(key, lang, subject=result.subject) if key else ""
