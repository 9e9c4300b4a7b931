from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from evacsupport.db import Database
from evacsupport.db.models import Consent, Household, Member
from evacsupport.errors import EvacError
from evacsupport.importers import import_households, template
from tests.importers.helpers import households, person, write_csv


def count(db: Database, model: type) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_cp932_csv_with_wareki_fullwidth_and_halfwidth_kana(db: Database, tmp_path: Path) -> None:
    rows = [
        person(
            "１０１",
            生年月日="Ｓ４５．３．２",
            フリガナ="ﾉﾄ ﾊﾅｺ",
            電話番号="０７６８－２２－１２３４",
        ),
        person("１０１", 1, 続柄="長男", 生年月日="平成元年1月8日", フリガナ="のと　じろう"),
        person("102", 氏名="輪島　一郎", フリガナ="ワジマ イチロウ", 生年月日="1960/02/29"),
    ]
    path = write_csv(tmp_path / "輪島市名簿.csv", rows, encoding="cp932")
    result = import_households(db, path)
    assert result.rejected == []
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    with db.read() as s:
        h = s.scalars(select(Household).where(Household.source_ref == "101")).one()
        assert h.source == "輪島市名簿"
        assert h.phone == "0768221234"
        assert h.origin_municipality_code == "172049"
        assert h.evacuation_status == "hotel"
        members = sorted(h.members, key=lambda m: m.position)
        assert members[0].family_kana == "ノト" and members[0].given_kana == "ハナコ"
        assert str(members[0].birth_date) == "1970-03-02"
        assert members[0].relation == "head"
        assert members[1].relation == "child"
        assert members[1].given_kana == "ジロウ" and str(members[1].birth_date) == "1989-01-08"


def test_utf8_bom_english_headers_any_order_extra_column(db: Database, tmp_path: Path) -> None:
    header = ["given_name", "family_name", "furigana", "case_number", "birth_date", "メモ"]
    rows = [{"given_name": "花子", "family_name": "珠洲", "furigana": "スズ ハナコ",
             "case_number": "9", "birth_date": "R1.5.1", "メモ": "x"}]  # fmt: skip
    path = write_csv(tmp_path / "list.csv", rows, header=header)
    result = import_households(db, path, source="partner")
    assert result.created == 1 and result.rejected == []
    assert any("メモ" in n for n in result.notices)
    with db.read() as s:
        m = s.scalars(select(Member)).one()
        assert (m.family_name, m.given_name, str(m.birth_date)) == ("珠洲", "花子", "2019-05-01")


def test_xlsx_rows_are_sheet_rows(db: Database, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["世帯番号", "姓", "名", "セイ", "メイ", "生年月日", "続柄"])
    sheet.append([1, "能登", "一", "ノト", "ハジメ", "1950-01-01", "世帯主"])
    sheet.append([1, "能登", "二", "ノト", "ツギ", "2999-01-01", "子"])
    path = tmp_path / "list.xlsx"
    book.save(path)
    result = import_households(db, path)
    assert [(e.row, e.column) for e in result.rejected] == [(3, "生年月日")]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["世帯番号", "氏名", "フリガナ", "生年月日", "続柄"])
    from datetime import datetime

    sheet.append([1, "能登 一", "ノト ハジメ", datetime(1950, 1, 1), "子"])
    sheet.append([1, "能登 二", "ノト ツギ", "S50.1.1", "世帯主"])
    book.save(path)
    result = import_households(db, path)
    assert result.rejected == [] and result.created == 1
    with db.read() as s:
        heads = s.scalars(select(Member).where(Member.relation == "head")).all()
        assert [m.given_kana for m in heads] == ["ツギ"]


def test_missing_required_column_names_it(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", [{"氏名": "能登 太郎", "フリガナ": "ノト タロウ"}])
    with pytest.raises(EvacError) as info:
        import_households(db, path)
    assert "世帯番号" in str(info.value)


def test_bad_date_row_37_all_or_nothing(db: Database, tmp_path: Path) -> None:
    rows = households(40)
    rows[35]["生年月日"] = "昭和99年13月1日"  # header is row 1, so this is row 37
    path = write_csv(tmp_path / "list.csv", rows)
    result = import_households(db, path)
    assert len(result.rejected) == 1
    error = result.rejected[0]
    assert (error.row, error.column) == (37, "生年月日") and error.message
    assert result.created == 0 and result.rejected_file is None
    assert count(db, Household) == 0


def test_skip_invalid_writes_rejected_file(db: Database, tmp_path: Path) -> None:
    rows = households(5, per=2)
    rows[3]["フリガナ"] = ""  # household 2, second person
    path = write_csv(tmp_path / "list.csv", rows)
    result = import_households(db, path, skip_invalid=True)
    assert result.created == 4
    assert [(e.row, e.column) for e in result.rejected] == [(5, "フリガナ")]
    assert result.rejected_file == tmp_path / "list.rejected.csv"
    data = result.rejected_file.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0].endswith(",エラー") and len(lines) == 3  # the whole household, to fix
    assert "フリガナ" in lines[2]
    # fixed and re-imported, it is accepted (the エラー column is ignored)
    fixed = lines[2].replace(",,", ",ノト ジロウ,", 1)
    fix = tmp_path / "fix.csv"
    fix.write_text("\n".join([lines[0], lines[1], fixed]), encoding="utf-8-sig")
    again = import_households(db, fix, source="list")
    assert again.rejected == [] and again.created == 1 and again.notices == ["位置：町丁目 1件"]
    assert count(db, Household) == 5 and count(db, Member) == 10


def test_reimport_is_idempotent_and_updates_are_listed(db: Database, tmp_path: Path) -> None:
    rows = households(20, per=2)
    rows[0]["同意日"] = "令和6年2月1日"
    path = write_csv(tmp_path / "list.csv", rows, header=[*rows[1].keys(), "同意日"])
    first = import_households(db, path)
    assert first.created == 20 and count(db, Member) == 40 and count(db, Consent) == 1
    second = import_households(db, path)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 20)
    assert count(db, Household) == 20 and count(db, Member) == 40 and count(db, Consent) == 1
    rows[2]["電話番号"] = "080-9999-0000"
    path = write_csv(tmp_path / "list.csv", rows, header=[*rows[1].keys(), "同意日"])
    dry = import_households(db, path, dry_run=True)
    assert (dry.created, dry.updated, dry.unchanged) == (0, 1, 19)
    third = import_households(db, path)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 19)
    assert third.updated_fields == ["A00002 電話番号: 09012345678 → 08099990000"]
    with db.read() as s:
        assert s.scalar(select(Household.phone).where(Household.source_ref == "A00002")) == (
            "08099990000"
        )


def test_dry_run_writes_nothing(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", households(3))
    result = import_households(db, path, dry_run=True)
    assert result.created == 3 and count(db, Household) == 0


def test_progress_and_cancel(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", households(500))
    seen: list[tuple[int, int]] = []
    import_households(db, path, dry_run=True, progress=lambda a, b: seen.append((a, b)))
    assert seen and seen[-1] == (1000, 1000)
    with pytest.raises(EvacError) as info:
        import_households(db, path, cancelled=lambda: True)
    assert info.value.code == "import.cancelled"
    assert count(db, Household) == 0


def test_template() -> None:
    assert template("households")[:3] == ["世帯番号", "氏名", "フリガナ"]
    assert "会場" in template("meals")
    assert "名称" in template("venues")


def test_ten_thousand_rows(db: Database, tmp_path: Path) -> None:
    import time

    rows = households(4000, per=2)
    rows += [person(f"B{h:05d}", 0) for h in range(2000)]
    assert len(rows) == 10000
    path = write_csv(tmp_path / "big.csv", rows)
    start = time.perf_counter()
    result = import_households(db, path)
    elapsed = time.perf_counter() - start
    assert result.rejected == [] and result.created == 6000
    assert elapsed < 30


def test_app_case_number_in_file_matches_that_household(db: Database, tmp_path: Path) -> None:
    import_households(db, write_csv(tmp_path / "list.csv", households(2)))
    row = person("N24-000002", 生年月日=households(2)[1]["生年月日"], 電話番号="0767-52-0000")
    result = import_households(db, write_csv(tmp_path / "other.csv", [row]))
    assert (result.created, result.updated) == (0, 1)
    assert result.updated_fields == ["N24-000002 電話番号: 09012345678 → 0767520000"]
    assert count(db, Household) == 2 and count(db, Member) == 2


def test_xlsx_blank_rows_keep_sheet_row_numbers(db: Database, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A2"], sheet["B2"], sheet["C2"] = "世帯番号", "氏名", "フリガナ"
    sheet["A4"], sheet["B4"], sheet["C4"] = "1", "能登 一", ""
    path = tmp_path / "list.xlsx"
    book.save(path)
    result = import_households(db, path)
    assert [(e.row, e.column) for e in result.rejected] == [(4, "フリガナ")]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"PK\x03\x04" + bytes(range(256)),
        "世帯番号,氏名,フリガナ\r\n1,能登 一,ノト\r\n".encode(),
    ],
)
def test_file_named_xlsx_that_is_no_workbook_is_refused(
    db: Database, tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "list.xlsx"
    path.write_bytes(content)
    with pytest.raises(EvacError) as exc:
        import_households(db, path)
    assert exc.value.code == "import.unreadable"
    assert count(db, Household) == 0


def test_csv_cell_over_the_field_limit_names_its_line(db: Database, tmp_path: Path) -> None:
    rows = [person("1"), person("2", 配慮事項="あ" * 200_000)]
    with pytest.raises(EvacError) as exc:
        import_households(db, write_csv(tmp_path / "list.csv", rows))
    assert exc.value.code == "import.cell_too_large"
    assert exc.value.params["line"] == 3
    assert "3行目" in exc.value.message("ja")
    assert count(db, Household) == 0


def test_case_number_and_file_name_longer_than_their_columns(db: Database, tmp_path: Path) -> None:
    rows = [person("1" * 101), person("2")]
    result = import_households(db, write_csv(tmp_path / "list.csv", rows))
    assert [(e.row, e.column, e.message) for e in result.rejected] == [
        (2, "世帯番号", "100文字以内で入力してください")
    ]
    assert count(db, Household) == 0
    long_name = tmp_path / ("名" * 70 + "x" * 35 + ".csv")
    assert import_households(db, write_csv(long_name, [person("2")])).created == 1
    again = import_households(db, write_csv(long_name, [person("2", 電話番号="0768-22-1234")]))
    assert (again.created, again.updated) == (0, 1)
    with db.read() as s:
        assert s.scalars(select(Household.source)).one() == "名" * 70 + "x" * 30


def test_furigana_longer_than_its_column_is_refused(db: Database, tmp_path: Path) -> None:
    result = import_households(
        db, write_csv(tmp_path / "list.csv", [person("1", フリガナ="ア" * 101)])
    )
    assert [e.column for e in result.rejected] == ["フリガナ"]


def test_a_control_character_in_a_name_is_a_row_error_naming_it(
    db: Database, tmp_path: Path
) -> None:
    """A barcode scanner's escape in a name is refused; one in free text is dropped."""
    rows = [
        person("1", 配慮事項="きざみ食\x07", 現住所="金沢市\t香林坊1-1"),
        person("2", 氏名="輪島\x1b[0m 一郎", フリガナ="ワジマ イチロウ"),
        person("3", フリガナ="スズ\x00 ハナコ"),
    ]
    result = import_households(db, write_csv(tmp_path / "list.csv", rows))
    assert [(e.row, e.column) for e in result.rejected] == [(3, "氏名"), (4, "フリガナ")]
    assert "U+001B" in result.rejected[0].message and "U+0000" in result.rejected[1].message
    assert count(db, Household) == 0  # all or nothing
    result = import_households(db, write_csv(tmp_path / "list.csv", rows), skip_invalid=True)
    assert result.created == 1
    with db.read() as s:
        saved = s.scalars(select(Household)).one()
        assert saved.current_address == "金沢市 香林坊1-1"
        assert saved.members[0].dietary_needs == "きざみ食"
