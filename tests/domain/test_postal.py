from evacsupport.domain.municipalities import check_digit
from evacsupport.domain.postal import lookup


def test_lookup_fills_prefecture_city_and_town() -> None:
    found = lookup("〒９２０－０９６１")
    assert found is not None
    assert (found.prefecture, found.city, found.town) == ("石川県", "金沢市", "香林坊")
    assert found.municipality_code == "172014"
    assert found.address == "石川県金沢市香林坊"


def test_noto_and_neighbouring_prefectures_are_covered() -> None:
    wajima = lookup("928-0001")
    assert wajima is not None and (wajima.city, wajima.town) == ("輪島市", "河井町")
    anamizu = lookup("927-0027")
    assert anamizu is not None and anamizu.city == "鳳珠郡穴水町"
    toyama = lookup("930-0001")
    assert toyama is not None and toyama.prefecture == "富山県"


def test_the_whole_country_is_covered() -> None:
    """Evacuees' relatives live anywhere: Tokyo, Hokkaido and Okinawa codes are found too."""
    tokyo = lookup("100-0001")
    assert tokyo is not None and tokyo.address == "東京都千代田区千代田"
    assert tokyo.municipality_code == "131016"
    sapporo = lookup("060-0000")
    assert sapporo is not None and sapporo.city == "札幌市中央区"
    naha = lookup("900-0001")
    assert naha is not None and (naha.prefecture, naha.city) == ("沖縄県", "那覇市")
    for found in (tokyo, sapporo, naha):
        assert int(found.municipality_code[5]) == check_digit(found.municipality_code[:5])


def test_the_rest_of_a_municipality_and_shared_codes_fill_no_wrong_town() -> None:
    rest = lookup("920-0000")  # Japan Post's "以下に掲載がない場合"
    assert rest is not None and (rest.city, rest.town) == ("金沢市", "")
    shared = lookup("072-0819")  # 美唄市 共練町東 and 共練町西
    assert shared is not None and shared.town == "共練町"


def test_unknown_or_malformed_codes_give_none() -> None:
    assert lookup("000-0000") is None
    assert lookup("12") is None
    assert lookup("") is None
    assert lookup(None) is None
