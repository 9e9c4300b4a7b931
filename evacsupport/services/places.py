"""Where a household or a venue is: the point a person typed, else the one its address gives.

Municipal and shelter lists carry addresses and postal codes, never coordinates, so every save
and every import that has no coordinates asks the offline geocoder
(:mod:`evacsupport.domain.geocode`) for the representative point of the town, and keeps how
precise it is (``location_precision``). A point a person typed, pasted as a map link or picked on
the map is "manual" and is never replaced by the geocoder; a geocoded one follows the address
when the address changes.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from evacsupport.db.engine import Database
from evacsupport.db.models import Household, Venue
from evacsupport.domain.geo import haversine_km, parse_coordinates
from evacsupport.domain.geocode import (
    Geocoded,
    Precision,
    describe,
    explain,
    geocode,
    municipalities,
    towns_near,
)
from evacsupport.domain.roles import Permission
from evacsupport.domain.towns import NO_OAZA
from evacsupport.errors import InvalidValue
from evacsupport.i18n import message
from evacsupport.services.authz import gate, require

MANUAL = "manual"
APPROXIMATE = frozenset({Precision.POSTAL.value, Precision.CITY.value})
"""Precisions whose point stands for a whole postal area or municipality: distances from it are
shown as approximate, and the allocation plan lists the households placed with one."""


@dataclass(frozen=True)
class Location:
    """A point and where it came from. ``found`` is the geocoder's answer when it was asked
    (no coordinates were given), for the message that says what the point stands for or why
    there is none."""

    latitude: float | None
    longitude: float | None
    precision: str  # "manual", a Precision value, or "" for no point
    found: Geocoded | None = None

    @property
    def placed(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def approximate(self) -> bool:
        return self.precision in APPROXIMATE

    def text(self, lang: str | None = None) -> str:
        """For people: 香林坊二丁目の代表点（町丁目）, 入力された位置, or why there is none."""
        if self.precision == MANUAL:
            return message("place.manual", lang)
        if self.found is not None and self.found.place is not None:
            note = explain(self.found, lang)
            text = describe(self.found.place, lang)
            return f"{text}　{note}" if note else text
        if self.found is not None:
            return message("place.none", lang, reason=explain(self.found, lang))
        return ""


def locate(typed: tuple[float, float] | None, address: str, postal_code: str = "") -> Location:
    """The typed point (manual), else the geocoder's for ``address`` and ``postal_code``."""
    if typed is not None:
        return Location(typed[0], typed[1], MANUAL)
    found = geocode(address, postal_code)
    if found.place is None:
        return Location(None, None, "", found)
    return Location(found.place.latitude, found.place.longitude, found.place.precision.value, found)


def why_no_point(address: str, postal_code: str = "") -> str:
    """For a household or venue stored without a point: what its address lacks, in words."""
    found = geocode(address, postal_code)
    if found.place is not None:  # the tables have grown since it was saved
        return message("place.none_yet", None)
    return explain(found)


@dataclass
class FillResult:
    """What :func:`fill_missing` placed (or, in a dry run, would place)."""

    households: dict[str, int] = field(default_factory=dict)  # precision → how many
    venues: dict[str, int] = field(default_factory=dict)
    unplaced: list[tuple[str, str]] = field(default_factory=list)  # (case number or name, why)
    dry_run: bool = False

    @property
    def placed(self) -> int:
        return sum(self.households.values()) + sum(self.venues.values())


@gate(Permission.CASEWORK)
def fill_missing(db: Database, *, dry_run: bool = False) -> FillResult:
    """Give every household and venue that has an address but no point the geocoder's point:
    for databases made before the geocoder, and for lists imported with addresses only. Typed
    points are left alone; one transaction, so it is all done or none of it."""
    require(db, Permission.VENUES)
    result = FillResult(dry_run=dry_run)
    with db.session() as session:
        households = session.scalars(
            select(Household).where(Household.latitude.is_(None), Household.deleted_at.is_(None))
        )
        for household in households:
            where = locate(None, household.current_address, household.postal_code)
            if where.placed:
                result.households[where.precision] = result.households.get(where.precision, 0) + 1
                if not dry_run:
                    household.latitude, household.longitude = where.latitude, where.longitude
                    household.location_precision = where.precision
            elif household.current_address or household.postal_code:
                result.unplaced.append((household.case_number, where.text()))
        venues = session.scalars(
            select(Venue).where(Venue.latitude.is_(None), Venue.deleted_at.is_(None))
        )
        for venue in venues:
            where = locate(None, venue.address, venue.postal_code)
            if where.placed:
                result.venues[where.precision] = result.venues.get(where.precision, 0) + 1
                if not dry_run:
                    venue.latitude, venue.longitude = where.latitude, where.longitude
                    venue.location_precision = where.precision
            elif venue.address or venue.postal_code:
                result.unplaced.append((venue.name, where.text()))
    return result


def precision_label(precision: str, lang: str | None = None) -> str:
    """町丁目, 小字, 郵便番号の区域, 市区町村, 入力された位置, or "" for none."""
    if not precision:
        return ""
    if precision == MANUAL:
        return message("place.manual", lang)
    return message(f"geocode.precision.{precision}", lang)


@dataclass(frozen=True)
class MapPlace:
    """A place name for the map: a municipality (drawn larger, at every zoom) or a town."""

    name: str
    latitude: float
    longitude: float
    municipality: bool


MAP_REACH_KM = 80.0
"""How far around the points' centre town names are read: beyond it the map shows only
municipality names, which are enough when it is zoomed out that far."""


def map_places(points: list[tuple[float, float]], margin_km: float = 3.0) -> list[MapPlace]:
    """The municipality and town names around ``points`` (lat, lon), for a map without tiles:
    a coordinator finds their way by names they know (広岡一丁目, 野々市市), not by a km grid.

    Municipalities first (they win the room when labels would overlap), then towns nearest the
    centre first. Public geography only, so no role is needed; pure, so a worker thread may call it.
    """
    if not points:
        return []
    south = min(p[0] for p in points)
    north = max(p[0] for p in points)
    west = min(p[1] for p in points)
    east = max(p[1] for p in points)
    pad_lat = margin_km / 111.0
    pad_lon = margin_km / (111.0 * max(math.cos(math.radians((south + north) / 2)), 0.1))
    inside = _box(south - pad_lat, west - pad_lon, north + pad_lat, east + pad_lon)
    found = [
        MapPlace(_short_city(m.city), m.latitude, m.longitude, municipality=True)
        for m in municipalities()
        if inside(m.latitude, m.longitude)
    ]
    centre = ((south + north) / 2, (west + east) / 2)
    reach = haversine_km(south, west, north, east) / 2 + margin_km
    found += [
        MapPlace(_short_town(t.name), t.latitude, t.longitude, municipality=False)
        for t in towns_near(*centre, min(reach, MAP_REACH_KM))
        if inside(t.latitude, t.longitude) and t.name != NO_OAZA
    ]
    return found


def _box(south: float, west: float, north: float, east: float) -> Callable[[float, float], bool]:
    return lambda lat, lon: south <= lat <= north and west <= lon <= east


def _short_city(city: str) -> str:
    """鳳珠郡穴水町 → 穴水町: the county adds nothing on a map and takes room."""
    return city.split("郡", 1)[1] if "郡" in city and not city.endswith("郡") else city


def _short_town(name: str) -> str:
    """大字三小牛 → 三小牛, 字倶利伽羅 → 倶利伽羅: people say the name without the prefix."""
    for prefix in ("大字", "字"):
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix) :]
    return name


def nearest_place(latitude: float, longitude: float, within_km: float = 1.5) -> str:
    """The name of the town nearest a point (香林坊二丁目), or "" when none is that near: what
    a person picking a point on the map reads to know they clicked where they meant."""
    found = towns_near(latitude, longitude, within_km)
    return _short_town(found[0].name) if found and found[0].name != NO_OAZA else ""


def default_map_centre() -> tuple[float, float]:
    """Where the map opens when nothing is known yet: 金沢市, where most secondary evacuees live."""
    kanazawa = next(m for m in municipalities() if m.prefecture == "石川県" and m.city == "金沢市")
    return kanazawa.latitude, kanazawa.longitude


def point_so_far(typed: str, address: str, postal_code: str = "") -> tuple[float, float] | None:
    """The point a form stands for now: the coordinates typed (when they read as a point), else
    the address's; where the point picker opens."""
    if typed.strip():
        try:
            return parse_coordinates(typed)
        except InvalidValue:
            pass
    where = locate(None, address, postal_code)
    if where.latitude is None or where.longitude is None:
        return None
    return where.latitude, where.longitude
