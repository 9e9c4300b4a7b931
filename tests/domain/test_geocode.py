"""The offline geocoder on real Noto and Kanazawa addresses, as municipal and shelter lists write
them: which area each is placed in, how precisely, and why some are not placed at all.

Reference points are the source's (Geolonia 住所データ, towns.csv.gz) for the town or koaza
meant; the shipped table rounds them to about a metre.
"""

from __future__ import annotations

import pytest

from evacsupport.domain.geo import haversine_km
from evacsupport.domain.geocode import Geocoded, Place, Precision, describe, explain, geocode

NEAR_KM = 0.3

# town or koaza → its point in the source table
KORINBO_2 = (36.564157, 136.653091)
HIROOKA_1 = (36.578394, 136.646306)
HIROOKA_3 = (36.58129, 136.645169)
KAWAI = (37.393614, 136.906965)
KAWAI_24 = (37.393619, 136.900696)
IIDA = (37.438626, 137.264129)
IIDA_7 = (37.440307, 137.265672)
IIDA_KA = (37.445675, 137.260578)
WAKURA = (37.084833, 136.914215)
WAKURA_YO = (37.089182, 136.914204)
KAWASHIMA = (37.233284, 136.909115)
KAWASHIMA_RA = (37.230766, 136.912422)
KURAMITSU_2 = (36.513891, 136.565757)
KURAMITSU_10 = (36.509942, 136.568885)
NONOICHI_HONMACHI_1 = (36.536784, 136.620643)
IZUMIGAOKA_1 = (36.545713, 136.646664)
UENOGAOKA = (37.059911, 136.883507)
KINOSHINBO = (36.578255, 136.648585)
RA = "石川県鳳珠郡穴水町字川島ラ"


def placed(result: Geocoded) -> Place:
    assert result.place is not None, (result.reason, result.subject)
    assert result.reason == ""
    return result.place


def assert_near(place: Place, point: tuple[float, float]) -> None:
    distance = haversine_km(place.latitude, place.longitude, *point)
    assert distance < NEAR_KM, f"{place.label} is {distance:.2f} km from the expected point"


@pytest.mark.parametrize(
    ("address", "label", "precision", "point"),
    [
        # chome in every form, with and without the prefecture
        ("石川県金沢市香林坊2丁目1-1", "石川県金沢市香林坊二丁目", Precision.TOWN, KORINBO_2),
        ("石川県金沢市香林坊２丁目１－１", "石川県金沢市香林坊二丁目", Precision.TOWN, KORINBO_2),
        ("石川県金沢市香林坊二丁目1番1号", "石川県金沢市香林坊二丁目", Precision.TOWN, KORINBO_2),
        ("金沢市香林坊2-1-1", "石川県金沢市香林坊二丁目", Precision.TOWN, KORINBO_2),
        ("金沢市香林坊2丁目1-1", "石川県金沢市香林坊二丁目", Precision.TOWN, KORINBO_2),
        ("金沢市広岡1-2-3", "石川県金沢市広岡一丁目", Precision.TOWN, HIROOKA_1),
        ("金沢市広岡三丁目5番地", "石川県金沢市広岡三丁目", Precision.TOWN, HIROOKA_3),
        ("白山市倉光2-1", "石川県白山市倉光二丁目", Precision.TOWN, KURAMITSU_2),
        ("白山市倉光10-1", "石川県白山市倉光十丁目", Precision.TOWN, KURAMITSU_10),
        ("野々市市本町1-1-1", "石川県野々市市本町一丁目", Precision.TOWN, NONOICHI_HONMACHI_1),
        # a building, a room, spaces, a postal code written in
        (
            "石川県金沢市香林坊2-1-1 金沢ビル3F",
            "石川県金沢市香林坊二丁目",
            Precision.TOWN,
            KORINBO_2,
        ),
        ("金沢市　香林坊 2-1-1　301号室", "石川県金沢市香林坊二丁目", Precision.TOWN, KORINBO_2),
        (
            "〒920-0961 石川県金沢市香林坊二丁目1番1号",
            "石川県金沢市香林坊二丁目",
            Precision.TOWN,
            KORINBO_2,
        ),
        # ヶ/ケ/が and の/ノ as the list writes them, not as the table does
        ("金沢市泉ヶ丘1丁目2-3", "石川県金沢市泉が丘一丁目", Precision.TOWN, IZUMIGAOKA_1),
        ("金沢市泉ケ丘1-2-3", "石川県金沢市泉が丘一丁目", Precision.TOWN, IZUMIGAOKA_1),
        ("七尾市上野ケ丘町1", "石川県七尾市上野ヶ丘町", Precision.TOWN, UENOGAOKA),
        ("金沢市木の新保町1-1", "石川県金沢市木ノ新保町", Precision.TOWN, KINOSHINBO),
        # Noto towns, their 大字 marker, and koaza
        ("輪島市河井町2部287番地1", "石川県輪島市河井町", Precision.TOWN, KAWAI),
        ("石川県輪島市大字河井町", "石川県輪島市河井町", Precision.TOWN, KAWAI),
        ("輪島市河井町24部1", "石川県輪島市河井町二十四部", Precision.KOAZA, KAWAI_24),
        ("輪島市河井町二十四部1番地", "石川県輪島市河井町二十四部", Precision.KOAZA, KAWAI_24),
        ("珠洲市飯田町13", "石川県珠洲市飯田町", Precision.TOWN, IIDA),
        ("珠洲市飯田町7部12", "石川県珠洲市飯田町七", Precision.KOAZA, IIDA_7),
        ("珠洲市飯田町七部12番地", "石川県珠洲市飯田町七", Precision.KOAZA, IIDA_7),
        ("珠洲市飯田町カ部3", "石川県珠洲市飯田町か", Precision.KOAZA, IIDA_KA),
        ("七尾市和倉町ヨ部10", "石川県七尾市和倉町ヨ", Precision.KOAZA, WAKURA_YO),
        ("七尾市和倉町字ヨ部10番地", "石川県七尾市和倉町ヨ", Precision.KOAZA, WAKURA_YO),
        ("七尾市和倉町ヨ-10 ホテル海望", "石川県七尾市和倉町ヨ", Precision.KOAZA, WAKURA_YO),
        ("七尾市和倉町ホテル海望", "石川県七尾市和倉町", Precision.TOWN, WAKURA),  # ホ is a koaza
        # 郡 written or not
        ("石川県鳳珠郡穴水町字川島ラ-16", RA, Precision.KOAZA, KAWASHIMA_RA),
        ("鳳珠郡穴水町川島ラの16", RA, Precision.KOAZA, KAWASHIMA_RA),
        ("穴水町川島ラ16", RA, Precision.KOAZA, KAWASHIMA_RA),
        ("穴水町字川島", "石川県鳳珠郡穴水町字川島", Precision.TOWN, KAWASHIMA),
        # no municipality: a town that only one municipality of the prefecture has
        ("石川県香林坊2丁目1-1", "石川県金沢市香林坊二丁目", Precision.TOWN, KORINBO_2),
        ("石川県和倉町ヨ部10", "石川県七尾市和倉町ヨ", Precision.KOAZA, WAKURA_YO),
    ],
)
def test_addresses_are_placed_in_their_town(
    address: str, label: str, precision: Precision, point: tuple[float, float]
) -> None:
    place = placed(geocode(address))
    assert (place.label, place.precision) == (label, precision)
    assert_near(place, point)
    assert label.startswith(place.municipality)


def test_the_municipality_is_named_with_its_prefecture() -> None:
    assert placed(geocode("穴水町川島")).municipality == "石川県鳳珠郡穴水町"
    assert placed(geocode("金沢市香林坊2-1-1")).municipality == "石川県金沢市"


def test_a_town_without_its_chome_is_the_middle_of_its_chome() -> None:
    place = placed(geocode("金沢市香林坊"))
    assert (place.label, place.precision) == ("石川県金沢市香林坊", Precision.TOWN)
    assert_near(place, KORINBO_2)  # 一丁目 and 二丁目 lie 130 m apart


def test_a_former_towns_name_is_the_middle_of_its_parts_when_they_lie_close() -> None:
    """The table has 正院町飯塚, 正院町川尻 ... (within 3.5 km), never 正院町 alone; 中島町's 39
    parts lie up to 7 km from their middle, so 七尾市中島町 alone says only 七尾市."""
    place = placed(geocode("珠洲市正院町1-23"))
    assert (place.label, place.precision) == ("石川県珠洲市正院町", Precision.TOWN)
    assert haversine_km(place.latitude, place.longitude, 37.44464, 137.290488) < 4  # 正院町正院
    wide = geocode("七尾市中島町")
    assert placed(wide).precision is Precision.CITY
    assert wide.note == "geocode.note.town_not_found"


def test_a_municipality_alone_is_its_representative_point() -> None:
    result = geocode("輪島市")
    place = placed(result)
    assert (place.label, place.precision, result.note) == ("石川県輪島市", Precision.CITY, "")
    assert haversine_km(place.latitude, place.longitude, *KAWAI) < 15


def test_an_unknown_town_gives_the_municipality_and_says_why() -> None:
    result = geocode("輪島市存在しない町1-1")
    assert placed(result).precision is Precision.CITY
    assert result.note == "geocode.note.town_not_found"
    assert explain(result) == "輪島市の町名が見つからないため、市区町村の代表点です"
    assert explain(result, "en") == "Town not found in 輪島市: the point is the municipality's"


def test_a_postal_code_alone_is_its_area() -> None:
    place = placed(geocode(None, "920-0961"))
    assert (place.label, place.precision) == ("石川県金沢市香林坊", Precision.POSTAL)
    assert_near(place, KORINBO_2)
    wajima = placed(geocode("", "〒928-0001"))
    assert (wajima.label, wajima.precision) == ("石川県輪島市河井町", Precision.POSTAL)
    assert_near(wajima, KAWAI)


def test_the_postal_code_refines_a_municipality_alone() -> None:
    result = geocode("金沢市", "9200961")
    assert placed(result).precision is Precision.POSTAL
    assert result.note == ""
    result = geocode("金沢市よくわからない所", "9200961")
    assert placed(result).precision is Precision.POSTAL
    assert result.note == "geocode.note.postal_used"


def test_a_postal_code_gives_the_municipality_for_a_town_written_alone() -> None:
    place = placed(geocode("香林坊2-1-1", "920-0961"))
    assert (place.label, place.precision) == ("石川県金沢市香林坊二丁目", Precision.TOWN)


def test_an_unreadable_address_falls_back_on_the_postal_code_and_says_so() -> None:
    result = geocode("避難所（体育館）", "928-0001")
    assert placed(result).precision is Precision.POSTAL
    assert result.note == "geocode.note.postal_used"


def test_address_and_postal_code_of_different_municipalities_prefer_the_address() -> None:
    result = geocode("石川県金沢市香林坊2-1-1", "928-0001")  # a Wajima code
    place = placed(result)
    assert place.label == "石川県金沢市香林坊二丁目"
    assert (result.note, result.subject) == ("geocode.note.postal_elsewhere", "石川県輪島市")
    assert explain(result) == "郵便番号は石川県輪島市のものです。住所の位置を使いました"
    city_only = geocode("珠洲市", "920-0961")
    assert placed(city_only).label == "石川県珠洲市"
    assert city_only.note == "geocode.note.postal_elsewhere"


def test_an_unknown_postal_code_beside_a_good_address_is_noted() -> None:
    result = geocode("金沢市香林坊2-1-1", "000-0000")
    assert placed(result).precision is Precision.TOWN
    assert (result.note, result.subject) == ("geocode.note.postal_unknown", "000-0000")


@pytest.mark.parametrize(
    ("address", "postal_code", "reason"),
    [
        (None, None, "geocode.empty"),
        ("", "", "geocode.empty"),
        ("   ", None, "geocode.empty"),
        ("asdfghjkl", None, "geocode.no_municipality"),
        ("123 Main Street, Springfield, IL", None, "geocode.no_municipality"),
        ("Calle Mayor 5, Madrid", None, "geocode.no_municipality"),
        ("서울특별시 중구 세종대로 110", None, "geocode.no_municipality"),
        ("北京市朝阳区建国路88号", None, "geocode.no_municipality"),
        ("不明", None, "geocode.no_municipality"),
        ("香林坊2-1-1", None, "geocode.no_municipality"),  # a town, but of which municipality?
        ("石川県", None, "geocode.no_municipality_in"),
        ("石川県どこか", None, "geocode.no_municipality_in"),
        ("石川県富山市新桜町7-38", None, "geocode.no_municipality_in"),  # 富山市 is not in 石川県
        ("石川県本町1-1", None, "geocode.no_municipality_in"),  # 金沢市, 野々市市, 七尾市 ...
        ("府中市", None, "geocode.municipality_ambiguous"),  # 東京都 and 広島県
        ("中央区本町1-1", None, "geocode.municipality_ambiguous"),
        (None, "000-0000", "geocode.postal_unknown"),
        (None, "なし", "geocode.postal_unknown"),
    ],
)
def test_what_cannot_be_placed_gets_no_point_and_a_reason(
    address: str | None, postal_code: str | None, reason: str
) -> None:
    result = geocode(address, postal_code)
    assert result.place is None
    assert result.reason == reason
    assert explain(result) and explain(result, "en")


def test_reasons_name_what_was_not_found() -> None:
    assert explain(geocode("石川県どこか")) == "住所の石川県の後に市区町村を読み取れません"
    ambiguous = geocode("府中市")
    assert ambiguous.subject == "府中市"
    assert "府中市" in explain(ambiguous, "en")
    assert explain(geocode(None, "000-0000")) == "郵便番号「000-0000」は見つかりません"


def test_a_shared_municipality_name_is_told_apart_by_the_town_or_the_postal_code() -> None:
    assert placed(geocode("府中市宮西町1-1")).municipality == "東京都府中市"  # only Tokyo's has it
    assert placed(geocode("府中市", "183-0000")).municipality == "東京都府中市"
    assert placed(geocode("広島県府中市")).municipality == "広島県府中市"


def test_a_ward_name_many_cities_share_is_told_apart_by_a_town_only_one_has() -> None:
    """中央区: Tokyo's has 日本橋一〜三丁目, Osaka's 日本橋一・二丁目."""
    assert placed(geocode("中央区日本橋三丁目")).municipality == "東京都中央区"
    assert geocode("中央区日本橋1-1").reason == "geocode.municipality_ambiguous"
    assert placed(geocode("大阪市中央区日本橋1-1")).municipality == "大阪府大阪市中央区"


def test_a_designated_city_without_its_ward() -> None:
    place = placed(geocode("札幌市中央区大通西10丁目"))
    assert place.municipality == "北海道札幌市中央区"
    assert placed(geocode("札幌市大通西10丁目")) == place  # only 中央区 has that town
    city = placed(geocode("札幌市"))
    assert (city.precision, city.municipality) == (Precision.CITY, "北海道札幌市")


def test_a_municipality_the_town_table_lacks_has_no_point() -> None:
    result = geocode(None, "100-0301")  # 利島村: in the postal table, not in the town table
    assert (result.place, result.reason) == (None, "geocode.no_data")
    assert result.subject == "東京都利島村"


def test_describe_says_what_the_point_stands_for() -> None:
    town = placed(geocode("金沢市香林坊2-1-1"))
    assert describe(town) == "香林坊二丁目の代表点（町丁目）"
    assert describe(town, "en") == "representative point of 香林坊二丁目 (town)"
    koaza = placed(geocode("七尾市和倉町ヨ部10"))
    assert describe(koaza) == "和倉町ヨの代表点（小字）"
    assert describe(koaza, "en") == "representative point of 和倉町ヨ (koaza)"
    area = placed(geocode(None, "920-0961"))
    assert describe(area) == "香林坊の代表点（郵便番号の区域）"
    city = placed(geocode("鳳珠郡穴水町"))
    assert describe(city) == "鳳珠郡穴水町の代表点（市区町村）"
    assert describe(city, "en") == "representative point of 鳳珠郡穴水町 (municipality)"


def test_placed_answers_have_nothing_to_explain() -> None:
    assert explain(geocode("金沢市香林坊2-1-1")) == ""
