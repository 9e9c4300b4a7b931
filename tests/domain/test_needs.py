"""A 配慮事項 cell read into the fields its words belong to."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evacsupport.domain.allergens import all_allergens
from evacsupport.domain.codes import CareLevel
from evacsupport.domain.needs import NeedsReading, read_needs

C = CareLevel


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        # the cells of the issue
        ("要介護2、車椅子使用", NeedsReading(C.CARE_2, wheelchair=True)),
        ("独居・高齢", NeedsReading(notes=("独居・高齢",))),
        # care levels in the spellings lists use
        ("要介護１", NeedsReading(C.CARE_1)),
        ("介護3", NeedsReading(C.CARE_3)),
        ("要支援2", NeedsReading(C.SUPPORT_2)),
        ("要介護度4", NeedsReading(C.CARE_4)),
        ("要介護3 車いす", NeedsReading(C.CARE_3, wheelchair=True)),
        ("要介護5(車椅子)", NeedsReading(C.CARE_5, wheelchair=True)),
        # a level with more words: read, and the words kept
        ("要介護2（申請中）", NeedsReading(C.CARE_2, notes=("要介護2(申請中)",))),
        # two levels: neither guessed, both kept
        ("要支援1、要介護2", NeedsReading(notes=("要支援1", "要介護2"))),
        # wheelchair
        ("車いす", NeedsReading(wheelchair=True)),
        ("くるまいす利用", NeedsReading(wheelchair=True)),
        ("車椅子不要", NeedsReading(notes=("車椅子不要",))),
        # allergens
        ("卵アレルギー", NeedsReading(allergens=("卵",))),
        ("卵・乳アレルギー", NeedsReading(allergens=("卵", "乳"))),
        ("ピーナッツアレルギー", NeedsReading(allergens=("落花生",))),
        ("乳除去", NeedsReading(allergens=("乳",))),
        ("アレルギー：えび", NeedsReading(allergens=("えび",))),
        ("たまご", NeedsReading(allergens=("卵",))),  # an allergen alone means to avoid it
        # an allergy with more words: the words go with the food (the venue needs them)
        (
            "そばアレルギー(重度)",
            NeedsReading(allergens=("そば",), dietary=("そばアレルギー(重度)",)),
        ),
        ("花粉アレルギー", NeedsReading(notes=("花粉アレルギー",))),  # not food
        ("食物アレルギー", NeedsReading(dietary=("食物アレルギー",))),  # food, none named
        # food
        ("刻み食・減塩", NeedsReading(dietary=("刻み食・減塩",))),
        ("ハラール", NeedsReading(dietary=("ハラール",))),
        ("きざみ食", NeedsReading(dietary=("きざみ食",))),
        ("食べ物の好き嫌いが多い", NeedsReading(dietary=("食べ物の好き嫌いが多い",))),
        # everything else
        ("一人暮らし", NeedsReading(notes=("一人暮らし",))),
        ("認知症の疑い、独居", NeedsReading(notes=("認知症の疑い", "独居"))),
        # nothing
        ("", NeedsReading()),
        ("なし", NeedsReading()),
        ("特になし", NeedsReading()),
        (None, NeedsReading()),
        # all at once, with the separators lists use
        (
            "要介護２／車椅子使用；卵アレルギー，刻み食、独居・高齢",
            NeedsReading(C.CARE_2, True, ("卵",), dietary=("刻み食",), notes=("独居・高齢",)),
        ),
        (
            "減塩・独居",  # one piece, two places: each part where it belongs
            NeedsReading(dietary=("減塩",), notes=("独居",)),
        ),
    ],
)
def test_read_needs(cell: str | None, expected: NeedsReading) -> None:
    assert read_needs(cell) == expected


def test_joined_texts_use_the_japanese_comma() -> None:
    reading = read_needs("刻み食、減塩、独居、高齢")
    assert reading.dietary_text == "刻み食、減塩" and reading.notes_text == "独居、高齢"


@given(st.text(max_size=60))
def test_any_cell_reads_without_losing_a_field_type(text: str) -> None:
    reading = read_needs(text)
    assert reading.care_level is None or isinstance(reading.care_level, CareLevel)
    assert set(reading.allergens) <= set(all_allergens())
    assert all(part.strip() for part in (*reading.dietary, *reading.notes))
