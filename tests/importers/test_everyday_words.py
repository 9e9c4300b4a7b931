"""Lists as they really arrive: everyday words in choice columns, a 配慮事項 column that holds
everything, short rows."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import select, update

from evacsupport.db import Database
from evacsupport.db.models import Household, Member
from evacsupport.importers import import_households
from tests.importers.helpers import person, write_csv


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
    assert (result.created, result.rejected) == (4, [])
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
