"""Lists as they really arrive: everyday words in choice columns, a 配慮事項 column that holds
everything, short rows, and values no list knows (listed, mappable, refused row by row)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select, update

from evacsupport.db import Database
from evacsupport.db.models import Household, MealLog, Member, Venue
from evacsupport.errors import EvacError
from evacsupport.importers import import_households, import_meals, import_venues
from tests.importers.helpers import person, write_csv
from tests.importers.test_venues_meals import VENUE


def members(db: Database) -> dict[str, Member]:
    """Every member by name, with their household loaded."""
    with db.read() as s:
        found = s.scalars(select(Member)).all()
        for m in found:
            assert m.household is not None
        return {f"{m.family_name} {m.given_name}": m for m in found}


def household_of(db: Database, ref: str) -> Household:
    with db.read() as s:
        return s.scalars(select(Household).where(Household.source_ref == ref)).one()


# ---- households: everyday words and the 配慮事項 column ------------------------------------------


def municipal_rows() -> list[dict[str, str]]:
    """A list as a municipality's system writes it: 男/女, 世帯主/妻, ホテル/借り上げ住宅, and
    every need in one 配慮事項 column."""
    return [
        person("101", 氏名="能登 一郎", 性別="男", 続柄="世帯主", 避難形態="ホテル",
               配慮事項="要介護2、車椅子使用"),
        person("101", 1, 氏名="能登 花子", 性別="女", 続柄="妻",
               配慮事項="卵アレルギー・刻み食"),
        person("102", 2, 氏名="輪島 トメ", 性別="Ｆ", 続柄="本人", 避難形態="借り上げ住宅",
               配慮事項="独居・高齢"),
        person("103", 3, 氏名="珠洲 健", 性別="M", 続柄="本人", 避難形態="1.5次",
               配慮事項="要支援１"),
        person("104", 4, 氏名="穴水 二郎", 性別="男性", 続柄="主", 避難形態="応急仮設",
               配慮事項="なし"),
    ]  # fmt: skip


def test_a_cp932_municipal_list_reads_every_everyday_word(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "輪島市名簿.csv", municipal_rows(), encoding="cp932")
    result = import_households(db, path)
    assert (result.created, result.rejected, result.unmatched) == (4, [], [])
    people = members(db)
    ichiro, hanako = people["能登 一郎"], people["能登 花子"]
    assert (ichiro.sex, ichiro.relation, ichiro.care_level) == ("male", "head", "care_2")
    assert ichiro.needs_wheelchair is True and ichiro.dietary_needs == ""
    assert (hanako.sex, hanako.relation, hanako.allergens) == ("female", "spouse", ["卵"])
    assert hanako.dietary_needs == "刻み食" and hanako.care_level == "none"
    tome = people["輪島 トメ"]
    assert (tome.sex, tome.dietary_needs, tome.care_level) == ("female", "", "none")
    assert people["珠洲 健"].care_level == "support_1"
    assert household_of(db, "101").evacuation_status == "hotel"
    assert household_of(db, "102").evacuation_status == "deemed_housing"
    assert household_of(db, "102").notes == "輪島 トメ：独居・高齢"
    assert household_of(db, "103").evacuation_status == "shelter_1_5"
    assert household_of(db, "104").evacuation_status == "temporary_housing"
    assert household_of(db, "104").notes == ""  # なし is nothing to note
    # one notice per field, with how many people, never one per row
    assert [n for n in result.notices if "配慮事項" in n] == [
        "「配慮事項」から要介護度を2人分読み取りました",
        "「配慮事項」から車椅子を1人分読み取りました",
        "「配慮事項」からアレルギーを1人分読み取りました",
        "「配慮事項」から食事の配慮を1人分読み取りました",
        "「配慮事項」のそのほかの内容は、1人分を氏名を付けて世帯の備考に残しました",
    ]


def test_the_notices_in_english(db: Database, tmp_path: Path) -> None:
    from evacsupport.i18n import set_language

    set_language("en")
    result = import_households(db, write_csv(tmp_path / "list.csv", municipal_rows()))
    assert "Read Care level for 2 people from “配慮事項”" in result.notices


def test_an_xlsx_with_its_own_care_and_wheelchair_columns_and_short_rows(
    db: Database, tmp_path: Path
) -> None:
    """A column of its own wins over 配慮事項 for its field; rows cut short are read as blank."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["世帯番号", "氏名", "フリガナ", "続柄", "配慮事項", "要介護度", "車椅子"])
    sheet.append([1, "能登 一郎", "ノト イチロウ", "本人", "要介護2・車椅子", "介護4", None])
    sheet.append([1, "能登 花子", "ノト ハナコ", "妻", "減塩", None, "○"])
    sheet.append([2, "輪島 トメ", "ワジマ トメ"])  # the rest of the row left empty
    sheet.append([3, "珠洲 健", "スズ ケン", None, None, "要支援２", "なし"])
    path = tmp_path / "list.xlsx"
    book.save(path)
    result = import_households(db, path)
    assert (result.created, result.rejected) == (3, [])
    people = members(db)
    assert (people["能登 一郎"].care_level, people["能登 一郎"].needs_wheelchair) == (
        "care_4",  # the 要介護度 column, not 配慮事項's 要介護2
        True,  # 配慮事項's 車椅子, the 車椅子 cell being empty
    )
    assert (people["能登 花子"].needs_wheelchair, people["能登 花子"].dietary_needs) == (
        True,
        "減塩",
    )
    assert (people["輪島 トメ"].care_level, people["輪島 トメ"].relation) == ("none", "head")
    assert (people["珠洲 健"].care_level, people["珠洲 健"].needs_wheelchair) == (
        "support_2",
        False,
    )


def test_a_wheelchair_cell_that_is_neither_yes_nor_no_is_a_row_error(
    db: Database, tmp_path: Path
) -> None:
    rows = [person("1", 車椅子="あり"), person("2", 1, 車椅子="ときどき")]
    path = write_csv(tmp_path / "list.csv", rows, header=[*rows[0].keys()])
    result = import_households(db, path, skip_invalid=True)
    assert [(e.row, e.column) for e in result.rejected] == [(3, "車椅子")]
    assert "ときどき" in result.rejected[0].message
    assert [(u.column, u.value, u.rows) for u in result.unmatched] == [("車椅子", "ときどき", 1)]
    assert result.created == 1


def test_a_reimport_reads_the_needs_and_keeps_the_coordinators_notes(
    db: Database, tmp_path: Path
) -> None:
    """A list imported before 配慮事項 was read (all of it in 食事の配慮) is put right by
    importing it again; the household's own 備考 stay, and a third import changes nothing."""
    row = person("101", 配慮事項="要介護2、車椅子使用、独居")
    header = [h for h in row if h != "アレルギー"]  # no allergen column of its own
    path = write_csv(tmp_path / "list.csv", [row], header=header)
    assert import_households(db, path).created == 1
    with db.session() as s:  # as the earlier version stored it, plus the coordinator's note
        s.execute(
            update(Member).values(
                dietary_needs="要介護2、車椅子使用、独居", care_level="none",
                needs_wheelchair=False, allergens=["乳"],
            )
        )  # fmt: skip
        s.execute(update(Household).values(notes="見守り中"))
    row["配慮事項"] = "要介護2、車椅子使用、独居、卵アレルギー"
    again = import_households(db, write_csv(tmp_path / "list.csv", [row], header=header))
    assert (again.updated, again.rejected) == (1, [])
    assert again.updated_fields == [
        "101 備考: + 能登 太郎：独居",
        "101 ノト タロウ アレルギー: 乳 → 卵、乳",  # added to, never taken from
        "101 ノト タロウ 食事の配慮: 要介護2、車椅子使用、独居 → ",
        "101 ノト タロウ 要介護度: なし → 要介護2",
        "101 ノト タロウ 車椅子: なし → あり",
    ]
    saved = household_of(db, "101")
    assert saved.notes == "見守り中\n能登 太郎：独居"
    person_ = members(db)["能登 太郎"]
    assert (person_.care_level, person_.needs_wheelchair, person_.allergens) == (
        "care_2",
        True,
        ["卵", "乳"],
    )
    third = import_households(db, write_csv(tmp_path / "list.csv", [row], header=header))
    assert (third.updated, third.unchanged) == (0, 1)


def test_silence_in_needs_changes_no_care_level(db: Database, tmp_path: Path) -> None:
    """A 配慮事項 that says nothing about care leaves the level set in the app alone."""
    path = write_csv(tmp_path / "list.csv", [person("101", 配慮事項="要介護3")])
    import_households(db, path)
    again = import_households(db, write_csv(tmp_path / "list.csv", [person("101")]))
    assert again.unchanged == 1
    assert members(db)["能登 太郎"].care_level == "care_3"


# ---- venues and meals --------------------------------------------------------------------------


def test_a_venue_list_of_ibasho_and_kodomo_shokudo_is_accepted(
    db: Database, tmp_path: Path
) -> None:
    kinds = {"居場所": "other", "地域の居場所": "other", "子供食堂": "kodomo_shokudo",
             "ＫＯＤＯＭＯ": "kodomo_shokudo", "ふれあいサロン": "salon"}  # fmt: skip
    rows = [
        {**VENUE, "名称": f"会場{i}", "種別": kind, "対応アレルゲン": "たまご、こむぎ"}
        for i, kind in enumerate(kinds)
    ]
    result = import_venues(db, write_csv(tmp_path / "venues.csv", rows))
    assert (result.created, result.rejected, result.unmatched) == (5, [], [])
    with db.read() as s:
        saved = {v.name: (v.kind, v.allergens_handled) for v in s.scalars(select(Venue))}
    assert saved == {f"会場{i}": (code, ["小麦", "卵"]) for i, code in enumerate(kinds.values())}


def test_unknown_kinds_are_listed_once_and_refuse_only_their_rows(
    db: Database, tmp_path: Path
) -> None:
    rows = [
        {**VENUE, "名称": "a", "種別": "地域の拠点"},
        {**VENUE, "名称": "b", "種別": "居場所"},
        {**VENUE, "名称": "c", "種別": "地域の拠点"},
        {**VENUE, "名称": "d", "種別": "謎の場所", "対応アレルゲン": "卵、甲殻類"},
    ]
    path = write_csv(tmp_path / "venues.csv", rows)
    result = import_venues(db, path)
    assert [(u.column, u.value, u.rows, u.target) for u in result.unmatched] == [
        ("種別", "地域の拠点", 2, ""),
        ("種別", "謎の場所", 1, ""),
        ("対応アレルゲン", "甲殻類", 1, ""),
    ]
    assert ("kodomo_shokudo", "こども食堂") in result.unmatched[0].choices
    assert [(e.row, e.column) for e in result.rejected] == [
        (2, "種別"),
        (4, "種別"),
        (5, "種別"),
        (5, "対応アレルゲン"),
    ]
    assert result.created == 0  # all or nothing, as before
    skipped = import_venues(db, path, skip_invalid=True)
    assert skipped.created == 1  # "b", the 居場所


def test_a_mapping_applies_to_every_row_with_the_value(db: Database, tmp_path: Path) -> None:
    rows = [
        {**VENUE, "名称": "a", "種別": "地域の拠点"},
        {**VENUE, "名称": "c", "種別": "地域ノ拠点　"},  # the same word, typed otherwise
        {**VENUE, "名称": "d", "種別": "謎の場所", "対応アレルゲン": "卵、甲殻類"},
    ]
    path = write_csv(tmp_path / "venues.csv", rows)
    mapping = {"種別": {"地域の拠点": "その他の居場所"}, "対応アレルゲン": {"甲殻類": "えび"}}
    result = import_venues(db, path, mapping=mapping, skip_invalid=True)
    assert [(u.value, u.rows, u.target, u.target_label) for u in result.unmatched] == [
        ("地域の拠点", 2, "other", "その他の居場所"),
        ("謎の場所", 1, "", ""),
        ("甲殻類", 1, "えび", "えび"),
    ]
    assert [(e.row, e.column) for e in result.rejected] == [(4, "種別")]  # still unknown
    with db.read() as s:
        assert sorted(v.kind for v in s.scalars(select(Venue))) == ["other", "other"]


def test_a_remembered_mapping_is_applied_where_it_still_fits(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "venues.csv", [{**VENUE, "種別": "地域の拠点"}])
    remembered = {
        "種別": {"地域の拠点": "salon", "古い値": "renamed_code"},  # a code no longer known
        "運営形態": {"x": "other"},  # a column the file no longer has
    }
    result = import_venues(db, path, remembered=remembered)
    assert (result.created, result.rejected) == (1, [])
    assert [(u.target, u.remembered) for u in result.unmatched] == [("salon", True)]
    # what the user gives now wins over what was remembered
    again = import_venues(
        db, path, remembered=remembered, mapping={"kind": {"地域の拠点": "community_cafe"}}
    )
    assert [(u.target, u.remembered) for u in again.unmatched] == [("community_cafe", False)]


@pytest.mark.parametrize(
    ("mapping", "code", "named"),
    [
        ({"定員": {"30": "other"}}, "import.map_column", "種別、対応アレルゲン"),
        ({"種別": {"地域の拠点": "cafe"}}, "import.map_target", "kodomo_shokudo（こども食堂）"),
        ({"対応アレルゲン": {"甲殻類": "かにかま"}}, "import.map_target", "えび、かに"),
    ],
)
def test_a_mapping_the_file_cannot_take_is_refused_before_anything_is_read(
    db: Database, tmp_path: Path, mapping: dict[str, dict[str, str]], code: str, named: str
) -> None:
    path = write_csv(tmp_path / "venues.csv", [{**VENUE, "種別": "地域の拠点"}])
    with pytest.raises(EvacError) as info:
        import_venues(db, path, mapping=mapping)
    assert info.value.code == code and named in str(info.value)


def test_meal_types_in_everyday_words_and_a_mapped_one(db: Database, tmp_path: Path) -> None:
    import_venues(db, write_csv(tmp_path / "venues.csv", [VENUE]))
    meal = {"日付": "R6.3.1", "会場": "にこにこ食堂", "世帯番号": "", "種別": "持ち帰り",
            "大人": "1", "子ども": "0"}  # fmt: skip
    rows = [meal, {**meal, "種別": "テイクアウト"}, {**meal, "種別": "朝食", "大人": "2"}]
    path = write_csv(tmp_path / "meals.csv", rows)
    refused = import_meals(db, path)
    assert [(u.value, u.rows) for u in refused.unmatched] == [("朝食", 1)]
    assert [(e.row, e.column) for e in refused.rejected] == [(4, "種別")]
    result = import_meals(db, path, mapping={"種別": {"朝食": "会食"}})
    assert (result.created, result.rejected) == (3, [])
    with db.read() as s:
        assert sorted(s.scalars(select(MealLog.meal_type))) == ["eat_in", "takeaway", "takeaway"]
