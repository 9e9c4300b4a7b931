"""Addresses as people write them meet the town table's names in one form."""

from __future__ import annotations

import pytest

from evacsupport.domain.address import find_postal, kanji_number, name_key, normalize_address


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        # chome and lot numbers in every hand
        ("金沢市香林坊2丁目3-1", "金沢市香林坊2丁目3-1"),
        ("金沢市香林坊２丁目３－１", "金沢市香林坊2丁目3-1"),
        ("金沢市香林坊二丁目3番1号", "金沢市香林坊2丁目3-1"),
        ("金沢市香林坊二丁目三番一号", "金沢市香林坊2丁目3-1"),
        ("金沢市香林坊2-3-1", "金沢市香林坊2-3-1"),
        ("金沢市広岡１ー２ー３", "金沢市広岡1-2-3"),  # the IME's ー for the - key
        ("金沢市広岡1−2−3", "金沢市広岡1-2-3"),  # U+2212 minus
        ("金沢市広岡3丁目-1-2", "金沢市広岡3丁目1-2"),
        ("輪島市河井町二十四部287番地の1", "輪島市河井町24部287-1"),
        ("七尾市和倉町ヨ部10番地", "七尾市和倉町ヨ部10"),
        ("穴水町川島ラの16", "穴水町川島ラの16"),  # の after a koaza letter is no separator
        ("野々市市本町1の1の1", "野々市市本町1-1-1"),
        # spaces anywhere; kept only between two numbers or words
        ("石川県 金沢市　香林坊 2-1-1", "石川県金沢市香林坊2-1-1"),
        ("香林坊2-1-1 4F", "香林坊2-1-1 4F"),
        ("香林坊2-1-1 金沢ビル3F", "香林坊2-1-1金沢ビル3F"),
        # 〒 and a postal code inside the address
        ("〒920-0961 石川県金沢市香林坊", "石川県金沢市香林坊"),
        ("〒９２０－０９６１石川県金沢市香林坊", "石川県金沢市香林坊"),
        ("920-0961 石川県金沢市香林坊", "石川県金沢市香林坊"),
        ("石川県金沢市香林坊2-1-1 〒920-0961", "石川県金沢市香林坊2-1-1"),
        # ヶ/ケ/が/ガ and の/ノ/之 as one form
        ("金沢市泉ヶ丘1丁目", "金沢市泉ケ丘1丁目"),
        ("金沢市泉が丘1丁目", "金沢市泉ケ丘1丁目"),
        ("七尾市上野ガ丘町", "七尾市上野ケ丘町"),
        ("金沢市木の新保町", "金沢市木ノ新保町"),
        ("一之宮", "一ノ宮"),
        # variant kanji of place names
        ("長﨑", "長崎"),
        ("髙岡", "高岡"),
        # half-width kana and full-width letters
        ("ｺｰﾎﾟ　Ａ棟", "コーポA棟"),
    ],
)
def test_written_forms_become_one(written: str, normal: str) -> None:
    assert normalize_address(written) == normal


def test_words_of_a_town_name_are_left_alone() -> None:
    """Only numbers before 丁目/番/号/部/条/線 are numbers: 七尾, 十日市, 八幡 stay words."""
    assert normalize_address("七尾市十日市町八幡") == "七尾市十日市町八幡"
    assert normalize_address("センター") == "センター"  # ー in katakana is a letter


def test_the_postal_code_inside_an_address_is_read() -> None:
    assert find_postal("〒９２０－０９６１ 石川県金沢市香林坊") == "9200961"
    assert find_postal("石川県金沢市香林坊2-1-1 〒920-0961") == "9200961"
    assert find_postal("920-0961 石川県金沢市") == "9200961"
    assert find_postal("石川県金沢市香林坊2-1-1") is None
    assert find_postal("金沢市広岡100-1000") is None  # lot numbers in the middle are not codes


@pytest.mark.parametrize(
    ("kanji", "number"),
    [("一", 1), ("十", 10), ("十二", 12), ("二十四", 24), ("百五", 105), ("一〇", 10)],
)
def test_kanji_numerals(kanji: str, number: int) -> None:
    assert kanji_number(kanji) == number


def test_table_names_drop_a_leading_oaza_marker() -> None:
    assert name_key("字川島") == "川島"
    assert name_key("大字河井") == "河井"
    assert name_key("香林坊二丁目") == "香林坊2丁目"
    assert name_key("字") == "字"  # a name that is only the marker keeps it
