"""The everyday words of every choice list, read from resources/data/vocabulary.json."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import Any

import pytest

from evacsupport.domain import allergens, codes, needs, vocabulary
from evacsupport.domain.codes import (
    CareLevel,
    ConsentMethod,
    EvacuationStatus,
    MealType,
    Relation,
    Sex,
    VenueKind,
    YesNo,
    parse_choice,
)
from evacsupport.domain.vocabulary import VocabularyError, fold
from evacsupport.errors import InvalidValue

WORDS: list[tuple[type[StrEnum], str, str]] = [
    *[(VenueKind, w, "other") for w in ("居場所", "地域の居場所", "居場所づくり", "交流拠点")],
    *[
        (VenueKind, w, "kodomo_shokudo")
        for w in ("子ども食堂", "こども食堂", "子供食堂", "KODOMO", "kodomo", "ｺﾄﾞﾓ食堂")
    ],
    (VenueKind, "サロン", "salon"),
    (VenueKind, "フードバンク", "food_pantry"),
    *[(EvacuationStatus, w, "shelter_1_5") for w in ("1.5次避難所", "1.5次", "１．５次")],
    *[(EvacuationStatus, w, "hotel") for w in ("2次避難", "二次避難", "ホテル", "旅館", "ﾎﾃﾙ")],
    *[
        (EvacuationStatus, w, "deemed_housing")
        for w in ("みなし", "みなし仮設", "借上げ", "借り上げ住宅", "ミナシ")
    ],
    *[(EvacuationStatus, w, "temporary_housing") for w in ("仮設", "応急仮設", "仮設住宅")],
    (EvacuationStatus, "親戚宅", "relatives"),
    (EvacuationStatus, "在宅避難", "home"),
    *[(Sex, w, "male") for w in ("男", "男性", "M", "m", "ｍ", "male", "MALE")],
    *[(Sex, w, "female") for w in ("女", "女性", "F", "f", "female")],
    *[(Relation, w, "head") for w in ("本人", "世帯主", "主")],
    *[(Relation, w, "spouse") for w in ("妻", "夫", "配偶者")],
    *[(Relation, w, "child") for w in ("長男", "子", "娘", "次女", "息子")],
    (Relation, "義母", "parent"),
    (Relation, "嫁", "child_in_law"),
    (Relation, "叔父", "other"),
    *[(CareLevel, w, "care_1") for w in ("要介護１", "要介護1", "介護1", "要介護度1")],
    *[(CareLevel, w, "support_2") for w in ("要支援2", "要支援２", "支援2")],
    *[(CareLevel, w, "none") for w in ("なし", "非該当", "自立")],
    *[(MealType, w, "takeaway") for w in ("弁当", "持ち帰り", "テイクアウト")],
    (MealType, "宅配", "delivery"),
    (ConsentMethod, "同意書", "written"),
    (ConsentMethod, "口答", "verbal"),  # the common slip for 口頭
    *[(YesNo, w, "yes") for w in ("○", "あり", "有", "はい", "yes")],
    *[(YesNo, w, "no") for w in ("×", "なし", "無", "いいえ")],
]


@pytest.mark.parametrize(("enum", "word", "code"), WORDS)
def test_everyday_words_parse(enum: type[StrEnum], word: str, code: str) -> None:
    assert parse_choice(enum, word) == enum(code)
    assert parse_choice(enum, f" {word}\u3000") == enum(code)


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("小麦", "小麦"),
        ("こむぎ", "小麦"),
        ("コムギ", "小麦"),
        ("小麦粉", "小麦"),
        ("卵", "卵"),
        ("たまご", "卵"),
        ("玉子", "卵"),
        ("鶏卵", "卵"),
        ("乳", "乳"),
        ("牛乳", "乳"),
        ("乳製品", "乳"),
        ("落花生", "落花生"),
        ("ピーナッツ", "落花生"),
        ("キウイ", "キウイフルーツ"),
        ("鮭", "さけ"),
    ],
)
def test_allergen_words(alias: str, name: str) -> None:
    assert allergens.normalize_allergens(alias) == [name]


@pytest.mark.parametrize("none", ["なし", "特になし", "無", "-", "ー"])
def test_none_in_an_allergen_cell_is_no_allergen(none: str) -> None:
    assert allergens.normalize_allergens(none) == []
    assert allergens.normalize_allergens(f"卵、{none}") == ["卵"]


@pytest.mark.parametrize(
    ("enum", "word"),
    [
        (VenueKind, "地域の拠点"),
        (VenueKind, "こども"),  # a part of a word is not the word
        (Sex, "1"),  # a municipality's sex code: for the user's mapping, never guessed
        (Relation, "ペット"),
        (CareLevel, "要介護6"),
        (EvacuationStatus, "テント"),
    ],
)
def test_words_no_list_knows_are_refused(enum: type[StrEnum], word: str) -> None:
    with pytest.raises(InvalidValue) as info:
        parse_choice(enum, word)
    assert info.value.code == "value.choice" and info.value.params["value"] == word


def test_fold_joins_width_kana_case_and_spaces() -> None:
    assert fold("ｺﾄﾞﾓ 食堂") == fold("こども食堂") == fold("コドモ\u3000食堂") == "コドモ食堂"
    assert fold("ＫＯＤＯＭＯ") == fold("kodomo")
    assert fold("要介護２") == fold("要介護2")


def test_every_list_in_the_file_is_a_code_list() -> None:
    known = {codes.list_name(enum) for enum in codes.LABELS}
    assert set(vocabulary.list_names()) <= known
    assert {"venue_kind", "evacuation_status", "sex", "relation", "care_level"} <= set(
        vocabulary.list_names()
    )


def test_every_list_builds_without_a_word_meaning_two_choices() -> None:
    for enum in codes.LABELS:
        table = codes._lookup(enum)
        for member in enum:
            assert table[fold(member.value)] == member.value


# ---- a damaged file is refused naming the entry -----------------------------------------------

_CACHED: list[Callable[..., Any]] = [
    vocabulary._data,
    vocabulary.synonyms,
    vocabulary.allergen_aliases,
    vocabulary.allergen_none,
    vocabulary.needs_words,
    codes._lookup,
    allergens._lookup,
    allergens._none,
    needs._care_phrases,
    needs._allergen_phrases,
    needs._folded,
    needs.read_needs,
]


@pytest.fixture
def vocabulary_file(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Any], None]]:
    """Replace what the vocabulary file holds (every cache built from it is dropped before and
    after, so other tests see the shipped file)."""

    def clear() -> None:
        for cached in _CACHED:
            assert isinstance(cached, functools._lru_cache_wrapper)
            cached.cache_clear()

    def use(data: Any) -> None:
        monkeypatch.setattr(vocabulary, "load_json", lambda _name: data)
        clear()

    yield use
    monkeypatch.undo()
    clear()


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({"choices": {"sex": {"male": ["男"], "female": ["男"]}}}, "“男” is both"),
        ({"choices": {"sex": {"man": ["男"]}}}, "sex has no code man"),
        ({"choices": {"sex": {"male": "男"}}}, "choices.sex.male must be a list"),
        ({"choices": {"sex": {"male": ["女性"]}}}, "“女性” is both"),  # another's label
        ({"choices": []}, "choices must be an object"),
    ],
)
def test_a_damaged_list_is_refused_naming_the_entry(
    vocabulary_file: Callable[[Any], None], data: Any, named: str
) -> None:
    vocabulary_file(data)
    with pytest.raises(VocabularyError, match=named):
        parse_choice(Sex, "男")


def test_an_alias_of_an_unlisted_allergen_is_refused(
    vocabulary_file: Callable[[Any], None],
) -> None:
    vocabulary_file({"allergens": {"aliases": {"まつたけ": ["松茸"]}}})
    with pytest.raises(VocabularyError, match="まつたけ"):
        allergens.normalize_allergens("卵")


def test_the_words_are_read_from_the_file(vocabulary_file: Callable[[Any], None]) -> None:
    vocabulary_file({"choices": {"venue_kind": {"salon": ["よりあい所"]}}})
    assert parse_choice(VenueKind, "よりあい所") == VenueKind.SALON
    with pytest.raises(InvalidValue):
        parse_choice(VenueKind, "居場所")  # no longer in the (replaced) file
