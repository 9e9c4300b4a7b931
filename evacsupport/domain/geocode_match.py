"""How the geocoder reads an address: the longest match of prefecture, municipality, town,
chome and koaza in the town table, and a postal code's area (see :mod:`evacsupport.domain.geocode`
for the rules it follows and the answers it gives).

The functions here say what the address alone says (:class:`Reading`) and what the postal code
alone says (:func:`postal_area`); :func:`evacsupport.domain.geocode.geocode` weighs the two.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from enum import StrEnum

from evacsupport.domain import postal
from evacsupport.domain.address import name_key, normalize_address
from evacsupport.domain.towns import (
    City,
    Point,
    Prefecture,
    Town,
    ensure_loaded,
    index,
    nearest_to_mean,
    prefecture_of,
    towns_starting_with,
)


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
class Reading:
    """What the address alone says: a place (of any precision) in ``city``, or why not."""

    place: Place | None = None
    city: City | None = None
    leftover: bool = False  # text after the municipality that is no town of it
    matched: int = 0  # characters after the municipality that the town (and koaza) took
    reason: str = ""
    subject: str = ""
    prefecture: Prefecture | None = None
    rest: str = ""  # the text after the prefecture, for a municipality the postal code gives
    alternatives: tuple[Reading, ...] = ()  # one per municipality the name may mean


_LEADING_JUNK_RE = re.compile(r"^[\W_]+")
_DIGITS_RE = re.compile(r"[0-9]+")
# What may follow a one-character town or a koaza: the end, a number, or 部/番/の.
_KOAZA_END = frozenset("-部番の0123456789")
_LONGEST_KOAZA = 12  # characters; the table's longest koaza has 10


def same_municipality(a: City | None, b: City | None) -> bool:
    """One municipality, a designated city counting as each of its wards."""
    if a is None or b is None:
        return False
    return a is b or a in b.wards or b in a.wards


# ---- the address -----------------------------------------------------------------------------


def read(text: str) -> Reading:
    text = _LEADING_JUNK_RE.sub("", text)  # 住所：, a bullet, a bracket
    ix = index()
    prefecture = None
    for length in (4, 3):
        prefecture = ix.prefectures.get(text[:length])
        if prefecture is not None:
            text = text[length:]
            break
    candidates = cities_at(text, prefecture)
    if not candidates:
        if prefecture is None:
            return Reading(reason="geocode.no_municipality", rest=text)
        # a town without its municipality, unless the text names another prefecture's one
        if not cities_at(text, None):
            found = _town_in_prefecture(prefecture, text)
            if found is not None:
                return found
        return Reading(
            reason="geocode.no_municipality_in",
            subject=prefecture.name,
            prefecture=prefecture,
            rest=text,
        )
    readings = [in_city(city, text[length:]) for city, length in candidates]
    if len(readings) == 1:
        return replace(readings[0], prefecture=prefecture, rest=text)
    # one name, several municipalities (府中市, 中央区): the one with the longest town match
    placed = [r for r in readings if r.place and r.place.precision is not Precision.CITY]
    longest = max((r.matched for r in placed), default=0)
    best = [r for r in placed if r.matched == longest]
    if len(best) == 1:
        return replace(best[0], prefecture=prefecture, rest=text)
    written = text[: candidates[0][1]]
    return Reading(
        reason="geocode.municipality_ambiguous",
        subject=written,
        prefecture=prefecture,
        rest=text,
        alternatives=tuple(placed or readings),
    )


def cities_at(text: str, prefecture: Prefecture | None) -> list[tuple[City, int]]:
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


def in_city(city: City, rest: str) -> Reading:
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
        return Reading(place=place, city=_owner(city, place), matched=found[1])
    here = Place(
        city.latitude, city.longitude, Precision.CITY, city.municipality, city.municipality
    )
    return Reading(place=here, city=city, leftover=bool(rest))


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


def _town_in_prefecture(prefecture: Prefecture, text: str) -> Reading | None:
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
    return Reading(place=place, city=city, prefecture=prefecture, rest=text)


# ---- postal codes ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def postal_area(code: str) -> tuple[Place | None, City | None]:
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
    found = cities_at(normalize_address(name), prefecture)
    if len(found) == 1:
        return found[0][0]
    for city in prefecture.cities.values():
        if name.endswith(city.name) or normalize_address(name).endswith(
            normalize_address(city.name)
        ):
            return city
    ward = re.fullmatch(r"(.+?市).+区", name)
    return prefecture.groups.get(ward[1]) if ward else None
