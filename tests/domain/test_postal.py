from evacsupport.domain.postal import lookup


def test_lookup_fills_prefecture_city_and_town() -> None:
    found = lookup("〒９２０－０９６１")
    assert found is not None
    assert (found.prefecture, found.city, found.town) == ("石川県", "金沢市", "香林坊")
    assert found.municipality_code == "172014"
    assert found.address == "石川県金沢市香林坊"


def test_noto_and_neighbouring_prefectures_are_covered() -> None:
    wajima = lookup("928-0001")
    assert wajima is not None and wajima.city == "輪島市"
    toyama = lookup("930-0001")
    assert toyama is not None and toyama.prefecture == "富山県"


def test_unknown_or_malformed_codes_give_none() -> None:
    assert lookup("100-0001") is None  # Tokyo: not in the trimmed table
    assert lookup("12") is None
    assert lookup("") is None
    assert lookup(None) is None
