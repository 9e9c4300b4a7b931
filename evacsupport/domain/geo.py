"""Coordinates and times as staff paste them: map links, 北緯/東経 text, full-width digits.

Distances decide which community place is near enough for an evacuee without a car, so venues and
addresses carry coordinates. Staff copy them from whatever map they use; accepting the link itself
avoids mistakes made by picking numbers out of a URL by hand.
"""

from __future__ import annotations

import math
import re
from datetime import time
from urllib.parse import unquote

from evacsupport.domain.normalize import clean_text, nfkc
from evacsupport.errors import InvalidValue

EARTH_RADIUS_KM = 6371.0088

_NUM = r"([+-]?[0-9]+(?:\.[0-9]+)?)"
_SEP = r"\s*[,、\s]\s*"

# Map-link forms, most specific first: Google's !3d!4d is the place itself, @lat,lon the viewport;
# OpenStreetMap's mlat/mlon marker is looked for between the first and the rest.
_LINK_RES: tuple[re.Pattern[str], ...] = (
    re.compile(rf"!3d{_NUM}!4d{_NUM}"),
    re.compile(
        rf"[?&#](?:q|ll|sll|query|destination|daddr|center|coordinates)="
        rf"(?:loc:)?\s*{_NUM}\s*,\s*{_NUM}"
    ),
    re.compile(rf"@{_NUM},{_NUM}"),
    # OpenStreetMap #map=17/lat/lon and GSI #15/lat/lon
    re.compile(rf"#(?:map=)?[0-9]+(?:\.[0-9]+)?/{_NUM}/{_NUM}"),
)
_MLAT_RE = re.compile(rf"[?&#]mlat={_NUM}")
_MLON_RE = re.compile(rf"[?&#]mlon={_NUM}")

# One coordinate in text: decimal degrees or degrees-minutes-seconds (36°33'40.7", 36度33分40.7秒).
_DEG = (
    r"([0-9]+(?:\.[0-9]+)?)"
    r"(?:\s*[°度]\s*"
    r"(?:([0-9]+(?:\.[0-9]+)?)\s*(?:['′]|分)\s*"
    r"(?:([0-9]+(?:\.[0-9]+)?)\s*(?:\"|''|′′|秒)\s*)?)?)?"
)
# Labels either precede every number (北緯36.5 東経136.6, N36.5 E136.6) or follow it (36.5N 136.6E).
_PREFIX_LAT_RE = re.compile(rf"(北緯|南緯|[NS])\s*([+-]?){_DEG}", re.IGNORECASE)
_PREFIX_LON_RE = re.compile(rf"(東経|西経|[EW])\s*([+-]?){_DEG}", re.IGNORECASE)
# A suffixed number is only looked for where a number starts: trying every digit of a long run
# made the search quadratic (minutes for one huge cell in an imported venue list).
_SUFFIX_LAT_RE = re.compile(rf"(?<![0-9.])()([+-]?){_DEG}\s*([NS])", re.IGNORECASE)
_SUFFIX_LON_RE = re.compile(rf"(?<![0-9.])()([+-]?){_DEG}\s*([EW])", re.IGNORECASE)
_NEGATIVE_LABELS = ("南緯", "西経", "S", "W")
_PAIR_RE = re.compile(rf"{_NUM}{_SEP}{_NUM}")


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km: good enough to rank places by nearness."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def parse_coordinates(text: str | None) -> tuple[float, float]:
    """(latitude, longitude) from "36.5613, 136.6562", 北緯/東経 text or a map link."""
    raw = clean_text(text)
    if not raw:
        raise InvalidValue("coordinates.invalid")
    found = _from_link(unquote(raw)) or _from_labelled(raw) or _from_pair(raw)
    if found is None:
        raise InvalidValue("coordinates.invalid")
    lat, lon = found
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        raise InvalidValue("coordinates.range")
    return lat, lon


def _from_link(text: str) -> tuple[float, float] | None:
    """The place a map link points at: a marker (!3d!4d, mlat/mlon) beats the map's centre."""
    m = _LINK_RES[0].search(text)
    if m:
        return float(m[1]), float(m[2])
    mlat, mlon = _MLAT_RE.search(text), _MLON_RE.search(text)
    if mlat and mlon:
        return float(mlat[1]), float(mlon[1])
    for pattern in _LINK_RES[1:]:
        m = pattern.search(text)
        if m:
            return float(m[1]), float(m[2])
    return None


def _degrees(deg: str, minutes: str | None, seconds: str | None) -> float:
    return float(deg) + float(minutes or 0) / 60 + float(seconds or 0) / 3600


def _labelled(pattern: re.Pattern[str], text: str) -> float | None:
    """One coordinate marked by 北緯/N and the like; 南緯/S and 西経/W make it negative."""
    m = pattern.search(text)
    if not m:
        return None
    label = m[1] or m[6]
    value = _degrees(m[3], m[4], m[5])
    if m[2] == "-":
        value = -value
    return -value if label.upper() in _NEGATIVE_LABELS else value


def _from_labelled(text: str) -> tuple[float, float] | None:
    for lat_re, lon_re in (
        (_PREFIX_LAT_RE, _PREFIX_LON_RE),
        (_SUFFIX_LAT_RE, _SUFFIX_LON_RE),
    ):
        lat, lon = _labelled(lat_re, text), _labelled(lon_re, text)
        if lat is not None and lon is not None:
            return lat, lon
    return None


def _from_pair(text: str) -> tuple[float, float] | None:
    m = _PAIR_RE.fullmatch(text.strip())
    return (float(m[1]), float(m[2])) if m else None


_TIME_RES: tuple[re.Pattern[str], ...] = (
    re.compile(r"([0-9]{1,2}):([0-9]{2})(?::[0-9]{2})?"),
    re.compile(r"([0-9]{1,2})時(?:([0-9]{1,2})分|半)?"),
    re.compile(r"([0-9]{1,2})([0-9]{2})"),
    re.compile(r"([0-9]{1,2})"),
)


def parse_time(value: str | time | None) -> time:
    """A time of day from 17:00, １７：００, 17時, 17時30分, 午後5時 or 1700."""
    if isinstance(value, time):
        return value
    text = nfkc(value or "").replace(" ", "").replace("\u3000", "").strip()
    if not text:
        raise InvalidValue("value.required")
    afternoon = text.startswith(("午後", "PM", "pm"))
    if afternoon or text.startswith(("午前", "AM", "am")):
        text = text[2:]
    for pattern in _TIME_RES:
        m = pattern.fullmatch(text)
        if not m:
            continue
        groups = m.groups()
        hour = int(groups[0])
        minute = int(groups[1]) if len(groups) > 1 and groups[1] else 0
        if text.endswith("半"):
            minute = 30
        if afternoon:
            if hour > 12:
                break
            hour = hour % 12 + 12
        if hour > 23 or minute > 59:
            break
        return time(hour, minute)
    raise InvalidValue("time.invalid")
