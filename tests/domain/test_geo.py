"""Distances, coordinates pasted as text or map links, and times of day."""

from __future__ import annotations

import math
import time as time_module
from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evacsupport.domain.geo import haversine_km, parse_coordinates, parse_time
from evacsupport.errors import InvalidValue

KANAZAWA_STATION = (36.5781, 136.6480)
WAJIMA = (37.3906, 136.8992)
PLACE = (36.5613, 136.6562)


def test_haversine_kanazawa_to_wajima() -> None:
    assert haversine_km(*KANAZAWA_STATION, *WAJIMA) == pytest.approx(93.1, abs=0.1)


def test_haversine_properties() -> None:
    assert haversine_km(*PLACE, *PLACE) == 0.0
    assert haversine_km(*KANAZAWA_STATION, *WAJIMA) == pytest.approx(
        haversine_km(*WAJIMA, *KANAZAWA_STATION)
    )
    # A quarter of the meridian, and half the equator.
    assert haversine_km(0, 0, 90, 0) == pytest.approx(math.pi * 6371.0088 / 2)
    assert haversine_km(0, 0, 0, 180) == pytest.approx(math.pi * 6371.0088)


@pytest.mark.parametrize(
    "raw",
    [
        "36.5613, 136.6562",
        "36.5613,136.6562",
        "36.5613 136.6562",
        "  36.5613 ,  136.6562  ",
        "36.5613、136.6562",
        "３６．５６１３，１３６．６５６２",
        "３６．５６１３　１３６．６５６２",
        "北緯36.5613 東経136.6562",
        "北緯36.5613、東経136.6562",
        "北緯３６．５６１３　東経１３６．６５６２",
        "N36.5613 E136.6562",
        "n 36.5613, e 136.6562",
        "36.5613N 136.6562E",
        "36.5613 N, 136.6562 E",
        "https://www.google.com/maps/@36.5613,136.6562,17z",
        "https://www.google.com/maps/place/%E9%87%91%E6%B2%A2/@36.5613,136.6562,15z/data=!3m1",
        "https://www.google.com/maps/place/金沢市役所/@36.5613,136.6562,15z/data=!4m2",
        "https://maps.google.com/?q=36.5613,136.6562",
        "https://maps.google.com/?q=36.5613%2C136.6562",
        "https://maps.google.com/maps?ll=36.5613,136.6562&z=15",
        "https://www.google.com/maps/search/?api=1&query=36.5613,136.6562",
        "https://www.google.com/maps/dir/?api=1&destination=36.5613,136.6562",
        "https://www.openstreetmap.org/#map=17/36.5613/136.6562",
        "https://www.openstreetmap.org/?mlat=36.5613&mlon=136.6562",
        "https://www.openstreetmap.org/?mlat=36.5613&mlon=136.6562#map=12/36.9/136.9",
        "https://maps.apple.com/?ll=36.5613,136.6562",
        "https://maps.apple.com/?q=%E9%87%91%E6%B2%A2&ll=36.5613,136.6562",
        "https://maps.gsi.go.jp/#15/36.561300/136.656200/",
        "https://maps.gsi.go.jp/#15/36.561300/136.656200/&base=std&ls=std&disp=1&vs=c1g1j0h0k0l0u0t0z0r0s0m0f1",
        "地図: https://www.google.com/maps/@36.5613,136.6562,17z を見てください",
    ],
)
def test_parse_coordinates_forms(raw: str) -> None:
    assert parse_coordinates(raw) == pytest.approx(PLACE)


def test_google_place_marker_beats_viewport() -> None:
    link = (
        "https://www.google.com/maps/place/%E9%87%91%E6%B2%A2%E9%A7%85/@36.5700,136.6400,15z/"
        "data=!3m1!4b1!4m6!3m5!1s0x5ff8336c8ed8e0b9:0x2f1d3b2b4b0b6a1a!8m2!3d36.5781!4d136.648"
        "!16s%2Fm%2F02r5v6q"
    )
    assert parse_coordinates(link) == pytest.approx(KANAZAWA_STATION)


@pytest.mark.parametrize(
    "raw",
    [
        "36°33'40.7\"N 136°39'22.3\"E",
        "36°33′40.7″N 136°39′22.3″E",
        "北緯36度33分40.7秒 東経136度39分22.3秒",
        "N36°33'40.7\" E136°39'22.3\"",
    ],
)
def test_degrees_minutes_seconds(raw: str) -> None:
    lat, lon = parse_coordinates(raw)
    assert lat == pytest.approx(PLACE[0], abs=1e-4)
    assert lon == pytest.approx(PLACE[1], abs=1e-4)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("-33.8568, 151.2153", (-33.8568, 151.2153)),
        ("南緯33.8568 東経151.2153", (-33.8568, 151.2153)),
        ("33.8568S 151.2153E", (-33.8568, 151.2153)),
        ("北緯51.5 西経0.1", (51.5, -0.1)),
        ("51.5, -0.1", (51.5, -0.1)),
        ("https://www.google.com/maps/@-33.8568,151.2153,15z", (-33.8568, 151.2153)),
        ("90, 180", (90.0, 180.0)),
        ("-90 -180", (-90.0, -180.0)),
        ("0, 0", (0.0, 0.0)),
        ("36, 136", (36.0, 136.0)),
    ],
)
def test_signs_and_limits(raw: str, expected: tuple[float, float]) -> None:
    assert parse_coordinates(raw) == pytest.approx(expected)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        None,
        "金沢市役所",
        "36.5613",
        "36.5613, 136.6562, 10",
        "abc, def",
        "https://www.google.com/maps/place/金沢駅",
        "https://www.openstreetmap.org/?mlat=36.5613",
        "36,5613 136,6562 x",
    ],
)
def test_unreadable_coordinates(raw: str | None) -> None:
    with pytest.raises(InvalidValue) as exc:
        parse_coordinates(raw)
    assert exc.value.code == "coordinates.invalid"


@pytest.mark.parametrize(
    "raw",
    [
        "136.6562, 36.5613",  # swapped: latitude cannot be 136
        "90.0001, 0",
        "0, 180.5",
        "-91 0",
        "https://www.google.com/maps/@136.6,36.5,15z",
        "北緯136 東経36",
    ],
)
def test_out_of_range_coordinates(raw: str) -> None:
    with pytest.raises(InvalidValue) as exc:
        parse_coordinates(raw)
    assert exc.value.code == "coordinates.range"


@given(st.text())
def test_parse_coordinates_never_crashes(text: str) -> None:
    try:
        lat, lon = parse_coordinates(text)
    except InvalidValue as exc:
        assert exc.code in {"coordinates.invalid", "coordinates.range"}
    else:
        assert -90 <= lat <= 90 and -180 <= lon <= 180


@given(
    st.floats(min_value=-90, max_value=90, allow_nan=False),
    st.floats(min_value=-180, max_value=180, allow_nan=False),
)
def test_parse_coordinates_reads_what_it_is_given(lat: float, lon: float) -> None:
    text = f"{lat:.6f}, {lon:.6f}"
    assert parse_coordinates(text) == pytest.approx((round(lat, 6), round(lon, 6)))
    link = f"https://www.google.com/maps/@{lat:.6f},{lon:.6f},15z"
    assert parse_coordinates(link) == pytest.approx((round(lat, 6), round(lon, 6)))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("17:00", time(17, 0)),
        ("１７：００", time(17, 0)),
        ("17時", time(17, 0)),
        ("１７時", time(17, 0)),
        ("1700", time(17, 0)),
        ("１７００", time(17, 0)),
        ("9:30", time(9, 30)),
        ("09:30", time(9, 30)),
        ("930", time(9, 30)),
        ("9時30分", time(9, 30)),
        ("9時半", time(9, 30)),
        ("17:00:00", time(17, 0)),
        (" 17 : 00 ", time(17, 0)),
        ("午後5時", time(17, 0)),
        ("午後5:30", time(17, 30)),
        ("午前11時", time(11, 0)),
        ("午後12時", time(12, 0)),
        ("PM5:00", time(17, 0)),
        ("0:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("17", time(17, 0)),
        (time(8, 15), time(8, 15)),
    ],
)
def test_parse_time(raw: str | time, expected: time) -> None:
    assert parse_time(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "24:00",
        "25時",
        "17:60",
        "17:5",
        "2400",
        "夕方",
        "17-00",
        "午後13時",
        "12345",
        "1:2:3:4",
        "abc",
    ],
)
def test_parse_time_rejects(raw: str) -> None:
    with pytest.raises(InvalidValue) as exc:
        parse_time(raw)
    assert exc.value.code == "time.invalid"


def test_parse_time_empty() -> None:
    with pytest.raises(InvalidValue) as exc:
        parse_time("")
    assert exc.value.code == "value.required"


@given(st.text())
def test_parse_time_never_crashes(text: str) -> None:
    try:
        parse_time(text)
    except InvalidValue as exc:
        assert exc.code in {"time.invalid", "value.required"}


def test_long_digit_run_is_refused_quickly() -> None:
    # The suffix forms (36.5N) were searched from every digit: minutes for one 50,000-digit cell.
    start = time_module.perf_counter()
    with pytest.raises(InvalidValue) as exc:
        parse_coordinates("1" * 50_000)
    assert exc.value.code == "coordinates.invalid"
    with pytest.raises(InvalidValue):
        parse_coordinates("1" * 50_000 + "N " + "2" * 50_000 + "E")
    assert time_module.perf_counter() - start < 5
    assert parse_coordinates("36.5N 136.6E") == (36.5, 136.6)
    assert parse_coordinates("x -36.5S 136.6W") == (36.5, -136.6)
