"""The shipped town table: the whole country, small, read lazily, credited, and what the map
asks of it (municipality points, town labels near a point)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

from evacsupport.domain import towns
from evacsupport.domain.geo import haversine_km
from evacsupport.domain.geocode import Precision, geocode, municipalities, towns_near
from evacsupport.resources import resource_path

ROOT = Path(__file__).resolve().parents[2]
KANAZAWA_STATION = (36.5781, 136.6480)
ATTRIBUTION = "Geolonia 住所データ (CC BY 4.0), 国土交通省 位置参照情報 をもとに作成"


def test_every_municipality_of_japan_has_a_point_inside_its_prefecture() -> None:
    found = municipalities()
    assert len(found) == 1895
    assert len({m.prefecture for m in found}) == 47
    bboxes = {name: p.bbox for name, p in towns.index().prefectures.items()}
    for m in found:
        min_lat, min_lon, max_lat, max_lon = bboxes[m.prefecture]
        assert min_lat <= m.latitude <= max_lat and min_lon <= m.longitude <= max_lon, m
    ishikawa = {m.city: m for m in found if m.prefecture == "石川県"}
    assert len(ishikawa) == 19
    assert {"輪島市", "珠洲市", "鳳珠郡穴水町", "鳳珠郡能登町", "七尾市", "金沢市"} <= set(ishikawa)
    kanazawa = ishikawa["金沢市"]
    assert haversine_km(kanazawa.latitude, kanazawa.longitude, *KANAZAWA_STATION) < 8


def test_a_municipalitys_point_is_one_of_its_towns() -> None:
    """The town nearest the mean, so never in the sea or in the next municipality."""
    wajima = next(m for m in municipalities() if m.city == "輪島市")
    city = towns.index().prefectures["石川県"].cities["輪島市"]
    towns.ensure_loaded(towns.index().prefectures["石川県"])
    points = {(t.latitude, t.longitude) for t in city.towns.values() if t is not None}
    assert (wajima.latitude, wajima.longitude) in points


def test_town_labels_near_a_point_nearest_first() -> None:
    found = towns_near(*KANAZAWA_STATION, 0.5)
    assert {"木ノ新保町", "広岡一丁目"} <= {t.name for t in found}
    distances = [haversine_km(*KANAZAWA_STATION, t.latitude, t.longitude) for t in found]
    assert distances == sorted(distances)
    assert all(d <= 0.5 for d in distances)
    assert towns_near(*KANAZAWA_STATION, 0) == []
    assert towns_near(*KANAZAWA_STATION, -1) == []


def test_town_labels_cross_a_prefecture_border() -> None:
    """倶利伽羅峠: 津幡町 (石川県) on one side, 小矢部市 (富山県) on the other."""
    names = {t.name for t in towns_near(36.676, 136.82, 3)}
    assert "字倶利伽羅" in names  # 石川県河北郡津幡町
    assert "埴生" in names  # 富山県小矢部市


def test_two_places_with_one_written_name_are_never_guessed_between() -> None:
    """南相木村 has 上の段 and 上之段 3 km apart; both read 上ノ段, so the town is not chosen."""
    result = geocode("長野県南佐久郡南相木村上の段")
    assert result.place is not None and result.place.precision is Precision.CITY
    assert result.note == "geocode.note.town_not_found"


def test_the_table_is_small_and_credits_its_source() -> None:
    path = resource_path("data", towns.TABLE)
    assert path.stat().st_size < 4_000_000  # about 2.4 MB
    with zipfile.ZipFile(path) as archive:
        index = json.loads(archive.read("index.json"))
        assert len(archive.namelist()) == 48  # the index and one member per prefecture
        assert all(i.compress_type == zipfile.ZIP_LZMA for i in archive.infolist())
    assert index["attribution"] == ATTRIBUTION
    assert index["licence"] == "CC BY 4.0"
    licences = json.loads(resource_path("licenses.json").read_text(encoding="utf-8"))
    credited = [c for c in licences["components"] if ATTRIBUTION in str(c.get("attribution"))]
    assert len(credited) == 1 and credited[0]["license"] == "CC BY 4.0"


def test_the_build_ships_the_data_folder() -> None:
    """build.spec collects every file under resources/ (so towns.zip and postal_codes.zip)."""
    spec = (ROOT / "build.spec").read_text(encoding="utf-8")
    assert 'tree("resources", "resources")' in spec


def test_nothing_is_read_before_the_first_address_and_then_only_its_prefecture() -> None:
    script = (
        "from evacsupport.domain import geocode, towns\n"
        "assert towns.loaded_prefectures() is None\n"
        "geocode.geocode('石川県金沢市香林坊2-1-1')\n"
        "assert towns.loaded_prefectures() == ['石川県'], towns.loaded_prefectures()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_threads_geocoding_from_a_cold_start_share_one_table() -> None:
    """Importers geocode in background threads: the first calls race to read the table."""
    script = (
        "from concurrent.futures import ThreadPoolExecutor\n"
        "from evacsupport.domain.geocode import geocode\n"
        "addresses = ['金沢市香林坊2-1-1', '輪島市河井町24部1', '富山県富山市新桜町7-38'] * 8\n"
        "with ThreadPoolExecutor(8) as pool:\n"
        "    found = list(pool.map(geocode, addresses))\n"
        "assert all(r.place and r.place.precision != 'city' for r in found), found\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
