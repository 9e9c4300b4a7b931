"""Allergen list and the spellings people use for it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evacsupport.domain.allergens import (
    all_allergens,
    mandatory,
    normalize_allergens,
    recommended,
)
from evacsupport.errors import InvalidValue

MANDATORY = ["えび", "かに", "くるみ", "小麦", "そば", "卵", "乳", "落花生"]
RECOMMENDED = [
    "アーモンド",
    "あわび",
    "いか",
    "いくら",
    "オレンジ",
    "カシューナッツ",
    "キウイフルーツ",
    "牛肉",
    "ごま",
    "さけ",
    "さば",
    "大豆",
    "鶏肉",
    "バナナ",
    "豚肉",
    "マカダミアナッツ",
    "もも",
    "やまいも",
    "りんご",
    "ゼラチン",
]


def test_lists_match_labelling_standard() -> None:
    assert mandatory() == MANDATORY
    assert recommended() == RECOMMENDED
    assert all_allergens() == MANDATORY + RECOMMENDED
    assert "まつたけ" not in all_allergens()


def test_lists_are_copies() -> None:
    mandatory().append("x")
    all_allergens().clear()
    assert mandatory() == MANDATORY
    assert len(all_allergens()) == 28


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("卵、乳", ["卵", "乳"]),
        ("乳,卵", ["卵", "乳"]),
        ("乳，卵", ["卵", "乳"]),
        ("乳・卵", ["卵", "乳"]),
        ("乳 卵", ["卵", "乳"]),
        ("乳　卵", ["卵", "乳"]),
        ("乳､卵", ["卵", "乳"]),
        ("りんご、卵、えび", ["えび", "卵", "りんご"]),
        (["落花生", "えび"], ["えび", "落花生"]),
        (["卵、乳", "そば"], ["そば", "卵", "乳"]),
        ("卵、卵、たまご、玉子", ["卵"]),
        ("", []),
        ("  、 , ", []),
        ([], []),
        (None, []),
    ],
)
def test_normalize_allergens(raw: str | list[str] | None, expected: list[str]) -> None:
    assert normalize_allergens(raw) == expected


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("たまご", "卵"),
        ("玉子", "卵"),
        ("タマゴ", "卵"),
        ("牛乳", "乳"),
        ("乳製品", "乳"),
        ("こむぎ", "小麦"),
        ("コムギ", "小麦"),
        ("ピーナッツ", "落花生"),
        ("ピーナツ", "落花生"),
        ("ﾋﾟｰﾅｯﾂ", "落花生"),
        ("ぴーなっつ", "落花生"),
        ("エビ", "えび"),
        ("海老", "えび"),
        ("ｴﾋﾞ", "えび"),
        ("カニ", "かに"),
        ("蟹", "かに"),
        ("ソバ", "そば"),
        ("蕎麦", "そば"),
        ("クルミ", "くるみ"),
        ("ゴマ", "ごま"),
        ("アワビ", "あわび"),
        ("ばなな", "バナナ"),
        ("ｱｰﾓﾝﾄﾞ", "アーモンド"),
    ],
)
def test_aliases_and_kana_variants(alias: str, name: str) -> None:
    assert normalize_allergens(alias) == [name]


@pytest.mark.parametrize("raw", ["まつたけ", "卵、ピスタチオ", ["乳", "花粉"], "たまごやき"])
def test_unknown_allergen(raw: str | list[str]) -> None:
    with pytest.raises(InvalidValue) as exc:
        normalize_allergens(raw)
    assert exc.value.code == "allergen.unknown"
    assert exc.value.params["value"] in {"まつたけ", "ピスタチオ", "花粉", "たまごやき"}


def test_every_listed_name_round_trips() -> None:
    assert normalize_allergens(all_allergens()) == all_allergens()
    assert normalize_allergens("、".join(reversed(all_allergens()))) == all_allergens()


@given(st.text())
def test_normalize_allergens_never_crashes_on_text(text: str) -> None:
    try:
        result = normalize_allergens(text)
    except InvalidValue as exc:
        assert exc.code == "allergen.unknown"
    else:
        assert set(result) <= set(all_allergens())


@given(st.lists(st.text()))
def test_normalize_allergens_never_crashes_on_lists(values: list[str]) -> None:
    try:
        normalize_allergens(values)
    except InvalidValue as exc:
        assert exc.code == "allergen.unknown"


@given(st.lists(st.sampled_from(MANDATORY + RECOMMENDED)))
def test_result_is_canonical_and_unique(values: list[str]) -> None:
    result = normalize_allergens(values)
    assert result == [a for a in all_allergens() if a in set(values)]


def test_every_listed_allergen_has_an_english_name_for_display() -> None:
    from evacsupport.domain.allergens import display, display_list

    missing = [n for n in all_allergens() if display(n, "en") == n]
    assert missing == []
    assert display("卵", "ja") == "卵" and display("卵", "en") == "Egg"
    assert display_list(["小麦", "卵"], "en") == "Wheat, Egg"
    assert display_list(["小麦", "卵"], "ja") == "小麦、卵"
    assert display("未知", "en") == "未知"  # not in the catalogue: shown as stored
