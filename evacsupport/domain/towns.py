"""The town table the geocoder matches against: every town (大字・町丁目) and koaza of Japan with
its representative point, read from ``resources/data/towns.zip`` one prefecture at a time.

Why this format (measured on the project's 2-core machine, tools/make_town_table.py makes it):
the 277,207 points are 11 MB as plain text. A read-only SQLite file shipped as a resource is
17.5 MB even with municipality ids and a single index (SQLite does not compress); a gzip'd CSV
of the whole country is 3.5 MB but takes 3.4 s to parse and index. A zip with one
LZMA-compressed text member per prefecture is 2.4 MB and lets the geocoder read only what an
address needs: nothing happens at app start, the small index (every municipality with its
representative point, 80 KB) is read on first use, and a prefecture's towns (石川県: 8,800) are
read and indexed, in about 50 ms, the first time an address in it is looked up (愛知県, the
largest, 0.3 s). Coordinates are integers of 1e-5 degrees (about a metre). ``zipfile`` and
``lzma`` are in the standard library, and PyInstaller ships the file as it is (build.spec
collects ``resources/``).

Names are indexed by :func:`evacsupport.domain.address.name_key`, the same normalising the
addresses go through, so the table's spellings never need to be repeated in code.

Attribution (CC BY 4.0): "Geolonia 住所データ (CC BY 4.0), 国土交通省 位置参照情報 をもとに作成"
(resources/licenses.json, shown in the About dialog).
"""

from __future__ import annotations

import bisect
import json
import re
import threading
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

import jaconv

from evacsupport.domain.address import kanji_number, name_key, normalize_name
from evacsupport.domain.geo import haversine_km
from evacsupport.resources import resource_path

TABLE = "towns.zip"
NO_OAZA = "（大字なし）"  # the table's town name for koaza that belong to no 大字
# Two table names with one key more than this apart are two places: the key then finds neither.
SAME_PLACE_KM = 1.0
# A district (a former town's name shared by several towns) is a town only when this compact
# (珠洲市正院町: 3.5 km; a rural 大字 is often 2 km across).
DISTRICT_KM = 4.0
_CHOME_KEY_RE = re.compile(r"(.+?)([0-9]+)丁目")
_CHOME_NAME_RE = re.compile(r"(.+?)[〇一二三四五六七八九十百千]+丁目")
_WARD_RE = re.compile(r"(.+?市)(.+区)")
_KANJI_NUMERALS = frozenset("〇一二三四五六七八九十百千")
_GUN_RE = re.compile(r".+?郡(.+)")


@dataclass(frozen=True, slots=True)
class Point:
    """A named representative point: a koaza, or a town for the map."""

    name: str
    latitude: float
    longitude: float


@dataclass(slots=True)
class Town:
    """A town of one municipality, as the matcher sees it.

    ``chome``: there are towns ``<name>N丁目`` (so ``香林坊2-3-1`` can find 香林坊二丁目);
    ``own_row``: False for 香林坊 itself when the table has only its 丁目 (its point is then the
    one of its 丁目 nearest their mean); ``is_koaza``: a koaza without a 大字 (the table's
    （大字なし）), matched like a town but as precise as a koaza.
    """

    name: str
    latitude: float
    longitude: float
    own_row: bool = True
    chome: bool = False
    is_koaza: bool = False
    koaza: dict[str, Point | None] = field(default_factory=dict)


@dataclass(slots=True)
class City:
    """A municipality (or a designated city over its wards, ``wards`` non-empty) of a prefecture.

    ``towns`` maps name keys to towns (None: two places share the key) once the prefecture is
    loaded; a designated city has no towns of its own and matches through its wards.
    """

    prefecture: str
    name: str
    latitude: float
    longitude: float
    wards: tuple[City, ...] = ()
    towns: dict[str, Town | None] = field(default_factory=dict)
    longest: int = 0
    _sorted: list[str] | None = None

    @property
    def municipality(self) -> str:
        return f"{self.prefecture}{self.name}"

    def sorted_keys(self) -> list[str]:
        if self._sorted is None:
            self._sorted = sorted(self.towns)
        return self._sorted


@dataclass(slots=True)
class Prefecture:
    name: str
    member: str
    bbox: tuple[float, float, float, float]  # min lat, min lon, max lat, max lon
    cities: dict[str, City]
    groups: dict[str, City]
    loaded: bool = False
    # town rows (not koaza) by latitude, for the map's labels
    by_latitude: list[tuple[float, float, str]] = field(default_factory=list)
    latitudes: list[float] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Index:
    """Every prefecture, and every way of writing a municipality's name (normalised) → cities."""

    prefectures: dict[str, Prefecture]
    city_keys: dict[str, tuple[City, ...]]
    longest_city_key: int
    scale: int


_Named = TypeVar("_Named", Town, Point)
_index: Index | None = None
_index_lock = threading.Lock()
_load_lock = threading.Lock()


def index() -> Index:
    """The index member of the table, read once (80 KB, a few milliseconds).

    Under a lock: two threads geocoding at once must share one index, or one would load a
    prefecture into the other's cities and then match against empty ones.
    """
    global _index
    if _index is None:
        with _index_lock:
            if _index is None:
                _index = _read_index()
    return _index


def loaded_prefectures() -> list[str] | None:
    """The prefectures whose towns have been read; None while not even the index has been."""
    if _index is None:
        return None
    return [name for name, p in _index.prefectures.items() if p.loaded]


def _read_index() -> Index:
    with zipfile.ZipFile(resource_path("data", TABLE)) as archive:
        raw = json.loads(archive.read("index.json"))
    prefectures: dict[str, Prefecture] = {}
    keys: dict[str, list[City]] = {}
    for entry in raw["prefectures"]:
        name = entry["name"]
        cities = {c: City(name, c, lat, lon) for c, lat, lon in entry["municipalities"]}
        groups = {}
        for parent, lat, lon in entry["designated_cities"]:
            wards = tuple(c for n, c in cities.items() if _parent_of(n) == parent)
            groups[parent] = City(name, parent, lat, lon, wards=wards)
        prefectures[name] = Prefecture(name, entry["member"], tuple(entry["bbox"]), cities, groups)
        for city in (*cities.values(), *groups.values()):
            for key in _city_keys(city.name):
                keys.setdefault(key, []).append(city)
    return Index(
        prefectures,
        {k: tuple(v) for k, v in keys.items()},
        max(len(k) for k in keys),
        int(raw["scale"]),
    )


def _parent_of(name: str) -> str:
    ward = _WARD_RE.fullmatch(name)
    return ward[1] if ward else ""


def _city_keys(name: str) -> set[str]:
    """How people write a municipality: in full, a town or village without its 郡 (穴水町 for
    鳳珠郡穴水町), a ward of a designated city without the city (中央区: often ambiguous, which
    the geocoder then resolves by the town or refuses)."""
    keys = {normalize_name(name)}
    short = _GUN_RE.fullmatch(name) or _WARD_RE.fullmatch(name)
    if short:
        keys.add(normalize_name(short[short.lastindex or 1]))
    return keys


def prefecture_of(city: City) -> Prefecture:
    return index().prefectures[city.prefecture]


def ensure_loaded(prefecture: Prefecture) -> Prefecture:
    """Read and index a prefecture's towns the first time they are needed (thread-safe)."""
    if prefecture.loaded:
        return prefecture
    scale = index().scale
    with _load_lock:
        if not prefecture.loaded:
            with zipfile.ZipFile(resource_path("data", TABLE)) as archive:
                text = archive.read(prefecture.member).decode("utf-8")
            _build(prefecture, text, scale)
            prefecture.loaded = True
    return prefecture


def _build(prefecture: Prefecture, text: str, scale: int) -> None:
    city: City | None = None
    labels: list[tuple[float, float, str]] = []
    rows: list[tuple[str, str, float, float]] = []
    for line in text.splitlines():
        if line.startswith("#"):
            if city is not None:
                _index_city(city, rows, labels)
            city, rows = prefecture.cities[line[1:]], []
            continue
        town, koaza, lat, lon = line.split("\t")
        rows.append((town, koaza, int(lat) / scale, int(lon) / scale))
    if city is not None:
        _index_city(city, rows, labels)
    labels.sort()
    prefecture.by_latitude = labels
    prefecture.latitudes = [row[0] for row in labels]


def _index_city(
    city: City, rows: list[tuple[str, str, float, float]], labels: list[tuple[float, float, str]]
) -> None:
    towns: dict[str, Town | None] = {}
    by_name: dict[str, Town] = {}
    koaza_only: list[Town] = []
    for name, koaza, lat, lon in rows:  # sorted: a town's own row comes before its koaza
        if name == NO_OAZA:
            if koaza:
                _put(towns, name_key(koaza), Town(koaza, lat, lon, is_koaza=True))
                labels.append((lat, lon, koaza))
            continue
        if not koaza:
            town = Town(name, lat, lon)
            by_name[name] = town
            _put(towns, name_key(name), town)
            labels.append((lat, lon, name))
            continue
        town = by_name.get(name) or Town(name, lat, lon, own_row=False)
        if name not in by_name:
            by_name[name] = town
            koaza_only.append(town)
        _put_koaza(town, koaza, Point(koaza, lat, lon))
    for town in koaza_only:  # a town known only by its koaza: the one nearest their middle
        town.latitude, town.longitude = nearest_to_mean(
            p for p in town.koaza.values() if p is not None
        )
        _put(towns, name_key(town.name), town)
        labels.append((town.latitude, town.longitude, town.name))
    _add_chome_bases(towns)
    _add_districts(towns)
    city.towns = towns
    city.longest = max((len(k) for k in towns), default=0)
    city._sorted = None


def koaza_key(name: str) -> str:
    """A koaza's key: numbered koaza (七, 二十四部) as ``7部``, ``24部``, the way addresses write
    them (飯田町7部12); a number without 部 after a town is a lot number, not a koaza."""
    bare = name.removesuffix("部")
    if bare and all(ch in _KANJI_NUMERALS for ch in bare):
        return f"{kanji_number(bare)}部"
    return name_key(name)


def _put_koaza(town: Town, name: str, point: Point) -> None:
    key = koaza_key(name)
    _put(town.koaza, key, point)
    # か部 and カ部 are the same koaza to a person typing, unless the table has both
    for folded in (jaconv.hira2kata(key), jaconv.kata2hira(key)):
        if folded != key:
            town.koaza.setdefault(folded, town.koaza[key])


def _add_chome_bases(towns: dict[str, Town | None]) -> None:
    """香林坊 for 香林坊一丁目 and 香林坊二丁目, so that 香林坊2-3-1 and plain 香林坊 are found."""
    members: dict[str, list[Town]] = {}
    names: dict[str, str] = {}
    for key, town in towns.items():
        match = _CHOME_KEY_RE.fullmatch(key)
        if town is None or match is None:
            continue
        members.setdefault(match[1], []).append(town)
        name = _CHOME_NAME_RE.fullmatch(town.name)
        names.setdefault(match[1], name[1] if name else match[1])
    for base, chome in members.items():
        existing = towns.get(base, False)
        if isinstance(existing, Town):
            existing.chome = True
        elif existing is False:
            lat, lon = nearest_to_mean([Point(t.name, t.latitude, t.longitude) for t in chome])
            towns[base] = Town(names[base], lat, lon, own_row=False, chome=True)


def _add_districts(towns: dict[str, Town | None]) -> None:
    """正院町 for 正院町飯塚, 正院町川尻 ... (a former town's name that the table only has with its
    parts): "珠洲市正院町" then finds the middle of its parts rather than only the municipality.
    Only a district whose parts all lie within :data:`DISTRICT_KM` of that middle is added; a
    wider one (七尾市中島町: parts 7 km from their middle) would claim a precision it has not."""
    parts: dict[str, list[Town]] = {}
    for key, town in towns.items():
        if town is None or not town.own_row:
            continue
        for end, char in enumerate(key[:-1], start=1):
            if char in "町村" and end >= 2 and key[:end] not in towns:
                parts.setdefault(key[:end], []).append(town)
    for prefix, members in parts.items():
        if len(members) < 2:
            continue
        lat, lon = nearest_to_mean(Point(t.name, t.latitude, t.longitude) for t in members)
        if all(haversine_km(lat, lon, t.latitude, t.longitude) <= DISTRICT_KM for t in members):
            name = next(
                (members[0].name[:n] for n in range(1, len(members[0].name) + 1)
                 if name_key(members[0].name[:n]) == prefix),
                prefix,
            )  # fmt: skip
            towns[prefix] = Town(name, lat, lon, own_row=False)


def _put(table: dict[str, _Named | None], key: str, value: _Named) -> None:
    """Add ``value`` under ``key``; a second place far from the first makes the key ambiguous."""
    if not key:
        return
    if key not in table:
        table[key] = value
        return
    first = table[key]
    if first is None:
        return
    if haversine_km(first.latitude, first.longitude, value.latitude, value.longitude) > (
        SAME_PLACE_KM
    ):
        table[key] = None


def nearest_to_mean(points: Iterable[Point]) -> tuple[float, float]:
    """The point of ``points`` nearest their mean: always inside the area they make up."""
    found = list(points)
    lat = sum(p.latitude for p in found) / len(found)
    lon = sum(p.longitude for p in found) / len(found)
    best = min(found, key=lambda p: haversine_km(lat, lon, p.latitude, p.longitude))
    return best.latitude, best.longitude


def towns_starting_with(city: City, key: str) -> Iterator[Town]:
    """The towns of ``city`` whose key starts with ``key`` (a postal area's towns)."""
    keys = city.sorted_keys()
    start = bisect.bisect_left(keys, key)
    for found in keys[start:]:
        if not found.startswith(key):
            break
        town = city.towns[found]
        if town is not None:
            yield town


def labels_near(prefecture: Prefecture, lat: float, lon: float, radius_km: float) -> list[Point]:
    """Town names within ``radius_km`` of a point, nearest first (a latitude band, then exact)."""
    ensure_loaded(prefecture)
    band = radius_km / 110.5 + 1e-9  # a degree of latitude is at least 110.5 km
    start = bisect.bisect_left(prefecture.latitudes, lat - band)
    end = bisect.bisect_right(prefecture.latitudes, lat + band)
    found = []
    for t_lat, t_lon, name in prefecture.by_latitude[start:end]:
        distance = haversine_km(lat, lon, t_lat, t_lon)
        if distance <= radius_km:
            found.append((distance, Point(name, t_lat, t_lon)))
    found.sort(key=lambda pair: pair[0])
    return [point for _, point in found]
