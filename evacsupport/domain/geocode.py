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

Everything here is pure (no Qt, no database) and thread-safe; the table is read on first use.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from enum import StrEnum

from evacsupport.domain import postal
from evacsupport.domain.address import find_postal, name_key, normalize_address
from evacsupport.domain.geo import haversine_km
from evacsupport.domain.normalize import clean_text, format_postal, normalize_postal
from evacsupport.domain.towns import (
    City,
    Point,
    Prefecture,
    Town,
    ensure_loaded,
    index,
    labels_near,
    nearest_to_mean,
    prefecture_of,
    towns_starting_with,
)
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


class Precision(StrEnum):
    """How much of the address the point stands for, finest first."""

    KOAZA = "koaza"
    TOWN = "town"
    POSTAL = "postal"  # the postal code's area
    CITY = "city"  # the municipality


@dataclass(frozen=True)
class Place:
    """A representative point: ``label`` is the area it stands for (石川県金沢市香林坊二丁目),
    ``municipality`` the prefecture and municipality (石川県金沢市)."""

    latitude: float
    longitude: float
    precision: Precision
    label: str
    municipality: str


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


@dataclass(frozen=True)
class _Reading:
    """What the address alone says: a place (of any precision) in ``city``, or why not."""

    place: Place | None = None
    city: City | None = None
    leftover: bool = False  # text after the municipality that is no town of it
    matched: int = 0  # characters after the municipality that the town (and koaza) took
    reason: str = ""
    subject: str = ""
    prefecture: Prefecture | None = None
    rest: str = ""  # the text after the prefecture, for a municipality the postal code gives
    alternatives: tuple[_Reading, ...] = ()  # one per municipality the name may mean


_LEADING_JUNK_RE = re.compile(r"^[\W_]+")
_DIGITS_RE = re.compile(r"[0-9]+")
_PREFECTURE_NAME_RE = re.compile(r"^(北海道|東京都|京都府|大阪府|[^都道府県]{2,3}県)")
# What may follow a one-character town or a koaza: the end, a number, or 部/番/の.
_KOAZA_END = frozenset("-部番の0123456789")
_LONGEST_KOAZA = 12  # characters; the table's longest koaza has 10
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
    reading = _read(normalized) if normalized else _Reading(reason="geocode.empty")
    area, area_city = _postal_area(known.postal_code) if known else (None, None)
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
    reading: _Reading, area: Place | None, area_city: City | None, bad_code: str
) -> Geocoded:
    """The address's answer, the postal code's where the address says less, and a note."""
    if reading.alternatives and area_city is not None:  # the postal code tells which one
        chosen = [r for r in reading.alternatives if _same(r.city, area_city)]
        if len(chosen) == 1:
            reading = chosen[0]
    place, city = reading.place, reading.city
    if place is not None and city is not None:
        if area_city is not None and not _same(city, area_city):
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
            found = _in_city(area_city, reading.rest)
            if found.place is not None and found.place.precision is not Precision.CITY:
                return Geocoded(found.place, "")
        if reading.rest or reading.prefecture:
            return Geocoded(area, "", "geocode.note.postal_used")
        return Geocoded(area, "")
    if bad_code and reading.reason == "geocode.empty":
        return Geocoded(None, "geocode.postal_unknown", subject=bad_code)
    return Geocoded(None, reading.reason, subject=reading.subject)


def _same(a: City | None, b: City | None) -> bool:
    """One municipality, a designated city counting as each of its wards."""
    if a is None or b is None:
        return False
    return a is b or a in b.wards or b in a.wards


# ---- reading the address ---------------------------------------------------------------------


def _read(text: str) -> _Reading:
    text = _LEADING_JUNK_RE.sub("", text)  # 住所：, a bullet, a bracket
    ix = index()
    prefecture = None
    for length in (4, 3):
        prefecture = ix.prefectures.get(text[:length])
        if prefecture is not None:
            text = text[length:]
            break
    candidates = _cities_at(text, prefecture)
    if not candidates:
        if prefecture is None:
            return _Reading(reason="geocode.no_municipality", rest=text)
        # a town without its municipality, unless the text names another prefecture's one
        if not _cities_at(text, None):
            found = _town_in_prefecture(prefecture, text)
            if found is not None:
                return found
        return _Reading(
            reason="geocode.no_municipality_in",
            subject=prefecture.name,
            prefecture=prefecture,
            rest=text,
        )
    readings = [_in_city(city, text[length:]) for city, length in candidates]
    if len(readings) == 1:
        return replace(readings[0], prefecture=prefecture, rest=text)
    # one name, several municipalities (府中市, 中央区): the one with the longest town match
    placed = [r for r in readings if r.place and r.place.precision is not Precision.CITY]
    longest = max((r.matched for r in placed), default=0)
    best = [r for r in placed if r.matched == longest]
    if len(best) == 1:
        return replace(best[0], prefecture=prefecture, rest=text)
    written = text[: candidates[0][1]]
    return _Reading(
        reason="geocode.municipality_ambiguous",
        subject=written,
        prefecture=prefecture,
        rest=text,
        alternatives=tuple(placed or readings),
    )


def _cities_at(text: str, prefecture: Prefecture | None) -> list[tuple[City, int]]:
    """The municipalities whose name ``text`` starts with (the longest such name), in
    ``prefecture`` when it was written."""
    ix = index()
    for length in range(min(len(text), ix.longest_city_key), 1, -1):
        cities = ix.city_keys.get(text[:length])
        if cities is None:
            continue
        if prefecture is not None:
            cities = tuple(c for c in cities if c.prefecture == prefecture.name)
        if cities:
            return [(city, length) for city in cities]
    return []


def _in_city(city: City, rest: str) -> _Reading:
    """The finest place of ``rest`` in ``city``; the municipality's point when no town fits."""
    found: tuple[Place, int] | None = None
    if city.wards:  # a designated city written without its ward: a town only one ward has
        matches = [m for ward in city.wards if (m := _match_town(ward, rest)) is not None]
        if matches:
            longest = max(length for _, length in matches)
            best = [m for m in matches if m[1] == longest]
            found = best[0] if len(best) == 1 else None
    else:
        found = _match_town(city, rest)
    if found is not None:
        place = found[0]
        return _Reading(place=place, city=_owner(city, place), matched=found[1])
    here = Place(
        city.latitude, city.longitude, Precision.CITY, city.municipality, city.municipality
    )
    return _Reading(place=here, city=city, leftover=bool(rest))


def _owner(city: City, place: Place) -> City:
    for ward in city.wards:
        if ward.municipality == place.municipality:
            return ward
    return city


def _match_town(city: City, rest: str) -> tuple[Place, int] | None:
    """The longest town (then chome, then koaza) of ``city`` that ``rest`` starts with, and how
    many characters of ``rest`` it took; None when none does."""
    ensure_loaded(prefecture_of(city))
    skipped = 0
    for prefix in ("大字", "字"):
        if rest.startswith(prefix):
            rest, skipped = rest[len(prefix) :], len(prefix)
            break
    for length in range(min(len(rest), city.longest), 0, -1):
        key = rest[:length]
        if key not in city.towns:
            continue
        town = city.towns[key]
        after = rest[length:]
        if town is None:  # two places share this name: say only the municipality
            return None
        koaza = None
        if length == 1 and after and after[0] not in _KOAZA_END:
            # one character (谷, 森) is a town only before a number or one of its koaza
            koaza = _match_koaza(town, after)
            if koaza is None:
                continue
        if town.chome and (number := _DIGITS_RE.match(after)):
            chome = city.towns.get(f"{key}{number.group()}丁目")
            if chome is not None:
                town, after = chome, after[number.end() :]
                length += number.end()
        koaza = koaza or _match_koaza(town, after)
        return _place(city, town, koaza), skipped + length
    return None


def _match_koaza(town: Town, after: str) -> Point | None:
    if not town.koaza:
        return None
    for prefix in ("小字", "字"):
        if after.startswith(prefix):
            after = after[len(prefix) :]
            break
    for length in range(min(len(after), _LONGEST_KOAZA), 0, -1):
        key = after[:length]
        if key not in town.koaza:
            continue
        following = after[length : length + 1]
        if following and following not in _KOAZA_END and not key.endswith("部"):
            continue
        return town.koaza[key]  # None when two koaza share the name
    return None


def _place(city: City, town: Town, koaza: Point | None) -> Place:
    if koaza is not None:
        return Place(
            koaza.latitude,
            koaza.longitude,
            Precision.KOAZA,
            f"{city.municipality}{town.name}{koaza.name}",
            city.municipality,
        )
    precision = Precision.KOAZA if town.is_koaza else Precision.TOWN
    label = f"{city.municipality}{town.name}"
    return Place(town.latitude, town.longitude, precision, label, city.municipality)


def _town_in_prefecture(prefecture: Prefecture, text: str) -> _Reading | None:
    """A town written without its municipality: found only when one municipality of the
    prefecture has the longest matching town name (of two characters or more)."""
    matches = []
    for city in prefecture.cities.values():
        found = _match_town(city, text)
        if found is not None and found[1] >= 2:
            matches.append((found[1], city, found[0]))
    if not matches:
        return None
    longest = max(m[0] for m in matches)
    best = [m for m in matches if m[0] == longest]
    if len({m[1].name for m in best}) != 1:
        return None
    _, city, place = best[0]
    return _Reading(place=place, city=city, prefecture=prefecture, rest=text)


# ---- postal codes ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def _postal_area(code: str) -> tuple[Place | None, City | None]:
    """The postal code's area (its towns' middle) and municipality; the municipality's point when
    the area is not in the town table; (None, None) when the town table lacks the municipality
    or the postal table the code."""
    found = postal.lookup(code)
    if found is None:
        return None, None
    city = _postal_city(found.prefecture, found.city)
    if city is None:
        return None, None
    here = Place(
        city.latitude, city.longitude, Precision.CITY, city.municipality, city.municipality
    )
    key = name_key(found.town) if found.town else ""
    if not key:
        return here, city
    wards = city.wards or (city,)
    for ward in wards:
        ensure_loaded(prefecture_of(ward))
    exact = [t for w in wards if (t := w.towns.get(key)) is not None]
    if exact:
        points = [Point(t.name, t.latitude, t.longitude) for t in exact]
    else:
        points = [
            Point(t.name, t.latitude, t.longitude)
            for w in wards
            for t in towns_starting_with(w, key)
        ]
    if not points:  # 丸の内ＪＰタワー: the town the building stands in
        points = [
            Point(m[0].label, m[0].latitude, m[0].longitude)
            for w in wards
            if (m := _match_town(w, key)) is not None
        ]
    if not points:
        return here, city
    lat, lon = nearest_to_mean(points)
    label = f"{city.municipality}{found.town}"
    return Place(lat, lon, Precision.POSTAL, label, city.municipality), city


def _postal_city(prefecture_name: str, name: str) -> City | None:
    """The town table's municipality for the postal table's name (the two spell a few names
    differently: 鎌ケ谷市/鎌ヶ谷市, 三宅島三宅村/三宅村, and wards made after the snapshot)."""
    prefecture = index().prefectures.get(prefecture_name)
    if prefecture is None:
        return None
    found = _cities_at(normalize_address(name), prefecture)
    if len(found) == 1:
        return found[0][0]
    for city in prefecture.cities.values():
        if name.endswith(city.name) or normalize_address(name).endswith(
            normalize_address(city.name)
        ):
            return city
    ward = re.fullmatch(r"(.+?市).+区", name)
    return prefecture.groups.get(ward[1]) if ward else None


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
    reach = radius_km / 90.0  # degrees: a degree of longitude is over 90 km south of 35.8° N
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
